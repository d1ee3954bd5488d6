/** The console's top: the sign-in screen until a person is fully signed in, then the app shell. */
import { explain } from './api/problems';
import { useI18n } from './i18n';
import { goesOnAfterSignIn, Masuk } from './screens/masuk';
import { isSignedIn, useMe } from './session/session';
import { Shell } from './shell';

export function App() {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending) return <p className="memuat">{t('memuat')}</p>;
  if (me.isError)
    return (
      <p id="pesan" role="alert">
        {explain(me.error, t)}
      </p>
    );
  // A supervisor the Temporal UI gateway sent here, already signed in, goes straight back (the sign-in screen does it).
  if (!isSignedIn(me.data) || goesOnAfterSignIn(me.data)) return <Masuk initial={me.data} />;
  return <Shell me={me.data} />;
}
