/**
 * Temporal holds only ciphertext of case data: the raw history and description of a case opened
 * through the API carry neither the name nor the NIK, and the codec endpoint decodes them for a
 * supervisor only (API key or login session, refused once the key is revoked), for the Web UI's
 * origin only, and for the Temporal CLI.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashApiKey } from '../../api/auth.js';
import { temporalCliPath } from '../../scripts/temporal-bin.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { testDataConverter } from '../support/encryption.js';
import { browser, enrolTotp, personIn, signIn } from '../support/people.js';
import { agencyClient, startService, type RunningService } from '../support/service.js';

const NAME = 'Siti Wulandari Kusumawati';
const NIK = '3578015208900123';

let service: RunningService;
let supervisorKey: string;
let auditorKey: string;
let workflowId: string;
let history: proto.temporal.api.history.v1.IHistory;

beforeAll(async () => {
  service = await startService();
  supervisorKey = await service.keyFor({ name: 'Supervisor', role: 'supervisor' });
  auditorKey = await service.keyFor({ name: 'Inspektorat', role: 'auditor' });
  const satpol = agencyClient(
    service.baseUrl,
    await service.keyFor({ name: 'Satpol PP Surabaya', role: 'satpol_pp', regionCode: '35.78' }),
  );
  const dukcapil = agencyClient(service.baseUrl, await service.keyFor({ name: 'Dispendukcapil', role: 'dukcapil' }));
  const opened = await satpol.post(
    '/v1/cases',
    {
      ppksType: 'gelandangan',
      foundAt: '2026-11-20T21:15:00+07:00',
      foundRegion: '35.78',
      foundPlace: 'Terminal Purabaya',
      person: { name: NAME, sex: 'F', estimatedAge: 36, nik: NIK },
    },
    { 'Idempotency-Key': `encryption-${Date.now()}` },
  );
  expect(opened.status).toBe(201);
  // The NIK again in an Update's arguments, and in the civil registry activity's input.
  const identified = await dukcapil.post(`/v1/cases/${opened.body.caseNumber}/identification`, {
    outcome: 'matched',
    nik: NIK,
    method: 'face',
  });
  expect(identified.status).toBe(200);
  workflowId = caseWorkflowId(opened.body.caseNumber);
  // The raw gRPC answer: no data converter, no codec.
  const answer = await service.temporal.connection.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId },
  });
  history = answer.history!;
});

afterAll(async () => {
  await service?.stop();
});

/** Every Payload (an object with metadata and data) in a protobuf message. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return found;
  if ('metadata' in value && 'data' in value && value.data instanceof Uint8Array) found.push(value as Payload);
  for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

/** Every `data` field of a protobuf message in JSON form (base64), decoded. */
const jsonPayloadData = (json: unknown): string[] =>
  typeof json !== 'object' || json === null
    ? []
    : Object.entries(json).flatMap(([key, value]) =>
        key === 'data' && typeof value === 'string' ? [Buffer.from(value, 'base64').toString('utf8')] : jsonPayloadData(value),
      );

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const startedInput = () => history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;

function expectNoPersonalData(serialized: Uint8Array, payloads: Payload[]): void {
  const haystacks = [
    text(serialized),
    ...payloads.map((p) => text(p.data)),
    ...payloads.flatMap((p) => Object.values(p.metadata ?? {}).map(text)),
  ];
  for (const secret of [NAME, NIK, 'Wulandari', 'Terminal Purabaya']) {
    expect(
      haystacks.filter((haystack) => haystack.includes(secret)),
      secret,
    ).toEqual([]);
  }
}

describe('Temporal', () => {
  it('holds the case history only as ciphertext', () => {
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(5);
    expect(text(startedInput()[0]!.metadata!.encoding)).toBe('binary/encrypted');
    const updateArgs = history.events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!
      .workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
    expect(text(updateArgs[0]!.metadata!.encoding)).toBe('binary/encrypted');
    // Bound to this case: copied into another case's history, it would not decrypt.
    for (const payload of [startedInput()[0]!, updateArgs[0]!]) expect(text(payload.metadata!['encryption-workflow-id'])).toBe(workflowId);
    expectNoPersonalData(proto.temporal.api.history.v1.History.encode(history).finish(), payloads);
  });

  it('describes the case without personal data, its summary readable through the codec', async () => {
    const described = await service.temporal.workflow.getHandle(workflowId).describe();
    const summary = described.raw.executionConfig!.userMetadata!.summary!;
    expect(text(summary.metadata!.encoding)).toBe('binary/encrypted');
    expectNoPersonalData(
      proto.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(described.raw).finish(),
      payloadsIn(described.raw),
    );
    expect(await described.staticSummary()).toMatch(/gelandangan/);
    expect(described.memo ?? {}).toEqual({});
  });
});

