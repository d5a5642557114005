#!/usr/bin/env bash
# Usage-export benchmark: `csp-planner COMMAND FILE --format json` against a
# bare csv::ByteRecord loop over the same generated usage export.
# COMMAND is `inventory` (issue 2, default), `assess` (issue 3) or `cost` (issue 6; run with
# `--discount 15`, the seed's sample discount).
#
#   bench/inventory.sh                      # inventory, 1,000,000 rows, 50,000 resources
#   COMMAND=assess bench/inventory.sh       # assess (same as bench/assess.sh)
#   ROWS=100000 RESOURCES=5000 bench/inventory.sh   # quick try
#
# Limits: median(tool) / median(baseline) <= MAX_RATIO (default 2.0 for
# inventory, 2.5 for assess, 3.0 for cost) and tool peak RSS < 300 MB (decimal megabytes:
# 300,000,000 bytes). Exit status 0 = PASS, 1 = FAIL, 2 = setup error.
# Only writes under target/bench/.
set -euo pipefail

COMMAND=${COMMAND:-inventory}
case $COMMAND in
    inventory) DEFAULT_RATIO=2.0 ;;
    assess) DEFAULT_RATIO=2.5 ;;
    cost) DEFAULT_RATIO=3.0 ;;
    *) echo "$(basename "$0"): COMMAND must be inventory, assess or cost, not '$COMMAND'" >&2; exit 2 ;;
esac
ROWS=${ROWS:-1000000}
RESOURCES=${RESOURCES:-50000}
ROUNDS=${ROUNDS:-3}
MAX_RATIO=${MAX_RATIO:-$DEFAULT_RATIO}
MAX_RSS_MB=${MAX_RSS_MB:-300}

cd "$(dirname "$0")/.."
BENCH_DIR=target/bench
BASELINE=target/release/examples/bare_byterecord
TOOL=target/release/csp-planner

