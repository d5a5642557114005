#!/usr/bin/env bash
# Move-plan benchmark (issue 5): `csp-planner plan FILE --format json` on generated
# Resource Graph estates of 50,000, 100,000 and 200,000 resources, each against
# `csp-planner inventory FILE --format json` on the same file (reading alone).
#
#   bench/plan.sh                         # the three estates, 3 rounds each
#   SIZES="50000 100000" bench/plan.sh    # other sizes (the growth check needs 100000 and 200000)
#   INVENTORY_ONLY=1 bench/plan.sh        # time inventory only (no plan command needed, no verdict)
#
# Limits (per issue 5 "Performance"):
#   median plan time(200k) / median plan time(100k) <= MAX_GROWTH (2.3)
#   graph + batching (median plan - median inventory) < median inventory, per size
#   plan peak RSS < RSS_FACTOR (4) x input file size, per size
# Exit status 0 = PASS, 1 = FAIL, 2 = setup error (build, generator, no `plan` command).
# Only writes under target/bench/.
set -euo pipefail

SIZES=${SIZES:-"50000 100000 200000"}
ROUNDS=${ROUNDS:-3}
MAX_GROWTH=${MAX_GROWTH:-2.3}
RSS_FACTOR=${RSS_FACTOR:-4}
INVENTORY_ONLY=${INVENTORY_ONLY:-0}

cd "$(dirname "$0")/.."
BENCH_DIR=target/bench
TOOL=target/release/csp-planner

