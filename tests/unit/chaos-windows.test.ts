/** The rules the chaos run holds the 503s and the faults to (chaos/windows.ts, chaos/faults.ts, chaos/bed-history.ts). */
import { describe, expect, it } from 'vitest';
import { addSample, emptyHistory, reservedTwice } from '../../chaos/bed-history.js';
import { planFaults } from '../../chaos/faults.js';
import {
  attribute,
  explains,
  killThatHeld,
  outageEndOf,
  lagAfterFault,
  requestsInFlight,
  stepsInFlight,
  type FaultSpan,
} from '../../chaos/windows.js';

const kill: FaultSpan = { kind: 'worker_kill', startedAtMs: 10_000, endedAtMs: 15_000 };
const restart: FaultSpan = { kind: 'temporal_restart', startedAtMs: 40_000, endedAtMs: 52_000 };

describe('which 503s a fault explains', () => {
  it('a request in flight during the fault or sent within the grace after it', () => {
    expect(explains(restart, { at: 42_000, ms: 100 }, 5_000)).toBe(true);
    // Sent before the fault, answered during it.
    expect(explains(restart, { at: 35_000, ms: 6_000 }, 5_000)).toBe(true);
    // Sent within the grace, answered after the API's 10 s deadline.
    expect(explains(restart, { at: 56_900, ms: 10_000 }, 5_000)).toBe(true);
    expect(explains(restart, { at: 57_100, ms: 100 }, 5_000)).toBe(false);
    expect(explains(restart, { at: 35_000, ms: 4_000 }, 5_000)).toBe(false);
  });

  it('a worker kill lasts until the new worker is ready or Temporal has stopped sending to the killed one (10 s), the later', () => {
    // Ready 5 s after the kill: the sticky queue of the killed worker is still served for 10 s.
    expect(outageEndOf(kill)).toBe(20_000);
    expect(explains(kill, { at: 24_900, ms: 10_000 }, 5_000)).toBe(true);
    expect(explains(kill, { at: 25_100, ms: 100 }, 5_000)).toBe(false);
    // Ready after 14 s: that is the end.
    expect(outageEndOf({ ...kill, endedAtMs: 24_000 })).toBe(24_000);
    expect(outageEndOf(restart)).toBe(52_000);
  });

  it('a 503 no fault explains is left over, and fails the run', () => {
    const requests = [
      { at: 11_000, ms: 50 },
      { at: 30_000, ms: 50 },
      { at: 45_000, ms: 10_000 },
    ];
    const { perFault, unexplained } = attribute([kill, restart], requests, { graceMs: 5_000 });
    expect(perFault.map((r) => r.length)).toEqual([1, 1]);
    expect(unexplained).toEqual([{ at: 30_000, ms: 50 }]);
    // With the 35 s window of before, the same 503 passed.
    expect(attribute([kill, restart], requests, { graceMs: 35_000 }).unexplained).toEqual([]);
  });

  it('a case the worker kill hit may wait on the activity the killed worker held, up to its timeout', () => {
    const hit = { at: 11_000, ms: 10_000, requestId: 'chaos-r-c51-s1' };
    const later = { at: 26_000, ms: 10_000, requestId: 'chaos-r-c51-s1' };
    const other = { at: 26_000, ms: 10_000, requestId: 'chaos-r-c52-s3' };
    const tooLate = { at: 46_000, ms: 10_000, requestId: 'chaos-r-c51-s2' };
    const { perFault, held, unexplained } = attribute([kill], [later, other, tooLate], {
      graceMs: 5_000,
      heldMs: 30_000,
      all: [hit, later, other, tooLate],
    });
    expect(held).toEqual([later]);
    expect(perFault[0]).toEqual([later]);
    expect(unexplained).toEqual([other, tooLate]);
    // Without the rule, the case's later 503 is outside.
    expect(attribute([kill], [later], { graceMs: 5_000, all: [hit, later] }).unexplained).toEqual([later]);
    // A restart holds no activity.
    expect(
      attribute([restart], [{ ...later, at: 60_000 }], { graceMs: 5_000, heldMs: 30_000, all: [{ ...hit, at: 41_000 }, later] }).held,
    ).toEqual([]);
  });

  it('a case whose history shows work timing out after the kill was hit too, though none of its requests was in flight', () => {
    // A case with nothing in flight at the kill whose next step, sent after the kill's outage and
    // grace, waits on an activity the killed worker held until its timeout.
    const next = { at: 26_200, ms: 10_000, requestId: 'chaos-r-c7-s4' };
    const rules = { graceMs: 5_000, heldMs: 30_000, all: [next] };
    expect(attribute([kill], [next], rules).unexplained).toEqual([next]);
    const timedOut = attribute([kill], [next], { ...rules, timeouts: new Map([['chaos-r-c7', [36_000]]]) });
    expect(timedOut.held).toEqual([next]);
    // Work that timed out before the kill, or long after it, is not the kill's.
    expect(attribute([kill], [next], { ...rules, timeouts: new Map([['chaos-r-c7', [9_000, 46_000]]]) }).unexplained).toEqual([next]);
    // Another case's timeout explains nothing here.
    expect(attribute([kill], [next], { ...rules, timeouts: new Map([['chaos-r-c8', [36_000]]]) }).unexplained).toEqual([next]);
  });

  it('the kill that held the work: the latest worker kill before the timeout, within the held time and the grace', () => {
    const second: FaultSpan = { kind: 'worker_kill', startedAtMs: 30_000, endedAtMs: 34_000 };
    expect(killThatHeld([kill, restart, second], 12_000, 30_000, 5_000)).toBe(0);
    expect(killThatHeld([kill, second], 36_000, 30_000, 5_000)).toBe(1);
    expect(killThatHeld([kill, restart], 45_000, 30_000, 5_000)).toBe(0);
    expect(killThatHeld([kill, restart], 45_001, 30_000, 5_000)).toBe(-1);
    expect(killThatHeld([restart], 41_000, 30_000, 5_000)).toBe(-1);
  });

  it('how long after its fault a request was sent', () => {
    expect(lagAfterFault([kill, restart], { at: 23_000, ms: 10 })).toBe(3_000);
    expect(lagAfterFault([kill, restart], { at: 45_000, ms: 10 })).toBe(-7_000);
    expect(lagAfterFault([kill], { at: 1_000, ms: 10 })).toBeNull();
  });
});

