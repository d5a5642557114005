//! The cost assessment as CSV: one row per resource × meter, the seed's columns in its order (002 L14922), then
//! Customer Price and Partner Margin (with `--markup`), then csp-planner's. Customer text is neutralised
//! (`csv_safe`); computed amounts are written as numbers, rounded for display like the table (a negative Cost
//! Diff stays a number).

use std::io::Write;

use super::cost_table::{MARKUP_COLUMNS, SEED_COLUMNS, display_option, row_values};
use crate::cost::CostReport;
use crate::output::csv_safe;

const EXTRA_COLUMNS: &[&str] = &["Subscription ID", "Meter ID", "List Rate", "Notes"];
/// The columns of `row_values` that hold customer text (the rest are computed numbers).
const TEXT_COLUMNS: usize = 4;

pub fn render(report: &CostReport, out: &mut dyn Write) -> std::io::Result<()> {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = SEED_COLUMNS.to_vec();
    if markup {
        header.extend(MARKUP_COLUMNS);
    }
    header.extend(EXTRA_COLUMNS);
    writer.write_record(&header)?;
    for row in &report.rows {
        let mut record: Vec<String> = row_values(row, decimals, markup)
            .into_iter()
            .enumerate()
            .map(|(k, value)| if k < TEXT_COLUMNS { csv_safe::text(&value).into_owned() } else { value })
            .collect();
        record.push(csv_safe::text(row.subscription_id.as_deref().unwrap_or_default()).into_owned());
        record.push(csv_safe::text(row.meter_id.as_deref().unwrap_or_default()).into_owned());
        record.push(display_option(row.list_rate, decimals));
        record.push(csv_safe::text(&row.notes.join("; ")).into_owned());
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}
