//! `assessment.xlsx` (issue 7): Summary, Resources, Move Batches, Remediation, Cost, Workloads, Workload Servers
//! (issue 9) and Rules sheets, from
//! whichever results the command has. Each sheet is a module of its own with the same shape
//! (`write(workbook, styles, data)`); `rows` lays out the tables they share (continuation past Excel's row limit,
//! constant memory for large sheets).

mod batches;
mod cells;
mod cost;
mod remediation;
mod resources;
mod rows;
mod rules;
mod styles;
mod summary;
mod transfer;
mod workloads;

use std::io::{self, Write};

use rust_xlsxwriter::Workbook;

use super::save;
use crate::assess::AssessmentReport;
use crate::cost::CostReport;
use crate::plan::PlanReport;
use crate::workloads::WorkloadReport;
use styles::Styles;

/// What the assessment workbook shows; each part is optional (`cost -o x.xlsx` has no assessment).
pub struct AssessmentBook<'a> {
    pub assessment: Option<&'a AssessmentReport>,
    pub plan: Option<&'a PlanReport>,
    pub cost: Option<&'a CostReport>,
    /// Applications and servers green / yellow / red (`workloads -o x.xlsx` has only this).
    pub workloads: Option<&'a WorkloadReport>,
    /// Each subscription's way into the partner's Azure plan.
    pub transfer: Option<&'a crate::transfer::TransferReport>,
}

/// Writes the workbook: a sheet for each part the book has, the Summary always.
pub fn write(book: &AssessmentBook, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();
    summary::write(&mut workbook, &styles, book)?;
    if let Some(assessment) = book.assessment {
        resources::write(&mut workbook, &styles, assessment)?;
    }
    if let Some(plan) = book.plan {
        batches::write(&mut workbook, &styles, plan)?;
        remediation::write(&mut workbook, &styles, plan)?;
    }
    if let Some(cost) = book.cost {
        cost::write(&mut workbook, &styles, cost)?;
    }
    if let Some(report) = book.workloads {
        workloads::write(&mut workbook, &styles, report)?;
    }
    if let Some(report) = book.transfer {
        transfer::write(&mut workbook, &styles, report)?;
    }
    if let Some(assessment) = book.assessment {
        rules::write(&mut workbook, &styles, assessment)?;
    }
    save(&mut workbook, out)
}

#[cfg(test)]
mod tests {
    use calamine::{Reader, Xlsx};

    use super::*;

    #[test]
    fn a_book_without_parts_is_a_summary_alone() {
        let book = AssessmentBook { assessment: None, plan: None, cost: None, workloads: None, transfer: None };
        let mut bytes = Vec::new();
        write(&book, &mut bytes).unwrap();
        let workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names(), ["Summary"]);
    }
}
