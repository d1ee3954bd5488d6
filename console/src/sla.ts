/** The SLA clock as the work list and a case show it: time left (or overdue) until the due time the API computed in WIB working time. */
import { useEffect, useState } from 'react';
import type { Translate } from './i18n';
import type { CaseView } from './api/client';

type Sla = CaseView['sla'];

/** The current time, moving on every half minute so countdowns stay current. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export const isOverdue = (sla: Sla, now: number) => !!sla && (sla.breached || Date.parse(sla.dueAt) < now);

/** Overdue first, then the nearest due time; cases without a running clock last. */
export function byUrgency(now: number) {
  const rank = (sla: Sla) => (!sla ? Infinity : isOverdue(sla, now) ? -Infinity : Date.parse(sla.dueAt));
  return (a: { sla: Sla }, b: { sla: Sla }) =>
    rank(a.sla) - rank(b.sla) || (a.sla && b.sla ? Date.parse(a.sla.dueAt) - Date.parse(b.sla.dueAt) : 0);
}

export function countdown(sla: Sla, now: number, t: Translate): string {
  if (!sla) return t('sla.tidak_ada');
  if (sla.pausedSince) return t('sla.jeda');
  const left = Date.parse(sla.dueAt) - now;
  const waktu = duration(Math.abs(left), t);
  return left >= 0 && !sla.breached ? t('sla.sisa', { waktu }) : t('sla.lewat', { waktu });
}

function duration(ms: number, t: Translate): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${t('sla.hari', { n: days })} ${t('sla.jam', { n: hours })}`;
  if (hours > 0) return `${t('sla.jam', { n: hours })} ${t('sla.menit', { n: minutes % 60 })}`;
  return t('sla.menit', { n: minutes });
}
