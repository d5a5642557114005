//! The *Workload Qualification* sheet (Detailed mode; seed 002 L13464-L13480, anchors.md §1.1): one row per
//! server with the seed's columns and csp-planner's computed ones, as values, then the totals the Capacity
//! Planner sheet's formulas use (SUMIF/SUMIFS over the rows, so the batch follows the batch-size input).

use std::io;

use rust_decimal::Decimal;

use super::cells::{Cached, Sheet, Styles};
use super::planner::Written;
use crate::capacity::detailed::{DetailedPlan, ServerRow, StorageType};

pub const TITLE: &str = "Workload Qualification";

/// One cell of a server row.
enum Value {
    Text(String),
    Number(Option<Decimal>),
}

fn yes_no(value: bool) -> Value {
    Value::Text(if value { "Yes" } else { "No" }.to_string())
}

fn count(value: Option<u32>) -> Value {
    Value::Number(value.map(Decimal::from))
}

/// The storage account's number: the packing numbers each kind's accounts 1, 2, … (detailed.rs), so the
/// highest number is the count the totals report.
fn account_number(row: &ServerRow) -> Option<Decimal> {
    let (_, number) = row.storage_account.as_deref()?.rsplit_once('-')?;
    number.parse::<u32>().ok().map(Decimal::from)
}

/// The columns: header, the workbook name of its range (for the totals), and the row's value. The seed's
/// columns (L13470) first, then the computed ones.
type Column = (&'static str, Option<&'static str>, fn(&ServerRow) -> Value);

const COLUMNS: [Column; 23] = [
    ("Server Name/Hostname", None, |r| Value::Text(r.name.clone())),
    ("Processor Cores", None, |r| count(r.cores)),
    ("Memory allocation (in MBs)", None, |r| Value::Number(r.memory_mb)),
    ("Number of NICs", None, |r| count(r.nics)),
    ("Total Storage (in GBs)", None, |r| Value::Number(r.total_storage_gb)),
    ("Number of disks attached", Some("wq_disks"), |r| count(r.disks)),
    ("Used storage (in GBs)", None, |r| Value::Number(r.used_storage_gb)),
    ("Daily data change rate (%)", None, |r| Value::Number(Some(r.change_rate_pct))),
    ("Change rate defaulted?", None, |r| yes_no(r.change_rate_defaulted)),
    ("Operating System & Version", None, |r| Value::Text(r.os.clone())),
    ("EFI Boot?", None, |r| yes_no(r.boot == crate::servers::Boot::Efi)),
    ("Mapping Azure VM size", None, |r| Value::Text(r.azure_vm_size.clone().unwrap_or_default())),
    ("Is VM Qualified?", None, |r| yes_no(r.qualified)),
    ("Reasons (not qualified)", None, |r| Value::Text(r.qualification_reasons.join("; "))),
    ("Data to replicate (in GBs, unrounded)", Some("wq_data_gb"), |r| Value::Number(Some(r.exact_data_gb))),
    ("Data changed per day (in GBs, unrounded)", Some("wq_changed_gb"), |r| {
        Value::Number(Some(r.exact_changed_per_day_gb))
    }),
    ("IOPS", Some("wq_iops"), |r| Value::Number(Some(Decimal::from(r.iops)))),
    ("Storage type", Some("wq_storage_type"), |r| Value::Text(r.storage_type.as_str().to_string())),
    ("Storage account", None, |r| Value::Text(r.storage_account.clone().unwrap_or_default())),
    ("IOPS in its storage account", Some("wq_account_iops"), |r| Value::Number(Some(Decimal::from(r.account_iops)))),
    ("Storage account number", Some("wq_account_number"), |r| Value::Number(account_number(r))),
    ("In the totals?", Some("wq_in_totals"), |r| yes_no(r.in_totals)),
    ("Rank by data to replicate", Some("wq_rank"), |r| Value::Number(r.data_rank.map(|n| Decimal::from(n as u64)))),
];

/// The VHD size the Hyper-V source storage counts (detailed.rs F14): total storage, else the data.
fn vhd(row: &ServerRow) -> Decimal {
    row.total_storage_gb.unwrap_or(row.exact_data_gb)
}

fn cell(sheet: &mut Sheet, styles: &Styles, row: u32, column: u16, value: Value) -> io::Result<()> {
    match value {
        // Customer text (server names, OS strings) always as a string cell, never a formula.
        Value::Text(text) => sheet.text(row, column, &text, &styles.value),
        Value::Number(Some(number)) => sheet.number(row, column, number, &styles.value),
        Value::Number(None) => Ok(()),
    }
}

