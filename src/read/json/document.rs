//! The shapes a JSON resource list comes in, walked as serde visitors so that each element becomes a
//! resource before the next is read:
//!
//! - an array of resources (`az resource list`, `Get-AzResource | ConvertTo-Json`, `Search-AzGraph`);
//! - an envelope, an object whose resources sit in an array under an envelope key of `[[json_kind]]`
//!   (`{count, data, skip_token}` of `az graph query`, `{value, nextLink}` of a REST page);
//! - an array of such pages (`[{"value": [...], "nextLink": ...}, {"value": [...]}]`), or of arrays;
//! - one resource object (`ConvertTo-Json` of a single resource);
//! - several of these one after another (JSON Lines: the caller reads value after value).
//!
//! Everything that is not a resource array (the `count`, `skip_token`, `nextLink` … of an envelope) is still
//! parsed as a JSON value and dropped, so a syntax error anywhere is reported as a whole-document parse would.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::collect::Collector;
use super::utf8::{Freeze, NewlinesRead, ValueStart};
use crate::model::json_scalars::scalar_values;

/// What the visitors share: the collector of resources and findings, and the reader's signals.
pub(super) struct Walk<'w, 'c> {
    pub collector: &'w mut Collector<'c>,
    pub freeze: Freeze<'w>,
    pub newlines: NewlinesRead<'w>,
    pub value_start: ValueStart<'w>,
}

impl<'c> Walk<'_, 'c> {
    fn again(&mut self) -> Walk<'_, 'c> {
        Walk { collector: self.collector, freeze: self.freeze, newlines: self.newlines, value_start: self.value_start }
    }
}

/// One top-level value of the document (the `index`-th: more than one is JSON Lines).
pub(super) struct TopSeed<'w, 'c> {
    pub walk: Walk<'w, 'c>,
    pub index: usize,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Implements the scalar `visit_*` methods of a visitor as "consume it, then `$then(self)`".
macro_rules! scalars_then {
    ($then:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_i128<E: de::Error>(self, _: i128) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_u128<E: de::Error>(self, _: u128) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($then(self))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($then(self))
        }
    };
}

impl TopSeed<'_, '_> {
    /// Called as the value's first byte is read: the line it starts on is known now.
    fn begin(&mut self) -> u64 {
        let line = self.walk.newlines.line();
        self.walk.collector.begin_value(self.index, line);
        line
    }

    fn scalar(mut self) {
        let line = self.begin();
        self.walk.collector.scalar(format!("line {line}"));
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_then!(TopSeed::scalar);

    fn visit_seq<A: SeqAccess<'de>>(mut self, seq: A) -> Result<(), A::Error> {
        self.begin();
        stream(seq, "", self.walk)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let line = self.begin();
        if let Some(object) = object(map, "", self.walk.again())? {
            self.walk.collector.element(Value::Object(object), format!("line {line}"));
        }
        Ok(())
    }
}

/// Reads the members of an object. The arrays under envelope keys are streamed as resource lists (the object
/// is then a page, and `None` is returned); any other object is returned whole, to be read as a resource.
fn object<'de, A: MapAccess<'de>>(
    mut map: A,
    pointer: &str,
    mut walk: Walk,
) -> Result<Option<Map<String, Value>>, A::Error> {
    let freeze = walk.freeze;
    let mut members = Map::new();
    let mut is_page = false;
    while let Some(key) = freeze.on_error(map.next_key::<String>())? {
        if walk.collector.is_envelope(&key) {
            let list = format!("{pointer}/{key}");
            match freeze.on_error(map.next_value_seed(MemberSeed { walk: walk.again(), pointer: &list, key: &key }))? {
                Member::Streamed => is_page = true,
                Member::Value(value) => drop(members.insert(key, value)),
            }
        } else {
            // Parsed as a value (not skipped) so that it is checked exactly as a whole-document parse checks it.
            let value = freeze.on_error(map.next_value_seed(ValueSeed(freeze)))?;
            members.insert(key, value);
        }
    }
    Ok(if is_page { None } else { Some(members) })
}

/// Converts the elements of one resource array as they are read.
fn stream<'de, A: SeqAccess<'de>>(mut seq: A, pointer: &str, mut walk: Walk) -> Result<(), A::Error> {
    let freeze = walk.freeze;
    let mut index = 0usize;
    loop {
        walk.value_start.mark();
        let element = format!("{pointer}/{index}");
        let seed = ElementSeed { walk: walk.again(), pointer: &element };
        if freeze.on_error(seq.next_element_seed(seed))?.is_none() {
            return Ok(());
        }
        index += 1;
    }
}

/// The member under an envelope key: a resource list when it is an array, else a value kept with the object.
struct MemberSeed<'p, 'w, 'c> {
    walk: Walk<'w, 'c>,
    pointer: &'p str,
    key: &'p str,
}

enum Member {
    Streamed,
    Value(Value),
}

impl<'de> DeserializeSeed<'de> for MemberSeed<'_, '_, '_> {
    type Value = Member;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Member, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MemberSeed<'_, '_, '_> {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Member, E> {
        Ok(Member::Value(Value::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Member, E> {
        Ok(Member::Value(Value::Number(value.into())))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Member, E> {
        Ok(Member::Value(Value::Number(value.into())))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Member, E> {
        Ok(Member::Value(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Member, E> {
        Ok(Member::Value(Value::String(value.to_owned())))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Member, E> {
        Ok(Member::Value(Value::String(value)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Member, E> {
        Ok(Member::Value(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Member, E> {
        Ok(Member::Value(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member, A::Error> {
        self.walk.collector.saw_envelope(self.key);
        stream(seq, self.pointer, self.walk)?;
        Ok(Member::Streamed)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
        ValueSeed(self.walk.freeze).visit_map(map).map(Member::Value)
    }
}

/// One element of a resource array: a resource, a page of resources, or something skipped.
struct ElementSeed<'p, 'w, 'c> {
    walk: Walk<'w, 'c>,
    pointer: &'p str,
}

impl ElementSeed<'_, '_, '_> {
    fn scalar(self) {
        self.walk.collector.scalar(format!("element {}", self.pointer));
    }
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_then!(ElementSeed::scalar);

    /// An array in a list of resources is a list too (pages collected as arrays: `[[...], [...]]`).
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        stream(seq, self.pointer, self.walk)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        if let Some(members) = object(map, self.pointer, self.walk.again())? {
            self.walk.collector.element(Value::Object(members), format!("element {}", self.pointer));
        }
        Ok(())
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
