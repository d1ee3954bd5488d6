/**
 * A step's form fields from its request body's JSON schema (api/steps.ts, generated from the
 * OpenAPI document), and the body posted back from what the officer entered. Pure, so the unit test
 * (tests/unit/console-step-fields.test.ts) checks it on every step without a browser.
 */

/** The part of JSON Schema the OpenAPI document uses for step bodies. */
interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly format?: string;
  readonly maxLength?: number;
  readonly example?: string;
  readonly items?: PropertySchema;
}

export interface BodySchema {
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required?: readonly string[];
}

/**
 * enums: a select; strings: a text box (a text area for long free text); instants: a date and time
 * in WIB; arrays of enums: checkboxes; a UPT's code: a choice from the UPT registry (upt-select.tsx).
 */
type FieldKind = 'select' | 'text' | 'textarea' | 'number' | 'boolean' | 'datetime' | 'checkboxes' | 'upt';

/** Properties that name a UPT by its code: an officer picks the UPT by name (with its free beds), never types a code. */
const UPT_CODE_PROPERTIES: readonly string[] = ['toUpt'];

export interface Field {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** The values a select or the checkboxes offer. */
  options: readonly string[];
  /** The schema's example, as a hint in the box (an ISO duration such as P2D). */
  example?: string;
}

/** Longer than a name or a place: notes, reasons and addresses (1000 or 2000 characters) get a text area; a NIK or a code (no limit given, or a short one) a box. */
const SHORT_TEXT_MAX = 200;

function kindOf(name: string, schema: PropertySchema): FieldKind {
  if (UPT_CODE_PROPERTIES.includes(name) && schema.type === 'string') return 'upt';
  if (schema.type === 'array' && schema.items?.enum) return 'checkboxes';
  if (schema.enum) return 'select';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'string' && schema.format === 'date-time') return 'datetime';
  if (schema.type === 'string') return (schema.maxLength ?? 0) > SHORT_TEXT_MAX ? 'textarea' : 'text';
  // A step body the console cannot offer as a form must fail its test, not show a form missing a field.
  throw new Error(`No form field for ${name} (${JSON.stringify(schema)})`);
}

export function fieldsOf(body: BodySchema): Field[] {
  return Object.entries(body.properties).map(([name, schema]) => {
    const kind = kindOf(name, schema);
    return {
      name,
      kind,
      required: body.required?.includes(name) ?? false,
      options: (kind === 'checkboxes' ? schema.items?.enum : schema.enum) ?? [],
      ...(kind === 'datetime' || schema.example === undefined ? {} : { example: schema.example }),
    };
  });
}

/** What the officer entered, by field: text as typed, the ticked values of checkboxes, a tick box's state. */
export type FormValues = Record<string, string | readonly string[] | boolean>;

/** WIB is UTC+7 all year (no daylight saving). */
const WIB = '+07:00';

/**
 * The request body: empty optional fields left out (the API reads a missing field, never an empty
 * string), numbers as numbers, a date and time typed in WIB as an instant with its offset.
 */
export function bodyOf(fields: readonly Field[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      if (value === true || field.required) body[field.name] = value === true;
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > 0 || field.required) body[field.name] = value;
      continue;
    }
    const text = typeof value === 'string' ? value : '';
    if (text === '') continue;
    if (field.kind === 'number') body[field.name] = Number(text);
    // <input type="datetime-local"> gives 2026-12-06T09:30 (seconds only when typed).
    else if (field.kind === 'datetime') body[field.name] = `${text.length === 16 ? `${text}:00` : text}${WIB}`;
    else body[field.name] = text;
  }
  return body;
}

/** The field a problem's `errors[].path` names (`nik`, or `body.nik` for a prefixed path), or null for the whole form. */
export function fieldOfPath(path: string, fields: readonly Field[]): string | null {
  const name = path.replace(/^body\./, '').split('.')[0]!;
  return fields.some((field) => field.name === name) ? name : null;
}
