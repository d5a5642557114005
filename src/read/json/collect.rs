//! What a JSON resource list produced, gathered as its elements stream past: the resources, which kind the
//! elements' keys and envelopes point to, and the findings that become one summarised warning each (skipped
//! elements, values cut off by `ConvertTo-Json`, missing properties, unreadable tags).

use std::path::Path;

use serde_json::Value;

use super::element::{Notes, resource_from};
use crate::error::{InputError, Result};
use crate::model::Warning;
use crate::read::{Outcome, ReadContext};
use crate::rules::json_kinds::{JsonField, JsonKind, JsonKinds};

/// How many places a summarised warning or error lists.
const SHOWN: usize = 3;

/// Something met in several elements: how many, and the first few places (with what was found there).
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    first: Vec<(String, String)>,
}

impl Tally {
    fn add(&mut self, location: &str, what: impl FnOnce() -> String) {
        self.count = self.count.saturating_add(1);
        if self.first.len() < SHOWN {
            self.first.push((location.to_string(), what()));
        }
    }

    /// "element /1: reason; element /4: reason (and 3 more)".
    fn listed(&self) -> String {
        let mut text =
            self.first.iter().map(|(location, what)| format!("{location}: {what}")).collect::<Vec<_>>().join("; ");
        let more = self.count.saturating_sub(self.first.len() as u64);
        if more > 0 {
            text.push_str(&format!(" (and {more} more)"));
        }
        text
    }

    fn locations_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.first.iter_mut().map(|(location, _)| location)
    }
}

pub(super) struct Collector<'c> {
    ctx: &'c ReadContext<'c>,
    kinds: &'c JsonKinds,
    outcome: Outcome,
    /// Per kind of `kinds.kinds`: an element carried its signature, or its envelope held resources.
    matched: Vec<bool>,
    /// Top-level values begun so far (more than one: JSON Lines), and the line the first began on.
    values: usize,
    first_line: u64,
    /// The only top-level value was a scalar: not a resource list at all.
    top_scalar: bool,
    /// "line N, " before each location once the file turns out to be JSON Lines.
    prefix: String,
    skipped: Tally,
    depth_cut: Tally,
    tags_unreadable: Tally,
    properties: bool,
}

impl<'c> Collector<'c> {
    pub fn new(ctx: &'c ReadContext<'c>) -> Self {
        let kinds = &ctx.rules.input_kinds.json;
        Collector {
            ctx,
            kinds,
            outcome: Outcome::default(),
            matched: vec![false; kinds.kinds.len()],
            values: 0,
            first_line: 1,
            top_scalar: false,
            prefix: String::new(),
            skipped: Tally::default(),
            depth_cut: Tally::default(),
            tags_unreadable: Tally::default(),
            properties: false,
        }
    }

    pub fn is_envelope(&self, key: &str) -> bool {
        self.kinds.is_envelope(key)
    }

    /// An array of resources was found under `key`: the kinds of that envelope match.
    pub fn saw_envelope(&mut self, key: &str) {
        for (kind, matched) in self.kinds.kinds.iter().zip(self.matched.iter_mut()) {
            if kind.envelope.as_deref().is_some_and(|envelope| envelope.eq_ignore_ascii_case(key)) {
                *matched = true;
            }
        }
    }

    /// The `index`-th top-level value begins on `line`. From the second one on the file is JSON Lines and
    /// every location says its line, those of the first value too.
    pub fn begin_value(&mut self, index: usize, line: u64) {
        self.values = index + 1;
        if index == 0 {
            self.first_line = line;
            return;
        }
        if index == 1 {
            if std::mem::take(&mut self.top_scalar) {
                self.outcome.rows += 1;
                self.skipped.add(&format!("line {}", self.first_line), || "not a JSON object".to_string());
            }
            let first = format!("line {}, ", self.first_line);
            let resources = self.outcome.resources.iter_mut().filter_map(|r| r.sources.last_mut());
            let places = resources.map(|source| &mut source.location).chain(self.skipped.locations_mut());
            for location in places.chain(self.depth_cut.locations_mut()).chain(self.tags_unreadable.locations_mut()) {
                if !location.starts_with("line ") {
                    location.insert_str(0, &first);
                }
            }
        }
        self.prefix = format!("line {line}, ");
    }

    fn place(&self, location: String) -> String {
        if self.prefix.is_empty() || location.starts_with("line ") {
            location
        } else {
            format!("{}{location}", self.prefix)
        }
    }

    /// A scalar where a resource or a list was expected.
    pub fn scalar(&mut self, location: String) {
        if self.values == 1 && location.starts_with("line ") {
            self.top_scalar = true;
            return;
        }
        self.outcome.rows += 1;
        let location = self.place(location);
        self.skipped.add(&location, || "not a JSON object".to_string());
    }

