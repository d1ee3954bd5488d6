/**
 * The case view as documented in /openapi.json is the case view the API answers with: every field
 * of a real answer (one case, a step, a list) is documented, and every documented field turns up
 * in a real answer. A case that went through identification, a relay address, and a paused and
 * resumed SLA clock carries every optional field there is.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASE_VIEW_FIELDS } from '../../domain/case-view.js';
import { openCase, postStep } from '../support/cases.js';
import { type AgencyClient, startService, type RunningService } from '../support/service.js';

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

let service: RunningService;
let as: Record<'satpol' | 'dukcapil' | 'prov' | 'supervisor', AgencyClient>;

beforeAll(async () => {
  service = await startService();
  as = {
    satpol: await service.clientFor('Contract Satpol PP', 'satpol_pp', { regionCode: '35.78' }),
    dukcapil: await service.clientFor('Contract DP3AK', 'dukcapil'),
    prov: await service.clientFor('Contract Dinsos Jatim', 'dinsos_prov'),
    supervisor: await service.clientFor('Contract supervisor', 'supervisor'),
  };
});

afterAll(async () => {
  await service?.stop();
});

it('documents every field the API answers with, and answers with every field it documents', async () => {
  const opened = await openCase(as.satpol, {
    foundPlace: 'Terminal Purabaya',
    person: { name: 'Contoh Orang', sex: 'F', estimatedAge: 50, description: 'made up for the contract test' },
    needs: ['disability'],
    notes: 'a made-up person',
  });
  const n = opened.caseNumber;
  const step = (agency: AgencyClient, path: string, body: unknown) => postStep(agency, n, path, body);
  await step(as.dukcapil, 'identification', { outcome: 'matched', nik: '3578014507800001', method: 'face' });
  await step(as.prov, 'address', { outcome: 'found', homeProvince: '32', address: 'a made-up address' });
  await step(as.supervisor, 'pause', { reason: 'waiting for a ship' });
  const resumed = await step(as.supervisor, 'resume', { reason: 'the ship sails' });
  const detail = await as.supervisor.get(`/v1/cases/${n}`);
  const list = await as.supervisor.get(`/v1/cases?stage=relay`);
  const listed = list.body.items.find((item: { caseNumber: string }) => item.caseNumber === n);
  expect(listed).toBeDefined();
  // Its steps' agencies by name, for the console's timeline: exactly those its steps name.
  const agencies = detail.body.agencies as { agencyId: string; name: string; role: string }[];
  expect(agencies.map(({ role, name }) => `${role}: ${name}`).sort()).toEqual([
    'dinsos_prov: Contract Dinsos Jatim',
    'dukcapil: Contract DP3AK',
    'satpol_pp: Contract Satpol PP',
    'supervisor: Contract supervisor',
  ]);
  const stepAgencyIds = detail.body.steps.map((s: { by: string }) => s.by).filter((by: string) => by !== 'system');
  expect(new Set(agencies.map((agency) => agency.agencyId))).toEqual(new Set(stepAgencyIds));

  const document = (await (await fetch(`${service.baseUrl}/openapi.json`)).json()) as {
    components: { schemas: Record<string, JsonSchema> };
  };
  const contract = new Contract(document.components.schemas);
  contract.check(detail.body, { $ref: '#/components/schemas/CaseDetail' }, 'GET /v1/cases/{n}');
  contract.check(resumed, { $ref: '#/components/schemas/CaseView' }, 'POST a step');
  contract.check(listed, { $ref: '#/components/schemas/ListedCase' }, 'GET /v1/cases item');

  expect(contract.undocumented, 'fields answered but not documented').toEqual([]);
  expect(contract.neverSeen(), 'fields documented but never answered').toEqual([]);
  // A list carries only what CASE_VIEW_FIELDS names as listed.
  const notListed = Object.keys(listed).filter((field) => CASE_VIEW_FIELDS[field as keyof typeof CASE_VIEW_FIELDS] !== 'listed');
  expect(notListed).toEqual([]);
});

/** Walks answers alongside the document's schemas, noting fields on either side only. */
class Contract {
  readonly undocumented: string[] = [];
  private readonly seen = new Map<string, { documented: string[]; answered: Set<string> }>();

  constructor(private readonly schemas: Record<string, JsonSchema>) {}

  check(value: unknown, schema: JsonSchema, where: string): void {
    const resolved = this.resolve(schema);
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      const items = resolved.find((s) => s.items)?.items;
      if (items) value.forEach((item, index) => this.check(item, items, `${where}[${index}]`));
      return;
    }
    if (typeof value !== 'object') return;
    const objects = resolved.filter((s) => s.properties || s.additionalProperties);
    if (objects.some((s) => s.additionalProperties && !s.properties)) return; // a free-form record (step details)
    const properties = Object.assign({}, ...objects.map((s) => s.properties ?? {})) as Record<string, JsonSchema>;
    const node = this.nodeFor(where.replace(/\[\d+\]/g, '[]'), Object.keys(properties));
    for (const [field, fieldValue] of Object.entries(value)) {
      node.answered.add(field);
      if (!properties[field]) this.undocumented.push(`${where}.${field}`);
      else this.check(fieldValue, properties[field], `${where}.${field}`);
    }
  }

  neverSeen(): string[] {
    // A field documented for a node is seen when any answer of that node, anywhere, carried it.
    const byShape = new Map<string, Set<string>>();
    for (const { documented, answered } of this.seen.values()) {
      const key = documented.join(',');
      byShape.set(key, new Set([...(byShape.get(key) ?? []), ...answered]));
    }
    return [...byShape].flatMap(([key, answered]) => key.split(',').filter((field) => field && !answered.has(field)));
  }

  private nodeFor(path: string, documented: string[]) {
    const node = this.seen.get(path) ?? { documented: documented.sort(), answered: new Set<string>() };
    this.seen.set(path, node);
    return node;
  }

  /** The schema and everything it stands for: $ref followed, allOf / anyOf / oneOf flattened. */
  private resolve(schema: JsonSchema): JsonSchema[] {
    if (schema.$ref) return this.resolve(this.schemas[schema.$ref.split('/').at(-1)!]!);
    const parts = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
    return [schema, ...parts.flatMap((part) => this.resolve(part))];
  }
}
