//! `classic-upgrade.toml`: each classic (Azure Service Management) type's upgrade path to Resource
//! Manager and the type it becomes (anchors.md §2.3), or why it has none.

use crate::model::Cited;
use std::collections::HashMap;

use serde::Deserialize;

use super::RuleFile;
use super::predicate::When;
use super::spans::{Problems, is_duplicate, toml_entries};
use crate::model::Resource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassic {
    #[serde(rename = "type")]
    resource_type: String,
    upgrade: bool,
    becomes: Option<String>,
    message: String,
    workaround: Option<String>,
    source: String,
    when: Option<When>,
}

#[derive(Debug, Clone)]
pub struct ClassicRule {
    pub rule: String,
    pub resource_type: String,
    pub upgrade: bool,
    pub becomes: Option<String>,
    pub message: String,
    pub workaround: Option<String>,
    pub source: Cited,
    pub when: Option<When>,
}

#[derive(Debug, Clone, Default)]
pub struct ClassicRules {
    pub rules: Vec<ClassicRule>,
    /// lowercase type → indexes into `rules`: entries with `when` first, in file order.
    by_type: HashMap<String, Vec<usize>>,
}

impl ClassicRules {
    pub(super) fn parse(file: &RuleFile, problems: &mut Problems) -> Self {
        let mut rules = ClassicRules::default();
        for entry in toml_entries::<RawClassic>(file, "classic", problems) {
            let (line, raw) = (entry.line, entry.value);
            if raw.source.trim().is_empty() || raw.message.trim().is_empty() {
                problems.line(line, "`message` and `source` must not be empty");
            }
            match (raw.upgrade, &raw.becomes) {
                (true, None) => problems.line(line, "`upgrade = true` needs `becomes` (the Resource Manager type)"),
                (false, Some(_)) => problems.line(line, "`becomes` is given but `upgrade = false`"),
                _ => {}
            }
            if let Some(problem) = raw.when.as_ref().and_then(When::problem) {
                problems.line(line, problem);
            }
            let key = raw.resource_type.to_ascii_lowercase();
            let earlier = rules.by_type.get(&key).into_iter().flatten().map(|&i| &rules.rules[i].when);
            if is_duplicate(problems, line, &raw.resource_type, earlier, &raw.when) {
                continue;
            }
            rules.by_type.entry(key).or_default().push(rules.rules.len());
            rules.rules.push(ClassicRule {
                rule: format!("rules/{} line {line}", file.name),
                resource_type: raw.resource_type,
                upgrade: raw.upgrade,
                becomes: raw.becomes,
                message: raw.message,
                workaround: raw.workaround,
                source: file.cited(&raw.source),
                when: raw.when,
            });
        }
        for indexes in rules.by_type.values_mut() {
            indexes.sort_by_key(|&i| (rules.rules[i].when.is_none(), i));
        }
        rules
    }

    /// The first entry for the resource's type whose `when` holds (entries without `when` last).
    pub fn lookup(&self, resource: &Resource) -> Option<(usize, &ClassicRule)> {
        let indexes = self.by_type.get(&resource.resource_type.to_ascii_lowercase())?;
        indexes
            .iter()
            .map(|&i| (i, &self.rules[i]))
            .find(|(_, rule)| rule.when.as_ref().is_none_or(|w| w.matches(resource)))
    }
}
