/** A refused or failed call in words an officer understands, with the API's own detail where it helps. */
import type { Translate } from '../i18n';
import { ApiError } from './client';

export function explain(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('galat.jaringan');
  switch (error.status) {
    case 401:
      return t('galat.401');
    case 403:
      return t('galat.403');
    case 404:
      return t('galat.404');
    case 429:
      return t('galat.429');
    case 503:
      return t('galat.503');
    default:
      return error.detail ?? t('galat.lain', { status: error.status });
  }
}
