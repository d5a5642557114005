//! The Azure Migrate server import CSV (anchors.md §3.1): one row per server, up to 20 disks as
//! `Disk N size (In GB)`, `Disk N read ops …`, `Disk N write ops …` columns.
//!
//! Mandatory columns: server name, cores, memory (MB), OS name. A row without a name is skipped with a
//! warning; a row with Cores or Memory empty is listed with the cells named, and planned as not qualified.
//! Total storage is the sum of the disk sizes;
//! used storage is `Storage in use (In GB)`; per-disk IOPS are read + write operations per second.

use rust_decimal::Decimal;

use super::grid::{Row, Table};
use super::model::{Boot, Disk, PowerState, Server};
use crate::error::Result;
use crate::model::checked;
use crate::model::{SourceRef, Warning};

pub fn read(table: &Table, display: &str, servers: &mut Vec<Server>, warnings: &mut Vec<Warning>) -> Result<()> {
    let disk_numbers = table.disk_numbers();
    header_warnings(table, &disk_numbers, warnings);
    for row in table.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            warnings.push(Warning { location, message: "row skipped: no server name".to_string() });
            continue;
        };
        servers.push(server(table, &row, name, &disk_numbers, display, warnings)?);
    }
    Ok(())
}

/// The optional columns the file has none of: what is then unknown for every server.
fn header_warnings(table: &Table, disk_numbers: &[u32], warnings: &mut Vec<Warning>) {
    if !table.has("nics") {
        warnings.push(Warning {
            location: "header".to_string(),
            message: "no \"Network adapters\" column: NIC counts are unknown".to_string(),
        });
    }
    if disk_numbers.is_empty() {
        warnings.push(Warning {
            location: "header".to_string(),
            message: "no \"Disk N size (In GB)\" columns: disk sizes, total storage and per-disk IOPS are unknown"
                .to_string(),
        });
    }
}

/// One named row's server, with a warning for each value it lacks or contradicts.
fn server(
    table: &Table,
    row: &Row,
    name: String,
    disk_numbers: &[u32],
    display: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Server> {
    let location = row.location();
    // Empty Cores or Memory cells do not stop the file: the server is listed, the cells named, not planned.
    let (cores, memory_mb, empty_cells) = row.cores_and_memory()?;
    let os_name = row.text("os").unwrap_or_default();
    let os = match row.text("os_version") {
        Some(version) if !os_name.to_lowercase().contains(&version.to_lowercase()) => {
            format!("{os_name} {version}")
        }
        _ => os_name.clone(),
    };
    let (disk_details, total_storage_gb) = disks(row, disk_numbers)?;
    let disks = disk_count(row, &name, &disk_details, warnings)?;
    let total_storage_gb = total_storage_gb.map(|total| total.normalize());
    let used_storage_gb = row.decimal("used_storage_gb")?;
    let utilization_pct = super::utilization(used_storage_gb, total_storage_gb).map_err(|_| {
        row.too_large("used_storage_gb", None, "the disk utilization (storage in use ÷ the disks' total size)")
    })?;
    if let (Some(used), Some(total)) = (used_storage_gb, total_storage_gb)
        && used > total
    {
        warnings.push(Warning {
            location: location.clone(),
            message: format!("{name}: storage in use ({used} GB) is more than the disks' total ({total} GB)"),
        });
    }
    let nics = row.count("nics", false)?;
    let boot = match row.text("boot") {
        None => Boot::Unknown,
        Some(text) => Boot::parse(&text).unwrap_or(Boot::Unknown),
    };
    let server = Server {
        name,
        cores,
        memory_mb,
        empty_cells,
        nics,
        disks,
        disk_details,
        total_storage_gb,
        used_storage_gb,
        utilization_pct,
        change_rate_pct: None,
        os,
        os_architecture: row.text("os_architecture"),
        application: row.text("application"),
        boot,
        power_state: PowerState::Unknown,
        is_template: false,
        mapped_azure_size: None,
        source: SourceRef { path: display.to_string(), location },
    };
    let missing_optional = missing_values(&server, &os_name, table.has("nics"));
    if !missing_optional.is_empty() {
        warnings.push(Warning {
            location: server.source.location.clone(),
            message: format!("{}: no {}", server.name, missing_optional.join(", no ")),
        });
    }
    Ok(server)
}

/// What a server lacks, for one warning (`no OS name, no disk sizes`); `nics_column`: the file has the column.
fn missing_values(server: &Server, os_name: &str, nics_column: bool) -> Vec<&'static str> {
    let mut missing_optional = Vec::new();
    if !server.empty_cells.is_empty() {
        missing_optional.push("value in the mandatory cells (listed, not planned)");
    }
    if os_name.is_empty() {
        missing_optional.push("OS name");
    }
    if server.disks.is_none() {
        missing_optional.push("number of disks");
    }
    if server.total_storage_gb.is_none() {
        missing_optional.push("disk sizes");
    }
    if server.used_storage_gb.is_none() {
        missing_optional.push("storage in use");
    }
    if server.nics.is_none() && nics_column {
        missing_optional.push("network adapters");
    }
    missing_optional
}

