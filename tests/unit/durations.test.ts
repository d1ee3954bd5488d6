/**
 * One reading of a duration: what is checked is what is applied. Durations whose parts have signs
 * or fractions are refused with a 400, never passed through to be read another way later.
 */
import { describe, expect, it } from 'vitest';
import { AlertSnoozeBody } from '../../api/schemas/alerts.js';
import { SlaPolicyBody } from '../../api/schemas/sla-policies.js';
import { parseDuration } from '../../domain/durations.js';
import { STEPS } from '../../domain/steps.js';

describe('an agency duration', () => {
  it('is whole, non-negative units', () => {
    expect(parseDuration('PT4H', { calendarUnits: false })).toMatchObject({ ms: 4 * 3_600_000 });
    expect(parseDuration('P1DT30M', { calendarUnits: false })).toMatchObject({ ms: 86_400_000 + 1_800_000 });
    for (const text of ['P10000YT-87599976H', 'PT60,5S', 'PT1.5H', 'P', 'PT', '-PT1H', 'PT1H ', 'P1DT', 'four hours']) {
      expect(parseDuration(text, { calendarUnits: true }), text).toHaveProperty('problem');
    }
  });

  it('has months and years only where they make sense', () => {
    expect(parseDuration('P1M', { calendarUnits: true })).toHaveProperty('ms');
    expect(parseDuration('P1M', { calendarUnits: false })).toEqual({
      problem: 'must count days, hours and minutes, not months, weeks or years',
    });
  });
});

describe('the bodies that carry one', () => {
  it('refuse a snooze the database would have read otherwise, and give the route the milliseconds it applies', () => {
    expect(AlertSnoozeBody.safeParse({ for: 'P10000YT-87599976H' }).success).toBe(false);
    expect(AlertSnoozeBody.safeParse({ for: 'PT60,5S' }).success).toBe(false);
    expect(AlertSnoozeBody.safeParse({ for: 'PT25H' }).success).toBe(false);
    expect(AlertSnoozeBody.parse({ for: 'PT4H' })).toEqual({ for: { iso: 'PT4H', ms: 4 * 3_600_000 } });
  });

  it('refuse an SLA policy or extension with a negative part', () => {
    expect(SlaPolicyBody.safeParse({ duration: 'P10000YT-87599976H', calendar: 'continuous' }).success).toBe(false);
    expect(SlaPolicyBody.safeParse({ duration: 'P1M', calendar: 'continuous' }).success).toBe(true);
    const extension = STEPS.extendSla.body;
    expect(extension.safeParse({ extendBy: 'P1DT-23H', reason: 'ship' }).success).toBe(false);
    expect(extension.safeParse({ extendBy: 'PT0S', reason: 'ship' }).success).toBe(false);
    expect(extension.safeParse({ extendBy: 'P1D', reason: 'ship' }).success).toBe(true);
  });
});