describe('what a fault hit', () => {
  it('counts the requests and the steps in flight while it lasted', () => {
    const requests = [
      { at: 9_000, ms: 2_000 },
      { at: 14_000, ms: 10 },
      { at: 16_000, ms: 10 },
    ];
    expect(requestsInFlight(kill, requests)).toBe(2);
    const steps = [
      { sentAtMs: 8_000, answeredAtMs: 12_000 },
      { sentAtMs: 9_000, answeredAtMs: null },
      { sentAtMs: 1_000, answeredAtMs: 2_000 },
      { sentAtMs: 11_000, answeredAtMs: 12_000 },
      { sentAtMs: 16_000, answeredAtMs: 17_000 },
    ];
    expect(stepsInFlight(kill, steps)).toBe(3);
    expect(stepsInFlight(restart, steps)).toBe(1);
    expect(requestsInFlight(restart, requests)).toBe(0);
  });
});

describe('the fault plan', () => {
  it('puts the restarts between the kills, evenly over the window', () => {
    const plan = planFaults({ workerKills: 3, temporalRestarts: 1, postgresRestarts: 1, faultStartMs: 6_000, faultWindowMs: 40_000 });
    expect(plan.map((p) => p.kind)).toEqual(['worker_kill', 'temporal_restart', 'worker_kill', 'postgres_restart', 'worker_kill']);
    expect(plan.map((p) => p.atMs)).toEqual([10_000, 18_000, 26_000, 34_000, 42_000]);
  });

  it('keeps every fault of the full run', () => {
    const plan = planFaults({ workerKills: 10, temporalRestarts: 1, postgresRestarts: 1, faultStartMs: 10_000, faultWindowMs: 180_000 });
    expect(plan).toHaveLength(12);
    expect(plan.filter((p) => p.kind === 'worker_kill')).toHaveLength(10);
    const temporal = plan.findIndex((p) => p.kind === 'temporal_restart');
    const postgres = plan.findIndex((p) => p.kind === 'postgres_restart');
    expect(temporal).toBeGreaterThan(0);
    expect(postgres).toBeGreaterThan(temporal + 1);
    expect(postgres).toBeLessThan(11);
    expect(plan.at(-1)!.atMs).toBeLessThanOrEqual(190_000);
  });

  it('runs without faults', () => {
    expect(planFaults({ workerKills: 0, temporalRestarts: 0, postgresRestarts: 0, faultStartMs: 0, faultWindowMs: 1 })).toEqual([]);
  });
});

describe('the beds over the run', () => {
  it('finds a case reserved twice although the table keeps one row per case', () => {
    const history = emptyHistory();
    const bed = (reservedAt: string, status = 'reserved') => ({ case_number: 'C1', upt_code: 'upt_a', status, reserved_at: reservedAt });
    addSample(history, [bed('T1')], [], 0);
    addSample(history, [bed('T1', 'released')], [], 500);
    expect(reservedTwice(history)).toEqual([]);
    addSample(history, [bed('T2')], [], 1000);
    expect(reservedTwice(history)).toEqual([['C1', ['upt_a at T1', 'upt_a at T2']]]);
  });

  it('keeps a bed class seen over its capacity, at its worst', () => {
    const history = emptyHistory();
    const cls = (live: number) => ({ upt_code: 'upt_k', sex: 'F', age_group: 'adult', beds: 3, live });
    addSample(history, [], [cls(3)], 0);
    expect(history.overbooked.size).toBe(0);
    addSample(history, [], [cls(4)], 500);
    addSample(history, [], [cls(5)], 1000);
    addSample(history, [], [cls(3)], 1500);
    expect(history.overbooked.get('upt_k F/adult')).toEqual({ beds: 3, live: 5, atMs: 1000 });
  });
});
