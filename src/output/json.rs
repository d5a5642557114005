//! `--format json`: the one way results become JSON. A result type opts in with `impl Json for …` (the domain
//! owns the result and its serde shape; writing it belongs here, beside the other output formats).
//!
//! Every document ends with `sources`: the registry entries (`rules/sources.toml`) its citations name, by key
//! (each citation's `source_key` names them). They are collected while the document is written
//! ([`crate::model::cited::collecting`]), so no second pass over a large document is needed.

use std::io::{BufWriter, Write};

use serde::Serialize;

use crate::model::cited::{self, CitedSources};

/// Pretty JSON with a trailing newline; Decimals are strings (rust_decimal's serde default).
pub fn json<T: Json>(value: &T, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut document = HoldingTail::new(&mut out);
    let (written, sources) = cited::collecting(|| value.write_pretty(&mut document));
    written?;
    document.finish_with_sources(&sources)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A value rendered by [`json`]: exactly `serde_json::to_writer_pretty`'s bytes, however they are
/// produced.
pub trait Json: Serialize {
    fn write_pretty(&self, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}

/// Passes a pretty JSON document through but its last two bytes (the closing `\n}` of an object, or `{}`), so
/// that `sources` can be added as the object's last field once the rest is written.
struct HoldingTail<'a> {
    out: &'a mut dyn Write,
    tail: Vec<u8>,
}

impl<'a> HoldingTail<'a> {
    const HELD: usize = 2;

    fn new(out: &'a mut dyn Write) -> Self {
        HoldingTail { out, tail: Vec::with_capacity(2 * Self::HELD) }
    }

    /// Writes `"sources": {…}` as the document's last field (a document that is not an object is left as is).
    fn finish_with_sources(self, sources: &CitedSources) -> std::io::Result<()> {
        let field = || -> std::io::Result<Vec<u8>> {
            let text = serde_json::to_string_pretty(sources)?;
            // One level deeper than the document's fields; strings escape their newlines, so every raw newline
            // starts a line of the map.
            Ok(format!("\n  \"sources\": {}\n}}", text.replace('\n', "\n  ")).into_bytes())
        };
        match self.tail.as_slice() {
            b"\n}" => {
                self.out.write_all(b",")?;
                self.out.write_all(&field()?)
            }
            b"{}" => {
                self.out.write_all(b"{")?;
                self.out.write_all(&field()?)
            }
            other => self.out.write_all(other),
        }
    }
}

impl Write for HoldingTail<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if bytes.len() >= Self::HELD {
            self.out.write_all(&self.tail)?;
            self.tail.clear();
            let (pass, hold) = bytes.split_at(bytes.len() - Self::HELD);
            self.out.write_all(pass)?;
            self.tail.extend_from_slice(hold);
        } else {
            self.tail.extend_from_slice(bytes);
            let excess = self.tail.len().saturating_sub(Self::HELD);
            self.out.write_all(&self.tail[..excess])?;
            self.tail.drain(..excess);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Cited, SourceEntry};

    #[derive(Serialize)]
    struct Doc {
        name: &'static str,
        #[serde(flatten)]
        source: Cited,
    }
    impl Json for Doc {}

    #[derive(Serialize)]
    struct Empty {}
    impl Json for Empty {}

    fn entry(key: &str) -> Arc<SourceEntry> {
        Arc::new(SourceEntry {
            key: key.to_string(),
            title: "T".to_string(),
            publisher: "P".to_string(),
            url: Some("https://example.org/".to_string()),
            no_public_url: None,
            version: None,
            date: None,
        })
    }

    fn render(value: &impl Json) -> String {
        let mut out = Vec::new();
        json(value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_document_ends_with_the_sources_it_cites() {
        let doc = Doc { name: "x", source: Cited::new("T, p. 1 (https://example.org/)", vec![entry("k")]) };
        let text = render(&doc);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["source_key"], "k");
        assert_eq!(value["sources"]["k"]["url"], "https://example.org/");
        assert!(text.ends_with("  \"sources\": {\n    \"k\": {\n      \"title\": \"T\",\n      \"publisher\": \"P\",\n      \"url\": \"https://example.org/\"\n    }\n  }\n}\n"), "{text}");
        assert_eq!(render(&Empty {}), "{\n  \"sources\": {}\n}\n");
    }
}
