#!/usr/bin/env bash
# Runs every test of huiqi from a fresh machine: installs what is missing (idempotent), then
# formatting, lints, the Rust tests (golden cases, bad inputs, properties), the rule packs through
# the CLI, the npm package in node and Chromium, the widget in Chromium, and the size budgets.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Rust toolchain components (rustfmt, clippy)"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "Toolchain for wasm, npm packages and Chromium (scripts/tools.sh)"
bash scripts/tools.sh

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (cargo clippy -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests: engine (golden cases, bad inputs, properties), CLI"
cargo test --workspace --locked

step "Rule packs through the CLI (huiqi rules check / test)"
cargo run -q --locked -p huiqi -- rules check engine/packs
cargo run -q --locked -p huiqi -- rules test engine/packs

step "npm package: build, node tests, browser tests, budgets"
bash scripts/build-npm.sh
bash scripts/test-npm.sh
bash scripts/wasm-budget.sh

step "Widget: build, browser end-to-end and accessibility tests, budgets"
bash scripts/build-widget.sh
bash scripts/test-browser.sh
bash scripts/widget-budget.sh

step "All tests passed"
