//! Worksheets as records. A workbook may hold any tabular kind; the first sheet whose header identifies a kind is
//! read, or the sheet named with `--sheet`.
//!
//! A sheet streams: a thread of its own reads the sheet's cells one by one ([`Workbook::for_each_cell`]) and
//! sends its rows, as CSV-like records, in batches, so a usage export of millions of rows takes time in
//! proportion to its rows and memory for a few batches. Rows without a value are not sent (their numbers are
//! skipped); each row runs from column A to its last value, then, once the header is known, to the header's last
//! column: cells beyond it are not read.
//!
//! Dates: in a date column ([`dates::DATE_COLUMNS`]) a cell formatted as a date, or a plain serial number, becomes
//! its ISO date (`2024-01-31`) in the workbook's date system (1900 or 1904); in any other column it stays the
//! number it is.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use csv::ByteRecord;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::number::DecimalSeparator;
use super::table::{Detection, Header, Locator, Records, detect_header};
use super::workbook::{Position, Value, Visit, Workbook, dates};
use crate::error::{Error, InputError, Result};
use crate::rules::{InputKind, InputKinds};

/// Rows sent from the reading thread at a time.
const BATCH_ROWS: usize = 256;
/// Batches in flight between the threads: memory holds at most this many more.
const BATCHES_IN_FLIGHT: usize = 4;

/// What a field was in the workbook: a date column's numbers become dates when the record is handed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Date,
}

/// One row as the reading thread made it: its 1-based number, its fields and what each field was.
#[derive(Default)]
struct SheetRow {
    number: u64,
    record: ByteRecord,
    kinds: Vec<Kind>,
}

/// Rows sent together; their allocations are reused when the batch comes back.
#[derive(Default)]
struct Batch {
    rows: Vec<SheetRow>,
    len: usize,
}

impl Batch {
    fn next_row(&mut self) -> &mut SheetRow {
        if self.len == self.rows.len() {
            self.rows.push(SheetRow::default());
        }
        self.len += 1;
        &mut self.rows[self.len - 1]
    }
}

/// A sheet's rows, read on a thread of their own.
pub struct SheetRecords {
    sheet: String,
    is_1904: bool,
    /// Columns kept once the header is known (`usize::MAX` until then); shared with the reading thread.
    width: Arc<AtomicUsize>,
    /// Whether each column is a date column, once the header is known.
    dates: Vec<bool>,
    full: Option<Receiver<Result<Batch>>>,
    empty: Sender<Batch>,
    /// Tells the reading thread to stop at its next cell (the rest of the sheet is not wanted).
    stop: Arc<AtomicBool>,
    batch: Batch,
    next: usize,
    reader: Option<JoinHandle<Workbook>>,
}

impl SheetRecords {
    /// Starts reading sheet `name` of `workbook` on a thread that owns the workbook until [`Self::finish`].
    fn start(workbook: Workbook, name: &str) -> SheetRecords {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel();
        let width = Arc::new(AtomicUsize::new(usize::MAX));
        let is_1904 = workbook.is_1904();
        let stop = Arc::new(AtomicBool::new(false));
        let shared = (Arc::clone(&width), Arc::clone(&stop));
        let sheet = name.to_string();
        let reader = std::thread::spawn(move || read_rows(workbook, &sheet, &full_tx, &empty_rx, &shared.0, &shared.1));
        SheetRecords {
            sheet: name.to_string(),
            is_1904,
            width,
            dates: Vec::new(),
            full: Some(full_rx),
            empty: empty_tx,
            stop,
            batch: Batch::default(),
            next: 0,
            reader: Some(reader),
        }
    }

    /// From now on rows end at the header's last column, and its date columns hold dates.
    fn use_header(&mut self, header: &Header) {
        let width = header.names.iter().rposition(|name| !name.is_empty()).map_or(0, |last| last + 1);
        self.width.store(width, Ordering::Relaxed);
        let date_field = header.columns.get("date").copied();
        self.dates = header
            .names
            .iter()
            .enumerate()
            .map(|(index, name)| Some(index) == date_field || dates::is_date_column(name))
            .collect();
    }

    /// Stops reading and gives the workbook back, for its next sheet.
    fn finish(mut self) -> Result<Workbook> {
        self.stop.store(true, Ordering::Relaxed);
        self.full = None;
        let reader = self.reader.take().ok_or_else(|| Error::Internal("the sheet was read twice".into()))?;
        reader.join().map_err(|_| Error::Internal("the thread reading the workbook stopped".into()))
    }

