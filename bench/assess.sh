#!/usr/bin/env bash
# Assessment benchmark (issue 3): `csp-planner assess FILE --format json`
# against the bare csv::ByteRecord loop; limits 2.5x and < 300 MB peak RSS.
# Same script, same environment overrides as bench/inventory.sh (see
# bench/README.md); this only sets COMMAND=assess.
COMMAND=assess exec "$(dirname "$0")/inventory.sh" "$@"
