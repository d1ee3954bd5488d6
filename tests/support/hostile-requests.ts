/**
 * The generators of tests/e2e/hostile-input.test.ts (fast-check): valid bodies of every endpoint,
 * mutated (a field replaced, dropped or added, or no JSON at all), hostile headers, query strings
 * and paths, and case numbers that exist, do not, or are not case numbers at all.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { REGION_CODES } from '../../domain/regions.js';
import { PPKS_TYPE_CODES } from '../../domain/ppks-types.js';
import { STAGES, SLA_STEPS } from '../../domain/case.js';

export interface Probe {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The case a step is posted to, when the path names an existing one. */
  caseNumber?: string;
  action: string;
}

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xfe }).map((code) => String.fromCharCode(code === 0x7f ? 0xff : code)),
  maxLength: 300,
});
const text = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a'.repeat(70_000), '<script>', "'; DROP TABLE cases; --"),
);
const instant = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2026-11-01'), noInvalidDate: true })
  .map((date) => date.toISOString().replace('Z', '+07:00'));
const nik = fc.oneof(fc.constantFrom('3578015608750002', '3509014505800001'), fc.stringMatching(/^\d{16}$/), text);

const validBodies: Record<string, fc.Arbitrary<unknown>> = {
  intake: fc.record(
    {
      ppksType: fc.constantFrom(...PPKS_TYPE_CODES),
      foundAt: instant,
      foundRegion: fc.constant('35.78'),
      foundPlace: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
      person: fc.record(
        {
          sex: fc.constantFrom('M', 'F', 'unknown'),
          name: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
          estimatedAge: fc.option(fc.integer({ min: 0, max: 110 }), { nil: undefined }),
        },
        { requiredKeys: ['sex'] },
      ),
    },
    { requiredKeys: ['ppksType', 'foundAt', 'foundRegion', 'person'] },
  ),
  identification: fc.oneof(fc.constant({ outcome: 'not_matched' }), fc.record({ outcome: fc.constant('matched'), nik })),
  address: fc.oneof(
    fc.constant({ outcome: 'not_found' }),
    fc.record({ outcome: fc.constant('found'), homeRegion: fc.constantFrom(...REGION_CODES) }),
    fc.record({ outcome: fc.constant('found'), homeProvince: fc.constantFrom('33', '51', '73', '91', '35', '99') }),
  ),
  healthReferral: fc.record({
    facilityType: fc.constantFrom('rsj', 'hospital', 'clinic'),
    facility: fc.string({ minLength: 1, maxLength: 30 }),
  }),
  departure: fc.record({ transport: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
  handover: fc.record({ receivedBy: fc.string({ minLength: 1, maxLength: 20 }) }),
  admission: fc.constant({}),
  followUp: fc.record({ outcome: fc.constantFrom('stable', 'needs_support', 'reunified', 'left') }),
  close: fc.record({ reason: fc.string({ minLength: 1, maxLength: 40 }) }),
  extension: fc.record({
    extendBy: fc.constantFrom('PT1H', 'P1D', 'P0D', 'P1M', '-P1D', 'PT30M'),
    reason: fc.string({ minLength: 1, maxLength: 40 }),
  }),
  reassignment: fc.record({
    ownerRole: fc.constantFrom('dinsos_prov', 'dinsos_kabkota', 'upt', 'supervisor'),
    reason: fc.string({ minLength: 1, maxLength: 40 }),
  }),
  ack: fc.record({ note: fc.string({ maxLength: 40 }) }, { requiredKeys: [] }),
  codec: fc.record({
    payloads: fc.array(fc.record({ metadata: fc.dictionary(fc.string(), fc.base64String()), data: fc.base64String() }), { maxLength: 3 }),
  }),
  anything: fc.jsonValue(),
};

/** A valid body, or one with a field replaced, dropped or added, or no JSON at all. */
const mutated = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: valid.map((body) => JSON.stringify(body)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))
        .map(([body, key, value]) => JSON.stringify(replaceField(body, key, value))),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__": {"role": "supervisor"}}',
        '{"constructor": {"prototype": {}}}',
        '[',
        '{"a":',
        'null',
        '"text"',
        '\uFEFF{}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `{"x":"${'y'.repeat(70_000)}"}`,
      ),
    },
    { weight: 1, arbitrary: fc.option(text, { nil: undefined }) },
  );

function replaceField(body: unknown, key: string, value: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return value;
  const fields = Object.keys(body);
  const target = fields.length && key.length % 2 === 0 ? fields[key.length % fields.length]! : key;
  const copy: Record<string, unknown> = { ...body };
  if (value === null && key.length % 3 === 0) delete copy[target];
  else copy[target] = value;
  return copy;
}

