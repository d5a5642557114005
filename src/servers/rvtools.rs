//! RVTools exports, "Export all to xlsx" workbooks or "Export all to csv" folders ([`super::rvtools_tabs`]):
//! vInfo has one row per VM or template; vDisk, vPartition and vNetwork (optional) one row per disk, guest
//! partition and network adapter.
//!
//! - cores `CPUs`, memory `Memory` (MiB), OS `OS according to the VMware Tools`, else `… the
//!   configuration file`, boot `Firmware` (bios/efi);
//! - NICs: vInfo `NICs` when the column is there, else the VM's rows in vNetwork;
//! - disks: vInfo `Disks`, else the VM's rows in vDisk; per-disk sizes from vDisk `Capacity MiB`;
//! - total storage: vInfo `Total disk capacity MiB`, else the sum of the VM's vDisk capacities, else
//!   vInfo `Provisioned MiB` (which also counts swap and snapshot files);
//! - used storage: vInfo `In Use MiB` when the cell has a value, else the sum of vPartition `Consumed MiB`,
//!   at most the total storage (`In Use` counts swap and snapshot files);
//! - a row with CPUs or Memory empty is listed with the cells named, and planned as not qualified;
//! - `MiB` and `MB` headers (RVTools before 4.1.2) are both read as mebibytes, GB = MiB ÷ 1024;
//! - templates (`Template` true) are listed with `is_template` and left out of the totals; powered-off
//!   VMs are included, with a warning.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::columns::ServerRules;
use super::grid::{Grid, Row, mib_to_gb};
use super::model::{Boot, Disk, PowerState, Server};
use super::rvtools_tabs::Tabs;
use crate::error::{InputError, Result};
use crate::model::{SourceRef, Warning};
use crate::rules::normalize_key;

pub use super::rvtools_tabs::find_sheet;

/// Per-VM figures gathered from a secondary sheet.
#[derive(Default)]
struct PerVm {
    disks: HashMap<String, Vec<Disk>>,
    consumed_mib: HashMap<String, Decimal>,
    nics: HashMap<String, u32>,
}

/// The optional tabs read, by the name of their rule table (vDisk, vPartition, vNetwork).
type Optional = HashMap<String, Grid>;

pub fn read(
    path: &Path,
    display: &str,
    rules: &ServerRules,
    servers: &mut Vec<Server>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let mut tabs = Tabs::open(path)?;
    let spec = rules.table("rvtools", Some("vInfo")).ok_or_else(|| rule_missing(path, "vInfo"))?;
    let info_tab = spec.sheet.as_deref().unwrap_or("vInfo");
    let info_grid = tabs
        .grid(info_tab)?
        .ok_or_else(|| InputError::new(path, format!("no sheet \"{info_tab}\"; the export has: {}", tabs.names())))?;
    let info = info_grid.table(spec)?;
    warnings.extend(info.warnings());
    let grids = optional_tabs(&mut tabs, rules, warnings)?;
    let per_vm = gather(&grids, rules, warnings)?;
    header_notes(&info, &grids, warnings);
    let context = Vms {
        per_vm: &per_vm,
        has_nics: info.has("nics"),
        has_in_use: info.has("in_use_mib"),
        has_vdisk: grids.contains_key("vDisk"),
        has_vnetwork: grids.contains_key("vNetwork"),
        path: &info_grid.path,
        display,
    };
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
        servers.push(context.server(&row, name, warnings)?);
    }
    Ok(())
}

/// What every vInfo row is read with.
struct Vms<'a> {
    per_vm: &'a PerVm,
    has_nics: bool,
    has_in_use: bool,
    has_vdisk: bool,
    has_vnetwork: bool,
    path: &'a Path,
    display: &'a str,
}

/// A VM's disks and storage, from vInfo and vDisk.
struct Storage {
    disks: Option<u32>,
    disk_details: Vec<Disk>,
    total_gb: Option<Decimal>,
    used_gb: Option<Decimal>,
}

