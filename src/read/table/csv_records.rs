//! CSV rows from a UTF-8 stream, with the delimiter sniffed from the first lines.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use csv::ByteRecord;

use super::super::number::DecimalSeparator;
use super::super::row_shape::{Repeated, RowCheck};
use super::batch::lock;
use super::block_reader::{BlockReader, Item};
use super::blocks::Blocks;
use super::header::HEADER_SEARCH_ROWS;
use super::splitter::{Ended, Splitter};
use super::{Locator, Records};
use crate::error::Result;
use crate::model::Warning;

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

    /// The header rows skipped so far (see [`super::super::row_shape`]).
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
