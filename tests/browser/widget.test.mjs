// End-to-end tests of the <huiqi-check> widget on the www/ pages, in headless Debian chromium.
// Run by scripts/test-env.browser.sh (which builds the widget and installs what is missing).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

import { HNTE_PROFILE, deepFocus, fill, inputId, open, programCard, screenshot, serverAndBrowser, tabUntil } from './harness.mjs';

const env = serverAndBrowser();

describe('Chengguan government portal', () => {
  test('an HNTE-eligible enterprise sees 高新技术企业 qualify, the 20万 award and the 15% rate saving', async () => {
    const page = await open(env.browser.context, env.server.url, 'index.html');
    const host = page.locator('#check');
    await screenshot(page, 'gov-portal-empty');
    const skipped = await fill(host, HNTE_PROFILE);
    assert.deepEqual(skipped, [], 'every answer of the profile has an input');

    await assert.doesNotReject(programCard(host, 'cn.hnte').and(host.locator('[data-status="ok"]')).waitFor());
    assert.match(await programCard(host, 'cn.hnte').innerText(), /高新技术企业[\s\S]*✓\s*符合条件/);
    assert.equal(await programCard(host, 'cn.tech-sme').getAttribute('data-status'), 'ok');

    const award = host.locator('.hq-benefits [data-benefit="gansu.hnte-first-award"]');
    assert.match(await award.innerText(), /20 万元/);
    const rate = host.locator('.hq-benefits [data-benefit="cn.tax.hnte-rate"]');
    assert.match(await rate.innerText(), /26 万元/);
    assert.match(await host.locator('.hq-total').innerText(), /预计合计/);

    // The ladder puts the enterprise on the HNTE rung.
    assert.match(await host.locator('.hq-ladder-svg').getAttribute('aria-label'), /当前位置：高新技术企业/);
    // The summary is announced politely.
    assert.equal(await host.locator('.hq-summary').getAttribute('aria-live'), 'polite');
    await screenshot(page, 'gov-portal-hnte-zh');

    // Switch to English in the widget; the answers stay.
    await host.getByRole('button', { name: 'English' }).click();
    assert.match(await programCard(host, 'cn.hnte').innerText(), /High and New Technology Enterprise[\s\S]*Qualifies/);
    assert.match(await award.innerText(), /¥200,000/);
    assert.equal(await host.locator(`#${inputId('employees')}`).inputValue(), '68');
    await screenshot(page, 'gov-portal-hnte-en');

    // The portal can switch the language too, through the attribute.
    await page.locator('#check').evaluate((element) => element.setAttribute('lang', 'zh-CN'));
    await host.getByRole('button', { name: 'English' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a failed criterion shows its gap in 万元, and a bad answer its located error', async () => {
    const page = await open(env.browser.context, env.server.url, 'index.html');
    const host = page.locator('#check');
    await fill(host, { ...HNTE_PROFILE, 'financials[-1].rd_expense': '150', 'financials[-1].rd_expense_domestic': '150' });
    const hnte = programCard(host, 'cn.hnte');
    await hnte.and(host.locator('[data-status="no"]')).waitFor();
    const gap = await hnte.locator('.hq-failed .hq-gap').innerText();
    assert.match(gap, /研发/);
    assert.match(gap, /16\.5 ?万元/);

    await host.locator(`#${inputId('tech_staff')}`).fill('80');
    const error = host.locator(`#${inputId('tech_staff')}-error`);
    await error.waitFor();
    assert.match(await error.innerText(), /科技人员数不能多于职工总数/);
    assert.equal(await host.locator(`#${inputId('tech_staff')}`).getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'gov-portal-gap-and-error');
    await page.close();
  });

  test('keyboard only: tab to the questions, type, choose, and read the result', async () => {
    const page = await open(env.browser.context, env.server.url, 'index.html');
    const host = page.locator('#check');
    // Tab forward until the focus is on `id`, typing nothing on the way.
    const tabTo = (id) => tabUntil(page, (focus) => focus.id === id || focus.name === id);
    // Fields in the order the form shows them, so that Tab only goes forward.
    const order = await host.locator('input, select').evaluateAll((elements) =>
      elements.map((e) => (e.type === 'radio' ? e.name : e.id)).filter((v, i, all) => v && all.indexOf(v) === i),
    );
    const wanted = new Map(Object.entries(HNTE_PROFILE).map(([key, value]) => [inputId(key), value]));
    for (const id of order) {
      if (!wanted.has(id)) continue;
      const value = wanted.get(id);
      const focus = await tabTo(id);
      if (focus.tag === 'SELECT') {
        await page.keyboard.press('Home');
        for (let i = 0; i < 20 && (await deepFocus(page)).value !== value; i += 1) {
          await page.keyboard.press('ArrowDown');
        }
      } else if (focus.name === id) {
        // A radio group: arrows move the choice (yes, no, not now), wrapping around.
        for (let i = 0; i < 3 && (await deepFocus(page)).value !== value; i += 1) {
          await page.keyboard.press('ArrowRight');
        }
      } else {
        // A date input takes its digits segment by segment, in the order of the browser's
        // locale: Debian chromium shows mm/dd/yyyy.
        await page.keyboard.type(value.replace(/^(\d{4})-(\d\d)-(\d\d)$/, '$2$3$1'));
      }
      assert.equal((await deepFocus(page)).value, value, `${id} answered by keyboard`);
    }
    await programCard(host, 'cn.hnte').and(host.locator('[data-status="ok"]')).waitFor();

    // The criteria of the HNTE card open from the keyboard, with a visible focus ring.
    const summary = await tabUntil(page, (f) => f.tag === 'SUMMARY' && f.program === 'cn.hnte' && /申报条件/.test(f.text));
    assert.match(summary.outline, /solid 3px/);
    await page.keyboard.press('Enter');
    assert.equal(await host.locator('article[data-program="cn.hnte"] .hq-all-criteria').getAttribute('open'), '');
    // Back up to the language switch and press it.
    await tabUntil(page, (f) => f.tag === 'BUTTON' && f.text === 'English', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await host.getByRole('button', { name: '中文' }).waitFor();
    assert.match(await programCard(host, 'cn.hnte').innerText(), /Qualifies/);
    await screenshot(page, 'gov-portal-keyboard');
    await page.close();
  });

  test('no request after load, no storage unless a draft is saved, then a visible clear', async () => {
    const requests = [];
    let ready = false;
    const page = await open(env.browser.context, env.server.url, 'index.html', {
      before: (p) => p.on('request', (request) => requests.push({ url: request.url(), afterReady: ready })),
    });
    ready = true;
    const own = ['/index.html', '/assets/gov.css', '/favicon.svg', '/widget/huiqi-check.js', '/widget/huiqi_widget.js', '/widget/huiqi_widget_bg.wasm'];
    for (const { url } of requests) {
      assert.equal(new URL(url).origin, new URL(env.server.url).origin, `${url} is the page's own`);
      assert.ok(own.includes(new URL(url).pathname), `${url} is one of the page's and the widget's files`);
    }

    const host = page.locator('#check');
    await fill(host, HNTE_PROFILE);
    await host.getByRole('button', { name: 'English' }).click();
    await host.getByRole('button', { name: '中文' }).click();
    await host.locator('details summary').first().click();
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing stored without asking');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      host.getByRole('button', { name: '下载结果（JSON）' }).click(),
    ]);
    const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(saved.result.programs.find((p) => p.id === 'cn.hnte').status, 'eligible');
    assert.equal(saved.profile.financials.at(-1).rd_expense, '1700000', '170 万元 is exactly 1,700,000 元');

    await host.getByRole('checkbox', { name: '在本机保存草稿' }).check();
    await page.waitForFunction(() => localStorage.length === 1);
    const clear = host.getByRole('button', { name: '清除已保存的草稿' });
    assert.ok(await clear.isVisible());
    await clear.click();
    assert.equal(await page.evaluate(() => localStorage.length), 0);

    const late = requests.filter((r) => r.afterReady && !r.url.startsWith('blob:'));
    assert.deepEqual(late, [], 'the widget made no request after its files loaded');
    await page.close();
  });

  test('print shows the result without the form; 360 px wide needs no sideways scroll', async () => {
    const page = await open(env.browser.context, env.server.url, 'index.html');
    const host = page.locator('#check');
    await fill(host, HNTE_PROFILE);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await host.locator('.hq-form-col').isVisible(), false);
    assert.ok(await programCard(host, 'cn.hnte').isVisible());
    await screenshot(page, 'gov-portal-print');
    await page.emulateMedia({ media: 'screen' });

    await page.setViewportSize({ width: 360, height: 780 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 360, `page is ${overflow}px wide at 360px`);
    await screenshot(page, 'gov-portal-mobile-360');
    await page.close();
  });
});

/** Widget elements whose styles the hostile page must not change. */
const STYLED = ['.hq', '.hq-title', '.hq-sub', '.hq-card-title', '.hq-input', '.hq-seg-opt span', '.hq-btn', '.hq-summary', '.hq-ladder-svg', '.hq-foot'];

/** The styles that host CSS could reach through inheritance or global rules. */
function computed(host, selector) {
  return host.locator(selector).first().evaluate((element) => {
    const s = getComputedStyle(element);
    return Object.fromEntries(
      ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'color', 'lineHeight', 'letterSpacing', 'textTransform',
        'textAlign', 'display', 'marginTop', 'paddingTop', 'borderTopWidth', 'boxSizing', 'visibility'].map((p) => [p, s[p]]),
    );
  });
}

