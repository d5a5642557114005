//! Rows of a CSV file or a worksheet, one record type for both (`csv::ByteRecord`), with the position
//! of every row so messages can name the line (CSV) or the cell (workbook). Also finds the header row
//! and the input kind it identifies.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;

use super::decode::field_text;
use super::number::DecimalSeparator;
use crate::error::{InputError, Result};
use crate::rules::{InputKind, InputKinds};

/// How many leading rows are searched for the header (old EA downloads put a title line first;
/// PowerShell's `Export-Csv` a `#TYPE` line).
const HEADER_SEARCH_ROWS: usize = 10;

/// A source of rows.
pub trait Records: Send {
    /// Reads the next row into `record`; returns its row number (1-based line or sheet row) or
    /// `None` at the end.
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>>;
    /// How this source names its rows and cells in messages.
    fn locator(&self) -> Locator;
    fn decimal_separator(&self) -> DecimalSeparator;
}

/// Names a row, or a cell when the column is known: `line 7` / `sheet "Usage", cell D7`.
#[derive(Debug, Clone)]
pub enum Locator {
    Lines,
    Sheet { sheet: String, first_column: usize },
}

impl Locator {
    pub fn locate(&self, row: u64, column: Option<usize>) -> String {
        match (self, column) {
            (Locator::Lines, _) => format!("line {row}"),
            (Locator::Sheet { sheet, first_column }, Some(column)) => {
                format!("sheet \"{sheet}\", cell {}{row}", super::xlsx::column_letters(first_column + column))
            }
            (Locator::Sheet { sheet, .. }, None) => format!("sheet \"{sheet}\", row {row}"),
        }
    }
}

/// Rows travel between the threads of [`stream`] in batches, which are sent back for reuse.
const BATCH_ROWS: usize = 256;

type Batch<P> = Vec<(ByteRecord, u64, Option<P>)>;

/// Reads rows on a second thread while the caller's thread consumes them. Parsing CSV and
/// aggregating rows take about the same time, so a usage export of a million rows is read in about
/// the time of parsing it alone. `prepare` runs on the reading thread (put per-row work there that
/// needs no shared state, such as parsing numbers); `consume` runs on the caller's thread, in row
/// order. The first error from either side stops both.
pub fn stream<P: Send>(
    records: &mut dyn Records,
    mut prepare: impl FnMut(&ByteRecord, u64) -> Result<P> + Send,
    mut consume: impl FnMut(&ByteRecord, u64, P) -> Result<()>,
) -> Result<()> {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch<P>>>(4);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch<P>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH_ROWS));
                let (filled, outcome) = fill_batch(records, &mut prepare, &mut batch);
                batch.truncate(filled);
                if filled > 0 && full_tx.send(Ok(batch)).is_err() {
                    return; // the consumer stopped
                }
                match outcome {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(error) => {
                        let _ = full_tx.send(Err(error));
                        return;
                    }
                }
            }
        });
        for message in full_rx {
            let mut batch = message?;
            for (record, row, prepared) in batch.iter_mut() {
                if let Some(prepared) = prepared.take() {
                    consume(record, *row, prepared)?;
                }
            }
            let _ = empty_tx.send(batch);
        }
        Ok(())
    })
}

/// Fills `batch` from the front, reusing its records; returns how many rows were read and whether
/// more may follow.
fn fill_batch<P>(
    records: &mut dyn Records,
    prepare: &mut impl FnMut(&ByteRecord, u64) -> Result<P>,
    batch: &mut Batch<P>,
) -> (usize, Result<bool>) {
    for filled in 0..BATCH_ROWS {
        if filled == batch.len() {
            batch.push((ByteRecord::new(), 0, None));
        }
        let slot = &mut batch[filled];
        match records.next_record(&mut slot.0) {
            Ok(Some(row)) => match prepare(&slot.0, row) {
                Ok(prepared) => {
                    slot.1 = row;
                    slot.2 = Some(prepared);
                }
                Err(error) => return (filled, Err(error)),
            },
            Ok(None) => return (filled, Ok(false)),
            Err(error) => return (filled, Err(error)),
        }
    }
    (BATCH_ROWS, Ok(true))
}

/// CSV rows from a UTF-8 stream.
pub struct CsvRecords {
    path: String,
    reader: csv::Reader<Box<dyn Read + Send>>,
    separator: DecimalSeparator,
}

