/**
 * The screens of the signed-in console, one route each: the app shell's navigation and the router
 * both read this table, so a new screen is one entry here and one file in screens/.
 */
import { lazy, type ReactNode } from 'react';
import type { Me } from './api/client';
import type { MessageKey } from './i18n';
import { DASHBOARD_ROLES, INTAKE_ROLES } from './grants';
import { Kasus } from './screens/kasus';
import { Peringatan } from './screens/peringatan';
import { Penjangkauan } from './screens/penjangkauan';
import { Tugas } from './screens/tugas';

/** The dashboard and its chart library load when first opened, not with the sign-in page (docs/console.md, "First load"). */
const Dasbor = lazy(() => import('./screens/dasbor').then((screen) => ({ default: screen.Dasbor })));

export interface ConsoleRoute {
  path: string;
  screen: (me: Me) => ReactNode;
  /** Its entry in the navigation, if it has one (a case is reached from the work list). */
  nav?: MessageKey;
  /** Who sees it; everybody signed in when left out. */
  roles?: readonly Me['role'][];
}

export const ROUTES: readonly ConsoleRoute[] = [
  { path: '/', screen: (me) => <Tugas me={me} />, nav: 'navigasi.tugas' },
  { path: '/tugas', screen: (me) => <Tugas me={me} /> },
  { path: '/kasus/:caseNumber', screen: (me) => <Kasus me={me} /> },
  { path: '/peringatan', screen: (me) => <Peringatan me={me} />, nav: 'navigasi.peringatan' },
  { path: '/dasbor', screen: (me) => <Dasbor me={me} />, nav: 'navigasi.dasbor', roles: DASHBOARD_ROLES },
  { path: '/intake', screen: (me) => <Penjangkauan me={me} />, nav: 'navigasi.penjangkauan', roles: INTAKE_ROLES },
];
