//! The capacity workbook's formulas: each one the Excel form of a step of `src/capacity/quick.rs` (digest §4.8,
//! F1–F14), written over workbook names (inputs, constants of rules/asr-planner.toml, working cells), with its
//! source and csp-planner's own exact result as the cached value.
//!
//! Two conventions keep Excel's binary floating point on csp-planner's exact decimal results:
//! - a ceiling is `ROUNDUP(ROUND(x,9),0)`: rounding to 9 decimals first absorbs binary error such as
//!   100.00000000000001, which would otherwise ceil to 101 where the exact figure is 100;
//! - displayed figures are `ROUND(x,2)`, as csp-planner's display rounding (2 decimals, half away from zero,
//!   which is what Excel's and LibreOffice's ROUND do); the working cells keep the unrounded figures.

use rust_decimal::Decimal;

use super::cells::Cached;
use crate::capacity::detailed::ExactTotals;
use crate::capacity::quick::Figures;

/// One named working cell: an unrounded figure the outputs are built from.
pub struct Working {
    pub name: &'static str,
    pub label: &'static str,
    pub formula: String,
    pub cached: Cached,
    pub source: &'static str,
}

fn working(name: &'static str, label: &'static str, formula: &str, cached: Cached, source: &'static str) -> Working {
    Working { name, label, formula: formula.to_string(), cached, source }
}

/// `ROUNDUP(ROUND(x,9),0)`: the ceiling, safe against binary floating-point error (module documentation).
pub fn ceiling(x: &str) -> String {
    format!("ROUNDUP(ROUND({x},9),0)")
}

/// Up to the next multiple of `bandwidth_step_mbps` (csp-planner's provisioning convention).
fn provisioning(raw: &str) -> String {
    format!("{}*bandwidth_step_mbps", ceiling(&format!("{raw}/bandwidth_step_mbps")))
}

/// The cached figures the shared formulas need, from either planner.
pub struct SharedFigures {
    pub transferred_per_day_gb: Decimal,
    pub delta_mbps_raw: Decimal,
    pub delta_mbps: Decimal,
    pub initial_mbps_raw: Decimal,
    pub initial_mbps: Decimal,
    pub retention_days: Decimal,
    pub storage_gb: Decimal,
}

/// The formulas both planners share (the Detailed Planner's totals use the Quick Planner's functions).
pub fn shared(f: &SharedFigures) -> Vec<Working> {
    use Cached::Number as N;
    vec![
        working(
            "transferred_per_day_gb",
            "Amount of data Xfered per day, unrounded (GB)",
            "changed_per_day_gb*(1-compression_pct/100)",
            N(f.transferred_per_day_gb),
            "F3: the capacity-planning guide's \"Amount of data Xfered per day (in GBs)\"; its WAN compression property",
        ),
        working(
            "delta_mbps_raw",
            "Average bandwidth for delta replication (Mbps)",
            "transferred_per_day_gb*gb_base*bits_per_byte/seconds_per_day",
            N(f.delta_mbps_raw),
            "F5: the capacity-planning guide's output field descriptions, \"based on average daily data change rate\"; csp-planner's reconstruction",
        ),
        working(
            "delta_mbps",
            "Bandwidth for delta replication, rounded up (Mbps)",
            &provisioning("delta_mbps_raw"),
            N(f.delta_mbps),
            "csp-planner's convention: up to the next bandwidth_step_mbps (matches the 10 Mbps of the capacity-planning guide's sample report)",
        ),
        working(
            "initial_mbps_raw",
            "Average bandwidth for initial replication (Mbps)",
            "initial_batch_gb*gb_base*bits_per_byte/(initial_replication_hours*seconds_per_hour)",
            N(f.initial_mbps_raw),
            "F4: the capacity-planning guide's output field descriptions; csp-planner's reconstruction",
        ),
        working(
            "initial_mbps",
            "Bandwidth for initial replication, rounded up (Mbps)",
            &provisioning("initial_mbps_raw"),
            N(f.initial_mbps),
            "csp-planner's convention: up to the next bandwidth_step_mbps (matches the 100 Mbps of the capacity-planning guide's sample report)",
        ),
        working(
            "retention_in_days",
            "Retention in days used (Hyper-V: recovery points × hours each ÷ 24)",
            "IF(scenario=\"hyperv\",recovery_points*hours_per_recovery_point/hours_per_day,retention_days)",
            N(f.retention_days),
            "F6 retention: the capacity-planning guide's Retention Inputs (days; Hyper-V: hours, as recovery points by csp-planner's own choice)",
        ),
        working(
            "storage_gb",
            "Storage required, unrounded (GB)",
            "total_data_gb+transferred_per_day_gb*retention_in_days",
            N(f.storage_gb),
            "F6: the capacity-planning guide's \"Storage required (in GBs)\" (rule not given; csp-planner's reconstruction)",
        ),
    ]
}