impl Vms<'_> {
    /// One vInfo row. Empty CPUs or Memory cells do not stop the file: they are named in `empty_cells`, and the
    /// planner lists the VM as not qualified (`inventory-incomplete`).
    fn server(&self, row: &Row, name: String, warnings: &mut Vec<Warning>) -> Result<Server> {
        let location = row.location();
        let is_template = row.bool("template").unwrap_or(false);
        let power_state = row.text("power_state").map_or(PowerState::Unknown, |s| PowerState::parse(&s));
        let (cores, memory_mb, mut empty_cells) = row.cores_and_memory()?;
        let nics = if self.has_nics {
            row.count("nics", false)?
        } else {
            self.has_vnetwork.then(|| self.per_vm.nics.get(&name).copied().unwrap_or(0))
        };
        let storage = self.storage(row, &name, warnings)?;
        empty_storage_cells(row, &storage, &mut empty_cells);
        let os = row.text("os").or_else(|| row.text("os_config")).unwrap_or_default();
        let boot = row.text("boot").and_then(|b| Boot::parse(&b)).unwrap_or(Boot::Unknown);

        let notes = unknown_values(&empty_cells, nics, &storage, &os);
        state_warnings(&name, &location, is_template, power_state, warnings);
        if !notes.is_empty() {
            warnings.push(Warning { location: location.clone(), message: format!("{name}: {}", notes.join("; ")) });
        }
        Ok(Server {
            // Used storage is capped at the total, so the percentage is at most 100 and cannot overflow.
            utilization_pct: super::utilization(storage.used_gb, storage.total_gb).unwrap_or_default(),
            name,
            cores,
            memory_mb,
            empty_cells,
            nics,
            disks: storage.disks,
            disk_details: storage.disk_details,
            total_storage_gb: storage.total_gb,
            used_storage_gb: storage.used_gb,
            change_rate_pct: None,
            os,
            os_architecture: None,
            application: row.text("application"),
            boot,
            power_state,
            is_template,
            mapped_azure_size: None,
            source: SourceRef { path: self.display.to_string(), location },
        })
    }

    /// Disks: vInfo `Disks`, else the VM's vDisk rows. Total: vInfo `Total disk capacity`, else the vDisk sum,
    /// else `Provisioned` (which counts swap and snapshots too). Used: `In Use` (when the column is there and
    /// the cell not empty), else the vPartition sum, at most
    /// the total: RVTools' `In Use` counts swap and snapshot files, which are not replicated as disks.
    fn storage(&self, row: &Row, name: &str, warnings: &mut Vec<Warning>) -> Result<Storage> {
        let disk_details = self.per_vm.disks.get(name).cloned().unwrap_or_default();
        let disks = match row.count("disks", false)? {
            Some(count) => Some(count),
            None if self.has_vdisk => Some(u32::try_from(disk_details.len()).unwrap_or(u32::MAX)),
            None => None,
        };
        let sizes: Vec<Decimal> = disk_details.iter().filter_map(|d| d.size_gb).collect();
        let disk_sum = match sizes.as_slice() {
            [] => None,
            _ => Some(sizes.iter().try_fold(Decimal::ZERO, |sum, size| sum.checked_add(*size)).ok_or_else(|| {
                InputError::new(self.path, format!("{name}: the vDisk capacities are too large to add up"))
                    .at(row.location())
            })?),
        };
        let total_gb = match row.decimal("disk_capacity_mib")?.map(mib_to_gb) {
            Some(total) => Some(total),
            None => match disk_sum {
                Some(sum) => Some(sum.normalize()),
                None => row.decimal("provisioned_mib")?.map(mib_to_gb),
            },
        };
        let in_use = if self.has_in_use { row.decimal("in_use_mib")? } else { None };
        let mut used_gb = in_use.or_else(|| self.per_vm.consumed_mib.get(name).copied()).map(mib_to_gb);
        if let (Some(used), Some(total)) = (used_gb, total_gb)
            && used > total
            && total > Decimal::ZERO
        {
            warnings.push(Warning {
                location: row.location(),
                message: format!(
                    "{name}: in use {} GB is more than the disks' {} GB (RVTools' In Use counts swap and \
                     snapshot files): used storage capped at the disks' size",
                    used.round_dp(2),
                    total.round_dp(2)
                ),
            });
            used_gb = Some(total);
        }
        Ok(Storage { disks, disk_details, total_gb, used_gb })
    }
}

/// The storage cells left empty when nothing else (vDisk, vPartition) gave the figure: named in `empty_cells`.
fn empty_storage_cells(row: &Row, storage: &Storage, empty_cells: &mut Vec<String>) {
    let total_field = ["disk_capacity_mib", "provisioned_mib"].into_iter().find(|f| row.has(f));
    for (field, unknown) in [
        (Some("disks"), storage.disks.is_none()),
        (total_field, storage.total_gb.is_none()),
        (Some("in_use_mib"), storage.used_gb.is_none()),
    ] {
        if let Some(field) = field
            && unknown
            && row.has(field)
        {
            empty_cells.push(row.empty_cell(field));
        }
    }
}

/// What is unknown about a VM, for one warning.
fn unknown_values(empty_cells: &[String], nics: Option<u32>, storage: &Storage, os: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if !empty_cells.is_empty() {
        notes.push(format!("empty {}: listed, not planned", empty_cells.join(", ")));
    }
    for (unknown, note) in [
        (nics.is_none(), "NIC count unknown"),
        (storage.disks.is_none(), "disk count unknown"),
        (storage.total_gb.is_none(), "total storage unknown"),
        (
            storage.used_gb.is_none(),
            "used storage unknown (no In Use MiB and no vPartition rows: VMware Tools not running?)",
        ),
        (os.is_empty(), "operating system unknown"),
    ] {
        if unknown {
            notes.push(note.to_string());
        }
    }
    notes
}

