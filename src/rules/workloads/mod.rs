//! `rules/workloads.toml`: the server rules, deserialised and validated into typed tests with every problem
//! reported at once (file, line), as the other rule loaders do.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Deserialize;

use serde::Serialize;

use crate::error::RuleProblem;
use crate::model::Cited;
use crate::model::codes::{self, CapacityCode, WorkloadsCode};
use crate::rules::RuleFile;
use crate::rules::spans::{Problems, toml_entries};

pub mod inputs;

pub const RULE_FILE: &str = "workloads.toml";

/// The verdict for a server no rule judges.
pub const NEEDS_REVIEW: &str = WorkloadsCode::NeedsReview.as_str();

/// The seed's three groups, ordered from best to worst (an application is the worst of its servers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Green,
    Yellow,
    Red,
}

impl Color {
    pub fn parse(text: &str) -> Option<Color> {
        match text.trim().to_ascii_lowercase().as_str() {
            "green" => Some(Color::Green),
            "yellow" => Some(Color::Yellow),
            "red" => Some(Color::Red),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Green => "green",
            Color::Yellow => "yellow",
            Color::Red => "red",
        }
    }

    /// The word shown beside the colour (never colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Color::Green => "GREEN",
            Color::Yellow => "YELLOW",
            Color::Red => "RED",
        }
    }
}

/// The kind of value a field holds, which decides the tests a rule may use on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Number,
    Flag,
    Codes,
}

impl FieldKind {
    pub fn expected(self) -> &'static str {
        match self {
            FieldKind::Text => "\"text\", { any_of = [...] }, { contains_any = [...] } or { missing = true|false }",
            FieldKind::Number => "a number, { above | below | at_least | at_most = N } or { missing = true|false }",
            FieldKind::Flag => "true or false",
            FieldKind::Codes => "{ any_of = [codes] } or { missing = true|false }",
        }
    }
}

/// Every field a rule may test (rules/workloads.toml lists them).
pub const FIELDS: &[(&str, FieldKind)] = &[
    ("os", FieldKind::Text),
    ("os_support", FieldKind::Text),
    ("architecture", FieldKind::Text),
    ("boot", FieldKind::Text),
    ("power_state", FieldKind::Text),
    ("cores", FieldKind::Number),
    ("memory_gb", FieldKind::Number),
    ("nics", FieldKind::Number),
    ("disks", FieldKind::Number),
    ("largest_disk_gb", FieldKind::Number),
    ("total_storage_gb", FieldKind::Number),
    ("qualified", FieldKind::Flag),
    ("template", FieldKind::Flag),
    ("planner", FieldKind::Codes),
];

/// The Detailed Planner's reason codes for "not qualified": the registry's capacity codes, in its order.
pub const PLANNER_CODES: [&str; CapacityCode::ALL.len()] = {
    let mut codes = [""; CapacityCode::ALL.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = CapacityCode::ALL[i].as_str();
        i += 1;
    }
    codes
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    code: String,
    color: String,
    #[serde(default)]
    review: bool,
    when: toml::Table,
    message: String,
    source: String,
}

/// One test on one field of a server's facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    TextEquals(String),
    TextAnyOf(Vec<String>),
    TextContainsAny(Vec<String>),
    NumberEquals(Decimal),
    Above(Decimal),
    Below(Decimal),
    AtLeast(Decimal),
    AtMost(Decimal),
    Flag(bool),
    CodesAnyOf(Vec<String>),
    /// `missing = true`: the inventory does not give the field; `false`: it does.
    Missing(bool),
}

