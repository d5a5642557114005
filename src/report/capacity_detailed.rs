//! `capacity detailed` on the terminal and as CSV: the Workload Qualification rows (seed 002 L13464-L13480),
//! then the Quick Planner's OUTPUT block with the seed's labels (L13555-L13590), the sizing options, the notes
//! and the readers' warnings.

use std::io::Write;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use rust_decimal::Decimal;

use crate::capacity::detailed::{DetailedPlan, ServerRow};
use crate::capacity::quick::Scenario;
use crate::output::csv_safe;

fn table(colour: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn number(value: Option<Decimal>) -> String {
    opt(value.map(|v| v.normalize()))
}

fn yes_no(value: bool) -> &'static str {
    if value { "Yes" } else { "No" }
}

fn change_rate(row: &ServerRow) -> String {
    if row.change_rate_defaulted {
        format!("{}% (default)", row.change_rate_pct)
    } else {
        format!("{}%", row.change_rate_pct)
    }
}

/// The totals with the seed's labels (L13555-L13590), as (label, key, value).
pub(crate) fn totals(plan: &DetailedPlan) -> Vec<(&'static str, &'static str, String)> {
    let figures = figures(plan);
    if plan.not_enough_data.is_empty() {
        return figures;
    }
    // No server could be counted for lack of data: the sums over none are not shown as figures.
    figures.into_iter().map(|(label, key, _)| (label, key, NOT_ENOUGH_DATA.to_string())).collect()
}

/// What a total shows when no server could be counted for lack of data.
pub(crate) const NOT_ENOUGH_DATA: &str = "not enough data";

fn figures(plan: &DetailedPlan) -> Vec<(&'static str, &'static str, String)> {
    let source_storage = if plan.inputs.scenario.value == Scenario::Hyperv {
        format!("{} GB", plan.additional_source_storage)
    } else {
        plan.additional_source_storage.clone()
    };
    vec![
        (
            "Total data to be replicated (in GBs)",
            "total_data_to_replicate_gb",
            plan.total_data_to_replicate_gb.to_string(),
        ),
        (
            "Amount of data changed per day (in GBs)",
            "data_changed_per_day_gb",
            plan.data_changed_per_day_gb.to_string(),
        ),
        (
            "Amount of data Xfered per day (in GBs)",
            "data_transferred_per_day_gb",
            plan.data_transferred_per_day_gb.to_string(),
        ),
        (
            "Bandwidth required for delta replication (in Megabits/sec)",
            "delta_replication_mbps",
            format!("{} Mbps (average {} Mbps)", plan.delta_replication_mbps, plan.delta_replication_mbps_raw),
        ),
        (
            "Bandwidth required for initial replication (In Megabits/sec)",
            "initial_replication_mbps",
            format!("{} Mbps (average {} Mbps)", plan.initial_replication_mbps, plan.initial_replication_mbps_raw),
        ),
        ("Storage required (in GBs)", "storage_required_gb", plan.storage_required_gb.to_string()),
        ("Total IOPS on standard storage accounts", "standard_storage_iops", plan.standard_storage_iops.to_string()),
        (
            "Number of standard storage accounts required",
            "standard_storage_accounts",
            plan.standard_storage_accounts.to_string(),
        ),
        ("Number of Blob disks required", "blob_disks", plan.blob_disks.to_string()),
        (
            "Number of premium storage accounts required",
            "premium_storage_accounts",
            plan.premium_storage_accounts.to_string(),
        ),
        ("Total IOPS on premium storage accounts", "premium_storage_iops", plan.premium_storage_iops.to_string()),
        ("Number of Configuration Servers required", "configuration_servers", plan.configuration_servers.to_string()),
        (
            "Number of additional Process Servers required",
            "additional_process_servers",
            plan.additional_process_servers.to_string(),
        ),
        ("100% additional storage on the Source", "additional_source_storage", source_storage),
    ]
}

pub fn render(plan: &DetailedPlan, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    servers_table(plan, colour, out)?;
    remarks(plan, out)?;
    totals_table(plan, colour, out)?;
    sizing_table(plan, colour, out)?;
    notes_and_warnings(plan, out)
}

