//! Locations as every reader writes them: the ARM short name (`eastus`) whatever the input's spelling — "US East"
//! in pay-as-you-go usage, "East US" in the portal's export, "eastus" in Resource Graph — so a resource read from
//! two inputs has one location and merges. The spellings are the region table's (`rules/regions.csv`). A name the
//! table does not know is kept lowercased without spaces (as before the table was consulted) and listed in one
//! warning for the input, so a user can add its spelling.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::model::Warning;
use crate::model::resource::normalize_location;
use crate::rules::regions::{RULE_FILE, RegionAliases};

/// How many unknown names one warning lists: enough to act on, bounded for an export of millions of rows.
const LISTED: usize = 20;

/// One input's locations: resolved through the region table, the unknown ones remembered for the warning.
pub struct Locations<'r> {
    regions: &'r RegionAliases,
    /// Readers may resolve from two threads (the parser's and the consumer's).
    unknown: Mutex<Unknown>,
}

#[derive(Default)]
struct Unknown {
    names: BTreeSet<String>,
    more: bool,
}

impl<'r> Locations<'r> {
    pub fn new(regions: &'r RegionAliases) -> Self {
        Locations { regions, unknown: Mutex::new(Unknown::default()) }
    }

    /// The ARM location `name` stands for (`US East` → `eastus`); an unknown name lowercased without spaces.
    pub fn arm(&self, name: &str) -> String {
        if let Some(arm) = self.regions.arm_location(name) {
            return arm.to_string();
        }
        let kept = normalize_location(name);
        if !kept.is_empty() {
            self.remember(name.trim());
        }
        kept
    }

    fn remember(&self, name: &str) {
        let Ok(mut unknown) = self.unknown.lock() else {
            return; // a reader thread panicked; its error is the one reported
        };
        if unknown.names.contains(name) {
            return;
        }
        if unknown.names.len() < LISTED {
            unknown.names.insert(name.to_string());
        } else {
            unknown.more = true;
        }
    }

    /// The input's one warning about the names the table does not know, if any.
    pub fn warning(&self) -> Option<Warning> {
        let unknown = self.unknown.lock().ok()?;
        if unknown.names.is_empty() {
            return None;
        }
        let names: Vec<String> = unknown.names.iter().map(|n| format!("\"{n}\"")).collect();
        let more = if unknown.more { " and more" } else { "" };
        Some(Warning {
            location: "column location".to_string(),
            message: format!(
                "location(s) {}{more} are not Azure regions the region table knows (rules/{RULE_FILE}); kept \
                 lowercased without spaces, they match another input's location only when spelled alike. If one \
                 is a region, add its spelling to the region's other_names (--rules DIR)",
                names.join(", ")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_and_price_list_names_become_arm_locations() {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        let locations = Locations::new(&regions);
        for name in ["US East", "East US", "EAST US", "eastus", " east us "] {
            assert_eq!(locations.arm(name), "eastus", "{name}");
        }
        assert_eq!(locations.arm("West Europe"), "westeurope");
        assert!(locations.warning().is_none());
    }

    #[test]
    fn unknown_names_are_kept_and_listed_once() {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        let locations = Locations::new(&regions);
        assert_eq!(locations.arm("Mars North"), "marsnorth");
        assert_eq!(locations.arm("Mars North"), "marsnorth");
        assert_eq!(locations.arm(""), "");
        let warning = locations.warning().unwrap();
        assert_eq!(warning.message.matches("\"Mars North\"").count(), 1, "{}", warning.message);
    }

    #[test]
    fn the_list_is_bounded() {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        let locations = Locations::new(&regions);
        for n in 0..(LISTED + 5) {
            locations.arm(&format!("nowhere {n}"));
        }
        let message = locations.warning().unwrap().message;
        assert_eq!(message.matches("\"nowhere").count(), LISTED);
        assert!(message.contains(" and more"), "{message}");
    }
}
