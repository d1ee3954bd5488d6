/**
 * How an operator command refuses bad usage: the problem and the usage on standard error, exit 2
 * (exit 1 stays for a command that was used right and failed). Declare the result with its type,
 * `const usage: (problem: string) => never = badUsage(USAGE)`, so that TypeScript knows nothing
 * after a call runs.
 */
export function badUsage(usage: string): (problem: string) => never {
  return (problem) => {
    console.error(`${problem}\n${usage}`);
    process.exit(2);
  };
}
