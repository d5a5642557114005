//! A column name that a header holds more than once.
//!
//! When the reader reads that column, it cannot tell which of the two holds the value (the first one would win
//! silently): an error naming both positions. A column no reader reads may well be there twice (a tag column
//! exported twice): a warning. Names are compared as headers are matched (ignoring case, spaces and
//! punctuation), and for the resource and usage readers a localised header counts by its English name in
//! parentheses (`Abonnement-GUID (SubscriptionGuid)` is `SubscriptionGuid`).

use std::path::Path;

use crate::error::{Error, InputError};
use crate::model::Warning;
use crate::rules::normalize_key;

/// How a header's columns are named in messages: by number in a CSV file, by letter in a worksheet.
#[derive(Debug, Clone, Copy)]
pub enum Positions {
    Fields,
    /// The sheet's first column (the letter of column 0).
    Letters(usize),
}

impl Positions {
    fn name(self, column: usize) -> String {
        match self {
            Positions::Fields => (column + 1).to_string(),
            Positions::Letters(first) => super::xlsx::column_letters(first + column),
        }
    }

    /// "columns 3 and 17", "columns C, F and Q".
    pub fn list(self, columns: &[usize]) -> String {
        let names: Vec<String> = columns.iter().map(|&c| self.name(c)).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("columns {} and {last}", rest.join(", ")),
            _ => format!("column {}", names.join("")),
        }
    }
}

/// Other columns with the same name as `column` (ignoring case, spaces and punctuation).
pub fn same_name(names: &[String], column: usize) -> Vec<usize> {
    let Some(key) = names.get(column).map(|name| normalize_key(name)).filter(|key| !key.is_empty()) else {
        return Vec::new();
    };
    (0..names.len()).filter(|&other| other != column && normalize_key(&names[other]) == key).collect()
}

/// The error for a column the reader reads, found at `column` and at `others` too. `at` is the header's place.
pub fn used_twice(
    path: &Path,
    at: String,
    names: &[String],
    column: usize,
    others: &[usize],
    positions: Positions,
) -> Error {
    let mut all: Vec<usize> = others.iter().copied().chain([column]).collect();
    all.sort_unstable();
    let name = names.get(column).map_or("", String::as_str);
    InputError::new(
        path,
        format!(
            "the header has the column \"{name}\" more than once ({}); csp-planner reads this column and cannot \
             tell which one holds it: remove or rename the others",
            positions.list(&all)
        ),
    )
    .at(at)
    .column(name)
    .into()
}

/// One warning per name that no reader reads and that the header holds more than once.
pub fn unused_twice(names: &[String], used: &[usize], at: &str, positions: Positions) -> Vec<Warning> {
    let mut warned = vec![false; names.len()];
    let mut warnings = Vec::new();
    for column in 0..names.len() {
        if warned[column] || used.contains(&column) {
            continue;
        }
        let others = same_name(names, column);
        if others.is_empty() || others.iter().any(|other| used.contains(other)) {
            continue;
        }
        let mut all: Vec<usize> = others.into_iter().chain([column]).collect();
        all.sort_unstable();
        for &c in &all {
            warned[c] = true;
        }
        warnings.push(Warning {
            location: at.to_string(),
            message: format!(
                "the header has the column \"{}\" more than once ({}); csp-planner does not read it",
                names[column],
                positions.list(&all)
            ),
        });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_the_same_name_ignoring_case_and_punctuation() {
        let header = names(&["ResourceId", "Cost", "resource id", "", ""]);
        assert_eq!(same_name(&header, 0), vec![2]);
        assert_eq!(same_name(&header, 3), Vec::<usize>::new(), "empty names are not duplicates");
    }

    #[test]
    fn names_positions_by_number_or_letter() {
        assert_eq!(Positions::Fields.list(&[2, 16]), "columns 3 and 17");
        assert_eq!(Positions::Letters(0).list(&[2, 5, 16]), "columns C, F and Q");
    }

    #[test]
    fn warns_once_per_unused_name() {
        let header = names(&["Id", "Tag", "Note", "TAG", "tag"]);
        let warnings = unused_twice(&header, &[0], "line 1", Positions::Fields);
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].message,
            "the header has the column \"Tag\" more than once (columns 2, 4 and 5); csp-planner does not read it"
        );
    }
}
