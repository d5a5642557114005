//! The tables of the assessment workbook: a header row, one Excel table (autofilter, banded rows) over the
//! rows, the header frozen, set column widths. A sheet of more rows than Excel holds (1,048,576) continues on
//! "Name (2)", "Name (3)"… each with the header, never truncated. A large sheet is written in constant memory
//! mode: each row goes to a temporary file as soon as the next starts, so memory does not grow with the rows
//! (rows are then written strictly in order, and the table is added before its rows).

use std::io;

use rust_xlsxwriter::{Table, TableColumn, TableStyle, Workbook, Worksheet};

use crate::report::xlsx::{io_error, text};

/// Excel's rows per sheet.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// Above this many rows a sheet is written in constant memory mode: standard mode keeps every cell in memory
/// (about 200 bytes each, measured with massif: 20,000 resources × 17 columns took 75 MB), which for 100,000
/// resources would pass the 300 MB budget alone; small sheets keep standard mode (column widths are then fitted).
pub const CONSTANT_MEMORY_ROWS: usize = 10_000;
/// A column without a width of its own.
const DEFAULT_WIDTH: f64 = 14.0;

/// A sheet of rows.
pub struct RowSheet<'a> {
    pub name: &'a str,
    pub columns: &'a [&'a str],
    /// Widths of the first columns, in characters.
    pub widths: &'a [f64],
    /// Lines above the table on every part (currency, period), then a blank row.
    pub preamble: &'a [String],
    /// Rows kept free under each part's table, for what the caller writes under the last one (totals).
    pub reserve: u32,
}

/// The last part: its sheet name and the first free row under its table.
pub struct Placed {
    pub sheet: String,
    pub next_row: u32,
}

/// When a sheet is full and when it is large.
#[derive(Clone, Copy)]
struct Limits {
    max_rows: u32,
    constant_memory_rows: usize,
}

const EXCEL: Limits = Limits { max_rows: EXCEL_MAX_ROWS, constant_memory_rows: CONSTANT_MEMORY_ROWS };

/// Writes `count` rows (what `rows` yields) with `write_row(sheet, row, item)`, over as many sheets as needed.
pub fn write<T>(
    workbook: &mut Workbook,
    spec: &RowSheet,
    count: usize,
    rows: impl Iterator<Item = T>,
    write_row: impl FnMut(&mut Worksheet, u32, T) -> io::Result<()>,
) -> io::Result<Placed> {
    write_within(workbook, spec, count, rows, write_row, EXCEL)
}

fn write_within<T>(
    workbook: &mut Workbook,
    spec: &RowSheet,
    count: usize,
    mut rows: impl Iterator<Item = T>,
    mut write_row: impl FnMut(&mut Worksheet, u32, T) -> io::Result<()>,
    limits: Limits,
) -> io::Result<Placed> {
    let header_row = preamble_rows(spec);
    let per_part = limits
        .max_rows
        .checked_sub(header_row + 1 + spec.reserve)
        .filter(|&n| n > 0)
        .ok_or_else(|| io::Error::other(format!("sheet {}: no room for rows under its header", spec.name)))?
        as usize;
    let parts = count.div_ceil(per_part).max(1);
    let large = count > limits.constant_memory_rows;
    let mut placed = Placed { sheet: spec.name.to_string(), next_row: 0 };
    for part in 0..parts {
        let in_part = per_part.min(count - part * per_part);
        let name = part_name(spec.name, part);
        let sheet = new_sheet(workbook, &name, large)?;
        let first = start(sheet, spec, header_row, in_part)?;
        for (k, item) in rows.by_ref().take(in_part).enumerate() {
            write_row(sheet, first + k as u32, item)?;
        }
        // An empty table still spans one (blank) row: Excel tables cannot be header-only.
        placed = Placed { sheet: name, next_row: first + in_part.max(1) as u32 };
    }
    Ok(placed)
}

fn preamble_rows(spec: &RowSheet) -> u32 {
    if spec.preamble.is_empty() { 0 } else { spec.preamble.len() as u32 + 1 }
}

/// "Resources", then "Resources (2)", "Resources (3)"…
fn part_name(name: &str, part: usize) -> String {
    if part == 0 { name.to_string() } else { format!("{name} ({})", part + 1) }
}

fn new_sheet<'w>(workbook: &'w mut Workbook, name: &str, large: bool) -> io::Result<&'w mut Worksheet> {
    let sheet =
        if large { workbook.add_worksheet_with_constant_memory().map_err(io_error)? } else { workbook.add_worksheet() };
    sheet.set_name(name).map_err(io_error)
}

