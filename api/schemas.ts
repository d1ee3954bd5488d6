/**
 * Every request body and query the API accepts, as zod schemas. The same schemas validate
 * requests and generate the OpenAPI document (`/openapi.json`).
 */
import { Duration as IsoDuration } from 'luxon';
import { ALERT_RECIPIENTS, CALENDARS, NEEDS, SLA_STEPS, STAGES } from '../domain/case.js';
import { AGE_GROUPS, BED_SEXES } from '../domain/bed-class.js';
import { CaseView, freeText, instant, isoDuration as Duration, PpksType, Reason, RegionCode, z } from '../domain/schemas.js';
import { CASE_VIEW_FIELDS } from '../domain/case-view.js';
import { DEFAULT_ESCALATION, durationProblem } from '../domain/sla.js';
import { HOLIDAY_KINDS, WORKING_HOURS_ROLES, WORKING_SCHEDULES } from '../domain/working-time.js';

const unique = (values: readonly string[]) => new Set(values).size === values.length;

export const AlertAckBody = z.strictObject({ note: freeText(1000).optional() }).openapi('AlertAcknowledgement');
export const AlertSnoozeBody = z
  .strictObject({
    for: z
      .string()
      .max(40)
      .refine((text) => {
        const ms = IsoDuration.fromISO(text).toMillis();
        return ms >= 60_000 && ms <= 86_400_000;
      }, 'an ISO 8601 duration from PT1M to PT24H')
      .openapi({ example: 'PT4H' }),
  })
  .openapi('AlertSnooze');
export const WebhookBody = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2000),
    secret: z.string().min(16).max(200).openapi({ description: 'Signs every delivery (HMAC-SHA256); never returned by any endpoint' }),
  })
  .openapi('WebhookRegistration');

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const CaseListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  region: RegionCode.optional(),
  breached: booleanQuery.optional(),
  ppksType: PpksType.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const AlertListQuery = z.strictObject({
  caseNumber: z.string().max(40).optional(),
  status: z.enum(['open', 'snoozed', 'acknowledged']).optional(),
});

const EscalationRung = z
  .strictObject({
    kind: z.literal('escalation').optional().openapi({ description: 'May be left out: a rung without `kind` escalates' }),
    level: z.number().int().min(1).max(9),
    after: Duration.openapi({ description: 'How long after the due time, in the policy calendar', example: 'P1D' }),
    recipient: z.enum(ALERT_RECIPIENTS),
  })
  .openapi({ title: 'EscalationRung', description: 'Marks the case breached and raises its escalation level to `level`' });
const ReminderRung = z
  .strictObject({
    kind: z.literal('reminder'),
    atPercent: z
      .number()
      .int()
      .min(1)
      .max(99)
      .openapi({ description: "Share of the SLA's duration elapsed since the clock started, in the policy calendar", example: 50 }),
    recipient: z.enum(ALERT_RECIPIENTS),
  })
  .openapi({ title: 'ReminderRung', description: 'A heads-up before the due time; the case is not marked breached' });
// Not registered as components: an OpenAPI discriminator needs `kind` on every rung, and escalation rungs may leave it out.
const LadderRung = z.discriminatedUnion('kind', [EscalationRung, ReminderRung]);
const Anchor = z.enum(['stage_entered', 'case_opened']);

export const SlaPolicyBody = z
  .strictObject({
    duration: Duration,
    calendar: z.enum(CALENDARS),
    anchor: Anchor.optional(),
    escalation: z
      .array(LadderRung)
      .min(1)
      .max(9)
      .optional()
      .openapi({
        description: 'The ladder, at most 9 rungs: escalation levels 1, 2, 3, ... in order, and reminders',
        example: [{ kind: 'reminder', atPercent: 50, recipient: 'owner' }, ...DEFAULT_ESCALATION],
      }),
    reason: freeText(1000).optional().openapi({ description: 'Why: kept with the new version' }),
  })
  .superRefine((body, ctx) => {
    const problem = durationProblem(body.duration, body.calendar);
    if (problem) ctx.addIssue({ code: 'custom', path: ['duration'], message: problem });
    let levels = 0;
    const percents = new Set<number>();
    body.escalation?.forEach((rung, index) => {
      if (rung.kind === 'reminder') {
        if (percents.has(rung.atPercent))
          ctx.addIssue({ code: 'custom', path: ['escalation', index, 'atPercent'], message: 'another reminder is at this percentage' });
        percents.add(rung.atPercent);
        return;
      }
      const rungProblem = durationProblem(rung.after, body.calendar);
      if (rungProblem) ctx.addIssue({ code: 'custom', path: ['escalation', index, 'after'], message: rungProblem });
      levels += 1;
      if (rung.level !== levels)
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', index, 'level'],
          message: 'escalation levels must run 1, 2, 3, ... in order (reminders have none)',
        });
    });
    // Reminders alone would let a step run late without the case ever showing it.
    if (body.escalation && levels === 0)
      ctx.addIssue({ code: 'custom', path: ['escalation'], message: 'needs an escalation rung (level 1)' });
  })
  .openapi('SlaPolicyChange');

