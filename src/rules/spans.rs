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
/// a problem (with line and column), and the entries that parsed are returned. The file is parsed once, keeping
/// spans ([`toml::de::DeTable`]); each entry is deserialised from its spanned value, so an error inside one names
/// the line of the key or value at fault.
pub fn toml_entries<T: DeserializeOwned>(file: &RuleFile, key: &str, problems: &mut Problems) -> Vec<Entry<T>> {
    entries_of(file, key, problems, true)
}

/// [`toml_entries`] of a file that holds several kinds of entries: the caller checks its top-level keys.
pub fn toml_entries_among<T: DeserializeOwned>(file: &RuleFile, key: &str, problems: &mut Problems) -> Vec<Entry<T>> {
    entries_of(file, key, problems, false)
}

fn entries_of<T: DeserializeOwned>(file: &RuleFile, key: &str, problems: &mut Problems, others: bool) -> Vec<Entry<T>> {
    let document = match toml::de::DeTable::parse(&file.text) {
        Ok(document) => document.into_inner(),
        Err(e) => {
            problems.at(e.span().map(|s| line_col(&file.text, s.start)), e.message().to_string());
            return Vec::new();
        }
    };
    for other in document.keys().map(|k| k.get_ref()).filter(|k| others && *k != key) {
        problems.at(None, format!("unknown top-level key `{other}`: the file holds `[[{key}]]` entries only"));
    }
    let Some((_, value)) = document.iter().find(|(k, _)| k.get_ref() == key) else { return Vec::new() };
    let Some(items) = value.get_ref().as_array() else {
        let line = line_of(&file.text, value.span().start);
        problems.line(line, format!("`{key}` must be `[[{key}]]` entries"));
        return Vec::new();
    };
    let mut entries = Vec::new();
    for item in items {
        let line = line_of(&file.text, item.span().start);
        match T::deserialize(toml::de::ValueDeserializer::from(item.clone())) {
            Ok(value) => entries.push(Entry { line, value }),
            Err(e) => problems.line(e.span().map_or(line, |s| line_of(&file.text, s.start)), e.message().to_string()),
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

fn line_of(text: &str, offset: usize) -> u64 {
    text.get(..offset).unwrap_or(text).matches('\n').count() as u64 + 1
}

/// Rows of a rule CSV with the expected header, with their line numbers (see type_tables).
pub(crate) use super::type_tables::read_table;
