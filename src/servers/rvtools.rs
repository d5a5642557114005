//! RVTools "Export all to xlsx" workbooks (anchors.md §3.6): vInfo has one row per VM or template;
//! vDisk, vPartition and vNetwork one row per disk, guest partition and network adapter.
//!
//! - cores `CPUs`, memory `Memory` (MiB), OS `OS according to the VMware Tools`, else `… the
//!   configuration file`, boot `Firmware` (bios/efi);
//! - NICs: vInfo `NICs` when the column is there, else the VM's rows in vNetwork;
//! - disks: vInfo `Disks`, else the VM's rows in vDisk; per-disk sizes from vDisk `Capacity MiB`;
//! - total storage: vInfo `Total disk capacity MiB`, else the sum of the VM's vDisk capacities, else
//!   vInfo `Provisioned MiB` (which also counts swap and snapshot files);
//! - used storage: vInfo `In Use MiB` when the column is there, else the sum of vPartition `Consumed MiB`;
//! - `MiB` and `MB` headers (RVTools before 4.1.2) are both read as mebibytes, GB = MiB ÷ 1024;
//! - templates (`Template` true) are listed with `is_template` and left out of the totals; powered-off
//!   VMs are included, with a warning.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::columns::ServerRules;
use super::grid::{Grid, mib_to_gb, open_workbook};
use super::model::{Boot, Disk, PowerState, Server};
use crate::error::{InputError, Result};
use crate::model::{SourceRef, Warning};
use crate::rules::normalize_key;

/// The workbook's sheet named like `wanted` (ignoring case, spaces and punctuation).
pub fn find_sheet<'n>(names: &'n [String], wanted: &str) -> Option<&'n String> {
    names.iter().find(|n| normalize_key(n) == normalize_key(wanted))
}

/// Per-VM figures gathered from a secondary sheet.
#[derive(Default)]
struct PerVm {
    disks: HashMap<String, Vec<Disk>>,
    consumed_mib: HashMap<String, Decimal>,
    nics: HashMap<String, u32>,
}

