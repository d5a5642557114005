//! Resource lists as JSON, whatever tool wrote them: `az resource list -o json`, Azure Resource Graph
//! (`az graph query`'s `{count, data, skip_token}`, `Search-AzGraph`), `Get-AzResource | ConvertTo-Json`
//! (PascalCase keys), ARM REST pages (`{value, nextLink}`, one or an array of them) and JSON Lines (one resource
//! per line). Keys are read with the spellings of `[json_keys]` in `rules/input-kinds.toml`, ignoring case.
//!
//! The document is streamed: each resource array is deserialized one element at a time, and each element
//! becomes a [`crate::model::Resource`] before the next one is read, so the document is never held in memory as
//! a whole (neither as text nor as one `serde_json::Value`). The shapes are walked in [`document`], each element
//! read in [`element`], and what the elements showed gathered in [`collect`], which also decides the kind
//! (`[[json_kind]]`: envelope keys and key signatures, in the rule file's order, from every element, never from
//! the first alone).

mod collect;
mod document;
mod element;
mod utf8;

use std::cell::Cell;
use std::io::{self, Read};
use std::path::Path;

use serde::de::DeserializeSeed;

use super::{Outcome, ReadContext};
use crate::error::{InputError, Result};
use collect::Collector;
use document::{TopSeed, Walk};
use utf8::{Freeze, NewlinesRead, Utf8Reader, ValueStart, ValueTooLong};

/// Reads a JSON resource list from `reader`, element by element, into `outcome`.
///
/// Returns the id of the kind the document is (`[[json_kind]]`), or `None` when the document is JSON but not a
/// list of resources (a scalar); the caller turns `None` into the error it prefers. In that case `outcome` is
/// left untouched. An empty list is not an error: it gives no rows and a "no resources" warning.
///
/// Errors: the text cannot be read (an I/O error, or bytes that are not UTF-8 anywhere in the file:
/// "cannot read as text: …"), which wins over a syntax error as it did when the whole text was read
/// first; else a syntax error, with its line and column ("malformed JSON: …"); else no element could be
/// read as a resource (the first few, with why).
pub fn read(reader: Box<dyn Read + Send>, ctx: &ReadContext, outcome: &mut Outcome) -> Result<Option<String>> {
    let path = ctx.path.as_path();
    let (frozen, newlines, started) = (Cell::new(false), Cell::new(0), Cell::new(true));
    let (freeze, newlines, value_start) = (Freeze(&frozen), NewlinesRead(&newlines), ValueStart(&started));
    let mut text = Utf8Reader::new(reader, freeze, newlines, value_start);
    let mut collector = Collector::new(ctx);
    let parsed = {
        // `Utf8Reader` buffers, so serde_json's byte-at-a-time reads are cheap.
        let mut deserializer = serde_json::Deserializer::from_reader(&mut text);
        read_values(&mut deserializer, &mut collector, Signals { freeze, newlines, value_start })
    };
    if let Err(e) = parsed {
        // Reading the whole text came first before streaming: an I/O or UTF-8 error anywhere in
        // the file wins over a syntax error met earlier.
        let (line, column) = text.parse_position(&e);
        if let Some(read_error) = text.finish() {
            return Err(unreadable(path, &read_error));
        }
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = e.to_string();
        let reason = message.strip_suffix(&suffix).unwrap_or(&message);
        return Err(InputError::new(path, format!("malformed JSON: {reason} at line {line} column {column}"))
            .at(format!("line {line}, column {column}"))
            .into());
    }
    match collector.finish(path)? {
        Some((read, kind)) => {
            absorb(outcome, read);
            Ok(Some(kind))
        }
        None => Ok(None),
    }
}

/// Reads the top-level values one after another: one for a JSON document, one a line for JSON Lines.
/// What the visitors and the reader share (see [`utf8`]).
struct Signals<'a> {
    freeze: Freeze<'a>,
    newlines: NewlinesRead<'a>,
    value_start: ValueStart<'a>,
}

fn read_values<R: io::Read>(
    deserializer: &mut serde_json::Deserializer<serde_json::de::IoRead<R>>,
    collector: &mut Collector,
    signals: Signals,
) -> serde_json::Result<()> {
    let Signals { freeze, newlines, value_start } = signals;
    let mut index = 0;
    loop {
        value_start.mark();
        let walk = Walk { collector: &mut *collector, freeze, newlines, value_start };
        TopSeed { walk, index }.deserialize(&mut *deserializer)?;
        match deserializer.end() {
            Ok(()) => return Ok(()),
            // Another value follows (the byte that starts it is only peeked at, so it is read next).
            Err(e) if e.is_syntax() && e.to_string().starts_with("trailing characters") => index += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The error for a document that is JSON but not a resource list, when the format was forced.
pub fn not_a_list(path: &Path) -> crate::error::Error {
    InputError::new(
        path,
        "expected a JSON array of resources (az resource list, Get-AzResource | ConvertTo-Json), an object with a \
         \"data\" array (Resource Graph) or a \"value\" array (ARM REST), one resource object, or JSON Lines",
    )
    .into()
}

fn unreadable(path: &Path, error: &io::Error) -> crate::error::Error {
    if let Some(ValueTooLong { line }) = error.get_ref().and_then(|e| e.downcast_ref::<ValueTooLong>()) {
        return InputError::new(
            path,
            format!(
                "one value (a resource, or one line of JSON Lines) is longer than {} MiB, the most one may take: \
                 the file is not a resource list",
                utf8::MAX_VALUE_BYTES >> 20
            ),
        )
        .at(format!("line {line}"))
        .into();
    }
    InputError::new(path, format!("cannot read as text: {error}")).into()
}

/// Moves `from` into `into` (which is normally still empty: then no resource is copied).
fn absorb(into: &mut Outcome, mut from: Outcome) {
    into.rows += from.rows;
    if into.resources.is_empty() {
        std::mem::swap(&mut into.resources, &mut from.resources);
    } else {
        into.resources.append(&mut from.resources);
    }
    into.warnings.append(&mut from.warnings);
}
