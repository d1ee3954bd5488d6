/**
 * One step's form, generated from its request body's schema (fields.ts): posted with the
 * Idempotency-Key made when the form was opened (its `idempotencyKey`), so "Coba lagi" after a
 * timeout, 429 or 503 cannot record the step twice; the session's X-CSRF-Token goes along (api/client.ts).
 * The API's refusal of a field is shown beside that field; on success the case view is read again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, dataOf } from '../api/client';
import { useI18n } from '../i18n';
import { choiceName } from './choices';
import { fieldKey, STEPS, stepKey, type StepName } from './definitions';
import { explainStep } from './explain-step';
import { bodyOf, type Field, fieldOfPath, type FormValues, fieldsOf } from './fields';
import { UptSelect } from './upt-select';

/** Past this the officer is told the outcome is unknown and offered the retry (the API answers a step in well under a second). */
const ANSWER_TIMEOUT_MS = 20_000;

interface Props {
  step: StepName;
  caseNumber: string;
  idempotencyKey: string;
  onRecorded: () => void;
  onCancel: () => void;
}

export function StepForm({ step, caseNumber, idempotencyKey, onRecorded, onCancel }: Props) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const fields = useMemo(() => fieldsOf(STEPS[step].body), [step]);
  const [values, setValues] = useState<FormValues>({});
  const post = useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      dataOf(
        // The body is built from this step's own schema at run time; the API validates it against the same schema.
        await api.POST(STEPS[step].path, {
          params: { path: { caseNumber } },
          headers: { 'Idempotency-Key': idempotencyKey },
          body: body as never,
          signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['case', caseNumber] });
      await queries.invalidateQueries({ queryKey: ['cases'] });
      onRecorded();
    },
    // The case moved on under the officer: show where it stands now.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) void queries.invalidateQueries({ queryKey: ['case', caseNumber] });
    },
  });

  const refusal = post.error instanceof ApiError && post.error.status === 400 ? post.error.fieldErrors : [];
  const errorOf = (field: string) => refusal.filter((error) => fieldOfPath(error.path, fields) === field).map((error) => error.message);
  const formErrors = refusal.filter((error) => fieldOfPath(error.path, fields) === null);
  const explained = post.error ? explainStep(post.error, t) : null;
  const set = (name: string, value: FormValues[string]) => setValues((current) => ({ ...current, [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    post.mutate(bodyOf(fields, values));
  };

  return (
    <form id="form-langkah" data-langkah={step} className="form-langkah" onSubmit={submit} aria-labelledby="form-langkah-judul" noValidate>
      <h3 id="form-langkah-judul">{t(stepKey(step))}</h3>
      {fields.map((field) => (
        <FieldInput key={field.name} step={step} field={field} value={values[field.name]} errors={errorOf(field.name)} onChange={set} />
      ))}
      {explained && (
        <div id="langkah-galat" role="alert" className="galat">
          <p>{explained.words}</p>
          {post.error instanceof ApiError && post.error.detail && (
            <p className="kecil">
              {t('langkah.galat.rincian')} <span lang="en">{post.error.detail}</span>
            </p>
          )}
          {formErrors.map((error) => (
            <p key={error.path} className="kecil" lang="en">
              {error.path}: {error.message}
            </p>
          ))}
          {explained.retry && post.variables && (
            // The same body with the same key: recorded once, whatever happened to the first try.
            <button type="button" id="langkah-coba-lagi" onClick={() => post.mutate(post.variables)} disabled={post.isPending}>
              {t('langkah.coba_lagi')}
            </button>
          )}
        </div>
      )}
      <p className="tombol-langkah">
        <button type="submit" disabled={post.isPending}>
          {post.isPending ? t('langkah.menyimpan') : t('langkah.simpan')}
        </button>{' '}
        <button type="button" className="tautan" onClick={onCancel}>
          {t('langkah.batal')}
        </button>
      </p>
    </form>
  );
}

interface FieldProps {
  step: StepName;
  field: Field;
  value: FormValues[string] | undefined;
  errors: string[];
  onChange: (name: string, value: FormValues[string]) => void;
}

function FieldInput({ step, field, value, errors, onChange }: FieldProps) {
  const { t } = useI18n();
  const id = `isian-${field.name}`;
  const errorId = `${id}-galat`;
  const label = (
    <>
      {t(fieldKey(step, field.name))}
      {field.kind === 'datetime' && ` (${t('langkah.wib')})`}
      {field.required && <span className="wajib"> {t('langkah.wajib')}</span>}
    </>
  );
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': errors.length > 0 ? errorId : undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const shownErrors = errors.length > 0 && (
    <span id={errorId} className="galat-isian blok" lang="en">
      {errors.join('; ')}
    </span>
  );

  if (field.kind === 'checkboxes') {
    const ticked = Array.isArray(value) ? value : [];
    return (
      <fieldset className="isian" aria-describedby={common['aria-describedby']}>
        <legend>{label}</legend>
        {field.options.map((choice) => (
          <label key={choice} className="centang">
            <input
              type="checkbox"
              name={field.name}
              value={choice}
              checked={ticked.includes(choice)}
              onChange={(event) => onChange(field.name, event.target.checked ? [...ticked, choice] : ticked.filter((c) => c !== choice))}
            />{' '}
            {choiceName(step, field.name, choice, t)}
          </label>
        ))}
        {shownErrors}
      </fieldset>
    );
  }
  if (field.kind === 'boolean') {
    return (
      <div className="isian">
        <label className="centang">
          <input type="checkbox" {...common} checked={value === true} onChange={(event) => onChange(field.name, event.target.checked)} />{' '}
          {label}
        </label>
        {shownErrors}
      </div>
    );
  }
  return (
    <div className="isian">
      <label htmlFor={id}>{label}</label>
      {field.kind === 'upt' ? (
        <UptSelect {...common} value={text} onChange={(code) => onChange(field.name, code)} />
      ) : field.kind === 'select' ? (
        <select {...common} value={text} onChange={(event) => onChange(field.name, event.target.value)}>
          <option value="">{t('langkah.pilih')}</option>
          {field.options.map((choice) => (
            <option key={choice} value={choice}>
              {choiceName(step, field.name, choice, t)}
            </option>
          ))}
        </select>
      ) : field.kind === 'textarea' ? (
        <textarea {...common} rows={3} value={text} onChange={(event) => onChange(field.name, event.target.value)} />
      ) : (
        <input
          {...common}
          type={field.kind === 'number' ? 'number' : field.kind === 'datetime' ? 'datetime-local' : 'text'}
          placeholder={field.example}
          value={text}
          onChange={(event) => onChange(field.name, event.target.value)}
        />
      )}
      {shownErrors}
    </div>
  );
}
