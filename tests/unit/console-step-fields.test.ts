/**
 * The console's step forms are generated from each step's request body schema (console/src/api/steps.ts,
 * generated from domain/steps.ts and the OpenAPI document): every step must give a form with a field for
 * each property, required where the schema says, and what the officer enters must become the body the API takes.
 */
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../console/src/api/steps.js';
import { bodyOf, fieldOfPath, fieldsOf, type BodySchema } from '../../console/src/steps/fields.js';
import { STEP_NAMES, STEPS as DEFINED } from '../../domain/steps.js';
import { consoleSteps } from '../../scripts/console-steps.js';
import { readFileSync } from 'node:fs';

describe('step forms from the step definitions', () => {
  it('are generated for every step the service defines, and the committed file is current', () => {
    expect(Object.keys(STEPS)).toEqual(STEP_NAMES);
    for (const name of STEP_NAMES) expect(STEPS[name].path).toBe(`/v1/cases/{caseNumber}/${DEFINED[name].path}`);
    expect(readFileSync(new URL('../../console/src/api/steps.ts', import.meta.url), 'utf8')).toBe(consoleSteps());
  });

  it('give every step a field for each property of its body, required as its schema says', () => {
    for (const [name, step] of Object.entries(STEPS)) {
      const body = step.body as BodySchema;
      const fields = fieldsOf(body);
      expect(
        fields.map((field) => field.name),
        name,
      ).toEqual(Object.keys(body.properties));
      expect(
        fields.filter((field) => field.required).map((field) => field.name),
        name,
      ).toEqual(body.required ?? []);
    }
  });

  it("offer DP3AK's identification as a choice of outcome, the NIK as text and the method as a choice", () => {
    const fields = fieldsOf(STEPS.recordIdentification.body);
    expect(fields).toEqual([
      { name: 'outcome', kind: 'select', required: true, options: ['matched', 'not_matched', 'not_possible'] },
      { name: 'nik', kind: 'text', required: false, options: [], example: '3578014507800001' },
      { name: 'method', kind: 'select', required: false, options: ['fingerprint', 'face', 'iris'] },
    ]);
    expect(fieldsOf(STEPS.closeCase.body)[0]!.kind).toBe('textarea');
    expect(fieldsOf(STEPS.recordHandover.body).map((field) => field.kind)).toEqual(['text', 'datetime']);
  });

  it('offer the UPT of a transfer from the registry, not as a code to type', () => {
    expect(fieldsOf(STEPS.transferUpt.body).map((field) => [field.name, field.kind])).toEqual([
      ['toUpt', 'upt'],
      ['reason', 'textarea'],
    ]);
    expect(bodyOf(fieldsOf(STEPS.transferUpt.body), { toUpt: 'upt_pstw_magetan', reason: 'dekat keluarga' })).toEqual({
      toUpt: 'upt_pstw_magetan',
      reason: 'dekat keluarga',
    });
  });

  it('map each kind of property to its input', () => {
    const body: BodySchema = {
      properties: {
        needs: { type: 'array', items: { type: 'string', enum: ['medical', 'shelter'] } },
        age: { type: 'integer' },
        consent: { type: 'boolean' },
        at: { type: 'string', format: 'date-time', example: '2026-11-27T09:30:00+07:00' },
        place: { type: 'string', maxLength: 200 },
        notes: { type: 'string', maxLength: 2000 },
      },
      required: ['needs'],
    };
    expect(fieldsOf(body).map((field) => [field.name, field.kind, field.required])).toEqual([
      ['needs', 'checkboxes', true],
      ['age', 'number', false],
      ['consent', 'boolean', false],
      ['at', 'datetime', false],
      ['place', 'text', false],
      ['notes', 'textarea', false],
    ]);
    expect(fieldsOf(body)[0]!.options).toEqual(['medical', 'shelter']);
    expect(() => fieldsOf({ properties: { person: { type: 'object' } } })).toThrow(/No form field for person/);
  });

  it('post what was entered: empty optional fields left out, a WIB date and time with its offset, numbers as numbers', () => {
    const fields = fieldsOf({
      properties: {
        outcome: { type: 'string', enum: ['found', 'not_found'] },
        address: { type: 'string', maxLength: 1000 },
        at: { type: 'string', format: 'date-time' },
        age: { type: 'integer' },
        needs: { type: 'array', items: { type: 'string', enum: ['medical'] } },
        consent: { type: 'boolean' },
      },
      required: ['outcome'],
    });
    expect(bodyOf(fields, { outcome: 'not_found', address: '', needs: [], consent: false })).toEqual({ outcome: 'not_found' });
    expect(
      bodyOf(fields, { outcome: 'found', address: 'Jl. Kenjeran 1', at: '2026-12-06T09:30', age: '42', needs: ['medical'], consent: true }),
    ).toEqual({
      outcome: 'found',
      address: 'Jl. Kenjeran 1',
      at: '2026-12-06T09:30:00+07:00',
      age: 42,
      needs: ['medical'],
      consent: true,
    });
  });

  it("place the API's refusals beside the field they name", () => {
    const fields = fieldsOf(STEPS.recordIdentification.body);
    expect(fieldOfPath('nik', fields)).toBe('nik');
    expect(fieldOfPath('body.nik', fields)).toBe('nik');
    expect(fieldOfPath('body', fields)).toBeNull();
    expect(fieldOfPath('header.Idempotency-Key', fields)).toBeNull();
  });
});
