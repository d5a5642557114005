//! `when = { path = "...", equals | not_equals = "...", exists = true }`: a test on a resource's JSON,
//! shared by `classic-upgrade.toml` and `move-conditions.toml` (format in rules/README.md).
//!
//! `path` is a dot path from the resource (`sku.name`, `kind`, `plan`, `properties.a.b`), where `[*]`
//! walks every element of an array. `equals`: some value at the path equals the text, ignoring case,
//! JSON true/false/numbers compared as text. `not_equals`: some value exists there and differs. A
//! missing path never matches either. `exists`: some value is present and neither null nor "".

use serde::Deserialize;
use serde_json::Value;

use super::path_set::PathSet;
use crate::model::{CompactJson, Resource};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub path: String,
    pub equals: Option<String>,
    pub not_equals: Option<String>,
    pub exists: Option<bool>,
}

impl When {
    /// A problem with the test itself, for `rules check`.
    pub fn problem(&self) -> Option<String> {
        let tests = [self.equals.is_some(), self.not_equals.is_some(), self.exists.is_some()];
        if tests.iter().filter(|t| **t).count() != 1 {
            return Some("`when` needs exactly one of `equals`, `not_equals`, `exists`".to_string());
        }
        if self.path.trim().is_empty() || self.path.split('.').any(str::is_empty) {
            return Some(format!("`when.path` \"{}\" is not a dot path", self.path));
        }
        None
    }

    pub fn matches(&self, resource: &Resource) -> bool {
        let mut values = Vec::new();
        let mut segments = self.path.split('.');
        let Some(first) = segments.next() else { return false };
        let (root_name, root_wildcard) = split_wildcard(first);
        let segments: Vec<&str> = segments.collect();
        // Only the part of the member the path reaches is parsed (see `PathSet`).
        let reached = |json: &CompactJson| PathSet::of(root_wildcard, &segments).value_of(json);
        let root: Option<Value> = match root_name {
            "properties" => resource.properties.as_ref().map(reached),
            "sku" => resource.sku.as_ref().map(reached),
            "plan" => resource.plan.as_ref().map(reached),
            "kind" => resource.kind.clone().map(Value::String),
            _ => None,
        };
        if let Some(root) = &root {
            collect(root, root_wildcard, &segments, &mut values);
        }
        self.test(&values)
    }

    fn test(&self, values: &[&Value]) -> bool {
        if let Some(expected) = &self.equals {
            return values.iter().any(|v| text(v).is_some_and(|t| t.eq_ignore_ascii_case(expected)));
        }
        if let Some(unexpected) = &self.not_equals {
            return values.iter().any(|v| text(v).is_some_and(|t| !t.eq_ignore_ascii_case(unexpected)));
        }
        let present = values.iter().any(|v| !matches!(v, Value::Null) && v.as_str() != Some(""));
        self.exists == Some(present)
    }
}

/// `roles[*]` → ("roles", true).
pub(crate) fn split_wildcard(segment: &str) -> (&str, bool) {
    match segment.strip_suffix("[*]") {
        Some(name) => (name, true),
        None => (segment, false),
    }
}

/// Every value at `path` below `value` (after expanding `value` itself when `wildcard`).
pub(crate) fn collect<'v>(value: &'v Value, wildcard: bool, path: &[&str], out: &mut Vec<&'v Value>) {
    if wildcard {
        if let Value::Array(items) = value {
            for item in items {
                collect(item, false, path, out);
            }
        }
        return;
    }
    let Some((segment, rest)) = path.split_first() else {
        out.push(value);
        return;
    };
    let (name, wildcard) = split_wildcard(segment);
    // Azure's property names are case-insensitive; exports differ in case.
    if let Value::Object(map) = value
        && let Some(child) =
            map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
    {
        collect(child, wildcard, rest, out);
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
