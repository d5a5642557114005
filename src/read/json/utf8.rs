//! The text of a JSON document as it streams into the parser: checked as UTF-8, stopped after a parse error,
//! and its newlines counted (JSON Lines name the line of each value).

use std::cell::Cell;
use std::io::{self, Read};

/// Shared between the visitors and the reader: once a visitor sees a parse error, the reader hands
/// out nothing more. serde_json goes on to look for the closing `]` / `}` of each enclosing
/// container after an error (and then drops what it found); freezing keeps the reader where the
/// error came up, for [`Utf8Reader::parse_position`].
#[derive(Clone, Copy)]
pub(super) struct Freeze<'a>(pub(super) &'a Cell<bool>);

impl Freeze<'_> {
    pub(super) fn on_error<T, E>(self, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            self.0.set(true);
        }
        result
    }
}

/// How many newlines the reader has handed to the parser. serde_json reads a stream one byte at a time, so
/// when a visitor is entered at a value's first byte, the count + 1 is the line the value starts on.
#[derive(Clone, Copy)]
pub(super) struct NewlinesRead<'a>(pub(super) &'a Cell<u64>);

impl NewlinesRead<'_> {
    #[inline]
    fn count(self, bytes: &[u8]) {
        // serde_json asks for one byte at a time: that case is kept to one comparison.
        let newlines = match bytes {
            [byte] => u64::from(*byte == b'\n'),
            _ => bytes.iter().filter(|&&b| b == b'\n').count() as u64,
        };
        if newlines > 0 {
            self.0.set(self.0.get().saturating_add(newlines));
        }
    }

    /// The line (1-based) of the byte handed out last.
    pub(super) fn line(self) -> u64 {
        self.0.get().saturating_add(1)
    }
}

/// The most text one value of a resource list may take: 16 MiB for one element of a resource array, one
/// top-level value (one line of JSON Lines), or what lies between two of them. A resource is a few KiB (the
/// largest, with a long template or policy in its properties, some MiB); the parser holds one value whole, so a
/// value longer than this is refused with its line rather than read into memory.
pub const MAX_VALUE_BYTES: u64 = 16 * 1024 * 1024;

/// Set by the visitors as a new value is about to be read (an element of a resource array, a top-level value):
/// the reader then counts that value's bytes from zero (see [`MAX_VALUE_BYTES`]).
#[derive(Clone, Copy)]
pub(super) struct ValueStart<'a>(pub(super) &'a Cell<bool>);

impl ValueStart<'_> {
    pub(super) fn mark(self) {
        self.0.set(true);
    }
}

/// The reader's error for a value longer than [`MAX_VALUE_BYTES`]: the line it starts on.
#[derive(Debug)]
pub(super) struct ValueTooLong {
    pub line: u64,
}

impl std::fmt::Display for ValueTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a value longer than {} MiB", MAX_VALUE_BYTES >> 20)
    }
}

impl std::error::Error for ValueTooLong {}

/// The text of the document as UTF-8, checked as it streams past: the first I/O error, or bytes
/// that are not UTF-8, stop the parse with an I/O error, and [`Utf8Reader::finish`] tells which.
pub(super) struct Utf8Reader<'a> {
    inner: Box<dyn Read + Send>,
    buffer: Box<[u8]>,
    /// `buffer[served..ready]` is checked text not yet handed out; `buffer[ready..filled]` is the
    /// start of a character cut by the end of the last read.
    served: usize,
    ready: usize,
    filled: usize,
    /// An error from the underlying reader.
    failed: Option<io::Error>,
    /// Bytes that are not UTF-8 were met.
    invalid: bool,
    /// Where `buffer[0]` sits in the text, and where the last newline before it is (for error
    /// positions).
    base: u64,
    last_newline: Option<u64>,
    /// The end of the text was met.
    eof_seen: bool,
    /// Set when a parse error came up: nothing more is handed out.
    frozen: Freeze<'a>,
    /// Newlines handed out so far (see [`NewlinesRead`]).
    newlines: NewlinesRead<'a>,
    /// The current value's bytes handed out, its first line, and whether its first byte is still to come.
    value_start: ValueStart<'a>,
    value_bytes: u64,
    value_line: u64,
    awaiting_value: bool,
}

const NOT_UTF8: &str = "stream did not contain valid UTF-8";

impl<'a> Utf8Reader<'a> {
    pub(super) fn new(
        inner: Box<dyn Read + Send>,
        frozen: Freeze<'a>,
        newlines: NewlinesRead<'a>,
        value_start: ValueStart<'a>,
    ) -> Self {
        Utf8Reader {
            inner,
            buffer: vec![0; 64 * 1024].into_boxed_slice(),
            served: 0,
            ready: 0,
            filled: 0,
            failed: None,
            invalid: false,
            base: 0,
            last_newline: None,
            eof_seen: false,
            frozen,
            newlines,
            value_start,
            value_bytes: 0,
            value_line: 1,
            awaiting_value: true,
        }
    }