/// The server rows from `header`; returns the last data row (the header row + 1 when there are none, so the
/// named ranges stay valid).
fn rows(sheet: &mut Sheet, styles: &Styles, header: u32, servers: &[ServerRow]) -> io::Result<u32> {
    let first = header + 1;
    let last = first + (servers.len().max(1) as u32) - 1;
    let vhd_column = COLUMNS.len() as u16;
    for (column, (title, name, value)) in COLUMNS.iter().enumerate() {
        let column = column as u16;
        sheet.text(header, column, title, &styles.header)?;
        for (i, server) in servers.iter().enumerate() {
            cell(sheet, styles, first + i as u32, column, value(server))?;
        }
        if let Some(name) = name {
            sheet.name(name, first, column, Some(last));
        }
    }
    sheet.text(header, vhd_column, "VHD size for source storage (in GBs)", &styles.header)?;
    for (i, server) in servers.iter().enumerate() {
        sheet.number(first + i as u32, vhd_column, vhd(server), &styles.value)?;
    }
    sheet.name("wq_vhd_gb", first, vhd_column, Some(last));
    Ok(last)
}

/// A total: label, workbook name, formula, cached value.
type Total = (&'static str, &'static str, String, Cached);

/// The totals the Capacity Planner sheet's formulas reference (detailed.rs `build`), with csp-planner's exact
/// figures cached. Storage accounts: the packing is first-fit over the rows (values); the count is the highest
/// account number of each kind.
fn totals(plan: &DetailedPlan) -> Vec<Total> {
    let e = &plan.exact;
    let sum = |column: &str| format!("SUMIF(wq_in_totals,\"Yes\",{column})");
    let batch = |column: &str| format!("SUMIF(wq_rank,\"<=\"&batch_size,{column})");
    let of_kind = |column: &str, kind: StorageType| {
        format!("SUMIFS({column},wq_in_totals,\"Yes\",wq_storage_type,\"{}\")", kind.as_str())
    };
    let accounts = |kind: StorageType| {
        format!("SUMPRODUCT(MAX((wq_in_totals=\"Yes\")*(wq_storage_type=\"{}\")*wq_account_number))", kind.as_str())
    };
    let servers = Cached::count(plan.servers_in_totals as u64);
    vec![
        (
            "Servers counted (qualified, not templates)",
            "sizing_machines",
            "COUNTIF(wq_in_totals,\"Yes\")".into(),
            servers,
        ),
        (
            "Total data to be replicated, unrounded (GB)",
            "total_data_gb",
            sum("wq_data_gb"),
            Cached::Number(e.total_data_gb),
        ),
        (
            "Data changed per day, unrounded (GB)",
            "changed_per_day_gb",
            sum("wq_changed_gb"),
            Cached::Number(e.changed_per_day_gb),
        ),
        (
            "Data of the initial-replication batch: the batch-size servers with the most data (GB)",
            "batch_data_gb",
            batch("wq_data_gb"),
            Cached::Number(e.batch_gb),
        ),
        (
            "VHD size of the initial-replication batch (GB)",
            "batch_vhd_gb",
            batch("wq_vhd_gb"),
            Cached::Number(e.batch_vhd_gb),
        ),
        (
            "Total IOPS on standard storage accounts",
            "standard_iops",
            of_kind("wq_iops", StorageType::Standard),
            Cached::count(plan.standard_storage_iops),
        ),
        (
            "Total IOPS on premium storage accounts",
            "premium_iops",
            of_kind("wq_account_iops", StorageType::Premium),
            Cached::count(plan.premium_storage_iops),
        ),
        ("Number of Blob disks required", "blob_disk_count", sum("wq_disks"), Cached::count(plan.blob_disks)),
        (
            "Number of standard storage accounts required",
            "standard_accounts",
            accounts(StorageType::Standard),
            Cached::count(plan.standard_storage_accounts),
        ),
        (
            "Number of premium storage accounts required",
            "premium_accounts",
            accounts(StorageType::Premium),
            Cached::count(plan.premium_storage_accounts),
        ),
    ]
}

/// The Workload Qualification sheet: the totals block on top (label in A, value in B), the servers below.
pub fn sheet(styles: &Styles, plan: &DetailedPlan, written: &mut Written) -> io::Result<Sheet> {
    let mut sheet = Sheet::new(TITLE)?;
    let mut widths = vec![24.0; COLUMNS.len() + 1];
    widths[0] = 60.0;
    widths[1] = 18.0;
    widths[13] = 60.0;
    sheet.widths(&widths)?;
    let title = format!(
        "Workload Qualification: {} server(s) listed, {} in the totals",
        plan.servers_listed, plan.servers_in_totals
    );
    sheet.text(0, 0, &title, &styles.title)?;
    sheet.text(1, 0, "Totals (formulas over the rows below; the Capacity Planner sheet uses them)", &styles.heading)?;
    let mut row = 2;
    for (label, name, formula, cached) in totals(plan) {
        sheet.text(row, 0, label, &styles.label)?;
        sheet.formula(row, 1, &formula, &cached, &styles.formula)?;
        sheet.name(name, row, 1, None);
        sheet.text(row, 2, &format!("`{name}` = {formula}"), &styles.note)?;
        written.push((
            name.to_string(),
            format!("={formula}"),
            "csp-planner's Detailed Planner totals (the qualified servers, summed)".to_string(),
        ));
        row += 1;
    }
    let header = row + 1;
    rows(&mut sheet, styles, header, &plan.servers)?;
    sheet.sheet.set_freeze_panes(header + 1, 1).map_err(crate::report::xlsx::io_error)?;
    sheet.sheet.protect();
    Ok(sheet)
}
