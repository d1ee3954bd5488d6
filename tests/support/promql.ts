/** The metric families a PromQL expression reads (a histogram's series by its family's name), each once, in order. */
export function metricsIn(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b((?:ppks|temporal)_\w+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')))];
}
