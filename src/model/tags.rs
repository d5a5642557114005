//! A resource's tags: a small sorted list of (name, value) pairs, serialized as a JSON object in name order (as
//! the `BTreeMap` it replaces was). A `BTreeMap` of a resource's three or four tags allocates a node sized for
//! eleven; across a 100,000-resource estate that was the largest single cost of the inventory after the
//! properties (issue 7's 300 MB limit).

use serde::ser::{Serialize, SerializeMap, Serializer};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(Box<str>, Box<str>)>);

impl Tags {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (**n).cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).ok().and_then(|i| self.0.get(i)).map(|(_, v)| &**v)
    }

    /// Sets a tag (replacing a value of the same name).
    pub fn insert(&mut self, name: String, value: String) {
        match self.position(&name) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value.into_boxed_str();
                }
            }
            Err(i) => self.0.insert(i, (name.into_boxed_str(), value.into_boxed_str())),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (&**n, &**v))
    }
}

impl FromIterator<(String, String)> for Tags {
    /// Later pairs of the same name replace earlier ones, as collecting into a map does.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut tags = Tags::default();
        for (name, value) in pairs {
            tags.insert(name, value);
        }
        tags.0.shrink_to_fit();
        tags
    }
}

impl IntoIterator for Tags {
    type Item = (String, String);
    type IntoIter =
        std::iter::Map<std::vec::IntoIter<(Box<str>, Box<str>)>, fn((Box<str>, Box<str>)) -> (String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter().map(|(n, v)| (n.into_string(), v.into_string()))
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(&**name, &**value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_like_a_map_in_name_order() {
        let tags: Tags =
            [("b", "2"), ("a", "1"), ("b", "3")].iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(serde_json::to_string(&tags).unwrap(), r#"{"a":"1","b":"3"}"#);
        let map: std::collections::BTreeMap<&str, &str> = [("b", "3"), ("a", "1")].into_iter().collect();
        assert_eq!(serde_json::to_string(&tags).unwrap(), serde_json::to_string(&map).unwrap());
        assert_eq!(tags.get("a"), Some("1"));
        assert_eq!(tags.len(), 2);
    }
}
