#!/usr/bin/env bash
# Sets up everything the demo needs (idempotent), builds the widget and the npm package, and
# serves the www/ portal pages on localhost. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Toolchain for wasm, npm packages and Chromium (scripts/tools.sh)"
bash scripts/tools.sh

step "Building the npm package (used by www/example)"
bash scripts/build-npm.sh

step "Building the widget into www/"
bash scripts/build-widget.sh

step "Serving www/ (the Chengguan portal, a third-party portal, the integration guide)"
exec node scripts/serve.mjs
