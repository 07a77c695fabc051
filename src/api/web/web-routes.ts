// The status page, served by the supervisor's own HTTP server: GET / (the page), GET
// /assets/app.js and app.css (built from src/api/web/page/app.ts and app.css by `npm run bundle` into dist/web/,
// nothing from a CDN: the machines are offline) and GET /assets/texts.json (the diag alarm
// explanations in every language). None of these hold data: the page asks for a token and
// reads everything live from /api/v1 with it.

import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { packageRoot } from '../../package-root';
import { pageTexts } from './page-texts';

/** Where `npm run bundle` writes the page's script and style sheet. */
export function defaultAssetsDir(): string {
  return path.join(packageRoot(), 'dist', 'web');
}

// The page loads nothing but its own files and talks only to this server.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tdmgate</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body><noscript>The tdmgate status page needs JavaScript.</noscript></body>
</html>
`;

export function webRoutes(assetsDir: string = defaultAssetsDir()): Router {
  const router = Router();
  const texts = JSON.stringify(pageTexts());
  router.get('/', (_req, res) => {
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' }).type('html').send(PAGE);
  });
  router.get('/assets/texts.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('json').send(texts);
  });
  router.use('/assets', (req, res, next) => {
    if (existsSync(assetsDir)) return next();
    res.status(503).type('text').send(`the status page is not built: ${path.join('dist', 'web')} is missing (run npm run build)\n`);
  });
  router.use('/assets', express.static(assetsDir, { index: false, setHeaders: (res) => res.set('Cache-Control', 'no-cache') }));
  router.use('/assets', (req, res) => {
    res.status(404).type('text').send(`no such asset: ${req.originalUrl}\n`);
  });
  return router;
}
