/**
 * Why a step was not recorded, in words an officer understands, and whether trying again with the
 * same Idempotency-Key is the way forward: after a timeout, a lost connection, 429 or 503 the step
 * may or may not have been recorded, and the same key makes sure it is recorded once.
 */
import { ApiError } from '../api/client';
import { explain } from '../api/problems';
import type { Translate } from '../i18n';

export function explainStep(error: unknown, t: Translate): { words: string; retry: boolean } {
  if (!(error instanceof ApiError)) return { words: t('langkah.galat.jaringan'), retry: true };
  switch (error.status) {
    case 400:
      return { words: t('langkah.galat.400'), retry: false };
    case 409:
      return { words: t('langkah.galat.409'), retry: true };
    case 429:
      return { words: t('langkah.galat.429'), retry: true };
    case 502:
    case 503:
    case 504:
      return { words: t('langkah.galat.503'), retry: true };
    default:
      return { words: explain(error, t), retry: false };
  }
}