export const SlaStepParam = z.enum(SLA_STEPS);
export const SlaPolicyVersionsQuery = z.strictObject({
  ppksType: PpksType.optional().openapi({ description: "The PPKS type's override; without it, the step's default" }),
});
export const SlaPolicyRemovalBody = z
  .strictObject({ reason: freeText(1000).optional().openapi({ description: 'Why: kept with the removal' }) })
  .openapi('SlaPolicyRemoval');

// --- repeat clients --------------------------------------------------------------------

export const CaseMatchBody = z
  .strictObject({
    caseNumber: z
      .string()
      .regex(/^\d{4}-\d{4}-\d{6}$/, 'a case number')
      .openapi({ example: '3578-2026-000001', description: 'The other case of the pair' }),
    decision: z.enum(['confirmed', 'rejected']),
    reason: Reason,
  })
  .openapi('MatchDecision');
export const CaseMatch = z
  .object({
    caseNumber: z.string().openapi({ description: 'The later case of the pair' }),
    otherCaseNumber: z.string().openapi({ description: 'The earlier case' }),
    score: z.number(),
    reasons: z.array(z.string()),
    decision: z.enum(['confirmed', 'rejected']),
    decidedBy: z.string(),
    decidedAt: instant,
  })
  .openapi('CaseMatch');

// --- working-time calendars -------------------------------------------------------------

export const HolidayDateParam = z.iso.date().openapi({ example: '2026-08-17', description: 'The day, YYYY-MM-DD (Asia/Jakarta)' });
export const HolidayListQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const HolidayBody = z
  .strictObject({
    name: freeText(200).openapi({ example: 'Proklamasi Kemerdekaan' }),
    kind: z.enum(HOLIDAY_KINDS),
    legalBasis: freeText(500).openapi({ description: "The decree that sets the day, e.g. that year's SKB 3 Menteri" }),
  })
  .openapi('HolidayChange');

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const TimeOfDay = z.string().regex(TIME_OF_DAY, 'must be a time of day HH:MM').openapi({ example: '08:00' });
const OFFICE_FIELDS = ['days', 'opens', 'closes'] as const;
export const WorkingHoursRoleParam = z.enum(WORKING_HOURS_ROLES);
export const WorkingHoursBody = z
  .strictObject({
    schedule: z.enum(WORKING_SCHEDULES),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .optional()
      .openapi({ description: 'ISO weekdays, 1 = Monday', example: [1, 2, 3, 4, 5] }),
    opens: TimeOfDay.optional(),
    closes: TimeOfDay.optional(),
  })
  .superRefine((body, ctx) => {
    for (const field of OFFICE_FIELDS) {
      if (body.schedule === 'round_the_clock' && body[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'not used with round_the_clock' });
      if (body.schedule === 'office_hours' && body[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required for office_hours' });
    }
    if (body.days && new Set(body.days).size !== body.days.length)
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'must not repeat a day' });
    // Valid HH:MM times compare as text (a malformed one is reported above); no shifts over midnight.
    const times = [body.opens, body.closes].filter((time) => time !== undefined && TIME_OF_DAY.test(time));
    if (times.length === 2 && times[0]! >= times[1]!) ctx.addIssue({ code: 'custom', path: ['closes'], message: 'must be after opens' });
  })
  .openapi('WorkingHoursChange');

// --- responses (documentation only) -----------------------------------------------------

/** What GET of one case and every step answer: the full view (the person unmasked). */
export const FullCase = CaseView.omit({ personMasked: true }).openapi('CaseView');

