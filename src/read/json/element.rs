//! One element of a JSON resource list → a [`Resource`], its keys matched with the spellings of
//! `[json_keys]` (ignoring case), so that `id`, `Id` and `ResourceId` all give the ID.

use serde_json::{Map, Value};

use crate::model::{CompactJson, Resource, Tags, resource_id};
use crate::read::locations::Locations;
use crate::rules::json_kinds::{JsonField, JsonKeys};
use crate::rules::path_set::PathSet;

/// What an element showed besides its resource, for the input's summarised warnings.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// A `properties` value that is not null.
    pub properties: bool,
    /// Where a value cut off by `ConvertTo-Json`'s depth was first met ("Properties.storageProfile").
    pub depth_cut: Option<String>,
    /// Tags given as text that is neither an object nor PowerShell's tags table.
    pub tags_unreadable: bool,
}

/// How many of an element's keys a message lists.
const KEYS_SHOWN: usize = 8;

/// One resource from its JSON object. `keep`: the paths of `properties` the command's rules can read; the
/// rest is dropped here, as the element streams past, so an estate's properties are never held whole.
/// Errors: why the element is not a resource, for the skip warning.
pub(super) fn resource_from(
    map: Map<String, Value>,
    keys: &JsonKeys,
    keep: Option<&PathSet>,
    locations: &Locations,
    notes: &mut Notes,
) -> Result<Resource, String> {
    let has_id = map
        .iter()
        .any(|(key, value)| keys.field_of(key).is_some_and(|(field, _)| field == JsonField::Id) && is_text(value));
    if !has_id {
        let seen = keys_seen(&map);
        return Err(format!("no resource ID (no text under {}); keys: {seen}", quoted(keys, JsonField::Id)));
    }
    let mut fields = pick_fields(map, keys);
    let mut text = |field: JsonField| match fields[field.index()].take() {
        Some((_, Value::String(s))) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
    let Some(id) = text(JsonField::Id) else {
        return Err(format!("no resource ID (no text under {})", quoted(keys, JsonField::Id)));
    };
    let parsed = resource_id::parse(&id);
    let Some(resource_type) = text(JsonField::Type).or_else(|| parsed.as_ref().map(|p| p.resource_type.clone())) else {
        return Err(format!(
            "no resource type (no text under {}) and the ID \"{id}\" is not a Resource Manager ID",
            quoted(keys, JsonField::Type)
        ));
    };
    let name = text(JsonField::Name).or_else(|| parsed.as_ref().map(|p| p.name.clone())).unwrap_or_else(|| id.clone());
    let mut resource = Resource::new(id, name, resource_type);
    resource.resource_group =
        text(JsonField::ResourceGroup).or_else(|| parsed.as_ref().and_then(|p| p.resource_group.clone()));
    resource.subscription_id =
        text(JsonField::SubscriptionId).or_else(|| parsed.as_ref().and_then(|p| p.subscription_id.clone()));
    resource.location = text(JsonField::Location).map(|l| locations.arm(&l));
    resource.kind = text(JsonField::Kind);
    resource.tenant_id = text(JsonField::TenantId);
    let mut member = |field: JsonField| fields[field.index()].take();
    let (sku, plan, tags, properties) =
        (member(JsonField::Sku), member(JsonField::Plan), member(JsonField::Tags), member(JsonField::Properties));
    notes.depth_cut =
        [&sku, &plan, &tags, &properties].into_iter().flatten().find_map(|(key, value)| depth_cut_path(key, value));
    notes.properties = properties.is_some();
    resource.sku = sku.map(|(_, v)| CompactJson::new(&v));
    resource.plan = plan.map(|(_, v)| CompactJson::new(&v));
    resource.tags = match tags {
        Some((_, value)) => read_tags(value).unwrap_or_else(|| {
            notes.tags_unreadable = notes.depth_cut.is_none();
            Tags::default()
        }),
        None => Tags::default(),
    };
    resource.properties = properties.map(|(_, value)| match keep {
        Some(paths) => CompactJson::new(&paths.prune(value)),
        None => CompactJson::new(&value),
    });
    Ok(resource)
}

fn is_text(value: &Value) -> bool {
    value.as_str().is_some_and(|s| !s.trim().is_empty())
}

/// For each field, the member of its most preferred spelling whose value is neither null nor blank text:
/// (key as written, value).
fn pick_fields(map: Map<String, Value>, keys: &JsonKeys) -> [Option<(String, Value)>; JsonField::ALL.len()] {
    let mut picked: [Option<(usize, String, Value)>; JsonField::ALL.len()] = Default::default();
    for (key, value) in map {
        let Some((field, rank)) = keys.field_of(&key) else { continue };
        // Null or blank says nothing: the next spelling may (`"Tags": null` beside a `TagsTable`).
        if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
            continue;
        }
        let slot = &mut picked[field.index()];
        if slot.as_ref().is_none_or(|(kept, _, _)| rank < *kept) {
            *slot = Some((rank, key, value));
        }
    }
    picked.map(|slot| slot.map(|(_, key, value)| (key, value)))
}

