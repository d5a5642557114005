#!/usr/bin/env bash
# Workloads (issue 9): `csp-planner workloads` on a generated Azure Migrate import CSV of 20,000 servers (Azure
# Migrate's per-file limit, anchors.md §3.1), with and without a dependency export (4 connections per 5 servers
# plus LDAP connections to one server, which the grouping ignores). 3 rounds each; the median is compared with
# the limit.
#
#   bench/workloads.sh                     # 20,000 servers
#   SERVERS=5000 bench/workloads.sh        # another size
#
# Limit: classification of 20,000 servers in under 1 s (median, JSON to /dev/null). Exit status 0 = PASS,
# 1 = FAIL, 2 = setup error. Only writes under target/bench/ (and target/release/).
set -euo pipefail

SERVERS=${SERVERS:-20000}
ROUNDS=3
cd "$(dirname "$0")/.."
BENCH_DIR=target/bench
TOOL=target/release/csp-planner

die() { echo "$(basename "$0"): $*" >&2; exit 2; }
[[ $SERVERS =~ ^[0-9]+$ && $SERVERS -ge 10 ]] || die "SERVERS must be an integer >= 10"
mkdir -p "$BENCH_DIR"
servers="$BENCH_DIR/servers-$SERVERS.csv"
dependencies="$BENCH_DIR/dependencies-$SERVERS.csv"
if [[ ! -s $servers || ! -s $dependencies ]]; then
    echo "== generate $servers and $dependencies"
    python3 bench/gen_servers.py --servers "$SERVERS" --out "$servers" --dependencies "$dependencies" \
        || { rm -f "$servers" "$dependencies"; die "generator failed"; }
else
    echo "== reuse $servers and $dependencies"
fi
echo "   $(wc -l < "$servers") lines ($(du -h "$servers" | cut -f1)), $(wc -l < "$dependencies") connection lines"

echo "== build (cargo build --release --bins)"
cargo build --release --bins --quiet || die "cargo build failed"

# Median wall time of ROUNDS runs (seconds, 3 decimals) and the peak RSS of the last (MB).
measure() {
    local times=() rss=0
    for _ in $(seq "$ROUNDS"); do
        local t0 t1
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$BENCH_DIR/workloads.rss" "$TOOL" workloads "$@" --format json \
            > /dev/null 2> "$BENCH_DIR/workloads.log" || { tail -n 5 "$BENCH_DIR/workloads.log" >&2; die "workloads failed"; }
        t1=$(date +%s%N)
        times+=("$(( (t1 - t0) / 1000000 ))")
        rss=$(tail -n 1 "$BENCH_DIR/workloads.rss")
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
    awk -v ms="$median" -v kb="$rss" -v all="${times[*]}" \
        'BEGIN { printf "median %.3f s (runs ms: %s), peak RSS %.1f MB\n", ms / 1000, all, kb / 1024 }'
    echo "$median" > "$BENCH_DIR/workloads.median"
}

echo "== workloads $servers"
measure "$servers"
plain=$(cat "$BENCH_DIR/workloads.median")
echo "== workloads $servers --dependencies $dependencies"
measure "$servers" --dependencies "$dependencies"
grouped=$(cat "$BENCH_DIR/workloads.median")

# The 30-day export: 120 six-hour time slots, every connection once per slot (streamed, repeats counted once).
month="$BENCH_DIR/dependencies-$SERVERS-120-slots.csv"
if [[ ! -s $month ]]; then
    echo "== generate $month (120 time slots)"
    python3 bench/gen_servers.py --servers "$SERVERS" --out "$BENCH_DIR/servers-$SERVERS-copy.csv" \
        --dependencies "$month" --slots 120 || { rm -f "$month"; die "generator failed"; }
    rm -f "$BENCH_DIR/servers-$SERVERS-copy.csv"
fi
echo "   $(wc -l < "$month") connection lines ($(du -h "$month" | cut -f1))"
echo "== workloads $servers --dependencies $month (not under the 1 s limit: the export's size, memory bounded)"
measure "$servers" --dependencies "$month"

status=0
for pair in "classification:$plain" "with dependencies:$grouped"; do
    name=${pair%%:*}; ms=${pair##*:}
    if (( ms < 1000 )); then echo "$name: ${ms} ms < 1000 ms: PASS"; else echo "$name: ${ms} ms >= 1000 ms: FAIL"; status=1; fi
done
exit $status
