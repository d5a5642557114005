//! How the workload rules (`rules/workloads.toml`, validated in `rules::workloads`) test a server's facts.

use super::facts::{Facts, Value};
use crate::rules::workloads::{ServerRule, Test};

impl Test {
    fn holds(&self, value: &Value) -> bool {
        match (self, value) {
            (Test::Missing(missing), value) => value.is_missing() == *missing,
            (Test::TextEquals(wanted), Value::Text(Some(have))) => have.eq_ignore_ascii_case(wanted),
            (Test::TextAnyOf(list), Value::Text(Some(have))) => list.iter().any(|w| have.eq_ignore_ascii_case(w)),
            (Test::TextContainsAny(list), Value::Text(Some(have))) => {
                let have = have.to_lowercase();
                list.iter().any(|w| have.contains(&w.to_lowercase()))
            }
            (Test::NumberEquals(n), Value::Number(Some(have))) => have == n,
            (Test::Above(n), Value::Number(Some(have))) => have > n,
            (Test::Below(n), Value::Number(Some(have))) => have < n,
            (Test::AtLeast(n), Value::Number(Some(have))) => have >= n,
            (Test::AtMost(n), Value::Number(Some(have))) => have <= n,
            (Test::Flag(wanted), Value::Flag(have)) => have == wanted,
            (Test::CodesAnyOf(list), Value::Codes(have)) => list.iter().any(|w| have.contains(&w.as_str())),
            _ => false,
        }
    }
}

impl ServerRule {
    pub fn matches(&self, facts: &Facts) -> bool {
        self.when.iter().all(|(field, test)| test.holds(&facts.value(field)))
    }
}
