//! The cells a worksheet holds, read one by one from an xlsx file's XML, never through the sheet's declared
//! range: RVTools and spreadsheet programs declare ranges of 1,048,576 rows (`<dimension ref="A1:CL1048576"/>`)
//! and write empty styled cells far below the data, and a range of that size would be allocated whole. Only
//! the cells that hold a value are kept, each row as long as its last such cell, within a budget of cells.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, DataRef, Style};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::grid::Cell;
use crate::error::{InputError, Result};
use crate::read::xlsx::column_letters;

/// The most cells kept for one sheet (cells up to each row's last value): some 160 MB. An RVTools vInfo of
/// 10,000 VMs and 100 columns holds 1,000,000.
pub const MAX_CELLS: usize = 5_000_000;

/// Excel's last column (XFD): a cell beyond it is not a worksheet cell.
const MAX_COLUMN: u32 = 16_383;

/// Row number (1-based) and cells from column A, for the rows that hold a value.
pub type Rows = Vec<(u64, Vec<Cell>)>;

/// Reads the cells of sheet `name` of an xlsx workbook.
pub fn read_xlsx<R: std::io::Read + std::io::Seek>(
    path: &Path,
    workbook: &mut calamine::Xlsx<R>,
    name: &str,
) -> Result<Rows> {
    let cannot = |e: calamine::XlsxError| InputError::new(path, format!("cannot read sheet \"{name}\": {e}"));
    let mut reader = workbook.worksheet_cells_reader(name).map_err(cannot)?;
    let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    let mut kept = 0usize;
    while let Some((cell, style_id)) = reader.next_cell_with_style_id().map_err(cannot)? {
        let (row, column) = cell.get_position();
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        if column > MAX_COLUMN {
            return Err(InputError::new(path, format!("sheet \"{name}\" has a cell beyond column XFD")).into());
        }
        let percent = reader.styles().get(style_id).is_some_and(is_percent);
        let cells = rows.entry(row).or_default();
        let wanted = column as usize + 1;
        if cells.len() < wanted {
            kept += wanted - cells.len();
            if kept > MAX_CELLS {
                return Err(too_many(path, name, row, column));
            }
            cells.resize(wanted, Cell::Empty);
        }
        cells[column as usize] = convert(Data::from(value.clone()), percent);
    }
    Ok(rows.into_iter().map(|(row, cells)| (u64::from(row) + 1, cells)).collect())
}

fn too_many(path: &Path, name: &str, row: u32, column: u32) -> crate::error::Error {
    InputError::new(
        path,
        format!(
            "sheet \"{name}\" holds more than {MAX_CELLS} cells (reached at {}{}): too large to read; export the \
             inventory without the extra columns or split it",
            column_letters(column as usize),
            row + 1
        ),
    )
    .into()
}

/// A number format that shows a percentage (a custom code with `%`, or the built-in formats 9 and 10).
pub fn is_percent(style: &Style) -> bool {
    style.number_format.as_ref().is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)))
}

/// One value as a [`Cell`]: numbers through `Decimal::from_f64` (the shortest decimal that round-trips, as
/// the resource readers do), marked as percentages when formatted so.
pub fn convert(data: Data, percent: bool) -> Cell {
    let number = |value: Decimal| if percent { Cell::Percent(value) } else { Cell::Number(value) };
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            if text.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.trim().to_string())
            }
        }
        Data::Float(value) => match Decimal::from_f64(value) {
            Some(decimal) => number(decimal.normalize()),
            // Beyond the decimal range: shown in Excel's own notation (1E+30 reads as 1e30), as the cell holds it.
            None => Cell::Text(if value.abs() >= 1e21 { format!("{value:e}") } else { value.to_string() }),
        },
        Data::Int(value) => number(Decimal::from(value)),
        Data::Bool(value) => Cell::Bool(value),
        Data::DateTime(value) => Cell::Text(value.as_f64().to_string()),
        Data::Error(error) => Cell::Text(format!("#{error}")),
    }
}
