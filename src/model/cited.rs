//! A rule's citation as it reaches the outputs: the text users see (`<title>, <locator> (<url>)`, resolved
//! from `rules/sources.toml` at load time) and the registry entries it cites, so that JSON can name the key
//! of each citation (`source_key`) and list the entries a document cites (`sources`) without parsing text.
//!
//! A [`Cited`] field is written into its object with `#[serde(flatten)]`: it adds `"source"` (the text) and,
//! when the citation names registry entries, `"source_key"` right after it (the keys in citation order, joined
//! by `; `). Every `Cited` that is written registers its entries with the thread's collector, which
//! `--format json` opens around a document ([`collecting`]) and writes as the document's `sources`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// One entry of the sources registry, as JSON's `sources` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceEntry {
    #[serde(skip)]
    pub key: String,
    pub title: String,
    pub publisher: String,
    /// `null` when the document has no public URL (`no_public_url` says why).
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A citation: the text users see and the registry entries it names, in citation order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited {
    text: String,
    entries: Vec<Arc<SourceEntry>>,
}

impl Cited {
    pub fn new(text: impl Into<String>, entries: Vec<Arc<SourceEntry>>) -> Self {
        Cited { text: text.into(), entries }
    }

    /// No citation (a fallback that is never shown: see its uses).
    pub const fn empty() -> Self {
        Cited { text: String::new(), entries: Vec::new() }
    }

    /// A text that cites no registry entry (a test's, or a provenance).
    pub fn text_only(text: impl Into<String>) -> Self {
        Cited { text: text.into(), entries: Vec::new() }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The same entries behind another text (the citation with its rule file and line in front).
    pub fn with_text(&self, text: impl Into<String>) -> Self {
        Cited { text: text.into(), entries: self.entries.clone() }
    }

    /// The keys cited, in order, joined by `; `; `None` when the text names no entry.
    pub fn key(&self) -> Option<String> {
        let keys: Vec<&str> = self.entries.iter().map(|e| e.key.as_str()).collect();
        (!keys.is_empty()).then(|| keys.join("; "))
    }

    pub fn entries(&self) -> &[Arc<SourceEntry>] {
        &self.entries
    }

    /// This citation followed by `other`: the texts joined by `; `, the entries in order, each once.
    pub fn and(&self, other: &Cited) -> Cited {
        Cited::join([self, other])
    }

    /// Several citations as one: the texts joined by `; `, the entries in order, each once.
    pub fn join<'a>(parts: impl IntoIterator<Item = &'a Cited>) -> Cited {
        let mut joined = Cited::default();
        for part in parts {
            if !joined.text.is_empty() {
                joined.text.push_str("; ");
            }
            joined.text.push_str(&part.text);
            for entry in &part.entries {
                if !joined.entries.iter().any(|e| e.key == entry.key) {
                    joined.entries.push(entry.clone());
                }
            }
        }
        joined
    }
}

impl std::ops::Deref for Cited {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Cited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<Cited> for String {
    fn from(cited: Cited) -> String {
        cited.text
    }
}

/// Written flattened into its object: `"source"` and, when it cites entries, `"source_key"`.
impl Serialize for Cited {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        register(&self.entries);
        let key = self.key();
        let mut map = serializer.serialize_map(Some(1 + usize::from(key.is_some())))?;
        map.serialize_entry("source", &self.text)?;
        if let Some(key) = key {
            map.serialize_entry("source_key", &key)?;
        }
        map.end()
    }
}

/// The entries a document cites, by key.
pub type CitedSources = BTreeMap<String, Arc<SourceEntry>>;

thread_local! {
    /// The entries cited by what this thread has serialized since [`collecting`] began; `None` outside it.
    static COLLECTED: RefCell<Option<CitedSources>> = const { RefCell::new(None) };
}

fn register(entries: &[Arc<SourceEntry>]) {
    COLLECTED.with(|collected| {
        if let Some(map) = collected.borrow_mut().as_mut() {
            for entry in entries {
                map.entry(entry.key.clone()).or_insert_with(|| entry.clone());
            }
        }
    });
}

/// Adds entries collected elsewhere (another thread's part of the same document) to this thread's collector.
pub fn register_all(sources: &CitedSources) {
    for entry in sources.values() {
        register(std::slice::from_ref(entry));
    }
}

/// Runs `write` (which serializes a document) and returns what it returned with the entries its citations
/// named. Nested calls each get their own entries and pass them on to the enclosing one.
pub fn collecting<R>(write: impl FnOnce() -> R) -> (R, CitedSources) {
    let outer = COLLECTED.with(|collected| collected.borrow_mut().replace(CitedSources::new()));
    let result = write();
    let sources = COLLECTED.with(|collected| {
        let mut collected = collected.borrow_mut();
        let mine = collected.take().unwrap_or_default();
        *collected = outer;
        mine
    });
    register_all(&sources);
    (result, sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str) -> Arc<SourceEntry> {
        Arc::new(SourceEntry {
            key: key.to_string(),
            title: format!("Title {key}"),
            publisher: "Microsoft Learn".to_string(),
            url: None,
            no_public_url: Some("none".to_string()),
            version: None,
            date: None,
        })
    }

    #[derive(Serialize)]
    struct Row {
        code: &'static str,
        #[serde(flatten)]
        source: Cited,
        rule: &'static str,
    }

    #[test]
    fn writes_the_key_beside_the_text_and_collects_the_entries() {
        let row = Row { code: "X", source: Cited::new("T", vec![entry("b"), entry("a")]), rule: "r" };
        let (text, sources) = collecting(|| serde_json::to_string(&row).unwrap());
        assert_eq!(text, r#"{"code":"X","source":"T","source_key":"b; a","rule":"r"}"#);
        assert_eq!(sources.keys().collect::<Vec<_>>(), ["a", "b"]);
        let plain = Row { code: "X", source: Cited::text_only("T"), rule: "r" };
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"code":"X","source":"T","rule":"r"}"#);
    }
}
