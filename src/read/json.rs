//! Resource lists as JSON: `az resource list -o json` (an array) and Azure Resource Graph
//! (`az graph query` output: an object with a `data` array, or a plain array). Also accepted: an ARM
//! REST list response (`{"value": [...]}`).
//!
//! The document is streamed: the resource array is deserialized one element at a time, and each
//! element becomes a [`Resource`] before the next one is read, so the document is never held in
//! memory as a whole (neither as text nor as one `serde_json::Value`). Everything outside the
//! resource array (the `count`, `skip_token`, `facets` … of an envelope) is still parsed as JSON
//! values and dropped, so any syntax error anywhere in the file is reported exactly as a whole-document
//! parse would report it.
//!
//! The format is decided as the whole document is read, with the same rules as before streaming
//! (see [`read`]): an object with a `data` array is `arg-json`; else an object with a `value` array is
//! `az-json`; an array is `arg-json` when *any* of its elements is an object that carries `tenantId`
//! or `subscriptionId` (Resource Graph puts both on every row; `az resource list` neither), else
//! `az-json`. Nothing is decided from the first element alone: the flag is collected while the
//! elements stream past, so the answer is the same as before.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::locations::Locations;
use super::{Outcome, ReadContext};
use crate::error::{InputError, Result};
use crate::model::json_scalars::scalar_values;
use crate::model::{CompactJson, Resource, Warning, resource_id};
use crate::rules::path_set::PathSet;

/// Reads a JSON resource list from `reader`, element by element, into `outcome`.
///
/// Returns the format the document's shape says it is (`arg-json` or `az-json`), or `None` when the
/// document is JSON but not a list of resources (a scalar, or an object with neither a `data` nor a
/// `value` array); the caller turns `None` into the error it prefers. In that case `outcome` is left
/// untouched.
///
/// Errors: the text cannot be read (an I/O error, or bytes that are not UTF-8 anywhere in the file:
/// "cannot read as text: …"), which wins over a syntax error as it did when the whole text was read
/// first; else a syntax error, with its line and column ("malformed JSON: …").
pub fn read(reader: Box<dyn Read + Send>, ctx: &ReadContext, outcome: &mut Outcome) -> Result<Option<&'static str>> {
    let path = ctx.path.as_path();
    let freeze = Cell::new(false);
    let mut text = Utf8Reader::new(reader, Freeze(&freeze));
    let parsed = {
        // `Utf8Reader` buffers, so serde_json's byte-at-a-time reads are cheap.
        let mut deserializer = serde_json::Deserializer::from_reader(&mut text);
        DocumentSeed { ctx, freeze: Freeze(&freeze) }.deserialize(&mut deserializer).and_then(|shape| {
            deserializer.end()?;
            Ok(shape)
        })
    };
    let shape = match parsed {
        Ok(shape) => shape,
        Err(e) => {
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
    };
    match shape {
        Shape::Array(list, any_arg_keys) => {
            absorb(outcome, list.outcome);
            Ok(Some(if any_arg_keys { "arg-json" } else { "az-json" }))
        }
        Shape::Envelope { data: Some(data), .. } => {
            absorb(outcome, data.outcome);
            Ok(Some("arg-json"))
        }
        Shape::Envelope { data: None, value: Some(value) } => {
            absorb(outcome, value.outcome);
            Ok(Some("az-json"))
        }
        Shape::Envelope { data: None, value: None } | Shape::Other => Ok(None),
    }
}

/// The error for a document that is JSON but not a resource list, when the format was forced.
pub fn not_a_list(path: &Path) -> crate::error::Error {
    InputError::new(
        path,
        "expected a JSON array of resources (az resource list), or an object with a \"data\" array (Resource Graph) or a \"value\" array (ARM REST)",
    )
    .into()
}

fn unreadable(path: &Path, error: &io::Error) -> crate::error::Error {
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

/// What the top level of the document turned out to be.
enum Shape {
    /// A plain array; `true` when an element carries `tenantId` or `subscriptionId`.
    Array(List, bool),
    /// An object; `data` and `value` hold what their arrays produced (the last occurrence of a key
    /// counts, as in a `serde_json::Map`), `None` when the key is missing or not an array.
    Envelope { data: Option<List>, value: Option<List> },
    /// A scalar.
    Other,
}

/// What one resource array produced.
struct List {
    outcome: Outcome,
}

/// The whole document.
struct DocumentSeed<'a> {
    ctx: &'a ReadContext<'a>,
    freeze: Freeze<'a>,
}

