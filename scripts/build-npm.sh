#!/usr/bin/env bash
# Builds the npm package `huiqi` into wasm/pkg/ (and a copy in www/pkg/ for the example page):
#   web/      ES module for browsers and bundlers (`await init()` fetches huiqi_bg.wasm beside it)
#   bundler/  ES module importing the .wasm directly (webpack's asyncWebAssembly and the like)
#   node/     node build (CommonJS `require`, plus an ES-module face), wasm compiled at load
# with the crate's size-tuned `wasm` profile and binaryen's wasm-opt -Oz (npm `binaryen`).
# Installs what is missing first (scripts/tools.sh). Usage: bash scripts/build-npm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "build-npm: $*"; }

bash scripts/tools.sh

stage=target/npm
pkg=wasm/pkg
rm -rf "$stage" && mkdir -p "$stage"

# wasm features the Rust wasm32 target emits; wasm-opt must be told it may keep them.
wasm_features=(--enable-bulk-memory --enable-multivalue --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext)

for target in web bundler nodejs; do
  say "wasm-pack build --target $target (profile wasm)"
  # --mode no-install: use the tools.sh-installed wasm-bindgen; wasm-pack's own downloads fail here.
  wasm-pack --quiet build wasm --mode no-install --profile wasm --no-opt --no-pack --no-gitignore \
    --target "$target" --out-dir "../$stage/$target" --out-name huiqi
  say "wasm-opt -Oz $stage/$target/huiqi_bg.wasm"
  # Memory starts zeroed, and the first KB is never used (Rust puts its stack first, growing
  # down from 1 MB): two facts that let wasm-opt drop ~1 KB gzip of stores and offsets.
  node_modules/.bin/wasm-opt -Oz --zero-filled-memory --low-memory-unused "${wasm_features[@]}" \
    "$stage/$target/huiqi_bg.wasm" -o "$stage/$target/huiqi_bg.wasm"
done

say "assembling $pkg"
rm -rf "$pkg" && mkdir -p "$pkg"
cp -r "$stage/web" "$pkg/web"
cp -r "$stage/bundler" "$pkg/bundler"
cp -r "$stage/nodejs" "$pkg/node"
cp wasm/npm/node/* "$pkg/node/"
cp wasm/README.md "$pkg/README.md"
echo '{ "type": "module" }' > "$pkg/web/package.json"
echo '{ "type": "module" }' > "$pkg/bundler/package.json"
echo '{ "type": "commonjs" }' > "$pkg/node/package.json"
# The node build require()s its JS snippet: give it the CommonJS form of the same functions.
find "$pkg/node/snippets" -name '*.js' -exec \
  sed -i -E 's/^export function ([A-Za-z0-9_]+)/exports.\1 = function \1/' {} +
version=$(cargo pkgid -p huiqi-wasm | sed 's/.*[@#]//')
node -e '
  const fs = require("fs"), [template, out, version] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(template, "utf8"));
  pkg.version = version;
  fs.writeFileSync(out, JSON.stringify(pkg, null, 2) + "\n");
' wasm/npm/package.json "$pkg/package.json" "$version"

rm -rf www/pkg && cp -r "$pkg" www/pkg
say "done: $pkg (huiqi@$version), copy in www/pkg; sizes: bash scripts/wasm-budget.sh"