describe('third-party portal with hostile CSS', () => {
  test('both instances render unharmed and work independently', async () => {
    const page = await open(env.browser.context, env.server.url, 'portal.html');
    await page.locator('#check-b[data-huiqi-ready]').waitFor({ state: 'attached' });
    const a = page.locator('#check-a');
    const b = page.locator('#check-b');

    // Every widget element computes the same styles as on a plain page: nothing leaks in.
    const clean = await open(env.browser.context, env.server.url, 'csp.html');
    for (const selector of STYLED) {
      assert.deepEqual(await computed(a, selector), await computed(clean.locator('huiqi-check'), selector), selector);
    }
    await clean.close();
    assert.notEqual((await computed(a, '.hq-ladder-svg')).display, 'none');

    await fill(a, { employees: '40', tech_staff: '12' });
    assert.equal(await b.locator(`#${inputId('employees')}`).inputValue(), '', 'instances keep their own answers');
    assert.match(await b.locator('.hq-title').innerText(), /Policy self-check/);
    assert.match(await b.locator('.hq-place').innerText(), /Shuimogou/);
    await fill(b, HNTE_PROFILE);
    // Shuimogou's plan ran 2018–2020: its programs are shown apart, as no longer in force.
    await b.locator('.hq-expired > summary').click();
    await b.locator('.hq-expired article[data-program="shuimogou.hnte-new-award"]').waitFor();
    await programCard(b, 'cn.hnte').and(b.locator('[data-status="ok"]')).waitFor();
    assert.deepEqual(page.problems, []);
    await screenshot(page, 'third-party-portal');
    await page.close();
  });
});

