//! Tables of cells from a CSV file or a worksheet, held in memory (inventories hold thousands of rows at
//! most), with the typed cell readers every server reader uses: each failure names the file, the line or
//! the sheet and cell, and the column.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::ByteRecord;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::columns::{Resolved, TableSpec};
use crate::error::{InputError, Result};
use crate::model::{Warning, checked};
use crate::read::decode::{self, field_text};
use crate::read::duplicate_columns::{self, Positions};
use crate::read::number::{DecimalSeparator, as_written, parse_decimal};
use crate::read::row_shape::{Cells, HeaderRule, Repeated, RowCheck, Shape, is_key_of};
use crate::read::table::{CsvRecords, Locator, Records};
use crate::read::workbook::Workbook;
use crate::read::xlsx::column_letters;

/// How many leading rows are searched for a header row (as the resource readers do).
const HEADER_SEARCH_ROWS: usize = 10;

/// One cell as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(Decimal),
    /// A workbook number formatted as a percentage: the stored fraction (0.5 shows as 50 %).
    Percent(Decimal),
    Bool(bool),
    /// A workbook cell formatted as a date: its text is the ISO date, its number the serial Excel stores.
    Date {
        serial: Decimal,
        iso: String,
    },
}

impl Cell {
    /// The cell as text ("" when empty).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(value) => value.normalize().to_string(),
            Cell::Percent(value) => match value.checked_mul(Decimal::ONE_HUNDRED) {
                Some(percent) => format!("{}%", percent.normalize()),
                None => value.normalize().to_string(),
            },
            Cell::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date { iso, .. } => iso.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// The rows of one CSV file or worksheet.
pub struct Grid {
    pub path: PathBuf,
    pub locator: Locator,
    pub separator: DecimalSeparator,
    /// The sheet name, for workbooks.
    pub sheet: Option<String>,
    /// Row number (line or sheet row, 1-based) and cells.
    pub rows: Vec<(u64, Vec<Cell>)>,
}

impl Grid {
    /// Reads a CSV file of any encoding the resource readers accept, with the same delimiter sniffing.
    pub fn from_csv(path: &Path) -> Result<Self> {
        let mut records = open_csv(path)?;
        let mut record = ByteRecord::new();
        let mut rows = Vec::new();
        while let Some(line) = records.next_record(&mut record)? {
            rows.push((line, csv_cells(&record)));
        }
        Ok(Grid {
            path: path.to_path_buf(),
            locator: records.locator(),
            separator: records.decimal_separator(),
            sheet: None,
            rows,
        })
    }

    /// Reads a CSV file as tables of at most `chunk_rows` data rows under the header `spec` finds, calling `each`
    /// with every one: memory stays bounded whatever the file's size (a dependency export of 30 days of 6-hour
    /// time slots runs to millions of rows). Row numbers and errors are those of the whole file.
    pub fn for_each_csv_chunk(
        path: &Path,
        spec: &TableSpec,
        chunk_rows: usize,
        mut each: impl FnMut(&Table) -> Result<()>,
    ) -> Result<()> {
        let mut records = open_csv(path)?;
        let mut grid = Grid {
            path: path.to_path_buf(),
            locator: records.locator(),
            separator: records.decimal_separator(),
            sheet: None,
            rows: Vec::new(),
        };
        let mut record = ByteRecord::new();
        let mut header_rows = None;
        loop {
            // Until the header is found, the first rows are kept to look for it; then each chunk replaces the last.
            let wanted = match header_rows {
                None => HEADER_SEARCH_ROWS + chunk_rows,
                Some(kept) => kept + chunk_rows,
            };
            let mut ended = false;
            while grid.rows.len() < wanted {
                match records.next_record(&mut record)? {
                    Some(line) => grid.rows.push((line, csv_cells(&record))),
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
            let table = grid.table(spec)?;
            each(&table)?;
            let kept = table.first_data;
            if ended {
                return Ok(());
            }
            header_rows = Some(kept);
            grid.rows.truncate(kept);
        }
    }

    /// Reads one worksheet. Numbers stay numbers (through `Decimal::from_f64`, the shortest decimal that
    /// round-trips, as the resource readers do); numbers formatted as percentages are marked as such. The sheet is
    /// read cell by cell ([`super::sheet`]): its declared range may be 1,048,576 rows.
    pub fn from_sheet(workbook: &mut Workbook, name: &str) -> Result<Self> {
        let rows = super::sheet::read(workbook, name)?;
        Ok(Grid {
            path: workbook.path().to_path_buf(),
            locator: Locator::Sheet { sheet: name.to_string(), first_column: 0 },
            separator: DecimalSeparator::Point,
            sheet: Some(name.to_string()),
            rows,
        })
    }

    /// "line 1" or `sheet "vInfo"`: where the header is looked for, for messages.
    pub fn place(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet \"{sheet}\""),
            None => "line 1".to_string(),
        }
    }