die() { echo "$(basename "$0"): $*" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "ROUNDS must be a positive integer"
for n in $SIZES; do [[ $n =~ ^[0-9]+$ && $n -ge 160 ]] || die "SIZES must be integers >= 160, not '$n'"; done
[[ $MAX_GROWTH =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_GROWTH must be a positive number"
[[ $RSS_FACTOR =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "RSS_FACTOR must be a positive number"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required"
mkdir -p "$BENCH_DIR"

echo "== build (cargo build --release --bins)"
cargo build --release --bins --quiet || die "cargo build failed"
[[ -x $TOOL ]] || die "$TOOL not built"

if [[ $INVENTORY_ONLY != 1 ]]; then
    if ! "$TOOL" plan --help > "$BENCH_DIR/plan-help.log" 2>&1; then
        echo "$(basename "$0"): '$TOOL plan --help' failed: this build has no \`plan\` command (issue 5)." >&2
        echo "  Nothing to benchmark yet. INVENTORY_ONLY=1 $0 times the reading alone." >&2
        sed 's/^/  | /' "$BENCH_DIR/plan-help.log" | head -n 5 >&2
        exit 2
    fi
fi

label() { local n=$1; if (( n % 1000 == 0 )); then echo "$((n / 1000))k"; else echo "$n"; fi; }

for n in $SIZES; do
    f="$BENCH_DIR/estate-$(label "$n").json"
    if [[ ! -s $f ]]; then
        echo "== generate $f ($n resources)"
        t0=$(date +%s%N)
        python3 bench/gen_estate.py --resources "$n" --out "$f" || { rm -f "$f"; die "generator failed"; }
        echo "   $(stat -c %s "$f") bytes in $(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.1f", ns / 1e9 }') s"
    else
        echo "== reuse $f"
    fi
done

RESULTS="$BENCH_DIR/plan.runs"
: > "$RESULTS"
# run LABEL COMMAND ROUND FILE: one timed run, stdout to /dev/null. Wall time from a
# nanosecond clock around /usr/bin/time -v; user/sys/peak RSS from time -v.
run() {
    local name=$1 cmd=$2 round=$3 file=$4
    local tf="$BENCH_DIR/$name.$cmd.$round.time" log="$BENCH_DIR/$name.$cmd.$round.log" rc=0 t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tf" "$TOOL" "$cmd" "$file" --format json > /dev/null 2> "$log" || rc=$?
    t1=$(date +%s%N)
    if (( rc != 0 )); then
        echo "!! $cmd $file (round $round) exited with status $rc" >&2
        tail -n 20 "$log" >&2 || true
        return 1
    fi
    awk -F': ' -v n="$name" -v c="$cmd" -v r="$round" -v ns=$((t1 - t0)) '
        /User time \(seconds\)/ { user = $NF }
        /System time \(seconds\)/ { sys = $NF }
        /Maximum resident set size \(kbytes\)/ { rss = $NF }
        END { printf "%s %s %s %.3f %s %s %d\n", n, c, r, ns / 1e9, user, sys, rss }' "$tf" >> "$RESULTS"
}

COMMANDS="inventory plan"
[[ $INVENTORY_ONLY == 1 ]] && COMMANDS="inventory"

for n in $SIZES; do
    name="estate-$(label "$n")"
    f="$BENCH_DIR/$name.json"
    cat "$f" > /dev/null  # warm the page cache
    if [[ $INVENTORY_ONLY != 1 ]]; then
        # one untimed, checked plan run: a stub cannot pass by doing nothing quickly
        out="$BENCH_DIR/$name.plan.json"
        echo "== check: $TOOL plan $f --format json -> $out"
        if ! "$TOOL" plan "$f" --format json > "$out" 2> "$BENCH_DIR/$name.plan.check.log"; then
            echo "FAIL: csp-planner plan exited with an error on $f:" >&2
            tail -n 20 "$BENCH_DIR/$name.plan.check.log" >&2 || true
            exit 1
        fi
        if ! CHECK=$(python3 - "$out" "$n" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
n = int(sys.argv[2])
b = doc["batches"]
assert isinstance(b, list) and b, "no batches"
members = sum(len(x["resources"]) for x in b)
assert members == n, f"batches hold {members} resources, expected {n}"
assert isinstance(doc["edges"], list) and doc["edges"], "no edges"
s = doc["summary"]
assert s["resources"] == n, f"summary.resources {s['resources']} != {n}"
assert s["batches"] == len(b), f"summary.batches {s['batches']} != {len(b)}"
for k, st in (("ready", "ready"), ("needs_remediation", "needs-remediation"), ("blocked", "blocked")):
    c = sum(1 for x in b if x["status"] == st)
    assert s[k] == c, f"summary.{k} {s[k]} != {c}"
print(f"{len(b)} batches (ready {s['ready']}, needs-remediation {s['needs_remediation']}, "
      f"blocked {s['blocked']}), {len(doc['edges'])} edges, "
      f"{len(doc.get('external_dependencies', []))} external dependencies")
PY
        ); then
            echo "FAIL: csp-planner plan did not print the expected JSON (see $out):" >&2
            echo "$CHECK" | tail -n 5 >&2
            exit 1
        fi
        echo "   ok: $CHECK"
    fi
    echo "== $ROUNDS rounds on $f"
    for ((r = 1; r <= ROUNDS; r++)); do
        for c in $COMMANDS; do
            run "$name" "$c" "$r" "$f" || exit 1
        done
    done
done

median() { # name command -> median wall
    awk -v n="$1" -v c="$2" '$1 == n && $2 == c { print $4 }' "$RESULTS" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
peak() { awk -v n="$1" -v c="$2" '$1 == n && $2 == c && $7 > m { m = $7 } END { print m + 0 }' "$RESULTS"; }

echo
printf '%-14s %-9s %5s %8s %8s %8s %10s\n' file command round "wall s" "user s" "sys s" "RSS MB"
awk '{ printf "%-14s %-9s %5s %8s %8s %8s %10.1f\n", $1, $2, $3, $4, $5, $6, $7 * 1024 / 1e6 }' "$RESULTS"

echo
printf '%9s %9s %9s %11s %11s %9s %9s %9s\n' resources "file MB" "plan s" "inventory s" "graph s" "plan RSS" "inv RSS" "RSS/file"
FAIL=0 FAIL_GRAPH=0 FAIL_RSS=0
declare -A PLAN_MED
for n in $SIZES; do
    name="estate-$(label "$n")"
    size=$(stat -c %s "$BENCH_DIR/$name.json")
    inv=$(median "$name" inventory)
    inv_rss=$(peak "$name" inventory)
    if [[ $INVENTORY_ONLY == 1 ]]; then
        awk -v n="$n" -v s="$size" -v i="$inv" -v ir="$inv_rss" 'BEGIN {
            printf "%9d %9.1f %9s %11.3f %11s %9s %9.1f %9s\n", n, s / 1e6, "-", i, "-", "-", ir * 1024 / 1e6, "-" }'
        continue
    fi
    plan=$(median "$name" plan)
    PLAN_MED[$n]=$plan
    plan_rss=$(peak "$name" plan)
    # ';' between the row and its two flags: the row's own padding must not split it.
    IFS=';' read -r line ok_graph ok_rss < <(awk -v n="$n" -v s="$size" -v p="$plan" -v i="$inv" -v pr="$plan_rss" \
        -v ir="$inv_rss" -v f="$RSS_FACTOR" 'BEGIN {
            g = p - i; rb = pr * 1024
            printf "%9d|%9.1f|%9.3f|%11.3f|%11.3f|%9.1f|%9.1f|%9.2f;%d;%d\n", n, s / 1e6, p, i, g, rb / 1e6,
                ir * 1024 / 1e6, rb / s, (g < i), (rb < f * s) }')
    echo "${line//|/ }"
    (( ok_graph )) || { echo "   FAIL: graph + batching ($n) is not less than the reading time"; FAIL_GRAPH=1; }
    (( ok_rss )) || { echo "   FAIL: plan peak RSS ($n) is not below ${RSS_FACTOR} x the file size"; FAIL_RSS=1; }
done

if [[ $INVENTORY_ONLY == 1 ]]; then
    echo
    echo "INVENTORY_ONLY=1: reading times only, no verdict"
    exit 0
fi

echo
echo "graph s = median plan - median inventory (graph + batching); RSS/file = plan peak RSS / file size"
if [[ -n ${PLAN_MED[100000]:-} && -n ${PLAN_MED[200000]:-} ]]; then
    read -r growth ok < <(awk -v a="${PLAN_MED[100000]}" -v b="${PLAN_MED[200000]}" -v m="$MAX_GROWTH" \
        'BEGIN { g = (a > 0) ? b / a : 1e9; printf "%.2f %d\n", g, (g <= m) }')
    echo "growth 100k -> 200k : ${growth}x (limit <= ${MAX_GROWTH})  $( ((ok)) && echo PASS || echo FAIL)"
    (( ok )) || FAIL=1
else
    echo "growth 100k -> 200k : not measured (SIZES lacks 100000 or 200000)"
fi
echo "graph < reading     : $( ((FAIL_GRAPH)) && echo FAIL || echo PASS) (every size)"
echo "peak RSS < ${RSS_FACTOR} x file : $( ((FAIL_RSS)) && echo FAIL || echo PASS) (every size)"
if (( FAIL || FAIL_GRAPH || FAIL_RSS )); then
    echo "FAIL"
    exit 1
fi
echo "PASS"
