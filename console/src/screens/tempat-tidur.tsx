/**
 * A UPT's own beds, above its work list: per bed class (sex and age group, as the API places
 * people) the beds, those occupied, those reserved for a person on the way, and those free; and
 * how many cases wait for a bed this UPT could give. GET /v1/upts/{code}, every role may read it.
 */
import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';
import { freeBeds } from '../beds';
import { explain } from '../api/problems';
import { useI18n } from '../i18n';

export function TempatTidur({ uptCode }: { uptCode: string }) {
  const { t } = useI18n();
  const upt = useQuery({
    queryKey: ['upts', uptCode],
    queryFn: async () => dataOf(await api.GET('/v1/upts/{code}', { params: { path: { code: uptCode } } })),
    refetchInterval: 60_000,
  });
  if (upt.isPending) return null;
  if (upt.isError) return <p role="alert">{explain(upt.error, t)}</p>;
  const { name, capacityByClass, capacity, occupied, reserved, waiting } = upt.data;
  return (
    <section id="tempat-tidur" aria-labelledby="tempat-tidur-judul">
      <h2 id="tempat-tidur-judul">{t('tempat_tidur.judul', { upt: name })}</h2>
      <p className="kecil" id="tempat-tidur-menunggu">
        {t('tempat_tidur.menunggu', { n: waiting })}
      </p>
      <div className="gulir" tabIndex={0} role="region" aria-labelledby="tempat-tidur-judul">
        <table id="daftar-tempat-tidur">
          <thead>
            <tr>
              <th scope="col">{t('tempat_tidur.kelas')}</th>
              <th scope="col">{t('dasbor.kolom.tempat_tidur')}</th>
              <th scope="col">{t('dasbor.kolom.terisi')}</th>
              <th scope="col">{t('dasbor.kolom.dipesan')}</th>
              <th scope="col">{t('tempat_tidur.kosong')}</th>
            </tr>
          </thead>
          <tbody>
            {capacityByClass.map((bed) => (
              <tr key={`${bed.sex}-${bed.ageGroup}`} data-kelas={`${bed.sex}-${bed.ageGroup}`}>
                <th scope="row">
                  {t(`kelamin.${bed.sex}`)}, {t(`usia.${bed.ageGroup}`)}
                </th>
                <td>{bed.beds}</td>
                <td>{bed.occupied}</td>
                <td>{bed.reserved}</td>
                <td>{freeBeds(bed)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-kelas="semua">
              <th scope="row">{t('tempat_tidur.jumlah')}</th>
              <td>{capacity}</td>
              <td>{occupied}</td>
              <td>{reserved}</td>
              <td>{capacityByClass.reduce((sum, bed) => sum + freeBeds(bed), 0)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
