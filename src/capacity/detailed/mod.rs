//! The Detailed Planner (issue 4): the Site Recovery Capacity Planner's Workload Qualification sheet (seed
//! 002 L13452-L13480; anchors.md §1.1) from server inventories read by [`crate::servers`].
//!
//! Per server: validation of the mandatory inputs, IOPS, the mapped Azure VM size, *Is VM Qualified?* with
//! every reason, standard or premium storage and the storage account. Totals: the Quick Planner's outputs,
//! computed with its formulas ([`super::quick`]) from the server rows. Limits come from
//! `rules/azure-limits.toml` and sizes from `rules/azure-vm-sizes.csv` ([`super::catalogue`]), per era.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::catalogue::{Catalogue, Limits, VmSize};
use super::quick::{
    self, GbBase, Input, PlannerConstants, Scenario, SizingOptions, after_compression, ceil_count, display, iops_at,
    megabits_per_second, provisioning_mbps, retention_in_days, storage_required_gb,
};
use super::sizing::Era;
use crate::error::{Error, InputError, Result};
use crate::inventory::Tool;
use crate::model::Warning;
use crate::model::checked;
use crate::model::codes::CapacityCode;
use crate::rules::Rules;
use crate::servers::{Boot, PowerState, Server, ServerInventory};

mod inputs;
mod notes;
mod os;

pub use inputs::{DEFAULT_CHANGE_RATE_PCT, InputFile, Inputs, Request};
use notes::*;
use os::*;

// ------------------------------------------------------------------------------------------ per server

/// Standard or premium storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    Standard,
    Premium,
}

impl StorageType {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageType::Standard => "standard",
            StorageType::Premium => "premium",
        }
    }
}

/// One row of the Workload Qualification sheet.
#[derive(Debug, Clone, Serialize)]
pub struct ServerRow {
    pub name: String,
    /// `None` when the inventory row leaves the cell empty (`inventory-incomplete`).
    pub cores: Option<u32>,
    pub memory_mb: Option<Decimal>,
    pub nics: Option<u32>,
    pub disks: Option<u32>,
    pub total_storage_gb: Option<Decimal>,
    pub used_storage_gb: Option<Decimal>,
    /// The data to replicate: used storage, else total × utilization.
    pub data_gb: Decimal,
    pub change_rate_pct: Decimal,
    pub change_rate_defaulted: bool,
    pub changed_per_day_gb: Decimal,
    /// The server's IOPS: measured (Azure Migrate per-disk read + write ops) or from the change rate at
    /// the standard I/O size; rounded up.
    pub iops: u64,
    /// `azure-migrate` (measured per disk) or `change-rate`.
    pub iops_source: &'static str,
    /// The busiest disk's IOPS (the change-rate IOPS spread evenly over the disks).
    pub max_disk_iops: Decimal,
    pub azure_vm_size: Option<String>,
    /// The size the input's `Mapping Azure VM size` column gave, if any.
    pub azure_vm_size_given: Option<String>,
    pub qualified: bool,
    pub qualification_reasons: Vec<String>,
    /// A stable code per reason, in the same order (`no-vm-size`, `disk-too-large`, `os-unsupported`, …): what
    /// the workload rules (`rules/workloads.toml`) test.
    #[serde(skip)]
    pub qualification_codes: Vec<&'static str>,
    /// The OS check's verdict: `supported`, `version-unknown` (a supported family, no version given),
    /// `unsupported` or `unknown` (not given or not recognised).
    #[serde(skip)]
    pub os_support: &'static str,
    pub storage_type: StorageType,
    /// `standard-1`, `premium-1`, …; none for templates and servers that are not qualified.
    pub storage_account: Option<String>,
    /// The IOPS the server takes in its storage account.
    pub account_iops: u64,
    pub in_totals: bool,
    pub initial_replication_batch: bool,
    pub is_template: bool,
    pub power_state: PowerState,
    pub os: String,
    pub boot: Boot,
    /// Remarks that do not disqualify (checks that could not be made, assumptions).
    pub notes: Vec<String>,
    pub source: String,
    /// The unrounded data to replicate and data changed per day (the JSON's are rounded for display): the
    /// workbook's totals are formulas over these, so they must be the exact figures the totals use.
    #[serde(skip)]
    pub exact_data_gb: Decimal,
    #[serde(skip)]
    pub exact_changed_per_day_gb: Decimal,
    /// Rank by data to replicate among the servers counted (1 = most data; ties in input order): the
    /// initial-replication batch is the ranks up to the batch size, which the workbook recomputes from it.
    #[serde(skip)]
    pub data_rank: Option<usize>,
}

/// A figure of one server beyond the decimal range: its file and row, the server, and what overflowed.
fn server_too_large(server: &Server, what: &str) -> Error {
    server_error(server, checked::too_large(format!("{}: {what}", server.name)))
}

/// A count of one server (its IOPS) beyond `u64`.
fn server_too_many(server: &Server, what: &str) -> Error {
    server_error(server, checked::too_many(format!("{}: {what}", server.name)))
}

fn server_error(server: &Server, message: String) -> Error {
    let (path, location) = (server.source.path.clone(), Some(server.source.location.clone()));
    InputError { path, location, column: None, message }.into()
}

/// A total over the servers of every inventory beyond the decimal range: the inventories and which total.
fn total_too_large<E>(inventories: &[(String, ServerInventory)], what: &str) -> impl FnOnce(E) -> Error {
    let files: Vec<&str> = inventories.iter().map(|(path, _)| path.as_str()).collect();
    let error = InputError {
        path: files.join(", "),
        location: None,
        column: None,
        message: checked::too_large(format!("{what} over the servers of these inventories")),
    };
    move |_| error.into()
}

