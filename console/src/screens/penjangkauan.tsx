/**
 * Penjangkauan (intake): Satpol PP reports a person picked up, with or without signal. The report
 * goes to the phone's queue first (intake/queue.tsx) and to POST /v1/cases when there is a
 * connection; this screen shows what waits for signal, what the API refused (its message beside
 * the field, to correct or discard) and the case numbers of what was sent. One file, past 300 lines,
 * on purpose: the form and the queue's list share the field problems and the intake being corrected.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { IntakeReport, Me } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useIntakeQueue } from '../intake/queue';
import type { FieldProblem, QueuedIntake } from '../intake/store';
import { PPKS_TYPE_CODES, ppksTypeName, REGION_CODES, regionName } from '../labels';

type Sex = IntakeReport['person']['sex'];
type Need = NonNullable<IntakeReport['needs']>[number];
const SEXES: readonly Sex[] = ['M', 'F', 'unknown'];
const NEEDS: readonly Need[] = ['psychiatric', 'medical', 'disability'];

interface Draft {
  ppksType: string;
  foundAt: string;
  foundRegion: string;
  foundPlace: string;
  name: string;
  sex: Sex;
  estimatedAge: string;
  nik: string;
  description: string;
  needs: Need[];
  notes: string;
}

/** The form's fields by the API's paths (`errors[].path`), with their labels. */
const FIELDS = {
  ppksType: 'penjangkauan.jenis',
  foundAt: 'penjangkauan.waktu',
  foundRegion: 'penjangkauan.wilayah',
  foundPlace: 'penjangkauan.tempat',
  'person.name': 'penjangkauan.nama',
  'person.sex': 'penjangkauan.kelamin',
  'person.estimatedAge': 'penjangkauan.umur',
  'person.nik': 'penjangkauan.nik',
  'person.description': 'penjangkauan.ciri',
  needs: 'penjangkauan.kebutuhan',
  notes: 'penjangkauan.catatan',
} as const satisfies Record<string, MessageKey>;
type FieldPath = keyof typeof FIELDS;

const fieldId = (path: FieldPath) => `isian-${path.replace('.', '-')}`;
const errorId = (path: FieldPath) => `galat-${path.replace('.', '-')}`;
const isField = (path: string): path is FieldPath => path in FIELDS;

