//! `rules/sources.toml`: the registry of the documents the rules rely on. Every `source` of a rule file
//! (a `source` key or column, or a `*_source` key) is `<key>: <locator>`, several citations separated by
//! `; ` (each starting with a key): the key names a `[source.<key>]` entry, the locator is what a reader of
//! that document can find (an article's section, a table's row). Loaders resolve a source to what users see
//! ([`Sources::resolve`]); `rules check` reports a source naming no entry ([`check_pack`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::input_kinds::line_col;
use super::{RuleFile, RulePack};
use crate::error::RuleProblem;
use crate::model::{Cited, SourceEntry};

pub const RULE_FILE: &str = "sources.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: BTreeMap<String, RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    publisher: String,
    url: String,
    no_public_url: Option<String>,
    version: Option<String>,
    date: Option<String>,
    licence: Option<String>,
    #[serde(default)]
    inference: bool,
}

/// One document of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    /// `None` when the document has no public URL (`no_public_url` says why).
    pub url: Option<String>,
    pub no_public_url: Option<String>,
    /// The version or date of the document that was read.
    pub version: Option<String>,
    pub licence: Option<String>,
    /// csp-planner's own reasoning: shown as "<title>: <locator>".
    pub inference: bool,
}

/// The registry, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    by_key: BTreeMap<String, Source>,
    /// Each entry as the JSON outputs list it, shared by every citation of it.
    entries: BTreeMap<String, Arc<SourceEntry>>,
}

/// One citation of a source text: the registry key (when the text starts with one) and the locator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'a> {
    pub key: Option<&'a str>,
    pub locator: &'a str,
}

/// The key a citation starts with: lowercase letters, digits and `-`, then `:`.
fn leading_key(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = text.split_once(':')?;
    let valid = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && key.starts_with(|c: char| c.is_ascii_lowercase());
    valid.then(|| (key, rest.trim()))
}

/// Splits a source text into its citations: at each `; ` followed by a key and `:`.
pub fn citations(text: &str) -> Vec<Citation<'_>> {
    let text = text.trim();
    let mut starts = vec![0];
    for (at, _) in text.match_indices("; ") {
        if leading_key(&text[at + 2..]).is_some() {
            starts.push(at + 2);
        }
    }
    let mut parts = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |next| next - 2);
        let part = text[start..end].trim();
        parts.push(match leading_key(part) {
            Some((key, locator)) => Citation { key: Some(key), locator },
            None => Citation { key: None, locator: part },
        });
    }
    parts
}