fn pct(value: Decimal) -> Decimal {
    value / Decimal::ONE_HUNDRED
}

fn gb(value: Decimal) -> String {
    format!("{} GB", display(value))
}

/// One reason a server is not qualified: its stable code and the message.
type Finding = (&'static str, String);

struct Context<'a> {
    /// The era's supported_guest_os list, parsed once for every server.
    supported_os: Vec<SupportedOs>,
    inputs: &'a Inputs,
    constants: &'a PlannerConstants,
    catalogue: &'a Catalogue,
    limits: &'a Limits,
}

/// A server's IOPS: the exact figure, the busiest disk's, where they come from, and the count rounded up.
struct ServerIops {
    exact: Decimal,
    max_disk: Decimal,
    source: &'static str,
    rounded: u64,
}

impl Context<'_> {
    fn row(&self, server: &Server, warnings: &mut Vec<Warning>) -> Result<ServerRow> {
        let mut reasons = Vec::new();
        let mut notes = Vec::new();

        check_mandatory_inputs(server, &mut reasons);
        let data_gb = data_to_replicate(server, &mut reasons)?;
        if server.nics.is_none() {
            notes.push("Number of NICs not given: 1 assumed for the size mapping".to_string());
        }
        let (change_rate_pct, change_rate_defaulted) = self.change_rate(server, warnings);
        let changed_per_day_gb = checked::mul(data_gb, pct(change_rate_pct))
            .map_err(|_| server_too_large(server, "the data to replicate × the daily data change rate"))?;
        let iops = self.iops(server, changed_per_day_gb)?;
        let (storage_type, account_iops) = self.storage(server, &iops, changed_per_day_gb)?;

        // Disk sizes against the era's limits.
        self.check_disks(server, &mut reasons, &mut notes);
        let size = self.vm_size(server, storage_type, &mut reasons, &mut notes);
        // Operating system and boot.
        let os_support = self.check_os(server, &mut reasons, &mut notes);
        note_template_and_power(server, &mut notes);

        if !server.empty_cells.is_empty() {
            // The empty cells are named once, in the `inventory-incomplete` reason.
            reasons.retain(|(code, _)| *code != CapacityCode::MandatoryInputMissing.as_str());
        }
        let qualified = reasons.is_empty();
        let (qualification_codes, reasons): (Vec<&'static str>, Vec<String>) = reasons.into_iter().unzip();
        let (iops, iops_source, max_disk_iops) = (iops.rounded, iops.source, iops.max_disk);
        Ok(ServerRow {
            name: server.name.clone(),
            cores: server.cores,
            memory_mb: server.memory_mb.map(|m| m.normalize()),
            nics: server.nics,
            disks: server.disks,
            total_storage_gb: server.total_storage_gb.map(display),
            used_storage_gb: server.used_storage_gb.map(display),
            data_gb,
            change_rate_pct: change_rate_pct.normalize(),
            change_rate_defaulted,
            changed_per_day_gb,
            iops,
            iops_source,
            max_disk_iops: display(max_disk_iops),
            azure_vm_size: size.map(|s| s.name.clone()),
            azure_vm_size_given: server.mapped_azure_size.clone(),
            qualified,
            qualification_reasons: reasons,
            qualification_codes,
            os_support,
            storage_type,
            storage_account: None,
            account_iops,
            in_totals: qualified && !server.is_template,
            initial_replication_batch: false,
            is_template: server.is_template,
            power_state: server.power_state,
            os: server.os.clone(),
            boot: server.boot,
            notes,
            source: format!("{}, {}", server.source.path, server.source.location),
            exact_data_gb: data_gb,
            exact_changed_per_day_gb: changed_per_day_gb,
            data_rank: None,
        })
    }

    /// The daily change rate: the server's, else --default-change-rate with a warning naming the server.
    fn change_rate(&self, server: &Server, warnings: &mut Vec<Warning>) -> (Decimal, bool) {
        match server.change_rate_pct {
            Some(rate) => (rate, false),
            None => {
                let rate = self.inputs.default_change_rate_pct.value;
                if !server.is_template {
                    warnings.push(Warning {
                        location: format!("{}, {}", server.source.path, server.source.location),
                        message: format!(
                            "{}: no daily data change rate; --default-change-rate {} % used",
                            server.name,
                            rate.normalize()
                        ),
                    });
                }
                (rate, true)
            }
        }
    }

    /// IOPS (anchors.md §1.1: "calculated at the VM level"): measured per disk when the inventory has
    /// the figures, else the change rate at the standard I/O size, spread evenly over the disks.
    fn iops(&self, server: &Server, changed_per_day_gb: Decimal) -> Result<ServerIops> {
        let disks = server.disks.unwrap_or(0);
        let (base, c) = (self.inputs.gb_base.value, self.constants);
        let (exact, max_disk, source) = match server.disk_iops() {
            Some(per_disk) if !per_disk.is_empty() => {
                let total = checked::sum(per_disk.iter().copied())
                    .map_err(|_| server_too_large(server, "the sum of the disks' IOPS"))?;
                (total, per_disk.iter().copied().max().unwrap_or_default(), "azure-migrate")
            }
            _ => {
                let total = iops_at(changed_per_day_gb, self.limits.standard_io_size_kb.value, base, c)
                    .map_err(|_| server_too_large(server, "the IOPS of the data changed per day"))?;
                let per_disk = if disks == 0 { total } else { total / Decimal::from(disks) };
                (total, per_disk, "change-rate")
            }
        };
        let rounded = ceil_count(exact)
            .map_err(|_| server_too_many(server, &format!("the IOPS {} (from {source})", exact.normalize())))?;
        Ok(ServerIops { exact, max_disk, source, rounded })
    }

    /// Standard or premium, and the IOPS the server takes in its storage account: premium when a disk needs
    /// more than a standard disk serves (seed L13582), or the server more than a whole standard account holds
    /// (anchors.md §1.1).
    fn storage(&self, server: &Server, iops: &ServerIops, changed_per_day_gb: Decimal) -> Result<(StorageType, u64)> {
        let limits = self.limits;
        let disks = server.disks.unwrap_or(0);
        let disk_limit = limits.standard_disk_iops.value;
        let account_limit = limits.standard_account_iops.value;
        let storage_type = if iops.max_disk > disk_limit || iops.exact > account_limit {
            StorageType::Premium
        } else {
            StorageType::Standard
        };
        let account_iops = match storage_type {
            // A standard account must hold every disk at its limit (as the Quick Planner's F8).
            StorageType::Standard => {
                iops.rounded.max(u64::from(disks).saturating_mul(disk_limit.to_u64().unwrap_or(0)))
            }
            // Premium IOPS at the premium I/O size (seed L13585); measured operations stay as measured.
            StorageType::Premium if iops.source == "change-rate" => {
                let base = self.inputs.gb_base.value;
                let exact = iops_at(changed_per_day_gb, limits.premium_io_size_kb.value, base, self.constants)
                    .map_err(|_| server_too_large(server, "the IOPS at the premium I/O size"))?;
                ceil_count(exact).map_err(|_| server_too_many(server, "the IOPS at the premium I/O size"))?
            }
            StorageType::Premium => iops.rounded,
        };
        Ok((storage_type, account_iops))
    }

    /// The mapped Azure VM size, with the data-disk count checked against the era's limit and sizes.
    fn vm_size(
        &self,
        server: &Server,
        storage_type: StorageType,
        reasons: &mut Vec<Finding>,
        notes: &mut Vec<String>,
    ) -> Option<&VmSize> {
        let limits = self.limits;
        let data_disks = server.disks.unwrap_or(0).saturating_sub(1);
        let nics = server.nics.unwrap_or(1);
        // Without cores or memory no size is mapped (the row is `inventory-incomplete`), never a guess.
        let (cores, memory) = (server.cores.unwrap_or(0), server.memory_mb.unwrap_or_default());
        let fits = |s: &VmSize| {
            s.cores >= cores
                && Decimal::from(s.memory_mb) >= memory
                && s.max_nics >= nics
                && s.max_data_disks >= data_disks
        };
        let sizable = cores > 0 && memory > Decimal::ZERO;
        let max_data_disks = Decimal::from(data_disks);
        if max_data_disks > limits.max_data_disks_per_vm.value {
            reasons.push((
                CapacityCode::TooManyDataDisks.as_str(),
                format!(
                    "{data_disks} data disks (disks − 1 OS disk): more than the {} an Azure VM may have ({})",
                    limits.max_data_disks_per_vm.value,
                    limits.max_data_disks_per_vm.cite()
                ),
            ));
        }
        if data_disks > self.catalogue.max_data_disks() {
            reasons.push((
                CapacityCode::TooManyDataDisks.as_str(),
                format!(
                    "{data_disks} data disks: more than any Azure VM size of the {} era allows ({})",
                    self.catalogue.era.as_str(),
                    self.catalogue.max_data_disks()
                ),
            ));
        }
        let size = match storage_type {
            _ if !sizable => None,
            StorageType::Premium => {
                let premium = self.catalogue.smallest(|s| s.premium_storage && fits(s));
                if premium.is_none() {
                    notes.push("no premium-storage size fits: mapped to a standard size".to_string());
                }
                premium.or_else(|| self.catalogue.smallest(fits))
            }
            StorageType::Standard => self.catalogue.smallest(fits),
        };
        if size.is_none() && sizable {
            reasons.push((CapacityCode::NoVmSize.as_str(), self.no_size_reason(server, nics, data_disks)));
        }
        if let (Some(given), Some(size)) = (&server.mapped_azure_size, size)
            && !given.eq_ignore_ascii_case(&size.name)
        {
            notes.push(format!("the input maps it to {given}; the catalogue's smallest fitting size is {}", size.name));
        }
        size
    }

    /// Every disk against the era's limits. The first disk is the OS (boot) disk (RVTools `Hard disk 1`,
    /// Azure Migrate `Disk 1`); a UEFI server is a generation 2 VM. Without per-disk sizes, one disk is the
    /// OS disk of the total size; several are checked on their average (the largest is at least that).
    fn check_disks(&self, server: &Server, reasons: &mut Vec<Finding>, notes: &mut Vec<String>) {
        let limits = self.limits;
        let os = if server.boot == Boot::Efi { &limits.max_os_disk_size_gb } else { &limits.max_os_disk_size_gb_gen1 };
        let (os_limit, data_limit) = (os.value, limits.max_data_disk_size_gb.value);
        let min = limits.min_disk_size_gb.value;
        let sizes = server.disk_sizes_gb();
        let mut check = |label: String, size: Decimal, is_os: bool| {
            let limit = if is_os { os } else { &limits.max_data_disk_size_gb };
            if size > limit.value {
                reasons.push((
                    CapacityCode::DiskTooLarge.as_str(),
                    format!(
                        "{label} is {}: larger than the {} GB {} limit ({})",
                        gb(size),
                        limit.value,
                        if is_os { "OS disk" } else { "data disk" },
                        limit.cite()
                    ),
                ));
            }
            if size < min {
                reasons.push((
                    CapacityCode::DiskTooSmall.as_str(),
                    format!(
                        "{label} is {}: smaller than the {min} GB a replicated disk needs ({})",
                        gb(size),
                        limits.min_disk_size_gb.cite()
                    ),
                ));
            }
        };
        if !sizes.is_empty() {
            for (index, detail) in server.disk_details.iter().enumerate() {
                if let Some(size) = detail.size_gb {
                    let label =
                        if detail.label.is_empty() { format!("disk {}", index + 1) } else { detail.label.clone() };
                    check(label, size, index == 0);
                }
            }
            return;
        }
        let (Some(total), Some(disks)) = (server.total_storage_gb, server.disks) else { return };
        if disks == 0 || total <= Decimal::ZERO {
            return;
        }
        if disks == 1 {
            check("the only disk (the OS disk)".to_string(), total, true);
            return;
        }
        let average = total / Decimal::from(disks);
        let largest_limit = os_limit.max(data_limit);
        if average > largest_limit {
            reasons.push((CapacityCode::DiskTooLarge.as_str(), format!(
                "{disks} disks of {} on average: at least one disk is larger than the {largest_limit} GB limit ({})",
                gb(average),
                if data_limit >= os_limit { limits.max_data_disk_size_gb.cite() } else { os.cite() }
            )));
        } else {
            notes.push(format!(
                "per-disk sizes not given: disk sizes checked on the average ({}), each disk may still exceed a limit",
                gb(average)
            ));
        }
    }

    fn no_size_reason(&self, server: &Server, nics: u32, data_disks: u32) -> String {
        let sizes = &self.catalogue.sizes;
        let mut why = Vec::new();
        let max_cores = sizes.iter().map(|s| s.cores).max().unwrap_or(0);
        let max_memory = sizes.iter().map(|s| s.memory_mb).max().unwrap_or(0);
        let max_nics = sizes.iter().map(|s| s.max_nics).max().unwrap_or(0);
        let (cores, memory) = (server.cores.unwrap_or(0), server.memory_mb.unwrap_or_default().normalize());
        if cores > max_cores {
            why.push(format!("{cores} cores (largest: {max_cores})"));
        }
        if memory > Decimal::from(max_memory) {
            why.push(format!("{memory} MB of memory (largest: {max_memory} MB)"));
        }
        if nics > max_nics {
            why.push(format!("{nics} NICs (largest: {max_nics})"));
        }
        if data_disks > self.catalogue.max_data_disks() {
            why.push(format!("{data_disks} data disks (largest: {})", self.catalogue.max_data_disks()));
        }
        if why.is_empty() {
            why.push(format!("{cores} cores, {memory} MB, {nics} NIC(s) and {data_disks} data disk(s) together"));
        }
        format!(
            "no Azure VM size of the {} era fits: {} (rules/{})",
            self.catalogue.era.as_str(),
            why.join("; "),
            super::catalogue::SIZES_FILE
        )
    }

    fn check_os(&self, server: &Server, reasons: &mut Vec<Finding>, notes: &mut Vec<String>) -> &'static str {
        let limits = self.limits;
        let os = server.os.trim();
        let mut check = check_os_against(os, &self.supported_os);
        // Azure Migrate's "OS architecture" column (x86, 32-bit, …) says so when the name does not.
        check.bits32 |= server.os_architecture.as_deref().is_some_and(is_32_bit_architecture);
        if check.bits32 {
            reasons.push((
                CapacityCode::Os32Bit.as_str(),
                format!(
                    "32-bit guest OS \"{os}\": Azure VMs need a {} guest ({})",
                    limits.guest_os_architecture.value,
                    limits.guest_os_architecture.cite()
                ),
            ));
        }
        match &check.verdict {
            OsVerdict::NotChecked => notes.push(if os.is_empty() {
                "operating system not given: not checked".to_string()
            } else {
                format!("operating system \"{os}\" not recognised: not checked")
            }),
            OsVerdict::Supported { version_checked: true } => {}
            OsVerdict::Supported { version_checked: false } => {
                notes.push(format!("\"{os}\": a supported family, version not given: version not checked"))
            }
            OsVerdict::Unsupported(why) => reasons.push((
                CapacityCode::OsUnsupported.as_str(),
                format!("operating system \"{os}\" is not supported: {why} ({})", limits.supported_guest_os.cite()),
            )),
        }
        if server.boot == Boot::Efi {
            if !limits.uefi_boot_supported.value {
                reasons.push((
                    CapacityCode::UefiUnsupported.as_str(),
                    format!(
                        "EFI (UEFI) boot is not supported in the {} era ({})",
                        limits.era.as_str(),
                        limits.uefi_boot_supported.cite()
                    ),
                ));
            } else if check.windows_server_2008 {
                reasons.push((
                    CapacityCode::UefiWindowsServer2008.as_str(),
                    format!(
                        "UEFI boot with Windows Server 2008 / 2008 R2 is not supported ({})",
                        limits.uefi_boot_supported.cite()
                    ),
                ));
            }
        }
        check.verdict.label()
    }
}