    /// The next row of the current batch, or of the next one; `None` at the end of the sheet.
    fn next_row(&mut self) -> Result<Option<&SheetRow>> {
        if self.next == self.batch.len {
            let Some(full) = &self.full else { return Ok(None) };
            let Ok(message) = full.recv() else { return Ok(None) };
            let used = std::mem::replace(&mut self.batch, message?);
            let _ = self.empty.send(used);
            self.next = 0;
            if self.batch.len == 0 {
                return Ok(None);
            }
        }
        self.next += 1;
        Ok(Some(&self.batch.rows[self.next - 1]))
    }
}

impl Drop for SheetRecords {
    fn drop(&mut self) {
        // The reading thread stops at its next cell, or its next send once no one receives.
        self.stop.store(true, Ordering::Relaxed);
        self.full = None;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Records for SheetRecords {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        let width = self.width.load(Ordering::Relaxed);
        let is_1904 = self.is_1904;
        let dates = std::mem::take(&mut self.dates);
        let outcome = self.next_row().map(|row| {
            row.map(|row| {
                record.clear();
                for (index, field) in row.record.iter().enumerate().take(width) {
                    let as_date = dates.get(index).copied().unwrap_or(false)
                        && row.kinds.get(index).is_some_and(|kind| *kind != Kind::Text);
                    match as_date.then(|| serial_date(field, is_1904)).flatten() {
                        Some(date) => record.push_field(date.as_bytes()),
                        None => record.push_field(field),
                    }
                }
                // Every row as wide as the header, as a range of cells would be.
                while width != usize::MAX && record.len() < width {
                    record.push_field(b"");
                }
                row.number
            })
        });
        self.dates = dates;
        outcome
    }

    fn locator(&self) -> Locator {
        Locator::Sheet { sheet: self.sheet.clone(), first_column: 0 }
    }

    /// Workbook numbers are numbers; text cells that hold numbers follow the point convention.
    fn decimal_separator(&self) -> DecimalSeparator {
        DecimalSeparator::Point
    }
}

/// A number field of a date column as its ISO date; `None` when it is no date.
fn serial_date(field: &[u8], is_1904: bool) -> Option<String> {
    let serial: f64 = std::str::from_utf8(field).ok()?.parse().ok()?;
    dates::iso(serial, is_1904)
}

/// The reading thread: the sheet's cells, assembled into rows and sent in batches until the sheet ends, an error
/// (sent too), or no one receives. Returns the workbook for its next sheet.
fn read_rows(
    mut workbook: Workbook,
    sheet: &str,
    full: &SyncSender<Result<Batch>>,
    empty: &Receiver<Batch>,
    width: &AtomicUsize,
    stop: &AtomicBool,
) -> Workbook {
    let mut row = RowCells::default();
    let mut batch = Batch::default();
    let mut receiving = true;
    let send = |batch: &mut Batch| -> bool {
        let mut next = empty.try_recv().unwrap_or_default();
        next.len = 0;
        full.send(Ok(std::mem::replace(batch, next))).is_ok()
    };
    let outcome = workbook.for_each_cell(sheet, |position, value| {
        if stop.load(Ordering::Relaxed) {
            receiving = false;
            return Ok(Visit::Stop);
        }
        if row.number != Some(position.row) {
            if let Some(number) = row.number {
                row.render(number, batch.next_row(), width.load(Ordering::Relaxed));
                if batch.len == BATCH_ROWS && !send(&mut batch) {
                    receiving = false;
                    return Ok(Visit::Stop);
                }
            }
            row.start(position.row);
        }
        row.add(position, value);
        Ok(Visit::Continue)
    });
    if !receiving {
        return workbook;
    }
    match outcome {
        Ok(()) => {
            if let Some(number) = row.number {
                row.render(number, batch.next_row(), width.load(Ordering::Relaxed));
            }
            if batch.len > 0 {
                send(&mut batch);
            }
        }
        Err(error) => {
            // The rows before the error are handed on first, so the first bad row is the one reported.
            if batch.len > 0 && !send(&mut batch) {
                return workbook;
            }
            let _ = full.send(Err(error));
        }
    }
    workbook
}

/// The cells of the row being read: their text in one buffer, in the order the sheet holds them.
#[derive(Default)]
struct RowCells {
    number: Option<u32>,
    text: Vec<u8>,
    /// Column, what it was, and its text's end in `text`.
    cells: Vec<(u32, Kind, usize)>,
    ordered: Vec<(u32, Kind, usize, usize)>,
}

impl RowCells {
    fn start(&mut self, row: u32) {
        self.number = Some(row);
        self.text.clear();
        self.cells.clear();
    }

