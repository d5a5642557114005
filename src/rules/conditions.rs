//! `move-conditions.toml`: the conditions on cross-subscription moves that move-support.csv drops
//! (anchors.md §2.1–§2.2): SKU limits, private-link targets, things to verify first.

use crate::model::Cited;
use std::collections::HashMap;

use serde::Deserialize;

use super::RuleFile;
use super::predicate::When;
use super::spans::{Problems, is_duplicate, toml_entries};
use crate::model::codes::AssessCode;
use crate::model::{CspStatus, Resource};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(rename = "type")]
    resource_type: String,
    when: Option<When>,
    status: CspStatus,
    code: String,
    message: String,
    workaround: Option<String>,
    source: String,
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub rule: String,
    pub resource_type: String,
    pub when: Option<When>,
    pub status: CspStatus,
    pub code: String,
    pub message: String,
    pub workaround: Option<String>,
    pub source: Cited,
}

/// The code each status must carry (rules/README.md): a built-in code of the registry.
fn code_for(status: CspStatus) -> &'static str {
    AssessCode::for_condition(status).as_str()
}

#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub conditions: Vec<Condition>,
    /// lowercase type, or lowercase namespace for `Namespace/*` → indexes, in file order.
    by_type: HashMap<String, Vec<usize>>,
}

impl Conditions {
    pub(super) fn parse(file: &RuleFile, problems: &mut Problems) -> Self {
        let mut conditions = Conditions::default();
        for entry in toml_entries::<RawCondition>(file, "condition", problems) {
            let (line, raw) = (entry.line, entry.value);
            if raw.code != code_for(raw.status) {
                problems.line(
                    line,
                    format!(
                        "status {} goes with code `{}`, not `{}`",
                        raw.status.as_str(),
                        code_for(raw.status),
                        raw.code
                    ),
                );
            }
            if raw.source.trim().is_empty() || raw.message.trim().is_empty() {
                problems.line(line, "`message` and `source` must not be empty");
            }
            if let Some(problem) = raw.when.as_ref().and_then(When::problem) {
                problems.line(line, problem);
            }
            let key = raw.resource_type.to_ascii_lowercase();
            let earlier = conditions.by_type.get(&key).into_iter().flatten().map(|&i| &conditions.conditions[i].when);
            if is_duplicate(problems, line, &raw.resource_type, earlier, &raw.when) {
                continue;
            }
            conditions.by_type.entry(key).or_default().push(conditions.conditions.len());
            conditions.conditions.push(Condition {
                rule: format!("rules/{} line {line}", file.name),
                resource_type: raw.resource_type,
                when: raw.when,
                status: raw.status,
                code: raw.code,
                message: raw.message,
                workaround: raw.workaround,
                source: file.cited(&raw.source),
            });
        }
        conditions
    }

    /// The first condition for the resource's type (or its namespace) whose `when` holds.
    pub fn lookup(&self, resource: &Resource) -> Option<(usize, &Condition)> {
        let resource_type = resource.resource_type.to_ascii_lowercase();
        let namespace = resource_type.split('/').next().map(|ns| format!("{ns}/*"));
        let mut indexes: Vec<usize> = self.by_type.get(&resource_type).cloned().unwrap_or_default();
        if let Some(namespace) = namespace.and_then(|ns| self.by_type.get(&ns)) {
            indexes.extend(namespace);
            indexes.sort_unstable();
        }
        indexes
            .into_iter()
            .map(|i| (i, &self.conditions[i]))
            .find(|(_, c)| c.when.as_ref().is_none_or(|w| w.matches(resource)))
    }
}
