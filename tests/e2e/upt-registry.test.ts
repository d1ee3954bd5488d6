/**
 * The UPT registry over HTTP: supervisors replace what a UPT serves and its beds per class
 * (validated, audited), everyone reads occupancy per class and the cases waiting. Uses a UPT of
 * its own serving pmbs, which no seeded UPT and no other test file uses; removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyForKey } from '../../api/auth.js';
import { seedUpts } from '../../db/seed-upts.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const run = randomUUID().slice(0, 8);
const UPT = `test_registry_${run}`;
const caseNumber = (name: string) => `registry-${run}-${name}`;
let service: RunningService;
let supervisor: ReturnType<typeof agencyClient>;
let supervisorId: string;

const change = {
  name: 'Registry test UPT (renamed)',
  regionCode: '35.78',
  serves: ['pmbs'],
  needs: ['psychiatric'],
  capacity: [
    { sex: 'F', ageGroup: 'adult', beds: 2 },
    { sex: 'M', ageGroup: 'adult', beds: 1 },
  ],
};

beforeAll(async () => {
  service = await startService();
  const key = await service.keyFor({ name: 'Registry supervisor', role: 'supervisor' });
  supervisor = agencyClient(service.baseUrl, key);
  supervisorId = (await agencyForKey(service.pool, key))!.agencyId;
  await service.pool.query(
    `INSERT INTO upts (code, name, city, region_code, capacity, capacity_reported) VALUES ($1, 'Registry test UPT', 'Sidoarjo', '35.15', 0, false)`,
    [UPT],
  );
});

afterAll(async () => {
  await service?.pool.query('DELETE FROM placement_waitlist WHERE case_number LIKE $1', [`registry-${run}-%`]);
  await service?.pool.query('DELETE FROM bed_reservations WHERE upt_code = $1', [UPT]);
  await service?.pool.query('DELETE FROM upts WHERE code = $1', [UPT]);
  await service?.stop();
});

const mine = async () => (await supervisor.get('/v1/upts')).body.items.find((u: { code: string }) => u.code === UPT);

describe('PUT /v1/upts/{code}', () => {
  it('is for supervisors only', async () => {
    for (const [role, scope] of [
      ['dinsos_prov', {}],
      ['upt', { uptCode: 'upt_pstw_magetan' }],
      ['auditor', {}],
      ['satpol_pp', { regionCode: '35.78' }],
    ] as const) {
      const other = agencyClient(service.baseUrl, await service.keyFor({ name: `Registry ${role}`, role, ...scope }));
      expect((await other.put(`/v1/upts/${UPT}`, change)).status, role).toBe(403);
    }
  });

  it('names every field it refuses', async () => {
    const bad = await supervisor.put(`/v1/upts/${UPT}`, {
      regionCode: '36.01',
      serves: ['orang_terlantar'],
      needs: ['dental'],
      capacity: [{ sex: 'unknown', ageGroup: 'adult', beds: -1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'capacity.0.beds',
      'capacity.0.sex',
      'needs.0',
      'regionCode',
      'serves.0',
    ]);
    const repeated = await supervisor.put(`/v1/upts/${UPT}`, {
      ...change,
      capacity: [...change.capacity, { sex: 'F', ageGroup: 'adult', beds: 1 }],
    });
    expect(repeated.body.errors).toEqual([{ path: 'capacity', message: 'must not repeat a sex and age group' }]);
    const missing = await supervisor.put(`/v1/upts/${UPT}`, { serves: ['pmbs'], needs: [], capacity: [], extra: 1 });
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'capacity']);
    expect((await supervisor.put('/v1/upts/no_such_upt', change)).status).toBe(404);
    expect((await mine()).version).toBe(1); // nothing changed
  });

  it('replaces types, needs and beds per class, in the audit trail', async () => {
    const changed = await supervisor.put(`/v1/upts/${UPT}`, change);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      code: UPT,
      name: change.name,
      regionCode: '35.78',
      serves: ['pmbs'],
      needs: ['psychiatric'],
      capacity: 3,
      version: 2,
      overCapacity: [],
      capacityByClass: [
        { sex: 'M', ageGroup: 'adult', beds: 1, occupied: 0, reserved: 0 },
        { sex: 'F', ageGroup: 'adult', beds: 2, occupied: 0, reserved: 0 },
      ],
    });
    const audit = await service.pool.query('SELECT action, agency_id, role, case_number, details FROM audit_log WHERE entry_key = $1', [
      `upt/${UPT}/v2`,
    ]);
    expect(audit.rows).toEqual([
      {
        action: 'upt.change',
        agency_id: supervisorId,
        role: 'supervisor',
        case_number: null,
        details: { upt: UPT, version: 2, beds: 3, overCapacity: 0 },
      },
    ]);
  });
});

describe('GET /v1/upts', () => {
  it('shows beds, occupied and reserved per class, and the waiting cases the UPT could serve', async () => {
    await service.pool.query(
      `INSERT INTO bed_reservations (case_number, upt_code, status, sex, age_group, admitted_at) VALUES
         ($1, $3, 'admitted', 'M', 'adult', now()), ($2, $3, 'reserved', 'F', 'adult', NULL)`,
      [caseNumber('in-bed'), caseNumber('reserved'), UPT],
    );
    await service.pool.query(
      `INSERT INTO placement_waitlist (case_number, ppks_type, sex, age_group, needs, found_region) VALUES
         ($1, 'pmbs', NULL, 'adult', '{psychiatric}', '35.78'),
         ($2, 'pmbs', 'F', 'adult', '{disability}', '35.78'),
         ($3, 'pmbs', 'F', 'elderly', '{}', '35.78')`,
      [caseNumber('waiting'), caseNumber('needs-other-care'), caseNumber('elderly')],
    );
    expect(await mine()).toMatchObject({
      capacity: 3,
      occupied: 1,
      reserved: 1,
      waiting: 1,
      capacityByClass: [
        { sex: 'M', ageGroup: 'adult', beds: 1, occupied: 1, reserved: 0 },
        { sex: 'F', ageGroup: 'adult', beds: 2, occupied: 0, reserved: 1 },
      ],
    });
    // Any agency may read the registry.
    const satpol = agencyClient(service.baseUrl, await service.keyFor({ name: 'Registry Satpol', role: 'satpol_pp', regionCode: '35.78' }));
    expect((await satpol.get('/v1/upts')).status).toBe(200);
  });

  it('reports, and allows, fewer beds than people already in a class', async () => {
    const lowered = await supervisor.put(`/v1/upts/${UPT}`, { ...change, capacity: [{ sex: 'F', ageGroup: 'adult', beds: 0 }] });
    expect(lowered.status).toBe(200);
    expect(lowered.body.overCapacity).toEqual([
      { sex: 'F', ageGroup: 'adult', beds: 0, occupied: 0, reserved: 1 },
      { sex: 'M', ageGroup: 'adult', beds: 0, occupied: 1, reserved: 0 },
    ]);
    expect(lowered.body).toMatchObject({ capacity: 0, occupied: 1, reserved: 1, version: 3 });
  });

  it('keeps a supervisor’s edit when the reference data is seeded again on the next start', async () => {
    const edited = 'upt_rs_eks_kusta_tuban';
    // Rolled back: a look only, the shared test database stays as it was.
    const client = await service.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE upts SET name = 'Edited', updated_by = 'test' WHERE code = $1`, [edited]);
      await client.query(`DELETE FROM upt_capacity WHERE upt_code = $1 AND sex = 'M'`, [edited]);
      await seedUpts(client);
      const { rows } = await client.query(
        `SELECT u.name, ARRAY(SELECT c.sex FROM upt_capacity c WHERE c.upt_code = u.code) AS sexes FROM upts u WHERE u.code = $1`,
        [edited],
      );
      expect(rows[0]).toEqual({ name: 'Edited', sexes: ['F'] });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
