#!/usr/bin/env bash
# Assessment workbook benchmark (issue 7): `csp-planner assess FILE -o assessment-100k.xlsx` on a generated
# 100,000-resource Resource Graph estate, under /usr/bin/time -v; limit: peak RSS < MAX_RSS_MB (300, decimal MB).
# For comparison it also times `assess FILE --format json > /dev/null` (the assessment without the workbook),
# so the memory of the workbook itself is the difference.
#
#   bench/workbook.sh                     # 100,000 resources
#   RESOURCES=20000 bench/workbook.sh     # a quick try
#
# Checks the workbook: a zip with the Resources sheet, and as many rows in it as resources × meters in the JSON
# (one row each here: the estate has no usage). Exit 0 = PASS, 1 = FAIL, 2 = setup error. Writes under
# target/bench/ only.
set -euo pipefail

RESOURCES=${RESOURCES:-100000}
MAX_RSS_MB=${MAX_RSS_MB:-300}

cd "$(dirname "$0")/.."
BENCH_DIR=target/bench
TOOL=target/release/csp-planner

die() { echo "$(basename "$0"): $*" >&2; exit 2; }
[[ $RESOURCES =~ ^[0-9]+$ && $RESOURCES -ge 160 ]] || die "RESOURCES must be an integer >= 160"
[[ $MAX_RSS_MB =~ ^[0-9]+$ ]] || die "MAX_RSS_MB must be an integer"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required"
mkdir -p "$BENCH_DIR"

echo "== build (cargo build --release --bins)"
cargo build --release --bins --quiet || die "cargo build failed"

label() { local n=$1; if (( n % 1000 == 0 )); then echo "$((n / 1000))k"; else echo "$n"; fi; }
ESTATE="$BENCH_DIR/estate-$(label "$RESOURCES").json"
BOOK="$BENCH_DIR/assessment-$(label "$RESOURCES").xlsx"
if [[ -s $ESTATE ]]; then
    echo "== reuse $ESTATE"
else
    echo "== generate $ESTATE ($RESOURCES resources)"
    python3 bench/gen_estate.py --resources "$RESOURCES" --out "$ESTATE" || { rm -f "$ESTATE"; die "generator failed"; }
fi

# timed NAME ARGS...: runs the tool under time -v (stdout to /dev/null); prints "wall_s rss_kb".
timed() {
    local name=$1; shift
    local tf="$BENCH_DIR/workbook.$name.time" t0 t1 rc=0
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" "$TOOL" "$@" > /dev/null 2> "$BENCH_DIR/workbook.$name.log" || rc=$?
    t1=$(date +%s%N)
    if (( rc != 0 )); then
        echo "!! $TOOL $* exited with status $rc" >&2
        tail -n 20 "$BENCH_DIR/workbook.$name.log" >&2
        exit 1
    fi
    awk -F': ' -v ns=$((t1 - t0)) '/Maximum resident set size/ { rss = $NF } END { printf "%.2f %d\n", ns / 1e9, rss }' "$tf"
}

echo "== assess --format json (the assessment alone)"
read -r json_s json_kb < <(timed json assess "$ESTATE" --format json)
echo "== assess -o $BOOK"
rm -f "$BOOK"
read -r book_s book_kb < <(timed xlsx assess "$ESTATE" -o "$BOOK")

echo "== check the workbook"
"$TOOL" assess "$ESTATE" --format json > "$BENCH_DIR/workbook.assess.json" 2>/dev/null
python3 - "$BOOK" "$BENCH_DIR/workbook.assess.json" <<'PY' || exit 1
import json, re, sys, zipfile
book, assessment = sys.argv[1], json.load(open(sys.argv[2]))
expected = sum(max(1, len(r.get("meters") or [])) for r in assessment["resources"])
with zipfile.ZipFile(book) as z:
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    parts = [n for n in names if n == "Resources" or re.fullmatch(r"Resources \(\d+\)", n)]
    # Sheets are xl/worksheets/sheetN.xml in workbook order.
    rows = 0
    for k, name in enumerate(names, 1):
        if name in parts:
            rows += z.read(f"xl/worksheets/sheet{k}.xml").count(b"<row ") - 1
print(f"   sheets: {', '.join(names)}; Resources rows: {rows} (expected {expected})")
sys.exit(0 if rows == expected else 1)
PY

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb * 1024 / 1e6 }'; }
echo
printf '%-34s %10s %14s\n' "command" "wall (s)" "peak RSS (MB)"
printf '%-34s %10s %14s\n' "assess --format json > /dev/null" "$json_s" "$(mb "$json_kb")"
printf '%-34s %10s %14s\n' "assess -o assessment.xlsx" "$book_s" "$(mb "$book_kb")"
echo "workbook: $(stat -c %s "$BOOK") bytes"
if awk -v kb="$book_kb" -v max="$MAX_RSS_MB" 'BEGIN { exit !(kb * 1024 / 1e6 < max) }'; then
    echo "PASS: peak RSS $(mb "$book_kb") MB < $MAX_RSS_MB MB"
else
    echo "FAIL: peak RSS $(mb "$book_kb") MB >= $MAX_RSS_MB MB (the assessment alone: $(mb "$json_kb") MB)"
    exit 1
fi
