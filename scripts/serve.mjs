#!/usr/bin/env node
// Serves www/ on 127.0.0.1 for the portal pages and the browser tests: static files only, the
// right MIME types (application/wasm for streaming compilation), no caching, and the strict CSP
// header on the CSP test page. Port from $PORT (0 = any free port), default 8080.
//
//   node scripts/serve.mjs            # prints the URL
//   PORT=0 node scripts/serve.mjs     # prints the URL of a free port (used by the tests)

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../www/', import.meta.url)));
const PORT = Number.parseInt(process.env.PORT ?? '8080', 10);
const HOST = '127.0.0.1';

/** The policy the issue asks the widget to work under; no inline scripts or styles allowed. */
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const STRICT_PAGES = new Set(['/csp.html']);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

async function resolveFile(urlPath) {
  const path = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const file = join(ROOT, path);
  if (file !== ROOT && !file.startsWith(ROOT + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return resolveFile(join(urlPath, 'index.html'));
  return info?.isFile() ? file : null;
}

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', `http://${HOST}`);
  const file = request.method === 'GET' || request.method === 'HEAD' ? await resolveFile(pathname) : null;
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (STRICT_PAGES.has(pathname)) headers['content-security-policy'] = STRICT_CSP;
  const body = await readFile(file);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  console.log(`huiqi www/ served at http://${HOST}:${port}/`);
  console.log(`  Chengguan portal  http://${HOST}:${port}/index.html`);
  console.log(`  third-party page  http://${HOST}:${port}/portal.html`);
  console.log(`  strict CSP page   http://${HOST}:${port}/csp.html`);
  console.log(`  integration guide http://${HOST}:${port}/guide.html`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