describe('the codec endpoint', () => {
  const decode = (payloads: JSONPayload[], headers: Record<string, string>) =>
    fetch(`${service.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify({ payloads }),
    });
  const decodedText = async (response: Response) =>
    ((await response.json()) as { payloads: JSONPayload[] }).payloads
      .map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8'))
      .join('\n');
  it('decodes the history for a supervisor with an API key', async () => {
    const response = await decode(startedInput().map(payloadToJSON), { authorization: `Bearer ${supervisorKey}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const decoded = await decodedText(response);
    expect(decoded).toContain(NAME);
    expect(decoded).toContain(NIK);
    // A disclosure like any other: in the case's access log, with who and how many payloads.
    const { rows } = await service.pool.query<{ role: string; endpoint: string }>(
      'SELECT role, endpoint FROM access_log WHERE case_number = $1 AND request_id = $2',
      [workflowId.replace(/^case-/, ''), response.headers.get('x-request-id')],
    );
    expect(rows).toEqual([{ role: 'supervisor', endpoint: 'POST /codec/decode (1 payload)' }]);
  });

  /** A signed-in person's browser tab (their session cookie, our origin), past the second factor when `enrol`. */
  const signedInTab = async (role: string, enrol: boolean) => {
    const person = await personIn(service, role);
    const signedIn = await signIn(service.baseUrl, person.email, person.password);
    const tab = browser(service.baseUrl, signedIn.cookie!, signedIn.body!.csrfToken as string);
    if (enrol) await enrolTotp((method, path, body) => tab(method, path, { body }));
    return { person, tab };
  };
  /** POST /codec/decode as the Temporal UI does from the gateway's page: the cookie and the Origin, no CSRF token. */
  const decodeIn = (tab: Awaited<ReturnType<typeof signedInTab>>['tab'], origin?: string | null) =>
    tab('POST', '/codec/decode', { body: { payloads: startedInput().map(payloadToJSON) }, csrf: null, origin });

  it('decodes for a signed-in supervisor past the second factor, on a page of our own origin, and logs the person', async () => {
    const { person, tab } = await signedInTab('supervisor', true);
    const answer = await decodeIn(tab);
    expect(answer.status).toBe(200);
    const decoded = (answer.body!.payloads as JSONPayload[]).map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8'));
    expect(decoded.join('\n')).toContain(NAME);
    const { rows } = await service.pool.query<{ user_id: string }>(
      'SELECT user_id FROM access_log WHERE case_number = $1 AND request_id = $2',
      [workflowId.replace(/^case-/, ''), answer.headers.get('x-request-id')],
    );
    expect(rows).toEqual([{ user_id: person.userId }]);
    // Another site's page, or none named: the cookie alone is not enough.
    expect((await decodeIn(tab, 'http://evil.example')).status).toBe(403);
    expect((await decodeIn(tab, null)).status).toBe(403);
    // Signed out, the cookie decodes nothing.
    expect((await tab('DELETE', '/v1/session')).status).toBe(204);
    expect((await decodeIn(tab)).status).toBe(401);
  });

  it('refuses a supervisor before the second factor (401) and a person of another role (403)', async () => {
    const pending = await signedInTab('supervisor', false);
    const refused = await decodeIn(pending.tab);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('second factor') });
    const dukcapil = await signedInTab('dukcapil', false);
    expect((await decodeIn(dukcapil.tab)).status).toBe(403);
  });

  it('refuses callers without a key (401) and agencies other than supervisors (403)', async () => {
    const payloads = startedInput().map(payloadToJSON);
    for (const [headers, status] of [
      [{}, 401],
      [{ authorization: 'Bearer ppks_not-a-key' }, 401],
      [{ cookie: 'ppks_session=not-a-session', origin: service.baseUrl }, 401],
      [{ authorization: `Bearer ${auditorKey}` }, 403],
    ] as const) {
      const response = await decode(payloads, headers);
      expect(response.status, JSON.stringify(headers)).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await response.text();
      expect(body).not.toContain(NAME);
      expect(body).not.toContain(NIK);
    }
  });

  it('refuses a revoked key', async () => {
    const key = await service.keyFor({ name: 'Supervisor leaving', role: 'supervisor' });
    const payloads = startedInput().map(payloadToJSON);
    expect((await decode(payloads, { authorization: `Bearer ${key}` })).status).toBe(200);
    await service.pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashApiKey(key)]);
    expect((await decode(payloads, { authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it('encodes for nobody, and names an unknown key without quoting the payload', async () => {
    // No encode endpoint: a person who can decode cannot make a payload a case would accept.
    const encode = await fetch(`${service.baseUrl}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorKey}` },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(encode.status).toBe(404);
    const [encrypted] = await testDataConverter.payloadCodecs![0]!.encode([defaultPayloadConverter.toPayload(NAME)]);
    const ciphertext = payloadToJSON(encrypted!);
    expect(Buffer.from(ciphertext!.metadata!.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(await decodedText(await decode([ciphertext!], { authorization: `Bearer ${supervisorKey}` }))).toContain(NAME);

    const retired = {
      ...ciphertext!,
      metadata: { ...ciphertext!.metadata, 'encryption-key-id': Buffer.from('retired-2025').toString('base64') },
    };
    const refused = await decode([retired], { authorization: `Bearer ${supervisorKey}` });
    expect(refused.status).toBe(400);
    const problem = await refused.json();
    expect(problem.detail).toMatch(/key ID retired-2025, which PPKS_PAYLOAD_KEYS does not list/);
    expect(JSON.stringify(problem)).not.toContain(NAME);
  });

  it('serves the Temporal CLI: `workflow show --codec-endpoint --codec-auth` shows the decoded name', async () => {
    const cli = await temporalCliPath();
    /** The payload data of the history as the CLI prints it. */
    const show = async (...extra: string[]) => {
      const args = ['workflow', 'show', '--workflow-id', workflowId, '--address', inject('temporalAddress'), '--output', 'json', ...extra];
      const { stdout } = await promisify(execFile)(cli, args);
      return jsonPayloadData(JSON.parse(stdout)).join('\n');
    };
    expect(await show()).not.toContain(NAME);
    expect(await show('--codec-endpoint', `${service.baseUrl}/codec`, '--codec-auth', `Bearer ${supervisorKey}`)).toContain(NAME);
  });
});