/// Shared between the visitors and the reader: once a visitor sees a parse error, the reader hands
/// out nothing more. serde_json goes on to look for the closing `]` / `}` of each enclosing
/// container after an error (and then drops what it found); freezing keeps the reader where the
/// error came up, for [`Utf8Reader::parse_position`].
#[derive(Clone, Copy)]
struct Freeze<'a>(&'a Cell<bool>);

impl Freeze<'_> {
    fn on_error<T, E>(self, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            self.0.set(true);
        }
        result
    }
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Implements the scalar `visit_*` methods of a visitor as "consume it, and answer `$other`".
macro_rules! scalars_are {
    ($other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i128<E: de::Error>(self, _: i128) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u128<E: de::Error>(self, _: u128) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
    };
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_are!(Shape::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        let (list, any_arg_keys) = stream(seq, "", self.ctx, self.freeze)?;
        Ok(Shape::Array(list, any_arg_keys))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let (mut data, mut value) = (None, None);
        let (ctx, freeze) = (self.ctx, self.freeze);
        while let Some(key) = freeze.on_error(map.next_key::<String>())? {
            match key.as_str() {
                "data" => data = freeze.on_error(map.next_value_seed(ListSeed { pointer: "/data", ctx, freeze }))?,
                "value" => value = freeze.on_error(map.next_value_seed(ListSeed { pointer: "/value", ctx, freeze }))?,
                // Parsed as a value (not skipped) so that it is checked exactly as before.
                _ => drop(freeze.on_error(map.next_value_seed(ValueSeed(freeze)))?),
            }
        }
        Ok(Shape::Envelope { data, value })
    }
}

/// The `data` or `value` member of an envelope: a list when it is an array, else `None`.
struct ListSeed<'a> {
    pointer: &'static str,
    ctx: &'a ReadContext<'a>,
    freeze: Freeze<'a>,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = Option<List>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<List>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = Option<List>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_are!(None);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<List>, A::Error> {
        Ok(Some(stream(seq, self.pointer, self.ctx, self.freeze)?.0))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<List>, A::Error> {
        while let Some(_key) = self.freeze.on_error(map.next_key::<String>())? {
            drop(self.freeze.on_error(map.next_value_seed(ValueSeed(self.freeze)))?);
        }
        Ok(None)
    }
}

/// A `serde_json::Value`, built as `Value`'s own `Deserialize` builds it, but freezing the reader
/// at the innermost level where an error comes up (see [`Freeze`]).
#[derive(Clone, Copy)]
struct ValueSeed<'a>(Freeze<'a>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    scalar_values!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = self.0.on_error(seq.next_element_seed(self))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut values = serde_json::Map::new();
        while let Some(key) = self.0.on_error(map.next_key::<String>())? {
            let value = self.0.on_error(map.next_value_seed(self))?;
            values.insert(key, value);
        }
        Ok(Value::Object(values))
    }
}

/// Converts the elements of one resource array as they are read. Returns what they produced and
/// whether any element is an object with a `tenantId` or `subscriptionId` key (of any value).
fn stream<'de, A: SeqAccess<'de>>(
    mut seq: A,
    pointer: &str,
    ctx: &ReadContext,
    freeze: Freeze,
) -> Result<(List, bool), A::Error> {
    let mut outcome = Outcome::default();
    let mut any_arg_keys = false;
    let mut index = 0usize;
    while let Some(item) = freeze.on_error(seq.next_element_seed(ValueSeed(freeze)))? {
        if let Value::Object(map) = &item {
            any_arg_keys = any_arg_keys || map.contains_key("tenantId") || map.contains_key("subscriptionId");
        }
        let location = format!("element {pointer}/{index}");
        index += 1;
        outcome.rows += 1;
        match resource_from(item, ctx.keep_properties, &ctx.locations) {
            Ok(resource) => outcome.push(resource, location, &ctx.display),
            Err(message) => outcome.warnings.push(Warning { location, message: format!("skipped: {message}") }),
        }
    }
    Ok((List { outcome }, any_arg_keys))
}

