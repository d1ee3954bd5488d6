/**
 * The console's top: the sign-in screen until a person is fully signed in, then the app shell.
 * With no signal (GET /v1/me unreachable), the person signed in last on this phone gets the app
 * shell offline, so Satpol PP can go on recording intakes; the session is checked again when the
 * connection returns.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, type Me } from './api/client';
import { explain } from './api/problems';
import { whenConnected } from './connection';
import { useI18n } from './i18n';
import { INTAKE_ROLES } from './grants';
import { lastPerson, type KnownPerson } from './intake/store';
import { goesOnAfterSignIn, Masuk } from './screens/masuk';
import { isSignedIn, useMe } from './session/session';
import { Shell } from './shell';

export function App() {
  const { t } = useI18n();
  const me = useMe();
  const offline = me.isError && !(me.error instanceof ApiError);
  const known = useQuery({ queryKey: ['orang-terakhir'], queryFn: lastPerson, enabled: offline });
  const { refetch } = me;
  useEffect(() => {
    if (!offline) return;
    return whenConnected(() => void refetch());
  }, [offline, refetch]);

  if (me.isPending || (offline && known.isPending)) return <p className="memuat">{t('memuat')}</p>;
  if (me.isError) {
    if (offline && known.data && INTAKE_ROLES.includes(known.data.role)) return <Shell me={asOffline(known.data)} offline />;
    return (
      <p id="pesan" role="alert">
        {explain(me.error, t)}
      </p>
    );
  }
  // A supervisor the Temporal UI gateway sent here, already signed in, goes straight back (the sign-in screen does it).
  if (!isSignedIn(me.data) || goesOnAfterSignIn(me.data)) return <Masuk initial={me.data} />;
  return <Shell me={me.data} />;
}

/** The person signed in last, as far as the phone knows them: no name, email or CSRF token is kept there. */
const asOffline = (person: KnownPerson): Me => ({ ...person, email: null, name: null, csrfToken: null, secondFactor: null });
