// Accessibility: axe-core (npm) on every www page, empty and filled, in both languages, at desktop
// and phone widths; axe reaches into open shadow roots. Zero violations allowed.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

import { HNTE_PROFILE, fill, open, serverAndBrowser } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const env = serverAndBrowser();

/** Runs axe on the page (WCAG 2.1 A/AA and best practices); returns the violations in words. */
async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }),
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' > ')).join(' | ')}`,
  );
}

/**
 * Opens every disclosure in the widgets so that axe sees the quotes and expired programs too.
 * Their content renders on opening, and may hold more disclosures: repeat until none is closed.
 */
async function openAll(page) {
  await page.evaluate(async () => {
    for (let round = 0; round < 5; round += 1) {
      const closed = [...document.querySelectorAll('[data-huiqi-ready]')].flatMap((host) =>
        [...host.shadowRoot.querySelectorAll('details:not([open])')],
      );
      if (closed.length === 0) return;
      for (const details of closed) details.open = true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

const PAGES = [
  { path: 'index.html', host: '#check' },
  { path: 'portal.html', host: '#check-a' },
  { path: 'csp.html', host: 'huiqi-check' },
  { path: 'guide.html', host: 'huiqi-check' },
];

describe('axe-core finds no violation', () => {
  for (const { path, host } of PAGES) {
    test(`${path}: empty, filled with every disclosure open, and in English`, async () => {
      const page = await open(env.browser.context, env.server.url, path);
      assert.deepEqual(await violations(page), [], 'empty form');
      await fill(page.locator(host), HNTE_PROFILE);
      await openAll(page);
      assert.deepEqual(await violations(page), [], 'filled, disclosures open');
      const english = page.locator(host).getByRole('button', { name: 'English' });
      if (await english.count()) {
        await english.click();
        assert.deepEqual(await violations(page), [], 'English');
      }
      await page.close();
    });
  }

  test('index.html at 360 px wide, with a bad answer showing its error', async () => {
    const page = await open(env.browser.context, env.server.url, 'index.html');
    await page.setViewportSize({ width: 360, height: 780 });
    await fill(page.locator('#check'), { ...HNTE_PROFILE, tech_staff: '90' });
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
});
