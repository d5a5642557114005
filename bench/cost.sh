#!/usr/bin/env bash
# Cost benchmark (issue 6): `csp-planner cost FILE --discount 15 --format json`
# against the bare csv::ByteRecord loop; limits 3.0x and < 300 MB peak RSS.
# Same script, same environment overrides as bench/inventory.sh (see
# bench/README.md); this only sets COMMAND=cost.
COMMAND=cost exec "$(dirname "$0")/inventory.sh" "$@"