/// The text of the document as UTF-8, checked as it streams past: the first I/O error, or bytes
/// that are not UTF-8, stop the parse with an I/O error, and [`Utf8Reader::finish`] tells which.
struct Utf8Reader<'a> {
    inner: Box<dyn Read + Send>,
    buffer: Box<[u8]>,
    /// `buffer[served..ready]` is checked text not yet handed out; `buffer[ready..filled]` is the
    /// start of a character cut by the end of the last read.
    served: usize,
    ready: usize,
    filled: usize,
    /// An error from the underlying reader.
    failed: Option<io::Error>,
    /// Bytes that are not UTF-8 were met.
    invalid: bool,
    /// Where `buffer[0]` sits in the text, and where the last newline before it is (for error
    /// positions).
    base: u64,
    last_newline: Option<u64>,
    /// The end of the text was met.
    eof_seen: bool,
    /// Set when a parse error came up: nothing more is handed out.
    frozen: Freeze<'a>,
}

const NOT_UTF8: &str = "stream did not contain valid UTF-8";

impl<'a> Utf8Reader<'a> {
    fn new(inner: Box<dyn Read + Send>, frozen: Freeze<'a>) -> Self {
        Utf8Reader {
            inner,
            buffer: vec![0; 64 * 1024].into_boxed_slice(),
            served: 0,
            ready: 0,
            filled: 0,
            failed: None,
            invalid: false,
            base: 0,
            last_newline: None,
            eof_seen: false,
            frozen,
        }
    }

    /// The line and column of a parse error as parsing the whole text at once reports them.
    ///
    /// Reading from a stream, serde_json counts a byte it has only peeked at as read. All errors but
    /// one are raised where both ways agree; "number out of range" is mostly raised after peeking at
    /// the byte that ends the number, so it comes out one column further (or at column 0 of the next
    /// line when that byte is a newline). This puts it back on the number's last byte. It relies on
    /// the reader having been frozen when the error came up (see [`Freeze`]), so that the last
    /// byte handed out is the peeked one.
    fn parse_position(&self, error: &serde_json::Error) -> (usize, usize) {
        let (line, column) = (error.line(), error.column());
        let out_of_range = error.is_syntax() && error.to_string().starts_with("number out of range");
        if !out_of_range || self.eof_seen || self.served == 0 {
            return (line, column);
        }
        let peeked = self.served - 1;
        if self.buffer[peeked].is_ascii_digit() {
            // Raised right after eating a digit (an exponent too large to count): no byte was peeked.
            return (line, column);
        }
        if self.buffer[peeked] != b'\n' {
            return (line, column.saturating_sub(1));
        }
        let column = match self.buffer[..peeked].iter().rposition(|&b| b == b'\n') {
            Some(newline) => peeked - newline - 1,
            None => (self.base + peeked as u64 - self.last_newline.map_or(0, |n| n + 1)) as usize,
        };
        (line.saturating_sub(1), column)
    }

    /// After a parse error: reads the rest of the input (as reading the whole text did) and returns
    /// the error that reading it as text gives, if any: an I/O error first, else invalid UTF-8.
    fn finish(&mut self) -> Option<io::Error> {
        if self.failed.is_none() {
            let mut sink = [0u8; 64 * 1024];
            loop {
                match self.inner.read(&mut sink) {
                    Ok(0) => break,
                    Ok(n) => {
                        if !self.invalid {
                            // Only whether the bytes are UTF-8 matters now; a character cut by a
                            // chunk boundary is rare, so the tail is carried in a small buffer.
                            self.check_tail(&sink[..n]);
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.failed = Some(e);
                        break;
                    }
                }
            }
            if !self.invalid && self.filled > self.ready {
                self.invalid = true;
            }
        }
        match self.failed.take() {
            Some(e) => Some(e),
            None if self.invalid => Some(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8)),
            None => None,
        }
    }

