/**
 * Kasus: one case from GET /v1/cases/{caseNumber} (each read is in the case's access log): where it
 * stands (stage, who holds it, the SLA clock, the escalation level) and the timeline of its steps;
 * the forms of the steps this person may record on it now (steps/); for supervisors, a link to its
 * workflow in the Temporal UI, through the API's gateway.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, dataOf, type Me } from '../api/client';
import { explain } from '../api/problems';
import { useI18n } from '../i18n';
import { provinceLabel } from '../../../domain/provinces.js';
import { ppksTypeName, regionName, roleName, stageName } from '../labels';
import { countdown, isOverdue, useNow } from '../sla';
import { StepForms } from '../steps/step-forms';
import { AUDIT_ROLES } from '../grants';
import { JejakAudit } from './jejak-audit';

export function Kasus({ me }: { me: Me }) {
  const { t, formatTime } = useI18n();
  const now = useNow();
  const caseNumber = useParams().caseNumber!;
  const found = useQuery({
    queryKey: ['case', caseNumber],
    queryFn: async () => dataOf(await api.GET('/v1/cases/{caseNumber}', { params: { path: { caseNumber } } })),
  });
  const view = found.data;
  const none = t('kasus.tidak_ada');
  // A step names its agency by ID; the case's GET names those agencies (`agencies`). An ID shown is an agency no longer registered.
  const by = (agencyId: string) =>
    agencyId === 'system'
      ? t('kasus.sistem')
      : t('kasus.oleh', { instansi: view?.agencies.find((agency) => agency.agencyId === agencyId)?.name ?? agencyId });

  return (
    <section id="kasus" aria-labelledby="kasus-judul">
      <p>
        <Link to="/">{t('kasus.kembali')}</Link>
      </p>
      <h1 id="kasus-judul">{t('kasus.judul', { nomor: caseNumber })}</h1>
      {found.isPending && <p>{t('memuat')}</p>}
      {found.isError && <p role="alert">{explain(found.error, t)}</p>}
      {view && (
        <>
          <dl className="ringkasan">
            <dt>{t('kasus.status')}</dt>
            <dd id="kasus-status">{t(`kasus.status.${view.status}`)}</dd>
            <dt>{t('kasus.tahap')}</dt>
            <dd id="kasus-tahap">{stageName(view.stage, t)}</dd>
            <dt>{t('kasus.pemegang')}</dt>
            <dd id="kasus-pemegang">{view.ownerRole ? roleName(view.ownerRole, t) : none}</dd>
            <dt>{t('kasus.menunggu')}</dt>
            <dd>{view.waitingFor ?? none}</dd>
            <dt>{t('kasus.tenggat')}</dt>
            <dd id="kasus-tenggat" className={isOverdue(view.sla, now) ? 'lewat' : undefined}>
              {view.sla ? `${countdown(view.sla, now, t)} (${formatTime(view.sla.dueAt)})` : t('sla.tidak_ada')}
            </dd>
            <dt>{t('kasus.eskalasi')}</dt>
            <dd id="kasus-eskalasi">{view.escalationLevel}</dd>
            <dt>{t('kasus.jenis')}</dt>
            <dd>{ppksTypeName(view.ppksType)}</dd>
            <dt>{t('kasus.ditemukan')}</dt>
            <dd>{regionName(view.foundRegion)}</dd>
            <dt>{t('kasus.asal')}</dt>
            <dd id="kasus-asal">{regionName(view.homeRegion) ?? (view.homeProvince ? provinceLabel(view.homeProvince) : none)}</dd>
            <dt>{t('kasus.dibuka')}</dt>
            <dd>{formatTime(view.openedAt)}</dd>
          </dl>
          {me.role === 'supervisor' && (
            <p>
              <a id="kasus-temporal" href={`/temporal/namespaces/default/workflows/case-${encodeURIComponent(view.caseNumber)}`}>
                {t('kasus.temporal')}
              </a>
            </p>
          )}
          <StepForms me={me} view={view} />
          <h2>{t('kasus.riwayat')}</h2>
          <ol id="riwayat" className="riwayat">
            {view.steps.map((step, index) => (
              <li key={`${step.at}-${index}`}>
                <time dateTime={step.at}>{formatTime(step.at)}</time> — <strong>{stageName(step.stage, t)}</strong>:{' '}
                {step.outcome.replaceAll('_', ' ')} <span className="kecil">{by(step.by)}</span>
              </li>
            ))}
          </ol>
          {AUDIT_ROLES.includes(me.role) && <JejakAudit caseNumber={view.caseNumber} />}
        </>
      )}
    </section>
  );
}
