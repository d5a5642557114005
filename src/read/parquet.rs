//! Parquet files (Cost Management's "Parquet" export format, Snappy-compressed or not) as records: the first
//! record is the header (the schema's top-level column names), then one record per row, each value written as
//! the CSV export of that row would hold it (see [`super::parquet_text`]). Header detection, the usage and
//! portal readers and the cost assessment then read them exactly as they read a CSV file.
//!
//! Read with the `parquet` crate's row API, one row group at a time: memory holds one batch of values per
//! column (the row API reads 1,024 at a time) and one page per column, never the whole file. Rows are named
//! `row group 2, row 17` (both counted from 1) in messages.
//!
//! The crate reports most damage as errors, but some damaged files make it panic (an assertion on a page's
//! length, a negative column offset in the footer). Every call into it therefore runs in [`contained`], which
//! turns such a panic into the error of a damaged file: bad input never crashes csp-planner.

use std::cell::Cell;
use std::fs::File;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};

use csv::ByteRecord;
use parquet::basic::{Compression, LogicalType, TimestampType};
use parquet::errors::ParquetError;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::{ReaderIter, TreeBuilder};
use parquet::schema::types::SchemaDescPtr;

use super::number::DecimalSeparator;
use super::parquet_text::write_field;
use super::table::{Locator, Records, RowNames};
use crate::error::{InputError, Result};

pub struct ParquetRecords {
    path: PathBuf,
    reader: SerializedFileReader<File>,
    schema: SchemaDescPtr,
    names: Vec<String>,
    /// Per column: whether a timestamp is adjusted to UTC (written with `Z`).
    utc: Vec<bool>,
    header_sent: bool,
    groups: Arc<RowGroups>,
    /// The row group being read (its index) and its rows.
    current: Option<(usize, ReaderIter)>,
    next_group: usize,
    /// The next row's number in the file, from 1.
    next_row: u64,
    text: Vec<u8>,
}

/// Where each row group starts: the row numbers of the file (from 1) are named by group and row.
#[derive(Debug)]
struct RowGroups {
    /// The number of each group's first row.
    starts: Vec<u64>,
}

impl RowNames for RowGroups {
    fn locate(&self, row: u64, _column: Option<usize>) -> String {
        if row == 0 {
            return "the schema (column names)".to_string();
        }
        let group = self.starts.partition_point(|&start| start <= row).saturating_sub(1);
        let start = self.starts.get(group).copied().unwrap_or(1);
        format!("row group {}, row {}", group + 1, row - start + 1)
    }
}

/// Opens a Parquet file: reads its footer (schema and row groups), no data yet.
pub fn open(path: &Path) -> Result<ParquetRecords> {
    let error = |message: String| InputError::new(path, message);
    let (file, file_metadata) = crate::open::regular_file(path)?;
    let unreadable =
        |e: String| error(format!("not a readable Parquet file ({e}); export it again, or export CSV instead"));
    let reader =
        contained(|| SerializedFileReader::new(file)).map_err(unreadable)?.map_err(|e| unreadable(e.to_string()))?;
    let metadata = reader.metadata();
    let schema = metadata.file_metadata().schema_descr_ptr();
    let root = schema.root_schema();
    if !root.is_group() || root.get_fields().is_empty() {
        return Err(error("the Parquet file has no columns".to_string()).into());
    }
    let names = root.get_fields().iter().map(|field| field.name().to_string()).collect();
    let utc = root
        .get_fields()
        .iter()
        .map(|field| {
            !matches!(
                field.get_basic_info().logical_type_ref(),
                Some(LogicalType::Timestamp(TimestampType { is_adjusted_to_u_t_c: false, .. }))
            )
        })
        .collect();
    refuse_unread_codecs(metadata, path)?;
    refuse_implausible_chunks(metadata, file_metadata.len(), path)?;
    let mut starts = Vec::with_capacity(metadata.num_row_groups());
    let mut next: u64 = 1;
    for (index, group) in metadata.row_groups().iter().enumerate() {
        starts.push(next);
        let rows = u64::try_from(group.num_rows()).map_err(|_| {
            error(format!("row group {} declares {} rows: the file is corrupt", index + 1, group.num_rows()))
        })?;
        next = next.checked_add(rows).ok_or_else(|| error("the row groups declare too many rows".to_string()))?;
    }
    Ok(ParquetRecords {
        path: path.to_path_buf(),
        reader,
        schema,
        names,
        utc,
        header_sent: false,
        groups: Arc::new(RowGroups { starts }),
        current: None,
        next_group: 0,
        next_row: 1,
        text: Vec::new(),
    })
}