impl CsvRecords {
    /// `head` is the start of the decoded text, used to choose the delimiter.
    pub fn new(path: &Path, head: &[u8], reader: Box<dyn Read + Send>) -> Self {
        let delimiter = sniff_delimiter(head);
        let separator = if delimiter == b';' { DecimalSeparator::Comma } else { DecimalSeparator::Point };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            // Only LF ends a record: with the default (CR, LF or CRLF), a CRLF file reports every line
            // after the first one too early. The CR stays at the end of the last cell, which is trimmed.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(256 * 1024)
            .from_reader(reader);
        CsvRecords { path: path.display().to_string(), reader, separator }
    }
}

impl Records for CsvRecords {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        match self.reader.read_byte_record(record) {
            Ok(true) => Ok(Some(record.position().map_or(0, |p| p.line()))),
            Ok(false) => Ok(None),
            Err(e) => {
                let line = e.position().map(|p| format!("line {}", p.line()));
                let message = match e.kind() {
                    csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
                    _ => format!("not a readable CSV row: {e}"),
                };
                let error = InputError::new(Path::new(&self.path), message);
                Err(match line {
                    Some(line) => error.at(line),
                    None => error,
                }
                .into())
            }
        }
    }

    fn locator(&self) -> Locator {
        Locator::Lines
    }

    fn decimal_separator(&self) -> DecimalSeparator {
        self.separator
    }
}

/// The delimiter used most on the busiest of the first lines: `,`, `;` or tab.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let text = String::from_utf8_lossy(head);
    let mut best = (0usize, b',');
    for line in text.lines().take(HEADER_SEARCH_ROWS) {
        for delimiter in [b',', b';', b'\t'] {
            let count = count_outside_quotes(line, delimiter as char);
            if count > best.0 {
                best = (count, delimiter);
            }
        }
    }
    best.1
}

fn count_outside_quotes(line: &str, delimiter: char) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// The header row found in a table and the kind it identifies.
pub struct Header<'k> {
    pub kind: &'k InputKind,
    pub columns: HashMap<String, usize>,
    pub names: Vec<String>,
    /// Rows skipped before the header (title lines).
    pub skipped: usize,
}

impl Header<'_> {
    pub fn column(&self, field: &str) -> Option<usize> {
        self.columns.get(field).copied()
    }

    /// The header text of a column, for messages.
    pub fn name(&self, column: usize) -> &str {
        self.names.get(column).map_or("?", String::as_str)
    }
}

/// Outcome of looking at the first rows of a table.
pub enum Detection<'k> {
    Found(Header<'k>),
    /// No row matched any kind; the headers of the first non-empty row.
    NoMatch(Vec<String>),
    /// One row matched several kinds.
    Ambiguous(Vec<&'k InputKind>, Vec<String>),
}

/// Searches the first rows for a header that identifies exactly one kind (or the forced kind).
pub fn detect_header<'k>(
    records: &mut dyn Records,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
) -> Result<Detection<'k>> {
    let mut record = ByteRecord::new();
    let mut first_seen: Option<Vec<String>> = None;
    for skipped in 0..HEADER_SEARCH_ROWS {
        if records.next_record(&mut record)?.is_none() {
            break;
        }
        let names: Vec<String> = record.iter().map(|f| field_text(f).0.trim().to_string()).collect();
        if names.iter().all(String::is_empty) {
            continue;
        }
        let candidates: Vec<&InputKind> = match forced {
            Some(kind) => vec![kind],
            None => kinds.kinds.iter().collect(),
        };
        let matching: Vec<(&InputKind, HashMap<String, usize>)> = candidates
            .into_iter()
            .map(|kind| (kind, kind.resolve(&names)))
            .filter(|(kind, columns)| kind.matches(columns))
            .collect();
        let mut matching = matching.into_iter();
        match (matching.next(), matching.next()) {
            (None, _) => {
                first_seen.get_or_insert(names);
            }
            (Some((kind, columns)), None) => return Ok(Detection::Found(Header { kind, columns, names, skipped })),
            (Some((first, _)), Some((second, _))) => {
                let kinds = [first, second].into_iter().chain(matching.map(|(kind, _)| kind)).collect();
                return Ok(Detection::Ambiguous(kinds, names));
            }
        }
    }
    Ok(Detection::NoMatch(first_seen.unwrap_or_default()))
}