/// Validation of the mandatory inputs (seed L13465, anchors.md §1.1 "Validates the mandatory inputs").
/// Cells the inventory row leaves empty are one reason naming them (the row is listed, not planned).
fn check_mandatory_inputs(server: &Server, reasons: &mut Vec<Finding>) {
    if !server.empty_cells.is_empty() {
        reasons.push((
            CapacityCode::InventoryIncomplete.as_str(),
            format!("inventory incomplete: empty {}", server.empty_cells.join(", ")),
        ));
    }
    if server.cores == Some(0) {
        reasons.push((
            CapacityCode::MandatoryInputMissing.as_str(),
            "mandatory input missing: Processor Cores is 0".to_string(),
        ));
    }
    if server.memory_mb.is_some_and(|memory| memory <= Decimal::ZERO) {
        reasons.push((
            CapacityCode::MandatoryInputMissing.as_str(),
            "mandatory input missing: Memory allocation (in MBs) is 0".to_string(),
        ));
    }
    match server.disks {
        None => reasons.push((
            CapacityCode::MandatoryInputMissing.as_str(),
            "mandatory input missing: Number of disks attached".to_string(),
        )),
        Some(0) => {
            reasons.push((CapacityCode::NoDisk.as_str(), "no disk attached: there is nothing to replicate".to_string()))
        }
        Some(_) => {}
    }
    match server.total_storage_gb {
        None => reasons.push((
            CapacityCode::MandatoryInputMissing.as_str(),
            "mandatory input missing: Total Storage (in GBs)".to_string(),
        )),
        Some(total) if total <= Decimal::ZERO => reasons.push((
            CapacityCode::MandatoryInputMissing.as_str(),
            "mandatory input missing: Total Storage (in GBs) is 0".to_string(),
        )),
        Some(_) => {}
    }
}

