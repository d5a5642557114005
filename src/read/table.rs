//! Rows of a CSV file or a worksheet, one record type for both (`csv::ByteRecord`), with the position
//! of every row so messages can name the line (CSV) or the cell (workbook). Also finds the header row
//! and the input kind it identifies.
//!
//! A CSV record reaches no reader before it is checked: its quoting ([`super::csv_syntax`]) and, once the
//! header is found, its fields against the header ([`super::row_shape`]); the header repeated is skipped and
//! counted. The checks run on whichever thread parses the record, and their errors name the line the record
//! starts on, as the rows do.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use csv::ByteRecord;

use super::csv_syntax::{self, Fault, SyntaxFault};
use super::decode::field_text;
use super::number::DecimalSeparator;
use super::row_shape::{Repeated, RowCheck, Shape};
use crate::error::{InputError, Result};
use crate::model::Warning;
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
    /// The rest of the rows as blocks of CSV text that can be parsed in parallel, when the source
    /// is a CSV file; `next_record` then has no more rows.
    fn blocks(&mut self) -> Option<Blocks> {
        None
    }
    /// From now on, checks every row against the header found (a CSV file's rows: see [`super::row_shape`]; a
    /// worksheet's cells have no fields to miscount).
    fn check_rows(&mut self, _check: RowCheck) {}
    /// What reading the rows noted for one warning each (repeated header rows), once they are read.
    fn take_warnings(&mut self) -> Vec<Warning> {
        Vec::new()
    }
}

/// Names a row, or a cell when the column is known: `line 7` / `sheet "Usage", cell D7`.
#[derive(Debug, Clone)]
pub enum Locator {
    Lines,
    Sheet {
        sheet: String,
        first_column: usize,
    },
    /// Rows that their source names its own way: a Parquet file's row groups, a partitioned export's part files.
    Rows(Arc<dyn RowNames>),
}

/// How a source of the [`Locator::Rows`] kind names the row numbers its `next_record` returned.
pub trait RowNames: Send + Sync + std::fmt::Debug {
    fn locate(&self, row: u64, column: Option<usize>) -> String;
}

impl Locator {
    pub fn locate(&self, row: u64, column: Option<usize>) -> String {
        match (self, column) {
            (Locator::Rows(names), _) => names.locate(row, column),
            (Locator::Lines, _) => format!("line {row}"),
            (Locator::Sheet { sheet, first_column }, Some(column)) => {
                format!("sheet \"{sheet}\", cell {}{row}", super::xlsx::column_letters(first_column + column))
            }
            (Locator::Sheet { sheet, .. }, None) => format!("sheet \"{sheet}\", row {row}"),
        }
    }
}

/// Rows travel between threads in batches, which are reused. A worksheet's rows are sent in batches
/// of this many; a CSV file's in blocks of about [`BLOCK_BYTES`].
const BATCH_ROWS: usize = 64;
/// How often `receive` polls before it blocks (some tens of microseconds).
const SPINS: usize = 20_000;

/// What `prepare` works out for the rows of one batch, kept beside them; reused from batch to batch
/// so that preparing a row allocates nothing once the first batches are filled.
pub trait Prepared: Default + Send {
    /// Forgets the previous batch's rows, keeping the allocations.
    fn clear(&mut self);
}

/// Rows read ahead, with their row numbers and what `prepare` made of them. Records are reused:
/// only the first `rows.len()` are this batch's.
#[derive(Default)]
struct Batch<P> {
    records: Vec<ByteRecord>,
    rows: Vec<u64>,
    prepared: P,
    /// Header rows skipped among these rows.
    repeated: Repeated,
}

impl<P: Prepared> Batch<P> {
    fn clear(&mut self) {
        self.rows.clear();
        self.prepared.clear();
        self.repeated = Repeated::default();
    }

    /// The record the next row is read into.
    fn next_slot(&mut self) -> &mut ByteRecord {
        let filled = self.rows.len();
        if filled == self.records.len() {
            self.records.push(ByteRecord::new());
        }
        &mut self.records[filled]
    }

    /// Prepares the row just read into `next_slot` and keeps it.
    fn keep(&mut self, row: u64, prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>) -> Result<()> {
        if let Some(record) = self.records.get(self.rows.len()) {
            prepare(record, row, &mut self.prepared)?;
            self.rows.push(row);
        }
        Ok(())
    }
}

