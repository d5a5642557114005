//! `move-support.csv`: whether a Resource Manager type can move to another resource group and to
//! another subscription — every row of Microsoft's move-support-resources.csv, with its line.
//!
//! The source lists four types twice. Same flags: the first row is used. Conflicting flags
//! (`Microsoft.Maintenance/maintenanceconfigurations`: 1,1 on line 402 and 0,0 on line 405): the
//! more restrictive flags are used and both lines are cited, because a move that fails in front of the
//! customer costs more than a resource wrongly held back for review.

use std::collections::HashMap;

use super::RuleFile;
use super::spans::{Problems, read_table};

#[derive(Debug, Clone)]
pub struct MoveSupport {
    pub resource_type: String,
    pub resource_group: bool,
    pub subscription: bool,
    pub rule: String,
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct MoveSupportTable {
    by_type: HashMap<String, MoveSupport>,
    /// Data rows, for reports.
    pub rows: usize,
}

impl MoveSupportTable {
    pub(super) fn parse(file: &RuleFile, problems: &mut Problems) -> Self {
        let header = ["resource_type", "move_resource_group", "move_subscription", "source"];
        let mut table = MoveSupportTable::default();
        for (line, cells) in read_table(file, &header, &mut *problems.list) {
            let flag = |cell: &str| match cell {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            };
            let (Some(resource_group), Some(subscription)) = (flag(&cells[1]), flag(&cells[2])) else {
                problems.line(line, "move_resource_group and move_subscription must be 0 or 1");
                continue;
            };
            table.rows += 1;
            let rule = format!("rules/{} line {line}", file.name);
            let entry = MoveSupport {
                resource_type: cells[0].clone(),
                resource_group,
                subscription,
                rule,
                source: cells[3].clone(),
            };
            let key = cells[0].to_ascii_lowercase();
            match table.by_type.get_mut(&key) {
                None => {
                    table.by_type.insert(key, entry);
                }
                Some(kept)
                    if kept.resource_group == entry.resource_group && kept.subscription == entry.subscription => {}
                Some(kept) => {
                    kept.resource_group &= entry.resource_group;
                    kept.subscription &= entry.subscription;
                    kept.source = format!(
                        "{}; {} (listed twice with conflicting flags: the more restrictive are used)",
                        kept.source, entry.source
                    );
                    kept.rule = format!("{} and line {line}", kept.rule);
                }
            }
        }
        table
    }

    pub fn get(&self, resource_type: &str) -> Option<&MoveSupport> {
        self.by_type.get(&resource_type.to_ascii_lowercase())
    }

    /// Distinct types (case-insensitive).
    pub fn types(&self) -> usize {
        self.by_type.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &MoveSupport> {
        self.by_type.values()
    }
}
