//! The JSON half of `rules/input-kinds.toml`: the kinds of JSON resource list (`[[json_kind]]`: how each is
//! recognised) and the key spellings every element is read with (`[json_keys]`).
//!
//! Keys are data so that a consultant whose export spells a key another way (a PowerShell property, a projected
//! Resource Graph column) can add the spelling without a new build.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

/// A field of a resource read from a JSON element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonField {
    Id,
    Name,
    Type,
    ResourceGroup,
    SubscriptionId,
    Location,
    Kind,
    Sku,
    Tags,
    Properties,
    Plan,
    TenantId,
}

impl JsonField {
    pub const ALL: [JsonField; 12] = [
        JsonField::Id,
        JsonField::Name,
        JsonField::Type,
        JsonField::ResourceGroup,
        JsonField::SubscriptionId,
        JsonField::Location,
        JsonField::Kind,
        JsonField::Sku,
        JsonField::Tags,
        JsonField::Properties,
        JsonField::Plan,
        JsonField::TenantId,
    ];

    /// The field's name in `[json_keys]`.
    pub fn name(self) -> &'static str {
        match self {
            JsonField::Id => "id",
            JsonField::Name => "name",
            JsonField::Type => "type",
            JsonField::ResourceGroup => "resource_group",
            JsonField::SubscriptionId => "subscription_id",
            JsonField::Location => "location",
            JsonField::Kind => "kind",
            JsonField::Sku => "sku",
            JsonField::Tags => "tags",
            JsonField::Properties => "properties",
            JsonField::Plan => "plan",
            JsonField::TenantId => "tenant_id",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.name() == name)
    }

    /// Position in arrays indexed by field.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJsonKind {
    id: String,
    title: String,
    source: String,
    signature: Vec<String>,
    #[serde(default)]
    envelope: Option<String>,
    #[serde(default)]
    no_properties: Option<String>,
    #[serde(default)]
    lines: bool,
    #[serde(default)]
    extensions: Vec<String>,
}

/// One kind of JSON resource list (see the comments of `[[json_kind]]` in the rule file).
#[derive(Debug, Clone)]
pub struct JsonKind {
    pub id: String,
    pub title: String,
    pub source: String,
    /// Keys one element must all have (compared ignoring ASCII case); empty matches any list.
    pub signature: Vec<String>,
    /// The key of the array that holds this kind's resources (`data`, `value`).
    pub envelope: Option<String>,
    /// What to tell the user when no element has `properties` (how to export them).
    pub no_properties: Option<String>,
    /// JSON Lines: several top-level values, or one of `extensions`.
    pub lines: bool,
    /// File extensions, lowercase, without the dot.
    pub extensions: Vec<String>,
}

impl JsonKind {
    /// True when an element with these keys carries every key of the signature (a non-empty one).
    pub fn signature_in<'k>(&self, keys: impl Iterator<Item = &'k str> + Clone) -> bool {
        !self.signature.is_empty()
            && self.signature.iter().all(|wanted| keys.clone().any(|key| key.eq_ignore_ascii_case(wanted)))
    }
}

/// Field → key spellings, in the rule file's order of preference.
#[derive(Debug, Clone, Default)]
pub struct JsonKeys {
    /// (spelling, field, rank among the field's spellings)
    spellings: Vec<(String, JsonField, usize)>,
}

impl JsonKeys {
    /// The field a key stands for and how preferred the spelling is (0 first), compared ignoring ASCII case.
    pub fn field_of(&self, key: &str) -> Option<(JsonField, usize)> {
        self.spellings.iter().find(|(spelling, _, _)| spelling.eq_ignore_ascii_case(key)).map(|&(_, f, r)| (f, r))
    }

    /// The spellings of a field, for messages ("id, ResourceId").
    pub fn spellings_of(&self, field: JsonField) -> Vec<&str> {
        self.spellings.iter().filter(|(_, f, _)| *f == field).map(|(s, _, _)| s.as_str()).collect()
    }
}

