import { startLocalStack } from '../scripts/local-stack.js';
const t0 = Date.now();
const stack = await startLocalStack({ name: 'bench_probe', persistTemporal: false });
console.log('started in', Date.now() - t0);
const t1 = Date.now();
await stack.stop();
console.log('stopped in', Date.now() - t1);
