/**
 * The progress bar (on stderr, so the table on stdout stays clean). Each task has an estimated
 * length; the bar moves with the clock inside a task and jumps to the task's end when it is done,
 * so it shows the share of the planned work, not of the time still to come.
 */
import cliProgress from 'cli-progress';

export interface Task {
  label: string;
  estimatedSeconds: number;
  run(): Promise<void>;
}

/** Runs the tasks in order; resolves with how long each one took, in seconds. */
export async function runWithProgress(tasks: Task[]): Promise<Record<string, number>> {
  const total = tasks.reduce((sum, task) => sum + task.estimatedSeconds, 0);
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {duration_formatted} | {task}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { task: tasks[0]?.label ?? '' });
  let done = 0;
  const took: Record<string, number> = {};
  try {
    for (const task of tasks) {
      const started = Date.now();
      const tick = setInterval(() => {
        const elapsed = (Date.now() - started) / 1000;
        bar.update(done + Math.min(elapsed, task.estimatedSeconds * 0.95), { task: task.label });
      }, 500);
      bar.update(done, { task: task.label });
      try {
        await task.run();
      } finally {
        clearInterval(tick);
      }
      took[task.label] = Math.round((Date.now() - started) / 100) / 10;
      done += task.estimatedSeconds;
      bar.update(done);
    }
  } finally {
    bar.stop();
  }
  return took;
}