    fn add(&mut self, position: Position, value: Value<'_>) {
        use std::io::Write;
        let kind = match value {
            Value::Text(text) | Value::Error(text) => {
                self.text.extend_from_slice(text.as_bytes());
                Kind::Text
            }
            Value::Number(number) => {
                write_number(&mut self.text, number);
                Kind::Number
            }
            Value::Int(number) => {
                let _ = write!(self.text, "{number}");
                Kind::Number
            }
            Value::Bool(value) => {
                self.text.extend_from_slice(if value { b"TRUE" } else { b"FALSE" });
                Kind::Text
            }
            Value::Date(serial) => {
                write_number(&mut self.text, serial);
                Kind::Date
            }
        };
        self.cells.push((position.column, kind, self.text.len()));
    }

    /// The row's fields from column A to its last value, at most `width` of them.
    fn render(&mut self, number: u32, into: &mut SheetRow, width: usize) {
        into.number = u64::from(number) + 1;
        into.record.clear();
        into.kinds.clear();
        self.ordered.clear();
        let mut start = 0;
        for &(column, kind, end) in &self.cells {
            self.ordered.push((column, kind, start, end));
            start = end;
        }
        // Cells are in column order in every workbook a program writes; sort the others.
        if self.ordered.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            self.ordered.sort_by_key(|cell| cell.0);
        }
        let mut column = 0u32;
        for &(at, kind, start, end) in &self.ordered {
            if at as usize >= width || at < column {
                continue;
            }
            while column < at {
                into.record.push_field(b"");
                into.kinds.push(Kind::Text);
                column += 1;
            }
            into.record.push_field(&self.text[start..end]);
            into.kinds.push(kind);
            column += 1;
        }
    }
}

/// A number as a CSV export would hold it: `Decimal::from_f64` keeps the shortest decimal that round-trips (what
/// Excel shows), never the binary noise of the float.
fn write_number(out: &mut Vec<u8>, value: f64) {
    use std::io::Write;
    if value.fract() == 0.0 && value.abs() < 9.007_199_254_740_992e15 {
        let _ = write!(out, "{}", value as i64);
        return;
    }
    let _ = match Decimal::from_f64(value) {
        Some(decimal) => write!(out, "{}", decimal.normalize()),
        None => write!(out, "{value}"),
    };
}

/// 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The sheet to read, its records positioned after the header, and the header.
pub struct SheetTable<'k> {
    pub sheet: String,
    pub records: SheetRecords,
    pub header: Header<'k>,
}

/// Opens a workbook and finds the sheet to read.
pub fn open<'k>(
    path: &Path,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
    sheet: Option<&str>,
) -> Result<SheetTable<'k>> {
    let mut workbook = Workbook::open(path)?;
    let names = workbook.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(sheet) => {
            if !names.iter().any(|n| n == sheet) {
                return Err(InputError::new(
                    path,
                    format!("no sheet named \"{sheet}\"; the workbook has: {}", names.join(", ")),
                )
                .into());
            }
            vec![sheet.to_string()]
        }
        None => names,
    };
    let mut seen = Vec::new();
    for name in wanted {
        let mut records = SheetRecords::start(workbook, &name);
        match detect_header(&mut records, kinds, forced)? {
            Detection::Found(header) => {
                records.use_header(&header);
                return Ok(SheetTable { sheet: name, records, header });
            }
            Detection::Ambiguous(candidates, headers) => {
                return Err(super::ambiguous(path, &candidates, &headers).at(format!("sheet \"{name}\"")).into());
            }
            Detection::NoMatch(headers) => seen.push(format!("sheet \"{name}\": {}", super::quote_list(&headers))),
        }
        workbook = records.finish()?;
    }
    let expected = super::expected_kinds(kinds, forced);
    Err(InputError::new(
        path,
        format!(
            "no sheet has a header csp-planner recognises ({expected}); headers seen: {}",
            if seen.is_empty() { "none (the workbook is empty)".to_string() } else { seen.join("; ") }
        ),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::column_letters;

    #[test]
    fn names_columns_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27 * 26), "AAA");
    }
}
