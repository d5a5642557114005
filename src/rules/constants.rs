//! Rule files of named constants (`[[constant]]` entries: name, value, unit, source), such as
//! `rules/asr-planner.toml` and `rules/cost.toml`: every value with its source, every expected name present once,
//! every problem reported at once with its line.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use std::sync::Arc;

use super::RuleFile;
use super::sources::Sources;
use super::spans::{Problems, toml_entries};
use crate::error::RuleProblem;
use crate::model::Cited;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstant {
    name: String,
    value: toml::Value,
    unit: Option<String>,
    source: String,
}

/// One constant: its value and where it comes from.
#[derive(Debug, Clone)]
pub struct Constant {
    pub value: Decimal,
    /// The entry's `unit`, empty when it has none (shown beside the value, e.g. in the capacity workbook).
    pub unit: String,
    pub source: Cited,
}

/// The constants of one file, by name.
#[derive(Debug, Clone)]
pub struct Constants {
    values: BTreeMap<String, Constant>,
    /// The pack's sources registry, for the citations code makes beside the constants ([`Constants::cite`]).
    sources: Arc<Sources>,
}

/// What a file's constants must be: the names it defines, and which of them must be above 0 (counts, divisors).
pub struct Expected<'a> {
    pub names: &'a [&'a str],
    pub positive: &'a [&'a str],
}

impl Constants {
    /// Parses and validates the file, adding every problem to `list`; the constants that passed.
    pub fn parse(file: &RuleFile, expected: &Expected, list: &mut Vec<RuleProblem>) -> Self {
        let mut values = BTreeMap::new();
        let mut problems = Problems { file, list };
        for entry in toml_entries::<RawConstant>(file, "constant", &mut problems) {
            if let Some((name, constant)) = checked(entry.line, entry.value, expected, &values, &mut problems) {
                values.insert(name, constant);
            }
        }
        for name in expected.names {
            if !values.contains_key(*name) {
                problems.at(None, format!("the constant `{name}` is missing"));
            }
        }
        Constants { values, sources: file.sources.clone() }
    }

    fn get(&self, name: &str) -> &Constant {
        // Every expected name is checked at load; the fallback only guards against a typo in the code.
        static MISSING: Constant = Constant { value: Decimal::ZERO, unit: String::new(), source: Cited::empty() };
        self.values.get(name).unwrap_or(&MISSING)
    }

    pub fn value(&self, name: &str) -> Decimal {
        self.get(name).value
    }

    pub fn source(&self, name: &str) -> &Cited {
        &self.get(name).source
    }

    /// A citation made in code beside these constants (`<key>: <locator>`), resolved with the registry.
    pub fn cite(&self, source: &str) -> Cited {
        self.sources.cited(source)
    }

    pub fn unit(&self, name: &str) -> &str {
        &self.get(name).unit
    }
}

/// One entry, checked: a known name, a source, a number in range, not seen before.
fn checked(
    line: u64,
    raw: RawConstant,
    expected: &Expected,
    seen: &BTreeMap<String, Constant>,
    problems: &mut Problems,
) -> Option<(String, Constant)> {
    if !expected.names.contains(&raw.name.as_str()) {
        problems.line(line, format!("unknown constant `{}` (known: {})", raw.name, expected.names.join(", ")));
        return None;
    }
    if raw.source.trim().is_empty() {
        problems.line(line, format!("constant `{}`: `source` must not be empty", raw.name));
    }
    let value = match &raw.value {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) => f.to_string().parse::<Decimal>().ok(),
        toml::Value::String(s) => s.trim().parse::<Decimal>().ok(),
        _ => None,
    };
    let Some(value) = value else {
        problems.line(line, format!("constant `{}`: expected a number, found {}", raw.name, raw.value));
        return None;
    };
    let positive = expected.positive.contains(&raw.name.as_str());
    if value.is_sign_negative() || (positive && value.is_zero()) {
        let range = if positive { "above 0" } else { "0 or more" };
        problems.line(line, format!("constant `{}`: expected a value {range}, found {value}", raw.name));
        return None;
    }
    if seen.contains_key(&raw.name) {
        problems.line(line, format!("duplicate constant `{}`", raw.name));
        return None;
    }
    Some((raw.name, Constant { value, unit: raw.unit.unwrap_or_default(), source: problems.file.cited(&raw.source) }))
}