/// The data to replicate: used storage, else total × utilization; neither is a missing mandatory input.
fn data_to_replicate(server: &Server, reasons: &mut Vec<Finding>) -> Result<Decimal> {
    Ok(match (server.used_storage_gb, server.total_storage_gb, server.utilization_pct) {
        (Some(used), _, _) => used,
        (None, Some(total), Some(utilization)) => checked::mul(total, pct(utilization))
            .map_err(|_| server_too_large(server, "Total Storage × Disk capacity utilization"))?,
        _ => {
            reasons.push((
                CapacityCode::MandatoryInputMissing.as_str(),
                "mandatory input missing: Disk capacity utilization (%) (no used storage either)".to_string(),
            ));
            Decimal::ZERO
        }
    })
}

/// Remarks that do not disqualify: a template is left out of the totals, a server not powered on is not.
fn note_template_and_power(server: &Server, notes: &mut Vec<String>) {
    if server.is_template {
        notes.push("template: listed, left out of the totals".to_string());
    }
    if server.power_state == PowerState::PoweredOff || server.power_state == PowerState::Suspended {
        notes.push("not powered on: included".to_string());
    }
}

// ------------------------------------------------------------------------------------------ the plan

/// `capacity detailed`'s result: the Quick Planner's outputs for the servers, and the servers.
#[derive(Debug, Clone, Serialize)]
pub struct DetailedPlan {
    pub schema_version: u32,
    pub tool: Tool,
    pub planner: &'static str,
    pub total_data_to_replicate_gb: Decimal,
    pub data_changed_per_day_gb: Decimal,
    pub data_transferred_per_day_gb: Decimal,
    pub delta_replication_mbps: Decimal,
    pub delta_replication_mbps_raw: Decimal,
    pub initial_replication_mbps: Decimal,
    pub initial_replication_mbps_raw: Decimal,
    pub storage_required_gb: Decimal,
    pub standard_storage_iops: u64,
    pub standard_storage_accounts: u64,
    pub blob_disks: u64,
    pub premium_storage_accounts: u64,
    pub premium_storage_iops: u64,
    pub configuration_servers: u32,
    pub additional_process_servers: u32,
    pub additional_source_storage: String,
    /// Servers listed, and those counted in the totals (qualified, not templates).
    pub servers_listed: usize,
    pub servers_in_totals: usize,
    pub servers_qualified: usize,
    pub sizing: SizingOptions,
    pub servers: Vec<ServerRow>,
    pub inputs: Inputs,
    pub notes: Vec<String>,
    /// Why the totals are not figures: every server but the templates lacks data they need (an incomplete row,
    /// an inventory without disk sizes). Empty when the totals stand; the renderers then show "not enough data".
    pub not_enough_data: Vec<String>,
    pub warnings: Vec<Warning>,
    /// The totals before display rounding (the capacity workbook caches its working cells with them).
    #[serde(skip)]
    pub exact: ExactTotals,
}

