//! A JSON value kept as its compact text, parsed again when it is read.
//!
//! A resource's `properties` (and its `sku` and `plan`) are read far less often than they are kept: a
//! `serde_json::Value` of a Resource Graph row's `properties` takes several times the bytes of its text
//! (every object is a B-tree, every string and key its own allocation), and a 200,000-resource estate held
//! as values does not fit the move plan's memory limit (issue 5). The text is what `serde_json` writes for
//! the value, so parsing it gives back the same value, and serializing that writes exactly the bytes the
//! value itself would have (keys sorted, numbers as `serde_json` prints them).

use serde::{Serialize, Serializer};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactJson(Box<str>);

impl CompactJson {
    pub fn new(value: &Value) -> Self {
        // Writing a `Value` cannot fail (its keys are strings); "null" keeps the type total all the same.
        CompactJson(serde_json::to_string(value).unwrap_or_else(|_| "null".to_string()).into_boxed_str())
    }

    /// The value again. The text was written by `serde_json` from a value, so it parses; `Null` if it ever
    /// did not, rather than a panic.
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }

    /// The compact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the JSON `null` (without parsing).
    pub fn is_null(&self) -> bool {
        &*self.0 == "null"
    }
}

impl From<&Value> for CompactJson {
    fn from(value: &Value) -> Self {
        CompactJson::new(value)
    }
}

impl Serialize for CompactJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_a_value_exactly() {
        let value =
            json!({"b": [1, 2.5, -3, 1e300, 18446744073709551615u64], "a": {"z": null, "y": "é\"\n"}, "c": true});
        let compact = CompactJson::new(&value);
        assert_eq!(compact.value(), value);
        assert_eq!(serde_json::to_string_pretty(&compact).unwrap(), serde_json::to_string_pretty(&value).unwrap());
        assert!(!compact.is_null());
        assert!(CompactJson::new(&Value::Null).is_null());
    }
}
