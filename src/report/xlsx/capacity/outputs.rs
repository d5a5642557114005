//! The OUTPUT block (seed 002 L13555-L13575) with the seed's labels, the same for both planners: each cell a
//! formula over the working cells, cached with the figure of `capacity … --format json`.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::cells::Cached;
use super::planner::Line;
use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::QuickPlan;

/// The figures of the JSON contract both planners report (display-rounded, as the JSON has them).
pub struct Totals {
    pub total_data_to_replicate_gb: Decimal,
    pub data_changed_per_day_gb: Decimal,
    pub data_transferred_per_day_gb: Decimal,
    pub delta_replication_mbps: Decimal,
    pub delta_replication_mbps_raw: Decimal,
    pub initial_replication_mbps: Decimal,
    pub initial_replication_mbps_raw: Decimal,
    pub storage_required_gb: Decimal,
    pub standard_storage_iops: u64,
    pub standard_storage_accounts: u64,
    pub blob_disks: u64,
    pub premium_storage_accounts: u64,
    pub premium_storage_iops: u64,
    pub configuration_servers: u32,
    pub additional_process_servers: u32,
    pub additional_source_storage: String,
}

macro_rules! totals_from {
    ($plan:expr) => {
        Totals {
            total_data_to_replicate_gb: $plan.total_data_to_replicate_gb,
            data_changed_per_day_gb: $plan.data_changed_per_day_gb,
            data_transferred_per_day_gb: $plan.data_transferred_per_day_gb,
            delta_replication_mbps: $plan.delta_replication_mbps,
            delta_replication_mbps_raw: $plan.delta_replication_mbps_raw,
            initial_replication_mbps: $plan.initial_replication_mbps,
            initial_replication_mbps_raw: $plan.initial_replication_mbps_raw,
            storage_required_gb: $plan.storage_required_gb,
            standard_storage_iops: $plan.standard_storage_iops,
            standard_storage_accounts: $plan.standard_storage_accounts,
            blob_disks: $plan.blob_disks,
            premium_storage_accounts: $plan.premium_storage_accounts,
            premium_storage_iops: $plan.premium_storage_iops,
            configuration_servers: $plan.configuration_servers,
            additional_process_servers: $plan.additional_process_servers,
            additional_source_storage: $plan.additional_source_storage.clone(),
        }
    };
}

impl Totals {
    pub fn quick(plan: &QuickPlan) -> Totals {
        totals_from!(plan)
    }

    pub fn detailed(plan: &DetailedPlan) -> Totals {
        totals_from!(plan)
    }
}

fn rounded(label: &'static str, name: &str, value: Decimal, note: &'static str) -> Line {
    Line::Output { label, formula: format!("ROUND({name},2)"), cached: Cached::Number(value), note }
}

fn count(label: &'static str, name: &str, value: u64, note: &'static str) -> Line {
    Line::Output { label, formula: name.to_string(), cached: Cached::count(value), note }
}

/// F1-F3, which the seed shows inside its INPUTS block (L13517-L13522).
pub fn data(t: &Totals) -> [Line; 3] {
    [
        rounded(
            "Total data to be replicated (in GBs)",
            "total_data_gb",
            t.total_data_to_replicate_gb,
            "F1, rounded to 2 decimals",
        ),
        rounded(
            "Amount of data changed per day (in GBs)",
            "changed_per_day_gb",
            t.data_changed_per_day_gb,
            "F2, rounded to 2 decimals",
        ),
        rounded(
            "Amount of data Xfered per day (in GBs)",
            "transferred_per_day_gb",
            t.data_transferred_per_day_gb,
            "F3, rounded to 2 decimals",
        ),
    ]
}

/// The OUTPUT block, seed order and labels (L13555-L13575).
pub fn output(t: &Totals) -> Vec<Line> {
    let source_storage = match Decimal::from_str(&t.additional_source_storage) {
        Ok(gb) => Cached::Number(gb),
        Err(_) => Cached::Text(t.additional_source_storage.clone()),
    };
    vec![
        Line::Heading("OUTPUT"),
        Line::Heading("Network Bandwidth requirements"),
        rounded(
            "Bandwidth required for delta replication (in Megabits/sec)",
            "delta_mbps",
            t.delta_replication_mbps,
            "F5 rounded up to the next bandwidth_step_mbps",
        ),
        rounded(
            "Average bandwidth for delta replication (in Megabits/sec)",
            "delta_mbps_raw",
            t.delta_replication_mbps_raw,
            "F5 before rounding up (JSON delta_replication_mbps_raw)",
        ),
        rounded(
            "Bandwidth required for initial replication (In Megabits/sec)",
            "initial_mbps",
            t.initial_replication_mbps,
            "F4 rounded up to the next bandwidth_step_mbps",
        ),
        rounded(
            "Average bandwidth for initial replication (In Megabits/sec)",
            "initial_mbps_raw",
            t.initial_replication_mbps_raw,
            "F4 before rounding up (JSON initial_replication_mbps_raw)",
        ),
        Line::Heading("Bandwidth refers to dedicated bandwidth for replication."),
        Line::Heading("Azure requirements"),
        rounded("Storage required (in GBs)", "storage_gb", t.storage_required_gb, "F6, rounded to 2 decimals"),
        count("Total IOPS on standard storage accounts", "standard_iops", t.standard_storage_iops, "F7"),
        count("Number of standard storage accounts required", "standard_accounts", t.standard_storage_accounts, "F8"),
        count("Number of Blob disks required", "blob_disk_count", t.blob_disks, "F9"),
        count("Number of premium storage accounts required", "premium_accounts", t.premium_storage_accounts, "F10"),
        count("Total IOPS on premium storage accounts", "premium_iops", t.premium_storage_iops, "F11"),
        Line::Heading("Other Infra requirements"),
        count(
            "Number of Configuration Servers required",
            "configuration_servers",
            u64::from(t.configuration_servers),
            "F12: the Sizing sheet (rules/asr-sizing.toml)",
        ),
        count(
            "Number of additional Process Servers required",
            "additional_process_servers",
            u64::from(t.additional_process_servers),
            "F13: the Sizing sheet (rules/asr-sizing.toml)",
        ),
        Line::Output {
            label: "100% additional storage on the Source",
            formula: "IF(scenario=\"hyperv\",ROUND(source_storage_gb,2),\"NA\")".to_string(),
            cached: source_storage,
            note: "F14: GB for Hyper-V, NA otherwise",
        },
    ]
}
