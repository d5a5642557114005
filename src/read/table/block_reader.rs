//! The parser of one block of CSV text, with the checks every record passes (quoting, fields against the header).

use std::sync::Arc;

use csv::ByteRecord;

use super::super::csv_syntax::{self, Fault, SyntaxFault};
use super::super::row_shape::{RowCheck, Shape};
use super::splitter::{Block, BlockInfo, Ended, MAX_RECORD_BYTES, Malformed};

/// A CSV parser for blocks, reused from block to block (building one costs as much as reading
/// dozens of rows).
pub(super) struct BlockReader {
    pub(super) reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    /// The block being read.
    pub(super) info: BlockInfo,
    pub(super) delimiter: u8,
    /// The header the rows are checked against, once it is found.
    pub(super) check: Option<Arc<RowCheck>>,
}

/// What [`BlockReader::read`] found.
pub(super) enum Item {
    Row(u64),
    /// The header again, on this line: skipped.
    RepeatedHeader(u64),
    Ended(Ended),
}

/// A UTF-8 byte-order mark: at the start of a record, where a file joined after another one began.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl BlockReader {
    pub(super) fn new(builder: &csv::ReaderBuilder, delimiter: u8, check: Option<Arc<RowCheck>>) -> Self {
        let reader = builder.from_reader(std::io::Cursor::new(Vec::new()));
        let info = BlockInfo { index: 0, primed: false, last: true, first_line: 1, len: 0 };
        let mut reader = BlockReader { reader, info, delimiter, check };
        reader.rewind();
        reader
    }

    /// Starts parsing the reader's input from the beginning, as a new parser would.
    pub(super) fn rewind(&mut self) {
        // Seeking in memory cannot fail. The first seek also settles the parser's idea of a
        // header row (reading nothing), after which no row is held back.
        let _ = self.reader.seek_raw(std::io::SeekFrom::Start(0), csv::Position::new());
    }

    pub(super) fn load(&mut self, block: Block) {
        *self.reader.get_mut() = std::io::Cursor::new(block.bytes);
        self.info = block.info;
        self.rewind();
        if self.info.primed {
            let _ = self.reader.read_byte_record(&mut ByteRecord::new()); // the primer
        }
    }

    /// Gives the block back.
    pub(super) fn unload(&mut self) -> Block {
        let bytes = std::mem::take(self.reader.get_mut()).into_inner();
        Block { bytes, info: self.info }
    }

    pub(super) fn bytes(&self) -> &[u8] {
        self.reader.get_ref().get_ref()
    }

    /// The line number of a parser position (the primer's line does not count).
    pub(super) fn line(&self, position: &csv::Position) -> u64 {
        (self.info.first_line + position.line()).saturating_sub(1 + u64::from(self.info.primed))
    }

    /// Reads the next record into `record`.
    pub(super) fn read(&mut self, record: &mut ByteRecord) -> Item {
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
    pub(super) fn checked(&self, record: &mut ByteRecord, position: &csv::Position, line: u64) -> Item {
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
    pub(super) fn too_long(&self, text: &[u8], line: u64) -> Option<Malformed> {
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
    pub(super) fn syntax_fault(&self, fault: SyntaxFault, raw: &[u8], line: u64) -> Malformed {
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
    pub(super) fn text_from(&self, from: usize) -> &[u8] {
        self.bytes().get(self.info.text_start() + from..self.info.text_end()).unwrap_or_default()
    }

    /// The text not read yet, and its first line number.
    pub(super) fn rest(&self) -> (&[u8], u64) {
        let position = self.reader.position();
        let from = (position.byte() as usize).max(self.info.text_start());
        (self.bytes().get(from..self.info.text_end()).unwrap_or_default(), self.line(position))
    }
}
