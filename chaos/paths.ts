/**
 * The case paths, each driven over the HTTP API by the agencies that own its steps. Each driver
 * returns where its case must end up (closed, or waiting at a step), which the checks hold the
 * service to once the faults are over.
 */
import type { Stage } from '../domain/case.js';
import { CaseDriver, type CaseRun, Deviation, type DriverContext, type Expected } from './case-driver.js';
import { sleep } from './http.js';
import type { PathName } from './options.js';
import type { CaseSpec } from './plan.js';
import { HOME_REGION, PLACEMENT_UPT, SHORT_SLA_TYPE, SHORTAGE_TYPE, SHORTAGE_UPT } from './setup.js';

const closed = (outcome: string): Expected => ({ label: `closed (${outcome})`, status: 'closed', stage: 'closed', outcome });
/** An open case, where it must still be once the service has settled. */
const waiting = (label: string, stage: Stage, more: Partial<Expected>): Expected => ({ label, status: 'open', stage, ...more });

const gelandangan = (spec: CaseSpec, extra: Record<string, unknown> = {}) => ({
  ppksType: 'gelandangan',
  person: { sex: spec.sex, estimatedAge: spec.age, ...(spec.nik ? { nik: spec.nik.nik } : {}) },
  ...extra,
});

/** UPT placement to closure: bed reserved, admission, two follow-up visits. */
async function placeAndClose(d: CaseDriver): Promise<Expected> {
  const { a } = d;
  await d.step(a.prov, 'case.address', 'address', { outcome: 'not_found' }, 'placement', {
    upt: PLACEMENT_UPT,
    slaStage: 'placement_admission',
  });
  await d.step(a.uptPlacement, 'case.admission', 'placement/admission', {}, 'follow_up');
  await d.step(a.uptPlacement, 'case.follow_up', 'follow-ups', { outcome: 'stable' }, 'follow_up');
  await d.step(a.uptPlacement, 'case.follow_up', 'follow-ups', { outcome: 'independent' }, 'closed');
  return closed('independent');
}

/** Repatriation from the departure on: handover by the home Dinsos, then its follow-up closes. */
async function repatriateAndClose(d: CaseDriver): Promise<Expected> {
  const { a } = d;
  await d.step(a.prov, 'case.departure', 'repatriation/departure', { transport: 'bus Surabaya-Jember' }, 'repatriation', {
    slaStage: 'repatriation_handover',
  });
  await d.step(a.jember, 'case.handover', 'repatriation/handover', { receivedBy: 'Dinsos Jember' }, 'follow_up');
  await d.step(a.jember, 'case.follow_up', 'follow-ups', { outcome: 'reunified' }, 'closed');
  return closed('reunified');
}

