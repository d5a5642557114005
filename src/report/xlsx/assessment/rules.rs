//! Rules: every rule that fired, with its source and how many resources it decided, then the entries of
//! move-conditions.toml and classic-upgrade.toml that no resource matched.

use std::io;

use rust_xlsxwriter::Workbook;

use super::cells::count;
use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::assess::AssessmentReport;
use crate::report::xlsx::text;

const COLUMNS: &[&str] = &["Rule", "Code", "Source", "Resources", "Matched"];
const WIDTHS: &[f64] = &[40.0, 26.0, 90.0, 11.0, 15.0];

pub fn write(workbook: &mut Workbook, _styles: &Styles, assessment: &AssessmentReport) -> io::Result<()> {
    let spec = RowSheet { name: "Rules", columns: COLUMNS, widths: WIDTHS, preamble: &[], reserve: 0 };
    let rules = &assessment.rules;
    let fired = rules.fired.iter().map(|r| (&r.rule, &r.code, &r.source, r.count, "fired"));
    let never = rules.never_matched.iter().map(|r| (&r.rule, &r.code, &r.source, 0, "never matched"));
    let total = rules.fired.len() + rules.never_matched.len();
    rows::write(workbook, &spec, total, fired.chain(never), |sheet, row, (rule, code, source, used, matched)| {
        text(sheet, row, 0, rule, None)?;
        text(sheet, row, 1, code, None)?;
        text(sheet, row, 2, source, None)?;
        count(sheet, row, 3, used)?;
        text(sheet, row, 4, matched, None)
    })
    .map(|_| ())
}