/// One row per server, with its mapping and qualification.
fn servers_table(plan: &DetailedPlan, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut t = table(colour);
    t.set_header([
        "Server Name/Hostname",
        "Cores",
        "Memory (MB)",
        "NICs",
        "Disks",
        "Total (GB)",
        "Used (GB)",
        "Daily change",
        "IOPS",
        "Mapping Azure VM size",
        "Is VM Qualified?",
        "Storage",
        "Storage account",
    ]);
    for row in &plan.servers {
        let qualified = Cell::new(yes_no(row.qualified));
        let qualified = if row.qualified { qualified.fg(Color::Green) } else { qualified.fg(Color::Red) };
        let name = if row.is_template { format!("{} (template)", row.name) } else { row.name.clone() };
        t.add_row(vec![
            Cell::new(name),
            Cell::new(opt(row.cores)),
            Cell::new(number(row.memory_mb)),
            Cell::new(opt(row.nics)),
            Cell::new(opt(row.disks)),
            Cell::new(number(row.total_storage_gb)),
            Cell::new(number(row.used_storage_gb)),
            Cell::new(change_rate(row)),
            Cell::new(row.iops),
            Cell::new(row.azure_vm_size.clone().unwrap_or_else(|| "-".to_string())),
            qualified,
            Cell::new(row.storage_type.as_str()),
            Cell::new(row.storage_account.clone().unwrap_or_else(|| "-".to_string())),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

/// Why each server is not qualified, and its notes.
fn remarks(plan: &DetailedPlan, out: &mut dyn Write) -> std::io::Result<()> {
    let remarks: Vec<&ServerRow> =
        plan.servers.iter().filter(|r| !r.qualification_reasons.is_empty() || !r.notes.is_empty()).collect();
    if !remarks.is_empty() {
        writeln!(out, "Reasons and remarks:")?;
        for row in remarks {
            writeln!(out, "  {}:", row.name)?;
            for reason in &row.qualification_reasons {
                writeln!(out, "    - not qualified: {reason}")?;
            }
            for note in &row.notes {
                writeln!(out, "    - {note}")?;
            }
        }
    }
    Ok(())
}

/// The OUTPUT block: the totals over the servers counted.
fn totals_table(plan: &DetailedPlan, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut t = table(colour);
    t.set_header([format!("OUTPUT ({} of {} servers)", plan.servers_in_totals, plan.servers_listed), String::new()]);
    for (label, _, value) in totals(plan) {
        t.add_row(vec![Cell::new(label), Cell::new(value)]);
    }
    writeln!(out, "{t}")?;
    if !plan.not_enough_data.is_empty() {
        writeln!(out, "Not enough data for the totals:")?;
        for reason in &plan.not_enough_data {
            writeln!(out, "  - {reason}")?;
        }
    }
    Ok(())
}

/// The configuration and process server options.
fn sizing_table(plan: &DetailedPlan, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let options: Vec<(&str, _)> = plan
        .sizing
        .scale_up
        .iter()
        .map(|s| ("scale-up", s))
        .chain(plan.sizing.scale_out.iter().map(|s| ("scale-out", s)))
        .collect();
    // Sized for no machine when no server could be counted: not shown as a figure either.
    if !options.is_empty() && plan.not_enough_data.is_empty() {
        let mut t = table(colour);
        t.set_header(["Option", "Role", "vCPUs", "Memory (GB)", "Cache disk (GB)", "Machines", "Change (GB/day)"]);
        for (option, spec) in options {
            t.add_row(vec![
                Cell::new(option),
                Cell::new(spec.role.as_str()),
                Cell::new(spec.vcpus),
                Cell::new(spec.memory_gb),
                Cell::new(spec.cache_disk_gb),
                Cell::new(spec.machines),
                Cell::new(spec.change_gb_per_day.normalize()),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}

fn notes_and_warnings(plan: &DetailedPlan, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Notes:")?;
    for (n, note) in plan.notes.iter().enumerate() {
        writeln!(out, "{:>2}. {note}", n + 1)?;
    }
    if !plan.warnings.is_empty() {
        writeln!(out, "Warnings:")?;
        for warning in &plan.warnings {
            writeln!(out, "  {}: {}", warning.location, warning.message)?;
        }
    }
    Ok(())
}

/// CSV: one row per server, the JSON keys as columns (reasons and remarks joined with `; `). The totals,
/// sizing and notes are in the table and JSON forms.
pub fn render_csv(plan: &DetailedPlan, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "name",
        "cores",
        "memory_mb",
        "nics",
        "disks",
        "total_storage_gb",
        "used_storage_gb",
        "change_rate_pct",
        "change_rate_defaulted",
        "iops",
        "azure_vm_size",
        "qualified",
        "qualification_reasons",
        "storage_type",
        "storage_account",
        "in_totals",
        "is_template",
        "notes",
    ])?;
    for row in &plan.servers {
        writer.write_record([
            csv_safe::text(&row.name).as_ref(),
            &opt(row.cores),
            &number(row.memory_mb),
            &opt(row.nics),
            &opt(row.disks),
            &number(row.total_storage_gb),
            &number(row.used_storage_gb),
            &row.change_rate_pct.to_string(),
            &row.change_rate_defaulted.to_string(),
            &row.iops.to_string(),
            &opt(row.azure_vm_size.as_ref()),
            yes_no(row.qualified),
            &csv_safe::text(&row.qualification_reasons.join("; ")),
            row.storage_type.as_str(),
            &opt(row.storage_account.as_ref()),
            &row.in_totals.to_string(),
            &row.is_template.to_string(),
            &csv_safe::text(&row.notes.join("; ")),
        ])?;
    }
    writer.flush()
}
