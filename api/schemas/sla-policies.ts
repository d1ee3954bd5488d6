/**
 * `/v1/sla-policies`: a step's policy (duration, calendar, anchor and the escalation ladder) as
 * changed, listed, versioned and rolled out to running cases.
 */
import { ALERT_RECIPIENTS, CALENDARS, SLA_STEPS } from '../../domain/case.js';
import { freeText, instant, isoDuration as Duration, PpksType, z } from '../../domain/schemas.js';
import { DEFAULT_ESCALATION, durationProblem } from '../../domain/sla.js';
import { LAST_CHANGE } from './last-change.js';

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
export const SlaPolicyRolloutBody = z
  .strictObject({ ppksType: PpksType.optional().openapi({ description: 'Only the running cases of this PPKS type' }) })
  .openapi('SlaPolicyRollout');

// --- responses (documentation only) -----------------------------------------------------

export const SlaPolicy = z
  .object({
    step: z.enum(SLA_STEPS),
    ppksType: PpksType.nullable().openapi({ description: "The type this policy overrides the step's default for; null for the default" }),
    duration: z.string(),
    calendar: z.enum(CALENDARS),
    anchor: Anchor,
    escalation: z.array(LadderRung),
    ...LAST_CHANGE,
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