impl crate::output::Json for DetailedPlan {}

/// The unrounded figures behind the totals (the JSON's are rounded for display).
#[derive(Debug, Clone, Default)]
pub struct ExactTotals {
    pub total_data_gb: Decimal,
    pub changed_per_day_gb: Decimal,
    pub transferred_per_day_gb: Decimal,
    /// The initial-replication batch's data, before and after compression, and its VHD size (F4, F14).
    pub batch_gb: Decimal,
    pub initial_batch_gb: Decimal,
    pub batch_vhd_gb: Decimal,
    /// F14 for any scenario (the JSON reports it for Hyper-V only).
    pub source_storage_gb: Decimal,
    pub delta_mbps_raw: Decimal,
    pub initial_mbps_raw: Decimal,
    pub retention_days: Decimal,
    pub storage_gb: Decimal,
}

/// First-fit packing of loads into accounts of `capacity` IOPS, in order; a load above `capacity` gets an
/// account of its own. Returns each load's account number (1-based) and the number of accounts.
fn pack(loads: &[u64], capacity: u64) -> (Vec<usize>, usize) {
    let mut free: Vec<u64> = Vec::new();
    let mut placed = Vec::new();
    for &load in loads {
        match free.iter().position(|f| *f >= load) {
            Some(index) => {
                free[index] -= load;
                placed.push(index + 1);
            }
            None => {
                free.push(capacity.saturating_sub(load));
                placed.push(free.len());
            }
        }
    }
    let count = free.len();
    (placed, count)
}

/// An inventory's read warnings, each located in the file `path` (the message names the file even when it is the
/// only inventory: a warning is read away from the command that caused it).
pub fn reader_warnings<'a>(path: &'a str, inventory: &'a ServerInventory) -> impl Iterator<Item = Warning> + 'a {
    inventory
        .warnings
        .iter()
        .map(move |w| Warning { location: format!("{path}, {}", w.location), message: w.message.clone() })
}

