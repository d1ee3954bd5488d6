/** The signed-in console: who is signed in and for which agency, the navigation, the language switch, signing out, and the screen of the route. */
import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import type { Me } from './api/client';
import { useI18n } from './i18n';
import { IntakeQueueProvider } from './intake/queue';
import { INTAKE_ROLES } from './grants';
import { roleName } from './labels';
import { LanguageSwitch } from './language-switch';
import { ROUTES } from './routes';
import { SignOut } from './sign-out';

/** `offline`: opened with no signal, as the person signed in last (app.tsx): the screens say so and nothing is sent yet. */
export function Shell({ me, offline = false }: { me: Me; offline?: boolean }) {
  const { t } = useI18n();
  const [message, setMessage] = useState<string | null>(null);
  const routes = ROUTES.filter((route) => !route.roles || route.roles.includes(me.role));
  return (
    <IntakeQueueFor me={me} offline={offline}>
      <header id="sudah-masuk" className="kepala">
        <p className="merek">{t('aplikasi.judul')}</p>
        <nav aria-label={t('navigasi.label')}>
          {routes
            .filter((route) => route.nav)
            .map((route) => (
              <NavLink key={route.path} to={route.path} end>
                {t(route.nav!)}
              </NavLink>
            ))}
          {me.role === 'supervisor' && (
            <a id="temporal-ui" href="/temporal/" title={t('navigasi.temporal.panjang')}>
              {t('navigasi.temporal')}
            </a>
          )}
        </nav>
        <p className="siapa">
          <strong id="nama">{me.name ?? me.email}</strong> — <span id="instansi">{me.agency.name}</span> (
          <span id="peran">{roleName(me.role, t)}</span>)
        </p>
        <div className="tindakan">
          <LanguageSwitch />
          <SignOut onError={setMessage} />
        </div>
      </header>
      {offline && (
        <p id="luring" className="peringatan">
          {t('luring')}
        </p>
      )}
      <p id="pesan" role="alert" hidden={!message}>
        {message}
      </p>
      <main className="layar">
        {/* A screen loaded on first use (the dashboard) shows "loading" meanwhile. */}
        <Suspense fallback={<p className="memuat">{t('memuat')}</p>}>
          <Routes>
            {routes.map((route) => (
              <Route key={route.path} path={route.path} element={route.screen(me)} />
            ))}
          </Routes>
        </Suspense>
      </main>
    </IntakeQueueFor>
  );
}

/** The intake queue, for the roles that may open a case. */
function IntakeQueueFor({ me, offline, children }: { me: Me; offline: boolean; children: ReactNode }) {
  const person = useMemo(() => ({ userId: me.userId ?? '', role: me.role, agency: me.agency, scope: me.scope }), [me]);
  if (!INTAKE_ROLES.includes(me.role) || !me.userId) return children;
  return (
    <IntakeQueueProvider person={person} online={!offline}>
      {children}
    </IntakeQueueProvider>
  );
}
