//! The Azure Migrate server import CSV (anchors.md §3.1): one row per server, up to 20 disks as
//! `Disk N size (In GB)`, `Disk N read ops …`, `Disk N write ops …` columns.
//!
//! Mandatory columns: server name, cores, memory (MB), OS name. A row without a name is skipped with a
//! warning; a row with Cores or Memory empty is listed with the cells named, and planned as not qualified.
//! Total storage is the sum of the disk sizes;
//! used storage is `Storage in use (In GB)`; per-disk IOPS are read + write operations per second.

use rust_decimal::Decimal;

use super::grid::Table;
use super::model::{Boot, Disk, PowerState, Server};
use crate::error::Result;
use crate::model::checked;
use crate::model::{SourceRef, Warning};

pub fn read(table: &Table, display: &str, servers: &mut Vec<Server>, warnings: &mut Vec<Warning>) -> Result<()> {
    let disk_numbers = table.disk_numbers();
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
    for row in table.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            warnings.push(Warning { location, message: "row skipped: no server name".to_string() });
            continue;
        };
        // Empty Cores or Memory cells do not stop the file: the server is listed, the cells named, not planned.
        let (cores, memory_mb, empty_cells) = row.cores_and_memory()?;
        let os_name = row.text("os").unwrap_or_default();
        let os = match row.text("os_version") {
            Some(version) if !os_name.to_lowercase().contains(&version.to_lowercase()) => {
                format!("{os_name} {version}")
            }
            _ => os_name.clone(),
        };
        let mut disk_details = Vec::new();
        // Total storage: the sum of the disk sizes, `None` when no disk has one. An overflow names the largest
        // disk, the cell that made the sum overflow.
        let mut total_storage_gb: Option<Decimal> = None;
        let mut largest_disk = (0, Decimal::ZERO);
        for &n in &disk_numbers {
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
        let disks = match row.count("disks", false)? {
            Some(count) => {
                if (count as usize) < disk_details.len() {
                    warnings.push(Warning {
                        location: location.clone(),
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
        };
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
        let mut missing_optional = Vec::new();
        if !empty_cells.is_empty() {
            missing_optional.push("value in the mandatory cells (listed, not planned)");
        }
        if os_name.is_empty() {
            missing_optional.push("OS name");
        }
        if disks.is_none() {
            missing_optional.push("number of disks");
        }
        if total_storage_gb.is_none() {
            missing_optional.push("disk sizes");
        }
        if used_storage_gb.is_none() {
            missing_optional.push("storage in use");
        }
        let nics = row.count("nics", false)?;
        if nics.is_none() && table.has("nics") {
            missing_optional.push("network adapters");
        }
        if !missing_optional.is_empty() {
            warnings.push(Warning {
                location: location.clone(),
                message: format!("{name}: no {}", missing_optional.join(", no ")),
            });
        }
        let boot = match row.text("boot") {
            None => Boot::Unknown,
            Some(text) => Boot::parse(&text).unwrap_or(Boot::Unknown),
        };
        servers.push(Server {
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
        });
    }
    Ok(())
}
