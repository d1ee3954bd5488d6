/**
 * Who may do what, written out by hand for the access-matrix test: an oracle that does not come
 * from api/access.ts, so a wrong grant there fails the test instead of agreeing with itself.
 * One line per action, one word per role in this order, `-` for refused.
 */
import type { Actor } from '../../domain/case.js';

const ROLE_ORDER = ['satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'dinkes', 'supervisor', 'auditor'] as const;

// prettier-ignore
const EXPECTED: Record<string, string> = {
  'case.intake':                 'found_region  found_region  -    any  -        -    -    -',
  'case.list':                   'in_region     in_region     any  any  own_upt  any  any  any',
  'case.read':                   'in_region     in_region     any  any  own_upt  any  any  any',
  'case.health_referral':        '-             -             -    -    -        any  -    -',
  'case.health_discharge':       '-             -             -    -    -        any  -    -',
  'case.identification':         '-             -             any  -    -        -    -    -',
  'case.address':                '-             in_region     -    any  -        -    -    -',
  'case.departure':              '-             -             -    any  -        -    -    -',
  'case.handover':               '-             home_region   -    owner -       -    -    -',
  'case.relay_departure':        '-             -             -    any  -        -    -    -',
  'case.relay_handover':         '-             -             -    any  -        -    -    -',
  'case.admission':              '-             -             -    -    own_upt  -    -    -',
  'case.transfer':               '-             -             -    any  -        -    any  -',
  'case.follow_up':              '-             owner         -    -    owner    -    -    -',
  'case.close':                  '-             -             -    -    -        -    any  -',
  'case.pause':                  '-             -             -    -    -        -    any  -',
  'case.resume':                 '-             -             -    -    -        -    any  -',
  'case.sla_extension':          '-             -             -    -    -        -    any  -',
  'case.reassignment':           '-             -             -    -    -        -    any  -',
  'case.move_on':                '-             -             -    -    -        -    any  -',
  'case.reopen':                 '-             -             -    -    -        -    any  -',
  'case.audit':                  '-             -             -    -    -        -    any  any',
  'case.access_log':             '-             -             -    -    -        -    -    any',
  'case.match':                  '-             -             -    -    -        -    any  -',
  'alert.list':                  'inbox         inbox         inbox any inbox    inbox any  any',
  'alert.ack':                   'inbox         inbox         inbox inbox inbox  inbox inbox -',
  'alert.snooze':                'inbox         inbox         inbox inbox inbox  inbox inbox -',
  'stats.read':                  '-             -             -    any  -        -    any  any',
  'upt.list':                    'any           any           any  any  any      any  any  any',
  'upt.read':                    'any           any           any  any  any      any  any  any',
  'upt.change':                  '-             -             -    -    -        -    any  -',
  'sla_policy.list':             '-             -             -    any  -        -    any  any',
  'sla_policy.read':             '-             -             -    any  -        -    any  any',
  'sla_policy.override_read':    '-             -             -    any  -        -    any  any',
  'sla_policy.change':           '-             -             -    -    -        -    any  -',
  'sla_policy.override_change':  '-             -             -    -    -        -    any  -',
  'sla_policy.override_remove':  '-             -             -    -    -        -    any  -',
  'sla_policy.versions':         '-             -             -    any  -        -    any  any',
  'sla_policy.apply':            '-             -             -    -    -        -    any  -',
  'holiday.list':                'any           any           any  any  any      any  any  any',
  'holiday.read':                'any           any           any  any  any      any  any  any',
  'holiday.change':              '-             -             -    -    -        -    any  -',
  'holiday.remove':              '-             -             -    -    -        -    any  -',
  'working_hours.list':          'any           any           any  any  any      any  any  any',
  'working_hours.read':          'any           any           any  any  any      any  any  any',
  'working_hours.change':        '-             -             -    -    -        -    any  -',
  'webhook.register':            '-             -             -    -    -        -    any  -',
  'webhook.list':                '-             -             -    -    -        -    any  -',
  'webhook.disable':             '-             -             -    -    -        -    any  -',
  'webhook.deliveries':          '-             -             -    -    -        -    any  -',
  'payloads.decode':             '-             -             -    -    -        -    any  -',
  'person.list':                 '-             -             -    -    -        -    any  -',
  'person.add':                  '-             -             -    -    -        -    any  -',
  'person.disable':              '-             -             -    -    -        -    any  -',
  'person.enable':               '-             -             -    -    -        -    any  -',
  'person.reset_password':       '-             -             -    -    -        -    any  -',
  'person.reset_totp':           '-             -             -    -    -        -    any  -',
};

export const EXPECTED_ACTIONS = Object.keys(EXPECTED);

/** What a case, intake or alert shows of where it belongs. */
export interface Subject {
  foundRegion?: string | null;
  homeRegion?: string | null;
  upt?: string | null;
  ownerRole?: string | null;
  recipientRole?: string;
  regionCode?: string | null;
  uptCode?: string | null;
}

/** Whether this agency may do this to this subject, by the table above. */
export function expectedAccess(actor: Actor, action: string, subject: Subject): boolean {
  const rule = EXPECTED[action]?.trim().split(/\s+/)[ROLE_ORDER.indexOf(actor.role)];
  if (rule === undefined) throw new Error(`no expectation written for ${action}`);
  const region = actor.regionCode;
  switch (rule) {
    case '-':
      return false;
    case 'any':
      return true;
    case 'found_region':
      return region === subject.foundRegion;
    case 'in_region':
      return region === subject.foundRegion || region === subject.homeRegion;
    case 'home_region':
      return region === subject.homeRegion;
    case 'own_upt':
      return actor.uptCode !== null && actor.uptCode === subject.upt;
    case 'owner':
      // The agency holding the step: a UPT for its own resident, a kab/kota Dinsos for its region's.
      if (subject.ownerRole !== actor.role) return false;
      if (actor.role === 'upt') return actor.uptCode === subject.upt;
      return actor.role === 'dinsos_kabkota' ? region === subject.homeRegion : true;
    case 'inbox': {
      // Supervisors answer for the head of office; regional and UPT inboxes hold only their own.
      const addressedTo = actor.role === 'supervisor' ? ['supervisor', 'head_of_office'] : [actor.role];
      if (!addressedTo.includes(subject.recipientRole ?? '')) return false;
      if (actor.role === 'dinsos_kabkota') return subject.regionCode === region;
      return actor.role === 'upt' ? subject.uptCode === actor.uptCode : true;
    }
    default:
      throw new Error(`unknown rule ${rule} for ${action}`);
  }
}
