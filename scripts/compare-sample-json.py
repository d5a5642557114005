#!/usr/bin/env python3
"""Compare the JSON of assess, plan, cost, capacity and workloads on the bundled sample between two builds.

Usage: scripts/compare-sample-json.py OLD_BINARY NEW_BINARY

Masks exactly the citation text — the values of `source`, `message` (and a remediation step's `reason`),
`notes` (and `note`) and `warnings` —
and drops the registry fields: every `source_key` and the top-level `sources`; then compares what is left. Each masked change is
listed (path, old, new) so a reader can see that only citation text moved; any other difference fails.
"""
import json
import subprocess
import sys

COMMANDS = {
    "assess": ["assess", "--format", "json"],
    "plan": ["plan", "--format", "json"],
    "cost": ["cost", "--format", "json"],
    "capacity quick": ["capacity", "quick", "--format", "json", "--scenario", "vmware", "--vms", "2",
                       "--disks-per-vm", "2", "--disk-size-gb", "500", "--utilization", "35",
                       "--change-rate", "5", "--compression", "0"],
    "capacity detailed": ["capacity", "detailed", "--format", "json", "samples/servers-rvtools.xlsx"],
    "workloads": ["workloads", "--format", "json"],
}
# `reason` is a remediation step's message (the plan's batches).
MASKED = {"source", "message", "reason", "notes", "note", "warnings"}


def run(binary, args):
    out = subprocess.run([binary, *args], capture_output=True, text=True,
                         env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"})
    if out.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return json.loads(out.stdout)


def walk(old, new, path, masked, other):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key == "source_key" or (key == "sources" and path == "$"):
                continue
            here = f"{path}.{key}"
            if key not in old or key not in new:
                other.append((here, old.get(key, "<absent>"), new.get(key, "<absent>")))
            elif key in MASKED:
                if old[key] != new[key]:
                    masked.append((here, old[key], new[key]))
            else:
                walk(old[key], new[key], here, masked, other)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            other.append((f"{path}[len]", len(old), len(new)))
        for i, (a, b) in enumerate(zip(old, new)):
            walk(a, b, f"{path}[{i}]", masked, other)
    elif old != new:
        other.append((path, old, new))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old_bin, new_bin = sys.argv[1:]
    failed = False
    for name, args in COMMANDS.items():
        masked, other = [], []
        walk(run(old_bin, args), run(new_bin, args), "$", masked, other)
        distinct = {(str(a), str(b)) for _, a, b in masked}
        print(f"## {name}: {len(masked)} masked values changed ({len(distinct)} distinct), "
              f"{len(other)} other differences")
        for old, new in sorted(distinct):
            print(f"   - {old[:150]}\n     + {new[:150]}")
        for path, a, b in other:
            failed = True
            print(f"   DIFFERENT {path}: {str(a)[:150]} -> {str(b)[:150]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