impl DetailedPlan {
    /// The plan of inventories already read, `(name to show, inventory)`, with the request's inputs resolved.
    pub fn from_inventories(
        inventories: &[(String, ServerInventory)],
        request: Request,
        rules: &Rules,
    ) -> Result<Self> {
        let constants = &rules.planner;
        let files = inventories
            .iter()
            .map(|(path, inventory)| InputFile {
                path: path.clone(),
                format: inventory.format.clone(),
                servers: inventory.servers.len(),
            })
            .collect();
        let inputs = request.resolve(constants, files)?;
        Self::build(inventories, inputs, rules)
    }

    pub fn build(inventories: &[(String, ServerInventory)], inputs: Inputs, rules: &Rules) -> Result<Self> {
        let (era, constants) = (inputs.era.value, &rules.planner);
        let (catalogue, limits) = (rules.catalogue(era), rules.limits(era));
        let supported_os = parse_supported(&limits.supported_guest_os.value);
        let context = Context { inputs: &inputs, constants, catalogue, limits, supported_os };
        let (mut rows, warnings) = context.rows(inventories)?;
        assign_storage_accounts(&mut rows, limits);
        let standard_accounts = account_count(&rows, StorageType::Standard);
        let premium_accounts = account_count(&rows, StorageType::Premium);
        let by_data = mark_initial_batch(&mut rows, inputs.batch_size.value as usize);
        let totals = Totals::compute(&rows, &by_data, &inputs, constants, inventories)?;
        let exact = totals.exact;

        let mut notes = Vec::new();
        let scenario = inputs.scenario.value;
        let (sizing_options, configuration_servers, additional_process_servers) =
            quick::server_sizing(rules, scenario, era, totals.machines, exact.transferred_per_day_gb, &mut notes);
        let additional_source_storage =
            if scenario == Scenario::Hyperv { display(exact.source_storage_gb).to_string() } else { "NA".to_string() };

        let facts = Facts {
            rows: &rows,
            batch: by_data.iter().map(|i| &rows[*i]).collect(),
            batch_gb: exact.batch_gb,
            retention_days: exact.retention_days,
            storage_gb: exact.storage_gb,
        };
        notes.extend(facts.notes(&inputs, constants, limits, catalogue));

        let not_enough_data = data_gaps(&rows, &mut notes);
        let servers_qualified = rows.iter().filter(|r| r.qualified).count();
        let servers_in_totals = rows.iter().filter(|r| r.in_totals).count();
        Ok(DetailedPlan {
            schema_version: crate::inventory::SCHEMA_VERSION,
            tool: Tool::current(),
            planner: "detailed",
            total_data_to_replicate_gb: display(exact.total_data_gb),
            data_changed_per_day_gb: display(exact.changed_per_day_gb),
            data_transferred_per_day_gb: display(exact.transferred_per_day_gb),
            delta_replication_mbps: display(totals.delta_mbps),
            delta_replication_mbps_raw: display(exact.delta_mbps_raw),
            initial_replication_mbps: display(totals.initial_mbps),
            initial_replication_mbps_raw: display(exact.initial_mbps_raw),
            storage_required_gb: display(exact.storage_gb),
            standard_storage_iops: totals.standard_iops,
            standard_storage_accounts: standard_accounts,
            blob_disks: totals.blob_disks,
            premium_storage_accounts: premium_accounts,
            premium_storage_iops: totals.premium_iops,
            configuration_servers,
            additional_process_servers,
            additional_source_storage,
            servers_listed: rows.len(),
            servers_in_totals,
            servers_qualified,
            sizing: sizing_options,
            servers: rows.into_iter().map(ServerRow::for_output).collect(),
            inputs,
            notes,
            not_enough_data,
            warnings,
            exact,
        })
    }
}

impl Context<'_> {
    /// Every server of every inventory, in input order, and the warnings: each inventory's read warnings,
    /// then those of its servers.
    fn rows(&self, inventories: &[(String, ServerInventory)]) -> Result<(Vec<ServerRow>, Vec<Warning>)> {
        let mut warnings = Vec::new();
        let mut rows = Vec::new();
        for (path, inventory) in inventories {
            warnings.extend(reader_warnings(path, inventory));
            for server in &inventory.servers {
                rows.push(self.row(server, &mut warnings)?);
            }
        }
        Ok((rows, warnings))
    }
}

/// Storage accounts: first fit, in input order, among the servers counted (seed's worked example:
/// VM1 + VM2 share standard account 1, VM4 takes account 2, VM5 + VM6 share a premium account).
fn assign_storage_accounts(rows: &mut [ServerRow], limits: &Limits) {
    for (kind, capacity, prefix) in [
        (StorageType::Standard, &limits.standard_account_iops, "standard"),
        (StorageType::Premium, &limits.premium_account_iops, "premium"),
    ] {
        let capacity = capacity.value.to_u64().unwrap_or(u64::MAX);
        let members: Vec<usize> =
            (0..rows.len()).filter(|i| rows[*i].in_totals && rows[*i].storage_type == kind).collect();
        let loads: Vec<u64> = members.iter().map(|i| rows[*i].account_iops).collect();
        let (placed, _) = pack(&loads, capacity);
        for (index, account) in members.iter().zip(placed) {
            rows[*index].storage_account = Some(format!("{prefix}-{account}"));
            if rows[*index].account_iops > capacity {
                let note = format!(
                    "needs {} IOPS, more than one {prefix} account holds ({capacity}): an account of its own",
                    rows[*index].account_iops
                );
                rows[*index].notes.push(note);
            }
        }
    }
}