impl Sources {
    /// Parses `sources.toml`, adding its problems (syntax, unknown keys, an entry without title, publisher or
    /// url/no_public_url) to `list`.
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let raw: RawFile = match toml::from_str(&file.text) {
            Ok(raw) => raw,
            Err(e) => {
                list.push(file.problem(e.span().map(|s| line_col(&file.text, s.start)), e.message().to_string()));
                return Sources::default();
            }
        };
        let (mut by_key, mut entries) = (BTreeMap::new(), BTreeMap::new());
        for (key, raw) in raw.source {
            let at = Some(format!("[source.{key}]"));
            if leading_key(&format!("{key}:")).is_none() {
                list.push(file.problem(at.clone(), "a source key is lowercase letters, digits and `-`"));
            }
            if raw.title.trim().is_empty() || raw.publisher.trim().is_empty() {
                list.push(file.problem(at.clone(), "`title` and `publisher` must not be empty"));
            }
            let url = Some(raw.url.trim().to_string()).filter(|u| !u.is_empty());
            let why = raw.no_public_url.filter(|w| !w.trim().is_empty());
            match (&url, &why) {
                (None, None) => {
                    list.push(file.problem(at.clone(), "give `url`, or `url = \"\"` and `no_public_url` (why)"))
                }
                (Some(_), Some(_)) => {
                    list.push(file.problem(at.clone(), "`no_public_url` is for entries without `url`"))
                }
                _ => {}
            }
            if let Some(url) = &url
                && !url.starts_with("https://")
                && !url.starts_with("http://")
            {
                list.push(file.problem(at.clone(), format!("`url` must be a public http(s) address, not `{url}`")));
            }
            let entry = SourceEntry {
                key: key.clone(),
                title: raw.title.clone(),
                publisher: raw.publisher.clone(),
                url: url.clone(),
                no_public_url: why.clone(),
                version: raw.version.clone(),
                date: raw.date.clone(),
            };
            entries.insert(key.clone(), Arc::new(entry));
            let version = raw.version.or(raw.date);
            let source = Source {
                title: raw.title,
                publisher: raw.publisher,
                url,
                no_public_url: why,
                version,
                licence: raw.licence,
                inference: raw.inference,
            };
            by_key.insert(key, source);
        }
        Sources { by_key, entries }
    }

    pub fn get(&self, key: &str) -> Option<&Source> {
        self.by_key.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }

    /// What users see for a rule's source: each citation as `<title>, <locator> (<url>)` (a document without a
    /// URL: its publisher and date in the parentheses; csp-planner's own choice: `<title>: <locator>`), joined
    /// by `; `. A citation naming no entry is kept as written (`rules check` reports it).
    pub fn resolve(&self, text: &str) -> String {
        let parts: Vec<String> = citations(text)
            .into_iter()
            .map(|c| match c.key.and_then(|k| self.get(k)) {
                Some(source) => source.cite(c.locator),
                None => match c.key {
                    Some(key) => format!("{key}: {}", c.locator),
                    None => c.locator.to_string(),
                },
            })
            .collect();
        parts.join("; ")
    }

    /// A source text resolved ([`Sources::resolve`]) with the registry entries its citations name, in order
    /// (each once).
    pub fn cited(&self, text: &str) -> Cited {
        let mut entries: Vec<Arc<SourceEntry>> = Vec::new();
        for key in citations(text).into_iter().filter_map(|c| c.key) {
            if let Some(entry) = self.entries.get(key)
                && !entries.iter().any(|e| e.key == key)
            {
                entries.push(entry.clone());
            }
        }
        Cited::new(self.resolve(text), entries)
    }

    /// The entry of `key`, as the JSON outputs list it.
    pub fn entry(&self, key: &str) -> Option<&Arc<SourceEntry>> {
        self.entries.get(key)
    }

    /// What is wrong with a source text: an empty one, a citation without a key, a key with no entry.
    pub fn problems(&self, text: &str) -> Vec<String> {
        if text.trim().is_empty() {
            return vec!["the source is empty".to_string()];
        }
        let mut found = Vec::new();
        for citation in citations(text) {
            match citation.key {
                None => found.push(format!(
                    "source `{}` does not start with a key of {RULE_FILE} (`<key>: <locator>`)",
                    shorten(citation.locator)
                )),
                Some(key) if self.get(key).is_none() => {
                    found.push(format!("source key `{key}` is not in {RULE_FILE} (known keys: {})", self.key_list()))
                }
                Some(_) => {}
            }
        }
        found
    }

    fn key_list(&self) -> String {
        let keys: Vec<&str> = self.keys().collect();
        if keys.len() > 12 {
            format!("{}, … ({} in all)", keys[..12].join(", "), keys.len())
        } else {
            keys.join(", ")
        }
    }
}

