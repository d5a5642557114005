#!/usr/bin/env bash
# Renders docs/capacity-planner.png from the real workbook: the Quick Planner's sample of Microsoft's Azure CSP documentation (the capacity-planning guide)
# written by csp-planner, printed by LibreOffice (the Capacity Planner sheet's print area: INPUTS and OUTPUT on
# one page), rasterised by pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet -- capacity quick --scenario vmware --vms 2 --disks-per-vm 2 --disk-size-gb 500 \
    --utilization 35 --change-rate 5 --compression 0 -o "$work/capacity-planner.xlsx"
timeout 120 soffice --headless --norestore "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$work" "$work/capacity-planner.xlsx" > /dev/null
pages=$(pdfinfo "$work/capacity-planner.pdf" | awk '/^Pages:/ {print $2}')
for page in $(seq 1 "$pages"); do
    if pdftotext -f "$page" -l "$page" "$work/capacity-planner.pdf" - | grep -q "Quick Planner$"; then
        pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$work/capacity-planner.pdf" docs/capacity-planner
        exit 0
    fi
done
echo "the Capacity Planner page was not found in the PDF" >&2
exit 1
