// Random profiles through the package, seeded so that a failure replays: each call returns a
// result or throws a located HuiqiInputError — never a wasm trap (RuntimeError), never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { huiqi, AS_OF } from './huiqi.mjs';

/** mulberry32: a small deterministic PRNG. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['620102', '620100', '620000', '650105', '210300', '410700', '110108', '100000', '999999', '62'];
const WORDS = ['none', 'valid', 'expired', 'municipal', 'provincial', 'national', 'electronic_information', 'x'];

function anyValue(r, depth = 0) {
  const pick = r();
  if (pick < 0.15) return Math.floor(r() * 1e4);
  if (pick < 0.25) return [0, -1, 1e17, 1e300, 0.5, NaN, Infinity, 2 ** 53][Math.floor(r() * 8)];
  if (pick < 0.4) return String(Math.floor(r() * 1e8));
  if (pick < 0.5) return WORDS[Math.floor(r() * WORDS.length)];
  if (pick < 0.6) return r() < 0.5;
  if (pick < 0.65) return null;
  if (pick < 0.7) return `20${10 + Math.floor(r() * 20)}-0${1 + Math.floor(r() * 9)}-${10 + Math.floor(r() * 20)}`;
  if (pick < 0.8 && depth < 2) return Array.from({ length: Math.floor(r() * 4) }, () => anyValue(r, depth + 1));
  if (depth < 2) return { class1: anyValue(r, depth + 1), year: anyValue(r, depth + 1) };
  return undefined;
}

function profile(r) {
  const p = {
    region: REGIONS[Math.floor(r() * REGIONS.length)],
    employees: Math.floor(r() * 500),
    tech_staff: Math.floor(r() * 200),
    financials: Array.from({ length: Math.floor(r() * 4) }, (_, i) => ({
      year: 2022 + i,
      sales_revenue: String(Math.floor(r() * 1e9)),
      rd_expense: String(Math.floor(r() * 1e8)),
      total_income: r() < 0.5 ? Math.floor(r() * 1e9) : undefined,
      high_tech_income: r() < 0.5 ? String(Math.floor(r() * 1e8)) : undefined,
      total_assets: String(Math.floor(r() * 1e9)),
      total_liabilities: String(Math.floor(r() * 1e8)),
    })),
    ip: { class1: Math.floor(r() * 5), class2: Math.floor(r() * 20), self_developed: r() < 0.5 },
    conversions: [Math.floor(r() * 10), Math.floor(r() * 10)],
    certifications: { hnte: WORDS[Math.floor(r() * 3)] },
  };
  // Break a few fields at random with values of any type.
  const fields = ['employees', 'tech_staff', 'region', 'registered_on', 'industry_field', 'credit_good', 'taxable_income', 'conversions', 'ip', 'western_encouraged_share'];
  for (let i = Math.floor(r() * 3); i > 0; i -= 1) p[fields[Math.floor(r() * fields.length)]] = anyValue(r);
  return p;
}

test('1000 random profiles give a result or a located error, never a trap', () => {
  const r = prng(20261122);
  let results = 0;
  let refusals = 0;
  for (let i = 0; i < 1000; i += 1) {
    const p = profile(r);
    try {
      const result = huiqi.evaluate(p, { asOf: AS_OF, lang: r() < 0.5 ? 'zh' : 'en' });
      assert.ok(Array.isArray(result.programs));
      results += 1;
    } catch (error) {
      assert.equal(error.name, 'HuiqiInputError', `case ${i}: ${error.stack}\n${JSON.stringify(p)}`);
      assert.ok(typeof error.path === 'string' && error.errors.length > 0);
      refusals += 1;
    }
  }
  assert.ok(results > 100 && refusals > 100, `${results} results, ${refusals} refusals: both kinds exercised`);
});
