//! The server model the Detailed Planner works on: one row per server, VM or template, whatever the input.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{SourceRef, Warning};

/// How a server boots. The planner table says "EFI Boot?" yes/no, Azure Migrate "BIOS"/"UEFI", RVTools
/// `Firmware` "bios"/"efi".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Boot {
    #[serde(rename = "BIOS")]
    Bios,
    #[serde(rename = "EFI")]
    Efi,
    #[serde(rename = "unknown")]
    Unknown,
}

impl Boot {
    /// Reads "BIOS", "EFI", "UEFI" (any case) or a yes/no answer to "EFI Boot?".
    pub fn parse(text: &str) -> Option<Boot> {
        match crate::rules::normalize_key(text).as_str() {
            "bios" | "legacy" | "no" | "n" | "false" => Some(Boot::Bios),
            "efi" | "uefi" | "yes" | "y" | "true" => Some(Boot::Efi),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Boot::Bios => "BIOS",
            Boot::Efi => "EFI",
            Boot::Unknown => "unknown",
        }
    }
}

/// Power state as RVTools reports it; the planner table and Azure Migrate do not say (`Unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PowerState {
    PoweredOn,
    PoweredOff,
    Suspended,
    Unknown,
}

impl PowerState {
    pub fn parse(text: &str) -> PowerState {
        match crate::rules::normalize_key(text).as_str() {
            "poweredon" | "on" | "running" => PowerState::PoweredOn,
            "poweredoff" | "off" | "stopped" => PowerState::PoweredOff,
            "suspended" => PowerState::Suspended,
            _ => PowerState::Unknown,
        }
    }
}

/// One disk of a server, when the input lists disks (RVTools vDisk, Azure Migrate `Disk N …` columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disk {
    /// "Hard disk 1" (RVTools) or "Disk 1" (Azure Migrate).
    pub label: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub size_gb: Option<Decimal>,
    /// Read + write operations per second (Azure Migrate), when the input gives either.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub iops: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub read_iops: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub write_iops: Option<Decimal>,
}

/// One server, VM or template. GB are 1024 MB throughout (RVTools MiB ÷ 1024).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    pub name: String,
    /// `None` when the row's cell is empty (then named in [`Self::empty_cells`]).
    pub cores: Option<u32>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub memory_mb: Option<Decimal>,
    /// The cells the planner needs that the row leaves empty, as `"CPUs" (vInfo!P10)`: the server is listed,
    /// not qualified (`inventory-incomplete`), and the other rows are planned as usual.
    pub empty_cells: Vec<String>,
    /// Network adapters; `None` when the input does not say (a warning names the server).
    pub nics: Option<u32>,
    /// Disks attached (not volumes); `None` when the input does not say.
    pub disks: Option<u32>,
    /// Per disk, when the input lists them; may be shorter than `disks`.
    pub disk_details: Vec<Disk>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total_storage_gb: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub used_storage_gb: Option<Decimal>,
    /// Disk capacity utilization (%), given (planner table) or used ÷ total × 100.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub utilization_pct: Option<Decimal>,
    /// Daily data change rate (%); only the planner table carries one.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub change_rate_pct: Option<Decimal>,
    /// Operating system and version as the input writes it ("" when not given).
    pub os: String,
    /// Azure Migrate's "OS architecture" (x64, x86, 32-bit, …), when the input has the column.
    pub os_architecture: Option<String>,
    /// The application the server belongs to, when the inventory has an application column (`workloads`).
    pub application: Option<String>,
    pub boot: Boot,
    pub power_state: PowerState,
    /// RVTools templates are listed but left out of the totals (see [`super::ServerInventory::included`]).
    pub is_template: bool,
    pub mapped_azure_size: Option<String>,
    /// The file and the line (CSV) or sheet and row (workbook) the server was read from.
    pub source: SourceRef,
}

impl Server {
    /// Disk sizes in GB, per disk, when the input lists them.
    pub fn disk_sizes_gb(&self) -> Vec<Decimal> {
        self.disk_details.iter().filter_map(|d| d.size_gb).collect()
    }

    /// Per-disk IOPS, when the input has them for every listed disk.
    pub fn disk_iops(&self) -> Option<Vec<Decimal>> {
        if self.disk_details.is_empty() {
            return None;
        }
        self.disk_details.iter().map(|d| d.iops).collect()
    }
}

/// Everything read from one server inventory.
#[derive(Debug, Clone, Serialize)]
pub struct ServerInventory {
    /// Every server in input order, templates included (flagged).
    pub servers: Vec<Server>,
    /// `planner-table`, `azure-migrate` or `rvtools`.
    pub format: String,
    pub warnings: Vec<Warning>,
}

impl ServerInventory {
    /// The servers that count in the totals: all but templates.
    pub fn included(&self) -> impl Iterator<Item = &Server> {
        self.servers.iter().filter(|s| !s.is_template)
    }
}
