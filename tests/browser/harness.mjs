// Shared harness of the browser tests: the www/ server, Debian's chromium through playwright-core
// (never a downloaded browser), and helpers that reach into the widget's shadow roots.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'tests/artifacts');
/** The evaluation date the tests pin the page clock to. */
export const TODAY = '2026-11-22';

/** Starts scripts/serve.mjs on a free port; resolves to { url, stop }. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs')], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/served at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve({ url: match[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${output}`)));
  });
}

/** Launches headless Debian chromium with a fresh profile; resolves to { context, close }. */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'huiqi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `path` in a new page whose clock reads TODAY (unless `fixedClock` is false), and waits
 * until every widget on it is interactive. Console errors and page errors are collected in `page.problems`.
 */
export async function open(context, base, path, { waitReady = true, before, fixedClock = true } = {}) {
  const page = await context.newPage();
  await before?.(page);
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      page.problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  // A fake clock also fakes `performance`: timing runs keep the real one.
  if (fixedClock) await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
  page.response = await page.goto(new URL(path, base).href);
  if (waitReady) await widgetsReady(page);
  return page;
}

/** Waits until every <huiqi-check> and mounted widget host on the page is ready. */
export async function widgetsReady(page, count) {
  await page.waitForFunction(
    (expected) => {
      const ready = document.querySelectorAll('[data-huiqi-ready]').length;
      const tags = document.querySelectorAll('huiqi-check').length;
      return ready >= (expected ?? Math.max(tags, 1));
    },
    count,
    { timeout: 20_000 },
  );
}

/** The element id of the input for a profile key (mirrors `input_id` in the widget). */
export function inputId(key) {
  return `hq-in-${key.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/** Saves a screenshot into tests/artifacts/ and returns its path. */
export async function screenshot(page, name, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // From the top: the widget's results column is sticky and would follow the last scroll.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true, ...options });
  return path;
}

/**
 * The HNTE-eligible Chengguan enterprise of the tests, as the form asks it (money in 万元): every
 * question the Chengguan form asks for its programs in force, and nothing else.
 */
export const HNTE_PROFILE = {
  registered_on: '2019-05-16',
  resident_enterprise: 'yes',
  industry_field: 'electronic_information',
  manufacturing: 'no',
  restricted_industry: 'no',
  super_deduction_excluded: 'no',
  employees: '68',
  tech_staff: '15',
  'financials[-1].sales_revenue': '3100',
  'financials[-1].total_income': '3180',
  'financials[-1].high_tech_income': '2150',
  'financials[-1].rd_expense': '170',
  'financials[-1].rd_expense_domestic': '170',
  'financials[-1].total_cost': '2800',
  'financials[-1].total_assets': '4100',
  'financials[-1].total_liabilities': '1700',
  'financials[-2].sales_revenue': '2650',
  'financials[-2].rd_expense': '126',
  'financials[-2].rd_expense_domestic': '126',
  'financials[-2].total_assets': '3500',
  'financials[-2].total_liabilities': '1550',
  'financials[-3].sales_revenue': '2200',
  'financials[-3].rd_expense': '105',
  'financials[-3].rd_expense_domestic': '105',
  'financials[-3].total_assets': '3000',
  'financials[-3].total_liabilities': '1400',
  taxable_income: '260',
  'ip.class1': '1',
  'ip.class2': '6',
  'ip.self_developed': 'yes',
  'ip.core_to_main_product': 'yes',
  'ip.drafted_standards': 'yes',
  'conversions[0]': '6',
  'conversions[1]': '6',
  'conversions[2]': '6',
  rd_institution_level: 'municipal',
  has_rd_management_system: 'yes',
  national_award_top3_5y: 'no',
  standards_led_5y: 'no',
  'hnte_self_assessment.advancement': '6',
  'hnte_self_assessment.core_support': '6',
  'hnte_self_assessment.org_management': '16',
  'incidents.major_accident': 'no',
  'incidents.environmental_violation': 'no',
  'incidents.research_dishonesty': 'no',
  'incidents.abnormal_list': 'no',
  'certifications.hnte': 'none',
  'certifications.tech_sme_registered': 'yes',
  'certifications.provincial_innovation_enterprise': 'no',
  relocating_hnte_from_other_province: 'no',
  out_of_province_hnte_subsidiary: 'no',
};

/**
 * Fills `answers` into the widget hosted by `host` (a locator), with mouse and typing; keys the
 * form does not ask are skipped and returned.
 */
export async function fill(host, answers) {
  const skipped = [];
  for (const [key, value] of Object.entries(answers)) {
    const id = inputId(key);
    const radios = host.locator(`input[type="radio"][name="${id}"]`);
    if ((await radios.count()) > 0) {
      await radios.and(host.locator(`[value="${value}"]`)).check();
      continue;
    }
    const input = host.locator(`#${id}`);
    if ((await input.count()) === 0) {
      skipped.push(key);
      continue;
    }
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') {
      await input.selectOption(value);
    } else {
      await input.fill(value);
    }
  }
  return skipped;
}

/** What has the focus, looking through shadow roots. */
export function deepFocus(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return null;
    const style = getComputedStyle(element);
    return {
      id: element.id,
      tag: element.tagName,
      name: element.getAttribute('name'),
      value: element.value,
      text: element.textContent.trim(),
      program: element.closest('article')?.dataset.program,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

/** Presses `key` (Tab or Shift+Tab) until the focus matches `wanted`; returns the focus. */
export async function tabUntil(page, wanted, key = 'Tab') {
  for (let i = 0; i < 400; i += 1) {
    const focus = await deepFocus(page);
    if (focus && wanted(focus)) return focus;
    await page.keyboard.press(key);
  }
  throw new Error(`focus never reached the element with ${key}`);
}

/** The result card of program `id` (e.g. `cn.hnte`) in `host`; `data-status` is ok/no/open. */
export function programCard(host, id) {
  return host.locator(`article[data-program="${id}"]`);
}

/** Starts the www/ server and a browser before a test file's tests and stops both after them:
 *  `const env = serverAndBrowser();` then `env.server.url`, `env.browser.context`. */
export function serverAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
