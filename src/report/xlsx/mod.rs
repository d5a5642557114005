//! Excel workbooks (rust_xlsxwriter): the assessment workbook (`assessment`) and the Site Recovery capacity
//! planner workbook with live formulas (`capacity`). Renderers like the others: they take finished results and
//! only lay them out. Customer text is always written as a string cell, never as a formula.

pub mod assessment;
pub mod capacity;

use std::borrow::Cow;
use std::io::{self, Write};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// A workbook error as an I/O error, so workbooks go through the same atomic writer as every output.
pub fn io_error(error: XlsxError) -> io::Error {
    io::Error::other(error.to_string())
}

/// Saves a finished workbook into `out`.
pub fn save(workbook: &mut Workbook, out: &mut (dyn Write + Send)) -> io::Result<()> {
    workbook.save_to_writer(out).map_err(io_error)
}

/// Excel's limit on the characters of one cell.
pub const CELL_LIMIT: usize = 32_767;

/// Customer text as a string cell: `=HYPERLINK(…)` or `+cmd|' /C calc'!A0` stays text, never a formula. Text
/// longer than Excel's cell limit is cut with an explicit marker (rust_xlsxwriter refuses it whole).
pub fn text(sheet: &mut Worksheet, row: u32, column: u16, value: &str, format: Option<&Format>) -> io::Result<()> {
    let value = within_cell_limit(value);
    match format {
        Some(format) => sheet.write_string_with_format(row, column, value.as_ref(), format),
        None => sheet.write_string(row, column, value.as_ref()),
    }
    .map(|_| ())
    .map_err(io_error)
}

fn within_cell_limit(value: &str) -> Cow<'_, str> {
    // Bytes bound characters: the count is only needed for the rare long value.
    if value.len() <= CELL_LIMIT || value.chars().count() <= CELL_LIMIT {
        return Cow::Borrowed(value);
    }
    let total = value.chars().count();
    let keep = CELL_LIMIT - 64;
    let kept: String = value.chars().take(keep).collect();
    Cow::Owned(format!("{kept}… (cut: {} more characters)", total - keep))
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_over_the_cell_limit_is_cut_with_a_marker() {
        let long = "é".repeat(super::CELL_LIMIT + 10);
        let cut = super::within_cell_limit(&long);
        assert!(cut.chars().count() <= super::CELL_LIMIT);
        assert!(cut.ends_with("… (cut: 74 more characters)"), "{}", &cut[cut.len() - 40..]);
        assert_eq!(super::within_cell_limit("vm-01"), "vm-01");
    }
}