pub fn read(
    path: &Path,
    display: &str,
    rules: &ServerRules,
    servers: &mut Vec<Server>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let mut workbook = open_workbook(path)?;
    let names = calamine::Reader::sheet_names(&workbook);
    let spec = rules.table("rvtools", Some("vInfo")).ok_or_else(|| rule_missing(path, "vInfo"))?;
    let info_sheet =
        spec.sheet.as_deref().and_then(|s| find_sheet(&names, s)).cloned().ok_or_else(|| {
            InputError::new(path, format!("no sheet \"vInfo\"; the workbook has: {}", names.join(", ")))
        })?;
    let info_grid = Grid::from_sheet(path, &mut workbook, &info_sheet)?;
    let info = info_grid.table(spec)?;

    // Secondary sheets: absent sheets are a warning, a sheet without its mandatory columns an error.
    let mut per_vm = PerVm::default();
    let mut grids = HashMap::new();
    for sheet in ["vDisk", "vPartition", "vNetwork"] {
        match find_sheet(&names, sheet) {
            Some(name) => {
                grids.insert(sheet, Grid::from_sheet(path, &mut workbook, name)?);
            }
            None => warnings.push(Warning {
                location: format!("sheet \"{sheet}\""),
                message: format!("the workbook has no {sheet} sheet"),
            }),
        }
    }
    if let Some(grid) = grids.get("vDisk") {
        let spec = rules.table("rvtools", Some("vDisk")).ok_or_else(|| rule_missing(path, "vDisk"))?;
        let table = grid.table(spec)?;
        for row in table.rows() {
            let Some(vm) = row.text("name") else { continue };
            let size_gb = row.decimal("capacity_mib")?.map(mib_to_gb);
            let disks = per_vm.disks.entry(vm).or_default();
            let label = row.text("disk").unwrap_or_else(|| format!("disk {}", disks.len() + 1));
            disks.push(Disk { label, size_gb, iops: None, read_iops: None, write_iops: None });
        }
    }
    if let Some(grid) = grids.get("vPartition") {
        let spec = rules.table("rvtools", Some("vPartition")).ok_or_else(|| rule_missing(path, "vPartition"))?;
        let table = grid.table(spec)?;
        for row in table.rows() {
            let Some(vm) = row.text("name") else { continue };
            let consumed = row.decimal("consumed_mib")?.unwrap_or_default();
            *per_vm.consumed_mib.entry(vm).or_default() += consumed;
        }
    }
    if let Some(grid) = grids.get("vNetwork") {
        let spec = rules.table("rvtools", Some("vNetwork")).ok_or_else(|| rule_missing(path, "vNetwork"))?;
        let table = grid.table(spec)?;
        for row in table.rows() {
            let Some(vm) = row.text("name") else { continue };
            *per_vm.nics.entry(vm).or_default() += 1;
        }
    }

    let has_nics = info.has("nics");
    let has_in_use = info.has("in_use_mib");
    header_notes(&info, &grids, warnings);

    let mut seen: HashMap<String, String> = HashMap::new();
    for row in info.rows() {
        let location = row.location();
        let Some(name) = row.text("name") else {
            warnings.push(Warning { location, message: "row skipped: no VM name".to_string() });
            continue;
        };
        if let Some(first) = seen.insert(name.clone(), location.clone()) {
            warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "{name}: a VM of the same name is at {first} (another vCenter?); the vDisk, vPartition and \
                     vNetwork rows of both are counted for each"
                ),
            });
        }
        let is_template = row.bool("template").unwrap_or(false);
        let power_state = row.text("power_state").map_or(PowerState::Unknown, |s| PowerState::parse(&s));
        let missing = |field: &str| {
            InputError::new(&info_grid.path, format!("\"{}\" is empty for {name}", spec.header_of(field)))
                .at(location.clone())
                .column(spec.header_of(field))
        };
        let cores = row.count("cores", true)?.ok_or_else(|| missing("cores"))?;
        let memory_mb = row.quantity("memory_mb")?.ok_or_else(|| missing("memory_mb"))?;
        let mut notes = Vec::new();

        let nics = if has_nics {
            row.count("nics", false)?
        } else {
            grids.contains_key("vNetwork").then(|| per_vm.nics.get(&name).copied().unwrap_or(0))
        };
        let disk_details = per_vm.disks.get(&name).cloned().unwrap_or_default();
        let disks = match row.count("disks", false)? {
            Some(count) => Some(count),
            None if grids.contains_key("vDisk") => Some(disk_details.len() as u32),
            None => None,
        };
        let disk_sum = {
            let sizes: Vec<Decimal> = disk_details.iter().filter_map(|d| d.size_gb).collect();
            (!sizes.is_empty()).then(|| sizes.iter().sum::<Decimal>().normalize())
        };
        let total_storage_gb = match row.decimal("disk_capacity_mib")?.map(mib_to_gb) {
            Some(total) => Some(total),
            None => match disk_sum {
                Some(sum) => Some(sum),
                None => row.decimal("provisioned_mib")?.map(mib_to_gb),
            },
        };
        let used_storage_gb = if has_in_use {
            row.decimal("in_use_mib")?.map(mib_to_gb)
        } else {
            per_vm.consumed_mib.get(&name).copied().map(mib_to_gb)
        };
        if nics.is_none() {
            notes.push("NIC count unknown");
        }
        if disks.is_none() {
            notes.push("disk count unknown");
        }
        if total_storage_gb.is_none() {
            notes.push("total storage unknown");
        }
        if used_storage_gb.is_none() {
            notes.push("used storage unknown (no In Use MiB and no vPartition rows: VMware Tools not running?)");
        }
        let os = row.text("os").or_else(|| row.text("os_config")).unwrap_or_default();
        if os.is_empty() {
            notes.push("operating system unknown");
        }
        let boot = row.text("boot").and_then(|b| Boot::parse(&b)).unwrap_or(Boot::Unknown);
        if is_template {
            warnings.push(Warning {
                location: location.clone(),
                message: format!("{name}: template, listed but left out of the totals"),
            });
        } else if power_state == PowerState::PoweredOff || power_state == PowerState::Suspended {
            let state = if power_state == PowerState::Suspended { "suspended" } else { "powered off" };
            warnings.push(Warning {
                location: location.clone(),
                message: format!("{name}: {state}, included (remove it from the inventory if it is not to move)"),
            });
        }
        if !notes.is_empty() {
            warnings.push(Warning { location: location.clone(), message: format!("{name}: {}", notes.join("; ")) });
        }
        servers.push(Server {
            utilization_pct: super::utilization(used_storage_gb, total_storage_gb),
            name,
            cores,
            memory_mb,
            nics,
            disks,
            disk_details,
            total_storage_gb,
            used_storage_gb,
            change_rate_pct: None,
            os,
            os_architecture: None,
            application: row.text("application"),
            boot,
            power_state,
            is_template,
            mapped_azure_size: None,
            source: SourceRef { path: display.to_string(), location },
        });
    }
    Ok(())
}

/// Warnings about where figures come from, once per input.
fn header_notes(info: &super::grid::Table, grids: &HashMap<&str, Grid>, warnings: &mut Vec<Warning>) {
    let mut note = |message: String| warnings.push(Warning { location: "sheet \"vInfo\"".to_string(), message });
    if !info.has("nics") {
        note(if grids.contains_key("vNetwork") {
            "no NICs column: NICs counted from the vNetwork rows of each VM".to_string()
        } else {
            "no NICs column and no vNetwork sheet: NIC counts are unknown".to_string()
        });
    }
    if !info.has("in_use_mib") {
        note(if grids.contains_key("vPartition") {
            "no In Use MiB/MB column: used storage is the sum of vPartition Consumed MiB/MB of each VM".to_string()
        } else {
            "no In Use MiB/MB column and no vPartition sheet: used storage is unknown".to_string()
        });
    }
    if !info.has("template") {
        note("no Template column: every row is read as a VM".to_string());
    }
}

fn rule_missing(path: &Path, sheet: &str) -> crate::error::Error {
    InputError::new(path, format!("rules/server-inventory.toml has no rvtools table for sheet \"{sheet}\"")).into()
}
