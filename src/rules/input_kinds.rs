//! `rules/input-kinds.toml`: the registry of header signatures and header aliases, and (in
//! [`super::json_kinds`]) the JSON kinds and key spellings.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::json_kinds::{JsonKinds, RawJsonKind};
use super::{RuleFile, normalize_key};
use crate::error::RuleProblem;

/// The fields each tabular kind reads; an unknown field name in the rule file is a mistake.
const KNOWN_FIELDS: &[&str] = &[
    "id",
    "name",
    "type",
    "resource_id",
    "resource_name",
    "resource_group",
    "subscription_id",
    "subscription_name",
    "location",
    "kind",
    "sku",
    "tags",
    "consumed_service",
    "meter_id",
    "meter_category",
    "meter_subcategory",
    "meter_name",
    "quantity",
    "cost",
    "unit",
    "currency",
    "rate",
    "list_rate",
    "pricing_model",
    "charge_type",
    "date",
    "meter_region",
    "provider",
    "charge_class",
    "amortized_cost",
    "benefit_id",
    "benefit_name",
    "publisher_type",
    "product_order_id",
    "product_order_name",
    "offer_id",
    "billing_account_id",
    "reseller_name",
    "customer_tenant_id",
];

/// The readers a tabular kind can be read by; a kind names one with `reader` (default: the first word of its id).
const READERS: &[&str] = &["usage", "portal"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    kind: Vec<RawKind>,
    json_kind: Vec<RawJsonKind>,
    json_keys: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: String,
    title: String,
    source: String,
    signature: Vec<String>,
    #[serde(default)]
    reader: Option<String>,
    #[serde(default)]
    empty_values: Vec<String>,
    #[serde(default)]
    providers: Vec<String>,
    columns: BTreeMap<String, Vec<String>>,
}

/// One tabular input kind: its signature fields and the accepted spellings of each field.
#[derive(Debug, Clone)]
pub struct InputKind {
    pub id: String,
    pub title: String,
    pub source: String,
    pub signature: Vec<String>,
    /// The reader its rows go to: `usage` or `portal`.
    pub reader: String,
    /// Cell texts that mean "empty" in this kind (FOCUS writes `NULL`).
    pub empty_values: Vec<String>,
    /// When set, only rows whose `provider` column is one of these are read; the others are counted.
    pub providers: Vec<String>,
    /// field → accepted spellings as written in the rule file, in order (the first one present wins)
    pub columns: BTreeMap<String, Vec<String>>,
    /// the same spellings, normalised for matching
    normalized: BTreeMap<String, Vec<String>>,
}

