import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import type { Logger } from 'pino';

/**
 * The API's own paths. A request under one of them that reaches the portal
 * was not answered by the API: it goes on to the API's 404, as before the
 * portal existed, and never becomes the portal's index.html. Compared without
 * case, as Express routes are.
 */
const API_PREFIXES = ['/graphql', '/auth', '/healthz', '/readyz', '/metrics'];

/** The portal loads only its own scripts, styles, images and fonts, talks only to this origin, and is never framed. */
export const PORTAL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** On every answer of the portal: its pages, its files and its 404s. */
export const PORTAL_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PORTAL_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Vite names what it puts in assets/ by a hash of the content: a name never changes meaning. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and files with fixed names (favicon.svg): the browser asks again every time (ETag makes that cheap). */
export const REVALIDATE = 'no-cache';

/** `/auth`, `/auth/` and `/auth/x` are under `/auth`; `/authors` is not. */
function isUnder(prefix: string, urlPath: string): boolean {
  const lower = urlPath.toLowerCase();
  return lower === prefix || lower.startsWith(`${prefix}/`);
}

export const isApiPath = (urlPath: string): boolean => API_PREFIXES.some((prefix) => isUnder(prefix, urlPath));

/** `/assets/app.js`, `/favicon.svg`, `/.env`: a file, not a page of the portal. */
const looksLikeFile = (urlPath: string): boolean => (urlPath.split('/').pop() ?? '').includes('.');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signpost: the portal is not built</title></head>
<body>
<h1>The portal is not built</h1>
<p>Signpost's API is running, but the portal has not been built, so there is nothing to show here yet.
Run <code>npm run build</code> at the root of the repository, then reload this page.</p>
</body>
</html>
`;

function notFound(res: Response): void {
  res.status(404).set('Cache-Control', REVALIDATE).type('text/plain').send('Not found');
}

function notBuilt(res: Response): void {
  res.status(404).set('Cache-Control', REVALIDATE).type('html').send(NOT_BUILT_PAGE);
}

/**
 * Serves the built portal (a Vite build: index.html and hashed files under
 * assets/) from `portalDir`, mounted after every API route.
 * - A file of the build answers as itself: under assets/ cached for a year, any other revalidated.
 * - GET or HEAD of any other path without a file extension that accepts HTML
 *   (a deep link such as /groups/<id>) answers index.html with 200: the portal's router takes it from there.
 * - Anything else the portal does not have answers 404, and paths of the API keep the API's answers.
 * index.html is read on each request, so rebuilding the portal needs no restart; while it is
 * missing, pages answer 404 with a short page saying the portal is not built.
 */
export function portalRoutes(portalDir: string, logger: Logger): Router {
  const root = path.resolve(portalDir);
  const assets = path.join(root, 'assets') + path.sep;
  if (!existsSync(path.join(root, 'index.html'))) {
    logger.warn({ portalDir: root }, `the portal is not built (no index.html in ${root}): run \`npm run build\` to serve it at /`);
  }

  const router = express.Router();
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next('router');
    res.set(PORTAL_SECURITY_HEADERS);
    next();
  });
  router.use(
    express.static(root, {
      index: false,
      // A folder (/assets) is not a page: no redirect to /assets/, it falls through to the 404 below.
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (res, file) => void res.setHeader('Cache-Control', file.startsWith(assets) ? IMMUTABLE : REVALIDATE),
    }),
  );
  router.use((req, res, next) => {
    if (isUnder('/assets', req.path) || looksLikeFile(req.path) || !req.accepts('html')) return notFound(res);
    res.setHeader('Cache-Control', REVALIDATE);
    // `root`, so only index.html itself is checked for dot-segments, not the folders above the build.
    res.sendFile('index.html', { root, cacheControl: false }, (err?: NodeJS.ErrnoException & { status?: number }) => {
      // Nothing to answer when the caller went away.
      if (!err || err.code === 'ECONNABORTED') return;
      if (res.headersSent) return void res.end();
      if (err.status === 404 || err.code === 'ENOENT') return notBuilt(res);
      next(err);
    });
  });
  return router;
}