const LISTED = Object.fromEntries(
  Object.entries(CASE_VIEW_FIELDS).flatMap(([field, disclosure]) => (disclosure === 'listed' ? [[field, true]] : [])),
);
/** A case in a list: only the fields named safe (domain/case-view.ts), the person masked. */
export const ListedCase = CaseView.pick(LISTED as { [F in keyof typeof CASE_VIEW_FIELDS]?: true }).openapi('ListedCase', {
  description: 'A case in a list: only the fields named safe, the person masked (initials, last 4 NIK digits)',
});

/** GET of one case: the case view, and what the person's other cases say (api/case-links.ts). */
export const CaseDetail = FullCase.extend({
  possibleMatches: z.array(z.object({ caseNumber: z.string(), score: z.number().min(0).max(1), reasons: z.array(z.string()) })).openapi({
    description: 'Cases that may be the same person, undecided, best first (a NIK scores 1); only those the reader may read',
  }),
  linkedCases: z
    .array(z.object({ caseNumber: z.string(), repatriatedOn: z.iso.date().nullable() }))
    .openapi({ description: 'Cases a supervisor confirmed as the same person; only those the reader may read' }),
  repatriatedBefore: z
    .object({
      caseNumber: z.string().nullable().openapi({ description: 'Null when the reader may not read that case' }),
      on: z.iso.date(),
    })
    .nullable()
    .openapi({ description: 'The person was repatriated before (once-per-lifetime help)' }),
}).openapi('CaseDetail');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

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

const BedClassKey = {
  sex: z.enum(BED_SEXES).openapi({ description: 'A person of unknown sex may take a bed of either sex' }),
  ageGroup: z.enum(AGE_GROUPS).openapi({ description: 'child under 18, adult 18-59, elderly 60+ (by estimated age)' }),
};
export const Upt = z
  .object({
    code: z.string(),
    name: z.string(),
    city: z.string(),
    regionCode: z.string().nullable(),
    serves: z.array(PpksType),
    needs: z
      .array(z.enum(NEEDS))
      .openapi({ description: 'Needs the UPT cares for; a person is placed only where every need of theirs is served' }),
    capacity: z.number().int().openapi({ description: 'All beds: the sum of `capacityByClass`' }),
    capacityReported: z.boolean(),
    capacityByClass: z.array(z.object({ ...BedClassKey, beds: z.number().int(), occupied: z.number().int(), reserved: z.number().int() })),
    occupied: z.number().int(),
    reserved: z.number().int(),
    waiting: z
      .number()
      .int()
      .openapi({ description: 'Cases waiting for a bed that this UPT could serve (they may wait for other UPTs too)' }),
    version: z.number().int(),
  })
  .openapi('Upt');

export const UptCodeParam = z
  .string()
  .regex(/^[a-z0-9_]{1,100}$/, 'a UPT code')
  .openapi({ example: 'upt_pstw_magetan' });
export const UptBody = z
  .strictObject({
    name: freeText(200).optional(),
    regionCode: RegionCode.nullable().optional(),
    serves: z.array(PpksType).min(1).refine(unique, 'must not repeat a PPKS type'),
    needs: z.array(z.enum(NEEDS)).refine(unique, 'must not repeat a need'),
    capacity: z
      .array(z.strictObject({ ...BedClassKey, beds: z.number().int().min(0).max(5000) }))
      .min(1)
      .refine((classes) => unique(classes.map((c) => `${c.sex}/${c.ageGroup}`)), 'must not repeat a sex and age group')
      .openapi({ description: 'Every bed class the UPT has; a class left out has no beds' }),
  })
  .openapi('UptChange');

export const UptChangeResult = Upt.extend({
  overCapacity: z
    .array(z.object({ ...BedClassKey, beds: z.number().int(), occupied: z.number().int(), reserved: z.number().int() }))
    .openapi({
      description: 'Classes now holding more people than beds: allowed, no one is moved, the class takes no one until beds free up',
    }),
}).openapi('UptChangeResult');

export const SlaPolicy = z
  .object({
    step: z.enum(SLA_STEPS),
    ppksType: PpksType.nullable().openapi({ description: "The type this policy overrides the step's default for; null for the default" }),
    duration: z.string(),
    calendar: z.enum(CALENDARS),
    anchor: Anchor,
    escalation: z.array(LadderRung),
    version: z.number().int(),
    updatedAt: instant,
    updatedBy: z.string().nullable(),
  })
  .openapi('SlaPolicy');

