//! The *Sizing* sheet: the configuration and process server tables of rules/asr-sizing.toml for the era, the
//! counts F12-F13 as formulas over them (src/capacity/sizing.rs `size`), the scale-up sizes as INDEX lookups,
//! and both options as csp-planner computed them.

use std::io;

use rust_decimal::Decimal;

use super::cells::{Cached, Sheet, Styles};
use super::formulas::ceiling;
use super::planner::Written;
use crate::capacity::quick::SizingOptions;
use crate::capacity::sizing::{FILE, Role, ServerSpec, SizingRow, SizingTables};

pub const TITLE: &str = "Sizing";

/// A table's columns: header, the workbook name of its range (if referenced) and the row's value.
type Column = (&'static str, Option<&'static str>, fn(&SizingRow) -> Decimal);

const ROW_COLUMNS: [Column; 5] = [
    ("vCPUs", Some("vcpus"), |r| Decimal::from(r.vcpus)),
    ("Memory (GB)", Some("memory_gb"), |r| Decimal::from(r.memory_gb)),
    ("Cache disk (GB)", Some("cache_disk_gb"), |r| Decimal::from(r.cache_disk_gb)),
    ("Max machines", Some("max_machines"), |r| Decimal::from(r.max_machines)),
    ("Max change (GB/day)", Some("max_change_gb_per_day"), |r| r.max_change_gb_per_day),
];

/// One table, rows smallest first; `extra` adds columns after the row's own (the paired configuration
/// server). Names its columns `{prefix}_{name}`. Returns the next free row.
fn table(
    sheet: &mut Sheet,
    styles: &Styles,
    start: u32,
    (title, prefix): (&str, &str),
    rows: &[&SizingRow],
    extra: &[(&'static str, &'static str, Vec<Decimal>)],
) -> io::Result<u32> {
    sheet.text(start, 0, title, &styles.heading)?;
    let header = start + 1;
    let first = header + 1;
    let last = first + rows.len().saturating_sub(1) as u32;
    let mut column = 0u16;
    for (name, range, value) in ROW_COLUMNS {
        sheet.text(header, column, name, &styles.header)?;
        for (i, row) in rows.iter().enumerate() {
            sheet.number(first + i as u32, column, value(row), &styles.value)?;
        }
        if let Some(range) = range {
            sheet.name(&format!("{prefix}_{range}"), first, column, Some(last));
        }
        column += 1;
    }
    for (name, range, values) in extra {
        sheet.text(header, column, name, &styles.header)?;
        for (i, value) in values.iter().enumerate() {
            sheet.number(first + i as u32, column, *value, &styles.value)?;
        }
        sheet.name(&format!("{prefix}_{range}"), first, column, Some(last));
        column += 1;
    }
    sheet.text(header, column, "Source", &styles.header)?;
    for (i, row) in rows.iter().enumerate() {
        sheet.text(first + i as u32, column, &format!("{} ({})", row.source, row.rule), &styles.note)?;
    }
    Ok(last + 2)
}

fn thresholds(sheet: &mut Sheet, styles: &Styles, start: u32, tables: &SizingTables) -> io::Result<u32> {
    sheet.text(start, 0, "Thresholds", &styles.heading)?;
    let values = [
        ("built_in_max_machines", Decimal::from(tables.built_in_max_machines)),
        ("built_in_max_change_gb_per_day", tables.built_in_max_change_gb_per_day),
        ("max_servers_per_option", Decimal::from(tables.max_servers_per_option)),
    ];
    let mut row = start + 1;
    for (name, value) in values {
        sheet.text(row, 0, name, &styles.label)?;
        sheet.number(row, 1, value, &styles.value)?;
        sheet.name(name, row, 1, None);
        let source = tables.threshold_sources.get(name).map_or("", |(s, _)| s.as_str());
        sheet.text(row, 2, &format!("rules/{FILE} [[threshold]] `{name}`: {source}"), &styles.note)?;
        row += 1;
    }
    Ok(row + 1)
}

/// The first row (1-based) whose maxima cover both the machines and the change: rows grow in both
/// (rules/asr-sizing.toml), so it is one more than the larger count of rows below either.
fn first_covering(prefix: &str) -> String {
    format!(
        "MAX(SUMPRODUCT(--({prefix}_max_machines<sizing_machines)),SUMPRODUCT(--({prefix}_max_change_gb_per_day<transferred_per_day_gb)))+1"
    )
}

/// The load the servers are sized for, and csp-planner's counts for it.
pub struct Load<'a> {
    pub machines: u32,
    pub change_gb_per_day: Decimal,
    pub configuration_servers: u32,
    pub additional_process_servers: u32,
    pub options: &'a SizingOptions,
}

