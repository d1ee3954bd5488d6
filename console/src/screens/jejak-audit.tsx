/**
 * A case's audit trail under its timeline on *Kasus*, for those who may read it (`case.audit`:
 * supervisors and the auditor): each change in order, when, what, which agency and which person
 * (GET /v1/cases/{caseNumber}/audit). Other readers see the agency of each step only: who the
 * person was is for those who answer for the processing (docs/console.md, "Who sees what").
 */
import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';
import { explain } from '../api/problems';
import { useI18n } from '../i18n';

export function JejakAudit({ caseNumber }: { caseNumber: string }) {
  const { t, formatTime } = useI18n();
  const trail = useQuery({
    queryKey: ['case', caseNumber, 'audit'],
    queryFn: async () => dataOf(await api.GET('/v1/cases/{caseNumber}/audit', { params: { path: { caseNumber } } })),
  });
  return (
    <section id="jejak-audit" aria-labelledby="jejak-audit-judul">
      <h2 id="jejak-audit-judul">{t('jejak.judul')}</h2>
      {trail.isPending && <p>{t('memuat')}</p>}
      {trail.isError && <p role="alert">{explain(trail.error, t)}</p>}
      {trail.data && (
        <ol className="riwayat">
          {trail.data.items.map((entry) => (
            <li key={entry.seq} data-aksi={entry.action}>
              <time dateTime={entry.at}>{formatTime(entry.at)}</time> — <strong>{entry.action}</strong>:{' '}
              {entry.agencyId === 'system'
                ? t('kasus.sistem')
                : t(entry.personName ? 'jejak.orang' : 'jejak.tanpa_orang', {
                    orang: entry.personName ?? '',
                    instansi: entry.agencyName ?? entry.agencyId,
                  })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
