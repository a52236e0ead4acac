// Bad input through the npm package: the shared bad-profile suite (tests/cases/bad-profiles.json,
// also run by the engine's Rust tests) must give the same first field path, and the values only
// JS can send (NaN, Infinity, BigInt, functions, Dates, cycles, undefined) must give located
// errors too — always a thrown `Error`, never a wasm trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { huiqi, ROOT, AS_OF } from './huiqi.mjs';

const suite = JSON.parse(readFileSync(join(ROOT, 'tests/cases/bad-profiles.json'), 'utf8'));

/** The error `evaluate` throws for `profile` (fails the test if it throws none). */
function thrown(profile, options = { asOf: AS_OF }) {
  try {
    huiqi.evaluate(profile, options);
  } catch (error) {
    return error;
  }
  assert.fail(`accepted: ${JSON.stringify(profile)}`);
}

test('the bad-profile suite is there', () => assert.ok(suite.length >= 10));

for (const { name, profile, path, as_of: asOf = AS_OF } of suite) {
  test(`bad profile: ${name}`, () => {
    const errors = huiqi.validate(profile, { asOf });
    assert.ok(errors.length > 0, 'validate found nothing');
    assert.equal(errors[0].path, path, JSON.stringify(errors));
    const error = thrown(profile, { asOf });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'HuiqiInputError');
    assert.equal(error.path, path);
    assert.deepEqual(error.errors, errors);
    assert.ok(error.message.length > 0);
  });
}

const jsOnly = [
  ['NaN where a count goes', { employees: NaN }, 'employees'],
  ['Infinity where money goes', { financials: [{ year: 2025, rd_expense: Infinity }] }, 'financials[0].rd_expense'],
  ['-Infinity', { taxable_income: -Infinity }, 'taxable_income'],
  ['a number too large for any decimal', { taxable_income: 1e300 }, 'taxable_income'],
  ['a BigInt beyond 2^53', { employees: 2n ** 64n }, 'employees'],
  ['a function', { credit_good: () => true }, 'credit_good'],
  ['a Symbol', { region: Symbol('620102') }, 'region'],
  ['a Date object where a date string goes', { registered_on: new Date(2020, 0, 1) }, 'registered_on'],
  ['a string where a count goes', { tech_staff: '12' }, 'tech_staff'],
  ['an extra field', { employees: 10, website: 'https://example.com' }, 'website'],
  ['an extra field deep down', { ip: { class1: 1, class4: 2 } }, 'ip.class4'],
  ['NaN inside a list', { conversions: [1, NaN] }, 'conversions[1]'],
  ['an array as the profile', [], ''],
  ['a string as the profile', '{"employees": 1}', ''],
  ['null as the profile', null, ''],
  ['undefined as the profile', undefined, ''],
];

for (const [name, profile, path] of jsOnly) {
  test(`JS-only bad input: ${name}`, () => {
    const error = thrown(profile);
    assert.equal(error.name, 'HuiqiInputError');
    assert.equal(error.path, path, error.message);
    assert.equal(huiqi.validate(profile, { asOf: AS_OF })[0].path, path);
  });
}

test('a cyclic profile is refused, not a stack overflow', () => {
  const profile = { ip: {} };
  profile.ip.self = profile;
  assert.equal(thrown(profile).name, 'HuiqiInputError');
});

test('properties holding undefined are absent, as in JSON.stringify', () => {
  const result = huiqi.evaluate({ region: '620102', employees: undefined, industry_field: undefined }, { asOf: AS_OF });
  assert.ok(result.missing.includes('employees') || result.programs.length > 0);
  assert.deepEqual(huiqi.validate({ employees: undefined }), []);
});

test('money accepts numbers and decimal strings and keeps the typed digits', () => {
  const base = { region: '620102', financials: [{ year: 2025, sales_revenue: 0.1 }] };
  assert.deepEqual(huiqi.validate(base, { asOf: AS_OF }), []);
  const asString = { region: '620102', financials: [{ year: 2025, sales_revenue: '0.1' }] };
  assert.deepEqual(huiqi.evaluate(base, { asOf: AS_OF }), huiqi.evaluate(asString, { asOf: AS_OF }));
});

test('objects with toJSON (decimal libraries) are read through it', () => {
  const money = { toJSON: () => '12345.67' };
  assert.deepEqual(huiqi.validate({ taxable_income: money }), []);
});

test('bad options are located errors too', () => {
  for (const [options, path] of [
    [{ asof: AS_OF }, 'options.asof'],
    [{ asOf: '2026-13-01' }, 'options.asOf'],
    [{ asOf: 20261122 }, 'options.asOf'],
    [{ lang: 'fr' }, 'options.lang'],
    ['zh', 'options'],
  ]) {
    const error = thrown({}, options);
    assert.equal(error.name, 'HuiqiInputError');
    assert.equal(error.path, path, error.message);
  }
});

test('a date-dependent error follows asOf', () => {
  const profile = { registered_on: '2026-06-01' };
  assert.deepEqual(huiqi.validate(profile, { asOf: '2026-11-22' }), []);
  assert.equal(huiqi.validate(profile, { asOf: '2026-01-01' })[0].path, 'registered_on');
});

test('the package keeps working after many refusals (no leak, no trap)', () => {
  for (let i = 0; i < 2000; i += 1) thrown({ employees: NaN });
  assert.ok(huiqi.evaluate({ region: '620102' }, { asOf: AS_OF }).programs.length > 0);
});
