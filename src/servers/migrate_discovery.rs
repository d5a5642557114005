//! The Azure Migrate Export discovery report (`AzureMigrate_Discovery_Report.xlsx`, sheet `Discovery_Report`,
//! beside a `Properties` sheet): one row per discovered server with `Machine Name`, `Operating System`,
//! `Cores`, `Memory (in MB)`, `Total Disks`, `Total Network Adapters`, `Boot Type` and `Power Stats`.
//!
//! The report counts disks but gives no disk sizes and no used storage: those figures stay unknown (never
//! guessed), so the Detailed Planner lists the servers as not qualified for lack of Total Storage and says the
//! storage totals are not enough data. A row with Cores or Memory empty is listed with the cells named.

use super::grid::{Row, Table};
use super::model::{Boot, PowerState, Server};
use crate::error::Result;
use crate::model::{SourceRef, Warning};

pub fn read(table: &Table, display: &str, servers: &mut Vec<Server>, warnings: &mut Vec<Warning>) -> Result<()> {
    warnings.push(Warning {
        location: table.grid.place(),
        message: "the discovery report counts disks (Total Disks) but gives no disk sizes and no used storage: \
                  total storage, data to replicate and storage accounts are not enough data for its servers; an \
                  RVTools export or the Azure Migrate import CSV (Disk N size (In GB)) gives them"
            .to_string(),
    });
    for row in table.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            warnings.push(Warning { location, message: "row skipped: no Machine Name".to_string() });
            continue;
        };
        servers.push(server(&row, name, display)?);
    }
    Ok(())
}

fn server(row: &Row, name: String, display: &str) -> Result<Server> {
    let (cores, memory_mb, empty_cells) = row.cores_and_memory()?;
    Ok(Server {
        name,
        cores,
        memory_mb,
        empty_cells,
        nics: row.count("nics", false)?,
        disks: row.count("disks", false)?,
        disk_details: Vec::new(),
        total_storage_gb: None,
        used_storage_gb: None,
        utilization_pct: None,
        change_rate_pct: None,
        os: row.text("os").unwrap_or_default(),
        os_architecture: None,
        application: row.text("application"),
        boot: row.text("boot").and_then(|b| Boot::parse(&b)).unwrap_or(Boot::Unknown),
        power_state: row.text("power_state").map_or(PowerState::Unknown, |s| PowerState::parse(&s)),
        is_template: false,
        mapped_azure_size: None,
        source: SourceRef { path: display.to_string(), location: row.location() },
    })
}
