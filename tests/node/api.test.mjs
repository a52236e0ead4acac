// The npm package's API as a JS developer meets it: evaluate, validate, programs, explain,
// loadPacks / builtinPacks and version, with the shapes of the public contract
// (../shared/spec/contract.md): snake_case fields, money and scores as decimal strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { huiqi, ROOT, AS_OF } from './huiqi.mjs';

const profile = JSON.parse(readFileSync(join(ROOT, 'wasm/examples/profile.json'), 'utf8'));
const DECIMAL = /^-?\d+(\.\d+)?$/;

test('evaluate returns the contract result', () => {
  const result = huiqi.evaluate(profile, { asOf: AS_OF });
  assert.equal(result.as_of, AS_OF);
  assert.equal(result.region, '620102');
  assert.equal(result.rules_version, huiqi.version());
  assert.ok(Array.isArray(result.missing) && Array.isArray(result.questions));
  const hnte = result.programs.find((p) => p.id === 'cn.hnte');
  assert.ok(hnte, 'cn.hnte applies everywhere');
  assert.ok(['eligible', 'ineligible', 'undetermined'].includes(hnte.status));
  assert.match(hnte.score.min, DECIMAL);
  assert.match(hnte.score.max, DECIMAL);
  for (const program of result.programs) {
    assert.equal(typeof program.name.zh, 'string');
    for (const c of program.criteria) {
      assert.ok(['pass', 'fail', 'unknown'].includes(c.status));
      assert.equal(typeof c.citation.source, 'string');
      assert.equal(Object.getPrototypeOf(c.values), Object.prototype, 'values is a plain object');
      if (c.gap) assert.match(c.gap.by, DECIMAL);
    }
    for (const b of program.benefits) {
      for (const v of [b.min_yuan, b.max_yuan]) assert.ok(v === null || DECIMAL.test(v), String(v));
    }
  }
});

test('evaluate: options are optional, lang picks the questions language', () => {
  const today = huiqi.evaluate({ region: '620102' });
  assert.match(today.as_of, /^\d{4}-\d{2}-\d{2}$/);
  const zh = huiqi.evaluate({ region: '620102' }, { asOf: AS_OF });
  const en = huiqi.evaluate({ region: '620102' }, { asOf: AS_OF, lang: 'en' });
  assert.equal(zh.lang, 'zh');
  assert.equal(en.lang, 'en');
  assert.ok(en.questions.length > 0);
  assert.notEqual(en.questions[0].text, zh.questions[0].text);
  assert.deepEqual(huiqi.evaluate({ region: '620102' }, { asOf: AS_OF, lang: undefined }), zh);
  assert.deepEqual(huiqi.evaluate({ region: '620102' }, null), huiqi.evaluate({ region: '620102' }));
});

test('validate: [] for a good profile, every located error for a bad one', () => {
  assert.deepEqual(huiqi.validate(profile, { asOf: AS_OF }), []);
  const errors = huiqi.validate({ employees: 10, tech_staff: 11, financials: [{ year: 2025 }, { year: 2025 }] });
  assert.deepEqual(errors.map((e) => e.path), ['tech_staff', 'financials[1].year']);
  for (const e of errors) assert.ok(e.message.length > 0);
});

test('programs: the catalogue, by region, with criteria and citations', () => {
  const all = huiqi.programs();
  const chengguan = huiqi.programs({ region: '620102', asOf: AS_OF });
  const xinxiang = huiqi.programs({ region: '410700' });
  assert.ok(all.length >= chengguan.length && chengguan.length > 0);
  assert.ok(chengguan.some((p) => p.id === 'cn.hnte') && xinxiang.some((p) => p.id === 'cn.hnte'));
  assert.ok(!xinxiang.some((p) => p.id.startsWith('chengguan.')));
  for (const p of all) {
    assert.ok(p.criteria.length > 0 || p.benefits.length > 0, p.id);
    for (const c of p.criteria) assert.equal(typeof c.citation.clause, 'string');
  }
  assert.throws(() => huiqi.programs({ region: '62' }), { name: 'HuiqiInputError', path: 'options.region' });
});

test('explain: one program by id, undefined for an unknown id', () => {
  const hnte = huiqi.explain('cn.hnte');
  assert.equal(hnte.id, 'cn.hnte');
  assert.ok(hnte.criteria.some((c) => c.rule.length > 0));
  assert.equal(huiqi.explain('no.such.program'), undefined);
});

test('loadPacks: replaces the packs, refuses a broken one with every error, builtinPacks restores', () => {
  const builtin = huiqi.builtinPacks();
  const before = huiqi.version();
  assert.ok(builtin.length >= 8 && builtin.every((f) => f.name.endsWith('.json') && f.text.startsWith('{')));
  try {
    const national = builtin.filter((f) => f.name.startsWith('cn-'));
    const version = huiqi.loadPacks(national);
    assert.equal(huiqi.version(), version);
    assert.notEqual(version, before);
    const ids = huiqi.evaluate({ region: '620102' }, { asOf: AS_OF }).programs.map((p) => p.id);
    assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('cn.')), ids.join());

    const broken = [{ name: 'broken.json', text: '{"pack": {"id": "x"}, "program": [{"id": 5}]}' }];
    const error = (() => {
      try {
        huiqi.loadPacks(broken);
      } catch (e) {
        return e;
      }
      return assert.fail('a broken pack was accepted');
    })();
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'HuiqiPackError');
    assert.ok(error.errors.length > 0);
    for (const e of error.errors) assert.equal(e.file, 'broken.json');
    assert.ok(error.errors.some((e) => e.location.startsWith('pack')), JSON.stringify(error.errors));
    assert.equal(huiqi.version(), version, 'a refused load leaves the packs in use');
    assert.throws(() => huiqi.loadPacks([{ name: 'x.toml' }]), { name: 'HuiqiInputError', path: 'files[0]' });
    // TOML is read by the CLI, which exports the JSON form (`huiqi rules export`), not by the package.
    assert.throws(() => huiqi.loadPacks([{ name: 'x.toml', text: '[pack]\nid = "x"\n' }]),
      (e) => e.name === 'HuiqiPackError' && /JSON form only/.test(e.errors[0].message) && /rules export/.test(e.message));
  } finally {
    huiqi.loadPacks(builtin);
  }
  assert.equal(huiqi.version(), before);
});