/// One rule, validated.
#[derive(Debug, Clone)]
pub struct ServerRule {
    pub code: String,
    pub color: Color,
    pub review: bool,
    pub when: Vec<(&'static str, Test)>,
    pub message: String,
    pub source: String,
    pub line: u64,
    /// The planner codes the rule tests, for `{planner}` in its message (worked out once, not per server).
    pub planner_codes: Vec<String>,
    /// How a reason cites the rule: "workloads.toml line 12: <source>".
    pub citation: Cited,
}

/// The planner codes a rule's tests name.
fn planner_codes(when: &[(&'static str, Test)]) -> Vec<String> {
    when.iter()
        .filter_map(|(_, test)| match test {
            Test::CodesAnyOf(list) => Some(list.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The whole file.
#[derive(Debug, Clone)]
pub struct WorkloadRules {
    pub rules: Vec<ServerRule>,
    /// The citation of a server no rule judged (yellow, for review).
    pub no_rule_matched: Cited,
}

/// Why a server no rule judges is yellow and for review (resolved with the pack's sources registry).
pub const NO_RULE_MATCHED_SOURCE: &str = "csp-planner-choice: a server no rule of workloads.toml judges is yellow and flagged for review, never green by default";

impl WorkloadRules {
    /// Parses and validates the file, adding every problem to `list`.
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let mut problems = Problems { file, list };
        let mut rules = Vec::new();
        let mut codes = BTreeSet::new();
        for entry in toml_entries::<RawRule>(file, "rule", &mut problems) {
            let (raw, line) = (entry.value, entry.line);
            let mut problem = |message: String| problems.line(line, message);
            if !codes::is_well_formed(&raw.code) {
                problem(format!("code `{}`: lower-case words joined by '-' (e.g. `os-unknown`)", raw.code));
            }
            if raw.code == NEEDS_REVIEW {
                problem(format!("code `{}` is the verdict for servers no rule judges; choose another", raw.code));
            } else if raw.code == "override" || raw.code.starts_with("override-") {
                problem(format!(
                    "code `{}`: `override` codes are the consultant's decisions; choose another",
                    raw.code
                ));
            }
            if !codes.insert(raw.code.clone()) {
                problem(format!("code `{}` is already used by another rule", raw.code));
            }
            let color = Color::parse(&raw.color);
            if color.is_none() {
                problem(format!("color `{}`: expected green, yellow or red", raw.color));
            }
            if raw.source.trim().is_empty() {
                problem("source is empty: every rule names its source".to_string());
            }
            if raw.message.trim().is_empty() {
                problem("message is empty".to_string());
            }
            if raw.when.is_empty() {
                problem("`when` is empty: a rule tests at least one field".to_string());
            }
            let mut when = Vec::new();
            for (field, value) in &raw.when {
                match parse_test(field, value) {
                    Ok(test) => when.push(test),
                    Err(message) => problem(format!("when.{field}: {message}")),
                }
            }
            if let Some(color) = color {
                rules.push(ServerRule {
                    code: raw.code,
                    color,
                    review: raw.review,
                    planner_codes: planner_codes(&when),
                    citation: {
                        let cited = problems.file.cited(&raw.source);
                        cited.with_text(format!("{RULE_FILE} line {line}: {cited}"))
                    },
                    when,
                    message: raw.message,
                    source: problems.file.cite(&raw.source),
                    line,
                });
            }
        }
        WorkloadRules { rules, no_rule_matched: problems.file.cited(NO_RULE_MATCHED_SOURCE) }
    }
}

fn parse_test(field: &str, value: &toml::Value) -> std::result::Result<(&'static str, Test), String> {
    let Some((name, kind)) = FIELDS.iter().find(|(name, _)| *name == field) else {
        let known: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
        return Err(format!("unknown field; known fields: {}", known.join(", ")));
    };
    let test = match (kind, value) {
        (FieldKind::Text, toml::Value::String(text)) => Test::TextEquals(text.clone()),
        (FieldKind::Number, toml::Value::Integer(_) | toml::Value::Float(_)) => Test::NumberEquals(number(value)?),
        (FieldKind::Flag, toml::Value::Boolean(flag)) => Test::Flag(*flag),
        (_, toml::Value::Table(table)) => table_test(*kind, table)?,
        _ => return Err(format!("expected {}", kind.expected())),
    };
    Ok((name, test))
}

/// `{ any_of = [...] }`, `{ above = N }`, `{ missing = true }`, …: exactly one test per field.
fn table_test(kind: FieldKind, table: &toml::Table) -> std::result::Result<Test, String> {
    let mut entries = table.iter();
    let (Some((test, value)), None) = (entries.next(), entries.next()) else {
        return Err(format!("expected exactly one test: {}", kind.expected()));
    };
    let test = match (kind, test.as_str()) {
        (_, "missing") => Test::Missing(value.as_bool().ok_or("`missing` is true or false")?),
        (FieldKind::Text, "any_of") => Test::TextAnyOf(texts(value)?),
        (FieldKind::Text, "contains_any") => Test::TextContainsAny(texts(value)?),
        (FieldKind::Number, "above") => Test::Above(number(value)?),
        (FieldKind::Number, "below") => Test::Below(number(value)?),
        (FieldKind::Number, "at_least") => Test::AtLeast(number(value)?),
        (FieldKind::Number, "at_most") => Test::AtMost(number(value)?),
        (FieldKind::Codes, "any_of") => {
            let codes = texts(value)?;
            if let Some(unknown) = codes.iter().find(|c| !PLANNER_CODES.contains(&c.as_str())) {
                return Err(format!("unknown planner code `{unknown}`; known codes: {}", PLANNER_CODES.join(", ")));
            }
            Test::CodesAnyOf(codes)
        }
        _ => return Err(format!("unknown test `{test}`: expected {}", kind.expected())),
    };
    Ok(test)
}

fn texts(value: &toml::Value) -> std::result::Result<Vec<String>, String> {
    let list = value.as_array().ok_or("expected a list of texts")?;
    let texts: Option<Vec<String>> = list.iter().map(|v| v.as_str().map(str::to_string)).collect();
    match texts {
        Some(texts) if !texts.is_empty() => Ok(texts),
        _ => Err("expected a non-empty list of texts".to_string()),
    }
}

fn number(value: &toml::Value) -> std::result::Result<Decimal, String> {
    match value {
        toml::Value::Integer(n) => Ok(Decimal::from(*n)),
        toml::Value::Float(f) => Decimal::try_from(*f).map_err(|_| format!("{f} is not a usable number")),
        _ => Err("expected a number".to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[NO_RULE_MATCHED_SOURCE]);
    }

    use super::*;
    use crate::rules::RulePack;

    fn pack_with(text: &str) -> RulePack {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(RULE_FILE), text).unwrap();
        RulePack::with_overrides(dir.path()).unwrap()
    }

    #[test]
    fn the_embedded_rules_are_valid() {
        let rules = crate::rules::Rules::embedded().workloads.clone();
        assert!(rules.rules.iter().any(|r| r.color == Color::Green));
        assert!(rules.rules.iter().all(|r| !r.when.is_empty()));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "[[rule]]\ncode = \"Bad Code\"\ncolor = \"purple\"\nwhen = { shoe_size = 3 }\nmessage = \"m\"\n\
                    source = \"\"\n\n[[rule]]\ncode = \"x\"\ncolor = \"red\"\nwhen = { cores = { above = \"many\" }, \
                    planner = { any_of = [\"nope\"] } }\nmessage = \"m\"\nsource = \"s\"\n";
        let mut list = Vec::new();
        WorkloadRules::parse(pack_with(text).file(RULE_FILE).unwrap(), &mut list);
        let all: Vec<String> = list.iter().map(|p| p.to_string()).collect();
        let all = all.join("\n");
        for expected in [
            "line 1",
            "code `Bad Code`",
            "color `purple`",
            "when.shoe_size: unknown field",
            "source is empty",
            "line 8",
            "when.cores: expected a number",
            "unknown planner code `nope`",
        ] {
            assert!(all.contains(expected), "{expected} in:\n{all}");
        }
    }
}
