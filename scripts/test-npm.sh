#!/usr/bin/env bash
# Tests the npm package built by scripts/build-npm.sh (builds it first when wasm/pkg is missing):
#   1. node's test runner on tests/node/: the API, the shared bad-profile suite and JS-only bad
#      values, seeded random profiles (never a wasm trap), the engine's golden cases compared with
#      the native engine's results, `npm pack` + a CommonJS, ES-module and TypeScript consumer,
#      and the www/example page in headless Chromium;
#   2. wasm-bindgen-test in headless Chromium (Debian's chromium + chromedriver).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "test-npm: $*"; }

[[ -f wasm/pkg/package.json ]] || bash scripts/build-npm.sh

say "native twin of the package, for result-by-result comparison (cargo build --release)"
cargo build --quiet --release --locked -p huiqi-wasm --example native
export NATIVE_EVAL="$PWD/target/release/examples/native"

say "node --test tests/node/"
node --test tests/node/*.test.mjs

say "wasm-bindgen-test in headless Chromium"
# wasm-pack finds chromedriver on PATH only; Debian puts it in /usr/bin.
PATH="/usr/bin:$PATH" wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver \
  --mode no-install wasm
