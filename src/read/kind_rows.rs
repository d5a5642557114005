//! Rows as their kind's rules say to read them, before any reader sees them.
//!
//! Some kinds write a value in a way of their own: FOCUS writes a missing value as the literal `NULL`, names the
//! subscription by its path (`SubAccountId` = `/subscriptions/<guid>`, read as the GUID), holds several clouds in one file
//! (`ProviderName`), and has no `ChargeType` (its `ChargeCategory` stands in, with `ChargeClass` Correction marking
//! a refund). [`KindRows`] rewrites such rows into the shape every usage reader already reads, so the inventory and
//! the cost assessment read them alike and neither knows FOCUS. Kinds without such rules are passed through
//! untouched (and keep the parallel CSV path: see [`needs_rewriting`]).

use std::collections::BTreeMap;

use csv::ByteRecord;

use super::number::DecimalSeparator;
use super::table::{Header, Locator, Records};
use crate::error::Result;
use crate::model::Warning;

/// How many other providers' names a warning lists.
const PROVIDERS_SHOWN: usize = 5;

/// True when rows of this header's kind must be rewritten before they are read.
pub fn needs_rewriting(header: &Header) -> bool {
    let kind = header.kind;
    !kind.empty_values.is_empty() || !kind.providers.is_empty() || header.column("charge_class").is_some()
}

/// The rows of `inner`, rewritten as the kind says; rows of other providers are left out and counted.
pub struct KindRows<'r, 'h> {
    inner: &'r mut dyn Records,
    header: &'h Header<'h>,
    scratch: ByteRecord,
    /// Rows of each provider that is not read, by name as written.
    other_providers: BTreeMap<String, u64>,
}

impl<'r, 'h> KindRows<'r, 'h> {
    pub fn new(inner: &'r mut dyn Records, header: &'h Header<'h>) -> Self {
        KindRows { inner, header, scratch: ByteRecord::new(), other_providers: BTreeMap::new() }
    }

    /// The warning about the rows left out, if any were.
    pub fn finish(self) -> Vec<Warning> {
        if self.other_providers.is_empty() {
            return Vec::new();
        }
        let total: u64 = self.other_providers.values().fold(0u64, |sum, n| sum.saturating_add(*n));
        let mut named: Vec<String> =
            self.other_providers.iter().take(PROVIDERS_SHOWN).map(|(name, rows)| format!("{name} ({rows})")).collect();
        if self.other_providers.len() > PROVIDERS_SHOWN {
            named.push(format!("{} more", self.other_providers.len() - PROVIDERS_SHOWN));
        }
        let column = self.header.column("provider").map_or("ProviderName", |c| self.header.name(c));
        vec![Warning {
            location: "whole file".to_string(),
            message: format!(
                "{total} row(s) of other providers were not read ({column}: {}); csp-planner reads the rows of {}",
                named.join(", "),
                self.header.kind.providers.join(" / ")
            ),
        }]
    }

    /// Whether the row is of a provider that is read; counts it when it is not.
    fn provider_is_read(&mut self, record: &ByteRecord) -> bool {
        let kind = self.header.kind;
        let Some(column) = self.header.column("provider").filter(|_| !kind.providers.is_empty()) else {
            return true;
        };
        let provider = cell(record, column);
        if provider.is_empty() || kind.providers.iter().any(|p| p.eq_ignore_ascii_case(provider)) {
            return true;
        }
        let count = self.other_providers.entry(provider.to_string()).or_default();
        *count = count.saturating_add(1);
        false
    }

    /// Writes `record` rewritten into `self.scratch`.
    fn rewrite(&mut self, record: &ByteRecord) {
        let kind = self.header.kind;
        let subscription = self.header.column("subscription_id");
        let charge_type = self.header.column("charge_type");
        let correction =
            self.header.column("charge_class").is_some_and(|c| cell(record, c).eq_ignore_ascii_case("Correction"));
        self.scratch.clear();
        for (column, field) in record.iter().enumerate() {
            let text = trim(field);
            if kind.empty_values.iter().any(|empty| empty.as_bytes() == text) {
                self.scratch.push_field(b"");
            } else if Some(column) == subscription {
                self.scratch.push_field(subscription_guid(text));
            } else if Some(column) == charge_type && correction && text.eq_ignore_ascii_case(b"Purchase") {
                // A correction of a purchase gives money back: a refund, as ChargeType would say.
                self.scratch.push_field(b"Refund");
            } else {
                self.scratch.push_field(field);
            }
        }
    }
}

impl Records for KindRows<'_, '_> {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        loop {
            let Some(row) = self.inner.next_record(record)? else {
                return Ok(None);
            };
            if !self.provider_is_read(record) {
                continue;
            }
            self.rewrite(record);
            std::mem::swap(record, &mut self.scratch);
            return Ok(Some(row));
        }
    }

    fn locator(&self) -> Locator {
        self.inner.locator()
    }

    fn decimal_separator(&self) -> DecimalSeparator {
        self.inner.decimal_separator()
    }
}

fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

/// A cell's text (empty when it is not UTF-8: the cells looked at here are names and codes).
fn cell(record: &ByteRecord, column: usize) -> &str {
    record.get(column).and_then(|f| std::str::from_utf8(trim(f)).ok()).unwrap_or_default()
}

/// `/subscriptions/<guid>` → `<guid>`; anything else as written.
fn subscription_guid(text: &[u8]) -> &[u8] {
    const PREFIX: &[u8] = b"/subscriptions/";
    match text.get(..PREFIX.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(PREFIX) => {
            let rest = &text[PREFIX.len()..];
            let end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
            &rest[..end]
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::subscription_guid;

    #[test]
    fn reads_the_guid_of_a_subscription_path() {
        assert_eq!(subscription_guid(b"/subscriptions/64e355d7-997c"), b"64e355d7-997c");
        assert_eq!(subscription_guid(b"/SUBSCRIPTIONS/abc/resourceGroups/x"), b"abc");
        assert_eq!(subscription_guid(b"51738928782"), b"51738928782");
    }
}