/// The number of storage accounts of one kind the servers were given.
fn account_count(rows: &[ServerRow], kind: StorageType) -> u64 {
    let mut names: Vec<&String> =
        rows.iter().filter(|r| r.storage_type == kind).filter_map(|r| r.storage_account.as_ref()).collect();
    names.sort();
    names.dedup();
    names.len() as u64
}

/// The initial-replication batch: the `batch size` servers with the most data (the worst case). Ranks every
/// server counted by its data, marks the batch and returns its rows' indices, most data first.
fn mark_initial_batch(rows: &mut [ServerRow], batch_size: usize) -> Vec<usize> {
    let mut by_data: Vec<usize> = (0..rows.len()).filter(|i| rows[*i].in_totals).collect();
    by_data.sort_by(|a, b| rows[*b].data_gb.cmp(&rows[*a].data_gb));
    for (rank, index) in by_data.iter().enumerate() {
        rows[*index].data_rank = Some(rank + 1);
    }
    by_data.truncate(batch_size);
    for index in &by_data {
        rows[*index].initial_replication_batch = true;
    }
    by_data
}

/// The Quick Planner's outputs over the servers counted, computed with its formulas.
struct Totals {
    exact: ExactTotals,
    delta_mbps: Decimal,
    initial_mbps: Decimal,
    standard_iops: u64,
    premium_iops: u64,
    blob_disks: u64,
    machines: u32,
}

impl Totals {
    /// Every total is checked: an overflow names the inventories and the total.
    fn compute(
        rows: &[ServerRow],
        by_data: &[usize],
        inputs: &Inputs,
        c: &PlannerConstants,
        inventories: &[(String, ServerInventory)],
    ) -> Result<Totals> {
        let counted: Vec<&ServerRow> = rows.iter().filter(|r| r.in_totals).collect();
        let sum = |f: &dyn Fn(&ServerRow) -> Decimal| checked::sum(counted.iter().map(|row| f(row)));
        // F1: Σ data to replicate (used storage, else total × utilization).
        let total_data_gb = sum(&|r| r.data_gb).map_err(total_too_large(inventories, "the total data to replicate"))?;
        // F2: Σ each server's data × its own daily change rate.
        let changed_per_day_gb =
            sum(&|r| r.changed_per_day_gb).map_err(total_too_large(inventories, "the data changed per day"))?;
        // F3.
        let compression = inputs.compression_pct.value;
        let transferred_per_day_gb = after_compression(changed_per_day_gb, compression)
            .map_err(total_too_large(inventories, "the data transferred per day"))?;
        // F5.
        let delta_mbps_raw =
            megabits_per_second(transferred_per_day_gb, c.value("seconds_per_day"), inputs.gb_base.value, c)
                .and_then(|raw| Ok((raw, provisioning_mbps(raw, c)?)))
                .map_err(total_too_large(inventories, "the delta replication bandwidth"))?;
        let (delta_mbps_raw, delta_mbps) = delta_mbps_raw;
        let batch: Vec<&ServerRow> = by_data.iter().map(|i| &rows[*i]).collect();
        let initial = InitialReplication::compute(&batch, inputs, c, inventories)?;
        // F6.
        let retention_days = retention_in_days(inputs.retention_days.as_ref(), inputs.recovery_points.as_ref(), c)?;
        let storage_gb = storage_required_gb(total_data_gb, transferred_per_day_gb, retention_days).map_err(
            total_too_large(inventories, "the storage required (data + data transferred per day × retention days)"),
        )?;
        // F7, F11: Σ the servers' IOPS on each kind of account.
        let standard_iops =
            checked::sum_u64(counted.iter().filter(|r| r.storage_type == StorageType::Standard).map(|r| r.iops))
                .map_err(total_too_large(inventories, "the standard storage IOPS"))?;
        let premium_iops =
            checked::sum_u64(counted.iter().filter(|r| r.storage_type == StorageType::Premium).map(|r| r.account_iops))
                .map_err(total_too_large(inventories, "the premium storage IOPS"))?;
        // F9: Σ Number of disks attached (digest §4.8).
        let blob_disks: u64 = counted.iter().map(|r| u64::from(r.disks.unwrap_or(0))).sum();
        let machines = u32::try_from(counted.len()).map_err(total_too_large(inventories, "the number of servers"))?;
        // F14: Hyper-V keeps free space of 100 % of the VHD size of one batch (anchors.md §1.3). (Sizing the
        // servers, which came before it, cannot fail: the order of the checks is unchanged.)
        let batch_vhd_gb = checked::sum(batch.iter().map(|r| r.total_storage_gb.unwrap_or(r.data_gb)))
            .map_err(total_too_large(inventories, "the VHD size of the initial replication batch"))?;
        let source_storage_gb = checked::mul(batch_vhd_gb, pct(c.value("hyperv_source_storage_pct")))
            .map_err(total_too_large(inventories, "the additional source storage"))?;
        let exact = ExactTotals {
            total_data_gb,
            changed_per_day_gb,
            transferred_per_day_gb,
            batch_gb: initial.batch_gb,
            initial_batch_gb: initial.initial_batch_gb,
            batch_vhd_gb,
            source_storage_gb,
            delta_mbps_raw,
            initial_mbps_raw: initial.mbps_raw,
            retention_days,
            storage_gb,
        };
        let initial_mbps = initial.mbps;
        Ok(Totals { exact, delta_mbps, initial_mbps, standard_iops, premium_iops, blob_disks, machines })
    }
}

/// F4: the initial-replication batch's data, compressed, over the initial-replication window.
struct InitialReplication {
    batch_gb: Decimal,
    initial_batch_gb: Decimal,
    mbps_raw: Decimal,
    mbps: Decimal,
}

