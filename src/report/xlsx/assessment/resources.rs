//! Resources: one row per resource × meter (a resource without meters: one row), the seed's report columns in
//! order (002 L14848), then the reasons, sources and the rest — exactly the CSV's rows and columns
//! (`report::assess_csv`), with the CSP Status cell coloured.

use std::io;

use rust_xlsxwriter::Workbook;

use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::assess::AssessmentReport;
use crate::report::assess_csv::{HEADER, STATUS_COLUMN, row, row_count};
use crate::report::xlsx::text;

/// Widths of HEADER's columns: IDs and reasons wide, codes narrow.
const WIDTHS: &[f64] =
    &[18.0, 60.0, 28.0, 18.0, 18.0, 24.0, 28.0, 12.0, 32.0, 80.0, 40.0, 38.0, 22.0, 14.0, 12.0, 8.0, 60.0];

pub fn write(workbook: &mut Workbook, styles: &Styles, assessment: &AssessmentReport) -> io::Result<()> {
    let spec = RowSheet { name: "Resources", columns: HEADER, widths: WIDTHS, preamble: &[], reserve: 0 };
    let count = row_count(assessment);
    rows::write(workbook, &spec, count, crate::report::assess_csv::rows(assessment), |sheet, r, (assessed, meter)| {
        let status = styles.csp(assessed.csp_status);
        for (column, value) in row(assessed, meter).iter().enumerate() {
            let format = (column == STATUS_COLUMN).then_some(status);
            text(sheet, r, column as u16, value, format)?;
        }
        Ok(())
    })
    .map(|_| ())
}