    /// The first of the first rows whose header holds the table's signature: its index, header cells
    /// and resolved columns. `Err` with the headers of the first non-empty row when none does.
    pub fn find_header(&self, spec: &TableSpec) -> std::result::Result<(usize, Vec<String>, Resolved), Vec<String>> {
        let mut first_seen = None;
        for (index, (_, cells)) in self.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            let names: Vec<String> = cells.iter().map(Cell::text).collect();
            let resolved = spec.resolve(&names);
            if spec.matches(&resolved) {
                return Ok((index, names, resolved));
            }
            first_seen.get_or_insert(names);
        }
        Err(first_seen.unwrap_or_default())
    }

    /// The table under a header found with [`Self::find_header`], its columns and (in a CSV file) its rows
    /// checked: see [`Self::unchecked_table`] for the header alone.
    pub fn table<'g>(&'g self, spec: &'g TableSpec) -> Result<Table<'g>> {
        let mut table = self.unchecked_table(spec)?;
        let header_row = self.rows[table.first_data - 1].0;
        table.header_warnings = self.check_columns(&table.names, &table.resolved, header_row)?;
        (table.repeated, table.skipped) = self.check_rows(spec, &table.names, table.first_data - 1)?;
        Ok(table)
    }

    /// The table under a header found with [`Self::find_header`]; a missing required column is an
    /// error naming it and the sheet (or line).
    pub fn unchecked_table<'g>(&'g self, spec: &'g TableSpec) -> Result<Table<'g>> {
        let (index, names, resolved) = self.find_header(spec).map_err(|seen| {
            InputError::new(
                &self.path,
                format!(
                    "no header row with the columns {} ({}); headers seen: {}",
                    spec.describe_signature(),
                    spec.title,
                    crate::read::quote_list(&seen)
                ),
            )
            .at(self.place())
        })?;
        let header_row = self.rows[index].0;
        for field in &spec.required {
            if !resolved.columns.contains_key(field) {
                let spellings = spec.columns.get(field).cloned().unwrap_or_default();
                let place = match &self.sheet {
                    Some(sheet) => format!("sheet \"{sheet}\", row {header_row}"),
                    None => format!("line {header_row}"),
                };
                return Err(InputError::new(
                    &self.path,
                    format!(
                        "missing mandatory column \"{}\"{} (accepted spellings: {}); headers seen: {}",
                        spec.header_of(field),
                        self.sheet.as_ref().map(|s| format!(" in sheet \"{s}\"")).unwrap_or_default(),
                        crate::read::quote_list(&spellings),
                        crate::read::quote_list(&names)
                    ),
                )
                .at(place)
                .into());
            }
        }
        let (skipped, repeated, header_warnings) = Default::default();
        Ok(Table { grid: self, spec, names, resolved, first_data: index + 1, skipped, repeated, header_warnings })
    }

    /// A column read twice is an error, a column not read that is there twice a warning (see
    /// [`duplicate_columns`]).
    fn check_columns(&self, names: &[String], resolved: &Resolved, header_row: u64) -> Result<Vec<Warning>> {
        let positions = match &self.locator {
            Locator::Sheet { first_column, .. } => Positions::Letters(*first_column),
            Locator::Lines | Locator::Rows(_) => Positions::Fields,
        };
        let at = self.locator.locate(header_row, None);
        let mut used: Vec<usize> = resolved
            .columns
            .values()
            .chain(resolved.numbered.values().flat_map(|disks| disks.values()))
            .copied()
            .collect();
        used.sort_unstable();
        for &column in &used {
            let others = duplicate_columns::same_name(names, column);
            if !others.is_empty() {
                return Err(duplicate_columns::used_twice(&self.path, at, names, column, &others, positions));
            }
        }
        Ok(duplicate_columns::unused_twice(names, &used, &at, positions))
    }

