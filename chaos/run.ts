/**
 * `npm run chaos`: fault injection. While cases run concurrently through every path over the
 * HTTP API, the worker is killed with SIGKILL again and again, the Temporal dev server is
 * restarted and PostgreSQL is restarted. Then it checks and prints: every case finished or
 * waits where it should; no bed reserved twice; no alert raised twice; every accepted step in
 * the audit trail exactly once; 503 with Retry-After only during the outages (and a few seconds
 * after), at least one for each restart, never a 500 or a request left hanging; every fault on
 * work in flight.
 * Exit code 1 when a check fails.
 *
 *   npm run chaos               500 cases, 10 worker kills, one Temporal and one PostgreSQL restart
 *   npm run chaos -- --quick    the short form for CI (60 cases, 3 kills, one of each restart)
 */
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import { config } from '../config.js';
import { startLocalStack, type LocalStack } from '../scripts/local-stack.js';
import { timedOutWork } from './held-work.js';
import * as checks from './checks.js';
import * as databaseChecks from './database-checks.js';
import { type Fault, planFaults, runFaults, Watchdog } from './faults.js';
import { ExchangeLog, type HttpSettings } from './http.js';
import { casesPerPath, parseOptions } from './options.js';
import { driveCases } from './paths.js';
import { planCases } from './plan.js';
import { clusterOf, startPostgresIfStopped } from './postgres.js';
import { checkTable, failureDetails, faultLine, faultTable, machine, pathTable, statusTable } from './report.js';
import { loadRegistry, prepareBeds, registerAgencies, shortenSla } from './setup.js';
import { settle } from './settle.js';
import { sampleBeds } from './bed-history.js';

const options = parseOptions(process.argv.slice(2));
const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(0)} s`;
const say = (line: string) => console.log(line);

say(
  `chaos (${options.mode}): ${options.cases} cases, ${options.workerKills} worker kills, ${options.temporalRestarts} Temporal restart, ${options.postgresRestarts} PostgreSQL restart; seed ${options.seed}`,
);
say(
  `intakes spread over ${options.intakeSpreadMs / 1000} s, faults from ${options.faultStartMs / 1000} s over ${options.faultWindowMs / 1000} s (a 503 is the outage's up to ${options.graceMs / 1000} s after it), agencies pause ${options.thinkMs.map((ms) => ms / 1000).join('-')} s between steps, ${options.httpConcurrency} requests in flight at most`,
);
say(
  `cases per path: ${Object.entries(casesPerPath(options))
    .map(([path, n]) => `${path} ${n}`)
    .join(', ')}`,
);

let stack: LocalStack | null = null;
let exitCode: number;
const stopStack = async () => {
  await startPostgresIfStopped();
  const running = stack;
  stack = null;
  await running?.stop().catch((error) => console.error(`stopping the stack: ${error.message}`));
};
process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping the stack');
  void stopStack().finally(() => process.exit(130));
});

// A hung run must not hang CI: past this the stack is stopped and the run fails.
const deadline = setTimeout(() => {
  console.error(`\nchaos run exceeded ${options.maxRunMs / 60_000} minutes: aborting`);
  void stopStack().finally(() => process.exit(2));
}, options.maxRunMs);
deadline.unref();

