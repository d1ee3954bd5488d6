/** The signed-in console: who is signed in and for which agency, the navigation, the language switch, signing out, and the screen of the route. */
import { Suspense, useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import type { Me } from './api/client';
import { explain } from './api/problems';
import { useI18n } from './i18n';
import { roleName } from './labels';
import { LanguageSwitch } from './language-switch';
import { ROUTES } from './routes';
import { useSignOut } from './session/session';

export function Shell({ me }: { me: Me }) {
  const { t } = useI18n();
  const signOut = useSignOut();
  const [message, setMessage] = useState<string | null>(null);
  const routes = ROUTES.filter((route) => !route.roles || route.roles.includes(me.role));
  return (
    <>
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
          <button type="button" id="keluar" onClick={() => void signOut().catch((error: unknown) => setMessage(explain(error, t)))}>
            {t('keluar')}
          </button>
        </div>
      </header>
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
    </>
  );
}