impl InitialReplication {
    fn compute(
        batch: &[&ServerRow],
        inputs: &Inputs,
        c: &PlannerConstants,
        inventories: &[(String, ServerInventory)],
    ) -> Result<Self> {
        let compression = inputs.compression_pct.value;
        let batch_gb = checked::sum(batch.iter().map(|r| r.data_gb))
            .map_err(total_too_large(inventories, "the data of the initial replication batch"))?;
        let initial_batch_gb = after_compression(batch_gb, compression)
            .map_err(total_too_large(inventories, "the data of the initial replication batch"))?;
        let window_seconds = checked::mul(inputs.initial_replication_hours.value, c.value("seconds_per_hour"))
            .map_err(|_| Error::usage(checked::too_large("--initial-replication-hours")))?;
        let (mbps_raw, mbps) = megabits_per_second(initial_batch_gb, window_seconds, inputs.gb_base.value, c)
            .and_then(|raw| Ok((raw, provisioning_mbps(raw, c)?)))
            .map_err(total_too_large(inventories, "the initial replication bandwidth"))?;
        Ok(InitialReplication { batch_gb, initial_batch_gb, mbps_raw, mbps })
    }
}

/// The reason codes that say the inventory lacks a figure, not that the server cannot move.
const LACKS_DATA: &[&str] = &[CapacityCode::InventoryIncomplete.as_str(), CapacityCode::MandatoryInputMissing.as_str()];

/// Servers left out of the totals for lack of data: a note when others are counted; when none is, the reasons
/// the totals are "not enough data" (a sum over no server would read as a figure).
fn data_gaps(rows: &[ServerRow], notes: &mut Vec<String>) -> Vec<String> {
    let lacking: Vec<&ServerRow> = rows
        .iter()
        .filter(|r| !r.is_template && r.qualification_codes.iter().any(|c| LACKS_DATA.contains(c)))
        .collect();
    if lacking.is_empty() {
        return Vec::new();
    }
    let counted = rows.iter().filter(|r| r.in_totals).count();
    if counted > 0 {
        notes.push(format!(
            "{} server(s) lack data the totals need (inventory-incomplete or mandatory input missing) and are left \
             out of them: the totals cover the other {counted} only.",
            lacking.len()
        ));
        return Vec::new();
    }
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for row in &lacking {
        for (code, message) in row.qualification_codes.iter().zip(&row.qualification_reasons) {
            if !LACKS_DATA.contains(code) {
                continue;
            }
            // Counted by the reason without the row's own cells ("inventory incomplete: empty …" is one reason).
            let key = message.split(": empty ").next().unwrap_or(message).to_string();
            match reasons.iter_mut().find(|(k, _)| *k == key) {
                Some((_, count)) => *count += 1,
                None => reasons.push((key, 1)),
            }
        }
    }
    let mut gaps = vec![format!(
        "no server can be counted: {} of the {} server(s) listed lack data the totals need",
        lacking.len(),
        rows.len()
    )];
    gaps.extend(reasons.into_iter().map(|(reason, count)| format!("{reason} ({count} server(s))")));
    gaps
}

impl ServerRow {
    /// Display rounding of the computed figures (exact until the totals are made).
    fn for_output(mut self) -> Self {
        self.data_gb = display(self.data_gb);
        self.changed_per_day_gb = display(self.changed_per_day_gb);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn os_families_and_versions() {
        let rules = crate::rules::Rules::embedded();
        let (limits, old) = (rules.limits(Era::Current), rules.limits(Era::Y2017));
        let now = &limits.supported_guest_os.value;
        let then = &old.supported_guest_os.value;
        let ok = OsVerdict::Supported { version_checked: true };
        assert_eq!(check_os("Microsoft Windows Server 2022", now).verdict, ok);
        assert!(matches!(check_os("Microsoft Windows Server 2022", then).verdict, OsVerdict::Unsupported(_)));
        assert_eq!(check_os("Microsoft Windows Server 2012 R2 Standard", then).verdict, ok);
        assert_eq!(check_os("Red Hat Enterprise Linux 7 (64-bit)", then).verdict, ok);
        assert!(matches!(check_os("Red Hat Enterprise Linux 8 (64-bit)", then).verdict, OsVerdict::Unsupported(_)));
        assert_eq!(check_os("Ubuntu 20.04", now).verdict, ok);
        assert_eq!(check_os("Ubuntu Linux (64-bit)", now).verdict, OsVerdict::Supported { version_checked: false });
        assert_eq!(check_os("SUSE Linux Enterprise 12 (64-bit)", then).verdict, ok);
        assert_eq!(check_os("Microsoft Windows 10 (64-bit)", now).verdict, ok);
        assert!(matches!(check_os("FreeBSD 12", now).verdict, OsVerdict::Unsupported(_)));
        assert_eq!(check_os("", now).verdict, OsVerdict::NotChecked);
        assert_eq!(check_os("Other 3.x Linux (64-bit)", now).verdict, OsVerdict::NotChecked);
        let w2k8 = check_os("Microsoft Windows Server 2008 (32-bit)", &list(&["Windows Server 2008 SP2"]));
        assert!(w2k8.bits32 && w2k8.windows_server_2008);
        assert_eq!(w2k8.verdict, ok);
        assert!(!check_os("Microsoft Windows Server 2016 (64-bit)", now).bits32);
    }

    #[test]
    fn first_fit_packing() {
        assert_eq!(pack(&[15000, 10000, 5000, 30000], 20000), (vec![1, 2, 1, 3], 3));
        assert_eq!(pack(&[], 20000), (vec![], 0));
    }
}