impl SharedFigures {
    pub fn quick(f: &Figures) -> SharedFigures {
        SharedFigures {
            transferred_per_day_gb: f.transferred_per_day_gb,
            delta_mbps_raw: f.delta_mbps_raw,
            delta_mbps: f.delta_mbps,
            initial_mbps_raw: f.initial_mbps_raw,
            initial_mbps: f.initial_mbps,
            retention_days: f.retention_days,
            storage_gb: f.storage_gb,
        }
    }

    pub fn detailed(e: &ExactTotals, delta_mbps: Decimal, initial_mbps: Decimal) -> SharedFigures {
        SharedFigures {
            transferred_per_day_gb: e.transferred_per_day_gb,
            delta_mbps_raw: e.delta_mbps_raw,
            delta_mbps,
            initial_mbps_raw: e.initial_mbps_raw,
            initial_mbps,
            retention_days: e.retention_days,
            storage_gb: e.storage_gb,
        }
    }
}

/// The Quick Planner's own working cells (over its average-value inputs), before the shared ones.
pub fn quick(f: &Figures, vms: u32) -> Vec<Working> {
    let mut cells = quick_volumes(f, vms);
    cells.extend(quick_storage(f));
    cells
}

/// The data to replicate, change and send (F1-F4) and the disks (F9).
fn quick_volumes(f: &Figures, vms: u32) -> Vec<Working> {
    use Cached::Number as N;
    let count = |v: u64| Cached::count(v);
    vec![
        working("sizing_machines", "Machines to protect", "vms", count(u64::from(vms)), "F12-F13: the VMs given"),
        working(
            "total_data_gb",
            "Total data to be replicated, unrounded (GB)",
            "vms*disks_per_vm*disk_size_gb*utilization_pct/100",
            N(f.total_data_gb),
            "F1: the capacity-planning guide's \"Total data to be replicated (in GBs)\"",
        ),
        working(
            "changed_per_day_gb",
            "Amount of data changed per day, unrounded (GB)",
            "total_data_gb*change_rate_pct/100",
            N(f.changed_per_day_gb),
            "F2: the capacity-planning guide's \"Amount of data changed per day (in GBs)\"",
        ),
        working(
            "batch_vms",
            "VMs in one initial-replication batch",
            "MIN(batch_size,vms)",
            count(u64::from(f.batch_vms)),
            "F4: the batch is capped at the VMs (csp-planner's reconstruction)",
        ),
        working(
            "initial_batch_gb",
            "Data of one initial-replication batch, compressed (GB)",
            "total_data_gb/vms*batch_vms*(1-compression_pct/100)",
            N(f.initial_batch_gb),
            "F4: the capacity-planning guide's output field descriptions; its WAN compression property",
        ),
        working(
            "blob_disk_count",
            "Disks (one Azure disk per source disk)",
            "vms*disks_per_vm",
            count(f.blob_disks),
            "F9: the capacity-planning guide's \"Number of Blob disks required\"",
        ),
    ]
}

