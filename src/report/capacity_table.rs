//! `capacity quick` on the terminal and as CSV: the seed's INPUTS and OUTPUT blocks with its labels
//! (seed 002 L13509-L13575), the sizing options and the notes.

use std::io::Write;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::quick::{Input, QuickPlan, Scenario};
use crate::capacity::sizing::ServerSpec;
use crate::output::csv_safe;

/// One line of the report: a section heading (no key) or a labelled value.
pub(crate) struct Row {
    pub section: &'static str,
    pub label: String,
    pub key: &'static str,
    pub value: String,
    pub defaulted: Option<bool>,
}

fn percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

/// The value an enum serializes to (its JSON spelling).
pub(crate) fn spelled<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

const IN: &str = "inputs";
const OUT: &str = "output";

/// A section heading: a row without a key.
fn heading(rows: &mut Vec<Row>, section: &'static str, label: &str) {
    rows.push(Row { section, label: label.to_string(), key: "", value: String::new(), defaulted: None })
}

/// A computed value: never defaulted.
fn value(section: &'static str, label: &str, key: &'static str, value: String) -> Row {
    Row { section, label: label.to_string(), key, value, defaulted: None }
}

/// An input, marked when defaulted.
fn input<T>(section: &'static str, label: &str, key: &'static str, input: &Input<T>, shown: String) -> Row {
    Row { section, label: label.to_string(), key, value: shown, defaulted: Some(input.defaulted) }
}

/// The seed's labels and the plan's values, in the seed's order (the terminal, CSV and HTML show these).
pub(crate) fn rows(plan: &QuickPlan) -> Vec<Row> {
    let mut rows = Vec::new();
    infra_inputs(plan, &mut rows);
    churn_inputs(plan, &mut rows);
    retention_and_replication_inputs(plan, &mut rows);
    settings_inputs(plan, &mut rows);
    bandwidth_outputs(plan, &mut rows);
    azure_outputs(plan, &mut rows);
    other_infra_outputs(plan, &mut rows);
    rows
}

/// The infrastructure inputs: the estate and its disks.
fn infra_inputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    let i = &plan.inputs;
    rows.push(value(IN, "Infra Inputs source", "infra_inputs_source", "Manual".to_string()));
    let scenario = i.scenario.value;
    rows.push(input(
        IN,
        "Select your scenario",
        "scenario",
        &i.scenario,
        format!("{} ({})", scenario.seed_label(), scenario.as_str()),
    ));
    rows.push(input(IN, "Total number of virtual machines", "vms", &i.vms, i.vms.value.to_string()));
    rows.push(input(
        IN,
        "Average number of VHDs per virtual machine",
        "disks_per_vm",
        &i.disks_per_vm,
        i.disks_per_vm.value.to_string(),
    ));
    rows.push(input(
        IN,
        "Average size of VHD (in GBs)",
        "disk_size_gb",
        &i.disk_size_gb,
        i.disk_size_gb.value.normalize().to_string(),
    ));
    rows.push(input(
        IN,
        "Average utilization per disk (%)",
        "utilization_pct",
        &i.utilization_pct,
        percent(i.utilization_pct.value),
    ));
    rows.push(value(
        IN,
        "Total data to be replicated (in GBs)",
        "total_data_to_replicate_gb",
        plan.total_data_to_replicate_gb.to_string(),
    ));
}

/// The churn inputs: the daily change, compressed.
fn churn_inputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    let i = &plan.inputs;
    heading(rows, IN, "Churn Inputs");
    rows.push(input(
        IN,
        "Average daily data change rate (%)",
        "change_rate_pct",
        &i.change_rate_pct,
        percent(i.change_rate_pct.value),
    ));
    rows.push(value(
        IN,
        "Amount of data changed per day (in GBs)",
        "data_changed_per_day_gb",
        plan.data_changed_per_day_gb.to_string(),
    ));
    rows.push(input(IN, "Compression", "compression_pct", &i.compression_pct, percent(i.compression_pct.value)));
    rows.push(value(
        IN,
        "Amount of data Xfered per day (in GBs)",
        "data_transferred_per_day_gb",
        plan.data_transferred_per_day_gb.to_string(),
    ));
}

/// The retention and initial replication inputs.
fn retention_and_replication_inputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    let i = &plan.inputs;
    heading(rows, IN, "Retention Inputs");
    if let Some(days) = &i.retention_days {
        rows.push(input(IN, "Retention in days", "retention_days", days, days.value.normalize().to_string()));
    }
    if let Some(points) = &i.recovery_points {
        rows.push(input(IN, "Number of recovery points", "recovery_points", points, points.value.to_string()));
    }
    heading(rows, IN, "Initial Replication Inputs");
    rows.push(input(
        IN,
        "Number of hours in which initial replication for the batch of virtual machines should complete",
        "initial_replication_hours",
        &i.initial_replication_hours,
        i.initial_replication_hours.value.normalize().to_string(),
    ));
    rows.push(input(
        IN,
        "Number of virtual machines per initial replication batch",
        "batch_size",
        &i.batch_size,
        i.batch_size.value.to_string(),
    ));
}

/// csp-planner's own settings: the sizing tables and the MB per GB.
fn settings_inputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    let i = &plan.inputs;
    heading(rows, IN, "csp-planner settings");
    rows.push(input(IN, "Server sizing tables (--era)", "era", &i.era, spelled(&i.era.value)));
    rows.push(input(IN, "MB per GB (--gb-base)", "gb_base", &i.gb_base, spelled(&i.gb_base.value)));
}

