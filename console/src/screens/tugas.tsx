/**
 * Tugas: the work list of the signed-in person's agency, like DHIS2 Tracker's working lists. GET
 * /v1/cases already limits it to the agency's scope; the list shows by default only the open cases
 * waiting on the agency's role, overdue first, then the nearest SLA due time, with the countdown.
 * The filters live in the URL, so a reload or a shared link keeps them.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, dataOf, type ListedCase, type Me, type Stage } from '../api/client';
import { explain } from '../api/problems';
import { useI18n } from '../i18n';
import { PPKS_TYPE_CODES, ppksTypeName, REGION_CODES, regionName, STAGES, stageName } from '../labels';
import { byUrgency, countdown, isOverdue, useNow } from '../sla';
import { TempatTidur } from './tempat-tidur';

/** One page of the list as the API serves it at most: enough for one agency's open work. */
const LIST_LIMIT = 500;

/** Roles that hold no step of their own watch every case in scope by default. */
const WATCHERS: readonly Me['role'][] = ['supervisor', 'auditor'];

export function Tugas({ me }: { me: Me }) {
  const { t, formatTime } = useI18n();
  const now = useNow();
  const [search, setSearch] = useSearchParams();
  const stage = (search.get('tahap') as Stage | null) ?? undefined;
  const region = (search.get('wilayah') as (typeof REGION_CODES)[number] | null) ?? undefined;
  const ppksType = (search.get('jenis') as (typeof PPKS_TYPE_CODES)[number] | null) ?? undefined;
  const onlyOurs = search.has('menunggu') ? search.get('menunggu') === '1' : !WATCHERS.includes(me.role);
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };

  const cases = useQuery({
    queryKey: ['cases', { stage, region, ppksType, onlyOurs }],
    queryFn: async () => {
      // The open cases (waiting on our role, by default), newest first; the breached ones are asked for
      // on their own, so an old overdue case is never cut off.
      const ownerRole = onlyOurs ? me.role : undefined;
      const list = async (breached?: 'true') =>
        dataOf(
          await api.GET('/v1/cases', {
            params: { query: { stage, region, ppksType, breached, status: 'open', ownerRole, limit: LIST_LIMIT } },
          }),
        );
      const [overdue, newest] = await Promise.all([list('true'), list()]);
      const items = new Map([...newest.items, ...overdue.items].map((item) => [item.caseNumber, item]));
      return { items: [...items.values()], more: overdue.next !== null || newest.next !== null };
    },
    refetchInterval: 60_000,
  });
  const rows: ListedCase[] = [...(cases.data?.items ?? [])].sort(byUrgency(now));

  return (
    <section id="tugas" aria-labelledby="tugas-judul">
      <h1 id="tugas-judul">{t('tugas.judul')}</h1>
      <p className="kecil">{t('tugas.petunjuk')}</p>
      {/* Only a UPT's agency has a UPT code: its people see their beds. */}
      {me.scope.uptCode && <TempatTidur uptCode={me.scope.uptCode} />}
      <fieldset className="saringan">
        <legend>{t('tugas.filter')}</legend>
        <label className="centang">
          <input
            type="checkbox"
            name="menunggu"
            checked={onlyOurs}
            onChange={(event) => setFilter('menunggu', event.target.checked ? '1' : '0')}
          />{' '}
          {t('tugas.menunggu_kami')}
        </label>
        <label>
          {t('tugas.tahap')}
          <select name="tahap" value={stage ?? ''} onChange={(event) => setFilter('tahap', event.target.value)}>
            <option value="">{t('tugas.semua')}</option>
            {STAGES.map((code) => (
              <option key={code} value={code}>
                {stageName(code, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tugas.wilayah')}
          <select name="wilayah" value={region ?? ''} onChange={(event) => setFilter('wilayah', event.target.value)}>
            <option value="">{t('tugas.semua')}</option>
            {REGION_CODES.map((code) => (
              <option key={code} value={code}>
                {regionName(code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tugas.jenis')}
          <select name="jenis" value={ppksType ?? ''} onChange={(event) => setFilter('jenis', event.target.value)}>
            <option value="">{t('tugas.semua')}</option>
            {PPKS_TYPE_CODES.map((code) => (
              <option key={code} value={code}>
                {ppksTypeName(code)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      {cases.isPending && <p>{t('memuat')}</p>}
      {cases.isError && <p role="alert">{explain(cases.error, t)}</p>}
      {cases.data && (
        <>
          <p className="kecil" aria-live="polite">
            {t('tugas.jumlah', { n: rows.length })}
            {cases.data.more ? ` ${t('tugas.lebih')}` : ''}
          </p>
          {rows.length === 0 ? (
            <p>{t('tugas.kosong')}</p>
          ) : (
            // Scrolls sideways on a phone: focusable, so the keyboard can scroll it too.
            <div className="gulir" tabIndex={0} role="region" aria-labelledby="tugas-judul">
              <table id="daftar-tugas">
                <thead>
                  <tr>
                    <th scope="col">{t('kolom.kasus')}</th>
                    <th scope="col">{t('kolom.tenggat')}</th>
                    <th scope="col">{t('kolom.tahap')}</th>
                    <th scope="col">{t('kolom.menunggu')}</th>
                    <th scope="col">{t('kolom.jenis')}</th>
                    <th scope="col">{t('kolom.wilayah')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((item) => (
                    <tr key={item.caseNumber} data-kasus={item.caseNumber} className={isOverdue(item.sla, now) ? 'lewat' : undefined}>
                      <th scope="row">
                        <Link to={`/kasus/${item.caseNumber}`}>{item.caseNumber}</Link>
                      </th>
                      <td>
                        <span className="hitung-mundur">{countdown(item.sla, now, t)}</span>
                        {item.sla && <span className="kecil blok">{formatTime(item.sla.dueAt)}</span>}
                      </td>
                      <td>{stageName(item.stage, t)}</td>
                      <td>{item.waitingFor ?? t('kasus.tidak_ada')}</td>
                      <td>{ppksTypeName(item.ppksType)}</td>
                      <td>{regionName(item.foundRegion)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