export const SlaPolicyVersion = z
  .object({
    step: z.enum(SLA_STEPS),
    ppksType: PpksType.nullable(),
    version: z.number().int(),
    removed: z.boolean().openapi({ description: 'The override was removed (the default applies again): no settings' }),
    duration: z.string().nullable(),
    calendar: z.enum(CALENDARS).nullable(),
    anchor: Anchor.nullable(),
    escalation: z.array(LadderRung).nullable(),
    createdAt: instant,
    createdBy: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi('SlaPolicyVersion');

export const AuditEntry = z
  .object({
    seq: z.number().int(),
    entryKey: z.string().openapi({ description: 'The Update ID of the step (or the key of the change)' }),
    caseNumber: z.string().nullable(),
    action: z.string().openapi({ example: 'case.identification' }),
    agencyId: z.string(),
    role: z.string(),
    requestId: z.string().nullable(),
    requestHash: z.string().openapi({ description: 'SHA-256 of the action, case and validated request body' }),
    at: instant,
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    rowHash: z.string(),
  })
  .openapi('AuditEntry');

export const AccessLogEntry = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    agencyId: z.string(),
    role: z.string(),
    endpoint: z.string(),
    requestId: z.string(),
    at: instant,
  })
  .openapi('AccessLogEntry');

export const Webhook = z
  .object({ id: z.string(), url: z.string(), createdAt: instant, createdBy: z.string() })
  .openapi('Webhook', { description: 'A registered webhook; its secret is never returned' });

export const WebhookListItem = Webhook.extend({
  disabledAt: instant.nullable(),
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
}).openapi('WebhookListItem');

export const WebhookDelivery = z
  .object({
    alertId: z.string(),
    caseNumber: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'A short reason (`HTTP 500`, `ECONNREFUSED`, `webhook disabled`), never a response body' }),
    lastAttemptAt: instant.nullable(),
    deliveredAt: instant.nullable(),
  })
  .openapi('WebhookDelivery');

export const Holiday = z
  .object({
    date: z.string().openapi({ example: '2026-08-17' }),
    name: z.string(),
    kind: z.enum(HOLIDAY_KINDS),
    legalBasis: z.string(),
    version: z.number().int(),
    updatedAt: instant,
    updatedBy: z.string().nullable(),
  })
  .openapi('Holiday');

export const WorkingHours = z
  .object({
    role: z.enum(WORKING_HOURS_ROLES),
    schedule: z.enum(WORKING_SCHEDULES),
    days: z.array(z.number().int()).nullable(),
    opens: z.string().nullable(),
    closes: z.string().nullable(),
    version: z.number().int(),
    updatedAt: instant,
    updatedBy: z.string().nullable(),
  })
  .openapi('WorkingHours');

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const thisMonth = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
export const StatsQuery = z
  .strictObject({
    from: Month.default(() => `${Number(thisMonth().slice(0, 4)) - 1}${thisMonth().slice(4)}`),
    to: Month.default(thisMonth),
  })
  .refine((query) => query.from <= query.to, { path: ['from'], message: 'must not be after `to`' });

const StageMeasures = {
  month: z.string(),
  stage: z.enum(STAGES),
  stays: z.number().int(),
  completed: z.number().int(),
  avgHours: z.number().nullable(),
  avgActiveHours: z.number().nullable().openapi({ description: 'Average time in the stage without paused time' }),
  pausedHours: z.number().nullable(),
  breached: z.number().int(),
  breachRate: z.number(),
};
export const Stats = z
  .object({
    from: z.string(),
    to: z.string(),
    stages: z.array(z.object(StageMeasures)),
    byOwnerRole: z.array(z.object({ ...StageMeasures, ownerRole: z.string().nullable() })),
    byFoundRegion: z.array(z.object({ ...StageMeasures, foundRegion: z.string() })),
    repatriationsByMonth: z
      .array(z.object({ month: z.string(), repatriations: z.number().int() }))
      .openapi({ description: 'Handovers to the home kab/kota Dinsos, by month of handover (the 2024 baseline is about 160 a month)' }),
    occupancyByMonth: z
      .array(
        z.object({
          month: z.string(),
          uptCode: z.string(),
          admitted: z.number().int(),
          released: z.number().int(),
          occupiedAtMonthEnd: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Per UPT with anyone in a bed that month: admissions, releases of admitted people, and beds occupied at the end of the month',
      }),
  })
  .openapi('Stats');

export const SlaPolicyRolloutBody = z
  .strictObject({ ppksType: PpksType.optional().openapi({ description: 'Only the running cases of this PPKS type' }) })
  .openapi('SlaPolicyRollout');