    /// Checks `bytes` that follow what was read so far (used by [`Utf8Reader::finish`]).
    fn check_tail(&mut self, bytes: &[u8]) {
        let mut pending: Vec<u8> = self.buffer[self.ready..self.filled].to_vec();
        pending.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&pending) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => pending.len() - e.valid_up_to(),
            Err(_) => {
                self.invalid = true;
                return;
            }
        };
        let tail = &pending[pending.len() - keep..];
        self.buffer[..keep].copy_from_slice(tail);
        (self.served, self.ready, self.filled) = (0, 0, keep);
    }

    fn refill(&mut self) -> io::Result<()> {
        let handed_out = &self.buffer[..self.ready];
        // Counting first is fast on long lines; `rposition` is then quick as a newline is near.
        if handed_out.iter().filter(|&&b| b == b'\n').count() > 0 {
            self.last_newline = handed_out.iter().rposition(|&b| b == b'\n').map(|i| self.base + i as u64);
        }
        self.base += self.ready as u64;
        self.buffer.copy_within(self.ready..self.filled, 0);
        self.filled -= self.ready;
        (self.served, self.ready) = (0, 0);
        while self.ready == 0 {
            let read = match self.inner.read(&mut self.buffer[self.filled..]) {
                Ok(read) => read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let reported = io::Error::new(e.kind(), e.to_string());
                    self.failed = Some(e);
                    return Err(reported);
                }
            };
            if read == 0 {
                if self.filled > 0 {
                    self.invalid = true;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
                }
                return Ok(());
            }
            self.filled += read;
            match std::str::from_utf8(&self.buffer[..self.filled]) {
                Ok(_) => self.ready = self.filled,
                Err(e) if e.error_len().is_none() => self.ready = e.valid_up_to(),
                Err(_) => {
                    self.invalid = true;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
                }
            }
        }
        Ok(())
    }
}

impl Read for Utf8Reader<'_> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.frozen.0.get() {
            return Err(io::Error::other("stopped after a parse error"));
        }
        if self.invalid || self.failed.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, NOT_UTF8));
        }
        if self.served == self.ready {
            self.refill()?;
            if self.ready == 0 {
                self.eof_seen = true;
                return Ok(0);
            }
        }
        let n = out.len().min(self.ready - self.served);
        out[..n].copy_from_slice(&self.buffer[self.served..self.served + n]);
        self.served += n;
        Ok(n)
    }
}

/// One resource from its JSON object. `keep`: the paths of `properties` the commands's rules can read; the
/// rest is dropped here, as the element streams past, so an estate's properties are never held whole.
fn resource_from(item: Value, keep: Option<&PathSet>, locations: &Locations) -> Result<Resource, String> {
    let Value::Object(mut map) = item else {
        return Err("not a JSON object".to_string());
    };
    let mut text = |key: &str| match map.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
    let id = text("id").ok_or("no \"id\" string")?;
    let parsed = resource_id::parse(&id);
    let resource_type = text("type")
        .or_else(|| parsed.as_ref().map(|p| p.resource_type.clone()))
        .ok_or("no \"type\" string and the id is not a Resource Manager ID")?;
    let name = text("name").or_else(|| parsed.as_ref().map(|p| p.name.clone())).unwrap_or_else(|| id.clone());
    let mut resource = Resource::new(id, name, resource_type);
    resource.resource_group = text("resourceGroup").or_else(|| parsed.as_ref().and_then(|p| p.resource_group.clone()));
    resource.subscription_id =
        text("subscriptionId").or_else(|| parsed.as_ref().and_then(|p| p.subscription_id.clone()));
    resource.location = text("location").map(|l| locations.arm(&l));
    resource.kind = text("kind");
    resource.sku = compact(map.remove("sku"));
    resource.tags = match map.remove("tags") {
        Some(Value::Object(tags)) => tags
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Default::default(),
    };
    let properties = map.remove("properties");
    resource.properties = compact(match keep {
        Some(paths) => properties.map(|value| paths.prune(value)),
        None => properties,
    });
    resource.plan = compact(map.remove("plan"));
    Ok(resource)
}

/// A member that is present and not null, as the text a resource keeps (see [`CompactJson`]).
fn compact(value: Option<Value>) -> Option<CompactJson> {
    value.filter(|v| !v.is_null()).as_ref().map(CompactJson::new)
}