impl InputKind {
    /// Field → column index for a header row: for each field, the first of its spellings that the
    /// header contains. Header cells are compared ignoring case, spaces and punctuation.
    ///
    /// A localised download writes each header as "local name (EnglishName)" (`Abonnement-GUID
    /// (SubscriptionGuid)`): when no header cell is the spelling itself, the English name in parentheses counts.
    pub fn resolve(&self, headers: &[String]) -> HashMap<String, usize> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_key(h)).collect();
        let english: Vec<Option<String>> = headers.iter().map(|h| english_name(h)).collect();
        let mut resolved = HashMap::new();
        for (field, spellings) in &self.normalized {
            let whole = spellings.iter().find_map(|spelling| normalized.iter().position(|h| h == spelling));
            let column = whole.or_else(|| {
                spellings
                    .iter()
                    .find_map(|spelling| english.iter().position(|h| h.as_deref() == Some(spelling.as_str())))
            });
            if let Some(column) = column {
                resolved.insert(field.clone(), column);
            }
        }
        resolved
    }

    /// "ResourceId or Instance ID, MeterCategory or Meter Category, …": the header cells the
    /// signature needs, for messages.
    pub fn describe_signature(&self) -> String {
        self.signature
            .iter()
            .map(|field| match self.columns.get(field) {
                Some(spellings) => spellings.iter().take(2).cloned().collect::<Vec<_>>().join(" or "),
                None => field.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The other header cells that the spelling `field` was found by at `column` also matches (the same name
    /// twice, or once in a localised header's parentheses): the field could be read from any of them.
    pub fn also_matching(&self, field: &str, headers: &[String], column: usize) -> Vec<usize> {
        let (Some(spellings), Some(found)) = (self.normalized.get(field), headers.get(column)) else {
            return Vec::new();
        };
        let keys = |header: &str| (normalize_key(header), english_name(header));
        let (whole, english) = keys(found);
        let Some(spelling) = spellings.iter().find(|s| **s == whole || english.as_ref() == Some(*s)) else {
            return Vec::new();
        };
        (0..headers.len())
            .filter(|&other| other != column)
            .filter(|&other| {
                let (whole, english) = keys(&headers[other]);
                whole == *spelling || english.as_ref() == Some(spelling)
            })
            .collect()
    }

    /// True when the resolved header holds every signature field.
    pub fn matches(&self, resolved: &HashMap<String, usize>) -> bool {
        self.signature.iter().all(|field| resolved.contains_key(field))
    }
}

#[derive(Debug, Clone)]
pub struct InputKinds {
    /// The tabular kinds (CSV, workbooks), recognised by their header row.
    pub kinds: Vec<InputKind>,
    /// The JSON kinds, recognised by their content, and the keys their elements are read with.
    pub json: JsonKinds,
}

impl InputKinds {
    pub fn get(&self, id: &str) -> Option<&InputKind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    pub(super) fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Self {
        let problem = |location: Option<String>, message: String| file.problem(location, message);
        let raw: RawFile = match toml::from_str(&file.text) {
            Ok(raw) => raw,
            Err(e) => {
                let location = e.span().map(|span| line_col(&file.text, span.start));
                problems.push(problem(location, e.message().to_string()));
                return InputKinds { kinds: Vec::new(), json: JsonKinds::default() };
            }
        };
        let mut kinds = Vec::new();
        for (index, raw_kind) in raw.kind.into_iter().enumerate() {
            let at = Some(format!("[[kind]] #{} ({})", index + 1, raw_kind.id));
            let reader = raw_kind
                .reader
                .clone()
                .unwrap_or_else(|| raw_kind.id.split('-').next().unwrap_or_default().to_string());
            for message in kind_problems(&raw_kind, &reader) {
                problems.push(problem(at.clone(), message));
            }
            let normalized = raw_kind
                .columns
                .iter()
                .map(|(field, spellings)| (field.clone(), spellings.iter().map(|s| normalize_key(s)).collect()))
                .collect();
            kinds.push(InputKind {
                id: raw_kind.id,
                title: raw_kind.title,
                source: file.cite(&raw_kind.source),
                signature: raw_kind.signature,
                reader,
                empty_values: raw_kind.empty_values,
                providers: raw_kind.providers,
                columns: raw_kind.columns,
                normalized,
            });
        }
        let table_ids: Vec<&str> = kinds.iter().map(|k: &InputKind| k.id.as_str()).collect();
        let mut json_problem = |location, message| problems.push(problem(location, message));
        let mut json = JsonKinds::parse(raw.json_kind, raw.json_keys, &table_ids, &mut json_problem);
        for kind in &mut json.kinds {
            kind.source = file.cite(&kind.source);
        }
        InputKinds { kinds, json }
    }
}

/// What is wrong with one `[[kind]]` entry: unknown fields, a header given for two fields, a signature field
/// without columns, an unknown reader, `providers` without a provider column, an empty signature or source.
fn kind_problems(raw_kind: &RawKind, reader: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut aliases = HashMap::new();
    for (field, spellings) in &raw_kind.columns {
        if !KNOWN_FIELDS.contains(&field.as_str()) {
            found.push(format!("unknown field `{field}` in columns; known fields: {}", KNOWN_FIELDS.join(", ")));
        }
        for spelling in spellings {
            if let Some(other) = aliases.insert(normalize_key(spelling), field.clone())
                && &other != field
            {
                found.push(format!("header \"{spelling}\" is given for both `{other}` and `{field}`"));
            }
        }
    }
    for field in raw_kind.signature.iter().filter(|field| !raw_kind.columns.contains_key(*field)) {
        found.push(format!("signature field `{field}` has no entry in columns"));
    }
    if !READERS.contains(&reader) {
        found.push(format!("reader `{reader}` is not one of {}; set `reader`", READERS.join(", ")));
    }
    if !raw_kind.providers.is_empty() && !raw_kind.columns.contains_key("provider") {
        found.push("`providers` is set but columns has no `provider`".to_string());
    }
    if raw_kind.signature.is_empty() {
        found.push("signature is empty".to_string());
    }
    if raw_kind.source.trim().is_empty() {
        found.push("source is empty: every entry names its source".to_string());
    }
    found
}

/// The normalised English name a localised header carries in its trailing parentheses
/// (`Kategorie der Verbrauchseinheit (MeterCategory)` → `metercategory`), if any.
pub(crate) fn english_name(header: &str) -> Option<String> {
    let inner = header.trim().strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let name = normalize_key(&inner[open + 1..]);
    (!name.is_empty() && open > 0).then_some(name)
}

/// "line L, column C" (1-based) for a byte offset into `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}