/// One computed cell of the sheet: label, name, formula, cached value, source.
type Computed = (&'static str, &'static str, String, Cached, &'static str);

/// The F12-F13 formulas (sizing.rs `size`): within the built-in process server, one configuration server and
/// no additional process server; else one process server of the smallest covering row, or the fewest servers
/// of the largest row; each additional process server comes with a configuration server. Hyper-V: none.
/// (sizing.rs falls back to process servers when no configuration-server row covers a built-in load; the
/// rules check makes that impossible: the thresholds are within the largest row.)
fn counts(tables: &SizingTables, load: &Load) -> Vec<Computed> {
    let within = load.machines <= tables.built_in_max_machines
        && load.change_gb_per_day <= tables.built_in_max_change_gb_per_day;
    // Servers of the largest row: machines ÷ the machines one server holds, at most its machine maximum and no
    // more than its change maximum holds at the average change per machine (split.rs); none holds one → 4294967295.
    let top = |column: &str| format!("INDEX(ps_{column},ROWS(ps_{column}))");
    let fit = format!(
        "IF(transferred_per_day_gb<=0,{m},ROUNDDOWN(ROUND({c}*sizing_machines/transferred_per_day_gb,9),0))",
        m = top("max_machines"),
        c = top("max_change_gb_per_day")
    );
    let largest = ceiling(&format!("sizing_machines/MIN({},{fit})", top("max_machines")));
    let additional = format!(
        "IF(OR(scenario=\"hyperv\",within_built_in),0,IF(SUMPRODUCT((ps_max_machines>=sizing_machines)*(ps_max_change_gb_per_day>=transferred_per_day_gb))>0,1,IFERROR({largest},4294967295)))"
    );
    let position = |found: Option<usize>, fallback: usize| Cached::count((found.map_or(fallback, |i| i + 1)) as u64);
    let (m, c) = (load.machines, load.change_gb_per_day);
    let cs_row = tables.configuration_servers.iter().position(|r| r.covers(m, c));
    let ps_row = tables.process_servers.iter().position(|r| r.server.covers(m, c));
    vec![
        (
            "Within the built-in process server?",
            "within_built_in",
            "AND(sizing_machines<=built_in_max_machines,transferred_per_day_gb<=built_in_max_change_gb_per_day)"
                .to_string(),
            Cached::Bool(within),
            "csp-planner's sizing rule: the built-in process server's thresholds, from the capacity-planning guide's sizing tables (\"Set up configuration servers on-premises\", \"Set up source process servers\")",
        ),
        (
            "Number of additional Process Servers required",
            "additional_process_servers",
            additional,
            Cached::count(load.additional_process_servers),
            "F13: csp-planner's sizing rule (the scale-up option), from the capacity-planning guide's sizing tables (\"Set up configuration servers on-premises\", \"Set up source process servers\")",
        ),
        (
            "Number of Configuration Servers required",
            "configuration_servers",
            "IF(scenario=\"hyperv\",0,MAX(1,additional_process_servers))".to_string(),
            Cached::count(load.configuration_servers),
            "F12: csp-planner's sizing rule (one with each additional process server, else one)",
        ),
        (
            "Smallest configuration-server row covering the load",
            "cs_row",
            first_covering("cs"),
            position(cs_row, tables.configuration_servers.len() + 1),
            "csp-planner's sizing rule: the first row of the configuration-server table that covers the load",
        ),
        (
            "Process-server row of the scale-up option",
            "ps_row",
            format!("MIN(ROWS(ps_max_machines),{})", first_covering("ps")),
            position(ps_row, tables.process_servers.len()),
            "csp-planner's sizing rule: the first row of the process-server table that covers the load, else the largest row",
        ),
    ]
}

/// The scale-up option's sizes as INDEX lookups over the tables.
fn scale_up(options: &SizingOptions) -> Vec<Computed> {
    let spec = |role: Role| options.scale_up.iter().find(|s| s.role == role);
    let cached = |spec: Option<&ServerSpec>, field: fn(&ServerSpec) -> u32| match spec {
        Some(spec) => Cached::count(field(spec)),
        None => Cached::Text(String::new()),
    };
    let (cs, ps) = (spec(Role::ConfigurationServer), spec(Role::ProcessServer));
    let up_cs = |cs_column: &str, ps_column: &str| {
        format!(
            "IF(scenario=\"hyperv\",\"\",IF(within_built_in,INDEX(cs_{cs_column},cs_row),INDEX(ps_{ps_column},ps_row)))"
        )
    };
    let up_ps = |column: &str| format!("IF(OR(scenario=\"hyperv\",within_built_in),\"\",INDEX(ps_{column},ps_row))");
    let source = "INDEX over the sizing tables above";
    vec![
        (
            "Scale-up configuration server: vCPUs",
            "up_cs_vcpus",
            up_cs("vcpus", "cs_vcpus"),
            cached(cs, |s| s.vcpus),
            source,
        ),
        (
            "Scale-up configuration server: memory (GB)",
            "up_cs_memory_gb",
            up_cs("memory_gb", "cs_memory_gb"),
            cached(cs, |s| s.memory_gb),
            source,
        ),
        ("Scale-up process server: vCPUs", "up_ps_vcpus", up_ps("vcpus"), cached(ps, |s| s.vcpus), source),
        (
            "Scale-up process server: memory (GB)",
            "up_ps_memory_gb",
            up_ps("memory_gb"),
            cached(ps, |s| s.memory_gb),
            source,
        ),
        (
            "Scale-up process server: cache disk (GB)",
            "up_ps_cache_disk_gb",
            up_ps("cache_disk_gb"),
            cached(ps, |s| s.cache_disk_gb),
            source,
        ),
    ]
}

fn computed(
    sheet: &mut Sheet,
    styles: &Styles,
    start: u32,
    cells: &[Computed],
    written: &mut Written,
) -> io::Result<u32> {
    let mut row = start;
    for (label, name, formula, cached, source) in cells {
        sheet.text(row, 0, label, &styles.label)?;
        sheet.formula(row, 1, formula, cached, &styles.formula)?;
        sheet.name(name, row, 1, None);
        sheet.text(row, 2, &format!("`{name}` = {formula}. {source}"), &styles.note)?;
        written.push((name.to_string(), format!("={formula}"), source.to_string()));
        row += 1;
    }
    Ok(row + 1)
}

/// Both options as csp-planner computed them: the scale-out option is a search for the cheapest set of
/// smaller servers (sizing.rs cheapest_set), not arithmetic, so it is given as values.
fn options(sheet: &mut Sheet, styles: &Styles, start: u32, options: &SizingOptions) -> io::Result<u32> {
    sheet.text(
        start,
        0,
        "The options csp-planner computed (values: re-run csp-planner after changing the inputs)",
        &styles.heading,
    )?;
    let headers =
        ["Option", "Role", "vCPUs", "Memory (GB)", "Cache disk (GB)", "Machines", "Change (GB/day)", "Source"];
    for (column, header) in headers.iter().enumerate() {
        sheet.text(start + 1, column as u16, header, &styles.header)?;
    }
    let mut row = start + 2;
    let all =
        options.scale_up.iter().map(|s| ("scale-up", s)).chain(options.scale_out.iter().map(|s| ("scale-out", s)));
    for (option, spec) in all {
        sheet.text(row, 0, option, &styles.value)?;
        sheet.text(row, 1, spec.role.as_str(), &styles.value)?;
        for (column, value) in [spec.vcpus, spec.memory_gb, spec.cache_disk_gb, spec.machines].into_iter().enumerate() {
            sheet.number(row, column as u16 + 2, Decimal::from(value), &styles.value)?;
        }
        sheet.number(row, 6, spec.change_gb_per_day, &styles.value)?;
        sheet.text(row, 7, &spec.source, &styles.note)?;
        row += 1;
    }
    Ok(row + 1)
}

/// The Sizing sheet.
pub fn sheet(styles: &Styles, tables: &SizingTables, load: &Load, written: &mut Written) -> io::Result<Sheet> {
    let mut sheet = Sheet::new(TITLE)?;
    sheet.widths(&[52.0, 14.0, 14.0, 14.0, 14.0, 18.0, 16.0, 16.0, 80.0])?;
    let title = format!("Configuration and process server sizing: rules/{FILE}, era {}", tables.era.as_str());
    sheet.text(0, 0, &title, &styles.title)?;
    let cs: Vec<&SizingRow> = tables.configuration_servers.iter().collect();
    let ps: Vec<&SizingRow> = tables.process_servers.iter().map(|p| &p.server).collect();
    let paired = |f: fn(&SizingRow) -> u32| -> Vec<Decimal> {
        tables.process_servers.iter().map(|p| Decimal::from(f(&p.configuration_server))).collect()
    };
    let extra = [
        ("Configuration server vCPUs", "cs_vcpus", paired(|r| r.vcpus)),
        ("Configuration server memory (GB)", "cs_memory_gb", paired(|r| r.memory_gb)),
    ];
    let row =
        table(&mut sheet, styles, 2, ("Configuration server (with its built-in process server)", "cs"), &cs, &[])?;
    let row = table(&mut sheet, styles, row, ("Additional process server", "ps"), &ps, &extra)?;
    let row = thresholds(&mut sheet, styles, row, tables)?;
    sheet.text(row, 0, "Servers for the load (formulas)", &styles.heading)?;
    let row = computed(&mut sheet, styles, row + 1, &counts(tables, load), written)?;
    let row = computed(&mut sheet, styles, row, &scale_up(load.options), written)?;
    options(&mut sheet, styles, row, load.options)?;
    sheet.sheet.protect();
    Ok(sheet)
}
