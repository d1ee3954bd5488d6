import { createHash } from 'node:crypto';

/** A stable hash of what a request asks for: same action, case and body give the same hash. */
export function requestHash(action: string, target: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([action, target, canonical(body)]))
    .digest('hex');
}

/** The value with object keys sorted at every level, so equal content serializes equally. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
