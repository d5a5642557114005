//! The Site Recovery Capacity Planner's own server table (Detailed Planner, Workload Qualification sheet;
//! seed 002 L13470): one row per server, as CSV or as a worksheet.
//!
//! Mandatory ("in red" in the planner): Server Name/Hostname through Disk capacity utilization (%); a row
//! without a name is skipped with a warning, a row with another of them empty is listed with the cells
//! named and planned as not qualified. Counts (cores, NICs, disks) are whole numbers of at least 1, memory
//! and total storage above 0, utilization 0–100 %. Daily data change rate, Mapping Azure VM size, Operating System & Version and EFI Boot? are
//! optional; a missing change rate is a warning (the planner fills it with `--default-change-rate`).

use rust_decimal::Decimal;

use super::grid::{Row, Table};
use super::model::{Boot, PowerState, Server};
use crate::error::Result;
use crate::model::{SourceRef, Warning};

pub fn read(table: &Table, display: &str, servers: &mut Vec<Server>, warnings: &mut Vec<Warning>) -> Result<()> {
    let mut without_change_rate = Vec::new();
    for row in table.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            warnings.push(Warning { location, message: "row skipped: no Server Name/Hostname".to_string() });
            continue;
        };
        let server = server(&row, name, display, warnings)?;
        if server.change_rate_pct.is_none() {
            without_change_rate.push(server.name.clone());
        }
        servers.push(server);
    }
    if !without_change_rate.is_empty() {
        warnings.push(Warning {
            location: "column \"Daily data change rate (%)\"".to_string(),
            message: format!(
                "no daily data change rate for {} server(s): {}; the planner uses its default change rate for them",
                without_change_rate.len(),
                without_change_rate.join(", ")
            ),
        });
    }
    Ok(())
}

/// One named row's server.
fn server(row: &Row, name: String, display: &str, warnings: &mut Vec<Warning>) -> Result<Server> {
    let location = row.location();
    // Empty mandatory cells do not stop the file: the server is listed with the cells named, not planned.
    let mut empty_cells = Vec::new();
    let mut needed = |field: &str, empty: bool| {
        if empty {
            empty_cells.push(row.empty_cell(field));
        }
    };
    let cores = row.count("cores", true)?;
    needed("cores", cores.is_none());
    let memory_mb = row.quantity("memory_mb")?;
    needed("memory_mb", memory_mb.is_none());
    let nics = row.count("nics", true)?;
    needed("nics", nics.is_none());
    let total_storage_gb = row.quantity("total_storage_gb")?;
    needed("total_storage_gb", total_storage_gb.is_none());
    let disks = row.count("disks", true)?;
    needed("disks", disks.is_none());
    let utilization = row.percent("utilization_pct", Some(Decimal::ONE_HUNDRED))?;
    needed("utilization_pct", utilization.is_none());
    let change_rate_pct = row.percent("change_rate_pct", Some(Decimal::ONE_HUNDRED))?;
    let boot = boot(row, &name, &location, warnings);
    let used = used_storage(row, total_storage_gb, utilization)?;
    Ok(Server {
        name,
        cores,
        memory_mb,
        empty_cells,
        nics,
        disks,
        disk_details: Vec::new(),
        total_storage_gb,
        used_storage_gb: used,
        utilization_pct: utilization,
        change_rate_pct,
        os: row.text("os").unwrap_or_default(),
        os_architecture: None,
        application: row.text("application"),
        boot,
        power_state: PowerState::Unknown,
        is_template: false,
        mapped_azure_size: row.text("mapped_azure_size"),
        source: SourceRef { path: display.to_string(), location },
    })
}

/// EFI Boot?: yes, no, or unknown (with a warning for any other text).
fn boot(row: &Row, name: &str, location: &str, warnings: &mut Vec<Warning>) -> Boot {
    match row.text("efi_boot") {
        None => Boot::Unknown,
        Some(text) => Boot::parse(&text).unwrap_or_else(|| {
            warnings.push(Warning {
                location: location.to_string(),
                message: format!("{name}: EFI Boot? \"{text}\" is neither yes nor no; boot type left unknown"),
            });
            Boot::Unknown
        }),
    }
}

/// The used storage: Total Storage × utilization, when both are given.
fn used_storage(row: &Row, total_storage_gb: Option<Decimal>, utilization: Option<Decimal>) -> Result<Option<Decimal>> {
    Ok(match (total_storage_gb, utilization) {
        (Some(total), Some(utilization)) => Some(
            // × (utilization ÷ 100): at most 100 %, the product is no larger than the total and fits.
            total.checked_mul(utilization / Decimal::ONE_HUNDRED).map(|used| used.normalize()).ok_or_else(|| {
                row.too_large("total_storage_gb", None, "the used storage (Total Storage × utilization)")
            })?,
        ),
        _ => None,
    })
}
