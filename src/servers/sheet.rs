//! The cells a worksheet holds as [`Cell`]s, read one by one ([`Workbook::rows`]), never through the sheet's
//! declared range: RVTools and spreadsheet programs declare ranges of 1,048,576 rows (`<dimension
//! ref="A1:CL1048576"/>`) and write empty styled cells far below the data, and a range of that size would be
//! allocated whole. Only the cells that hold a value are kept, each row as long as its last such cell, within a
//! budget of cells.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::grid::Cell;
use crate::error::Result;
use crate::read::workbook::{Value, Workbook, dates};

/// The most cells kept for one sheet (cells up to each row's last value): some 160 MB. An RVTools vInfo of
/// 10,000 VMs and 100 columns holds 1,000,000.
pub const MAX_CELLS: usize = 5_000_000;

/// Row number (1-based) and cells from column A, for the rows that hold a value.
pub type Rows = Vec<(u64, Vec<Cell>)>;

/// Reads the cells of sheet `name`.
pub fn read(workbook: &mut Workbook, name: &str) -> Result<Rows> {
    let is_1904 = workbook.is_1904();
    workbook.rows(name, MAX_CELLS, |position, value| convert(value, position.percent, is_1904))
}

/// One value as a [`Cell`]: numbers through `Decimal::from_f64` (the shortest decimal that round-trips, as
/// the resource readers do), marked as percentages when formatted so; a cell formatted as a date is a date,
/// which stays its serial number where a number is read.
pub fn convert(value: Value<'_>, percent: bool, is_1904: bool) -> Cell {
    let number = |value: Decimal| if percent { Cell::Percent(value) } else { Cell::Number(value) };
    match value {
        Value::Text(text) => {
            if text.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.trim().to_string())
            }
        }
        Value::Number(value) => match Decimal::from_f64(value) {
            Some(decimal) => number(decimal.normalize()),
            // Beyond the decimal range: shown in Excel's own notation (1E+30 reads as 1e30), as the cell holds it.
            None => Cell::Text(if value.abs() >= 1e21 { format!("{value:e}") } else { value.to_string() }),
        },
        Value::Int(value) => number(Decimal::from(value)),
        Value::Bool(value) => Cell::Bool(value),
        Value::Date(serial) => match (Decimal::from_f64(serial), dates::iso(serial, is_1904)) {
            (Some(decimal), Some(iso)) => Cell::Date { serial: decimal.normalize(), iso },
            _ => Cell::Text(serial.to_string()),
        },
        Value::Error(error) => Cell::Text(error.to_string()),
    }
}
