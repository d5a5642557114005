//! The Site Recovery Capacity Planner's own server table (Detailed Planner, Workload Qualification sheet;
//! seed 002 L13470): one row per server, as CSV or as a worksheet.
//!
//! Mandatory (seed L13465, "in red"): Server Name/Hostname through Disk capacity utilization (%). Counts
//! (cores, NICs, disks) are whole numbers of at least 1, memory and total storage above 0, utilization
//! 0–100 %. Daily data change rate, Mapping Azure VM size, Operating System & Version and EFI Boot? are
//! optional; a missing change rate is a warning (the planner fills it with `--default-change-rate`).

use rust_decimal::Decimal;

use super::grid::Table;
use super::model::{Boot, PowerState, Server};
use crate::error::{InputError, Result};
use crate::model::{SourceRef, Warning};

pub fn read(table: &Table, display: &str, servers: &mut Vec<Server>, warnings: &mut Vec<Warning>) -> Result<()> {
    let mut without_change_rate = Vec::new();
    for row in table.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            return Err(InputError::new(
                &table.grid.path,
                "the server name is empty (Server Name/Hostname is mandatory)",
            )
            .at(location)
            .into());
        };
        let required_missing = |field: &str| {
            InputError::new(&table.grid.path, format!("\"{}\" is empty; it is mandatory", table.spec.header_of(field)))
                .at(location.clone())
                .column(table.spec.header_of(field))
        };
        let cores = row.count("cores", true)?.ok_or_else(|| required_missing("cores"))?;
        let memory_mb = row.quantity("memory_mb")?.ok_or_else(|| required_missing("memory_mb"))?;
        let nics = row.count("nics", true)?.ok_or_else(|| required_missing("nics"))?;
        let total_storage_gb = row.quantity("total_storage_gb")?.ok_or_else(|| required_missing("total_storage_gb"))?;
        let disks = row.count("disks", true)?.ok_or_else(|| required_missing("disks"))?;
        let utilization = row
            .percent("utilization_pct", Some(Decimal::ONE_HUNDRED))?
            .ok_or_else(|| required_missing("utilization_pct"))?;
        let change_rate_pct = row.percent("change_rate_pct", Some(Decimal::ONE_HUNDRED))?;
        if change_rate_pct.is_none() {
            without_change_rate.push(name.clone());
        }
        let boot = match row.text("efi_boot") {
            None => Boot::Unknown,
            Some(text) => Boot::parse(&text).unwrap_or_else(|| {
                warnings.push(Warning {
                    location: location.clone(),
                    message: format!("{name}: EFI Boot? \"{text}\" is neither yes nor no; boot type left unknown"),
                });
                Boot::Unknown
            }),
        };
        let used = (total_storage_gb * utilization / Decimal::ONE_HUNDRED).normalize();
        servers.push(Server {
            name,
            cores,
            memory_mb,
            nics: Some(nics),
            disks: Some(disks),
            disk_details: Vec::new(),
            total_storage_gb: Some(total_storage_gb),
            used_storage_gb: Some(used),
            utilization_pct: Some(utilization),
            change_rate_pct,
            os: row.text("os").unwrap_or_default(),
            os_architecture: None,
            application: row.text("application"),
            boot,
            power_state: PowerState::Unknown,
            is_template: false,
            mapped_azure_size: row.text("mapped_azure_size"),
            source: SourceRef { path: display.to_string(), location },
        });
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
