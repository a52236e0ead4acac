// The engine's golden cases (engine/packs/cases/*.cases.toml, read here, not copied) through the
// npm package: every expectation of every case must hold as it does for `cargo test`, and when
// the native twin is built (NATIVE_EVAL, see scripts/test-npm.sh) every result must equal the
// native engine's, field for field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { huiqi, ROOT } from './huiqi.mjs';

const DIR = join(ROOT, 'engine/packs/cases');
const files = readdirSync(DIR).filter((f) => f.endsWith('.cases.toml')).sort();

/** TOML values as the Rust runner turns them into JSON (dates as their text). */
function plain(value) {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** The place `path` names; `financials[-1]` is the latest fiscal year by `year`. */
function slot(root, path, create) {
  let here = root;
  const parts = path.split('.');
  for (const [n, part] of parts.entries()) {
    const [, key, index] = /^([^[]+)(?:\[(-?\d+)\])?$/.exec(part) ?? [];
    if (key === undefined) throw new Error(`bad path ${path}`);
    if (!(key in here)) {
      if (!create) throw new Error(`${path}: no ${key}`);
      here[key] = index === undefined ? {} : [];
    }
    if (index === undefined) {
      if (n === parts.length - 1) return [here, key];
      here = here[key];
      continue;
    }
    const items = here[key];
    let i = Number(index);
    if (i < 0) {
      const order = items.map((_, j) => j).sort((a, b) => (items[b].year ?? -Infinity) - (items[a].year ?? -Infinity));
      i = order[-i - 1];
    }
    if (i === undefined || i >= items.length) throw new Error(`${path}: ${key} has no entry ${index}`);
    if (n === parts.length - 1) return [items, i];
    here = items[i];
  }
  throw new Error(`empty path ${path}`);
}

/** The case's profile: a base or inline profile, then its `set` and `unset` paths. */
function profileOf(file, c) {
  const profile = structuredClone(plain(c.base !== undefined ? file.base[c.base] : (c.profile ?? {})));
  for (const [path, value] of Object.entries(c.set ?? {})) {
    const [holder, key] = slot(profile, path, true);
    holder[key] = value === 'null' ? null : plain(value);
  }
  for (const path of c.unset ?? []) {
    const [holder, key] = slot(profile, path, false);
    delete holder[key];
  }
  return profile;
}

/** Decimal strings compared by value, as the Rust runner does ("375000" = "375000.00"). */
function sameNumber(got, want) {
  const norm = (s) => {
    if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) return s;
    let [int, frac = ''] = s.replace(/^-/, '').split('.');
    int = int.replace(/^0+(?=\d)/, '');
    frac = frac.replace(/0+$/, '');
    const sign = s.startsWith('-') && (int !== '0' || frac) ? '-' : '';
    return sign + int + (frac ? `.${frac}` : '');
  };
  return norm(String(got)) === norm(String(want));
}

/** Every expectation of the case that the result breaks (empty when it passes). */
function problems(c, result) {
  const program = result.programs.find((p) => p.id === c.program);
  if (!program) return [`program ${c.program} is not in the result (region?)`];
  const out = [];
  if (c.expect !== undefined && program.status !== c.expect) out.push(`status ${program.status}, expected ${c.expect}`);
  for (const [id, want] of Object.entries(c.criteria ?? {})) {
    const got = program.criteria.find((x) => x.id === id);
    if (!got) out.push(`no criterion ${id}`);
    else if (got.status !== want) out.push(`criterion ${id} is ${got.status}, expected ${want}`);
  }
  for (const [id, want] of Object.entries(c.gap ?? {})) {
    const gap = program.criteria.find((x) => x.id === id)?.gap;
    if (!gap) out.push(`criterion ${id} has no gap, expected ${want}`);
    else if (!sameNumber(gap.by, want)) out.push(`gap of ${id} is ${gap.by}, expected ${want}`);
  }
  if (c.score) {
    const s = program.score;
    if (!s) out.push('the program has no score');
    else if (!sameNumber(s.min, c.score[0]) || !sameNumber(s.max, c.score[1])) {
      out.push(`score ${s.min}..${s.max}, expected ${c.score.join('..')}`);
    }
  }
  for (const [id, [min, max]] of Object.entries(c.benefits ?? {})) {
    const b = program.benefits.find((x) => x.id === id);
    const show = (v) => (v === null ? 'null' : v);
    if (!b) out.push(`no benefit ${id}`);
    else if (!sameNumber(show(b.min_yuan), min) || !sameNumber(show(b.max_yuan), max)) {
      out.push(`benefit ${id} is ${show(b.min_yuan)}..${show(b.max_yuan)}, expected ${min}..${max}`);
    }
  }
  if (c.in_force !== undefined && program.in_force !== c.in_force) out.push(`in_force is ${program.in_force}`);
  const missing = c.missing ?? [];
  if (missing.length && !program.missing.every((m, i) => i >= missing.length || m === missing[i])) {
    out.push(`missing is ${JSON.stringify(program.missing)}, expected it to start with ${JSON.stringify(missing)}`);
  }
  return out;
}

/** Evaluates through the package: the result, or the errors it threw. */
function throughJs(profile, asOf) {
  try {
    return huiqi.evaluate(profile, { asOf });
  } catch (error) {
    assert.equal(error.name, 'HuiqiInputError', `not a located input error: ${error.stack}`);
    return { errors: error.errors };
  }
}

const loaded = files.map((name) => ({ name, file: parse(readFileSync(join(DIR, name), 'utf8')) }));
const cases = loaded.flatMap(({ name, file }) =>
  (file.case ?? []).map((c) => ({ name, c, profile: profileOf(file, c), asOf: plain(c.as_of) })),
);

test('the golden case files hold cases', () => {
  assert.ok(files.length > 0, 'no case files');
  assert.ok(cases.length > 0, 'no cases');
});

for (const { name, file } of loaded) {
  test(`golden cases of ${name} through JS`, () => {
    const failures = [];
    for (const c of file.case ?? []) {
      const result = throughJs(profileOf(file, c), plain(c.as_of));
      let found;
      if (c.error !== undefined) {
        const path = result.errors?.[0]?.path;
        found = path === c.error ? [] : [`expected an error at ${JSON.stringify(c.error)}, got ${JSON.stringify(result.errors ?? 'a result')}`];
      } else if (result.errors) {
        found = [`the profile was refused: ${JSON.stringify(result.errors)}`];
      } else {
        found = problems(c, result);
      }
      if (found.length) failures.push(`${c.name}\n    ${found.join('\n    ')}`);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${(file.case ?? []).length} cases fail`);
  });
}

test('every golden case gives through JS exactly the native result', { skip: !process.env.NATIVE_EVAL && 'NATIVE_EVAL not set (scripts/test-npm.sh sets it)' }, () => {
  const input = cases.map(({ profile, asOf }) => JSON.stringify({ profile, as_of: asOf })).join('\n') + '\n';
  const run = spawnSync(process.env.NATIVE_EVAL, ['eval'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr);
  const native = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(native.length, cases.length);
  let differing = 0;
  for (const [i, { name, c, profile, asOf }] of cases.entries()) {
    const js = throughJs(profile, asOf);
    if (JSON.stringify(js) !== JSON.stringify(native[i])) {
      differing += 1;
      assert.deepEqual(js, native[i], `${name}: ${c.name}`);
    }
  }
  assert.equal(differing, 0);
});