const drivers: Record<PathName, (d: CaseDriver) => Promise<Expected>> = {
  async upt_placement(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(
      d.a.dukcapil,
      'case.identification',
      'identification',
      { outcome: d.run.spec.variant, method: 'fingerprint' },
      'address_lookup',
    );
    return placeAndClose(d);
  },

  async repatriation(d) {
    const { nik } = d.run.spec.nik!;
    await d.intake(gelandangan(d.run.spec), 'identification');
    // Matched: the civil registry gives the home in Jember, and the case goes to repatriation by itself.
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik, method: 'face' }, 'repatriation', {
      slaStage: 'repatriation_departure',
    });
    return repatriateAndClose(d);
  },

  async medical_hold(d) {
    const { a } = d;
    await d.intake(gelandangan(d.run.spec, { needs: ['psychiatric'] }), 'health');
    await d.step(a.dinkes, 'case.health_referral', 'health/referral', { facilityType: 'rsj', facility: 'RSJ Menur Surabaya' }, 'health', {
      slaStage: 'health_discharge',
    });
    await d.step(a.dinkes, 'case.health_discharge', 'health/discharge', { notes: 'stabil' }, 'identification');
    await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched', method: 'fingerprint' }, 'address_lookup');
    if (d.run.spec.variant === 'to_placement') return placeAndClose(d);
    await d.step(a.prov, 'case.address', 'address', { outcome: 'found', homeRegion: HOME_REGION }, 'repatriation');
    return repatriateAndClose(d);
  },

  async relay(d) {
    const { a } = d;
    const { variant } = d.run.spec;
    await d.intake(gelandangan(d.run.spec), 'identification');
    let legs: number;
    if (variant === 'registry') {
      await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik: d.run.spec.nik!.nik }, 'relay', {
        slaStage: 'relay_departure',
      });
      legs = 1; // Jawa Tengah is its own transit province
    } else {
      await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
      // Sulawesi Selatan: one leg; Papua: via Sulawesi Selatan, two legs.
      const homeProvince = variant === 'one_leg' ? '73' : '91';
      await d.step(a.prov, 'case.address', 'address', { outcome: 'found', homeProvince }, 'relay', { slaStage: 'relay_departure' });
      legs = variant === 'one_leg' ? 1 : 2;
    }
    for (let leg = 1; leg <= legs; leg++) {
      await d.step(a.prov, 'case.relay_departure', 'relay/departure', { transport: 'KM Bukit Siguntang' }, 'relay', {
        slaStage: 'relay_handover',
      });
      await d.step(a.prov, 'case.relay_handover', 'relay/handover', { receivedBy: `Dinsos leg ${leg}` }, leg === legs ? 'closed' : 'relay');
    }
    return closed('relayed_home');
  },

  async bed_shortage(d) {
    const { a } = d;
    await d.intake({ ppksType: SHORTAGE_TYPE, person: { sex: 'F', estimatedAge: d.run.spec.age } }, 'identification');
    await d.step(a.dukcapil, 'case.identification', 'identification', { outcome: 'not_possible' }, 'address_lookup');
    const placed = await d.step(a.prov, 'case.address', 'address', { outcome: 'not_found' }, 'placement');
    if (placed.upt === null) return waiting('waiting for a bed', 'placement', { upt: null, slaStage: 'placement' });
    if (placed.upt !== SHORTAGE_UPT) throw new Deviation(`bed reserved in ${placed.upt}, not ${SHORTAGE_UPT}`);
    await d.step(a.uptShortage, 'case.admission', 'placement/admission', {}, 'follow_up');
    return waiting('admitted, in follow-up', 'follow_up', { upt: SHORTAGE_UPT });
  },

  async left_at_identification(d) {
    await d.intake({ ppksType: SHORT_SLA_TYPE, person: { sex: d.run.spec.sex, estimatedAge: d.run.spec.age } }, 'identification');
    // Nobody identifies: the 20-second SLA breaches and climbs to level 3.
    return waiting('at identification, escalated to level 3', 'identification', { escalationLevel: 3, slaStage: 'identification' });
  },

  async left_at_address(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
    return waiting('at address lookup', 'address_lookup', { escalationLevel: 0, slaStage: 'address_lookup' });
  },

  async left_at_departure(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'matched', nik: d.run.spec.nik!.nik }, 'repatriation');
    return waiting('waiting for departure', 'repatriation', { escalationLevel: 0, slaStage: 'repatriation_departure' });
  },

  async closed_by_supervisor(d) {
    await d.intake(gelandangan(d.run.spec), 'identification');
    await d.step(d.a.dukcapil, 'case.identification', 'identification', { outcome: 'not_matched' }, 'address_lookup');
    await d.step(d.a.supervisor, 'case.close', 'close', { reason: 'family came to collect him' }, 'closed');
    return closed('closed_by_supervisor');
  },
};

/** Drives every case from its start time to its end; never rejects. */
export async function driveCases(specs: CaseSpec[], ctx: DriverContext, onFinished: (run: CaseRun) => void): Promise<CaseRun[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const run: CaseRun = { spec, caseNumber: null, steps: [], expected: null, problem: null, finishedAtMs: null };
      await sleep(Math.max(0, ctx.startedAt + spec.startAtMs - Date.now()));
      try {
        run.expected = await drivers[spec.path](new CaseDriver(ctx, run));
      } catch (error) {
        run.problem = error instanceof Deviation ? error.message : `driver error: ${(error as Error).stack ?? error}`;
      }
      run.finishedAtMs = Date.now() - ctx.startedAt;
      onFinished(run);
      return run;
    }),
  );
}
