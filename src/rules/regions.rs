//! The region alias table, `rules/regions.csv`: the price list and rate card say "EU West", usage exports
//! say "West Europe", "westeurope" or (Cost Management) "Cardiff"; prices and usage join on one name.
//!
//! Every spelling of a row (ARM location, display name, price-list name, other names) is an alias of the
//! row's ARM location. Aliases compare ignoring case, spaces and punctuation; an alias that names two
//! regions is a validation problem, as are the table's own problems (header, empty cells, no source).
//!
//! The readers use it too (`ReadRules::regions`): a usage export's "US East" and a Resource Graph export's
//! "eastus" are one location, so the same resource read from both merges.

use std::collections::HashMap;

use super::type_tables::read_table_allowing_empty;
use super::{RuleFile, normalize_key};
use crate::error::RuleProblem;
use crate::model::resource::normalize_location;

pub const RULE_FILE: &str = "regions.csv";

const HEADER: [&str; 5] = ["arm_location", "display_name", "price_list_region", "other_names", "source"];
/// `other_names` may be empty; every other cell must be filled.
const OPTIONAL: [usize; 1] = [3];
/// Separates the spellings inside `other_names` (a comma would need quoting in the CSV).
const NAME_SEPARATOR: char = ';';

/// Region spellings → the ARM location id (`westeurope`).
#[derive(Debug, Clone, Default)]
pub struct RegionAliases {
    /// normalised alias → (ARM location, line of the row that defined it)
    aliases: HashMap<String, (String, u64)>,
}

impl RegionAliases {
    /// Parses the file, adding its problems to `problems` (for `rules check`).
    pub fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Self {
        let mut table = RegionAliases::default();
        for (line, cells) in read_table_allowing_empty(file, &HEADER, &OPTIONAL, problems) {
            let [arm, display, price_list, others, _source] = cells.as_slice() else {
                continue; // read_table only returns rows with every column
            };
            let mut problem = |message: String| problems.push(file.problem(Some(format!("line {line}")), message));
            if !arm.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
                problem(format!("`arm_location` \"{arm}\" must be lowercase letters and digits (e.g. westeurope)"));
                continue;
            }
            let names = [arm.as_str(), display, price_list].into_iter().chain(others.split(NAME_SEPARATOR));
            for name in names.map(str::trim).filter(|n| !n.is_empty()) {
                if let Some(message) = table.insert(name, arm, line) {
                    problem(message);
                }
            }
        }
        table
    }

    /// Adds one alias; the message when it already names another region.
    fn insert(&mut self, name: &str, arm: &str, line: u64) -> Option<String> {
        let key = normalize_key(name);
        match self.aliases.get(&key) {
            Some((other, _)) if other == arm => None,
            Some((other, other_line)) => Some(format!(
                "\"{name}\" names both {other} (line {other_line}) and {arm}; an alias must name one region"
            )),
            None => {
                self.aliases.insert(key, (arm.to_string(), line));
                None
            }
        }
    }

    /// The ARM location a region name stands for; an unknown name lowercased without spaces, so two
    /// spellings the table does not know still match when they differ only in case and spacing.
    pub fn canonical(&self, name: &str) -> String {
        match self.arm_location(name) {
            Some(arm) => arm.to_string(),
            None => normalize_location(name),
        }
    }

    /// The ARM location a region name stands for, `None` when the table does not know the name.
    pub fn arm_location(&self, name: &str) -> Option<&str> {
        self.aliases.get(&normalize_key(name)).map(|(arm, _)| arm.as_str())
    }

    /// The number of distinct spellings known.
    pub fn len(&self) -> usize {
        self.aliases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.aliases.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Origin;

    fn parse(text: &str) -> (RegionAliases, Vec<RuleProblem>) {
        let file = RuleFile::new(RULE_FILE.to_string(), Origin::Embedded, text.to_string());
        let mut problems = Vec::new();
        (RegionAliases::parse(&file, &mut problems), problems)
    }

    #[test]
    fn the_embedded_table_is_valid_and_joins_the_three_vocabularies() {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        for name in ["EU West", "West Europe", "westeurope", "WestEurope", " eu  west "] {
            assert_eq!(regions.canonical(name), "westeurope", "{name}");
        }
        assert_eq!(regions.canonical("US Gov TX"), "usgovtexas");
        assert_eq!(regions.canonical("Cardiff"), "ukwest");
        assert_eq!(regions.canonical("South East Asia"), "southeastasia");
    }

    #[test]
    fn unknown_names_are_lowercased_without_spaces() {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        assert_eq!(regions.canonical("Zone 2"), "zone2");
        // Virginia is both East US and East US 2 in Cost Management exports: deliberately not an alias.
        assert_eq!(regions.canonical("Virginia"), "virginia");
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = "arm_location,display_name,price_list_region,other_names,source\n\
                    westeurope,West Europe,EU West,Amsterdam,docs\n\
                    northeurope,North Europe,EU North,Amsterdam,docs\n\
                    West Europe,West Europe,EU West,,docs\n\
                    uksouth,UK South,UK South,,\n";
        let (_, mut problems) = parse(text);
        // read_table reports the table's own problems (an empty cell) before the alias problems.
        problems.sort_by_key(|p| p.location.clone());
        let lines: Vec<_> = problems.iter().map(|p| p.location.clone().unwrap_or_default()).collect();
        assert_eq!(lines, ["line 3", "line 4", "line 5"], "{problems:?}");
        assert!(problems[0].message.contains("names both westeurope (line 2) and northeurope"));
        assert!(problems[2].message.contains("`source` is empty"));
    }
}
