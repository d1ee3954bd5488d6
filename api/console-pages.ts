/**
 * The staff console (console/, built by scripts/console-build.ts into console/dist/) served at `/`:
 * the same origin as the API, so its session cookie and CSRF rules apply. The console routes in the
 * browser (/tugas, /kasus/…), so a reload of such a page gets index.html too; the API's own paths
 * and anything that looks like a file (a dot in its last segment) never do.
 */
import path from 'node:path';
import compression from 'compression';
import express, { Router, type Response } from 'express';

/** Paths the API answers itself: the console never shadows them. */
const API_PATHS = ['/v1', '/codec', '/docs', '/openapi.json', '/healthz', '/readyz', '/temporal', '/assets'];

/** The console's pages load only their own scripts and styles, and no other site may frame them. */
const CONSOLE_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

export function consolePages(builtDir: string): Router {
  const router = Router();
  const index = path.join(builtDir, 'index.html');
  const setHeaders = (res: Response, file: string) => {
    res.set(CONSOLE_HEADERS);
    // Vite names each asset by its content hash: kept for good, which spares a phone on 3G the second download;
    // index.html, which names the current assets, is checked every time, and so are the service worker's files
    // (sw.js, registerSW.js) and manifest.webmanifest, so a phone picks up a new console on its next visit with signal.
    res.set('Cache-Control', file.startsWith(path.join(builtDir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  // Compressed for phones on 3G (the first load's bytes: docs/console.md); the API's JSON answers stay as they are.
  router.use(compression());
  router.use(express.static(builtDir, { setHeaders }));
  router.get(/.*/, (req, res, next) => {
    const isApiPath = API_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
    if (isApiPath || path.posix.basename(req.path).includes('.') || !req.accepts('html')) return next();
    setHeaders(res, index);
    // No build (the API started on its own without `npm start`): the plain 404 of an unknown route.
    res.sendFile(index, (err) => err && next());
  });
  return router;
}
