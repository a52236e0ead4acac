#!/usr/bin/env bash
# Benchmarks (a measurement, not a test: it never fails on a slow machine).
#   1. `huiqi screen` over a generated registry of N profiles (default 100,000), JSONL and CSV,
#      on one thread pinned to one core and on every core; then on one core again with the
#      profile-guided build of scripts/build-cli.sh (BENCH_PGO=0 leaves it out);
#   2. criterion: one full profile evaluated against every built-in pack.
# Targets (issue #2): ≤ 5 µs per profile natively; ≥ 200,000 profiles/s on one core for `screen`.
# Usage: scripts/bench.sh [N]          (BENCH_QUICK=1 shortens the criterion runs)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
target="${CARGO_TARGET_DIR:-target}"
as_of="2026-11-22"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Build (release): huiqi and the profile generator"
cargo build --release --locked -p huiqi --bin huiqi --example gen_profiles
huiqi="$target/release/huiqi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "Generate $n profiles (deterministic; ~1% bad rows)"
"$target/release/examples/gen_profiles" "$n" >"$work/registry.jsonl"
"$target/release/examples/gen_profiles" "$n" --csv >"$work/registry.csv"
ls -l "$work"/registry.* | awk '{ printf "%s  %d MB\n", $NF, $5 / 1e6 }'

# One screen run: prints huiqi's own summary (rows, errors, rows/s, µs/row) and keeps the rate.
declare -A rate
screen() {
  local label="$1"
  shift
  local summary
  summary="$("$@" 2>&1 >/dev/null | tail -n 1)"
  echo "$label: $summary"
  rate[$label]="$(sed -E 's/.*: ([0-9]+) rows\/s.*/\1/' <<<"$summary")"
}
# Pin to one core where taskset exists, so "one core" means one core.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

step "huiqi screen (output to /dev/null; load now: $(cut -d' ' -f1-3 /proc/loadavg))"
screen "JSONL, 1 thread, 1 core" "${pin[@]}" "$huiqi" screen --at "$as_of" --threads 1 "$work/registry.jsonl"
screen "JSONL, all cores ($(nproc))" "$huiqi" screen --at "$as_of" "$work/registry.jsonl"
screen "CSV, 1 thread, 1 core" "${pin[@]}" "$huiqi" screen --at "$as_of" --threads 1 "$work/registry.csv"
screen "CSV, all cores ($(nproc))" "$huiqi" screen --at "$as_of" "$work/registry.csv"
screen "JSONL --full, all cores" "$huiqi" screen --full --at "$as_of" "$work/registry.jsonl"

if [[ "${BENCH_PGO:-1}" != 0 ]]; then
  step "The profile-guided build (scripts/build-cli.sh), same registry"
  pgo="$(bash scripts/build-cli.sh)"
  screen "PGO: JSONL, 1 thread, 1 core" "${pin[@]}" "$pgo" screen --at "$as_of" --threads 1 "$work/registry.jsonl"
  screen "PGO: CSV, 1 thread, 1 core" "${pin[@]}" "$pgo" screen --at "$as_of" --threads 1 "$work/registry.csv"
  screen "PGO: JSONL, all cores ($(nproc))" "$pgo" screen --at "$as_of" "$work/registry.jsonl"
fi

step "criterion: one full profile against every pack (cargo bench -p huiqi-engine --bench evaluate)"
times=(--warm-up-time 2 --measurement-time 5)
[[ "${BENCH_QUICK:-}" == 1 ]] && times=(--warm-up-time 1 --measurement-time 2)
cargo bench --locked -p huiqi-engine --bench evaluate -- "${times[@]}" 2>&1 |
  tee "$work/criterion.txt" | grep -E '^evaluate/|time:' || true

step "Summary"
# criterion prints "time: [low estimate high]"; keep the estimate of each benchmark.
awk '/^evaluate\// { name = $0 } /time:/ { sub(/^evaluate\//, "", name); split($0, t, "[][]");
     n = split(t[2], v, " "); printf "  %-45s %s %s\n", name, v[3], v[4] }' "$work/criterion.txt"
one="${rate[JSONL, 1 thread, 1 core]:-0}"
per_profile() { awk -v r="$1" 'BEGIN { if (r > 0) printf "%.2f", 1e6 / r; else print "?" }'; }
echo "  screen, JSONL, one core: $one profiles/s ($(per_profile "$one") µs/profile, all included)"
if [[ -n "${rate[PGO: JSONL, 1 thread, 1 core]:-}" ]]; then
  pgo_one="${rate[PGO: JSONL, 1 thread, 1 core]}"
  echo "  screen, JSONL, one core, PGO build: $pgo_one profiles/s ($(per_profile "$pgo_one") µs/profile)"
fi
echo "  targets: evaluate ≤ 5 µs per profile; screen ≥ 200000 profiles/s on one core"
