//! The cost assessment as CSV: one row per resource × meter, the seed's columns in its order (002 L14922), then
//! Customer Price and Partner Margin (with `--markup`), then csp-planner's. Customer text is neutralised
//! (`csv_safe`); computed amounts are written as numbers, rounded for display like the table (a negative Cost
//! Diff stays a number).

use std::io::Write;

use super::cost_table::{CostCell, EXTRA_COLUMNS, display_option, extra_cells, header, row_cells};
use crate::cost::CostReport;
use crate::output::csv_safe;

pub fn render(report: &CostReport, out: &mut dyn Write) -> std::io::Result<()> {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let mut writer = csv::Writer::from_writer(out);
    let mut header = header(markup);
    header.extend(EXTRA_COLUMNS);
    writer.write_record(&header)?;
    for row in &report.rows {
        let cells = row_cells(row, markup).into_iter().chain(extra_cells(row));
        let record: Vec<String> = cells
            .map(|cell| match cell {
                CostCell::Text(text) => csv_safe::text(&text).into_owned(),
                CostCell::Amount(amount) => display_option(amount, decimals),
            })
            .collect();
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}
