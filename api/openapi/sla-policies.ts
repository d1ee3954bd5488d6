/** The documented SLA policy routes: defaults and overrides, their versions, and rolling a policy out to running cases. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { SLA_STEPS } from '../../domain/case.js';
import { PpksType, z } from '../../domain/schemas.js';
import {
  SlaPolicy,
  SlaPolicyBody,
  SlaPolicyRemovalBody,
  SlaPolicyRolloutBody,
  SlaPolicyVersion,
  SlaPolicyVersionsQuery,
} from '../schemas/sla-policies.js';
import { ifMatch, items, json, ok, preconditionFailed, problem, route, versioned } from './common.js';

export const slaPolicyRoutes: RouteConfig[] = [
  route('sla_policy.list', {
    summary: 'SLA policies in force: the default of each step (`ppksType` null) and its overrides per PPKS type',
    responses: ok('Policies', items(SlaPolicy)),
  }),
  route('sla_policy.read', {
    summary: "A step's default SLA, with its ETag",
    request: { params: z.object({ step: z.enum(SLA_STEPS) }) },
    responses: versioned('The policy in force', SlaPolicy, { 404: problem('No policy for that step') }),
  }),
  route('sla_policy.change', {
    summary: "Change a step's default SLA; a new version, applied to clocks started afterwards",
    request: { params: z.object({ step: z.enum(SLA_STEPS) }), headers: ifMatch, body: json(SlaPolicyBody) },
    responses: versioned('The new policy version', SlaPolicy, { 412: preconditionFailed }),
  }),
  route('sla_policy.override_read', {
    summary: "A step's SLA for one PPKS type, with its ETag",
    request: { params: z.object({ step: z.enum(SLA_STEPS), ppksType: PpksType }) },
    responses: versioned('The override in force', SlaPolicy, { 404: problem('No override for that type') }),
  }),
  route('sla_policy.override_change', {
    summary: "Create or change a step's SLA for one PPKS type; a new version, applied to clocks started afterwards",
    description:
      "A new override takes `anchor` and `escalation`, when left out, from the step's default. With If-Match, only changes the override at that version (never creates one).",
    request: { params: z.object({ step: z.enum(SLA_STEPS), ppksType: PpksType }), headers: ifMatch, body: json(SlaPolicyBody) },
    responses: versioned('The new policy version', SlaPolicy, { 412: preconditionFailed }),
  }),
  route('sla_policy.override_remove', {
    summary: "Remove a PPKS type's override: the step's default applies again to clocks started afterwards",
    description: 'Recorded as a version with `removed: true`; a later override continues the count.',
    request: {
      params: z.object({ step: z.enum(SLA_STEPS), ppksType: PpksType }),
      body: { ...json(SlaPolicyRemovalBody), required: false },
    },
    responses: { 204: { description: 'Removed' }, 404: problem('No override for that type') },
  }),
  route('sla_policy.versions', {
    summary: "Every version of a step's default, or of one PPKS type's override, oldest first",
    request: { params: z.object({ step: z.enum(SLA_STEPS) }), query: SlaPolicyVersionsQuery },
    responses: ok('Versions', items(SlaPolicyVersion)),
  }),
  route('sla_policy.apply', {
    summary: 'Put the cases whose clock for this step is running under the policy in force now',
    description:
      "Counted from each clock's start, keeping its pauses and extensions; alerts already raised stand. Keyed on the policy version: applying it twice changes nothing.",
    request: { params: z.object({ step: z.enum(SLA_STEPS) }), body: { ...json(SlaPolicyRolloutBody), required: false } },
    responses: {
      200: {
        description: 'Cases updated, those skipped because their clock moved on, and those that did not answer in time (apply again)',
        ...json(
          z.object({
            step: z.enum(SLA_STEPS),
            ppksType: z.string().nullable(),
            applied: z.array(z.string()),
            skipped: z.array(z.object({ caseNumber: z.string(), reason: z.string() })),
            unreachable: z.array(z.string()),
          }),
        ),
      },
    },
  }),
];
