/**
 * Keluar. On a shared phone the next person must not find this person's intakes, so signing out
 * deletes the unsent ones from the phone: never silently, the officer is told how many first and
 * may stay signed in until they are sent.
 */
import { useState } from 'react';
import { explain } from './api/problems';
import { useI18n } from './i18n';
import { useIntakeQueue } from './intake/queue';
import { useSignOut } from './session/session';

export function SignOut({ onError }: { onError: (message: string) => void }) {
  const { t } = useI18n();
  const signOut = useSignOut();
  const queue = useIntakeQueue();
  const [asking, setAsking] = useState(false);
  const unsent = queue?.items.length ?? 0;
  const leave = async () => {
    try {
      await signOut();
      await queue?.forget();
    } catch (error) {
      onError(explain(error, t));
    }
  };
  if (asking && unsent > 0)
    return (
      <div id="keluar-peringatan" role="alertdialog" aria-labelledby="keluar-peringatan-teks" className="peringatan">
        <p id="keluar-peringatan-teks">{t('keluar.peringatan', { n: unsent })}</p>
        <button type="button" onClick={() => setAsking(false)} autoFocus>
          {t('keluar.batal')}
        </button>{' '}
        <button type="button" id="keluar-hapus" onClick={() => void leave()}>
          {t('keluar.hapus', { n: unsent })}
        </button>
      </div>
    );
  return (
    <button type="button" id="keluar" onClick={() => (unsent > 0 ? setAsking(true) : void leave())}>
      {t('keluar')}
    </button>
  );
}