    /// One element of a resource list (or a top-level object): a resource, or a skipped element.
    pub fn element(&mut self, value: Value, location: String) {
        self.outcome.rows += 1;
        let location = self.place(location);
        let Value::Object(map) = value else {
            self.skipped.add(&location, || "not a JSON object".to_string());
            return;
        };
        for (kind, matched) in self.kinds.kinds.iter().zip(self.matched.iter_mut()) {
            if !*matched && kind.signature_in(map.keys().map(String::as_str)) {
                *matched = true;
            }
        }
        let mut notes = Notes::default();
        match resource_from(map, &self.kinds.keys, self.ctx.keep_properties, &self.ctx.locations, &mut notes) {
            Ok(resource) => {
                self.note(&location, notes);
                self.outcome.push(resource, location, &self.ctx.display);
            }
            Err(reason) => self.skipped.add(&location, || reason),
        }
    }

    fn note(&mut self, location: &str, notes: Notes) {
        self.properties |= notes.properties;
        if let Some(path) = notes.depth_cut {
            self.depth_cut.add(location, || path);
        }
        if notes.tags_unreadable {
            self.tags_unreadable.add(location, String::new);
        }
    }

    /// The kind the document is, by the rule file's order (see `[[json_kind]]`).
    fn kind(&self, path: &Path) -> Option<&'c JsonKind> {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if let Some(lines) = self.kinds.lines_kind()
            && (self.values > 1 || extension.is_some_and(|e| lines.extensions.contains(&e)))
        {
            return Some(lines);
        }
        let kinds = self.kinds.kinds.iter().zip(&self.matched);
        kinds
            .filter(|(kind, _)| !kind.lines)
            .find(|(kind, matched)| **matched || kind.signature.is_empty())
            .map(|(k, _)| k)
    }

    /// The document's resources and warnings, and the id of its kind; `None` when it is JSON but no resource
    /// list (a scalar). Errors: every element was skipped.
    pub fn finish(mut self, path: &Path) -> Result<Option<(Outcome, String)>> {
        if self.top_scalar {
            return Ok(None);
        }
        let kind = self.kind(path);
        if self.outcome.resources.is_empty() && self.skipped.count > 0 {
            return Err(self.nothing_read(path).into());
        }
        self.warn(kind);
        let id = kind.map_or_else(|| "json".to_string(), |k| k.id.clone());
        Ok(Some((self.outcome, id)))
    }

    fn nothing_read(&self, path: &Path) -> InputError {
        let ids: Vec<String> = self.kinds.keys.spellings_of(JsonField::Id).iter().map(|s| format!("\"{s}\"")).collect();
        InputError::new(
            path,
            format!(
                "no resource could be read: all {} element(s) were skipped — {}. Expected resource objects with an \
                 ID under {} (az resource list -o json, az graph query, Get-AzResource | ConvertTo-Json -Depth 10)",
                self.skipped.count,
                self.skipped.listed(),
                ids.join(" or ")
            ),
        )
    }

    fn warn(&mut self, kind: Option<&JsonKind>) {
        let mut warnings = Vec::new();
        let mut whole_file =
            |message: String| warnings.push(Warning { location: Warning::WHOLE_FILE.to_string(), message });
        // An empty list is said by the one empty-input rule (`read::empty`), for every kind of input alike.
        if self.skipped.count > 0 {
            whole_file(format!(
                "{} of {} element(s) skipped: {}",
                self.skipped.count,
                self.outcome.rows,
                self.skipped.listed()
            ));
        }
        if self.depth_cut.count > 0 {
            whole_file(format!(
                "{} element(s) hold values that ConvertTo-Json cut off at its default depth of 2 (a text such as \
                 \"@{{…}}\" or \"System.Collections.Hashtable\" where an object was), and csp-planner cannot see \
                 inside them: {}; export again with `Get-AzResource | ConvertTo-Json -Depth 10` \
                 (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json)",
                self.depth_cut.count,
                self.depth_cut.listed()
            ));
        }
        if self.tags_unreadable.count > 0 {
            let places: Vec<&str> = self.tags_unreadable.first.iter().map(|(l, _)| l.as_str()).collect();
            whole_file(format!(
                "{} element(s) have tags that are neither a JSON object nor PowerShell's tags table; their tags \
                 were not read (first: {})",
                self.tags_unreadable.count,
                places.join(", ")
            ));
        }
        let how = kind.and_then(|k| k.no_properties.as_deref());
        if let Some(how) = how
            && !self.properties
            && !self.outcome.resources.is_empty()
        {
            whole_file(format!(
                "no element has properties, so the move conditions and dependencies that read them cannot be \
                 checked: {how}"
            ));
        }
        self.outcome.warnings.append(&mut warnings);
    }
}
