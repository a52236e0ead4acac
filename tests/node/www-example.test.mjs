// The example page www/example/ (a plain HTML page with a module script) in headless Chromium:
// the web build loads with no special headers, evaluates, prints the result, and shows a located
// error for a bad profile. Screenshots go to tests/artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, open, serverAndBrowser } from '../browser/harness.mjs';

const env = serverAndBrowser();

test('the example page evaluates in the browser and shows a located error', async () => {
  const page = await open(env.browser.context, env.server.url, 'example/', { waitReady: false });
  assert.equal(page.response.status(), 200);
  const headers = page.response.headers();
  assert.equal(headers['cross-origin-opener-policy'], undefined);
  assert.equal(headers['cross-origin-embedder-policy'], undefined);
  await page.waitForSelector('#result:not([hidden]) tbody tr');
  const status = await page.textContent('#status');
  assert.match(status, /programs apply on 2026-11-22/);
  const hnte = await page.textContent('tr[data-program="cn.hnte"]');
  assert.match(hnte, /高新技术企业/);
  assert.match(await page.textContent('#version'), /cn-hnte@/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'npm-example.png'), fullPage: true });

  await page.fill('#profile', '{"employees": 10, "tech_staff": "eleven"}');
  await page.click('#evaluate');
  await page.waitForSelector('#error:not(:empty)');
  assert.match(await page.textContent('#error'), /^tech_staff: /);
  assert.equal(await page.isHidden('#result'), true);
  await page.screenshot({ path: join(ARTIFACTS, 'npm-example-error.png') });
  assert.deepEqual(page.problems, []);
});
