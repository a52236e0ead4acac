// Time to interactive of the widget in headless Debian chromium: from the moment its module script
// has loaded to the moment the form answers input (`huiqi-ready`), over fresh page loads.
// Prints every run, the best and the median against the budget (a measurement, not a gate).
//
//   node tests/browser/budget.mjs [runs=7] [budget-ms=300]

import { launch, open, startServer } from './harness.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const BUDGET_MS = Number(process.argv[3] ?? 300);

const server = await startServer();
const browser = await launch();
const runs = [];
try {
  for (let i = 0; i < RUNS; i += 1) {
    const page = await open(browser.context, server.url, 'csp.html', {
      fixedClock: false,
      // Noted before any page script runs: the moment the first widget says it is ready.
      before: (p) =>
        p.addInitScript(() => {
          document.addEventListener('huiqi-ready', () => {
            window.huiqiReadyAt ??= performance.now();
          });
        }),
    });
    const timing = await page.evaluate(() => {
      const entry = (name) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(name));
      const script = entry('/huiqi-check.js');
      const wasm = entry('/huiqi_widget_bg.wasm');
      return {
        interactive: window.huiqiReadyAt - script.responseEnd,
        wasmLoaded: wasm.responseEnd - script.responseEnd,
      };
    });
    runs.push(timing);
    console.log(
      `run ${i + 1}: interactive ${timing.interactive.toFixed(0)} ms after huiqi-check.js loaded ` +
        `(wasm fetched by ${timing.wasmLoaded.toFixed(0)} ms)`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}

// A busy machine only slows a run down: the best run is the widget's own cost.
const sorted = runs.map((r) => r.interactive).sort((a, b) => a - b);
const [best, median] = [sorted[0], sorted[Math.floor(sorted.length / 2)]];
const verdict = best <= BUDGET_MS ? 'within' : 'OVER';
console.log(`interactive: best ${best.toFixed(0)} ms, median ${median.toFixed(0)} ms — ${verdict} the ${BUDGET_MS} ms budget`);
// Printed, not enforced: a time on a shared machine is a measurement, not a test. (A widget that
// never becomes interactive still fails above, by throwing.)
