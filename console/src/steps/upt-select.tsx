/**
 * The UPT a case moves to, picked from the registry (GET /v1/upts) by name and city, each with its
 * free beds now, instead of a typed code. Whether the UPT takes the person (the PPKS type, the
 * needs, a bed of the person's class) is the API's to say: a refusal is recorded on the case.
 */
import { useQuery } from '@tanstack/react-query';
import type { SelectHTMLAttributes } from 'react';
import { api, dataOf } from '../api/client';
import { freeBeds } from '../beds';
import { useI18n } from '../i18n';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & { value: string; onChange: (code: string) => void };

export function UptSelect({ value, onChange, ...select }: Props) {
  const { t } = useI18n();
  const upts = useQuery({ queryKey: ['upts'], queryFn: async () => dataOf(await api.GET('/v1/upts')) });
  const byName = [...(upts.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'id'));
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value)} aria-busy={upts.isPending || undefined}>
      <option value="">{upts.isError ? t('langkah.upt.tidak_terbaca') : t('langkah.pilih')}</option>
      {byName.map((upt) => (
        <option key={upt.code} value={upt.code}>
          {t('langkah.upt.pilihan', { upt: upt.name, kota: upt.city, n: freeBeds({ ...upt, beds: upt.capacity }) })}
        </option>
      ))}
    </select>
  );
}
