/** The benchmark's lanes: `--quick` relies on the growth lane running beside the others. */
import { describe, expect, it } from 'vitest';
import { runWithProgress, type Task } from '../../bench/progress.js';

const task = (label: string, run: () => Promise<void> = async () => {}): Task => ({ label, estimatedSeconds: 1, run });

describe('runWithProgress', () => {
  it('runs lanes side by side and each lane in order', async () => {
    const order: string[] = [];
    let handOver!: () => void;
    const handedOver = new Promise<void>((resolve) => (handOver = resolve));
    const took = await runWithProgress([
      // The first lane waits for the second: run one after the other, this would never end.
      [
        task('a1', async () => {
          order.push('a1');
          await handedOver;
        }),
        task('a2', async () => {
          order.push('a2');
        }),
      ],
      [
        task('b1', async () => {
          order.push('b1');
          handOver();
        }),
      ],
    ]);
    expect(order).toEqual(['a1', 'b1', 'a2']);
    expect(Object.keys(took).sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it("fails with the failing lane's error and starts nothing more", async () => {
    const started: string[] = [];
    const run = runWithProgress([
      [
        task('a1', async () => {
          started.push('a1');
          throw new Error('stack did not start');
        }),
      ],
      [
        task('b1', async () => {
          started.push('b1');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
        task('b2', async () => {
          started.push('b2');
        }),
      ],
    ]);
    await expect(run).rejects.toThrow('stack did not start');
    expect(started).toEqual(['a1', 'b1']);
  });
});
