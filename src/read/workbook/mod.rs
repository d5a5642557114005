//! The one way a workbook is opened (usage and resource exports, RVTools, Azure Migrate, the planner table, price
//! lists, workloads side files), bounded whatever the file claims:
//! - only a regular file is opened (a FIFO or a device is refused before a byte is read);
//! - a zip-based workbook's parts are checked against size and compression-ratio limits first ([`archive`]);
//! - a sheet's cells are read one by one from its XML ([`Workbook::for_each_cell`]), never through the range the
//!   sheet declares: `<dimension ref="A1:XFD1048576"/>`, or two cells at A1 and XFD1048576, would otherwise be
//!   allocated whole (17 billion cells);
//! - a cell's text is at most [`MAX_CELL_BYTES`], and a cell beyond Excel's last column (XFD) is refused.
//!
//! Legacy `.xls` and `.ods` workbooks are parsed whole by the library when opened (their formats are read
//! record by record into memory); their cells are then visited the same way.

pub mod archive;
pub mod dates;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

use crate::error::{InputError, Result};
use crate::read::xlsx::column_letters;

/// The longest text a cell may hold: 16 MiB (Excel's own limit is 32,767 characters).
pub const MAX_CELL_BYTES: usize = 16 << 20;
/// Excel's last column, XFD (0-based).
pub const LAST_COLUMN: u32 = 16_383;

/// One cell's value as a reader sees it, borrowed from the library's buffers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Int(i64),
    Bool(bool),
    /// A cell formatted as a date or time: its serial (days since the workbook's epoch, see [`dates`]).
    Date(f64),
    /// An error value (`#DIV/0!`), as Excel shows it.
    Error(&'a str),
}

/// Where a cell is and how it is formatted, beside its value.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    /// 0-based row and column.
    pub row: u32,
    pub column: u32,
    /// Formatted as a percentage (xlsx only; 0.5 shows as 50 %).
    pub percent: bool,
}

/// Whether to go on visiting cells.
pub enum Visit {
    Continue,
    Stop,
}

/// An open workbook.
pub struct Workbook {
    path: PathBuf,
    sheets: Sheets<BufReader<File>>,
}

