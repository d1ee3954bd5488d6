/** `/v1/alerts`: the inbox query, acknowledging and snoozing, and the alert as answered. */
import { parseDuration } from '../../domain/durations.js';
import { freeText, instant, z } from '../../domain/schemas.js';
import { booleanQuery, pageQuery } from '../pagination.js';

export const AlertListQuery = z.strictObject({
  caseNumber: z.string().max(40).optional(),
  status: z.enum(['open', 'snoozed', 'acknowledged']).optional(),
  addressedToUs: booleanQuery.optional().openapi({
    description:
      "`true`: only the alerts the reader's agency may acknowledge and snooze (addressed to it; supervisors answer for the head of office)",
  }),
  ...pageQuery,
});

export const AlertAckBody = z.strictObject({ note: freeText(1000).optional() }).openapi('AlertAcknowledgement');
export const AlertSnoozeBody = z
  .strictObject({
    for: z
      .string()
      .max(40)
      .transform((text, ctx) => {
        const parsed = parseDuration(text, { calendarUnits: false });
        if ('problem' in parsed || parsed.ms < 60_000 || parsed.ms > 86_400_000) {
          ctx.addIssue({ code: 'custom', message: 'an ISO 8601 duration of whole hours and minutes from PT1M to PT24H' });
          return z.NEVER;
        }
        // The value checked is the value applied: PostgreSQL is given milliseconds, never the text.
        return { iso: text, ms: parsed.ms };
      })
      .openapi({ type: 'string', example: 'PT4H' }),
  })
  .openapi('AlertSnooze');

export const Alert = z
  .object({
    id: z.string(),
    kind: z.enum(['sla_breach', 'sla_reminder', 'no_bed']),
    caseNumber: z.string(),
    stage: z.string(),
    step: z.string(),
    level: z.number().int(),
    recipientRole: z.string(),
    regionCode: z.string().nullable(),
    uptCode: z.string().nullable(),
    dueAt: instant.nullable(),
    createdAt: instant,
    acknowledgedAt: instant.nullable(),
    acknowledgedBy: z.string().nullable(),
    snoozedUntil: instant.nullable(),
    snoozeCount: z.number().int(),
  })
  .openapi('Alert');
