//! Rows of a CSV file or a worksheet, one record type for both (`csv::ByteRecord`), with the position
//! of every row so messages can name the line (CSV) or the cell (workbook). Also finds the header row
//! and the input kind it identifies.
//!
//! A CSV record reaches no reader before it is checked: its quoting ([`super::csv_syntax`]) and, once the
//! header is found, its fields against the header ([`super::row_shape`]); the header repeated is skipped and
//! counted. The checks run on whichever thread parses the record, and their errors name the line the record
//! starts on, as the rows do.

mod batch;
mod block_reader;
mod blocks;
mod csv_records;
mod header;
mod splitter;

use std::sync::Arc;

use csv::ByteRecord;

use super::number::DecimalSeparator;
use super::row_shape::RowCheck;
use crate::error::Result;
use crate::model::Warning;
use batch::stream_rows;

pub use blocks::Blocks;
pub use csv_records::CsvRecords;
pub use header::{Detection, Header, detect_header};
pub use splitter::MAX_RECORD_BYTES;

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
/// What `prepare` works out for the rows of one batch, kept beside them; reused from batch to batch
/// so that preparing a row allocates nothing once the first batches are filled.
pub trait Prepared: Default + Send {
    /// Forgets the previous batch's rows, keeping the allocations.
    fn clear(&mut self);
}
/// Reads all rows of `records` with two threads and consumes them in order.
///
/// `prepare` runs on whichever thread reads a row and adds what it works out to the batch's
/// [`Prepared`] value (put per-row work there that needs no shared state; it must add nothing for a
/// row it fails on). `consume` runs on the caller's thread, once per batch in row order, with the
/// batch's records, their row numbers and the prepared value. The first error stops both threads;
/// rows before it are consumed first, so errors are reported for the first bad row.
///
/// A CSV file is cut into blocks that both threads parse (see [`Splitter`](splitter::Splitter)); a worksheet's rows are
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