    /// A CSV file's rows after the header at `index`, checked against it (see [`crate::read::row_shape`]): the
    /// header rows repeated, and the indexes of their rows.
    fn check_rows(&self, spec: &TableSpec, names: &[String], index: usize) -> Result<(Repeated, BTreeSet<usize>)> {
        let (mut repeated, mut skipped) = (Repeated::default(), BTreeSet::new());
        if self.sheet.is_some() {
            return Ok((repeated, skipped));
        }
        let check = RowCheck::new(names, self.rows[index].0, Arc::new(SpecHeaders::new(spec)));
        for (at, (line, cells)) in self.rows.iter().enumerate().skip(index + 1) {
            match check.check(cells.as_slice()) {
                Ok(Shape::Data) => {}
                Ok(Shape::RepeatedHeader) => {
                    repeated.note(*line);
                    skipped.insert(at);
                }
                Err(fault) => {
                    let mut error = InputError::new(&self.path, fault.message).at(self.locator.locate(*line, None));
                    if let Some(column) = fault.column {
                        error = error.column(column);
                    }
                    return Err(error.into());
                }
            }
        }
        Ok((repeated, skipped))
    }
}

/// A header-like row for a server inventory or a workloads side file: one that holds the signature of the
/// table being read, as its header does.
struct SpecHeaders {
    spec: TableSpec,
    names: rustc_hash::FxHashSet<String>,
}

impl SpecHeaders {
    fn new(spec: &TableSpec) -> Self {
        let names = spec.columns.values().flatten().map(|spelling| crate::rules::normalize_key(spelling)).collect();
        SpecHeaders { spec: spec.clone(), names }
    }
}

impl HeaderRule for SpecHeaders {
    fn knows(&self, cell: &str) -> bool {
        is_key_of(cell, &self.names)
    }

    fn is_header(&self, names: &[String]) -> bool {
        self.spec.matches(&self.spec.resolve(names))
    }
}

impl Cells for [Cell] {
    fn count(&self) -> usize {
        self.len()
    }

    fn text(&self, index: usize) -> Cow<'_, str> {
        match self.get(index) {
            Some(Cell::Text(text)) => Cow::Borrowed(text.trim()),
            Some(Cell::Empty) | None => Cow::Borrowed(""),
            Some(other) => Cow::Owned(other.text()),
        }
    }
}

/// A CSV file's records, decoded to UTF-8 from any encoding the resource readers accept, delimiter sniffed.
fn open_csv(path: &Path) -> Result<CsvRecords> {
    let (file, _) = crate::open::regular_file(path)?;
    let (_, mut decoded) =
        decode::utf8_reader(Box::new(file)).map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    let mut head = Vec::new();
    (&mut decoded)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    let rest: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head.clone()).chain(decoded));
    Ok(CsvRecords::new(path, &head, rest))
}

fn csv_cells(record: &ByteRecord) -> Vec<Cell> {
    record
        .iter()
        .map(|field| {
            let text = field_text(field).0.trim().to_string();
            if text.is_empty() { Cell::Empty } else { Cell::Text(text) }
        })
        .collect()
}

/// A table: its header and the rows below it.
pub struct Table<'g> {
    pub grid: &'g Grid,
    pub spec: &'g TableSpec,
    pub names: Vec<String>,
    pub resolved: Resolved,
    first_data: usize,
    /// Rows that are the header again (files joined one after another), left out of [`Table::rows`].
    skipped: BTreeSet<usize>,
    pub repeated: Repeated,
    /// About the header's columns (one there twice that is not read).
    pub header_warnings: Vec<Warning>,
}

/// One data row of a table.
#[derive(Clone, Copy)]
pub struct Row<'t> {
    table: &'t Table<'t>,
    pub number: u64,
    cells: &'t [Cell],
}

