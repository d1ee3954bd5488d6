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

/** Tasks run one after the other. */
export type Lane = Task[];

/**
 * Runs the lanes side by side, each lane's tasks in order; resolves with how long each task took,
 * in seconds. A lane that fails stops the run once the other lanes' current tasks are over.
 */
export async function runWithProgress(lanes: Lane[]): Promise<Record<string, number>> {
  const total = lanes.flat().reduce((sum, task) => sum + task.estimatedSeconds, 0);
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {duration_formatted} | {task}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let failed = false;
  const running = new Map<Task, number>();
  const took: Record<string, number> = {};
  const show = () => {
    const inProgress = [...running].reduce(
      (sum, [task, started]) => sum + Math.min((Date.now() - started) / 1000, task.estimatedSeconds * 0.95),
      0,
    );
    bar.update(done + inProgress, { task: [...running.keys()].map((task) => task.label).join(' | ') });
  };
  const runLane = async (lane: Lane) => {
    for (const task of lane) {
      if (failed) return;
      running.set(task, Date.now());
      try {
        await task.run();
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        took[task.label] = Math.round((Date.now() - running.get(task)!) / 100) / 10;
        running.delete(task);
      }
      done += task.estimatedSeconds;
      show();
    }
  };
  bar.start(total, 0, { task: '' });
  const tick = setInterval(show, 500);
  try {
    const outcomes = await Promise.allSettled(lanes.map(runLane));
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    clearInterval(tick);
    bar.stop();
  }
  return took;
}