/// The preamble, the widths, the table over `rows` rows and the frozen header; returns the first data row.
fn start(sheet: &mut Worksheet, spec: &RowSheet, header_row: u32, rows: usize) -> io::Result<u32> {
    for (k, line) in spec.preamble.iter().enumerate() {
        text(sheet, k as u32, 0, line, None)?;
    }
    for column in 0..spec.columns.len() {
        let width = spec.widths.get(column).copied().unwrap_or(DEFAULT_WIDTH);
        sheet.set_column_width(column as u16, width).map_err(io_error)?;
    }
    add_table(sheet, header_row, spec.columns, rows)?;
    // Printed with the header on every page.
    sheet.set_landscape().set_repeat_rows(header_row, header_row).map_err(io_error)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(io_error)?;
    Ok(header_row + 1)
}

/// An Excel table with `columns` as its header at `header_row` over the next `rows` rows (at least one).
pub fn add_table(sheet: &mut Worksheet, header_row: u32, columns: &[&str], rows: usize) -> io::Result<()> {
    let columns: Vec<TableColumn> = columns.iter().map(|name| TableColumn::new().set_header(*name)).collect();
    let table = Table::new().set_columns(&columns).set_style(TableStyle::Medium2);
    let last_row = header_row + rows.max(1) as u32;
    let last_column = columns.len().saturating_sub(1) as u16;
    sheet.add_table(header_row, 0, last_row, last_column, &table).map(|_| ()).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;

    fn written(count: usize, limits: Limits, preamble: &[String], reserve: u32) -> Xlsx<Cursor<Vec<u8>>> {
        let mut workbook = Workbook::new();
        let spec = RowSheet { name: "Items", columns: &["Item", "Square"], widths: &[10.0], preamble, reserve };
        let placed = write_within(
            &mut workbook,
            &spec,
            count,
            0..count,
            |sheet, row, k| {
                text(sheet, row, 0, &format!("item {k}"), None)?;
                sheet.write_number(row, 1, (k * k) as f64).map(|_| ()).map_err(io_error)
            },
            limits,
        )
        .unwrap();
        let sheet = workbook.worksheet_from_name(&placed.sheet).unwrap();
        text(sheet, placed.next_row, 0, "after", None).unwrap();
        let buffer = workbook.save_to_buffer().unwrap();
        Xlsx::new(Cursor::new(buffer)).unwrap()
    }

    fn cells(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
        book.worksheet_range(sheet).unwrap().rows().map(<[Data]>::to_vec).collect()
    }

    #[test]
    fn a_full_sheet_continues_on_the_next_with_the_header() {
        for constant_memory_rows in [0, 1_000] {
            let limits = Limits { max_rows: 4, constant_memory_rows };
            let mut book = written(10, limits, &[], 0);
            assert_eq!(book.sheet_names(), ["Items", "Items (2)", "Items (3)", "Items (4)"]);
            let mut items = Vec::new();
            for name in book.sheet_names() {
                let rows = cells(&mut book, &name);
                assert_eq!(rows[0], [Data::String("Item".into()), Data::String("Square".into())], "{name}");
                items.extend(rows[1..].iter().map(|r| r[0].clone()));
            }
            let mut expected: Vec<Data> = (0..10).map(|k| Data::String(format!("item {k}"))).collect();
            expected.push(Data::String("after".into()));
            assert_eq!(items, expected, "every row once, in order, then what follows the last table");
        }
    }

    #[test]
    fn the_preamble_and_reserve_come_out_of_each_part() {
        let preamble = vec!["Currency: EUR".to_string()];
        // 6 rows a sheet: preamble, blank, header, 2 rows, 1 reserved.
        let mut book = written(5, Limits { max_rows: 6, constant_memory_rows: 0 }, &preamble, 1);
        assert_eq!(book.sheet_names(), ["Items", "Items (2)", "Items (3)"]);
        let rows = cells(&mut book, "Items (2)");
        assert_eq!(rows[0][0], Data::String("Currency: EUR".into()));
        assert_eq!(rows[2][0], Data::String("Item".into()));
        assert_eq!(rows[3][0], Data::String("item 2".into()));
    }

    #[test]
    fn no_rows_still_give_the_header() {
        let mut book = written(0, EXCEL, &[], 0);
        assert_eq!(book.sheet_names(), ["Items"]);
        assert_eq!(cells(&mut book, "Items")[0][0], Data::String("Item".into()));
    }
}
