/**
 * The screens of the signed-in console, one route each: the app shell's navigation and the router
 * both read this table, so a new screen (step forms, intake, alerts, dashboard) is one entry here
 * and one file in screens/.
 */
import type { ReactNode } from 'react';
import type { Me } from './api/client';
import type { MessageKey } from './i18n';
import { INTAKE_ROLES } from './intake/roles';
import { Kasus } from './screens/kasus';
import { Penjangkauan } from './screens/penjangkauan';
import { Tugas } from './screens/tugas';

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
  { path: '/intake', screen: (me) => <Penjangkauan me={me} />, nav: 'navigasi.penjangkauan', roles: INTAKE_ROLES },
];
