/**
 * Lists and the case index carry only the fields of the case view named `listed`: personal data,
 * and any field nobody has classified, stay in the full view of one case.
 */
import { describe, expect, it } from 'vitest';
import { CASE_STEP_FIELDS, CASE_VIEW_FIELDS, type CaseView, withoutPersonalData } from '../../domain/case-view.js';
import { CaseView as CaseViewSchema } from '../../domain/schemas.js';

const PRIVATE_VALUES = [
  'Budi Santoso',
  '3578014507800001',
  'Jl. Kenanga 5',
  'Terminal Purabaya',
  'sleeps under the bridge',
  'received by Pak Hadi',
];

const full: CaseView = {
  caseNumber: '3578-2026-000001',
  workflowId: 'case-3578-2026-000001',
  status: 'open',
  stage: 'repatriation',
  ppksType: 'gelandangan',
  foundRegion: '35.78',
  homeRegion: '35.09',
  homeProvince: null,
  upt: null,
  openedAt: '2026-11-25T10:00:00+07:00',
  closedAt: null,
  outcome: null,
  ownerRole: 'dinsos_kabkota',
  waitingFor: 'handover confirmed by Dinsos Kabupaten Jember',
  sla: {
    stage: 'repatriation_handover',
    dueAt: '2026-11-28T10:00:00+07:00',
    breached: false,
    policyVersion: 1,
    pausedSince: null,
    pausedMs: 0,
  },
  slaPausedMs: 0,
  stays: [
    { stage: 'repatriation', enteredAt: '2026-11-25T10:00:00+07:00', leftAt: null, ownerRole: 'dinsos_prov', breached: false, pausedMs: 0 },
  ],
  escalationLevel: 0,
  steps: [
    {
      stage: 'repatriation',
      outcome: 'received',
      by: 'agency-1',
      at: '2026-11-26T10:00:00+07:00',
      details: { receivedAt: '2026-11-26T09:00:00+07:00' },
      remarks: 'received by Pak Hadi',
    },
  ],
  needs: ['disability'],
  person: { name: 'Budi Santoso', sex: 'M', estimatedAge: 46, nik: '3578014507800001', description: 'sleeps under the bridge' },
  foundAt: '2026-11-25T09:00:00+07:00',
  foundPlace: 'Terminal Purabaya',
  address: 'Jl. Kenanga 5',
  notes: 'sleeps under the bridge',
};

describe('the list form of a case', () => {
  it('keeps exactly the listed fields, with the person masked', () => {
    const listed = withoutPersonalData(full);
    const named = Object.keys(CASE_VIEW_FIELDS).filter((field) => CASE_VIEW_FIELDS[field as keyof CaseView] === 'listed');
    expect(Object.keys(listed).sort()).toEqual(named.sort());
    expect(listed.personMasked).toEqual({ initials: 'B. S.', nikLast4: '0001', sex: 'M', estimatedAge: 46 });
    expect(Object.keys(listed.steps[0]!).sort()).toEqual(
      Object.keys(CASE_STEP_FIELDS)
        .filter((field) => CASE_STEP_FIELDS[field as keyof typeof CASE_STEP_FIELDS] === 'listed')
        .sort(),
    );
    // Health needs and step details (a facility's name, free-text transport) stay in the full view.
    expect(listed).not.toHaveProperty('needs');
    expect(listed.steps[0]).not.toHaveProperty('details');
    const text = JSON.stringify(listed);
    for (const value of PRIVATE_VALUES) expect(text).not.toContain(value);
  });

  it('drops a field nobody has named, in the view and in its steps', () => {
    const grown = {
      ...full,
      guardianPhone: '0812-3456-7890',
      steps: [{ ...full.steps[0]!, officerPhone: '0813-1111-2222' }],
    } as unknown as CaseView;
    expect(JSON.stringify(withoutPersonalData(grown))).not.toMatch(/guardianPhone|officerPhone|0812|0813/);
  });

  it('names every field of the documented case view, and no other', () => {
    expect(Object.keys(CASE_VIEW_FIELDS).sort()).toEqual(Object.keys(CaseViewSchema.shape).sort());
  });
});