impl<'t> Table<'t> {
    /// The data rows, blank rows left out.
    pub fn rows(&'t self) -> impl Iterator<Item = Row<'t>> {
        self.grid.rows[self.first_data..]
            .iter()
            .enumerate()
            .filter(|(at, (_, cells))| {
                !self.skipped.contains(&(at + self.first_data)) && !cells.iter().all(Cell::is_empty)
            })
            .map(move |(_, (number, cells))| Row { table: self, number: *number, cells })
    }

    /// The header's row number (its line in a CSV file).
    pub fn header_line(&self) -> u64 {
        self.first_data.checked_sub(1).and_then(|i| self.grid.rows.get(i)).map_or(1, |(line, _)| *line)
    }

    /// The warnings about the header: its columns, and its rows repeated further down.
    pub fn warnings(&self) -> Vec<Warning> {
        self.header_warnings.iter().cloned().chain(self.repeated.warning(self.header_line())).collect()
    }

    pub fn has(&self, field: &str) -> bool {
        self.resolved.columns.contains_key(field)
    }

    /// Disk numbers found for the numbered fields, in order.
    pub fn disk_numbers(&self) -> Vec<u32> {
        let mut numbers: Vec<u32> = self.resolved.numbered.values().flat_map(|m| m.keys().copied()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }
}

impl Row<'_> {
    /// "line 7" or `sheet "vInfo", row 7`.
    pub fn location(&self) -> String {
        self.table.grid.locator.locate(self.number, None)
    }

    /// Where a field's cell is: "line 7" (CSV), `sheet "Overrides", cell C7` (workbook); the row when the
    /// table has no such column.
    pub fn cell_location(&self, field: &str) -> String {
        self.table.grid.locator.locate(self.number, self.column(field))
    }

    fn cell_at(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    fn error(&self, column: usize, message: impl Into<String>) -> crate::error::Error {
        let name = self.table.names.get(column).map_or("?", String::as_str);
        let mut message = message.into();
        if let Some(reference) = self.excel_reference(column) {
            message = format!("{message} ({reference})");
        }
        InputError::new(&self.table.grid.path, message)
            .at(self.table.grid.locator.locate(self.number, Some(column)))
            .column(name)
            .into()
    }

    /// The cell as Excel writes a reference (vInfo!D4, 'Workload Qualification'!G3); `None` for CSV.
    fn excel_reference(&self, column: usize) -> Option<String> {
        let sheet = self.table.grid.sheet.as_ref()?;
        let first_column = match &self.table.grid.locator {
            Locator::Sheet { first_column, .. } => *first_column,
            Locator::Lines | Locator::Rows(_) => 0,
        };
        let quoted = if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
            sheet.clone()
        } else {
            format!("'{}'", sheet.replace('\'', "''"))
        };
        Some(format!("{quoted}!{}{}", column_letters(first_column + column), self.number))
    }

    /// The cell as the input wrote it, for messages (a long text is cut).
    fn written(&self, column: usize) -> String {
        as_written(&self.cell_at(column).text())
    }

    /// A figure computed from the cell of `field` (of disk `disk` for a numbered field, `Disk 3 size`) that is
    /// beyond the decimal range: the error names the cell, its column and its value as written.
    pub fn too_large(&self, field: &str, disk: Option<u32>, what: &str) -> crate::error::Error {
        let column = match disk {
            Some(disk) => self.numbered_column(field, disk),
            None => self.column(field),
        };
        match column {
            Some(column) => self.error(column, checked::too_large(format!("{what} ({})", self.written(column)))),
            None => InputError::new(&self.table.grid.path, checked::too_large(what)).at(self.location()).into(),
        }
    }

    /// Whether the table has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.column(field).is_some()
    }

    /// A server's cores and memory (MB), with the empty cells among them named: every server reader reads these
    /// two alike, and an empty one lists the server as not qualified rather than failing the file.
    pub fn cores_and_memory(&self) -> Result<(Option<u32>, Option<Decimal>, Vec<String>)> {
        let cores = self.count("cores", true)?;
        let memory_mb = self.quantity("memory_mb")?;
        let mut empty_cells = Vec::new();
        if cores.is_none() {
            empty_cells.push(self.empty_cell("cores"));
        }
        if memory_mb.is_none() {
            empty_cells.push(self.empty_cell("memory_mb"));
        }
        Ok((cores, memory_mb, empty_cells))
    }

    /// An empty cell of `field`, for messages: `"CPUs" (vInfo!P10)` in a workbook, `"Cores" (line 7)` in CSV.
    pub fn empty_cell(&self, field: &str) -> String {
        match self.column(field) {
            Some(column) => {
                let header = self.table.names.get(column).cloned().unwrap_or_else(|| self.table.spec.header_of(field));
                let place = self.excel_reference(column).unwrap_or_else(|| self.location());
                format!("\"{header}\" ({place})")
            }
            None => format!("\"{}\" ({})", self.table.spec.header_of(field), self.location()),
        }
    }

    fn column(&self, field: &str) -> Option<usize> {
        self.table.resolved.columns.get(field).copied()
    }

    fn numbered_column(&self, field: &str, disk: u32) -> Option<usize> {
        self.table.resolved.numbered.get(field)?.get(&disk).copied()
    }

    /// The cell's text, `None` when the column is absent or the cell empty.
    pub fn text(&self, field: &str) -> Option<String> {
        let cell = self.cell_at(self.column(field)?);
        (!cell.is_empty()).then(|| cell.text())
    }

