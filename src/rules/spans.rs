//! Shared pieces of the rule-file loaders: problems with file and line, TOML entries with spans.

use serde::de::DeserializeOwned;

use super::RuleFile;
use super::input_kinds::line_col;
use crate::error::RuleProblem;

/// Collects problems of one rule file.
pub struct Problems<'a> {
    pub file: &'a RuleFile,
    pub list: &'a mut Vec<RuleProblem>,
}

impl Problems<'_> {
    pub fn at(&mut self, location: Option<String>, message: impl Into<String>) {
        self.list.push(self.file.problem(location, message));
    }

    pub fn line(&mut self, line: u64, message: impl Into<String>) {
        self.at(Some(format!("line {line}")), message);
    }
}

/// One TOML array-of-tables entry with the line it starts on.
pub struct Entry<T> {
    pub line: u64,
    pub value: T,
}

/// Parses `[[key]]` entries of a TOML rule file, each with its line; a syntax error or a bad entry is
/// a problem (with line and column), and the entries that parsed are returned.
pub fn toml_entries<T: DeserializeOwned>(file: &RuleFile, key: &str, problems: &mut Problems) -> Vec<Entry<T>> {
    let table: toml::Table = match toml::from_str(&file.text) {
        Ok(table) => table,
        Err(e) => {
            problems.at(e.span().map(|s| line_col(&file.text, s.start)), e.message().to_string());
            return Vec::new();
        }
    };
    for other in table.keys().filter(|k| *k != key) {
        problems.at(None, format!("unknown top-level key `{other}`: the file holds `[[{key}]]` entries only"));
    }
    // Parse again with spans, so every entry (and every error inside one) knows its line.
    let raw: std::collections::BTreeMap<String, Vec<toml::Spanned<toml::Value>>> =
        toml::from_str(&file.text).unwrap_or_default();
    let mut entries = Vec::new();
    for spanned in raw.get(key).map(Vec::as_slice).unwrap_or_default() {
        let line = line_of(&file.text, spanned.span().start);
        match spanned.get_ref().clone().try_into::<T>() {
            Ok(value) => entries.push(Entry { line, value }),
            Err(e) => {
                // The entry runs from its header to the next `[[` header (its span may cover the header only).
                let rest = file.text.get(spanned.span().start..).unwrap_or_default();
                let entry_text = rest.get(1..).and_then(|r| r.find("\n[[")).map_or(rest, |end| &rest[..end + 1]);
                let at = offending_line(entry_text, e.message()).map_or(line, |offset| line + offset);
                problems.line(at, e.message().to_string())
            }
        }
    }
    entries
}

/// Reports an entry whose type and `when` an earlier entry already has; true when it is one.
pub fn is_duplicate<'w>(
    problems: &mut Problems,
    line: u64,
    resource_type: &str,
    mut earlier: impl Iterator<Item = &'w Option<super::predicate::When>>,
    when: &Option<super::predicate::When>,
) -> bool {
    let duplicate = earlier.any(|other| other == when);
    if duplicate {
        problems.line(line, format!("duplicate entry: `{resource_type}` with the same `when` is already listed"));
    }
    duplicate
}

/// The line, counted from the entry's first, that an error about one entry names: serde says
/// "unknown field `severity`" or "unknown variant `MAYBE`"; the line that holds that key or value.
fn offending_line(entry_text: &str, message: &str) -> Option<u64> {
    let token = message.split('`').nth(1)?;
    entry_text
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(&format!("{token} "))
                || l.starts_with(&format!("{token}="))
                || l.contains(&format!("\"{token}\""))
        })
        .map(|index| index as u64)
}

fn line_of(text: &str, offset: usize) -> u64 {
    text.get(..offset).unwrap_or(text).matches('\n').count() as u64 + 1
}

/// Rows of a rule CSV with the expected header, with their line numbers (see type_tables).
pub(crate) use super::type_tables::read_table;