/// Parquet writers may compress with codecs csp-planner does not carry (ZSTD, LZ4, Brotli): said before any
/// row is read, with what to export instead, rather than as a failure in the middle of the data.
fn refuse_unread_codecs(metadata: &parquet::file::metadata::ParquetMetaData, path: &Path) -> Result<()> {
    for (index, group) in metadata.row_groups().iter().enumerate() {
        for column in group.columns() {
            let codec = column.compression();
            if !matches!(codec, Compression::UNCOMPRESSED | Compression::SNAPPY | Compression::GZIP(_)) {
                return Err(InputError::new(
                    path,
                    format!(
                        "is compressed with {codec}; csp-planner reads Parquet files compressed with Snappy (what \
                         Cost Management exports use), gzip, or not at all: export it again with Snappy, or as CSV"
                    ),
                )
                .at(format!("row group {}", index + 1))
                .column(column.column_path().string())
                .into());
            }
        }
    }
    Ok(())
}

/// The most one column chunk may declare uncompressed (1 GiB): a Cost Management export writes row groups of a
/// few MiB per column.
pub const MAX_CHUNK_BYTES: i64 = 1 << 30;
/// The most a column chunk over [`RATIO_CHECKED_FROM`] may expand (as for workbook parts).
pub const MAX_RATIO: i64 = 100;
pub const RATIO_CHECKED_FROM: i64 = 10 << 20;

