#!/usr/bin/env bash
# Browser tests of the widget on the www/ pages, in headless Debian chromium via playwright-core:
# end-to-end (fill, statuses and amounts, language switch, keyboard only, hostile CSS, no request
# after load, strict CSP, print, 360 px) and axe-core accessibility. Screenshots of every page go
# to tests/artifacts/. Installs what is missing first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[test-browser]\033[0m %s\n' "$*"; }

say "toolchain, npm packages, chromium (scripts/tools.sh)"
bash scripts/tools.sh

# Screenshots of a Chinese-first widget need a CJK font; the widget itself uses the user's fonts.
if fc-list :lang=zh family | grep -q .; then
  say "CJK font: present"
else
  say "installing a CJK font for the screenshots (apt: fonts-noto-cjk)"
  apt-get update && apt-get install -y fonts-noto-cjk
fi

if [[ ! -f www/widget/huiqi_widget_bg.wasm || ! -f www/widget/huiqi-check.js ]]; then
  say "widget not built yet: scripts/build-widget.sh"
  HUIQI_SKIP_TOOLS=1 bash scripts/build-widget.sh
fi

mkdir -p tests/artifacts
say "node --test tests/browser (chromium: /usr/bin/chromium)"
node --test --test-concurrency=1 --test-reporter=spec tests/browser/*.test.mjs
say "screenshots: $(ls tests/artifacts/*.png | wc -l) in tests/artifacts/"