impl Workbook {
    /// Opens a workbook (xlsx, xlsm, xlsb, xls, ods; the kind by extension, else by content) after the checks
    /// described above.
    pub fn open(path: &Path) -> Result<Workbook> {
        let metadata = crate::open::check_regular(path)?;
        if metadata.len() == 0 {
            return Err(InputError::new(path, "the file is empty").into());
        }
        let kind = Kind::of(path)?;
        if kind != Kind::Xls {
            refuse_non_archive(path)?;
            archive::check(path)?;
        }
        let sheets = kind.open(path).map_err(|message| not_readable(path, &message))?;
        Ok(Workbook { path: path.to_path_buf(), sheets })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Whether dates count from 1904 (the workbook's date system).
    pub fn is_1904(&self) -> bool {
        match &self.sheets {
            Sheets::Xlsx(book) => book.has_1904_epoch(),
            Sheets::Xlsb(book) => book.has_1904_epoch(),
            Sheets::Xls(book) => book.has_1904_epoch(),
            // OpenDocument stores dates as ISO text.
            Sheets::Ods(_) => false,
        }
    }

    /// Visits the cells of sheet `name` that hold a value, in the sheet's order (row by row), until `visit` says
    /// stop. Empty cells (formatting only) are not visited.
    pub fn for_each_cell(
        &mut self,
        name: &str,
        mut visit: impl FnMut(Position, Value<'_>) -> Result<Visit>,
    ) -> Result<()> {
        let path = self.path.clone();
        let cannot = |e: &dyn std::fmt::Display| cannot_read(&path, name, e);
        let mut checked = |position: Position, value: Value<'_>| -> Result<Visit> {
            check_cell(&path, name, position, &value)?;
            visit(position, value)
        };
        match &mut self.sheets {
            Sheets::Xlsx(book) => {
                let mut reader = book.worksheet_cells_reader(name).map_err(|e| cannot(&e))?;
                let mut percent_styles: Vec<Option<bool>> = Vec::new();
                while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| cannot(&e))? {
                    let (row, column) = cell.get_position();
                    let percent = is_percent_style(&mut percent_styles, reader.styles(), style);
                    if let Some(flow) = visit_ref(cell.get_value(), Position { row, column, percent }, &mut checked)?
                        && matches!(flow, Visit::Stop)
                    {
                        break;
                    }
                }
            }
            Sheets::Xlsb(book) => {
                let mut reader = book.worksheet_cells_reader(name).map_err(|e| cannot(&e))?;
                while let Some(cell) = reader.next_cell().map_err(|e| cannot(&e))? {
                    let (row, column) = cell.get_position();
                    let position = Position { row, column, percent: false };
                    if let Some(Visit::Stop) = visit_ref(cell.get_value(), position, &mut checked)? {
                        break;
                    }
                }
            }
            Sheets::Xls(_) | Sheets::Ods(_) => {}
        }
        if let Sheets::Xls(_) | Sheets::Ods(_) = &self.sheets {
            // Parsed whole when the workbook was opened: the range is already in memory.
            let range = self.sheets.worksheet_range(name).map_err(|e| cannot(&e))?;
            let (first_row, first_column) = range.start().unwrap_or((0, 0));
            for (row, column, data) in range.used_cells() {
                let position = Position {
                    row: first_row.saturating_add(row as u32),
                    column: first_column.saturating_add(column as u32),
                    percent: false,
                };
                if let Some(Visit::Stop) = visit_data(data, position, &mut checked)? {
                    break;
                }
            }
        }
        Ok(())
    }

    /// The rows of sheet `name` that hold a value, each from column A to its last value (`convert` makes each
    /// cell; `T::default()` fills the gaps), with 1-based row numbers. At most `max_cells` cells in all, counting
    /// the gaps: for the readers that hold a whole sheet (inventories, price lists, side files).
    pub fn rows<T: Default + Clone>(
        &mut self,
        name: &str,
        max_cells: usize,
        mut convert: impl FnMut(Position, Value<'_>) -> T,
    ) -> Result<Vec<(u64, Vec<T>)>> {
        let mut rows: std::collections::BTreeMap<u32, Vec<T>> = std::collections::BTreeMap::new();
        let mut kept = 0usize;
        let path = self.path.clone();
        self.for_each_cell(name, |position, value| {
            let cells = rows.entry(position.row).or_default();
            let wanted = position.column as usize + 1;
            if cells.len() < wanted {
                kept = kept.saturating_add(wanted - cells.len());
                if kept > max_cells {
                    return Err(too_many_cells(&path, name, position, max_cells));
                }
                cells.resize(wanted, T::default());
            }
            cells[position.column as usize] = convert(position, value);
            Ok(Visit::Continue)
        })?;
        Ok(rows.into_iter().map(|(row, cells)| (u64::from(row) + 1, cells)).collect())
    }
}

/// The library's kinds of workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Kind {
    /// By extension (ignoring case); a file named otherwise by its content: an OLE document is xls, a zip archive
    /// ods when it says so, xlsb when it holds a binary workbook part, else xlsx.
    fn of(path: &Path) -> Result<Kind> {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("xlsx" | "xlsm") => return Ok(Kind::Xlsx),
            Some("xlsb") => return Ok(Kind::Xlsb),
            Some("xls") => return Ok(Kind::Xls),
            Some("ods") => return Ok(Kind::Ods),
            _ => {}
        }
        let (mut file, _) = crate::open::regular_file(path)?;
        let mut head = [0u8; 4];
        let _ = std::io::Read::read(&mut file, &mut head);
        if head == [0xD0, 0xCF, 0x11, 0xE0] {
            return Ok(Kind::Xls);
        }
        let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| not_readable(path, &e.to_string()))?;
        let names: Vec<String> = archive.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
        let has = |wanted: &str| names.iter().any(|n| n == wanted);
        Ok(if has("content.xml") && has("mimetype") {
            Kind::Ods
        } else if has("xl/workbook.bin") {
            Kind::Xlsb
        } else {
            Kind::Xlsx
        })
    }

    fn open(self, path: &Path) -> std::result::Result<Sheets<BufReader<File>>, String> {
        let text = |e: &dyn std::fmt::Display| e.to_string();
        Ok(match self {
            Kind::Xlsx => Sheets::Xlsx(calamine::open_workbook::<Xlsx<_>, _>(path).map_err(|e| text(&e))?),
            Kind::Xlsb => Sheets::Xlsb(calamine::open_workbook::<Xlsb<_>, _>(path).map_err(|e| text(&e))?),
            Kind::Xls => Sheets::Xls(calamine::open_workbook::<Xls<_>, _>(path).map_err(|e| text(&e))?),
            Kind::Ods => Sheets::Ods(calamine::open_workbook::<Ods<_>, _>(path).map_err(|e| text(&e))?),
        })
    }
}