/// `"id", "ResourceId"`: a field's spellings, for messages.
fn quoted(keys: &JsonKeys, field: JsonField) -> String {
    keys.spellings_of(field).iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" or ")
}

/// The element's first keys, for messages: a consultant sees at once what the file holds instead.
fn keys_seen(map: &Map<String, Value>) -> String {
    if map.is_empty() {
        return "none (an empty object)".to_string();
    }
    let mut shown: Vec<&str> = map.keys().take(KEYS_SHOWN).map(String::as_str).collect();
    if map.len() > KEYS_SHOWN {
        shown.push("…");
    }
    shown.join(", ")
}

/// Tags from an object (values that are not text are written as JSON), or from PowerShell's `TagsTable` text.
/// `None` when the value is neither.
fn read_tags(value: Value) -> Option<Tags> {
    match value {
        Value::Object(tags) => Some(
            tags.into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect(),
        ),
        Value::String(text) if text.trim().is_empty() => Some(Tags::default()),
        Value::String(text) => tags_table(&text),
        _ => None,
    }
}

/// PowerShell's `TagsTable`: a blank line, `Name  Value` padded to the longest name, a line of `=` under each
/// column, then one row per tag (`ResourcesExtensions.ConstructTagsTable` in Azure PowerShell, whose rows are
/// `{name, -width}  {value}`). The value column starts where the second run of `=` does.
fn tags_table(text: &str) -> Option<Tags> {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r')).skip_while(|l| l.trim().is_empty());
    let _header = lines.next()?;
    let underline = lines.next()?;
    if !underline.starts_with('=') || !underline.chars().all(|c| c == '=' || c == ' ') {
        return None;
    }
    let value_column = underline
        .chars()
        .position(|c| c == ' ')
        .map(|end| end + underline.chars().skip(end).take_while(|&c| c == ' ').count())?;
    let tags = lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let name: String = line.chars().take(value_column).collect();
            let value: String = line.chars().skip(value_column).collect();
            (name.trim_end().to_string(), value.trim_end().to_string())
        })
        .collect();
    Some(tags)
}

/// What `ConvertTo-Json` writes for an object nested deeper than `-Depth` (default 2): the object's
/// `ToString()`. "The default value is 2", and deeper objects are converted to strings:
/// https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json (-Depth).
fn is_depth_cut(text: &str) -> bool {
    matches!(text, "System.Collections.Hashtable" | "System.Object[]" | "System.Management.Automation.PSCustomObject")
        || (text.starts_with("@{") && text.ends_with('}'))
}

/// Where in `value` a depth-cut string is ("Properties.osProfile", after `root`), if anywhere. The path is built
/// only once one is found: a resource's properties are walked whole, and most hold none.
fn depth_cut_path(root: &str, value: &Value) -> Option<String> {
    let mut reversed: Vec<&str> = Vec::new();
    if !find_depth_cut(value, &mut reversed) {
        return None;
    }
    let mut path = root.to_string();
    for key in reversed.iter().rev() {
        path.push('.');
        path.push_str(key);
    }
    Some(path)
}

/// True when `value` holds a depth-cut string; the keys that lead to it are then pushed, innermost first.
fn find_depth_cut<'v>(value: &'v Value, reversed: &mut Vec<&'v str>) -> bool {
    match value {
        Value::String(text) => is_depth_cut(text),
        Value::Array(items) => items.iter().any(|item| find_depth_cut(item, reversed)),
        Value::Object(members) => {
            for (key, member) in members {
                if find_depth_cut(member, reversed) {
                    reversed.push(key);
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_powershell_tags_table() {
        let text = "\r\nName         Value     \r\n===========  ==========\r\nEnvironment  Production\r\nowner        a b       \r\n";
        let tags = tags_table(text).unwrap();
        assert_eq!(tags.get("Environment"), Some("Production"));
        assert_eq!(tags.get("owner"), Some("a b"));
        assert_eq!(tags.len(), 2);
        assert!(tags_table("env=prod").is_none());
    }

    #[test]
    fn finds_depth_cut_values() {
        let value: Value = serde_json::json!({"a": {"b": ["x", "@{c=1}"]}, "z": "System.Object[]"});
        assert_eq!(depth_cut_path("Properties", &value).as_deref(), Some("Properties.a.b"));
        assert_eq!(depth_cut_path("Sku", &serde_json::json!({"name": "S1"})), None);
        assert!(is_depth_cut("System.Collections.Hashtable"));
        assert!(!is_depth_cut("@{ not closed"));
    }
}
