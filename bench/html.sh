#!/usr/bin/env bash
# HTML report load time (issue 8): `csp-planner report` on a generated 100,000-resource estate, then report.html
# loaded from disk in headless Chromium (/usr/bin/chromium, network blocked) by the ignored test
# `browser_load_time` (tests/integration/browser.rs): file size and load time, navigation start -> end of the
# load event (performance.timing), no request off the page, no console error.
#
#   bench/html.sh                      # 100,000 resources
#   RESOURCES=20000 bench/html.sh      # another size
#
# Limit: load time < 5 s. Exit status 0 = PASS, 1 = FAIL, 2 = setup error (no Chromium, generator, no report.html).
# Only writes under target/bench/ (and target/release/).
set -euo pipefail

RESOURCES=${RESOURCES:-100000}
cd "$(dirname "$0")/.."
BENCH_DIR=target/bench
TOOL=target/release/csp-planner

die() { echo "$(basename "$0"): $*" >&2; exit 2; }
[[ $RESOURCES =~ ^[0-9]+$ && $RESOURCES -ge 160 ]] || die "RESOURCES must be an integer >= 160"
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing (apt-get install chromium)"
mkdir -p "$BENCH_DIR"

label() { local n=$1; if (( n % 1000 == 0 )); then echo "$((n / 1000))k"; else echo "$n"; fi; }
estate="$BENCH_DIR/estate-$(label "$RESOURCES").json"
out="$BENCH_DIR/html-$(label "$RESOURCES")"

if [[ ! -s $estate ]]; then
    echo "== generate $estate ($RESOURCES resources)"
    python3 bench/gen_estate.py --resources "$RESOURCES" --out "$estate" || { rm -f "$estate"; die "generator failed"; }
else
    echo "== reuse $estate"
fi

echo "== build (cargo build --release --bins)"
cargo build --release --bins --quiet || die "cargo build failed"

echo "== $TOOL report $estate --out-dir $out"
t0=$(date +%s%N)
"$TOOL" report "$estate" --out-dir "$out" > "$BENCH_DIR/html-report.log" 2>&1 || {
    tail -n 20 "$BENCH_DIR/html-report.log" >&2; die "report failed"; }
echo "   $(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.1f", ns / 1e9 }') s"
[[ -s $out/report.html ]] || die "report did not write $out/report.html (issue 8)"

echo "== load $out/report.html in headless Chromium"
if CSP_PLANNER_BENCH_HTML="$PWD/$out/report.html" \
    cargo test --release --test integration browser_load_time -- --ignored --nocapture; then
    echo "PASS"
else
    echo "FAIL"
    exit 1
fi
