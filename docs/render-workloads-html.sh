#!/usr/bin/env bash
# Renders docs/workloads-html.png from the real page: `workloads -o page.html` on the test fixtures (servers,
# applications file, dependency export, overrides), taken by headless Chromium, the Workloads section cut out with
# Pillow (pip install pillow) between the horizontal rules that separate the page's sections.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
f=tests/fixtures/workloads
SOURCE_DATE_EPOCH=0 cargo run --quiet -- workloads $f/servers.csv --applications $f/applications.csv \
    --dependencies $f/dependencies.csv --overrides $f/overrides.csv -o "$work/page.html" 2> /dev/null
timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1900 \
    --screenshot="$work/page.png" "file://$work/page.html" 2> /dev/null
python3 - "$work/page.png" docs/workloads-html.png <<'PY'
import sys
from PIL import Image
page = Image.open(sys.argv[1]).convert("RGB")
width, height = page.size
def is_rule(y):  # a light grey line across the page: the border above each section
    return all(180 < page.getpixel((x, y))[0] < 225 for x in range(100, 900, 50))
rules = [y for y in range(height - 1) if is_rule(y) and is_rule(y + 1)]
# Rules in page order: under the title and navigation, then above Resources, Move plan, Capacity, Workloads, Cost…
top, bottom = rules[4] + 4, rules[5]
page.crop((0, top, width, bottom)).save(sys.argv[2], optimize=True)
PY
echo "wrote docs/workloads-html.png"