/// Reads all rows of `records` with two threads and consumes them in order.
///
/// `prepare` runs on whichever thread reads a row and adds what it works out to the batch's
/// [`Prepared`] value (put per-row work there that needs no shared state; it must add nothing for a
/// row it fails on). `consume` runs on the caller's thread, once per batch in row order, with the
/// batch's records, their row numbers and the prepared value. The first error stops both threads;
/// rows before it are consumed first, so errors are reported for the first bad row.
///
/// A CSV file is cut into blocks that both threads parse (see [`Splitter`]); a worksheet's rows are
/// read on a second thread while this one consumes them.
pub fn stream<P: Prepared>(
    records: &mut dyn Records,
    prepare: impl Fn(&ByteRecord, u64, &mut P) -> Result<()> + Sync,
    mut consume: impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
) -> Result<()> {
    match records.blocks() {
        Some(blocks) => blocks.stream(&prepare, &mut consume),
        None => stream_rows(records, &prepare, &mut consume),
    }
}

/// Rows read one by one on a second thread, consumed on this one.
fn stream_rows<P: Prepared>(
    records: &mut dyn Records,
    prepare: &(impl Fn(&ByteRecord, u64, &mut P) -> Result<()> + Sync),
    consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
) -> Result<()> {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch<P>>>(2);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch<P>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                let outcome = fill_batch(records, prepare, &mut batch);
                if !batch.rows.is_empty() && full_tx.send(Ok(batch)).is_err() {
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
        // Takes the receiver, so that an early return also stops the reading thread.
        let full_rx = full_rx;
        while let Some(message) = receive(&full_rx) {
            let batch = message?;
            consume(&batch.records[..batch.rows.len()], &batch.rows, &batch.prepared)?;
            let _ = empty_tx.send(batch);
        }
        Ok(())
    })
}

/// The next message, or `None` once the sender is gone. Spins a little before blocking: the other
/// thread usually sends within microseconds, and waking a blocked thread costs more than that (a
/// futex call on each side).
fn receive<T>(channel: &Receiver<T>) -> Option<T> {
    for _ in 0..SPINS {
        match channel.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Empty) => std::hint::spin_loop(),
            Err(TryRecvError::Disconnected) => return None,
        }
    }
    channel.recv().ok()
}

/// Fills `batch` from the front, reusing its records; returns whether more rows may follow.
fn fill_batch<P: Prepared>(
    records: &mut dyn Records,
    prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
    batch: &mut Batch<P>,
) -> Result<bool> {
    batch.clear();
    while batch.rows.len() < BATCH_ROWS {
        let Some(row) = records.next_record(batch.next_slot())? else {
            return Ok(false);
        };
        batch.keep(row, prepare)?;
    }
    Ok(true)
}

/// The longest CSV record (one row: its fields, with the line breaks of its quoted cells) read: 16 MiB. No
/// export has a row anywhere near this long, and a single line or field longer than it is refused with its line
/// rather than buffered whole (a file of one 2 GB line, or a quote never closed that makes the rest of the file
/// one field).
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// The error for a record longer than [`MAX_RECORD_BYTES`], starting on `line`.
fn too_long(path: &str, line: u64) -> crate::error::Error {
    InputError::new(
        Path::new(path),
        format!(
            "the row starting on this line is longer than {} MiB, the most one row (a single line or field) may \
             hold: the file is not a cost or resource export, or a quote is never closed",
            MAX_RECORD_BYTES >> 20
        ),
    )
    .at(format!("line {line}"))
    .into()
}

/// Bytes of CSV text per block: enough rows (a few hundred) that handing a block over costs little
/// per row, few enough that a block's records stay in the cache.
const BLOCK_BYTES: usize = 128 * 1024;
/// Blocks parsed ahead of the one being consumed, at most.
const BLOCKS_AHEAD: usize = 4;
/// Parsed first in every block but the file's first, and thrown away: a parser that has already
/// read something treats a UTF-8 byte-order mark as text, as the single parser of the whole file
/// does there.
const PRIMER: &[u8] = b"x\n";
/// Appended to every block but the last: a record that starts right after the block's text if,
/// and only if, the block ends between records (see [`BlockReader::read`]).
const SENTINEL: &[u8] = b"x\n";

/// A run of whole lines of the CSV text, parsed on its own on the assumption that a record starts
/// at its beginning. Lines can end inside a quoted cell, so a block can end inside a record; its
/// reader then says so ([`Ended::Inside`]) and that record is read again with the next block.
struct Block {
    /// The primer if `primed`, the text, then the sentinel unless `last`.
    bytes: Vec<u8>,
    info: BlockInfo,
}

#[derive(Clone, Copy)]
struct BlockInfo {
    /// Position in the file: blocks are consumed in this order.
    index: usize,
    primed: bool,
    last: bool,
    /// The line number of the text's first line.
    first_line: u64,
    /// The length of `bytes`.
    len: usize,
}

impl BlockInfo {
    fn text_start(&self) -> usize {
        if self.primed { PRIMER.len() } else { 0 }
    }

    fn text_end(&self) -> usize {
        if self.last { self.len } else { self.len.saturating_sub(SENTINEL.len()) }
    }
}

