#!/usr/bin/env bash
# Installs what building and testing the npm package and the widget need, from the registries
# only; idempotent (a second run installs nothing) and it says what it does:
#   - the wasm32-unknown-unknown Rust target;
#   - wasm-bindgen-cli, pinned to the exact `wasm-bindgen` version in Cargo.lock;
#   - wasm-pack, and twiggy (to show what takes the space in a wasm);
#   - the root npm packages (binaryen's wasm-opt, playwright-core, axe-core, smol-toml, typescript)
#     when node_modules is missing or older than package-lock.json;
#   - Debian's chromium and chromium-driver when missing (never a test tool's own browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "tools: $*"; }

# The CLI must be the very version the crates link, or wasm-bindgen refuses the module.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n "$bindgen_version" ]] || { echo "tools: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" == "wasm-bindgen $bindgen_version" ]]; then
  say "wasm-bindgen-cli $bindgen_version: present"
else
  say "installing wasm-bindgen-cli $bindgen_version (cargo install, a few minutes once)"
  # Not --locked: one dependency its lock file pins is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

for tool in wasm-pack twiggy; do
  if command -v "$tool" >/dev/null; then
    say "$tool: present ($("$tool" --version | head -1))"
  else
    say "installing $tool (cargo install --locked, a few minutes once)"
    cargo install --locked "$tool"
  fi
done

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing node and npm (apt)"
  apt-get update && apt-get install -y nodejs npm
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing the npm packages of package-lock.json (npm ci)"
  npm ci --no-audit --no-fund
else
  say "npm packages: up to date"
fi

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  say "chromium and chromedriver: present"
else
  say "installing Debian's chromium and chromium-driver (apt)"
  apt-get update && apt-get install -y chromium chromium-driver
fi
