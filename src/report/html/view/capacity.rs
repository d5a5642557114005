//! The capacity plan: the Quick Planner's inputs and outputs, or the Detailed Planner's servers.

use serde::Serialize;

use super::CapacityPart;
use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::SizingOptions;
use crate::report::{capacity_detailed, capacity_table};

#[derive(Serialize)]
pub(super) struct CapacityView {
    planner: &'static str,
    inputs: Vec<LabelValue>,
    outputs: Vec<LabelValue>,
    sizing: Vec<SizingRow>,
    servers: Vec<ServerView>,
    detailed: bool,
}

#[derive(Serialize)]
struct LabelValue {
    label: String,
    value: String,
    heading: bool,
}

#[derive(Serialize)]
struct SizingRow {
    option: &'static str,
    role: &'static str,
    vcpus: u32,
    memory_gb: u32,
    cache_disk_gb: u32,
    machines: u32,
    change_gb_per_day: String,
}

#[derive(Serialize)]
struct ServerView {
    name: String,
    /// Empty when the inventory row leaves the cell empty.
    cores: String,
    memory_mb: String,
    azure_vm_size: Option<String>,
    qualified: bool,
    reasons: Vec<String>,
    storage_account: Option<String>,
}

pub(super) fn capacity(part: CapacityPart) -> CapacityView {
    match part {
        CapacityPart::Quick(plan) => {
            let rows = capacity_table::rows(plan);
            CapacityView {
                planner: "Quick Planner",
                inputs: labelled(&rows, "inputs"),
                outputs: labelled(&rows, "output"),
                sizing: sizing(&plan.sizing),
                servers: Vec::new(),
                detailed: false,
            }
        }
        CapacityPart::Detailed(plan) => CapacityView {
            planner: "Detailed Planner",
            inputs: detailed_inputs(plan),
            outputs: capacity_detailed::totals(plan)
                .into_iter()
                .map(|(label, _, value)| LabelValue { label: label.to_string(), value, heading: false })
                .collect(),
            sizing: sizing(&plan.sizing),
            servers: plan.servers.iter().map(server).collect(),
            detailed: true,
        },
    }
}

/// The Quick Planner's rows of one block (`inputs`, `output`) with the seed's labels; rows without a key are the
/// seed's headings.
fn labelled(rows: &[capacity_table::Row], section: &str) -> Vec<LabelValue> {
    rows.iter()
        .filter(|r| r.section == section)
        .map(|r| LabelValue {
            label: r.label.clone(),
            value: match r.defaulted {
                Some(true) => format!("{} (default)", r.value),
                _ => r.value.clone(),
            },
            heading: r.key.is_empty(),
        })
        .collect()
}

/// The Detailed Planner's inputs by their JSON keys (the files, then each setting, marked when defaulted).
fn detailed_inputs(plan: &DetailedPlan) -> Vec<LabelValue> {
    let mut rows: Vec<LabelValue> = plan
        .inputs
        .files
        .iter()
        .map(|f| LabelValue {
            label: format!("Server inventory {}", f.path),
            value: format!("{} ({} server(s))", f.format, f.servers),
            heading: false,
        })
        .collect();
    let Ok(serde_json::Value::Object(settings)) = serde_json::to_value(&plan.inputs) else { return rows };
    for (key, setting) in settings.iter().filter(|(k, _)| *k != "files") {
        let value = match &setting["value"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let defaulted = setting["defaulted"].as_bool() == Some(true);
        let value = if defaulted { format!("{value} (default)") } else { value };
        rows.push(LabelValue { label: key.clone(), value, heading: false });
    }
    rows
}

fn sizing(options: &SizingOptions) -> Vec<SizingRow> {
    let up = options.scale_up.iter().map(|s| ("scale-up", s));
    up.chain(options.scale_out.iter().map(|s| ("scale-out", s)))
        .map(|(option, spec)| SizingRow {
            option,
            role: spec.role.as_str(),
            vcpus: spec.vcpus,
            memory_gb: spec.memory_gb,
            cache_disk_gb: spec.cache_disk_gb,
            machines: spec.machines,
            change_gb_per_day: spec.change_gb_per_day.normalize().to_string(),
        })
        .collect()
}

fn server(row: &crate::capacity::detailed::ServerRow) -> ServerView {
    ServerView {
        name: row.name.clone(),
        cores: row.cores.map(|c| c.to_string()).unwrap_or_default(),
        memory_mb: row.memory_mb.map(|m| m.normalize().to_string()).unwrap_or_default(),
        azure_vm_size: row.azure_vm_size.clone(),
        qualified: row.qualified,
        reasons: row.qualification_reasons.clone(),
        storage_account: row.storage_account.clone(),
    }
}