/// How the reading of a block stopped.
enum Ended {
    /// After its last record.
    Complete,
    /// Inside a record that starts at this offset of the text, on this line.
    Inside { from: usize, line: u64 },
    /// At a row `prepare` refused, or at text that could not be read.
    Failed(crate::error::Error),
    /// At text the CSV parser could not read (a message without the file name).
    Unreadable(String),
    /// At a record that is not well-formed CSV, or does not fit the header.
    Malformed(Malformed),
}

/// A record refused by [`csv_syntax`] or [`super::row_shape`]: where, and why (without the file name).
struct Malformed {
    line: u64,
    column: Option<String>,
    message: String,
}

impl Malformed {
    fn error(self, path: &str) -> crate::error::Error {
        let mut error = InputError::new(Path::new(path), self.message).at(format!("line {}", self.line));
        if let Some(column) = self.column {
            error = error.column(column);
        }
        error.into()
    }
}

/// Cuts the decoded CSV text into blocks of whole lines, so that two threads can parse it at once.
///
/// Each block is parsed by a parser of its own, on the assumption that a record starts at the
/// block's beginning. The consumer checks, block by block in order, that the previous block ended
/// between records, and when it did not (a quoted cell holding a line break), reads the record
/// again together with the next block's text. Every row is therefore read exactly as a single
/// parser of the whole file reads it: same cells, same line numbers.
struct Splitter {
    path: String,
    source: Box<dyn Read + Send>,
    /// Text read but not yet in a block, its first line number and its offset in the text.
    carry: Vec<u8>,
    carry_line: u64,
    carry_offset: u64,
    next_index: usize,
    /// The text has ended (or could not be read further).
    at_end: bool,
    /// Buffers of consumed blocks, for the next ones (fresh memory costs a page fault per 4 KiB).
    spare: Vec<Vec<u8>>,
    /// The line of a record put back that is longer than [`MAX_RECORD_BYTES`]: the next block is this error.
    too_long: Option<u64>,
}

impl Splitter {
    fn new(path: String, source: Box<dyn Read + Send>) -> Self {
        Splitter {
            path,
            source,
            carry: Vec::new(),
            carry_line: 1,
            carry_offset: 0,
            next_index: 0,
            at_end: false,
            spare: Vec::new(),
            too_long: None,
        }
    }

    fn error(&self, message: String) -> crate::error::Error {
        InputError::new(Path::new(&self.path), message).into()
    }

    /// The next block, or `None` after the last one.
    fn next_block(&mut self) -> Result<Option<Block>> {
        if let Some(line) = self.too_long {
            return Err(too_long(&self.path, line));
        }
        if self.at_end && self.carry.is_empty() && self.next_index > 0 {
            return Ok(None);
        }
        let primed = self.carry_offset > 0;
        let mut bytes = self.spare.pop().unwrap_or_default();
        bytes.clear();
        bytes.reserve(BLOCK_BYTES + PRIMER.len() + SENTINEL.len() + self.carry.len());
        if primed {
            bytes.extend_from_slice(PRIMER);
        }
        let text_start = bytes.len();
        // Text put back holds no end of a record (it is one record, cut): the block must reach past it, and at least
        // double it, so that a long record is read again a few times, not once per block.
        let carried = self.carry.len();
        let wanted = BLOCK_BYTES.max(carried.saturating_mul(2)).min(MAX_RECORD_BYTES);
        bytes.append(&mut self.carry);
        self.next_index += 1;
        // Reads until the block is big enough and can end, or the text ends. Only the text read since the last
        // look is searched for an end (a long line is not searched again and again), and a line longer than a
        // record may be is an error before it is all in memory.
        let mut searched = text_start + carried.saturating_sub(1);
        while !self.at_end && (bytes.len() - text_start < wanted || block_end(&bytes[searched..]).is_none()) {
            if bytes.len() - text_start >= wanted {
                if bytes.len() - text_start > MAX_RECORD_BYTES {
                    return Err(too_long(&self.path, self.carry_line + count_line_ends(&bytes[text_start..])));
                }
                // The pair of bytes that ends a line may straddle this point: keep the last byte searched.
                searched = bytes.len() - 1;
            }
            match (&mut self.source).take(BLOCK_BYTES as u64).read_to_end(&mut bytes) {
                Ok(read) => self.at_end = read == 0,
                Err(e) => {
                    self.at_end = true;
                    return Err(self.error(format!("cannot read: {e}")));
                }
            }
        }
        if !self.at_end {
            let from = text_start + carried.saturating_sub(1);
            let cut = block_end(&bytes[from..]).map_or(bytes.len(), |end| from + end);
            self.carry.extend_from_slice(&bytes[cut..]);
            bytes.truncate(cut);
        }
        let text = &bytes[text_start..];
        let first_line = self.carry_line;
        self.carry_line += count_line_ends(text);
        self.carry_offset += text.len() as u64;
        let last = self.at_end && self.carry.is_empty();
        if !last {
            bytes.extend_from_slice(SENTINEL);
        }
        let info = BlockInfo { index: self.next_index - 1, primed, last, first_line, len: bytes.len() };
        Ok(Some(Block { bytes, info }))
    }