/// The footer's sizes are checked before any page is read: a chunk said to be larger than the file, or to
/// expand beyond the limits, is a damaged or hostile file, refused with its place rather than decompressed.
fn refuse_implausible_chunks(
    metadata: &parquet::file::metadata::ParquetMetaData,
    file_length: u64,
    path: &Path,
) -> Result<()> {
    let file_length = i64::try_from(file_length).unwrap_or(i64::MAX);
    for (index, group) in metadata.row_groups().iter().enumerate() {
        for column in group.columns() {
            let (compressed, uncompressed) = (column.compressed_size(), column.uncompressed_size());
            let problem = if compressed < 0 || compressed > file_length || uncompressed < 0 {
                Some(format!(
                    "the footer declares a column chunk of {compressed} bytes ({uncompressed} uncompressed) in a file                      of {file_length} bytes: the file is damaged; export it again"
                ))
            } else if uncompressed > MAX_CHUNK_BYTES
                || (uncompressed > RATIO_CHECKED_FROM && uncompressed / compressed.max(1) > MAX_RATIO)
            {
                Some(format!(
                    "the footer declares a column chunk that expands from {compressed} to {uncompressed} bytes, more                      than a cost export holds (at most {} MiB per chunk, {MAX_RATIO} times its compressed size):                      export it again, or as CSV",
                    MAX_CHUNK_BYTES >> 20
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                return Err(InputError::new(path, message)
                    .at(format!("row group {}", index + 1))
                    .column(column.column_path().string())
                    .into());
            }
        }
    }
    Ok(())
}

impl ParquetRecords {
    fn error(&self, row: Option<u64>, message: String) -> crate::error::Error {
        let error = InputError::new(&self.path, message);
        match row {
            Some(row) => error.at(self.groups.locate(row, None)).into(),
            None => error.into(),
        }
    }

    /// Starts the next row group; `false` after the last.
    fn start_group(&mut self) -> Result<bool> {
        let index = self.next_group;
        if index >= self.reader.num_row_groups() {
            return Ok(false);
        }
        self.next_group += 1;
        let (reader, schema) = (&self.reader, self.schema.clone());
        let rows = contained(|| {
            let group = reader.get_row_group(index)?;
            TreeBuilder::new().as_iter(schema, &*group)
        })
        .and_then(|rows| rows.map_err(|e| e.to_string()))
        .map_err(|e| InputError::new(&self.path, damaged(&e)).at(format!("row group {}", index + 1)))?;
        self.next_row = self.groups.starts.get(index).copied().unwrap_or(self.next_row);
        self.current = Some((index, rows));
        Ok(true)
    }

    /// The next row of the file, as text cells in `record`; its number, or `None` at the end.
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        loop {
            let next = match self.current.as_mut() {
                Some((_, rows)) => {
                    contained(|| rows.next()).unwrap_or_else(|panic| Some(Err(ParquetError::General(panic))))
                }
                None => None,
            };
            match next {
                Some(Ok(row)) => {
                    let number = self.next_row;
                    self.next_row = number.saturating_add(1);
                    self.write_row(&row, number, record)?;
                    return Ok(Some(number));
                }
                Some(Err(e)) => return Err(self.error(Some(self.next_row), damaged(&e.to_string()))),
                None if self.start_group()? => {}
                None => return Ok(None),
            }
        }
    }

    fn write_row(&mut self, row: &parquet::record::Row, number: u64, record: &mut ByteRecord) -> Result<()> {
        record.clear();
        for (column, (name, field)) in row.get_column_iter().enumerate() {
            self.text.clear();
            let utc = self.utc.get(column).copied().unwrap_or(true);
            let text = &mut self.text;
            let written = contained(|| write_field(field, utc, text)).and_then(|written| written);
            if let Err(message) = written {
                return Err(InputError::new(&self.path, message)
                    .at(self.groups.locate(number, Some(column)))
                    .column(name.as_str())
                    .into());
            }
            record.push_field(&self.text);
        }
        Ok(())
    }
}

fn damaged(cause: &str) -> String {
    format!("cannot read the Parquet data, the file is damaged ({cause}); export it again, or export CSV instead")
}

thread_local! {
    /// Set while this thread runs [`contained`]: its panics are reported as errors, not printed.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `call` (a call into the parquet crate); a panic in it becomes `Err` with the panic's message. The panic
/// hook stays quiet for these panics only: any other panic still prints as before.
fn contained<T>(call: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    CONTAINING.with(|c| c.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(call));
    CONTAINING.with(|c| c.set(false));
    outcome.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the Parquet reader stopped".to_string());
        format!("the Parquet reader stopped: {message}")
    })
}

impl Records for ParquetRecords {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        if !self.header_sent {
            self.header_sent = true;
            record.clear();
            for name in &self.names {
                record.push_field(name.as_bytes());
            }
            return Ok(Some(0));
        }
        self.next_row(record)
    }

    fn locator(&self) -> Locator {
        Locator::Rows(self.groups.clone())
    }

    /// Parquet numbers are numbers; their text is written with a point.
    fn decimal_separator(&self) -> DecimalSeparator {
        DecimalSeparator::Point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_rows_by_group_and_row() {
        let groups = RowGroups { starts: vec![1, 101, 151] };
        assert_eq!(groups.locate(1, None), "row group 1, row 1");
        assert_eq!(groups.locate(100, None), "row group 1, row 100");
        assert_eq!(groups.locate(101, Some(3)), "row group 2, row 1");
        assert_eq!(groups.locate(160, None), "row group 3, row 10");
        assert_eq!(groups.locate(0, None), "the schema (column names)");
    }
}
