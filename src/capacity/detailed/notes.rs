//! The plan's notes: how each figure was worked out, with the era's limits and the inputs' defaults.

use super::*;

/// What the notes need to know.
pub(super) struct Facts<'a> {
    pub(super) rows: &'a [ServerRow],
    pub(super) batch: Vec<&'a ServerRow>,
    pub(super) batch_gb: Decimal,
    pub(super) retention_days: Decimal,
    pub(super) storage_gb: Decimal,
}

impl Facts<'_> {
    pub(super) fn notes(
        &self,
        inputs: &Inputs,
        c: &PlannerConstants,
        limits: &Limits,
        catalogue: &Catalogue,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let defaulted = inputs.defaulted();
        if !defaulted.is_empty() {
            notes.push(format!(
                "Defaulted inputs: {}; `inputs` gives each value and the source of its default.",
                defaulted.join(", ")
            ));
        }
        notes.extend(self.server_notes(inputs));
        notes.extend(self.replication_notes(inputs, c));
        notes.extend(sizing_notes(limits, catalogue));
        if self.rows.iter().any(|r| r.in_totals && r.change_rate_pct < Decimal::ONE && !r.change_rate_pct.is_zero()) {
            notes.push(
                "The capacity-planning guide of Microsoft's Azure CSP documentation says change rates below 1 % are \
                 \"automatically converted to 0\" by the workbook (section \"Calculate the daily data change \
                 rate\"); csp-planner keeps the values given."
                    .to_string(),
            );
        }
        notes
    }

    /// Which servers the totals cover, and which are left out or use the default change rate.
    fn server_notes(&self, inputs: &Inputs) -> Vec<String> {
        let mut notes = Vec::new();
        let names = |filter: &dyn Fn(&ServerRow) -> bool| -> Vec<&str> {
            self.rows.iter().filter(|r| filter(r)).map(|r| r.name.as_str()).collect()
        };
        let counted = names(&|r| r.in_totals);
        notes.push(format!(
            "Totals cover {} of the {} server(s) listed: the qualified ones that are not templates.",
            counted.len(),
            self.rows.len()
        ));
        let templates = names(&|r| r.is_template);
        if !templates.is_empty() {
            notes.push(format!("Templates, listed but left out of the totals: {}.", templates.join(", ")));
        }
        let unqualified = names(&|r| !r.qualified && !r.is_template);
        if !unqualified.is_empty() {
            notes.push(format!(
                "Not qualified, listed with every reason but left out of the totals and given no storage account (as \
                 the planner's worked example, Microsoft Learn, Site Recovery Capacity Planner, https://learn.microsoft.com/azure/site-recovery/site-recovery-capacity-planner): {}.",
                unqualified.join(", ")
            ));
        }
        let defaulted_rates = names(&|r| r.change_rate_defaulted && r.in_totals);
        if !defaulted_rates.is_empty() {
            notes.push(format!(
                "{} server(s) have no daily data change rate and use --default-change-rate {} %: {} (a warning names \
                 each). Measure it with `csp-planner capacity change-rate` (section \"Calculate the daily data change rate\" of \
                 the capacity-planning guide of Microsoft's Azure CSP documentation).",
                defaulted_rates.len(),
                inputs.default_change_rate_pct.value.normalize(),
                defaulted_rates.join(", ")
            ));
        }
        notes
    }

    /// How the initial replication, the data to replicate and the storage are worked out.
    fn replication_notes(&self, inputs: &Inputs, c: &PlannerConstants) -> Vec<String> {
        let mut notes = Vec::new();
        let batch_names: Vec<&str> = self.batch.iter().map(|r| r.name.as_str()).collect();
        notes.push(format!(
            "Initial replication: the batch is the {} server(s) with the most data to replicate ({}; {} in all) — the \
             worst case for a batch of --batch-size {}; its data, compressed, is sent within {} hour(s). Bandwidth \
             uses 1 GB = {} MB × {} bits; the provisioning figures round the raw averages up to the next multiple of \
             {} Mbps, csp-planner's convention chosen to match the sample Capacity Planning report of \
             the capacity-planning guide of Microsoft's Azure CSP documentation (10 and 100 Mbps).",
            self.batch.len(),
            if batch_names.is_empty() { "none".to_string() } else { batch_names.join(", ") },
            gb(self.batch_gb),
            inputs.batch_size.value,
            inputs.initial_replication_hours.value.normalize(),
            inputs.gb_base.value.value(),
            c.value("bits_per_byte"),
            c.value("bandwidth_step_mbps").normalize()
        ));
        notes.push(format!(
            "Data to replicate per server: used storage (RVTools In Use / vPartition Consumed, Azure Migrate Storage \
             in use), else Total Storage × Disk capacity utilization (the Detailed Planner's \
             per-server information); data changed per day: that × the \
             server's own daily change rate; transferred: × (1 − {} % compression).",
            inputs.compression_pct.value.normalize()
        ));
        notes.push(format!(
            "Storage required = total data to replicate + data transferred per day × {} retention day(s) = {} (the \
             Quick Planner's F6; the sample report prints 781.67 GB for its 805, which no stated rule yields).",
            display(self.retention_days),
            gb(self.storage_gb)
        ));
        notes
    }
}