    /// Puts text back in front of what comes next (text a block ended inside of, or the rest of
    /// one), with the line it starts on.
    fn put_back(&mut self, text: &[u8], line: u64) {
        if text.len() > MAX_RECORD_BYTES {
            self.too_long = Some(line);
            return;
        }
        let mut carry = text.to_vec();
        carry.append(&mut self.carry);
        self.carry = carry;
        self.carry_line = line;
        self.carry_offset = self.carry_offset.saturating_sub(text.len() as u64);
    }

    /// Keeps a consumed block's buffer for a later block.
    fn recycle(&mut self, bytes: Vec<u8>) {
        if self.spare.len() < 2 * BLOCKS_AHEAD {
            self.spare.push(bytes);
        }
    }
}

/// Where a block of `text` can end: after its last line end that closes a non-empty line. Empty
/// lines go with the record after them, as the single parser of a whole file has them: it reports
/// a record at the line where it started looking for it, before the empty lines it skipped.
fn block_end(text: &[u8]) -> Option<usize> {
    text.windows(2).rposition(|pair| pair[1] == b'\n' && pair[0] != b'\n').map(|i| i + 2)
}

/// How many `\n` bytes `text` holds; counted in runs of 255 bytes, which the compiler vectorises.
fn count_line_ends(text: &[u8]) -> u64 {
    text.chunks(255).map(|run| u64::from(run.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum()
}

/// A CSV parser for blocks, reused from block to block (building one costs as much as reading
/// dozens of rows).
struct BlockReader {
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    /// The block being read.
    info: BlockInfo,
    delimiter: u8,
    /// The header the rows are checked against, once it is found.
    check: Option<Arc<RowCheck>>,
}

/// What [`BlockReader::read`] found.
enum Item {
    Row(u64),
    /// The header again, on this line: skipped.
    RepeatedHeader(u64),
    Ended(Ended),
}

/// A UTF-8 byte-order mark: at the start of a record, where a file joined after another one began.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl BlockReader {
    fn new(builder: &csv::ReaderBuilder, delimiter: u8, check: Option<Arc<RowCheck>>) -> Self {
        let reader = builder.from_reader(std::io::Cursor::new(Vec::new()));
        let info = BlockInfo { index: 0, primed: false, last: true, first_line: 1, len: 0 };
        let mut reader = BlockReader { reader, info, delimiter, check };
        reader.rewind();
        reader
    }

    /// Starts parsing the reader's input from the beginning, as a new parser would.
    fn rewind(&mut self) {
        // Seeking in memory cannot fail. The first seek also settles the parser's idea of a
        // header row (reading nothing), after which no row is held back.
        let _ = self.reader.seek_raw(std::io::SeekFrom::Start(0), csv::Position::new());
    }

    fn load(&mut self, block: Block) {
        *self.reader.get_mut() = std::io::Cursor::new(block.bytes);
        self.info = block.info;
        self.rewind();
        if self.info.primed {
            let _ = self.reader.read_byte_record(&mut ByteRecord::new()); // the primer
        }
    }

    /// Gives the block back.
    fn unload(&mut self) -> Block {
        let bytes = std::mem::take(self.reader.get_mut()).into_inner();
        Block { bytes, info: self.info }
    }

    fn bytes(&self) -> &[u8] {
        self.reader.get_ref().get_ref()
    }

    /// The line number of a parser position (the primer's line does not count).
    fn line(&self, position: &csv::Position) -> u64 {
        (self.info.first_line + position.line()).saturating_sub(1 + u64::from(self.info.primed))
    }

    /// Reads the next record into `record`.
    fn read(&mut self, record: &mut ByteRecord) -> Item {
        match self.reader.read_byte_record(record) {
            Ok(true) => {}
            Ok(false) => return Item::Ended(Ended::Complete),
            // Reading from memory cannot fail; kept for completeness.
            Err(e) => return Item::Ended(Ended::Unreadable(format!("not a readable CSV row: {e}"))),
        }
        let position = record.position().cloned().unwrap_or_else(csv::Position::new);
        let line = self.line(&position);
        let consumed_all = self.reader.position().byte() as usize >= self.bytes().len();
        if self.info.last || !consumed_all {
            return self.checked(record, &position, line);
        }
        // The sentinel, or a record cut by the block's end. The sentinel starts right after the
        // last record's line end (and any empty lines) exactly when the block ends between records.
        let start = position.byte() as usize;
        let text_end = self.info.text_end();
        if self.bytes().get(start..text_end).is_some_and(|rest| rest.iter().all(|&b| b == b'\n')) {
            Item::Ended(Ended::Complete)
        } else {
            Item::Ended(Ended::Inside { from: start.saturating_sub(self.info.text_start()), line })
        }
    }

    /// A whole record just read, checked: its quoting, then its fields against the header. The line is the
    /// one its text starts on (the parser's position is before the empty lines it skipped).
    fn checked(&self, record: &mut ByteRecord, position: &csv::Position, line: u64) -> Item {
        let (start, end) = (position.byte() as usize, self.reader.position().byte() as usize);
        let raw = self.bytes().get(start..end).unwrap_or_default();
        let skipped = raw.iter().take_while(|&&b| b == b'\n').count();
        let (raw, line) = (&raw[skipped..], line + skipped as u64);
        if let Some(fault) = csv_syntax::check(raw, self.delimiter) {
            return Item::Ended(Ended::Malformed(self.syntax_fault(fault, raw, line)));
        }
        if record.get(0).is_some_and(|first| first.starts_with(BOM)) {
            let fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
            record.clear();
            for (index, field) in fields.iter().enumerate() {
                record.push_field(if index == 0 { &field[BOM.len()..] } else { field });
            }
        }
        let Some(check) = &self.check else {
            return Item::Row(line);
        };
        match check.check(record) {
            Ok(Shape::Data) => Item::Row(line),
            Ok(Shape::RepeatedHeader) => Item::RepeatedHeader(line),
            Err(fault) => {
                let mut message = fault.message;
                if fault.short && self.info.last && end >= self.bytes().len() && !raw.ends_with(b"\n") {
                    message.push_str("; the file ends inside this row: it may have been cut short");
                }
                Item::Ended(Ended::Malformed(Malformed { line, column: fault.column, message }))
            }
        }
    }

    /// The error for a record that runs on past [`MAX_RECORD_BYTES`] without ending (`text`, from its start on
    /// `line`): a quote never closed, read no further (each block would read the whole record again).
    fn too_long(&self, text: &[u8], line: u64) -> Option<Malformed> {
        if text.len() <= MAX_RECORD_BYTES {
            return None;
        }
        let limit = MAX_RECORD_BYTES >> 20;
        let Some(fault) = csv_syntax::check(text, self.delimiter) else {
            let message =
                format!("a row runs over {limit} MiB without ending; a row of a CSV file is at most {limit} MiB");
            return Some(Malformed { line, column: None, message });
        };
        let mut malformed = self.syntax_fault(fault, text, line);
        if fault.fault == Fault::UnclosedQuote {
            let lines = csv_syntax::line_ends(&text[fault.opened..]);
            malformed.message = format!(
                "field {} opens a quote that is not closed within {limit} MiB ({lines} lines): the rest of the file \
                 would be one cell; the file may have been cut short, or a quote is missing",
                fault.field + 1
            );
        }
        Some(malformed)
    }

    /// Where and what a fault of a record's quoting is.
    fn syntax_fault(&self, fault: SyntaxFault, raw: &[u8], line: u64) -> Malformed {
        // Named where the field starts: where the quote opened.
        let (opened, at) = (fault.opened.min(fault.offset), fault.offset);
        let fault_line = line + csv_syntax::line_ends(&raw[..at]);
        let line = line + csv_syntax::line_ends(&raw[..opened]);
        let column = match &self.check {
            Some(check) => check.column_name(fault.field),
            None => None,
        };
        let field = fault.field + 1;
        let message = match fault.fault {
            Fault::UnclosedQuote => {
                let rest = &raw[opened..];
                let lines = csv_syntax::line_ends(rest) + u64::from(!rest.ends_with(b"\n"));
                format!(
                    "field {field} opens a quote that is never closed: the rest of the file ({lines} line(s) from \
                     here) would be one cell; the file may have been cut short, or a quote is missing"
                )
            }
            Fault::TextAfterQuote => {
                let delimiter = self.delimiter;
                let text: Vec<u8> = raw[at..]
                    .iter()
                    .take(20)
                    .take_while(|&&b| b != delimiter && b != b'\n' && b != b'"')
                    .copied()
                    .collect();
                let after = String::from_utf8_lossy(&text);
                let closed = if fault_line == line { String::new() } else { format!(" on line {fault_line}") };
                format!(
                    "field {field} is quoted and has text after its closing quote{closed} (\"{}\"): a quote inside a \
                     quoted value must be doubled (\"\"), and a value ends at its closing quote",
                    after.trim_end()
                )
            }
            Fault::Nul => format!(
                "field {field} holds a NUL byte (0x00): the file is damaged, or is not text in the encoding it was \
                 read as; export it again"
            ),
        };
        Malformed { line, column, message }
    }

    /// The text from offset `from` of the block's text on.
    fn text_from(&self, from: usize) -> &[u8] {
        self.bytes().get(self.info.text_start() + from..self.info.text_end()).unwrap_or_default()
    }

    /// The text not read yet, and its first line number.
    fn rest(&self) -> (&[u8], u64) {
        let position = self.reader.position();
        let from = (position.byte() as usize).max(self.info.text_start());
        (self.bytes().get(from..self.info.text_end()).unwrap_or_default(), self.line(position))
    }
}

/// A CSV file from some row on, read in blocks by two threads.
pub struct Blocks {
    splitter: Splitter,
    builder: csv::ReaderBuilder,
    delimiter: u8,
    check: Option<Arc<RowCheck>>,
    /// Where the header rows skipped are counted.
    repeated: Arc<Mutex<Repeated>>,
}

/// A block parsed ahead, on its way to the consumer: its rows, how its reading ended, and its text
/// (kept in case it must be read again, see [`BlockConsumer::consume`]). `block` is `None` when the
/// text could not be read; `ended` then holds the error.
struct Parsed<P> {
    index: usize,
    batch: Batch<P>,
    ended: Ended,
    block: Option<Block>,
}

/// What the two threads of [`Blocks::stream`] share.
struct Shared<'f, P, F> {
    splitter: Mutex<Splitter>,
    spare: Mutex<Vec<Batch<P>>>,
    prepare: &'f F,
}

