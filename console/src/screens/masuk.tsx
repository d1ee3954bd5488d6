/**
 * Masuk (sign in): email and password, then the second factor where the role needs one
 * (enrolment with recovery codes on first sign-in, verification after), then where the person
 * was going (`?next=`, from the Temporal UI gateway) or the app shell. The session lives in an
 * HttpOnly cookie the API sets; the element IDs are what tests/e2e drive.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, dataOf, rememberSession, type Me } from '../api/client';
import { explain } from '../api/problems';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../language-switch';
import { destinationOf } from '../session/destination';
import { useSignedIn } from '../session/session';

type Step = 'masuk' | 'kode' | 'daftar-kode' | 'pemulihan';

const destination = destinationOf(new URLSearchParams(location.search).get('next'));

/** A supervisor sent here by the Temporal UI gateway goes straight back once signed in. */
export const goesOnAfterSignIn = (me: Me) => destination !== null && me.role === 'supervisor';

export function Masuk({ initial }: { initial: Me | null }) {
  const { t } = useI18n();
  const signedIn = useSignedIn();
  const [step, setStep] = useState<Step>('masuk');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [enrolled, setEnrolled] = useState<{ who: Me; recoveryCodes: string[] } | null>(null);

  /** The step the session is at: the second factor while it is due, else on to the console or `?next=`. */
  async function arrive(who: Me): Promise<void> {
    rememberSession(who);
    if (who.secondFactor === 'required') return setStep('kode');
    if (who.secondFactor === 'enrolment_required') {
      setEnrolment(dataOf(await api.POST('/v1/session/totp/enrolment')));
      return setStep('daftar-kode');
    }
    if (goesOnAfterSignIn(who)) return location.assign(destination!);
    signedIn(who);
  }

  useEffect(() => {
    if (initial) arrive(initial).catch((error: unknown) => setMessage(explain(error, t)));
    // Once, for the session the page found.
  }, []);

  /** Runs a form's action with its button disabled, showing a refusal above the form. */
  const onSubmit = (action: (form: FormData) => Promise<void>) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setMessage(null);
    action(new FormData(form))
      .then(() => form.reset())
      .catch((error: unknown) => setMessage(explain(error, t)))
      .finally(() => setBusy(false));
  };
  const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

  return (
    <main className="masuk">
      <div className="atas">
        <LanguageSwitch />
      </div>
      <h1>{t('aplikasi.judul')}</h1>
      <p className="subjudul">{t('aplikasi.subjudul')}</p>
      <p id="pesan" role="alert" hidden={!message}>
        {message}
      </p>

      <form
        id="masuk"
        hidden={step !== 'masuk'}
        onSubmit={onSubmit(async (form) => {
          await arrive(
            dataOf(await api.POST('/v1/session', { body: { email: field(form, 'email'), password: String(form.get('password')) } })),
          );
        })}
      >
        <h2>{t('masuk.judul')}</h2>
        <label>
          {t('masuk.email')} <input type="email" name="email" autoComplete="username" required />
        </label>
        <label>
          {t('masuk.sandi')} <input type="password" name="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('masuk.tombol')}
        </button>
      </form>

      <form
        id="kode"
        hidden={step !== 'kode'}
        onSubmit={onSubmit(async (form) => {
          const code = field(form, 'code');
          await arrive(dataOf(await api.POST('/v1/session/totp', { body: /^\d{6}$/.test(code) ? { code } : { recoveryCode: code } })));
        })}
      >
        <h2>{t('kode.judul')}</h2>
        <p>{t('kode.petunjuk')}</p>
        <label>
          {t('kode.label')} <input name="code" autoComplete="one-time-code" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('kode.tombol')}
        </button>
      </form>

      <form
        id="daftar-kode"
        hidden={step !== 'daftar-kode'}
        onSubmit={onSubmit(async (form) => {
          const { recoveryCodes, ...who } = dataOf(
            await api.POST('/v1/session/totp/enrolment/confirm', { body: { code: field(form, 'code') } }),
          );
          rememberSession(who);
          setEnrolled({ who, recoveryCodes });
          setStep('pemulihan');
        })}
      >
        <h2>{t('daftar.judul')}</h2>
        <p>{t('daftar.petunjuk')}</p>
        <p>
          {t('daftar.kunci')} <code id="rahasia">{enrolment?.secret}</code>
        </p>
        <p className="kecil">
          {t('daftar.tautan')}{' '}
          <a id="otpauth" href={enrolment?.otpauthUri ?? '#'}>
            otpauth
          </a>
        </p>
        <label>
          {t('kode.label')} <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('daftar.tombol')}
        </button>
      </form>

      <section id="pemulihan" hidden={step !== 'pemulihan'}>
        <h2>{t('pemulihan.judul')}</h2>
        <p>{t('pemulihan.petunjuk')}</p>
        <ol id="daftar-pemulihan">
          {enrolled?.recoveryCodes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <button
          type="button"
          id="lanjut"
          onClick={() => enrolled && void arrive(enrolled.who).catch((error: unknown) => setMessage(explain(error, t)))}
        >
          {t('pemulihan.tombol')}
        </button>
      </section>
    </main>
  );
}
