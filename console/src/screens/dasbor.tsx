/**
 * Dasbor: how the service is doing, for supervisors, Dinsos Jatim and the Inspektorat (`stats.read`):
 * time per stage, SLA breaches by stage, owning agency and kab/kota found in, repatriations and UPT
 * occupancy per month (GET /v1/stats, over the months picked, kept in the URL), and the UPTs' beds
 * and waiting lists now (GET /v1/upts). Each chart has its table and that table's CSV under it.
 * Loaded on its own (the chart library is not in the sign-in page's first load).
 */
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSearchParams } from 'react-router';
import { api, dataOf, type Me } from '../api/client';
import { explain } from '../api/problems';
import { ChartFigure } from '../charts/figure';
import { breaches, monthsBefore, occupancyByMonth, repatriationsByMonth, thisMonth, timeInStage, type Breaches } from '../charts/stats';
import { useI18n, type Translate } from '../i18n';
import { regionName, roleName, STAGES, stageNameOf } from '../labels';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Colours with at least 4.5:1 contrast on white, told apart by the legend's words too. */
const COLOURS = ['#0b5cad', '#a4161a', '#2e6b30', '#6a3d9a'];
const CHART_HEIGHT = 280;

export function Dasbor(_props: { me: Me }) {
  const { t, language } = useI18n();
  const [search, setSearch] = useSearchParams();
  const to = MONTH.test(search.get('sampai') ?? '') ? search.get('sampai')! : thisMonth();
  const from = MONTH.test(search.get('dari') ?? '') ? search.get('dari')! : monthsBefore(to, 11);
  const setMonth = (name: 'dari' | 'sampai', value: string) => {
    if (!MONTH.test(value)) return;
    const next = new URLSearchParams(search);
    next.set(name, value);
    setSearch(next, { replace: true });
  };
  const rangeOk = from <= to;

  const stats = useQuery({
    queryKey: ['stats', from, to],
    queryFn: async () => dataOf(await api.GET('/v1/stats', { params: { query: { from, to } } })),
    enabled: rangeOk,
  });
  const upts = useQuery({ queryKey: ['upts'], queryFn: async () => dataOf(await api.GET('/v1/upts')) });

  const monthFormat = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthName = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));
  const suffix = `${from}-${to}`;
  const repatriations = stats.data ? repatriationsByMonth(stats.data).map((row) => ({ ...row, name: monthName(row.month) })) : [];
  const occupancy = stats.data ? occupancyByMonth(stats.data).map((row) => ({ ...row, name: monthName(row.month) })) : [];
  const byStageOrder = <Row extends { key: string }>(rows: Row[]) =>
    rows.sort((a, b) => STAGES.indexOf(a.key as (typeof STAGES)[number]) - STAGES.indexOf(b.key as (typeof STAGES)[number]));

  return (
    <section id="dasbor" aria-labelledby="dasbor-judul">
      <h1 id="dasbor-judul">{t('dasbor.judul')}</h1>
      <p className="kecil">{t('dasbor.petunjuk')}</p>
      <fieldset className="saringan">
        <legend>{t('dasbor.rentang')}</legend>
        <label>
          {t('dasbor.dari')}
          <input type="month" name="dari" value={from} max={to} onChange={(event) => setMonth('dari', event.target.value)} />
        </label>
        <label>
          {t('dasbor.sampai')}
          <input type="month" name="sampai" value={to} min={from} onChange={(event) => setMonth('sampai', event.target.value)} />
        </label>
      </fieldset>
      {!rangeOk && <p role="alert">{t('dasbor.rentang_salah')}</p>}
      {stats.isPending && rangeOk && <p>{t('memuat')}</p>}
      {stats.isError && <p role="alert">{explain(stats.error, t)}</p>}
      {stats.data && (
        <>
          <TimeFigure rows={byStageOrder(timeInStage(stats.data.stages))} suffix={suffix} t={t} />
          <BreachFigure
            id="langgar-tahap"
            title={t('dasbor.langgar.tahap')}
            keyLabel={t('dasbor.kolom.tahap')}
            rows={byStageOrder(breaches(stats.data.stages, (row) => row.stage))}
            name={(key) => stageNameOf(key, t)}
            suffix={suffix}
            t={t}
          />
          <BreachFigure
            id="langgar-peran"
            title={t('dasbor.langgar.peran')}
            keyLabel={t('dasbor.kolom.peran')}
            rows={breaches(stats.data.byOwnerRole, (row) => row.ownerRole ?? '')}
            name={(key) => (key ? roleName(key as Me['role'], t) : t('dasbor.tanpa_peran'))}
            suffix={suffix}
            t={t}
          />
          <BreachFigure
            id="langgar-wilayah"
            title={t('dasbor.langgar.wilayah')}
            keyLabel={t('dasbor.kolom.wilayah')}
            rows={breaches(stats.data.byFoundRegion, (row) => row.foundRegion)}
            name={(key) => regionName(key) ?? key}
            suffix={suffix}
            t={t}
          />
          <ChartFigure
            id="pemulangan"
            title={t('dasbor.pulang.judul')}
            fileSuffix={suffix}
            rows={repatriations}
            columns={[
              { label: t('dasbor.kolom.bulan'), value: (row) => row.name },
              { label: t('dasbor.pulang.jumlah'), value: (row) => row.repatriations },
            ]}
            chart={
              <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                <BarChart data={repatriations} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="name" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="repatriations" name={t('dasbor.pulang.jumlah')} fill={COLOURS[0]} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            }
          />
          <ChartFigure
            id="okupansi"
            title={t('dasbor.okupansi.judul')}
            fileSuffix={suffix}
            rows={occupancy}
            columns={[
              { label: t('dasbor.kolom.bulan'), value: (row) => row.name },
              { label: t('dasbor.okupansi.masuk'), value: (row) => row.admitted },
              { label: t('dasbor.okupansi.keluar'), value: (row) => row.released },
              { label: t('dasbor.okupansi.terisi'), value: (row) => row.occupied },
            ]}
            chart={
              <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                <LineChart data={occupancy} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="name" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Line
                    dataKey="occupied"
                    name={t('dasbor.okupansi.terisi')}
                    stroke={COLOURS[0]}
                    strokeWidth={2}
                    isAnimationActive={false}
                  />
                  <Line dataKey="admitted" name={t('dasbor.okupansi.masuk')} stroke={COLOURS[2]} isAnimationActive={false} />
                  <Line dataKey="released" name={t('dasbor.okupansi.keluar')} stroke={COLOURS[1]} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            }
          />
        </>
      )}
      {upts.isError && <p role="alert">{explain(upts.error, t)}</p>}
      {upts.data && (
        <ChartFigure
          id="upt"
          title={t('dasbor.upt.judul')}
          fileSuffix={thisMonth()}
          rows={upts.data.items}
          columns={[
            { label: t('dasbor.kolom.upt'), value: (upt) => upt.name },
            { label: t('dasbor.kolom.kota'), value: (upt) => upt.city },
            { label: t('dasbor.kolom.tempat_tidur'), value: (upt) => upt.capacity },
            { label: t('dasbor.kolom.terisi'), value: (upt) => upt.occupied },
            { label: t('dasbor.kolom.dipesan'), value: (upt) => upt.reserved },
            { label: t('dasbor.kolom.menunggu'), value: (upt) => upt.waiting },
          ]}
          chart={
            <ResponsiveContainer width="100%" height={40 + 36 * upts.data.items.length}>
              <BarChart data={upts.data.items} layout="vertical" accessibilityLayer={false} margin={{ left: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="city" width={110} />
                <Tooltip />
                <Legend />
                <Bar dataKey="capacity" name={t('dasbor.kolom.tempat_tidur')} fill={COLOURS[0]} isAnimationActive={false} />
                <Bar dataKey="occupied" name={t('dasbor.kolom.terisi')} fill={COLOURS[2]} isAnimationActive={false} />
                <Bar dataKey="waiting" name={t('dasbor.kolom.menunggu')} fill={COLOURS[1]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          }
        />
      )}
    </section>
  );
}

function TimeFigure({ rows, suffix, t }: { rows: ReturnType<typeof timeInStage>; suffix: string; t: Translate }) {
  const named = rows.map((row) => ({ ...row, name: stageNameOf(row.key, t) }));
  return (
    <ChartFigure
      id="waktu-tahap"
      title={t('dasbor.waktu.judul')}
      fileSuffix={suffix}
      rows={named}
      columns={[
        { label: t('dasbor.kolom.tahap'), value: (row) => row.name },
        { label: t('dasbor.kolom.singgah'), value: (row) => row.stays },
        { label: t('dasbor.kolom.selesai'), value: (row) => row.completed },
        { label: t('dasbor.waktu.rata'), value: (row) => row.avgHours },
        { label: t('dasbor.waktu.aktif'), value: (row) => row.avgActiveHours },
        { label: t('dasbor.waktu.jeda'), value: (row) => row.pausedHours },
      ]}
      chart={
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <BarChart data={named} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis />
            <Tooltip />
            <Legend />
            <Bar dataKey="avgHours" name={t('dasbor.waktu.rata')} fill={COLOURS[0]} isAnimationActive={false} />
            <Bar dataKey="avgActiveHours" name={t('dasbor.waktu.aktif')} fill={COLOURS[3]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
    />
  );
}

interface BreachProps {
  id: string;
  title: string;
  keyLabel: string;
  rows: Breaches[];
  name: (key: string) => string;
  suffix: string;
  t: Translate;
}

function BreachFigure({ id, title, keyLabel, rows, name, suffix, t }: BreachProps) {
  const named = rows.map((row) => ({ ...row, name: name(row.key) }));
  return (
    <ChartFigure
      id={id}
      title={title}
      fileSuffix={suffix}
      rows={named}
      columns={[
        { label: keyLabel, value: (row) => row.name },
        { label: t('dasbor.kolom.singgah'), value: (row) => row.stays },
        { label: t('dasbor.langgar.jumlah'), value: (row) => row.breached },
        { label: t('dasbor.langgar.persen'), value: (row) => row.percent },
      ]}
      chart={
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <BarChart data={named} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip />
            <Bar dataKey="percent" name={t('dasbor.langgar.persen')} fill={COLOURS[1]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
    />
  );
}
