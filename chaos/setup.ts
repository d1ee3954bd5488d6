/**
 * Before the cases run: one agency per role the paths need, the civil registry entries of the
 * people with a NIK, beds (plenty where cases are placed, few where they should race for them),
 * and a short identification SLA for one PPKS type so that alerts fire during the run.
 * Reference data goes through the API as a supervisor would change it.
 */
import { PostgresCivilRegistry } from '../activities/civil-registry/registry.js';
import type { LocalStack } from '../scripts/local-stack.js';
import { AgencyClient, type HttpSettings } from './http.js';

/** The UPT that takes gelandangan (and, as Balai PRS PMKS, psychiatric needs). */
export const PLACEMENT_UPT = 'balai_prs_pmks_sidoarjo';
/** The one UPT serving tuna_susila (women, adult): its beds are cut so that cases wait. */
export const SHORTAGE_UPT = 'upt_rsbkw_kediri';
export const SHORTAGE_TYPE = 'tuna_susila';
/** Cases of this type get a 20-second identification SLA. */
export const SHORT_SLA_TYPE = 'pengemis';
export const FOUND_REGION = '35.78';
export const HOME_REGION = '35.09';

/**
 * The short ladder: a reminder at 50 %, then level 1 at the due time, level 2 15 s and level 3
 * 30 s later. Every rung is behind a case left at identification 55 s after intake.
 */
const SHORT_SLA = {
  duration: 'PT20S',
  calendar: 'continuous',
  escalation: [
    { kind: 'reminder', atPercent: 50, recipient: 'owner' },
    { level: 1, after: 'PT0S', recipient: 'owner' },
    { level: 2, after: 'PT15S', recipient: 'supervisor' },
    { level: 3, after: 'PT30S', recipient: 'head_of_office' },
  ],
  reason: 'chaos run: breaches during the run',
} as const;
export const SHORT_SLA_ALERTS = ['reminder-50', 'level-1', 'level-2', 'level-3'];

type Role = 'satpol' | 'dukcapil' | 'prov' | 'jember' | 'uptPlacement' | 'uptShortage' | 'dinkes' | 'supervisor';
export type Agencies = Record<Role, AgencyClient>;

export async function registerAgencies(stack: LocalStack, http: HttpSettings): Promise<Agencies> {
  const as = async (label: string, role: string, scope: { regionCode?: string; uptCode?: string } = {}) =>
    new AgencyClient(label, await stack.keyFor({ name: `Chaos ${label}`, role, ...scope }), http);
  return {
    satpol: await as('Satpol PP Surabaya', 'satpol_pp', { regionCode: FOUND_REGION }),
    dukcapil: await as('Dispendukcapil', 'dukcapil'),
    prov: await as('Dinsos Jatim', 'dinsos_prov'),
    jember: await as('Dinsos Jember', 'dinsos_kabkota', { regionCode: HOME_REGION }),
    uptPlacement: await as('Balai PRS PMKS Sidoarjo', 'upt', { uptCode: PLACEMENT_UPT }),
    uptShortage: await as('RSBKW Kediri', 'upt', { uptCode: SHORTAGE_UPT }),
    dinkes: await as('Dinkes Jatim', 'dinkes'),
    supervisor: await as('Supervisor', 'supervisor'),
  };
}

/** Beds: every placement finds one in PLACEMENT_UPT; SHORTAGE_UPT keeps `shortageBeds`. */
export async function prepareBeds(supervisor: AgencyClient, placementBeds: number, shortageBeds: number): Promise<void> {
  const upts = await supervisor.get('/v1/upts');
  const current = (code: string) => {
    const upt = upts.body.items.find((item: { code: string }) => item.code === code);
    if (!upt) throw new Error(`UPT ${code} is not in the registry`);
    return upt as { serves: string[]; needs: string[] };
  };
  const change = async (code: string, capacity: { sex: string; ageGroup: string; beds: number }[]) => {
    const { serves, needs } = current(code);
    const answer = await supervisor.put(`/v1/upts/${code}`, { serves, needs, capacity });
    if (answer.status !== 200) throw new Error(`PUT /v1/upts/${code}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  await change(PLACEMENT_UPT, [
    { sex: 'M', ageGroup: 'adult', beds: placementBeds },
    { sex: 'F', ageGroup: 'adult', beds: placementBeds },
  ]);
  await change(SHORTAGE_UPT, [{ sex: 'F', ageGroup: 'adult', beds: shortageBeds }]);
}

export async function shortenSla(supervisor: AgencyClient): Promise<void> {
  const answer = await supervisor.put(`/v1/sla-policies/identification/ppks-types/${SHORT_SLA_TYPE}`, SHORT_SLA);
  if (answer.status !== 200) throw new Error(`PUT sla-policies: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** A well-formed NIK: region digits, date of birth (women +40 on the day), a serial unique per case. */
export function nikFor(regionDigits: string, sex: 'M' | 'F', serial: number): string {
  const day = sex === 'F' ? 55 : 15;
  return `${regionDigits}${day}0580${String(serial).padStart(4, '0')}`;
}

export async function loadRegistry(stack: LocalStack, entries: { nik: string; regionCode: string }[]): Promise<void> {
  const registry = new PostgresCivilRegistry(stack.pool);
  for (const { nik, regionCode } of entries) await registry.upsert(nik, { regionCode, address: 'Jl. Chaos 1' });
}
