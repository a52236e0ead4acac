#!/usr/bin/env bash
# Budgets of the npm package: the engine .wasm size (goal <= 120 KB gzip; fails above 200 KB
# gzip) with what takes the space when over the goal (twiggy), and evaluation time in node against
# the native engine for the same profile (goal: within 3x). Needs scripts/build-npm.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "wasm-budget: $*"; }

goal_kb=120
limit_kb=200
wasm=wasm/pkg/web/huiqi_bg.wasm
[[ -f "$wasm" ]] || { echo "wasm-budget: $wasm is missing: run bash scripts/build-npm.sh" >&2; exit 1; }

raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
js=$(cat wasm/pkg/web/huiqi.js wasm/pkg/web/snippets/*/js/*.js | gzip -9 | wc -c)
say "$wasm: $((raw / 1024)) KB raw, $((gz / 1024)) KB gzip (goal ${goal_kb} KB, limit ${limit_kb} KB); JS glue $((js / 1024)) KB gzip"

if ((gz > goal_kb * 1024)); then
  say "over the goal; what takes the space (twiggy, on the wasm before wasm-opt, which keeps names):"
  unopt=target/wasm32-unknown-unknown/wasm/huiqi_wasm.wasm
  twiggy top -n 15 "$unopt" | sed 's/^/  /'
  say "by crate (shallow bytes of code before wasm-opt):"
  twiggy top -n 1000000 -f csv "$unopt" | node -e '
    const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").slice(1);
    const sum = new Map();
    for (const row of rows) {
      const [, quoted, size] = row.match(/^(.*),(\d+),[\d.]+,[\d.]*,[\d.]*$/) ?? [];
      if (!quoted) continue;
      const name = quoted.startsWith("\"") ? quoted.slice(1, -1).replaceAll("\"\"", "\"") : quoted;
      if (/^(custom section|data segment|"function names")/.test(name)) continue;
      const crate = (name.match(/([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::/) ?? [])[1] ?? "(unnamed)";
      sum.set(crate, (sum.get(crate) ?? 0) + Number(size));
    }
    for (const [crate, size] of [...sum].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      console.log(`  ${String(Math.round(size / 1024)).padStart(6)} KB  ${crate}`);
    }'
fi

say "evaluation time, same profile (wasm/examples/profile.json), native vs node"
cargo build --quiet --release --locked -p huiqi-wasm --example native
native=$(target/release/examples/native time wasm/examples/profile.json 5000)
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const huiqi = await import(process.cwd() + "/wasm/pkg/node/huiqi.mjs");
  const native = JSON.parse(process.argv[1]);
  const profile = JSON.parse(readFileSync("wasm/examples/profile.json", "utf8"));
  const options = { asOf: "2026-11-22" };
  const n = 2000;
  for (let i = 0; i < n / 4; i++) huiqi.evaluate(profile, options);
  const start = performance.now();
  for (let i = 0; i < n; i++) huiqi.evaluate(profile, options);
  const node = ((performance.now() - start) * 1000) / n;
  const ratio = node / native.json_call_us;
  console.log(`wasm-budget: native ${native.core_us.toFixed(0)} us (engine alone), ${native.json_call_us.toFixed(0)} us (JSON profile in, JSON result out)`);
  console.log(`wasm-budget: node   ${node.toFixed(0)} us (evaluate(): JS object in, JS object out) = ${ratio.toFixed(1)}x native (goal <= 3x)${ratio > 3 ? "  OVER THE GOAL" : ""}`);
' "$native"

if ((gz > limit_kb * 1024)); then
  say "FAIL: $((gz / 1024)) KB gzip is above the ${limit_kb} KB limit"
  exit 1
fi
say "ok"
