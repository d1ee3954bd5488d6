/**
 * The served OpenAPI document: valid OpenAPI 3.1 (by an independent validator), one unique
 * operationId per operation, and every status each operation can answer, with the headers that
 * come with it. The statuses are written out below by hand from the routes' code (an oracle that
 * does not come from api/openapi/, so a status dropped there fails here); tests/e2e/contract.test.ts
 * checks real answers against the document.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi.js';

interface Operation {
  operationId?: string;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}
const document = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ method, path, ...operation })),
);

// What every authenticated operation can answer: bad input (a malformed JSON body on any of them),
// no key, the failed-authentication limit or Temporal at a limit, the unexpected, an outage or shutdown.
const ANY = '400 401 429 500 503';
const READ = `200 304 ${ANY}`; // a GET: 304 on a matching If-None-Match
const BODY = '413 415'; // a body over 64 kB, or not UTF-8 JSON
const STEP = `200 202 403 404 409 ${BODY} ${ANY}`;

// prettier-ignore
const STATUSES: Record<string, string> = {
  caseIntake:                `200 201 403 409 ${BODY} ${ANY}`,
  caseList:                  READ,
  caseRead:                  `${READ} 403 404`,
  caseHealthReferral:        STEP,
  caseHealthDischarge:       STEP,
  caseIdentification:        STEP,
  caseAddress:               STEP,
  caseDeparture:             STEP,
  caseHandover:              STEP,
  caseRelayDeparture:        STEP,
  caseRelayHandover:         STEP,
  caseAdmission:             STEP,
  caseTransfer:              STEP,
  caseFollowUp:              STEP,
  caseClose:                 STEP,
  casePause:                 STEP,
  caseResume:                STEP,
  caseSlaExtension:          STEP,
  caseReassignment:          STEP,
  caseMoveOn:                STEP,
  caseReopen:                STEP,
  caseAudit:                 `${READ} 403 404`,
  caseAccessLog:             `${READ} 403 404`,
  caseMatch:                 `200 403 404 409 ${BODY} ${ANY}`,
  alertList:                 READ,
  alertAck:                  `200 403 404 ${BODY} ${ANY}`,
  alertSnooze:               `200 403 404 409 ${BODY} ${ANY}`,
  statsRead:                 `${READ} 403`,
  uptList:                   READ,
  uptRead:                   `200 404 ${ANY}`,
  uptChange:                 `200 403 404 412 ${BODY} ${ANY}`,
  slaPolicyList:             `${READ} 403`,
  slaPolicyRead:             `${READ} 403 404`,
  slaPolicyChange:           `200 403 412 ${BODY} ${ANY}`,
  slaPolicyOverrideRead:     `${READ} 403 404`,
  slaPolicyOverrideChange:   `200 403 412 ${BODY} ${ANY}`,
  slaPolicyOverrideRemove:   `204 403 404 ${BODY} ${ANY}`,
  slaPolicyVersions:         `${READ} 403`,
  slaPolicyApply:            `200 403 ${BODY} ${ANY}`,
  holidayList:               READ,
  holidayRead:               `${READ} 404`,
  holidayChange:             `200 403 412 ${BODY} ${ANY}`,
  holidayRemove:             `204 403 404 ${ANY}`,
  workingHoursList:          READ,
  workingHoursRead:          `${READ} 404`,
  workingHoursChange:        `200 403 404 412 ${BODY} ${ANY}`,
  webhookRegister:           `201 403 ${BODY} ${ANY}`,
  webhookList:               `${READ} 403`,
  webhookDisable:            `204 403 404 ${ANY}`,
  webhookDeliveries:         `${READ} 403 404`,
  personList:                `${READ} 403 404`,
  personAdd:                 `201 403 404 409 ${BODY} ${ANY}`,
  personDisable:             `200 403 404 ${ANY}`,
  personEnable:              `200 403 404 ${ANY}`,
  personResetPassword:       `200 403 404 ${ANY}`,
  personResetTotp:           `200 403 404 ${ANY}`,
  signIn:                    `201 303 403 ${BODY} ${ANY}`,
  signOut:                   '204 400 401 403 429 500 503',
  meRead:                    READ,
  totpEnrolmentStart:        '200 400 401 403 409 429 500 503',
  totpEnrolmentConfirm:      `200 403 409 ${BODY} ${ANY}`,
  totpVerify:                `200 403 409 ${BODY} ${ANY}`,
  ssoStart:                  '303 404 500 503',
  ssoCallback:               '303 400 403 404 429 500 503',
  liveness:                  '200 503',
  readiness:                 '200 503',
};
const statuses = (list: string) => list.split(/\s+/).sort();
const headersOf = (operation: Operation, status: string) => Object.keys(operation.responses[status]?.headers ?? {}).sort();

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives every operation an operationId of its own', () => {
    const ids = operations.map((operation) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every status each operation can answer, no more and no fewer', () => {
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(Object.keys(STATUSES).sort());
    for (const operation of operations)
      expect(`${operation.operationId}: ${Object.keys(operation.responses).sort().join(' ')}`).toBe(
        `${operation.operationId}: ${statuses(STATUSES[operation.operationId!]!).join(' ')}`,
      );
  });

  it('names the headers that come with the answers', () => {
    for (const operation of operations) {
      const id = operation.operationId;
      const listed = Object.keys(operation.responses);
      for (const status of ['429', '503'].filter((s) => listed.includes(s)))
        expect(headersOf(operation, status), `${id} ${status}`).toContain('Retry-After');
      if (listed.includes('401')) expect(headersOf(operation, '401'), id).toEqual(['WWW-Authenticate']);
      if (listed.includes('202')) expect(headersOf(operation, '202'), id).toEqual(['Location', 'Retry-After']);
      if (listed.includes('412')) {
        expect(headersOf(operation, '412'), id).toEqual(['ETag']);
        expect(headersOf(operation, '200'), id).toEqual(['ETag']);
        expect(operation).toMatchObject({
          parameters: expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'If-Match' })]),
        });
      }
    }
    const byId = Object.fromEntries(operations.map((operation) => [operation.operationId, operation]));
    expect(headersOf(byId.caseIntake!, '201')).toEqual(['Location']);
    expect(headersOf(byId.signIn!, '201')).toEqual(['Set-Cookie']);
    expect(headersOf(byId.signIn!, '303')).toEqual(['Location', 'Set-Cookie']);
    expect(headersOf(byId.ssoStart!, '303')).toEqual(['Location', 'Set-Cookie']);
    expect(headersOf(byId.ssoCallback!, '303')).toEqual(['Location', 'Set-Cookie']);
    for (const id of ['uptRead', 'slaPolicyRead', 'slaPolicyOverrideRead', 'holidayRead', 'workingHoursRead'])
      expect(headersOf(byId[id]!, '200'), id).toEqual(['ETag']);
    for (const id of ['caseList', 'alertList', 'webhookDeliveries']) expect(headersOf(byId[id]!, '200'), id).toEqual(['Link']);
  });
});