/// The network bandwidth the replication needs.
fn bandwidth_outputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    heading(rows, OUT, "Network Bandwidth requirements");
    rows.push(value(
        OUT,
        "Bandwidth required for delta replication (in Megabits/sec)",
        "delta_replication_mbps",
        format!("{} Mbps (average {} Mbps)", plan.delta_replication_mbps, plan.delta_replication_mbps_raw),
    ));
    rows.push(value(
        OUT,
        "Bandwidth required for initial replication (In Megabits/sec)",
        "initial_replication_mbps",
        format!("{} Mbps (average {} Mbps)", plan.initial_replication_mbps, plan.initial_replication_mbps_raw),
    ));
    heading(rows, OUT, "Bandwidth refers to dedicated bandwidth for replication.");
}

/// The storage accounts and IOPS in Azure.
fn azure_outputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    heading(rows, OUT, "Azure requirements");
    rows.push(value(OUT, "Storage required (in GBs)", "storage_required_gb", plan.storage_required_gb.to_string()));
    rows.push(value(
        OUT,
        "Total IOPS on standard storage accounts",
        "standard_storage_iops",
        plan.standard_storage_iops.to_string(),
    ));
    rows.push(value(
        OUT,
        "Number of standard storage accounts required",
        "standard_storage_accounts",
        plan.standard_storage_accounts.to_string(),
    ));
    rows.push(value(OUT, "Number of Blob disks required", "blob_disks", plan.blob_disks.to_string()));
    rows.push(value(
        OUT,
        "Number of premium storage accounts required",
        "premium_storage_accounts",
        plan.premium_storage_accounts.to_string(),
    ));
    rows.push(value(
        OUT,
        "Total IOPS on premium storage accounts",
        "premium_storage_iops",
        plan.premium_storage_iops.to_string(),
    ));
}

/// The configuration and process servers, and the storage on the source.
fn other_infra_outputs(plan: &QuickPlan, rows: &mut Vec<Row>) {
    heading(rows, OUT, "Other Infra requirements");
    rows.push(value(
        OUT,
        "Number of Configuration Servers required",
        "configuration_servers",
        plan.configuration_servers.to_string(),
    ));
    rows.push(value(
        OUT,
        "Number of additional Process Servers required",
        "additional_process_servers",
        plan.additional_process_servers.to_string(),
    ));
    let source_storage = if plan.inputs.scenario.value == Scenario::Hyperv {
        format!("{} GB", plan.additional_source_storage)
    } else {
        plan.additional_source_storage.clone()
    };
    rows.push(value(OUT, "100% additional storage on the Source", "additional_source_storage", source_storage));
}

fn server(spec: &ServerSpec) -> String {
    format!(
        "{} vCPU, {} GB memory, {} GB cache disk; {} machine(s), {} GB/day",
        spec.vcpus,
        spec.memory_gb,
        spec.cache_disk_gb,
        spec.machines,
        spec.change_gb_per_day.normalize()
    )
}

pub(crate) fn options(plan: &QuickPlan) -> Vec<(&'static str, &ServerSpec)> {
    let up = plan.sizing.scale_up.iter().map(|s| ("scale-up", s));
    up.chain(plan.sizing.scale_out.iter().map(|s| ("scale-out", s))).collect()
}

fn table(colour: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table
}

pub fn render(plan: &QuickPlan, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let all = rows(plan);
    for (section, title) in [("inputs", "INPUTS"), ("output", "OUTPUT")] {
        let mut t = table(colour);
        t.set_header([title, ""]);
        for row in all.iter().filter(|r| r.section == section) {
            let label = if row.key.is_empty() { Cell::new(&row.label).fg(Color::Cyan) } else { Cell::new(&row.label) };
            let value = match row.defaulted {
                Some(true) => format!("{} (default)", row.value),
                _ => row.value.clone(),
            };
            t.add_row(vec![label, Cell::new(value)]);
        }
        writeln!(out, "{t}")?;
    }
    let servers = options(plan);
    if !servers.is_empty() {
        let mut t = table(colour);
        t.set_header([
            "Option",
            "Role",
            "vCPUs",
            "Memory (GB)",
            "Cache disk (GB)",
            "Machines",
            "Change (GB/day)",
            "Source",
        ]);
        for (option, spec) in servers {
            t.add_row(vec![
                Cell::new(option),
                Cell::new(spelled(&spec.role)),
                Cell::new(spec.vcpus),
                Cell::new(spec.memory_gb),
                Cell::new(spec.cache_disk_gb),
                Cell::new(spec.machines),
                Cell::new(spec.change_gb_per_day.normalize()),
                Cell::new(&spec.source),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out, "Notes:")?;
    for (n, note) in plan.notes.iter().enumerate() {
        writeln!(out, "{:>2}. {note}", n + 1)?;
    }
    Ok(())
}

/// CSV: one row per label (`section,label,key,value,defaulted`), then the sizing options and notes.
pub fn render_csv(plan: &QuickPlan, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["section", "label", "key", "value", "defaulted"])?;
    for row in rows(plan).iter().filter(|r| !r.key.is_empty()) {
        let defaulted = row.defaulted.map(|d| d.to_string()).unwrap_or_default();
        writer.write_record([row.section, &row.label, row.key, &csv_safe::text(&row.value), &defaulted])?;
    }
    for (option, spec) in options(plan) {
        let label = spelled(&spec.role);
        writer.write_record([&format!("sizing {option}"), &label, "", &csv_safe::text(&server(spec)), ""])?;
    }
    for note in &plan.notes {
        writer.write_record(["notes", "", "", &csv_safe::text(note), ""])?;
    }
    writer.flush()
}