impl Source {
    /// This document with a locator, as users see it.
    pub fn cite(&self, locator: &str) -> String {
        if self.inference {
            return if locator.is_empty() { self.title.clone() } else { format!("{}: {locator}", self.title) };
        }
        let what = if locator.is_empty() { self.title.clone() } else { format!("{}, {locator}", self.title) };
        match (&self.url, &self.version) {
            (Some(url), _) => format!("{what} ({url})"),
            (None, Some(version)) => format!("{what} ({}, {version})", self.publisher),
            (None, None) => format!("{what} ({})", self.publisher),
        }
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// Every source of every rule file of the pack checked against the registry, with file and line: the
/// `source` column of a CSV, every `source` / `*_source` string of a TOML file. A file that does not parse is
/// left to its own loader, which reports it.
pub fn check_pack(pack: &RulePack, list: &mut Vec<RuleProblem>) {
    list.extend(pack.source_problems().iter().cloned());
    let sources = pack.sources();
    for file in pack.files() {
        if file.name == RULE_FILE {
            continue;
        }
        // An empty source is the loader's to report (every loader requires one).
        for (line, text) in source_texts(file).into_iter().filter(|(_, text)| !text.trim().is_empty()) {
            for message in sources.problems(&text) {
                list.push(file.problem(Some(format!("line {line}")), message));
            }
        }
    }
}

/// The sources a rule file cites, each with its line.
pub fn source_texts(file: &RuleFile) -> Vec<(u64, String)> {
    if file.name.ends_with(".csv") {
        csv_sources(&file.text)
    } else if file.name.ends_with(".toml") {
        toml_sources(&file.text)
    } else {
        Vec::new()
    }
}

fn csv_sources(text: &str) -> Vec<(u64, String)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let Ok(header) = reader.headers() else { return Vec::new() };
    let Some(column) = header.iter().position(|h| h.trim() == "source") else { return Vec::new() };
    let mut found = Vec::new();
    for record in reader.records().flatten() {
        let line = record.position().map_or(0, |p| p.line());
        if let Some(cell) = record.get(column) {
            found.push((line, cell.to_string()));
        }
    }
    found
}

fn toml_sources(text: &str) -> Vec<(u64, String)> {
    let Ok(table) = toml::de::DeTable::parse(text) else { return Vec::new() };
    let mut found = Vec::new();
    walk_table(text, table.get_ref(), &mut found);
    found.sort_by_key(|(line, _)| *line);
    found
}

fn walk_table(text: &str, table: &toml::de::DeTable, found: &mut Vec<(u64, String)>) {
    for (key, value) in table.iter() {
        let key = key.get_ref();
        if let toml::de::DeValue::String(s) = value.get_ref()
            && (key == "source" || key.ends_with("_source"))
        {
            let line = text.get(..value.span().start).unwrap_or(text).matches('\n').count() as u64 + 1;
            found.push((line, s.to_string()));
        }
        walk_value(text, value.get_ref(), found);
    }
}

fn walk_value(text: &str, value: &toml::de::DeValue, found: &mut Vec<(u64, String)>) {
    match value {
        toml::de::DeValue::Table(table) => walk_table(text, table, found),
        toml::de::DeValue::Array(items) => {
            for item in items.iter() {
                walk_value(text, item.get_ref(), found);
            }
        }
        _ => {}
    }
}

/// Asserts that each citation made in code (`<key>: <locator>`) names entries of the embedded registry.
#[cfg(test)]
pub fn assert_names_registry_entries(texts: &[&str]) {
    let sources = crate::rules::Rules::embedded().sources();
    for text in texts {
        let problems = sources.problems(text);
        assert!(problems.is_empty(), "{text}: {problems:?}");
        assert!(!sources.cited(text).entries().is_empty(), "{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_citations_at_keys_only() {
        let parts = citations("csp-available-services: table row \"Cloud Services\"; a; b; move-support-csv: row x");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].key, Some("csp-available-services"));
        assert_eq!(parts[0].locator, "table row \"Cloud Services\"; a; b");
        assert_eq!(parts[1], Citation { key: Some("move-support-csv"), locator: "row x" });
        assert_eq!(citations("free text")[0].key, None);
    }

    /// Every source of every embedded rule file names an entry of the embedded registry.
    #[test]
    fn every_embedded_source_resolves() {
        let pack = RulePack::embedded();
        let mut list = Vec::new();
        let sources = Sources::parse(pack.file(RULE_FILE).unwrap(), &mut list);
        assert!(list.is_empty(), "{list:?}");
        let (mut checked, mut wrong) = (0, Vec::new());
        for file in pack.files() {
            for (line, text) in source_texts(file) {
                checked += 1;
                for problem in sources.problems(&text) {
                    wrong.push(format!("{} line {line}: {problem}", file.name));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(checked > 1000, "only {checked} sources found");
    }

    #[test]
    fn resolves_to_title_locator_and_url() {
        let pack = RulePack::embedded();
        let sources = pack.sources();
        let text = sources.resolve("move-support-resources: \"Microsoft.Compute\"; csp-planner-choice: a guess");
        assert_eq!(
            text,
            "Move operation support for resources, \"Microsoft.Compute\" \
             (https://learn.microsoft.com/azure/azure-resource-manager/management/move-support-resources); \
             csp-planner's own choice: a guess"
        );
        assert_eq!(sources.resolve("nowhere: x"), "nowhere: x");
        assert_eq!(sources.problems("nowhere: x").len(), 1);
        assert_eq!(sources.problems("seed 002 L1").len(), 1);
    }
}