try {
  // First, so that a machine whose PostgreSQL cannot be restarted fails before anything starts.
  const cluster = options.postgresRestarts > 0 ? await clusterOf(config.databaseUrl) : null;
  stack = await startLocalStack({
    name: options.stackName,
    persistTemporal: true,
    // The worker's readiness is its "worker polling" line (info); the API's is /healthz, so it may log warnings only.
    workerEnv: { PLACEMENT_RECHECK_INTERVAL: options.placementRecheck },
    apiEnv: { LOG_LEVEL: 'warn' },
  });
  say(await machine(stack.pool));
  say(
    `stack up in ${elapsed()}: API ${stack.baseUrl}, Temporal ${stack.temporalAddress}, database ${new URL(stack.databaseUrl).pathname.slice(1)}, PostgreSQL cluster ${cluster ? `${cluster.version}/${cluster.name}` : 'not restarted'}`,
  );

  // Reference data, as a supervisor sets it (its answers are not part of the run's tally).
  const setupHttp: HttpSettings = {
    baseUrl: stack.baseUrl,
    limit: pLimit(8),
    log: new ExchangeLog(Date.now()),
    giveUpAfterMs: 60_000,
    attemptTimeoutMs: 30_000,
  };
  const specs = planCases(options);
  const setupAgencies = await registerAgencies(stack, setupHttp);
  await prepareBeds(setupAgencies.supervisor, options.cases, options.shortageBeds);
  await shortenSla(setupAgencies.supervisor);
  await loadRegistry(
    stack,
    specs.flatMap((spec) => (spec.nik ? [spec.nik] : [])),
  );

  const startedAt = Date.now();
  const runId = startedAt.toString(36);
  const log = new ExchangeLog(startedAt);
  const http: HttpSettings = {
    baseUrl: stack.baseUrl,
    limit: pLimit(options.httpConcurrency),
    log,
    giveUpAfterMs: 300_000,
    attemptTimeoutMs: 30_000,
  };
  const agencies = await registerAgencies(stack, http);
  const watchdog = new Watchdog([stack.worker, stack.api], startedAt);
  watchdog.start();
  const planned = planFaults(options);
  const bedSampler = sampleBeds(stack.pool, startedAt);
  say(`\nrunning (t = seconds since the first intake)`);

  const progress = progressReporter(options.cases, planned.length, log);
  const [runs, faults] = await Promise.all([
    driveCases(specs, { runId, agencies, options, startedAt }, () => progress.caseDone()),
    runFaults(planned, { stack, cluster, watchdog, options, startedAt }, (fault) => progress.fault(fault)),
  ]);
  progress.stop();
  const bedHistory = await bedSampler.stop();
  const driveMs = Date.now() - startedAt;
  say(
    `all drivers finished and faults done at t=${(driveMs / 1000).toFixed(0)} s; settling (at most ${(options.settleTimeoutMs / 1000).toFixed(0)} s)`,
  );

  const settled = await settle(runs, agencies.supervisor, stack.pool, options.settleTimeoutMs);
  watchdog.stop();
  const ctx: checks.CheckContext = {
    pool: stack.pool,
    runs,
    settled,
    log,
    faults,
    plannedFaults: planned.length,
    unexpectedExits: watchdog.unexpected,
    options,
    bedHistory,
    timeouts: await timedOutWork(stack.temporal, runs, runId, startedAt),
  };
  const states = checks.caseStates(ctx);
  const tally = checks.statusTally(ctx);
  const results = [
    states.check,
    checks.steps(ctx),
    await databaseChecks.caseIndex(ctx),
    await databaseChecks.beds(ctx),
    await databaseChecks.alerts(ctx),
    await databaseChecks.auditTrail(ctx),
    checks.statuses(ctx, tally),
    checks.restartsAnswered503(ctx, tally),
    checks.faultsDone(ctx, tally),
  ];

  say(
    `\nfaults (requests and steps in flight at each; answers to requests in flight while it lasted or ${options.graceMs / 1000} s after)\n${faultTable(faults, log, tally, options.graceMs)}`,
  );
  say(`\ncases per path (end state after settling)\n${pathTable(states.rows)}`);
  say(`\nHTTP answers to the agencies (every attempt, retries included)\n${statusTable(tally)}`);
  say(`\nchecks\n${checkTable(results)}`);
  const details = failureDetails(results);
  if (details) say(`\n${details}`);
  const failed = results.filter((result) => !result.pass).length;
  say(
    `\n${failed === 0 ? 'PASS' : `FAIL (${failed} of ${results.length} checks)`}: ${options.mode} run in ${elapsed()} ` +
      `(drive and faults ${(driveMs / 1000).toFixed(0)} s, settle ${(settled.settledAfterMs / 1000).toFixed(0)} s); logs in .data/${options.stackName}/`,
  );
  exitCode = failed === 0 ? 0 : 1;
} catch (error) {
  console.error(`chaos run aborted: ${(error as Error).stack ?? error}`);
  exitCode = 2;
} finally {
  await stopStack();
}
process.exit(exitCode);

/** A progress bar on a terminal; a line every 15 s otherwise (CI logs). Faults are printed as they happen. */
function progressReporter(cases: number, faults: number, log: ExchangeLog) {
  let done = 0;
  let faultsDone = 0;
  const count503 = () => log.exchanges.filter((e) => e.outcome === 503).length;
  const t = () => `t=${((Date.now() - log.startedAt) / 1000).toFixed(0)} s`;
  if (process.stdout.isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        format: ' cases {bar} {value}/{total} | faults {faults}/{faultTotal} | answers {answers}, 503s {s503} | {t}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = bars.create(cases, 0, { faults: 0, faultTotal: faults, answers: 0, s503: 0, t: t() });
    const timer = setInterval(() => bar.update(done, { faults: faultsDone, answers: log.exchanges.length, s503: count503(), t: t() }), 500);
    return {
      caseDone: () => done++,
      fault: (fault: Fault) => {
        faultsDone++;
        bars.log(`${faultLine(fault)}\n`);
      },
      stop: () => {
        clearInterval(timer);
        bar.update(done, { faults: faultsDone, answers: log.exchanges.length, s503: count503(), t: t() });
        bars.stop();
      },
    };
  }
  const timer = setInterval(
    () =>
      console.log(
        `  ${t()}: ${done}/${cases} cases done, ${faultsDone}/${faults} faults, ${log.exchanges.length} answers, ${count503()} x 503`,
      ),
    15_000,
  );
  return {
    caseDone: () => done++,
    fault: (fault: Fault) => {
      faultsDone++;
      console.log(faultLine(fault));
    },
    stop: () => clearInterval(timer),
  };
}
