//! The CSV text cut into blocks of whole lines, so that two threads can parse it at once.

use std::io::Read;
use std::path::Path;

use crate::error::{InputError, Result};

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
pub(super) const BLOCK_BYTES: usize = 128 * 1024;
/// Blocks parsed ahead of the one being consumed, at most.
pub(super) const BLOCKS_AHEAD: usize = 4;
/// Parsed first in every block but the file's first, and thrown away: a parser that has already
/// read something treats a UTF-8 byte-order mark as text, as the single parser of the whole file
/// does there.
pub(super) const PRIMER: &[u8] = b"x\n";
/// Appended to every block but the last: a record that starts right after the block's text if,
/// and only if, the block ends between records (see [`BlockReader::read`]).
pub(super) const SENTINEL: &[u8] = b"x\n";

/// A run of whole lines of the CSV text, parsed on its own on the assumption that a record starts
/// at its beginning. Lines can end inside a quoted cell, so a block can end inside a record; its
/// reader then says so ([`Ended::Inside`]) and that record is read again with the next block.
pub(super) struct Block {
    /// The primer if `primed`, the text, then the sentinel unless `last`.
    pub(super) bytes: Vec<u8>,
    pub(super) info: BlockInfo,
}

#[derive(Clone, Copy)]
pub(super) struct BlockInfo {
    /// Position in the file: blocks are consumed in this order.
    pub(super) index: usize,
    pub(super) primed: bool,
    pub(super) last: bool,
    /// The line number of the text's first line.
    pub(super) first_line: u64,
    /// The length of `bytes`.
    pub(super) len: usize,
}

impl BlockInfo {
    pub(super) fn text_start(&self) -> usize {
        if self.primed { PRIMER.len() } else { 0 }
    }

    pub(super) fn text_end(&self) -> usize {
        if self.last { self.len } else { self.len.saturating_sub(SENTINEL.len()) }
    }
}

/// How the reading of a block stopped.
pub(super) enum Ended {
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
pub(super) struct Malformed {
    pub(super) line: u64,
    pub(super) column: Option<String>,
    pub(super) message: String,
}

impl Malformed {
    pub(super) fn error(self, path: &str) -> crate::error::Error {
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
pub(super) struct Splitter {
    pub(super) path: String,
    pub(super) source: Box<dyn Read + Send>,
    /// Text read but not yet in a block, its first line number and its offset in the text.
    pub(super) carry: Vec<u8>,
    pub(super) carry_line: u64,
    pub(super) carry_offset: u64,
    pub(super) next_index: usize,
    /// The text has ended (or could not be read further).
    pub(super) at_end: bool,
    /// Buffers of consumed blocks, for the next ones (fresh memory costs a page fault per 4 KiB).
    pub(super) spare: Vec<Vec<u8>>,
    /// The line of a record put back that is longer than [`MAX_RECORD_BYTES`]: the next block is this error.
    pub(super) too_long: Option<u64>,
}

impl Splitter {
    pub(super) fn new(path: String, source: Box<dyn Read + Send>) -> Self {
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

    pub(super) fn error(&self, message: String) -> crate::error::Error {
        InputError::new(Path::new(&self.path), message).into()
    }

    /// The next block, or `None` after the last one.
    pub(super) fn next_block(&mut self) -> Result<Option<Block>> {
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
    pub(super) fn put_back(&mut self, text: &[u8], line: u64) {
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
    pub(super) fn recycle(&mut self, bytes: Vec<u8>) {
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