impl<P: Prepared, F: Fn(&ByteRecord, u64, &mut P) -> Result<()>> Shared<'_, P, F> {
    /// Takes the next block and parses it with `reader`; `None` when there are no more.
    fn parse_next(&self, reader: &mut BlockReader) -> Option<Parsed<P>> {
        let mut batch = lock(&self.spare).pop().unwrap_or_default();
        let (index, block) = {
            let mut splitter = lock(&self.splitter);
            (splitter.next_index, splitter.next_block())
        };
        batch.clear();
        match block {
            Ok(Some(block)) => {
                let (ended, block) = parse_block(block, reader, self.prepare, &mut batch);
                Some(Parsed { index: block.info.index, batch, ended, block: Some(block) })
            }
            Ok(None) => None,
            Err(error) => Some(Parsed { index, batch, ended: Ended::Failed(error), block: None }),
        }
    }

    /// Takes back what a consumed block used.
    fn recycle(&self, batch: Batch<P>, block: Option<Block>) {
        lock(&self.spare).push(batch);
        if let Some(block) = block {
            lock(&self.splitter).recycle(block.bytes);
        }
    }
}

impl Blocks {
    /// Parses blocks on a helper thread and on this one, and consumes them here in order. This
    /// thread consumes whatever is ready and parses a block itself when nothing is, so the two
    /// threads share the parsing however long consuming takes.
    fn stream<P: Prepared>(
        self,
        prepare: &(impl Fn(&ByteRecord, u64, &mut P) -> Result<()> + Sync),
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<()> {
        let Blocks { splitter, builder, delimiter, check, repeated } = self;
        let (path, first) = (splitter.path.clone(), splitter.next_index);
        let shared = Shared { splitter: Mutex::new(splitter), spare: Mutex::new(Vec::new()), prepare };
        let (parsed_tx, parsed_rx) = std::sync::mpsc::sync_channel::<Parsed<P>>(BLOCKS_AHEAD / 2);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let parsed_tx = parsed_tx;
                let mut reader = BlockReader::new(&builder, delimiter, check.clone());
                while let Some(parsed) = shared.parse_next(&mut reader) {
                    if parsed_tx.send(parsed).is_err() {
                        return; // the consumer stopped
                    }
                }
            });
            let reader = BlockReader::new(&builder, delimiter, check.clone());
            let mut consumer =
                BlockConsumer { path, reader, next: first, pending: Vec::new(), carry: None, repeated: &repeated };
            // Takes the receiver, so that an early return also stops the helper.
            consumer.run(parsed_rx, &shared, consume)
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads every record of a block into `batch`, preparing each; gives the block back.
fn parse_block<P: Prepared>(
    block: Block,
    reader: &mut BlockReader,
    prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
    batch: &mut Batch<P>,
) -> (Ended, Block) {
    reader.load(block);
    let ended = loop {
        match reader.read(batch.next_slot()) {
            Item::Row(row) => {
                if let Err(error) = batch.keep(row, prepare) {
                    break Ended::Failed(error);
                }
            }
            Item::RepeatedHeader(line) => batch.repeated.note(line),
            Item::Ended(ended) => break ended,
        }
    };
    (ended, reader.unload())
}

/// A record cut by the end of a block, read again with the blocks after it.
struct Carry {
    text: Vec<u8>,
    line: u64,
    read_at: usize,
}

/// The consuming side of [`Blocks::stream`]: puts parsed blocks back in order and reads again the
/// records that a block ended inside of.
struct BlockConsumer<'r, P> {
    path: String,
    /// Where the header rows skipped are counted, as blocks are consumed (a block read again counts once).
    repeated: &'r Mutex<Repeated>,
    /// This thread's parser.
    reader: BlockReader,
    /// The index of the next block to consume.
    next: usize,
    /// Blocks parsed ahead of it.
    pending: Vec<Parsed<P>>,
    /// A record the previous block ended inside of: its text (with the blocks put aside since), its line, and
    /// how long its text was when it was last read.
    carry: Option<Carry>,
}

