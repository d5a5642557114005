//! Move Batches: one row per batch of the plan — where it moves from, its groups and locations today, its
//! status (coloured, with the word), its members and what blocks it.

use std::io;

use rust_xlsxwriter::Workbook;

use super::cells::{count, joined, name_of};
use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::plan::{PlanBatch, PlanReport};
use crate::report::xlsx::text;

const COLUMNS: &[&str] = &[
    "Batch",
    "Subscription ID",
    "Resource Group (moves from)",
    "Resource Groups Today",
    "Locations",
    "Status",
    "Members",
    "Member Names",
    "Blockers",
];
const WIDTHS: &[f64] = &[8.0, 38.0, 28.0, 32.0, 20.0, 18.0, 9.0, 60.0, 80.0];

pub fn write(workbook: &mut Workbook, styles: &Styles, plan: &PlanReport) -> io::Result<()> {
    let spec = RowSheet { name: "Move Batches", columns: COLUMNS, widths: WIDTHS, preamble: &[], reserve: 0 };
    rows::write(workbook, &spec, plan.batches.len(), plan.batches.iter(), |sheet, row, batch| {
        for (column, value) in texts(batch).iter().enumerate() {
            text(sheet, row, column as u16, value, None)?;
        }
        text(sheet, row, 5, batch.status.as_str(), Some(styles.batch(batch.status)))?;
        count(sheet, row, 6, batch.resources.len())?;
        let names: Vec<&str> = batch.resources.iter().map(|id| name_of(id)).collect();
        text(sheet, row, 7, &joined(&names, "; "), None)?;
        text(sheet, row, 8, &blockers(batch), None)
    })
    .map(|_| ())
}

/// The text cells of columns 0 to 4.
fn texts(batch: &PlanBatch) -> [String; 5] {
    [
        batch.id.clone(),
        batch.subscription_id.clone().unwrap_or_default(),
        batch.resource_group.clone().unwrap_or_default(),
        batch.resource_groups.join(", "),
        batch.locations.join(", "),
    ]
}

/// "name (code): message; …"
fn blockers(batch: &PlanBatch) -> String {
    let blockers: Vec<String> =
        batch.blockers.iter().map(|b| format!("{} ({}): {}", name_of(&b.resource), b.code, b.message)).collect();
    joined(&blockers, "; ")
}