export function Penjangkauan({ me }: { me: Me }) {
  const { t, formatTime } = useI18n();
  const queue = useIntakeQueue();
  const [draft, setDraft] = useState(() => emptyDraft(me));
  const [editing, setEditing] = useState<QueuedIntake | null>(null);
  const [notice, setNotice] = useState('');
  const form = useRef<HTMLFormElement>(null);
  if (!queue) return null;

  const set = <K extends keyof Draft>(name: K, value: Draft[K]) => setDraft((before) => ({ ...before, [name]: value }));
  const problems = editing?.refusal?.errors ?? [];
  const problemOf = (path: FieldPath) => problems.find((problem) => problemPath(problem) === path);
  const field = (path: FieldPath) => {
    const problem = problemOf(path);
    return {
      id: fieldId(path),
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? errorId(path) : undefined,
    };
  };
  const errorBeside = (path: FieldPath) => {
    const problem = problemOf(path);
    return problem ? (
      <span id={errorId(path)} className="galat blok">
        {problem.message}
      </span>
    ) : null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await queue.submit(reportOf(draft), editing?.key);
    setEditing(null);
    setDraft(emptyDraft(me));
    setNotice(t('penjangkauan.tersimpan'));
  };
  const edit = (item: QueuedIntake) => {
    setEditing(item);
    setDraft(draftOf(item.report));
    setNotice('');
    form.current?.scrollIntoView();
    form.current?.querySelector<HTMLElement>('[aria-invalid=true], select, input')?.focus();
  };

  return (
    <section id="penjangkauan" aria-labelledby="penjangkauan-judul">
      <h1 id="penjangkauan-judul">{t('penjangkauan.judul')}</h1>
      <p className="kecil">{t('penjangkauan.petunjuk')}</p>

      <form ref={form} id="formulir-penjangkauan" className="formulir" onSubmit={(event) => void submit(event)}>
        {editing?.refusal && (
          <div id="penolakan" className="peringatan" role="alert">
            <p>{t('penjangkauan.perbaiki')}</p>
            <ul>
              {problems
                .filter((problem) => !isField(problemPath(problem)))
                .map((problem) => (
                  <li key={problem.path}>{problem.message}</li>
                ))}
            </ul>
          </div>
        )}
        <label htmlFor={fieldId('ppksType')}>{t(FIELDS.ppksType)}</label>
        <select {...field('ppksType')} required value={draft.ppksType} onChange={(event) => set('ppksType', event.target.value)}>
          <option value="">{t('penjangkauan.pilih')}</option>
          {PPKS_TYPE_CODES.map((code) => (
            <option key={code} value={code}>
              {ppksTypeName(code)}
            </option>
          ))}
        </select>
        {errorBeside('ppksType')}

        <label htmlFor={fieldId('foundAt')}>{t(FIELDS.foundAt)}</label>
        <input
          {...field('foundAt')}
          type="datetime-local"
          required
          value={draft.foundAt}
          onChange={(event) => set('foundAt', event.target.value)}
        />
        {errorBeside('foundAt')}

        <label htmlFor={fieldId('foundRegion')}>{t(FIELDS.foundRegion)}</label>
        <select {...field('foundRegion')} required value={draft.foundRegion} onChange={(event) => set('foundRegion', event.target.value)}>
          <option value="">{t('penjangkauan.pilih')}</option>
          {REGION_CODES.map((code) => (
            <option key={code} value={code}>
              {regionName(code)}
            </option>
          ))}
        </select>
        {errorBeside('foundRegion')}

        <label htmlFor={fieldId('foundPlace')}>{t(FIELDS.foundPlace)}</label>
        <input
          {...field('foundPlace')}
          maxLength={500}
          value={draft.foundPlace}
          onChange={(event) => set('foundPlace', event.target.value)}
        />
        {errorBeside('foundPlace')}

        <fieldset className="kelompok">
          <legend>{t('penjangkauan.orang')}</legend>
          <label htmlFor={fieldId('person.name')}>{t(FIELDS['person.name'])}</label>
          <input
            {...field('person.name')}
            autoComplete="off"
            maxLength={200}
            value={draft.name}
            onChange={(event) => set('name', event.target.value)}
          />
          {errorBeside('person.name')}

          <fieldset
            id={fieldId('person.sex')}
            className="pilihan"
            aria-invalid={problemOf('person.sex') ? true : undefined}
            aria-describedby={problemOf('person.sex') ? errorId('person.sex') : undefined}
          >
            <legend>{t(FIELDS['person.sex'])}</legend>
            {SEXES.map((sex) => (
              <label key={sex} className="centang">
                <input type="radio" name="kelamin" value={sex} checked={draft.sex === sex} onChange={() => set('sex', sex)} />{' '}
                {t(`kelamin.${sex}`)}
              </label>
            ))}
          </fieldset>
          {errorBeside('person.sex')}

          <label htmlFor={fieldId('person.estimatedAge')}>{t(FIELDS['person.estimatedAge'])}</label>
          <input
            {...field('person.estimatedAge')}
            type="number"
            inputMode="numeric"
            min={0}
            max={130}
            value={draft.estimatedAge}
            onChange={(event) => set('estimatedAge', event.target.value)}
          />
          {errorBeside('person.estimatedAge')}

          <label htmlFor={fieldId('person.nik')}>{t(FIELDS['person.nik'])}</label>
          <input
            {...field('person.nik')}
            inputMode="numeric"
            autoComplete="off"
            maxLength={16}
            value={draft.nik}
            onChange={(event) => set('nik', event.target.value)}
          />
          {errorBeside('person.nik')}

          <label htmlFor={fieldId('person.description')}>{t(FIELDS['person.description'])}</label>
          <textarea
            {...field('person.description')}
            rows={3}
            maxLength={2000}
            value={draft.description}
            onChange={(event) => set('description', event.target.value)}
          />
          {errorBeside('person.description')}
        </fieldset>

        <fieldset
          id={fieldId('needs')}
          className="pilihan"
          aria-invalid={problemOf('needs') ? true : undefined}
          aria-describedby={problemOf('needs') ? errorId('needs') : undefined}
        >
          <legend>{t(FIELDS.needs)}</legend>
          {NEEDS.map((need) => (
            <label key={need} className="centang">
              <input
                type="checkbox"
                name="kebutuhan"
                value={need}
                checked={draft.needs.includes(need)}
                onChange={(event) =>
                  set('needs', event.target.checked ? [...draft.needs, need] : draft.needs.filter((other) => other !== need))
                }
              />{' '}
              {t(`kebutuhan.${need}`)}
            </label>
          ))}
        </fieldset>
        {errorBeside('needs')}

        <label htmlFor={fieldId('notes')}>{t(FIELDS.notes)}</label>
        <textarea
          {...field('notes')}
          rows={3}
          maxLength={2000}
          value={draft.notes}
          onChange={(event) => set('notes', event.target.value)}
        />
        {errorBeside('notes')}

        <div className="tombol-baris">
          <button type="submit" id="simpan-penjangkauan">
            {t(editing ? 'penjangkauan.simpan_ulang' : 'penjangkauan.simpan')}
          </button>
          {editing && (
            <button
              type="button"
              className="tautan"
              onClick={() => {
                setEditing(null);
                setDraft(emptyDraft(me));
              }}
            >
              {t('penjangkauan.batal_ubah')}
            </button>
          )}
        </div>
        <p className="kecil" aria-live="polite" id="pemberitahuan">
          {notice}
        </p>
      </form>

      <h2 id="antrean-judul">{t('penjangkauan.antrean')}</h2>
      {queue.items.length === 0 ? (
        <p className="kecil">{t('penjangkauan.antrean_kosong')}</p>
      ) : (
        <ul id="antrean" className="daftar-kartu" aria-labelledby="antrean-judul">
          {queue.items.map((item) => (
            <li key={item.key} data-kunci={item.key} data-status={item.refusal ? 'ditolak' : 'menunggu'}>
              <p>
                <strong>{ppksTypeName(item.report.ppksType)}</strong>, {regionName(item.report.foundRegion)} —{' '}
                {formatTime(item.report.foundAt)}
                {item.report.person.name ? ` — ${item.report.person.name}` : ''}
              </p>
              {item.refusal ? (
                <>
                  <p className="galat">{t('penjangkauan.ditolak')}</p>
                  <ul className="galat">
                    {(item.refusal.errors.length ? item.refusal.errors : [{ path: '', message: item.refusal.detail }]).map((problem) => {
                      const path = problemPath(problem);
                      return (
                        <li key={problem.path}>
                          {isField(path) ? `${t(FIELDS[path])}: ` : ''}
                          {problem.message}
                        </li>
                      );
                    })}
                  </ul>
                  <button type="button" className="ubah" onClick={() => edit(item)}>
                    {t('penjangkauan.ubah')}
                  </button>{' '}
                  <button type="button" className="buang tautan" onClick={() => void queue.discard(item.key)}>
                    {t('penjangkauan.buang')}
                  </button>
                </>
              ) : (
                <p className="status-antrean">{t('penjangkauan.menunggu')}</p>
              )}
            </li>
          ))}
        </ul>
      )}

      {queue.sent.length > 0 && (
        <>
          <h2 id="terkirim-judul">{t('penjangkauan.terkirim')}</h2>
          <ul id="terkirim" aria-labelledby="terkirim-judul">
            {queue.sent.map((sent) => (
              <li key={sent.key} data-kasus={sent.caseNumber}>
                {t('penjangkauan.kasus_dibuka')} <Link to={`/kasus/${sent.caseNumber}`}>{sent.caseNumber}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** `body.foundAt` and `foundAt` alike: the API names body fields without a prefix, but a client may not count on it. */
const problemPath = (problem: FieldProblem) => problem.path.replace(/^body\./, '');

const emptyDraft = (me: Me): Draft => ({
  ppksType: '',
  foundAt: localDateTime(new Date()),
  foundRegion: me.scope.regionCode && (REGION_CODES as string[]).includes(me.scope.regionCode) ? me.scope.regionCode : '',
  foundPlace: '',
  name: '',
  sex: 'unknown',
  estimatedAge: '',
  nik: '',
  description: '',
  needs: [],
  notes: '',
});

/** The report as the API takes it: empty optional fields left out, the time as an instant (the phone's own time zone). */
function reportOf(draft: Draft): IntakeReport {
  const text = (value: string) => value.trim() || undefined;
  const foundAt = new Date(draft.foundAt);
  return {
    ppksType: draft.ppksType as IntakeReport['ppksType'],
    foundAt: Number.isNaN(foundAt.getTime()) ? draft.foundAt : foundAt.toISOString(),
    foundRegion: draft.foundRegion as IntakeReport['foundRegion'],
    foundPlace: text(draft.foundPlace),
    person: {
      name: text(draft.name),
      sex: draft.sex,
      estimatedAge: draft.estimatedAge === '' ? undefined : Number(draft.estimatedAge),
      nik: text(draft.nik),
      description: text(draft.description),
    },
    needs: draft.needs.length ? draft.needs : undefined,
    notes: text(draft.notes),
  };
}

const draftOf = (report: IntakeReport): Draft => ({
  ppksType: report.ppksType,
  foundAt: localDateTime(new Date(report.foundAt)),
  foundRegion: report.foundRegion,
  foundPlace: report.foundPlace ?? '',
  name: report.person.name ?? '',
  sex: report.person.sex,
  estimatedAge: report.person.estimatedAge === undefined ? '' : String(report.person.estimatedAge),
  nik: report.person.nik ?? '',
  description: report.person.description ?? '',
  needs: report.needs ?? [],
  notes: report.notes ?? '',
});

/** `YYYY-MM-DDTHH:mm` in the phone's time zone, as <input type="datetime-local"> shows it. */
function localDateTime(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
