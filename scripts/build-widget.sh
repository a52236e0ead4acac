#!/usr/bin/env bash
# Builds the <huiqi-check> widget into www/widget/: the yew crate with wasm-pack (no downloads:
# --mode no-install, wasm-bindgen-cli from scripts/tools.sh), wasm-opt -Oz from npm binaryen,
# and the hand-written custom-element module beside the generated glue.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[build-widget]\033[0m %s\n' "$*"; }

if [[ "${HUIQI_SKIP_TOOLS:-}" != 1 ]]; then
  say "toolchain and npm packages (scripts/tools.sh)"
  bash scripts/tools.sh
fi
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

PKG=target/widget-pkg
OUT=www/widget
say "wasm-pack build widget (profile wasm, target web) -> $PKG"
wasm-pack --quiet build widget --mode no-install --target web --no-typescript --no-pack \
  --profile wasm --out-dir "../$PKG"

mkdir -p "$OUT"
say "wasm-opt -Oz -> $OUT/huiqi_widget_bg.wasm"
# The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$PKG/huiqi_widget_bg.wasm" -o "$OUT/huiqi_widget_bg.wasm"
cp "$PKG/huiqi_widget.js" widget/js/huiqi-check.js "$OUT/"

raw=$(wc -c < "$OUT/huiqi_widget_bg.wasm")
gz=$(gzip -9c "$OUT/huiqi_widget_bg.wasm" | wc -c)
say "done: $OUT/ (wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzip)"
