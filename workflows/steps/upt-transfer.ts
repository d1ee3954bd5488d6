/**
 * Moving a person's UPT place to another UPT (a reserved bed, or a resident in follow-up):
 * the bed moves only if the other UPT takes the case and has a bed of its class free; a refusal
 * is recorded as such and the case keeps its place.
 */
import { activities } from '../activities.js';
import { bedRequestOf, type CaseState, isClosed, recordStep } from '../case-state.js';
import type { RulesOf } from './rules.js';

export const uptTransfer = (c: CaseState): RulesOf<'transferUpt'> => ({
  transferUpt: {
    allowedWhen: () =>
      !isClosed(c) &&
      c.view.upt !== null &&
      !c.transferring &&
      !c.lapsing &&
      (c.view.stage === 'follow_up' || (c.view.stage === 'placement' && !c.admitted)),
    problem: ({ toUpt }) => (toUpt === c.view.upt ? `the case is already placed in ${toUpt}` : null),
    apply: () => {
      c.transferring = true;
    },
    complete: async ({ input, actor }) => {
      const from = c.view.upt!;
      const outcome = await activities.transferBed({ ...bedRequestOf(c), toUpt: input.toUpt });
      c.transferring = false;
      if (outcome.transferred) {
        c.view.upt = input.toUpt;
        recordStep(c, {
          outcome: 'transferred',
          by: actor.agencyId,
          details: { fromUpt: from, toUpt: input.toUpt },
          remarks: input.reason,
        });
      } else {
        recordStep(c, {
          outcome: 'transfer_refused',
          by: actor.agencyId,
          details: { toUpt: input.toUpt, why: outcome.reason },
          remarks: input.reason,
        });
      }
    },
  },
});
