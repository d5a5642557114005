//! What is checked once the header of a resource list or usage export is found: a column the reader uses
//! appearing twice (an error; twice but unused, a warning: [`super::duplicate_columns`]), and, for a CSV
//! file, every row after it against it ([`super::row_shape`]), with the kinds of `rules/input-kinds.toml`
//! telling a header-like row.

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::duplicate_columns::{self, Positions};
use super::row_shape::{HeaderRule, RowCheck, is_key_of};
use super::table::{Header, Locator, Records};
use crate::error::Result;
use crate::rules::input_kinds::english_name;
use crate::rules::{InputKinds, normalize_key};

/// Checks the header's columns, and has `records` check each row after it.
pub fn check(records: &mut dyn Records, header: &mut Header, kinds: &InputKinds, path: &Path) -> Result<()> {
    let locator = records.locator();
    let at = locator.locate(header.row, None);
    let positions = match locator {
        Locator::Sheet { first_column, .. } => Positions::Letters(first_column),
        Locator::Lines | Locator::Rows(_) => Positions::Fields,
    };
    let mut used: Vec<(&String, usize)> = header.columns.iter().map(|(field, &column)| (field, column)).collect();
    used.sort_by_key(|&(_, column)| column);
    for &(field, column) in &used {
        let others = header.kind.also_matching(field, &header.names, column);
        if !others.is_empty() {
            return Err(duplicate_columns::used_twice(path, at, &header.names, column, &others, positions));
        }
    }
    let used: Vec<usize> = used.into_iter().map(|(_, column)| column).collect();
    header.warnings.extend(duplicate_columns::unused_twice(&header.names, &used, &at, positions));
    let rule = KindHeaders::new(kinds);
    records.check_rows(RowCheck::new(&header.names, header.row, Arc::new(rule)));
    Ok(())
}

/// A header-like row for the resource and usage readers: one that names the signature columns of a kind of
/// `rules/input-kinds.toml`, as the header at the top of the file does.
struct KindHeaders {
    kinds: InputKinds,
    /// Every spelling of every kind's columns, normalised.
    names: FxHashSet<String>,
}

impl KindHeaders {
    fn new(kinds: &InputKinds) -> Self {
        let names = kinds
            .kinds
            .iter()
            .flat_map(|kind| kind.columns.values().flatten())
            .map(|spelling| normalize_key(spelling))
            .collect();
        KindHeaders { kinds: kinds.clone(), names }
    }
}

impl HeaderRule for KindHeaders {
    fn knows(&self, cell: &str) -> bool {
        is_key_of(cell, &self.names) || english_name(cell).is_some_and(|name| self.names.contains(&name))
    }

    fn is_header(&self, names: &[String]) -> bool {
        self.kinds.kinds.iter().any(|kind| kind.matches(&kind.resolve(names)))
    }
}