impl<P: Prepared> BlockConsumer<'_, P> {
    fn run<F: Fn(&ByteRecord, u64, &mut P) -> Result<()>>(
        &mut self,
        parsed: Receiver<Parsed<P>>,
        shared: &Shared<P, F>,
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<()> {
        let (mut helper_done, mut splitter_done) = (false, false);
        loop {
            if let Some(at) = self.pending.iter().position(|p| p.index == self.next) {
                let block = self.pending.swap_remove(at);
                let (batch, block) = self.consume(block, shared.prepare, consume)?;
                shared.recycle(batch, block);
                self.next += 1;
                continue;
            }
            match parsed.try_recv() {
                Ok(block) => {
                    self.pending.push(block);
                    continue;
                }
                Err(TryRecvError::Disconnected) => helper_done = true,
                Err(TryRecvError::Empty) => {}
            }
            if !splitter_done && self.pending.len() < BLOCKS_AHEAD {
                match shared.parse_next(&mut self.reader) {
                    Some(block) => self.pending.push(block),
                    None => splitter_done = true,
                }
            } else if helper_done {
                return match self.pending.is_empty() {
                    true => Ok(()),
                    false => {
                        Err(InputError::new(Path::new(&self.path), "internal error: a block of the file was lost")
                            .into())
                    }
                };
            } else if let Some(block) = receive(&parsed) {
                self.pending.push(block);
            }
        }
    }

    /// Consumes the next block; returns what it used, for reuse.
    fn consume(
        &mut self,
        parsed: Parsed<P>,
        prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<(Batch<P>, Option<Block>)> {
        let Parsed { mut batch, mut ended, block, .. } = parsed;
        let Some(mut block) = block else {
            return match ended {
                Ended::Failed(error) => Err(error),
                _ => Ok((batch, None)),
            };
        };
        if let Some(mut carry) = self.carry.take() {
            // The block was parsed as if a record started at its beginning, but the previous one ended inside a
            // record: that record's text and this block's are read again, together. Blocks are put aside until the
            // text has doubled since it was last read, so a long record costs a few readings, not one per block.
            carry
                .text
                .extend_from_slice(block.bytes.get(block.info.text_start()..block.info.text_end()).unwrap_or_default());
            if let Some(malformed) = self.reader.too_long(&carry.text, carry.line) {
                return Err(malformed.error(&self.path));
            }
            if !block.info.last && carry.text.len() < carry.read_at.saturating_mul(2) {
                self.carry = Some(carry);
                batch.clear();
                return Ok((batch, Some(block)));
            }
            let mut bytes = PRIMER.to_vec();
            bytes.extend_from_slice(&carry.text);
            if !block.info.last {
                bytes.extend_from_slice(SENTINEL);
            }
            let info = BlockInfo { primed: true, first_line: carry.line, len: bytes.len(), ..block.info };
            batch.clear();
            (ended, block) = parse_block(Block { bytes, info }, &mut self.reader, prepare, &mut batch);
        }
        consume(&batch.records[..batch.rows.len()], &batch.rows, &batch.prepared)?;
        lock(self.repeated).merge(batch.repeated);
        match ended {
            Ended::Complete => {}
            Ended::Inside { from, line } => {
                let start = block.info.text_start() + from;
                let text = block.bytes.get(start..block.info.text_end()).unwrap_or_default();
                if let Some(malformed) = self.reader.too_long(text, line) {
                    return Err(malformed.error(&self.path));
                }
                self.carry = Some(Carry { text: text.to_vec(), line, read_at: text.len() });
            }
            Ended::Failed(error) => return Err(error),
            Ended::Unreadable(message) => return Err(InputError::new(Path::new(&self.path), message).into()),
            Ended::Malformed(malformed) => return Err(malformed.error(&self.path)),
        }
        Ok((batch, Some(block)))
    }
}

/// Builds the CSV parser of a file (every block's parser is built alike).
fn csv_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // Only LF ends a record: with the default (CR, LF or CRLF), a CRLF file reports every line
        // after the first one too early. The CR stays at the end of the last cell, which is trimmed.
        .terminator(csv::Terminator::Any(b'\n'));
    builder
}