const caseNumber = (seededCases: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...seededCases) },
    { weight: 1, arbitrary: fc.constantFrom('3578-2026-999999', '..', '%2e%2e%2f', '%00', '3578015608750002', 'a'.repeat(3000)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
  );

const endpoints = (seededCases: string[]): fc.Arbitrary<Omit<Probe, 'headers' | 'query'>>[] => {
  const step = (path: string, action: string, body: fc.Arbitrary<unknown>) =>
    fc
      .tuple(caseNumber(seededCases), mutated(body))
      .map(([n, sent]) => ({ method: 'POST', path: `/v1/cases/${n}/${path}`, body: sent, caseNumber: n, action }));
  const get = (path: fc.Arbitrary<string>, action: string) => path.map((p) => ({ method: 'GET', path: p, body: undefined, action }));
  return [
    mutated(validBodies.intake!).map((body) => ({ method: 'POST', path: '/v1/cases', body, action: 'intake' })),
    get(fc.constant('/v1/cases'), 'list'),
    get(
      caseNumber(seededCases).map((n) => `/v1/cases/${n}`),
      'read',
    ),
    get(
      caseNumber(seededCases).map((n) => `/v1/cases/${n}/audit`),
      'audit',
    ),
    get(
      caseNumber(seededCases).map((n) => `/v1/cases/${n}/access-log`),
      'access_log',
    ),
    step('health/referral', 'step', validBodies.healthReferral!),
    step('health/discharge', 'step', validBodies.admission!),
    step('relay/departure', 'step', validBodies.departure!),
    step('relay/handover', 'step', validBodies.handover!),
    step('identification', 'step', validBodies.identification!),
    step('address', 'step', validBodies.address!),
    step('repatriation/departure', 'step', validBodies.departure!),
    step('repatriation/handover', 'step', validBodies.handover!),
    step('placement/admission', 'step', validBodies.admission!),
    step('follow-ups', 'step', validBodies.followUp!),
    step('close', 'step', validBodies.close!),
    step('pause', 'step', validBodies.close!),
    step('resume', 'step', validBodies.close!),
    step('sla-extensions', 'step', validBodies.extension!),
    step('reassignments', 'step', validBodies.reassignment!),
    step('move-on', 'step', validBodies.close!),
    step('reopen', 'step', validBodies.close!),
    get(fc.constant('/v1/alerts'), 'alerts'),
    fc
      .tuple(fc.oneof(fc.nat().map(String), fc.string().map(encodeURIComponent)), mutated(validBodies.ack!))
      .map(([id, body]) => ({ method: 'POST', path: `/v1/alerts/${id}/ack`, body, action: 'ack' })),
    get(fc.constant('/v1/upts'), 'upts'),
    get(fc.constant('/v1/sla-policies'), 'policies'),
    // Only bodies that cannot be valid policies: other test files run under the real ones.
    fc
      .tuple(fc.oneof(fc.constantFrom(...SLA_STEPS), fc.string().map(encodeURIComponent)), fc.jsonValue())
      .map(([step, body]) => ({ method: 'PUT', path: `/v1/sla-policies/${step}`, body: JSON.stringify(body), action: 'policy' })),
    fc
      .tuple(fc.constantFrom('decode', 'encode'), mutated(validBodies.codec!))
      .map(([op, body]) => ({ method: 'POST', path: `/codec/${op}`, body, action: 'codec' })),
    fc
      .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), fc.webPath())
      .map(([method, path]) => ({ method, path: path || '/', body: undefined, action: 'random' })),
  ];
};

/** One request: an endpoint with a mutated body, and generated or hostile headers and query; `keys` are the API keys it may carry. */
export const hostileProbe = (keys: string[], seededCases: string[]): fc.Arbitrary<Probe> =>
  fc
    .record({
      endpoint: fc.oneof(...endpoints(seededCases)),
      authorization: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...keys).map((key) => `Bearer ${key}`) },
        { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ppks_nope', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'k'.repeat(5000)}`) },
        { weight: 1, arbitrary: headerText },
      ),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/json; charset=utf-16',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
          ),
        },
        { weight: 1, arbitrary: headerText },
      ),
      idempotencyKey: fc.option(fc.oneof(fc.constantFrom('replayed-1', 'replayed-2'), fc.uuid(), headerText), { nil: undefined }),
      requestId: fc.option(headerText, { nil: undefined }),
      query: fc.array(
        fc.tuple(
          fc.constantFrom('stage', 'region', 'breached', 'ppksType', 'page', 'caseNumber', 'status', 'x'),
          fc.oneof(fc.constantFrom(...STAGES, 'true', '0', '-1', '99999999999', '35.78'), fc.string({ maxLength: 20 })),
        ),
        { maxLength: 4 },
      ),
    })
    .map(({ endpoint, authorization, contentType, idempotencyKey, requestId, query }) => ({
      ...endpoint,
      query: new URLSearchParams(query).toString(),
      headers: {
        ...(authorization ? { authorization } : {}),
        'content-type': contentType,
        ...(idempotencyKey !== undefined
          ? { 'idempotency-key': endpoint.action === 'intake' ? `${idempotencyKey}-${randomUUID()}` : idempotencyKey }
          : {}),
        ...(requestId !== undefined ? { 'x-request-id': requestId } : {}),
      },
    }));
