/**
 * Reminders and snoozing: acknowledging an alert of an SLA clock stops that clock's reminders to
 * the same recipient (the escalation ladder goes on); a snooze hides an open alert for a while,
 * twice at most, and is audited.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { AlertRequest } from '../../activities/database/alerts.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

let service: RunningService;
let dukcapil: ReturnType<typeof agencyClient>;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  service = await startService();
  dukcapil = agencyClient(service.baseUrl, await service.keyFor({ name: 'Reminder Dukcapil', role: 'dukcapil' }));
  activities = createActivities(service.pool, { temporal: service.temporal, taskQueue: service.taskQueue });
});

afterAll(async () => {
  await service?.stop();
});

const alertOf = (clockKey: string, rung: string, kind: AlertRequest['kind'], recipientRole = 'dukcapil'): AlertRequest => ({
  alertKey: `${clockKey}${rung}`,
  kind,
  caseNumber: '3578-2026-777777',
  stage: 'identification',
  step: 'identification',
  level: kind === 'sla_reminder' ? 0 : 1,
  recipientRole,
  regionCode: null,
  uptCode: null,
  dueAt: null,
});

describe('reminders', () => {
  it('stop once the recipient acknowledged an alert of the same clock, and not for others', async () => {
    const clockKey = `case-test-${randomUUID()}/sla-1/identification/`;
    const first = await activities.remindOwner({ ...alertOf(clockKey, 'reminder-0', 'sla_reminder'), clockKey });
    expect(first).toHaveProperty('alertId');
    const acknowledged = await dukcapil.post(`/v1/alerts/${'alertId' in first ? first.alertId : ''}/ack`, {});
    expect(acknowledged.status).toBe(200);

    expect(await activities.remindOwner({ ...alertOf(clockKey, 'reminder-1', 'sla_reminder'), clockKey })).toEqual({ skipped: true });
    expect(await activities.remindOwner({ ...alertOf(clockKey, 'reminder-1s', 'sla_reminder', 'supervisor'), clockKey })).toHaveProperty(
      'alertId',
    );
    // The ladder is not a reminder: it is raised whatever was acknowledged.
    expect(await activities.raiseAlert(alertOf(clockKey, 'level-1', 'sla_breach'))).toHaveProperty('alertId');
    const otherClock = `case-test-${randomUUID()}/sla-2/identification/`;
    expect(await activities.remindOwner({ ...alertOf(otherClock, 'reminder-0', 'sla_reminder'), clockKey: otherClock })).toHaveProperty(
      'alertId',
    );
  });
});

describe('snoozing an alert', () => {
  it('hides it from the open inbox until then, twice at most, and is audited', async () => {
    const { alertId } = await activities.raiseAlert(alertOf(`case-test-${randomUUID()}/sla-1/identification/`, 'level-1', 'sla_breach'));
    const openIds = async (status: string) =>
      (await dukcapil.get(`/v1/alerts?status=${status}&caseNumber=3578-2026-777777`)).body.items.map((a: { id: string }) => a.id);
    expect(await openIds('open')).toContain(alertId);

    const snoozed = await dukcapil.post(`/v1/alerts/${alertId}/snooze`, { for: 'PT4H' });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toMatchObject({ id: alertId, snoozeCount: 1 });
    expect(new Date(snoozed.body.snoozedUntil).getTime() - Date.now()).toBeGreaterThan(3.9 * 3_600_000);
    expect(await openIds('open')).not.toContain(alertId);
    expect(await openIds('snoozed')).toContain(alertId);

    expect((await dukcapil.post(`/v1/alerts/${alertId}/snooze`, { for: 'PT1M' })).status).toBe(200);
    const third = await dukcapil.post(`/v1/alerts/${alertId}/snooze`, { for: 'PT1M' });
    expect(third.status).toBe(409);
    const tooLong = await dukcapil.post(`/v1/alerts/${alertId}/snooze`, { for: 'P2D' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].path).toBe('for');

    const { rows } = await service.pool.query(
      `SELECT entry_key FROM audit_log WHERE action = 'alert.snooze' AND details->>'alertId' = $1 ORDER BY seq`,
      [alertId],
    );
    expect(rows.map((row) => row.entry_key)).toEqual([`alert/${alertId}/snooze-1`, `alert/${alertId}/snooze-2`]);
  });

  it('refuses an acknowledged alert', async () => {
    const { alertId } = await activities.raiseAlert(alertOf(`case-test-${randomUUID()}/sla-1/identification/`, 'level-1', 'sla_breach'));
    expect((await dukcapil.post(`/v1/alerts/${alertId}/ack`, {})).status).toBe(200);
    expect((await dukcapil.post(`/v1/alerts/${alertId}/snooze`, { for: 'PT1H' })).status).toBe(409);
  });
});
