/**
 * Peringatan: the escalation inbox of the signed-in person's agency (GET /v1/alerts, newest first,
 * page by page; by default only those addressed to the agency, as the API decides). An alert is
 * acknowledged (with an optional note) or snoozed for a while; the API allows two snoozes of at
 * most a day each, and only the alert's recipients act on it, so the refusals are worded here for
 * an officer. The state filter lives in the URL.
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, dataOf, type Alert, type Me } from '../api/client';
import { explain } from '../api/problems';
import { ALERT_ACTORS, EVERY_ALERT_READERS } from '../grants';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { recipientName, stageNameOf } from '../labels';

const PAGE_SIZE = 100;
const STATES = ['open', 'snoozed', 'acknowledged', 'semua'] as const;
type State = (typeof STATES)[number];
/** Durations the API takes (PT1M..PT24H) that an officer would pick. */
const SNOOZES = ['PT30M', 'PT1H', 'PT4H', 'PT24H'] as const;
/** The API's limit per alert (api/routes/alerts.ts). */
const SNOOZE_LIMIT = 2;

export function Peringatan({ me }: { me: Me }) {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const state: State = STATES.find((s) => s === search.get('keadaan')) ?? 'open';
  // A role that acts on no alert (the auditor) reads everything in scope.
  const mayAct = ALERT_ACTORS.includes(me.role);
  const onlyOurs = search.has('semua_instansi') ? false : mayAct;
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };

  const alerts = useInfiniteQuery({
    queryKey: ['alerts', state, onlyOurs],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET('/v1/alerts', {
          // "Ours" as the API decides who acts on an alert (the access matrix's alert.ack), a whole page of them.
          params: {
            query: {
              status: state === 'semua' ? undefined : state,
              addressedToUs: onlyOurs ? 'true' : undefined,
              limit: PAGE_SIZE,
              cursor: pageParam,
            },
          },
        }),
      ),
    getNextPageParam: (last) => (last.next ? (new URL(last.next, location.origin).searchParams.get('cursor') ?? undefined) : undefined),
    refetchInterval: 60_000,
  });
  const items = (alerts.data?.pages ?? []).flatMap((page) => page.items);
  // Said on the screen, not on the card: an acknowledged or snoozed alert leaves the open list.
  const [done, setDone] = useState<string | null>(null);

  return (
    <section id="peringatan" aria-labelledby="peringatan-judul">
      <h1 id="peringatan-judul">{t('peringatan.judul')}</h1>
      <p className="kecil">{t('peringatan.petunjuk')}</p>
      <fieldset className="saringan">
        <legend>{t('tugas.filter')}</legend>
        <label>
          {t('peringatan.keadaan')}
          <select
            name="keadaan"
            value={state}
            onChange={(event) => setParam('keadaan', event.target.value === 'open' ? null : event.target.value)}
          >
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`peringatan.keadaan.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {EVERY_ALERT_READERS.includes(me.role) && mayAct && (
          <label className="centang">
            <input
              type="checkbox"
              name="untuk_kami"
              checked={onlyOurs}
              onChange={(event) => setParam('semua_instansi', event.target.checked ? null : '1')}
            />{' '}
            {t('peringatan.untuk_kami')}
          </label>
        )}
      </fieldset>

      <p id="peringatan-hasil" className="kecil" role="status">
        {done}
      </p>
      {alerts.isPending && <p>{t('memuat')}</p>}
      {alerts.isError && <p role="alert">{explain(alerts.error, t)}</p>}
      {alerts.data && (
        <>
          <p className="kecil" aria-live="polite">
            {t('peringatan.jumlah', { n: items.length })}
          </p>
          {items.length === 0 ? (
            <p>{t('peringatan.kosong')}</p>
          ) : (
            <ul id="daftar-peringatan" className="kartu-kartu">
              {items.map((alert) => (
                <AlertCard key={alert.id} alert={alert} mayAct={mayAct} onDone={setDone} />
              ))}
            </ul>
          )}
          {alerts.hasNextPage && (
            <button type="button" className="tautan" disabled={alerts.isFetchingNextPage} onClick={() => void alerts.fetchNextPage()}>
              {t('peringatan.muat_lagi')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function AlertCard({ alert, mayAct, onDone }: { alert: Alert; mayAct: boolean; onDone: (message: string | null) => void }) {
  const { t, formatTime } = useI18n();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [snooze, setSnooze] = useState<(typeof SNOOZES)[number]>('PT1H');
  const settled = async (message: string) => {
    onDone(message);
    await queries.invalidateQueries({ queryKey: ['alerts'] });
  };
  const acknowledge = useMutation({
    mutationFn: async () =>
      dataOf(await api.POST('/v1/alerts/{id}/ack', { params: { path: { id: alert.id } }, body: note.trim() ? { note: note.trim() } : {} })),
    onSuccess: () => settled(t('peringatan.dikonfirmasi', { nomor: alert.caseNumber })),
  });
  const postpone = useMutation({
    mutationFn: async () => dataOf(await api.POST('/v1/alerts/{id}/snooze', { params: { path: { id: alert.id } }, body: { for: snooze } })),
    onSuccess: (snoozed) =>
      settled(t('peringatan.ditunda', { nomor: alert.caseNumber, waktu: snoozed.snoozedUntil ? formatTime(snoozed.snoozedUntil) : '' })),
  });
  const submit = (run: () => void) => (event: FormEvent) => {
    event.preventDefault();
    onDone(null);
    run();
  };
  const isOpen = alert.acknowledgedAt === null;
  const snoozed = isOpen && alert.snoozedUntil !== null && Date.parse(alert.snoozedUntil) > Date.now();
  const failure = acknowledge.error ?? postpone.error;
  const titleId = `peringatan-${alert.id}-judul`;

  return (
    <li className="kartu" data-peringatan={alert.id} data-kasus={alert.caseNumber} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {t(`peringatan.jenis.${alert.kind}`)}:{' '}
        <Link to={`/kasus/${alert.caseNumber}`}>{t('peringatan.kasus', { nomor: alert.caseNumber })}</Link>
      </h2>
      <dl className="ringkasan">
        <dt>{t('peringatan.tahap')}</dt>
        <dd>{stageNameOf(alert.stage, t)}</dd>
        <dt>{t('peringatan.tingkat')}</dt>
        <dd>{alert.level}</dd>
        <dt>{t('peringatan.untuk')}</dt>
        <dd>{recipientName(alert.recipientRole, t)}</dd>
        <dt>{t('peringatan.dibuat')}</dt>
        <dd>{formatTime(alert.createdAt)}</dd>
        {alert.dueAt && (
          <>
            <dt>{t('peringatan.tenggat')}</dt>
            <dd>{formatTime(alert.dueAt)}</dd>
          </>
        )}
        <dt>{t('peringatan.status')}</dt>
        <dd className="status-peringatan">
          {!isOpen
            ? t('peringatan.status.dikonfirmasi', { waktu: formatTime(alert.acknowledgedAt!) })
            : snoozed
              ? t('peringatan.status.ditunda', { waktu: formatTime(alert.snoozedUntil!) })
              : t('peringatan.status.terbuka')}
        </dd>
      </dl>
      {mayAct && isOpen && (
        <div className="aksi">
          <form className="konfirmasi" onSubmit={submit(() => acknowledge.mutate())}>
            <label>
              {t('peringatan.catatan')}
              <textarea name="catatan" maxLength={1000} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
            </label>
            <button type="submit" disabled={acknowledge.isPending}>
              {t('peringatan.konfirmasi')}
            </button>
          </form>
          {alert.snoozeCount < SNOOZE_LIMIT ? (
            <form className="tunda" onSubmit={submit(() => postpone.mutate())}>
              <label>
                {t('peringatan.tunda_selama')}
                <select name="lama" value={snooze} onChange={(event) => setSnooze(event.target.value as (typeof SNOOZES)[number])}>
                  {SNOOZES.map((duration) => (
                    <option key={duration} value={duration}>
                      {t(`peringatan.tunda.${duration}`)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={postpone.isPending}>
                {t('peringatan.tunda')}
              </button>
            </form>
          ) : (
            <p className="kecil">{t('peringatan.tunda_habis', { n: alert.snoozeCount })}</p>
          )}
        </div>
      )}
      {failure && (
        <p className="galat" role="alert">
          {refusal(failure, acknowledge.error ? 'catatan' : 'lama', t)}
        </p>
      )}
    </li>
  );
}

/** An acknowledgement's or a snooze's refusal in an officer's words; the API's detail names the rule in English. */
function refusal(error: Error, field: 'catatan' | 'lama', t: Translate): string {
  const words: Partial<Record<number, MessageKey>> = {
    400: `peringatan.galat.${field}`,
    403: 'peringatan.galat.403',
    404: 'peringatan.galat.404',
    409: 'peringatan.galat.409',
  };
  const key = error instanceof ApiError ? words[error.status] : undefined;
  return key ? t(key) : explain(error, t);
}
