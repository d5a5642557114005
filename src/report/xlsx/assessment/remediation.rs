//! Remediation: one row per step of the plan, in each batch's order.

use std::io;

use rust_xlsxwriter::Workbook;

use super::cells::{count, joined, name_of};
use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::plan::PlanReport;
use crate::plan::report::RemediationStep;
use crate::report::xlsx::text;

const COLUMNS: &[&str] = &["Batch", "Order", "Action", "Resources", "From", "To", "Reason", "Source"];
const WIDTHS: &[f64] = &[8.0, 7.0, 26.0, 50.0, 24.0, 24.0, 90.0, 60.0];

pub fn write(workbook: &mut Workbook, _styles: &Styles, plan: &PlanReport) -> io::Result<()> {
    let spec = RowSheet { name: "Remediation", columns: COLUMNS, widths: WIDTHS, preamble: &[], reserve: 0 };
    let steps = plan.batches.iter().flat_map(|batch| batch.remediation.iter().map(move |step| (&batch.id, step)));
    let total = plan.batches.iter().map(|batch| batch.remediation.len()).sum();
    rows::write(workbook, &spec, total, steps, |sheet, row, (batch, step)| {
        text(sheet, row, 0, batch, None)?;
        count(sheet, row, 1, step.order)?;
        for (k, value) in texts(step).iter().enumerate() {
            text(sheet, row, 2 + k as u16, value, None)?;
        }
        Ok(())
    })
    .map(|_| ())
}

/// The text cells of columns 2 to 7.
fn texts(step: &RemediationStep) -> [String; 6] {
    let names: Vec<&str> = step.resources.iter().map(|id| name_of(id)).collect();
    [
        step.action.clone(),
        joined(&names, "; "),
        step.from.clone().unwrap_or_default(),
        step.to.clone().unwrap_or_default(),
        step.reason.clone(),
        step.source.to_string(),
    ]
}
