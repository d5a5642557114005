//! The scalar half of a visitor that builds a `serde_json::Value`, shared by the visitors that build values
//! their own way (the streaming JSON reader's, which stop the reader on an error, and `PathSet`'s, which
//! skip what no path reaches): each scalar becomes what `Value`'s own `Deserialize` makes of it.

/// Implements `visit_bool`, `visit_i64`, `visit_u64`, `visit_f64` (a float that is not finite is `null`),
/// `visit_str`, `visit_string`, `visit_unit` and `visit_none` for a visitor whose value is a `Value`.
macro_rules! scalar_values {
    () => {
        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::Bool(value))
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::Number(value.into()))
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::Number(value.into()))
        }

        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<serde_json::Value, E> {
            Ok(serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, serde_json::Value::Number))
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::String(value.to_owned()))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::String(value))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::Null)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<serde_json::Value, E> {
            Ok(serde_json::Value::Null)
        }
    };
}

pub(crate) use scalar_values;
