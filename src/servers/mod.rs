//! Server inventories for the Detailed Planner: the Site Recovery Capacity Planner's own server table (CSV or
//! XLSX), RVTools exports (xlsx workbook or per-tab CSV files), the Azure Migrate import CSV and the Azure
//! Migrate Export discovery report, read into one [`Server`] model.
//!
//! The format is detected from the content ([`detect`]); header spellings are data in
//! `rules/server-inventory.toml`. Errors are [`crate::error::InputError`]s (exit code 2) naming the file,
//! the line or sheet and cell, and the column; nothing an input holds makes the readers panic.

pub mod azure_migrate;
/// The server-inventory rule file's tables are rules; kept reachable here for the readers.
pub use crate::rules::servers as columns;
pub mod detect;
pub mod empty;
pub mod grid;
pub mod migrate_discovery;
pub mod model;
pub mod planner_table;
pub mod rvtools;
pub mod rvtools_tabs;
pub mod sheet;

use std::path::Path;

use rust_decimal::Decimal;

pub use columns::ServerRules;
pub use empty::server_inputs;
pub use model::{Boot, Disk, PowerState, Server, ServerInventory};

use crate::error::Result;
use crate::model::checked::{self, Overflow};

/// Reads one server inventory, of any of the kinds.
pub fn read_with(path: &Path, rules: &ServerRules) -> Result<ServerInventory> {
    read_named(path, &path.display().to_string(), rules)
}

/// Every inventory of `servers`, each `(path, name to show)`, read as `(name to show, inventory)`.
pub fn read_all(
    servers: &[(std::path::PathBuf, String)],
    rules: &ServerRules,
) -> Result<Vec<(String, ServerInventory)>> {
    servers.iter().map(|(path, display)| Ok((display.clone(), read_named(path, display, rules)?))).collect()
}

/// [`read_with`], naming the file `display` in the servers' sources (the bundled sample is read from a copy).
pub fn read_named(path: &Path, display: &str, rules: &ServerRules) -> Result<ServerInventory> {
    let display = display.to_string();
    let mut servers = Vec::new();
    let mut warnings = Vec::new();
    let format = match detect::detect(path, rules)? {
        detect::Detected::RvTools => {
            rvtools::read(path, &display, rules, &mut servers, &mut warnings)?;
            "rvtools".to_string()
        }
        detect::Detected::Table(grid, spec) => {
            let table = grid.table(spec)?;
            warnings.extend(table.warnings());
            match spec.kind.as_str() {
                "planner-table" => planner_table::read(&table, &display, &mut servers, &mut warnings)?,
                "azure-migrate" => azure_migrate::read(&table, &display, &mut servers, &mut warnings)?,
                "azure-migrate-discovery" => migrate_discovery::read(&table, &display, &mut servers, &mut warnings)?,
                other => {
                    return Err(crate::error::InputError::new(
                        path,
                        format!("server inventory kind \"{other}\" has no reader in this version of csp-planner"),
                    )
                    .into());
                }
            }
            spec.kind.clone()
        }
    };
    // No servers: the commands warn, or stop when no input has rows (`read::empty`).
    Ok(ServerInventory { servers, format, warnings })
}

/// Disk capacity utilization (%) = used ÷ total × 100, to 4 decimals; `None` unless both are known and
/// total is above 0; [`Overflow`] when used is so much larger than total that the percentage leaves the range.
pub(crate) fn utilization(used: Option<Decimal>, total: Option<Decimal>) -> Result<Option<Decimal>, Overflow> {
    let (Some(used), Some(total)) = (used, total) else { return Ok(None) };
    if total <= Decimal::ZERO {
        return Ok(None);
    }
    let percent = checked::mul(checked::div(used, total)?, Decimal::ONE_HUNDRED)?;
    Ok(Some(percent.round_dp(4).normalize()))
}

#[cfg(test)]
mod tests;