describe('strict CSP page', () => {
  test('works under default-src self; script-src self wasm-unsafe-eval, with no violation', async () => {
    const page = await open(env.browser.context, env.server.url, 'csp.html');
    assert.equal(
      page.response.headers()['content-security-policy'],
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
    );
    const host = page.locator('huiqi-check');
    await fill(host, HNTE_PROFILE);
    await programCard(host, 'cn.hnte').and(host.locator('[data-status="ok"]')).waitFor();
    // Styles applied (adopted stylesheet under CSP): the title is bold and the badge rounded.
    assert.equal(await host.locator('.hq-title').evaluate((e) => getComputedStyle(e).fontWeight), '700');
    assert.deepEqual(page.problems, [], 'no CSP violation or error in the console');
    await screenshot(page, 'strict-csp');
    await page.close();
  });
});

describe('options', () => {
  test('without a region the user picks the place; as-of and bad options are honoured', async () => {
    const page = await open(env.browser.context, env.server.url, 'guide.html');
    await page.evaluate(() => {
      const element = document.createElement('huiqi-check');
      element.id = 'free';
      element.setAttribute('draft-key', 'free');
      document.querySelector('main').append(element);
    });
    const host = page.locator('#free');
    await page.locator('#free[data-huiqi-ready]').waitFor({ state: 'attached' });
    assert.equal(await host.locator('article[data-program]').count(), 0, 'no program before a place is chosen');
    await host.getByLabel('请选择企业注册地').selectOption('620102');
    await programCard(host, 'cn.hnte').waitFor();
    assert.equal(await host.locator(`#${inputId('credit_good')}`).count(), 0, 'Lanzhou 2019 criteria are not asked in 2026');

    // On a date when Lanzhou's plan was in force, its questions come back.
    await page.locator('#free').evaluate((element) => element.setAttribute('as-of', '2019-06-01'));
    await host.locator(`input[name="${inputId('credit_good')}"]`).first().waitFor({ state: 'attached' });
    assert.equal(await programCard(host, 'lanzhou.little-giant-reserve').count(), 1);

    // A bad option is refused with its name, by mount().
    const message = await page.evaluate(async () => {
      const { mount } = await import('./widget/huiqi-check.js');
      const element = document.createElement('div');
      document.body.append(element);
      return mount(element, { region: '99', theme: { accent: 'red' } }).then(() => 'mounted', (e) => e.message);
    });
    assert.match(message, /region/);
    await page.close();
  });
});

describe('integration guide', () => {
  test('renders with its live example limited to the chosen programs', async () => {
    const page = await open(env.browser.context, env.server.url, 'guide.html');
    const host = page.locator('huiqi-check');
    const programs = await host.locator('article[data-program]').evaluateAll((a) => a.map((e) => e.dataset.program));
    assert.deepEqual(programs.sort(), ['cn.hnte', 'cn.tax.hnte-rate', 'gansu.hnte-first-award']);
    assert.deepEqual(page.problems, []);
    await screenshot(page, 'integration-guide');
    await page.close();
  });
});
