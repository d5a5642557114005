//! `rules/asr-planner.toml`: the Quick Planner's constants and defaults, each with its source.

use rust_decimal::Decimal;

use crate::error::RuleProblem;
use crate::model::Cited;
use crate::rules::RuleFile;
use crate::rules::constants::{Constants, Expected};

pub const RULE_FILE: &str = "asr-planner.toml";

/// The names `rules/asr-planner.toml` must define, each exactly once.
const CONSTANT_NAMES: &[&str] = &[
    "default_compression_pct_vmware",
    "default_compression_pct_physical",
    "default_compression_pct_hyperv",
    "default_retention_days",
    "default_recovery_points",
    "default_initial_replication_hours",
    "default_batch_size",
    "bits_per_byte",
    "seconds_per_day",
    "seconds_per_hour",
    "hours_per_recovery_point",
    "hours_per_day",
    "bandwidth_step_mbps",
    "standard_io_size_kb",
    "premium_io_size_kb",
    "standard_account_iops",
    "standard_disk_iops",
    "premium_account_iops",
    "hyperv_source_storage_pct",
];

/// Constants that are counts or divisors and must be positive whole numbers or positive values.
const POSITIVE: &[&str] = &[
    "bits_per_byte",
    "seconds_per_day",
    "seconds_per_hour",
    "hours_per_recovery_point",
    "hours_per_day",
    "bandwidth_step_mbps",
    "standard_io_size_kb",
    "premium_io_size_kb",
    "standard_account_iops",
    "standard_disk_iops",
    "premium_account_iops",
    "default_initial_replication_hours",
    "default_batch_size",
];

/// The Quick Planner's constants and defaults, by name (see `rules/asr-planner.toml`).
#[derive(Debug, Clone)]
pub struct PlannerConstants {
    constants: Constants,
}

impl PlannerConstants {
    /// Parses and validates the file, adding every problem to `list`.
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let expected = Expected { names: CONSTANT_NAMES, positive: POSITIVE };
        PlannerConstants { constants: Constants::parse(file, &expected, list) }
    }

    pub fn value(&self, name: &str) -> Decimal {
        self.constants.value(name)
    }

    pub fn source(&self, name: &str) -> &Cited {
        self.constants.source(name)
    }

    /// A citation made in code beside the planner's constants (`<key>: <locator>`), resolved with the registry.
    pub fn cite(&self, source: &str) -> Cited {
        self.constants.cite(source)
    }

    pub fn unit(&self, name: &str) -> &str {
        self.constants.unit(name)
    }

    /// Every constant's name, in the rule file's order (the capacity workbook lists them all).
    pub fn names(&self) -> &'static [&'static str] {
        CONSTANT_NAMES
    }
}