/// The JSON kinds and keys, validated.
#[derive(Debug, Clone, Default)]
pub struct JsonKinds {
    pub kinds: Vec<JsonKind>,
    pub keys: JsonKeys,
}

impl JsonKinds {
    pub fn get(&self, id: &str) -> Option<&JsonKind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// The JSON Lines kind, if the rule file has one.
    pub fn lines_kind(&self) -> Option<&JsonKind> {
        self.kinds.iter().find(|k| k.lines)
    }

    /// True when `key` names the array of some kind's envelope (`data`, `value`), ignoring case.
    pub fn is_envelope(&self, key: &str) -> bool {
        self.kinds.iter().filter_map(|k| k.envelope.as_deref()).any(|envelope| envelope.eq_ignore_ascii_case(key))
    }

    /// Validates the raw tables; `problem(location, message)` records what is wrong.
    pub(super) fn parse(
        raw_kinds: Vec<RawJsonKind>,
        raw_keys: BTreeMap<String, Vec<String>>,
        table_ids: &[&str],
        problem: &mut dyn FnMut(Option<String>, String),
    ) -> Self {
        let mut kinds: Vec<JsonKind> = Vec::new();
        for (index, raw) in raw_kinds.into_iter().enumerate() {
            let at = || Some(format!("[[json_kind]] #{} ({})", index + 1, raw.id));
            if table_ids.contains(&raw.id.as_str()) || kinds.iter().any(|k| k.id == raw.id) {
                problem(at(), format!("kind \"{}\" is defined twice", raw.id));
            }
            if raw.source.trim().is_empty() {
                problem(at(), "source is empty: every entry names its source".to_string());
            }
            if raw.signature.iter().any(|key| key.trim().is_empty()) {
                problem(at(), "signature has an empty key".to_string());
            }
            if raw.lines && raw.envelope.is_some() {
                problem(at(), "a JSON Lines kind (lines = true) has no envelope".to_string());
            }
            if raw.lines && kinds.iter().any(|k| k.lines) {
                problem(at(), "only one kind may have lines = true".to_string());
            }
            if !raw.lines && !raw.extensions.is_empty() {
                problem(at(), "extensions name JSON Lines files: only a kind with lines = true has them".to_string());
            }
            kinds.push(JsonKind {
                id: raw.id,
                title: raw.title,
                source: raw.source,
                signature: raw.signature,
                envelope: raw.envelope,
                no_properties: raw.no_properties,
                lines: raw.lines,
                extensions: raw.extensions.iter().map(|e| e.trim_start_matches('.').to_ascii_lowercase()).collect(),
            });
        }
        let keys = parse_keys(raw_keys, problem);
        JsonKinds { kinds, keys }
    }
}

fn parse_keys(raw: BTreeMap<String, Vec<String>>, problem: &mut dyn FnMut(Option<String>, String)) -> JsonKeys {
    let at = || Some("[json_keys]".to_string());
    let mut spellings: Vec<(String, JsonField, usize)> = Vec::new();
    let mut owner: HashMap<String, JsonField> = HashMap::new();
    for (name, list) in raw {
        let Some(field) = JsonField::from_name(&name) else {
            let known: Vec<&str> = JsonField::ALL.iter().map(|f| f.name()).collect();
            problem(at(), format!("unknown field `{name}`; known fields: {}", known.join(", ")));
            continue;
        };
        for (rank, spelling) in list.into_iter().enumerate() {
            if let Some(other) = owner.insert(spelling.to_ascii_lowercase(), field)
                && other != field
            {
                problem(
                    at(),
                    format!("key \"{spelling}\" is given for both `{}` and `{}`", other.name(), field.name()),
                );
            }
            spellings.push((spelling, field, rank));
        }
    }
    if !spellings.iter().any(|(_, field, _)| *field == JsonField::Id) {
        problem(at(), "`id` has no spelling: no JSON element could be read".to_string());
    }
    JsonKeys { spellings }
}