    pub fn bool(&self, field: &str) -> Option<bool> {
        let column = self.column(field)?;
        match self.cell_at(column) {
            Cell::Bool(value) => Some(*value),
            Cell::Number(value) => Some(!value.is_zero()),
            cell => match crate::rules::normalize_key(&cell.text()).as_str() {
                "true" | "yes" | "y" | "1" => Some(true),
                "false" | "no" | "n" | "0" => Some(false),
                _ => None,
            },
        }
    }

    fn decimal_in(&self, column: usize) -> Result<Option<Decimal>> {
        match self.cell_at(column) {
            Cell::Empty => Ok(None),
            Cell::Number(value) => Ok(Some(*value)),
            Cell::Percent(value) => Ok(Some(*value)),
            Cell::Date { serial, .. } => Ok(Some(*serial)),
            Cell::Bool(_) => Err(self.error(column, "expected a number, found a TRUE/FALSE cell")),
            Cell::Text(text) => {
                parse_decimal(text, self.table.grid.separator).map_err(|message| self.error(column, message))
            }
        }
    }

    /// A number, `None` when the column is absent or empty. A negative number is an error.
    pub fn decimal(&self, field: &str) -> Result<Option<Decimal>> {
        let Some(column) = self.column(field) else { return Ok(None) };
        self.non_negative(column, self.decimal_in(column)?)
    }

    /// A quantity that must be above 0 (memory, storage), `None` when absent or empty.
    pub fn quantity(&self, field: &str) -> Result<Option<Decimal>> {
        let Some(column) = self.column(field) else { return Ok(None) };
        match self.non_negative(column, self.decimal_in(column)?)? {
            Some(value) if value.is_zero() => Err(self.error(column, "0 is not valid here: it must be above 0")),
            other => Ok(other),
        }
    }

    /// A number in a per-disk column (`Disk 3 size`).
    pub fn disk_decimal(&self, field: &str, disk: u32) -> Result<Option<Decimal>> {
        let Some(column) = self.numbered_column(field, disk) else { return Ok(None) };
        self.non_negative(column, self.decimal_in(column)?)
    }

    fn non_negative(&self, column: usize, value: Option<Decimal>) -> Result<Option<Decimal>> {
        match value {
            Some(value) if value.is_sign_negative() && !value.is_zero() => Err(self
                .error(column, format!("negative value {}: a size or count cannot be negative", self.written(column)))),
            other => Ok(other),
        }
    }

    /// A count: a whole number, not negative; `positive` also refuses 0.
    pub fn count(&self, field: &str, positive: bool) -> Result<Option<u32>> {
        let Some(column) = self.column(field) else { return Ok(None) };
        let Some(value) = self.non_negative(column, self.decimal_in(column)?)? else { return Ok(None) };
        if !value.fract().is_zero() {
            return Err(self.error(column, format!("expected a whole number, found {}", self.written(column))));
        }
        if positive && value.is_zero() {
            return Err(self.error(column, "0 is not a valid count here: it must be at least 1"));
        }
        value.to_u32().map(Some).ok_or_else(|| {
            self.error(column, format!("{} is too large for a count (at most {})", self.written(column), u32::MAX))
        })
    }

    /// A percentage: "50%", "50" and a workbook cell formatted as 50 % all read as 50; not negative, and
    /// at most `max` when given.
    pub fn percent(&self, field: &str, max: Option<Decimal>) -> Result<Option<Decimal>> {
        let Some(column) = self.column(field) else { return Ok(None) };
        let value = match self.cell_at(column) {
            Cell::Percent(fraction) => Some(
                fraction
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .ok_or_else(|| self.too_large(field, None, "the percentage"))?,
            ),
            Cell::Text(text) if text.trim_end().ends_with('%') => {
                let number = text.trim_end().trim_end_matches('%');
                parse_decimal(number, self.table.grid.separator)
                    .map_err(|message| self.error(column, format!("{message} (a percentage is needed here)")))?
            }
            _ => self.decimal_in(column)?,
        };
        let Some(value) = value else { return Ok(None) };
        let value = value.normalize();
        if value.is_sign_negative() && !value.is_zero() {
            return Err(self.error(column, format!("negative percentage {}", self.written(column))));
        }
        if let Some(max) = max
            && value > max
        {
            return Err(self.error(column, format!("{} is over {max}%", self.written(column))));
        }
        Ok(Some(value))
    }
}

/// Opens a workbook (xlsx, xlsm, xlsb, xls, ods) with the bounds every workbook reader shares.
pub fn open_workbook(path: &Path) -> Result<Workbook> {
    Workbook::open(path)
}

/// MiB → GB (GB = 1024 MB).
pub fn mib_to_gb(mib: Decimal) -> Decimal {
    (mib / Decimal::from(1024)).normalize()
}