die() { echo "$(basename "$0") ($COMMAND): $*" >&2; exit 2; }
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "ROWS must be a positive integer"
[[ $RESOURCES =~ ^[0-9]+$ && $RESOURCES -gt 0 ]] || die "RESOURCES must be a positive integer"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "ROUNDS must be a positive integer"
[[ $MAX_RATIO =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_RATIO must be a positive number"
[[ $MAX_RSS_MB =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_RSS_MB must be a positive number"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required"

# usage-1m.csv, usage-100k.csv, usage-1234.csv; -r<N> when RESOURCES is not the default
label() {
    local n=$1
    if (( n % 1000000 == 0 )); then echo "$((n / 1000000))m"
    elif (( n % 1000 == 0 )); then echo "$((n / 1000))k"
    else echo "$n"; fi
}
NAME="usage-$(label "$ROWS")"
if [[ $RESOURCES -ne 50000 ]]; then NAME="$NAME-r$RESOURCES"; fi
FILE="$BENCH_DIR/$NAME.csv"
# per-command prefix of the run files, so inventory and assess runs do not overwrite each other
TAG="$NAME.$COMMAND"
mkdir -p "$BENCH_DIR"

echo "== build (cargo build --release --examples --bins)"
cargo build --release --examples --bins --quiet || die "cargo build failed"
[[ -x $BASELINE ]] || die "$BASELINE not built"
[[ -x $TOOL ]] || die "$TOOL not built"

if [[ ! -s $FILE ]]; then
    echo "== generate $FILE ($ROWS rows, $RESOURCES resources)"
    python3 bench/gen_usage.py --rows "$ROWS" --resources "$RESOURCES" --out "$FILE" \
        || die "generator failed"
else
    echo "== reuse $FILE"
fi
SIZE=$(stat -c %s "$FILE")

echo "== warm page cache"
cat "$FILE" > /dev/null

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" -> seconds
parse_time() { # file field -> value
    local f=$1
    awk -F': ' '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, p, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + p[i]
            wall = s
        }
        /User time \(seconds\)/ { user = $NF }
        /System time \(seconds\)/ { sys = $NF }
        /Maximum resident set size \(kbytes\)/ { rss = $NF }
        END { printf "%.2f %.2f %.2f %d\n", wall, user, sys, rss }' "$f"
}

# run NAME ROUND OUT CMD... ; stdout of the command goes to OUT (/dev/null for the
# tool), stderr to a log. Wall time is taken from a nanosecond clock around
# `/usr/bin/time -v CMD` (same overhead for both programs; GNU time itself only
# prints 10 ms steps, too coarse for quick ROWS=100000 tries) and is the figure
# the ratio uses; time -v's own "Elapsed (wall clock)" is shown alongside.
# User/sys time and "Maximum resident set size" come from time -v.
RESULTS="$BENCH_DIR/$TAG.runs"
: > "$RESULTS"
run() {
    local name=$1 round=$2 out=$3; shift 3
    local tf="$BENCH_DIR/$TAG.$name.$round.time" log="$BENCH_DIR/$TAG.$name.$round.log"
    local rc=0 t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" "$@" > "$out" 2> "$log" || rc=$?
    t1=$(date +%s%N)
    if (( rc != 0 )); then
        echo "!! $name (round $round) exited with status $rc: $*" >&2
        tail -n 20 "$log" >&2 || true
        return 1
    fi
    # columns: name round wall(ns clock) user sys rss_kb wall(time -v, 10 ms steps)
    parse_time "$tf" | awk -v n="$name" -v r="$round" -v ns=$((t1 - t0)) \
        '{ printf "%s %s %.3f %s %s %s %s\n", n, r, ns / 1e9, $2, $3, $4, $1 }' >> "$RESULTS"
}

# One untimed run whose output is kept and checked, so that a stub or a
# half-finished command cannot "pass" by doing nothing quickly: the output must
# be JSON with a non-empty "resources" array; for assess, every resource must
# carry a csp_status of NO ISSUES / MODIFY / BLOCKED and a suggested_approach,
# and "summary" must count them.
JSON_OUT="$BENCH_DIR/$TAG.json"
echo "== check: $TOOL $COMMAND $FILE --format json -> $JSON_OUT"
TOOL_ARGS=()
[[ $COMMAND == cost ]] && TOOL_ARGS=(--discount 15)
if ! "$TOOL" "$COMMAND" "$FILE" "${TOOL_ARGS[@]}" --format json > "$JSON_OUT" 2> "$BENCH_DIR/$TAG.check.log"; then
    echo "FAIL: csp-planner $COMMAND exited with an error:" >&2
    tail -n 20 "$BENCH_DIR/$TAG.check.log" >&2 || true
    exit 1
fi
if ! CHECK=$(python3 - "$JSON_OUT" "$COMMAND" 2>&1 <<'PY'
import json, sys
path, command = sys.argv[1], sys.argv[2]
doc = json.load(open(path, encoding="utf-8"))
if command == "cost":
    from decimal import Decimal
    rows = doc["rows"]
    assert isinstance(rows, list) and rows, "no rows"
    ea = sum(Decimal(r["ea_cost"]) for r in rows)
    assert ea == Decimal(doc["totals"]["ea_cost"]), f"rows' EA cost {ea} != totals.ea_cost {doc['totals']['ea_cost']}"
    assert all(r["csp_cost"] is not None for r in rows), "a row without a CSP cost"
    print(f"{len(rows)} cost rows, {len(doc['subscriptions'])} subscriptions, EA {doc['totals']['ea_cost']}, "
          f"CSP {doc['totals']['csp_cost']}, period {doc['period_days']} days")
    sys.exit(0)
res = doc["resources"]
assert isinstance(res, list) and res, "no resources"
msg = f"{len(res)} resources"
if command == "assess":
    key = {"NO ISSUES": "no_issues", "MODIFY": "modify", "BLOCKED": "blocked"}
    counts = dict.fromkeys(key.values(), 0)
    for r in res:
        assert r["csp_status"] in key, f"bad csp_status {r['csp_status']!r} on {r['id']}"
        assert r["suggested_approach"], f"no suggested_approach on {r['id']}"
        counts[key[r["csp_status"]]] += 1
    s = doc["summary"]
    assert s["resources"] == len(res), f"summary.resources {s['resources']} != {len(res)}"
    for k, v in counts.items():
        assert s[k] == v, f"summary.{k} {s[k]} != {v}"
    assert doc["subscriptions"], "no subscriptions"
    msg += ", " + ", ".join(f"{k} {v}" for k, v in counts.items())
    msg += f", {len(doc['subscriptions'])} subscriptions"
print(msg)
PY
); then
    echo "FAIL: csp-planner $COMMAND did not print the expected JSON (see $JSON_OUT):" >&2
    echo "$CHECK" | tail -n 5 >&2
    exit 1
fi
echo "   ok: $(stat -c %s "$JSON_OUT") bytes of JSON, $CHECK"

echo "== $ROUNDS rounds on $FILE ($SIZE bytes)"
FAILED_RUN=0
for ((r = 1; r <= ROUNDS; r++)); do
    run baseline "$r" "$BENCH_DIR/$NAME.baseline.out" "$BASELINE" "$FILE" || exit 2
    run tool "$r" /dev/null "$TOOL" "$COMMAND" "$FILE" "${TOOL_ARGS[@]}" --format json || { FAILED_RUN=1; break; }
done
echo "baseline: $(cat "$BENCH_DIR/$NAME.baseline.out")"

echo
printf '%-9s %5s %9s %12s %9s %9s %12s\n' program round "wall s" "time-v wall" "user s" "sys s" "max RSS MB"
awk '{ printf "%-9s %5s %9s %12s %9s %9s %12.1f\n", $1, $2, $3, $7, $4, $5, $6 * 1024 / 1e6 }' "$RESULTS"

if (( FAILED_RUN )); then
    echo
    echo "FAIL: csp-planner $COMMAND did not complete (see $BENCH_DIR/$TAG.tool.*.log)"
    exit 1
fi

median() { # program column -> median of that column over the rounds
    awk -v p="$1" -v c="$2" '$1 == p { print $c }' "$RESULTS" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
B_MED=$(median baseline 3)
T_MED=$(median tool 3)
T_RSS_KB=$(awk '$1 == "tool" && $6 > m { m = $6 } END { print m + 0 }' "$RESULTS")
B_RSS_KB=$(awk '$1 == "baseline" && $6 > m { m = $6 } END { print m + 0 }' "$RESULTS")

read -r RATIO T_RSS_MB B_RSS_MB RATIO_OK RSS_OK < <(awk -v b="$B_MED" -v t="$T_MED" \
    -v rk="$T_RSS_KB" -v bk="$B_RSS_KB" -v mr="$MAX_RATIO" -v mm="$MAX_RSS_MB" 'BEGIN {
        ratio = (b > 0) ? t / b : 1e9
        mb = rk * 1024 / 1e6
        printf "%.2f %.1f %.1f %d %d\n", ratio, mb, bk * 1024 / 1e6, (ratio <= mr), (mb < mm)
    }')

echo
echo "command         : csp-planner $COMMAND FILE --format json"
echo "file            : $FILE ($ROWS rows, $RESOURCES resources, $SIZE bytes)"
echo "median baseline : ${B_MED} s   (peak RSS ${B_RSS_MB} MB)"
echo "median tool     : ${T_MED} s"
echo "ratio tool/base : ${RATIO}   (limit <= ${MAX_RATIO})  $( ((RATIO_OK)) && echo PASS || echo FAIL)"
echo "tool peak RSS   : ${T_RSS_MB} MB (limit < ${MAX_RSS_MB} MB)  $( ((RSS_OK)) && echo PASS || echo FAIL)"
if (( RATIO_OK && RSS_OK )); then
    echo "PASS"
else
    echo "FAIL"
    exit 1
fi