/// CSV rows from a UTF-8 stream, read a block at a time (see [`Splitter`]).
pub struct CsvRecords {
    splitter: Splitter,
    delimiter: u8,
    reader: BlockReader,
    /// Whether `reader` holds a block not read to its end.
    reading: bool,
    separator: DecimalSeparator,
    check: Option<Arc<RowCheck>>,
    repeated: Arc<Mutex<Repeated>>,
}

impl CsvRecords {
    /// `head` is the start of the decoded text, used to choose the delimiter.
    pub fn new(path: &Path, head: &[u8], reader: Box<dyn Read + Send>) -> Self {
        Self::with_delimiter(path, sniff_delimiter(head), head, reader)
    }

    /// A CSV file whose delimiter is known. `head` is the start of the decoded text: text whose lines end with
    /// CR alone (Excel for Mac's "CSV (Macintosh)") is read with LF for CR.
    pub fn with_delimiter(path: &Path, delimiter: u8, head: &[u8], reader: Box<dyn Read + Send>) -> Self {
        let separator = if delimiter == b';' { DecimalSeparator::Comma } else { DecimalSeparator::Point };
        let reader = if head.contains(&b'\r') && !head.contains(&b'\n') { Box::new(CrAsLf(reader)) } else { reader };
        let splitter = Splitter::new(path.display().to_string(), reader);
        let reader = BlockReader::new(&csv_builder(delimiter), delimiter, None);
        let repeated = Arc::new(Mutex::new(Repeated::default()));
        CsvRecords { splitter, delimiter, reader, reading: false, separator, check: None, repeated }
    }