/// The row's disks that have a value, and their total size (`None` when no disk has one).
fn disks(row: &Row, disk_numbers: &[u32]) -> Result<(Vec<Disk>, Option<Decimal>)> {
    let mut disk_details = Vec::new();
    // Total storage: the sum of the disk sizes, `None` when no disk has one. An overflow names the largest
    // disk, the cell that made the sum overflow.
    let mut total_storage_gb: Option<Decimal> = None;
    let mut largest_disk = (0, Decimal::ZERO);
    for &n in disk_numbers {
        let size_gb = row.disk_decimal("disk_size_gb", n)?;
        let read_iops = row.disk_decimal("disk_read_ops", n)?;
        let write_iops = row.disk_decimal("disk_write_ops", n)?;
        if size_gb.is_none() && read_iops.is_none() && write_iops.is_none() {
            continue;
        }
        let iops = match (read_iops, write_iops) {
            (None, None) => None,
            (r, w) => {
                let (r, w) = (r.unwrap_or_default(), w.unwrap_or_default());
                // The cell named is the larger of the two, the one that made the sum overflow.
                let larger = if r >= w { "disk_read_ops" } else { "disk_write_ops" };
                let what = format!("Disk {n}'s read + write operations per second");
                Some(checked::add(r, w).map_err(|_| row.too_large(larger, Some(n), &what))?)
            }
        };
        if let Some(size) = size_gb {
            if size > largest_disk.1 {
                largest_disk = (n, size);
            }
            let sum = checked::add(total_storage_gb.unwrap_or_default(), size)
                .map_err(|_| row.too_large("disk_size_gb", Some(largest_disk.0), "the total of the disk sizes"))?;
            total_storage_gb = Some(sum);
        }
        disk_details.push(Disk { label: format!("Disk {n}"), size_gb, iops, read_iops, write_iops });
    }
    Ok((disk_details, total_storage_gb))
}

/// "Number of disks", or the disks that have values when it is empty or says fewer (with a warning).
fn disk_count(row: &Row, name: &str, disk_details: &[Disk], warnings: &mut Vec<Warning>) -> Result<Option<u32>> {
    Ok(match row.count("disks", false)? {
        Some(count) => {
            if (count as usize) < disk_details.len() {
                warnings.push(Warning {
                    location: row.location(),
                    message: format!(
                        "{name}: \"Number of disks\" says {count} but {} disks have values; {} used",
                        disk_details.len(),
                        disk_details.len()
                    ),
                });
                Some(disk_details.len() as u32)
            } else {
                Some(count)
            }
        }
        None if !disk_details.is_empty() => Some(disk_details.len() as u32),
        None => None,
    })
}
