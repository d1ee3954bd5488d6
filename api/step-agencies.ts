/**
 * The agencies that recorded a case's steps, by name: the case view (the workflow's) names each
 * step's agency by its ID only, and a timeline should say "Dinsos Kota Surabaya", not an ID.
 * Agency names and roles are no personal data; who the person was stays in the audit trail.
 */
import type { Pool } from '../db/pool.js';
import type { Role } from '../domain/case.js';
import type { CaseView } from '../domain/case-view.js';

export interface StepAgency {
  agencyId: string;
  name: string;
  role: Role;
}

export async function stepAgencies(pool: Pool, view: CaseView): Promise<StepAgency[]> {
  const ids = [...new Set(view.steps.map((step) => step.by))];
  const { rows } = await pool.query<StepAgency>(
    'SELECT id AS "agencyId", name, role FROM agencies WHERE id = ANY($1::text[]) ORDER BY name, id',
    [ids],
  );
  return rows;
}