/// An xlsx, xlsb or ods workbook is a zip archive: a file that is not one (a CSV file saved under a workbook's
/// name) is refused saying so.
fn refuse_non_archive(path: &Path) -> Result<()> {
    let (mut file, _) = crate::open::regular_file(path)?;
    let mut head = [0u8; 4];
    let mut filled = 0;
    while filled < head.len() {
        match std::io::Read::read(&mut file, &mut head[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(InputError::new(path, format!("cannot read: {e}")).into()),
        }
    }
    if head[..filled] == *b"PK\x03\x04" || head[..filled] == *b"PK\x05\x06" {
        return Ok(());
    }
    Err(InputError::new(
        path,
        "not a workbook: an xlsx, xlsb or ods workbook is a zip archive and this file is not one (a CSV file \
         named like a workbook? give it a .csv name)",
    )
    .into())
}

/// Whether style `id` shows numbers as percentages, remembered per style.
fn is_percent_style(known: &mut Vec<Option<bool>>, styles: &[calamine::Style], id: usize) -> bool {
    if let Some(Some(percent)) = known.get(id) {
        return *percent;
    }
    let percent = styles.get(id).is_some_and(|style| {
        style.number_format.as_ref().is_some_and(|f| f.format_code.contains('%') || matches!(f.format_id, Some(9 | 10)))
    });
    if id < styles.len() {
        if known.len() <= id {
            known.resize(id + 1, None);
        }
        known[id] = Some(percent);
    }
    percent
}

type Visitor<'v> = dyn FnMut(Position, Value<'_>) -> Result<Visit> + 'v;

/// Visits one value of the streaming readers; `None` for an empty cell.
fn visit_ref(data: &DataRef<'_>, position: Position, visit: &mut Visitor<'_>) -> Result<Option<Visit>> {
    let error;
    let value = match data {
        DataRef::Empty => return Ok(None),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Value::Text(text),
        DataRef::SharedString(text) => Value::Text(text),
        DataRef::Float(value) => Value::Number(*value),
        DataRef::Int(value) => Value::Int(*value),
        DataRef::Bool(value) => Value::Bool(*value),
        DataRef::DateTime(value) if value.is_datetime() => Value::Date(value.as_f64()),
        DataRef::DateTime(value) => Value::Number(value.as_f64()),
        DataRef::Error(e) => {
            error = e.to_string();
            Value::Error(&error)
        }
    };
    visit(position, value).map(Some)
}

/// Visits one value of a whole range (xls, ods).
fn visit_data(data: &Data, position: Position, visit: &mut Visitor<'_>) -> Result<Option<Visit>> {
    let error;
    let value = match data {
        Data::Empty => return Ok(None),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Value::Text(text),
        Data::Float(value) => Value::Number(*value),
        Data::Int(value) => Value::Int(*value),
        Data::Bool(value) => Value::Bool(*value),
        Data::DateTime(value) if value.is_datetime() => Value::Date(value.as_f64()),
        Data::DateTime(value) => Value::Number(value.as_f64()),
        Data::Error(e) => {
            error = e.to_string();
            Value::Error(&error)
        }
    };
    visit(position, value).map(Some)
}

/// A cell past column XFD, or whose text is over [`MAX_CELL_BYTES`], is refused naming it.
fn check_cell(path: &Path, sheet: &str, position: Position, value: &Value<'_>) -> Result<()> {
    if position.column > LAST_COLUMN {
        return Err(InputError::new(path, "a cell beyond column XFD, Excel's last: not a worksheet cell")
            .at(format!("sheet \"{sheet}\", row {}", u64::from(position.row) + 1))
            .into());
    }
    if let Value::Text(text) = value
        && text.len() > MAX_CELL_BYTES
    {
        return Err(InputError::new(
            path,
            format!("the cell holds {} bytes of text, over the limit of {MAX_CELL_BYTES} bytes (16 MiB)", text.len()),
        )
        .at(cell_name(sheet, position))
        .into());
    }
    Ok(())
}

/// `sheet "vInfo", cell D7`.
pub fn cell_name(sheet: &str, position: Position) -> String {
    format!("sheet \"{sheet}\", cell {}{}", column_letters(position.column as usize), u64::from(position.row) + 1)
}

fn too_many_cells(path: &Path, sheet: &str, position: Position, max_cells: usize) -> crate::error::Error {
    InputError::new(
        path,
        format!(
            "the sheet holds more than {max_cells} cells (counting the empty cells before each row's last value): \
             too large to read; remove the extra columns and rows or split the sheet"
        ),
    )
    .at(cell_name(sheet, position))
    .into()
}

/// The library could not open the workbook: say which part of the archive fails when one does.
fn not_readable(path: &Path, message: &str) -> crate::error::Error {
    match archive::diagnose(path) {
        Some((part, problem)) => {
            InputError::new(path, format!("not a readable workbook: {problem}")).at(format!("part {part}")).into()
        }
        None => InputError::new(path, format!("not a readable workbook: {message}")).into(),
    }
}

fn cannot_read(path: &Path, sheet: &str, error: &dyn std::fmt::Display) -> crate::error::Error {
    let place = format!("sheet \"{sheet}\"");
    match archive::diagnose(path) {
        Some((part, problem)) => InputError::new(path, format!("cannot read the sheet: {problem}"))
            .at(format!("{place}, part {part}"))
            .into(),
        None => InputError::new(path, format!("cannot read the sheet: {error}")).at(place).into(),
    }
}
