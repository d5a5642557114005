//! The part of a JSON value that a set of dot paths can reach, parsed from a resource's compact text
//! ([`CompactJson`]) without building the rest.
//!
//! A rule reads a few values of a resource's `properties`; parsing the whole text into a `Value` for each
//! rule costs more than the rule itself (issue 5's graph and batching must take less time than reading the
//! input). Parsing with a `PathSet` keeps, at each object, only the members whose names match a next path
//! segment the way [`collect`](super::predicate::collect) matches them (case-insensitively: every such
//! member is kept, so `collect` picks the same one as in the whole value), keeps every element of an array
//! a `[*]` walks, keeps whole the values a path ends at, and skips the rest. So `collect` finds exactly the
//! values it finds in the whole value.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::predicate::split_wildcard;
use crate::model::CompactJson;
use crate::model::json_scalars::scalar_values;

/// Dot paths below one root (`properties`, `sku`, `plan`), merged into a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathSet {
    /// A path ends here: the value is kept whole.
    whole: bool,
    /// Member names (lowercase) a path goes on to, each with the paths below it.
    fields: Vec<(String, PathSet)>,
    /// The paths that go on from every element of an array (`name[*]`).
    items: Option<Box<PathSet>>,
}

impl PathSet {
    /// Adds a path as [`collect`](super::predicate::collect) walks it: `wildcard` for the root's own `[*]`,
    /// then the segments after the root.
    pub fn insert(&mut self, wildcard: bool, path: &[&str]) {
        if wildcard {
            return self.items.get_or_insert_default().insert(false, path);
        }
        let Some((segment, rest)) = path.split_first() else {
            self.whole = true;
            return;
        };
        let (name, wildcard) = split_wildcard(segment);
        let name = name.to_ascii_lowercase();
        let at = match self.fields.iter().position(|(field, _)| *field == name) {
            Some(at) => at,
            None => {
                self.fields.push((name, PathSet::default()));
                self.fields.len() - 1
            }
        };
        self.fields[at].1.insert(wildcard, rest);
    }

    /// The set of one dot path after its root segment (`properties.a[*].b` → `a[*].b`, no root wildcard).
    pub fn of(wildcard: bool, path: &[&str]) -> Self {
        let mut set = PathSet::default();
        set.insert(wildcard, path);
        set
    }

    /// The part of `json` the paths reach. The text was written by `serde_json`, so it parses; `Null` if it
    /// ever did not, rather than a panic.
    pub fn value_of(&self, json: &CompactJson) -> Value {
        let mut deserializer = serde_json::Deserializer::from_str(json.as_str());
        self.deserialize(&mut deserializer).unwrap_or(Value::Null)
    }

    /// Adds a rule's dot path when it starts at `root` (`properties.a[*].b` under `properties`).
    pub fn insert_dotted(&mut self, root: &str, path: &str) {
        let mut segments = path.split('.');
        let (name, wildcard) = split_wildcard(segments.next().unwrap_or_default());
        if name.eq_ignore_ascii_case(root) {
            self.insert(wildcard, &segments.collect::<Vec<_>>());
        }
    }

    /// The part of `value` the paths reach, as [`value_of`](Self::value_of) parses it from text: at each
    /// object the members a path goes on to, at each array the elements a `[*]` walks (none otherwise),
    /// values where a path ends kept whole, scalars as they are.
    pub fn prune(&self, value: Value) -> Value {
        if self.whole {
            return value;
        }
        match value {
            Value::Object(members) => Value::Object(
                members.into_iter().filter_map(|(key, v)| self.field(&key).map(|set| (key, set.prune(v)))).collect(),
            ),
            Value::Array(items) => match &self.items {
                Some(set) => Value::Array(items.into_iter().map(|item| set.prune(item)).collect()),
                None => Value::Array(Vec::new()),
            },
            scalar => scalar,
        }
    }

    fn field(&self, key: &str) -> Option<&PathSet> {
        self.fields.iter().find(|(name, _)| key.eq_ignore_ascii_case(name)).map(|(_, set)| set)
    }
}

impl<'de> DeserializeSeed<'de> for &PathSet {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.whole { Value::deserialize(deserializer) } else { deserializer.deserialize_any(self) }
    }
}

impl<'de> Visitor<'de> for &PathSet {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    // Scalars are kept as `Value` keeps them: a path that reaches one mid-way finds nothing below it anyway.
    scalar_values!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        match &self.items {
            Some(set) => {
                while let Some(item) = seq.next_element_seed(&**set)? {
                    items.push(item);
                }
            }
            // Only a `[*]` walks an array.
            None => while seq.next_element::<IgnoredAny>()?.is_some() {},
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut values = Map::new();
        while let Some(key) = map.next_key_seed(Member(self))? {
            match key {
                Some((key, set)) => {
                    let value = map.next_value_seed(set)?;
                    values.insert(key, value);
                }
                None => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(Value::Object(values))
    }
}

/// A member name: its own text and the paths below it when a path goes on to it, else `None` (nothing is
/// allocated for the names skipped, most of them).
struct Member<'s>(&'s PathSet);

impl<'de, 's> DeserializeSeed<'de> for Member<'s> {
    type Value = Option<(String, &'s PathSet)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 's> Visitor<'de> for Member<'s> {
    type Value = Option<(String, &'s PathSet)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.field(key).map(|set| (key.to_owned(), set)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::predicate::collect;
    use serde_json::json;

    fn found<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
        let segments: Vec<&str> = path.split('.').collect();
        let (_, wildcard) = split_wildcard(segments[0]);
        let mut out = Vec::new();
        collect(value, wildcard, &segments[1..], &mut out);
        out
    }

    #[test]
    fn keeps_what_the_paths_reach_and_finds_the_same_values() {
        let whole = json!({
            "networkProfile": {"networkInterfaces": [{"id": "n1", "x": 1}, {"ID": "n2"}], "other": [1, 2]},
            "NetworkProfile": {"networkInterfaces": [{"id": "upper"}]},
            "storageProfile": {"osDisk": {"managedDisk": {"id": "d", "big": "x"}, "vhd": {"uri": "u"}}},
            "sku": {"name": {"nested": true}},
            "noise": {"a": [1, 2, 3], "b": "c"},
            "n": 1.5
        });
        let paths = [
            "properties.networkProfile.networkInterfaces[*].id",
            "properties.storageProfile.osDisk.managedDisk.id",
            "properties.sku.name",
            "properties.n",
            "properties.missing.path",
            "properties.noise.a.x",
        ];
        let mut set = PathSet::default();
        for path in paths {
            let segments: Vec<&str> = path.split('.').collect();
            set.insert(false, &segments[1..]);
        }
        let part = set.value_of(&CompactJson::new(&whole));
        for path in paths {
            assert_eq!(found(&part, path), found(&whole, path), "{path}");
        }
        assert_eq!(
            part,
            json!({
                "networkProfile": {"networkInterfaces": [{"id": "n1"}, {"ID": "n2"}]},
                "NetworkProfile": {"networkInterfaces": [{"id": "upper"}]},
                "storageProfile": {"osDisk": {"managedDisk": {"id": "d"}}},
                "sku": {"name": {"nested": true}},
                "noise": {"a": []},
                "n": 1.5
            })
        );
    }

    #[test]
    fn a_root_wildcard_walks_the_root_array() {
        let whole = json!([{"id": "a", "x": 1}, {"id": "b"}]);
        let set = PathSet::of(true, &["id"]);
        assert_eq!(set.value_of(&CompactJson::new(&whole)), json!([{"id": "a"}, {"id": "b"}]));
    }
}
