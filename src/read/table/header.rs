//! The header row of a table and the input kind it identifies, searched for among the first rows.

use std::collections::HashMap;

use csv::ByteRecord;

use super::super::decode::field_text;
use super::Records;
use crate::error::Result;
use crate::model::Warning;
use crate::rules::{InputKind, InputKinds};

/// How many leading rows are searched for the header (old EA downloads put a title line first;
/// PowerShell's `Export-Csv` a `#TYPE` line).
pub(super) const HEADER_SEARCH_ROWS: usize = 10;
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