    /// Counts `handed` (just handed out) against the current value's limit; the error once it is over. The value's
    /// line is that of its first byte (the comma before an element is not one).
    #[inline]
    fn count_value(&mut self, handed: &[u8]) -> io::Result<()> {
        if self.value_start.0.replace(false) {
            (self.value_bytes, self.awaiting_value) = (0, true);
        }
        if self.awaiting_value
            && let Some(at) = handed.iter().position(|&b| !b.is_ascii_whitespace() && b != b',')
        {
            let before = handed[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            self.value_line = self.newlines.line().saturating_add(before);
            self.awaiting_value = false;
        }
        self.value_bytes = self.value_bytes.saturating_add(handed.len() as u64);
        if self.value_bytes <= MAX_VALUE_BYTES {
            return Ok(());
        }
        let line = if self.awaiting_value { self.newlines.line() } else { self.value_line };
        self.failed = Some(io::Error::other(ValueTooLong { line }));
        Err(io::Error::other(ValueTooLong { line }))
    }

    /// The line and column of a parse error as parsing the whole text at once reports them.
    ///
    /// Reading from a stream, serde_json counts a byte it has only peeked at as read. All errors but
    /// one are raised where both ways agree; "number out of range" is mostly raised after peeking at
    /// the byte that ends the number, so it comes out one column further (or at column 0 of the next
    /// line when that byte is a newline). This puts it back on the number's last byte. It relies on
    /// the reader having been frozen when the error came up (see [`Freeze`]), so that the last
    /// byte handed out is the peeked one.
    pub(super) fn parse_position(&self, error: &serde_json::Error) -> (usize, usize) {
        let (line, column) = (error.line(), error.column());
        let out_of_range = error.is_syntax() && error.to_string().starts_with("number out of range");
        if !out_of_range || self.eof_seen || self.served == 0 {
            return (line, column);
        }
        let peeked = self.served - 1;
        if self.buffer[peeked].is_ascii_digit() {
            // Raised right after eating a digit (an exponent too large to count): no byte was peeked.
            return (line, column);
        }
        if self.buffer[peeked] != b'\n' {
            return (line, column.saturating_sub(1));
        }
        let column = match self.buffer[..peeked].iter().rposition(|&b| b == b'\n') {
            Some(newline) => peeked - newline - 1,
            None => (self.base + peeked as u64 - self.last_newline.map_or(0, |n| n + 1)) as usize,
        };
        (line.saturating_sub(1), column)
    }

    /// After a parse error: reads the rest of the input (as reading the whole text did) and returns
    /// the error that reading it as text gives, if any: an I/O error first, else invalid UTF-8.
    pub(super) fn finish(&mut self) -> Option<io::Error> {
        if self.failed.is_none() {
            let mut sink = [0u8; 64 * 1024];
            loop {
                match self.inner.read(&mut sink) {
                    Ok(0) => break,
                    Ok(n) => {
                        if !self.invalid {
                            // Only whether the bytes are UTF-8 matters now; a character cut by a
                            // chunk boundary is rare, so the tail is carried in a small buffer.
                            self.check_tail(&sink[..n]);
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.failed = Some(e);
                        break;
                    }
                }
            }
            if !self.invalid && self.filled > self.ready {
                self.invalid = true;
            }
        }
        match self.failed.take() {
            Some(e) => Some(e),
            None if self.invalid => Some(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8)),
            None => None,
        }
    }

    /// Checks `bytes` that follow what was read so far (used by [`Utf8Reader::finish`]).
    fn check_tail(&mut self, bytes: &[u8]) {
        let mut pending: Vec<u8> = self.buffer[self.ready..self.filled].to_vec();
        pending.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&pending) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => pending.len() - e.valid_up_to(),
            Err(_) => {
                self.invalid = true;
                return;
            }
        };
        let tail = &pending[pending.len() - keep..];
        self.buffer[..keep].copy_from_slice(tail);
        (self.served, self.ready, self.filled) = (0, 0, keep);
    }

    fn refill(&mut self) -> io::Result<()> {
        let handed_out = &self.buffer[..self.ready];
        // Counting first is fast on long lines; `rposition` is then quick as a newline is near.
        if handed_out.iter().filter(|&&b| b == b'\n').count() > 0 {
            self.last_newline = handed_out.iter().rposition(|&b| b == b'\n').map(|i| self.base + i as u64);
        }
        self.base += self.ready as u64;
        self.buffer.copy_within(self.ready..self.filled, 0);
        self.filled -= self.ready;
        (self.served, self.ready) = (0, 0);
        while self.ready == 0 {
            let read = match self.inner.read(&mut self.buffer[self.filled..]) {
                Ok(read) => read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let reported = io::Error::new(e.kind(), e.to_string());
                    self.failed = Some(e);
                    return Err(reported);
                }
            };
            if read == 0 {
                if self.filled > 0 {
                    self.invalid = true;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
                }
                return Ok(());
            }
            self.filled += read;
            match std::str::from_utf8(&self.buffer[..self.filled]) {
                Ok(_) => self.ready = self.filled,
                Err(e) if e.error_len().is_none() => self.ready = e.valid_up_to(),
                Err(_) => {
                    self.invalid = true;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
                }
            }
        }
        Ok(())
    }
}

impl Read for Utf8Reader<'_> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.frozen.0.get() {
            return Err(io::Error::other("stopped after a parse error"));
        }
        if self.invalid || self.failed.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
        }
        if self.served == self.ready {
            self.refill()?;
            if self.ready == 0 {
                self.eof_seen = true;
                return Ok(0);
            }
        }
        let n = out.len().min(self.ready - self.served);
        out[..n].copy_from_slice(&self.buffer[self.served..self.served + n]);
        self.served += n;
        self.count_value(&out[..n])?;
        self.newlines.count(&out[..n]);
        Ok(n)
    }
}