/// The storage IOPS and accounts (F7-F11) and the Hyper-V source storage (F14).
// Long because it is a table of data: one working cell per figure, each with its formula and source.
fn quick_storage(f: &Figures) -> Vec<Working> {
    use Cached::{Bool, Number as N};
    let count = |v: u64| Cached::count(v);
    let standard_iops = format!("IF(premium_storage,0,{})", ceiling("standard_iops_exact"));
    let standard_accounts = format!(
        "IF(premium_storage,0,MAX({},{}))",
        ceiling("standard_iops/standard_account_iops"),
        ceiling("blob_disk_count*standard_disk_iops/standard_account_iops")
    );
    let premium_iops = format!("IF(premium_storage,{},0)", ceiling("premium_iops_exact"));
    let premium_accounts = format!("IF(premium_storage,MAX(1,{}),0)", ceiling("premium_iops/premium_account_iops"));
    let source = f.source_storage_gb.unwrap_or_default();
    vec![
        working(
            "standard_iops_exact",
            "IOPS at the standard I/O size, unrounded",
            "changed_per_day_gb*gb_base*gb_base/seconds_per_day/standard_io_size_kb",
            N(f.standard_iops_exact),
            "F7: the capacity-planning guide's output field descriptions (the 8 KB I/O size); csp-planner's reconstruction",
        ),
        working(
            "premium_iops_exact",
            "IOPS at the premium I/O size, unrounded",
            "changed_per_day_gb*gb_base*gb_base/seconds_per_day/premium_io_size_kb",
            N(f.premium_iops_exact),
            "F11: the capacity-planning guide's output field descriptions (the premium I/O size)",
        ),
        working(
            "per_disk_iops",
            "IOPS of the average disk",
            "standard_iops_exact/blob_disk_count",
            N(f.per_disk_iops),
            "the capacity-planning guide's output field descriptions (a standard disk serves up to standard_disk_iops)",
        ),
        working(
            "premium_storage",
            "Every disk on premium storage? (the average disk needs more than a standard disk serves)",
            "per_disk_iops>standard_disk_iops",
            Bool(f.premium),
            "the capacity-planning guide's output field descriptions; the Detailed Planner's per-disk rule (Microsoft Learn, Site Recovery Capacity Planner, https://learn.microsoft.com/azure/site-recovery/site-recovery-capacity-planner)",
        ),
        working(
            "standard_iops",
            "Total IOPS on standard storage accounts",
            &standard_iops,
            count(f.standard_iops),
            "F7: the capacity-planning guide's output field descriptions",
        ),
        working(
            "standard_accounts",
            "Number of standard storage accounts",
            &standard_accounts,
            count(f.standard_accounts),
            "F8: the capacity-planning guide's output field descriptions (20,000 IOPS per account, 500 per disk)",
        ),
        working(
            "premium_iops",
            "Total IOPS on premium storage accounts",
            &premium_iops,
            count(f.premium_iops),
            "F11: the capacity-planning guide's output field descriptions",
        ),
        working(
            "premium_accounts",
            "Number of premium storage accounts",
            &premium_accounts,
            count(f.premium_accounts),
            "F10: the capacity-planning guide's output field descriptions (80,000 IOPS per premium account)",
        ),
        working(
            "source_storage_gb",
            "Hyper-V source free space for one batch, unrounded (GB)",
            "batch_vms*disks_per_vm*disk_size_gb*hyperv_source_storage_pct/100",
            N(source),
            "F14: the capacity-planning guide's \"100% additional storage on the Source\"; Microsoft Learn, Hyper-V Deployment Planner report (https://learn.microsoft.com/azure/site-recovery/hyper-v-deployment-planner-analyze-report)",
        ),
    ]
}

/// The Detailed Planner's working cells on the Capacity Planner sheet (its sums are on the Workload
/// Qualification sheet).
pub fn detailed(e: &ExactTotals) -> Vec<Working> {
    vec![
        working(
            "initial_batch_gb",
            "Data of the initial-replication batch, compressed (GB)",
            "batch_data_gb*(1-compression_pct/100)",
            Cached::Number(e.initial_batch_gb),
            "F4: the batch-size servers with the most data, compressed (the Detailed Planner's worst case; the capacity-planning guide's WAN compression property)",
        ),
        working(
            "source_storage_gb",
            "Hyper-V source free space for the batch, unrounded (GB)",
            "batch_vhd_gb*hyperv_source_storage_pct/100",
            Cached::Number(e.source_storage_gb),
            "F14: the capacity-planning guide's \"100% additional storage on the Source\"; Microsoft Learn, Hyper-V Deployment Planner report (https://learn.microsoft.com/azure/site-recovery/hyper-v-deployment-planner-analyze-report)",
        ),
    ]
}
