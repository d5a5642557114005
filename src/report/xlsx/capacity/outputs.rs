//! The OUTPUT block (seed 002 L13555-L13575) with the seed's labels, the same for both planners: each cell a
//! formula over the working cells, cached with the figure of `capacity … --format json`.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::cells::Cached;
use super::planner::Line;

/// The figures of the JSON contract both planners report, read from the plan's own JSON (the same keys, so the
/// cached values are exactly what `--format json` prints: display-rounded decimals and counts).
pub struct Totals(serde_json::Value);

impl Totals {
    pub fn of<T: serde::Serialize>(plan: &T) -> std::io::Result<Totals> {
        serde_json::to_value(plan).map(Totals).map_err(std::io::Error::other)
    }

    fn decimal(&self, key: &str) -> Decimal {
        self.0[key].as_str().and_then(|text| Decimal::from_str(text).ok()).unwrap_or_default()
    }

    fn count(&self, key: &str) -> u64 {
        self.0[key].as_u64().unwrap_or_default()
    }

    fn text(&self, key: &str) -> String {
        self.0[key].as_str().unwrap_or_default().to_string()
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
            t.decimal("total_data_to_replicate_gb"),
            "F1, rounded to 2 decimals",
        ),
        rounded(
            "Amount of data changed per day (in GBs)",
            "changed_per_day_gb",
            t.decimal("data_changed_per_day_gb"),
            "F2, rounded to 2 decimals",
        ),
        rounded(
            "Amount of data Xfered per day (in GBs)",
            "transferred_per_day_gb",
            t.decimal("data_transferred_per_day_gb"),
            "F3, rounded to 2 decimals",
        ),
    ]
}

/// The OUTPUT block, seed order and labels (L13555-L13575).
pub fn output(t: &Totals) -> Vec<Line> {
    [bandwidth_output(t), azure_output(t), other_infra_output(t)].into_iter().flatten().collect()
}

/// The network bandwidth the replication needs.
fn bandwidth_output(t: &Totals) -> Vec<Line> {
    vec![
        Line::Heading("OUTPUT"),
        Line::Heading("Network Bandwidth requirements"),
        rounded(
            "Bandwidth required for delta replication (in Megabits/sec)",
            "delta_mbps",
            t.decimal("delta_replication_mbps"),
            "F5 rounded up to the next bandwidth_step_mbps",
        ),
        rounded(
            "Average bandwidth for delta replication (in Megabits/sec)",
            "delta_mbps_raw",
            t.decimal("delta_replication_mbps_raw"),
            "F5 before rounding up (JSON delta_replication_mbps_raw)",
        ),
        rounded(
            "Bandwidth required for initial replication (In Megabits/sec)",
            "initial_mbps",
            t.decimal("initial_replication_mbps"),
            "F4 rounded up to the next bandwidth_step_mbps",
        ),
        rounded(
            "Average bandwidth for initial replication (In Megabits/sec)",
            "initial_mbps_raw",
            t.decimal("initial_replication_mbps_raw"),
            "F4 before rounding up (JSON initial_replication_mbps_raw)",
        ),
        Line::Heading("Bandwidth refers to dedicated bandwidth for replication."),
    ]
}

/// The storage accounts and IOPS in Azure.
fn azure_output(t: &Totals) -> Vec<Line> {
    vec![
        Line::Heading("Azure requirements"),
        rounded(
            "Storage required (in GBs)",
            "storage_gb",
            t.decimal("storage_required_gb"),
            "F6, rounded to 2 decimals",
        ),
        count("Total IOPS on standard storage accounts", "standard_iops", t.count("standard_storage_iops"), "F7"),
        count(
            "Number of standard storage accounts required",
            "standard_accounts",
            t.count("standard_storage_accounts"),
            "F8",
        ),
        count("Number of Blob disks required", "blob_disk_count", t.count("blob_disks"), "F9"),
        count(
            "Number of premium storage accounts required",
            "premium_accounts",
            t.count("premium_storage_accounts"),
            "F10",
        ),
        count("Total IOPS on premium storage accounts", "premium_iops", t.count("premium_storage_iops"), "F11"),
    ]
}

/// The configuration and process servers, and the storage on the source.
fn other_infra_output(t: &Totals) -> Vec<Line> {
    let source_storage = t.text("additional_source_storage");
    let source_storage = match Decimal::from_str(&source_storage) {
        Ok(gb) => Cached::Number(gb),
        Err(_) => Cached::Text(source_storage),
    };
    vec![
        Line::Heading("Other Infra requirements"),
        count(
            "Number of Configuration Servers required",
            "configuration_servers",
            t.count("configuration_servers"),
            "F12: the Sizing sheet (rules/asr-sizing.toml)",
        ),
        count(
            "Number of additional Process Servers required",
            "additional_process_servers",
            t.count("additional_process_servers"),
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
