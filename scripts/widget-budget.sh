#!/usr/bin/env bash
# The widget's budgets, printed: its .wasm gzip size (goal 300 KB, fails above 500 KB) and its time
# to interactive after its script loads in headless chromium (300 ms budget, printed with a verdict;
# a time on a shared machine is a measurement, so only the size fails CI).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[widget-budget]\033[0m %s\n' "$*"; }

if [[ ! -f www/widget/huiqi_widget_bg.wasm ]]; then
  say "widget not built yet: scripts/build-widget.sh"
  bash scripts/build-widget.sh
fi

GOAL_KB=300
LIMIT_KB=500
wasm=www/widget/huiqi_widget_bg.wasm
raw=$(wc -c < "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
glue=$(cat www/widget/huiqi-check.js www/widget/huiqi_widget.js | gzip -9c | wc -c)
say "wasm: $((raw / 1000)) KB raw, $((gz / 1000)) KB gzip (goal ≤ ${GOAL_KB} KB, limit ${LIMIT_KB} KB); JS: $((glue / 1000)) KB gzip"
status=0
if (( gz > LIMIT_KB * 1000 )); then
  say "FAIL: the wasm is over the ${LIMIT_KB} KB gzip limit"
  status=1
elif (( gz > GOAL_KB * 1000 )); then
  say "note: within the limit, above the ${GOAL_KB} KB goal"
fi

say "time to interactive (headless chromium, 7 fresh loads of www/csp.html)"
node tests/browser/budget.mjs 7 300 || status=1
exit $status