    /// The header rows skipped so far (see [`super::row_shape`]).
    pub fn repeated(&self) -> Repeated {
        *lock(&self.repeated)
    }
}

/// Text whose lines end with CR alone, read with LF for every CR.
struct CrAsLf(Box<dyn Read + Send>);

impl Read for CrAsLf {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.0.read(buffer)?;
        for byte in buffer.iter_mut().take(read).filter(|b| **b == b'\r') {
            *byte = b'\n';
        }
        Ok(read)
    }
}

impl Records for CsvRecords {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        loop {
            if !self.reading {
                match self.splitter.next_block()? {
                    Some(block) => self.reader.load(block),
                    None => return Ok(None),
                }
                self.reading = true;
            }
            match self.reader.read(record) {
                Item::Row(row) => return Ok(Some(row)),
                Item::RepeatedHeader(line) => lock(&self.repeated).note(line),
                Item::Ended(Ended::Complete) => self.reading = false,
                Item::Ended(Ended::Inside { from, line }) => {
                    if let Some(malformed) = self.reader.too_long(self.reader.text_from(from), line) {
                        return Err(malformed.error(&self.splitter.path));
                    }
                    self.splitter.put_back(self.reader.text_from(from), line);
                    self.reading = false;
                }
                Item::Ended(Ended::Failed(error)) => return Err(error),
                Item::Ended(Ended::Unreadable(message)) => return Err(self.splitter.error(message)),
                Item::Ended(Ended::Malformed(malformed)) => return Err(malformed.error(&self.splitter.path)),
            }
        }
    }

    fn blocks(&mut self) -> Option<Blocks> {
        if self.reading {
            let (text, line) = self.reader.rest();
            self.splitter.put_back(text, line);
            self.reading = false;
        }
        let empty = Splitter::new(String::new(), Box::new(std::io::empty()));
        let splitter = std::mem::replace(&mut self.splitter, empty);
        let (delimiter, check, repeated) = (self.delimiter, self.check.clone(), self.repeated.clone());
        Some(Blocks { splitter, builder: csv_builder(delimiter), delimiter, check, repeated })
    }

    fn check_rows(&mut self, check: RowCheck) {
        let check = Arc::new(check);
        self.reader.check = Some(check.clone());
        self.check = Some(check);
    }

    fn take_warnings(&mut self) -> Vec<Warning> {
        let line = self.check.as_ref().map_or(1, |check| check.line());
        std::mem::take(&mut *lock(&self.repeated)).warning(line).into_iter().collect()
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
    /// The header's row number (its line in a CSV file).
    pub row: u64,
    /// What the header's columns are worth a warning for (a column that is there twice but not read).
    pub warnings: Vec<Warning>,
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
        let Some(row) = records.next_record(&mut record)? else {
            break;
        };
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
            (Some((kind, columns)), None) => {
                return Ok(Detection::Found(Header { kind, columns, names, skipped, row, warnings: Vec::new() }));
            }
            (Some((first, _)), Some((second, _))) => {
                let kinds = [first, second].into_iter().chain(matching.map(|(kind, _)| kind)).collect();
                return Ok(Detection::Ambiguous(kinds, names));
            }
        }
    }
    Ok(Detection::NoMatch(first_seen.unwrap_or_default()))
}