/// A template, or a VM powered off or suspended: worth a warning each.
fn state_warnings(name: &str, location: &str, is_template: bool, power_state: PowerState, warnings: &mut Vec<Warning>) {
    if is_template {
        warnings.push(Warning {
            location: location.to_string(),
            message: format!("{name}: template, listed but left out of the totals"),
        });
    } else if power_state == PowerState::PoweredOff || power_state == PowerState::Suspended {
        let state = if power_state == PowerState::Suspended { "suspended" } else { "powered off" };
        warnings.push(Warning {
            location: location.to_string(),
            message: format!("{name}: {state}, included (remove it from the inventory if it is not to move)"),
        });
    }
}

/// The optional tabs the rules read (every `rvtools` table but vInfo). A tab that is missing, or whose header
/// lacks a column its table requires, gives one warning and is left out: only vInfo is required.
fn optional_tabs(tabs: &mut Tabs, rules: &ServerRules, warnings: &mut Vec<Warning>) -> Result<Optional> {
    let mut grids = Optional::new();
    let names: Vec<&str> = rules
        .tables
        .iter()
        .filter(|t| t.kind == "rvtools")
        .filter_map(|t| t.sheet.as_deref())
        .filter(|sheet| normalize_key(sheet) != "vinfo")
        .collect();
    for sheet in names {
        let Some(spec) = rules.table("rvtools", Some(sheet)) else { continue };
        let location = tabs.place(sheet);
        let Some(grid) = tabs.grid(sheet)? else {
            warnings.push(Warning {
                location,
                message: format!("no {sheet} tab in the export (optional): {}", tab_purpose(sheet)),
            });
            continue;
        };
        // Malformed rows are found when the tab is read (`gather`): an error, not a tab to ignore.
        if let Err(problem) = grid.unchecked_table(spec) {
            warnings.push(Warning {
                location,
                message: format!("{sheet} tab ignored, its header is not recognised: {}", problem_text(&problem)),
            });
            continue;
        }
        grids.insert(sheet.to_string(), grid);
    }
    Ok(grids)
}

/// What an optional tab would have given, for the warning when it is missing.
fn tab_purpose(sheet: &str) -> &'static str {
    match normalize_key(sheet).as_str() {
        "vdisk" => "no per-disk sizes; disk counts and sizes come from vInfo",
        "vpartition" => "used storage comes from vInfo In Use MiB/MB only",
        "vnetwork" => "NIC counts come from vInfo NICs only",
        _ => "ignored",
    }
}

/// An input error's message without the file name (the warning is located already).
fn problem_text(problem: &crate::error::Error) -> String {
    match problem {
        crate::error::Error::Input(input) => input.message.clone(),
        other => other.to_string(),
    }
}

/// Per VM, the disks (vDisk), the guest partitions' consumed space (vPartition) and the NICs (vNetwork).
fn gather(grids: &Optional, rules: &ServerRules, warnings: &mut Vec<Warning>) -> Result<PerVm> {
    let mut per_vm = PerVm::default();
    for (sheet, grid) in grids {
        let Some(spec) = rules.table("rvtools", Some(sheet)) else { continue };
        let table = grid.table(spec)?;
        warnings.extend(table.warnings());
        for row in table.rows() {
            let Some(vm) = row.text("name") else { continue };
            match normalize_key(sheet).as_str() {
                "vdisk" => {
                    let size_gb = row.decimal("capacity_mib")?.map(mib_to_gb);
                    let disks = per_vm.disks.entry(vm).or_default();
                    let label = row.text("disk").unwrap_or_else(|| format!("disk {}", disks.len() + 1));
                    disks.push(Disk { label, size_gb, iops: None, read_iops: None, write_iops: None });
                }
                "vpartition" => {
                    let consumed = row.decimal("consumed_mib")?.unwrap_or_default();
                    let sum = per_vm.consumed_mib.entry(vm).or_default();
                    *sum = sum.checked_add(consumed).ok_or_else(|| {
                        InputError::new(&grid.path, "the VM's partitions add up to more than can be computed with")
                            .at(row.location())
                    })?;
                }
                "vnetwork" => {
                    let count = per_vm.nics.entry(vm).or_default();
                    *count = count.saturating_add(1);
                }
                _ => {}
            }
        }
    }
    Ok(per_vm)
}

/// Warnings about where figures come from, once per input.
fn header_notes(info: &super::grid::Table, grids: &Optional, warnings: &mut Vec<Warning>) {
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
