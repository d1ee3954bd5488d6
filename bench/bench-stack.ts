/** A local stack (scripts/local-stack.ts) with the benchmark's agencies and its two ways of driving cases. */
import { startLocalStack, type LocalStack } from '../scripts/local-stack.js';
import { apiDriver, bareDriver, type Agencies, type CaseDriver, registerAgencies } from './cases.js';
import type { BenchOptions } from './options.js';

export interface BenchStack {
  stack: LocalStack;
  agencies: Agencies;
  api: CaseDriver;
  bare: CaseDriver;
}

/** `name` must start with `bench` (other tools on this machine use other prefixes). */
export async function startBenchStack(name: string, persistTemporal: boolean, options: BenchOptions): Promise<BenchStack> {
  const stack = await startLocalStack({ name, persistTemporal, workerEnv: options.workerEnv, apiEnv: options.apiEnv });
  const agencies = await registerAgencies(stack);
  return { stack, agencies, api: apiDriver(stack, agencies), bare: bareDriver(stack, agencies) };
}