/// How IOPS, storage accounts, the Azure VM size and "Is VM Qualified?" are decided, with the era's limits.
pub(super) fn sizing_notes(limits: &Limits, catalogue: &Catalogue) -> Vec<String> {
    let mut notes = Vec::new();
    let limits_file = format!("rules/{} [era.{}]", crate::capacity::catalogue::LIMITS_FILE, limits.era.as_str());
    notes.push(format!(
        "IOPS per server (\"calculated at the VM level\", Microsoft Learn, Site Recovery Capacity Planner, https://learn.microsoft.com/azure/site-recovery/site-recovery-capacity-planner): the Azure Migrate per-disk read + \
         write operations when the inventory has them, else data changed per day ÷ 86,400 s ÷ the {} KB I/O size, \
         spread evenly over the disks. A server is on premium storage when a disk needs more than {} IOPS or the \
         server more than a standard account's {} (the output field descriptions of the capacity-planning guide of Microsoft's Azure CSP documentation, and \
         the Detailed Planner's note); premium IOPS are counted at the {} KB I/O size. Accounts are filled first-fit in input order: {} IOPS per standard account, \
         a server taking max(its IOPS, disks × {}) as the Quick Planner's F8 does; {} IOPS per premium account \
         ({}).",
        limits.standard_io_size_kb.value,
        limits.standard_disk_iops.value,
        limits.standard_account_iops.value,
        limits.premium_io_size_kb.value,
        limits.standard_account_iops.value,
        limits.standard_disk_iops.value,
        limits.premium_account_iops.value,
        limits_file
    ));
    notes.push(format!(
        "Azure VM size: among the {} sizes of the {} era in rules/{}, the one with the fewest cores, then the \
         least memory (then the first listed), whose cores, memory, NICs and data disks fit; data disks = \
         disks attached − 1 OS disk (at least 0). Servers on premium storage get a premium-storage size (the 2017 \
         workbook picked a standard size and asked for a manual DS/GS change: Microsoft Learn, Site Recovery Capacity Planner, https://learn.microsoft.com/azure/site-recovery/site-recovery-capacity-planner).",
        catalogue.sizes.len(),
        catalogue.era.as_str(),
        crate::capacity::catalogue::SIZES_FILE
    ));
    notes.push(format!(
        "Is VM Qualified? checks the mandatory inputs (the Detailed Planner's columns in red), disk sizes (OS disk {} GB generation 1 / {} \
         GB UEFI, data disks {} GB), the data-disk count ({}), a fitting size, a 64-bit and listed guest OS and, \
         in 2017, UEFI boot — limits of rules/{} [era.{}]. {} are not checked: no inventory carries them.",
        limits.max_os_disk_size_gb_gen1.value,
        limits.max_os_disk_size_gb.value,
        limits.max_data_disk_size_gb.value,
        limits.max_data_disks_per_vm.value,
        crate::capacity::catalogue::LIMITS_FILE,
        limits.era.as_str(),
        limits.unsupported_disk_features.value.join(", ")
    ));
    notes
}
