// `npm pack` gives a package a JS developer can use from its README alone: installed from the
// tarball into an empty project (no network: it has no dependencies), it loads with `require`
// and with `import` through its exports map, and its TypeScript types check a strict consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './huiqi.mjs';

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed package installs and works from CommonJS, ES modules and TypeScript', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'huiqi-consumer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  run('npm', ['pack', '--silent', '--pack-destination', dir, join(ROOT, 'wasm/pkg')], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], dir);

  writeFileSync(join(dir, 'use.cjs'), `
    const { evaluate, version } = require('huiqi');
    const r = evaluate({ region: '620102', employees: 40 }, { asOf: '2026-11-22' });
    console.log(r.programs.length > 0 && version().includes('cn-hnte') ? 'cjs ok' : 'cjs bad');
  `);
  writeFileSync(join(dir, 'use.mjs'), `
    import init, { evaluate, validate } from 'huiqi';
    await init();
    const r = evaluate({ region: '620102' }, { asOf: '2026-11-22' });
    const e = validate({ employees: -1 });
    console.log(r.programs.length > 0 && e[0].path === 'employees' ? 'esm ok' : 'esm bad');
  `);
  assert.equal(run('node', ['use.cjs'], dir).trim(), 'cjs ok');
  assert.equal(run('node', ['use.mjs'], dir).trim(), 'esm ok');

  writeFileSync(join(dir, 'use.mts'), `
    import init, { evaluate, validate, programs, explain, loadPacks, builtinPacks, version } from 'huiqi';
    import type { Profile, Evaluation, HuiqiInputError, ProgramInfo, InputError } from 'huiqi';
    await init();
    const profile: Profile = { region: '620102', employees: 40, financials: [{ year: 2025, rd_expense: '1200000.50' }] };
    const result: Evaluation = evaluate(profile, { asOf: '2026-11-22', lang: 'en' });
    const score: string | undefined = result.programs[0]?.score?.min;
    const errors: InputError[] = validate(profile);
    const catalogue: ProgramInfo[] = programs({ region: '620102' });
    const one: ProgramInfo | undefined = explain('cn.hnte');
    const v: string = loadPacks(builtinPacks()) + version();
    try { evaluate({ employees: 1 }); } catch (e) { const located = e as HuiqiInputError; console.log(located.path); }
    // @ts-expect-error: a typo in a field name is a type error
    evaluate({ employes: 40 });
    // @ts-expect-error: lang is zh or en
    evaluate({}, { lang: 'fr' });
    console.log(score, errors, catalogue, one, v);
  `);
  const tsc = join(ROOT, 'node_modules/.bin/tsc');
  run(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', 'use.mts'], dir);
});
