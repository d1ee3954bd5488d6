/**
 * Who may do what (api-v1.md): the role that may post each step, and the scope rule
 * that ties kab/kota agencies to their region and a UPT to the cases it holds.
 */
import type { Actor, Role } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';
import { forbidden } from './problem.js';

export type CaseAction =
  | 'intake' | 'identification' | 'address' | 'departure' | 'handover' | 'admission' | 'follow_up' | 'close';

export const ROLES_FOR: Record<CaseAction, readonly Role[]> = {
  intake: ['satpol_pp', 'dinsos_kabkota', 'dinsos_prov'],
  identification: ['dukcapil'],
  address: ['dinsos_prov', 'dinsos_kabkota'],
  departure: ['dinsos_prov'],
  handover: ['dinsos_kabkota'],
  admission: ['upt'],
  follow_up: ['dinsos_kabkota', 'upt'],
  close: ['supervisor'],
};

export function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!roles.includes(actor.role)) throw forbidden(`Role ${actor.role} may not ${what}; allowed: ${roles.join(', ')}`);
}

/** Kab/kota agencies see cases found in or returning to their region; a UPT sees the cases it holds. */
export function canSeeCase(actor: Actor, view: Pick<CaseView, 'foundRegion' | 'homeRegion' | 'upt'>): boolean {
  switch (actor.role) {
    case 'satpol_pp':
    case 'dinsos_kabkota':
      return actor.regionCode === view.foundRegion || actor.regionCode === view.homeRegion;
    case 'upt':
      return actor.uptCode !== null && actor.uptCode === view.upt;
    default:
      return true;
  }
}

/** Throws 403 when the agency's scope does not cover this step of this case. */
export function requireScope(action: CaseAction, actor: Actor, view: CaseView): void {
  const inScope = (() => {
    switch (action) {
      case 'handover':
        return actor.regionCode === view.homeRegion;
      case 'admission':
        return actor.uptCode === view.upt;
      case 'follow_up':
        return actor.role === 'upt' ? actor.uptCode === view.upt : actor.regionCode === view.homeRegion;
      default:
        return canSeeCase(actor, view);
    }
  })();
  if (!inScope) throw forbidden(`This case is outside the scope of your agency for ${action}`);
}
