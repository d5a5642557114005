//! Reading the cells of one table row: text decoded on demand (UTF-8, else Windows-1252, noted), decimals parsed
//! exactly, errors naming the file, the line or cell and the column. Shared by every reader of usage rows.

use std::borrow::Cow;
use std::path::Path;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::decode::field_text;
use super::number::{DecimalSeparator, parse_decimal, parse_plain_decimal};
use super::table::{Header, Locator};
use crate::error::{Error, InputError};

/// One row's cells, read as text only when a field is needed.
pub struct RowText<'a> {
    record: &'a ByteRecord,
    /// Set when a cell was not UTF-8 and was read as Windows-1252.
    pub decoded_1252: std::cell::Cell<bool>,
}

impl<'a> RowText<'a> {
    pub fn new(record: &'a ByteRecord) -> Self {
        RowText { record, decoded_1252: std::cell::Cell::new(false) }
    }

    /// The trimmed text of a column; empty for a missing column or cell.
    pub fn text(&self, column: Option<usize>) -> Cow<'a, str> {
        let Some(bytes) = column.and_then(|c| self.record.get(c)) else {
            return Cow::Borrowed("");
        };
        match field_text(bytes) {
            (Cow::Borrowed(text), _) => Cow::Borrowed(text.trim()),
            (Cow::Owned(text), _) => {
                self.decoded_1252.set(true);
                Cow::Owned(text.trim().to_string())
            }
        }
    }

    /// The text of a column, `None` when empty.
    pub fn owned(&self, column: Option<usize>) -> Option<String> {
        let text = self.text(column);
        if text.is_empty() { None } else { Some(text.into_owned()) }
    }
}

/// How to read and blame the cells of one table.
pub struct CellReader<'a> {
    pub path: &'a Path,
    pub locator: &'a Locator,
    pub header: &'a Header<'a>,
    pub separator: DecimalSeparator,
}

impl CellReader<'_> {
    /// A decimal cell, exactly; `None` when empty or absent.
    pub fn decimal(&self, record: &ByteRecord, row: u64, column: usize) -> Result<Option<Decimal>, Error> {
        if let Some(value) = record.get(column).and_then(parse_plain_decimal) {
            return Ok(Some(value));
        }
        let cell = RowText::new(record).text(Some(column));
        parse_decimal(&cell, self.separator).map_err(|message| self.error(row, Some(column), message))
    }

    /// An error at a row (and column) of this table.
    pub fn error(&self, row: u64, column: Option<usize>, message: impl Into<String>) -> Error {
        let mut error = InputError::new(self.path, message).at(self.locator.locate(row, column));
        if let Some(column) = column {
            error = error.column(self.header.name(column));
        }
        error.into()
    }
}
