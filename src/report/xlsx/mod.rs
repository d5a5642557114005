//! Excel workbooks (rust_xlsxwriter): the assessment workbook (`assessment`) and the Site Recovery capacity
//! planner workbook with live formulas (`capacity`). Renderers like the others: they take finished results and
//! only lay them out. Customer text is always written as a string cell, never as a formula.

pub mod assessment;
pub mod capacity;

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

/// Customer text as a string cell: `=HYPERLINK(…)` or `+cmd|' /C calc'!A0` stays text, never a formula.
pub fn text(sheet: &mut Worksheet, row: u32, column: u16, value: &str, format: Option<&Format>) -> io::Result<()> {
    match format {
        Some(format) => sheet.write_string_with_format(row, column, value, format),
        None => sheet.write_string(row, column, value),
    }
    .map(|_| ())
    .map_err(io_error)
}
