//! Writes `samples/servers-rvtools.xlsx`: the bundled sample's on-premises servers as an RVTools "Export all to
//! xlsx" workbook (vInfo, vDisk, vPartition, vNetwork; RVTools 4.x "MiB" headers, anchors.md §3.6), so that
//! `csp-planner report` with no input also plans their Site Recovery capacity. Run it after changing the servers:
//!
//! ```sh
//! cargo run --example make_sample_servers    # writes samples/servers-rvtools.xlsx
//! ```
//!
//! The servers are invented for the sample (Contoso's on-premises VMware estate); samples/README.md says what
//! `capacity detailed` should conclude from them. The creation date is fixed, so the file is reproducible.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

struct Vm {
    name: &'static str,
    power: &'static str,
    template: bool,
    cpus: u32,
    memory_mib: u32,
    nics: u32,
    /// Disk capacities in GiB.
    disks_gib: &'static [u32],
    in_use_gib: u32,
    os: &'static str,
    firmware: &'static str,
}

const VMS: &[Vm] = &[
    Vm {
        name: "CONTOSO-DC02",
        power: "poweredOn",
        template: false,
        cpus: 2,
        memory_mib: 4096,
        nics: 1,
        disks_gib: &[80],
        in_use_gib: 35,
        os: "Microsoft Windows Server 2016 (64-bit)",
        firmware: "bios",
    },
    Vm {
        name: "CONTOSO-SQL01",
        power: "poweredOn",
        template: false,
        cpus: 8,
        memory_mib: 65536,
        nics: 2,
        disks_gib: &[127, 1024, 2048],
        in_use_gib: 1800,
        os: "Microsoft Windows Server 2019 (64-bit)",
        firmware: "efi",
    },
    Vm {
        name: "CONTOSO-APP01",
        power: "poweredOn",
        template: false,
        cpus: 4,
        memory_mib: 16384,
        nics: 1,
        disks_gib: &[100, 500],
        in_use_gib: 320,
        os: "Ubuntu Linux (64-bit)",
        firmware: "bios",
    },
    Vm {
        name: "CONTOSO-FILE01",
        power: "poweredOn",
        template: false,
        cpus: 4,
        memory_mib: 8192,
        nics: 1,
        disks_gib: &[100, 5120],
        in_use_gib: 3900,
        os: "Microsoft Windows Server 2012 R2 (64-bit)",
        firmware: "bios",
    },
    Vm {
        name: "CONTOSO-WEB01",
        power: "poweredOff",
        template: false,
        cpus: 2,
        memory_mib: 4096,
        nics: 1,
        disks_gib: &[60],
        in_use_gib: 22,
        os: "Microsoft Windows Server 2016 (64-bit)",
        firmware: "bios",
    },
    Vm {
        name: "TPL-WIN2019",
        power: "poweredOff",
        template: true,
        cpus: 2,
        memory_mib: 4096,
        nics: 1,
        disks_gib: &[60],
        in_use_gib: 12,
        os: "Microsoft Windows Server 2019 (64-bit)",
        firmware: "efi",
    },
];

const MIB_PER_GIB: u32 = 1024;

fn main() -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 11, 1)?;
    workbook.set_properties(
        &DocProperties::new().set_title("csp-planner sample RVTools export").set_creation_datetime(&created),
    );
    write_info(&mut workbook)?;
    write_disks(&mut workbook)?;
    write_partitions(&mut workbook)?;
    write_networks(&mut workbook)?;
    workbook.save("samples/servers-rvtools.xlsx")
}

fn header(sheet: &mut rust_xlsxwriter::Worksheet, names: &[&str]) -> Result<(), XlsxError> {
    for (column, name) in names.iter().enumerate() {
        sheet.write_string(0, column as u16, *name)?;
    }
    Ok(())
}

fn write_info(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet().set_name("vInfo")?;
    header(
        sheet,
        &[
            "VM",
            "Powerstate",
            "Template",
            "CPUs",
            "Memory",
            "NICs",
            "Disks",
            "Total disk capacity MiB",
            "Provisioned MiB",
            "In Use MiB",
            "OS according to the configuration file",
            "OS according to the VMware Tools",
            "Firmware",
        ],
    )?;
    for (k, vm) in VMS.iter().enumerate() {
        let row = k as u32 + 1;
        let capacity: u32 = vm.disks_gib.iter().sum::<u32>() * MIB_PER_GIB;
        sheet.write_string(row, 0, vm.name)?;
        sheet.write_string(row, 1, vm.power)?;
        sheet.write_string(row, 2, if vm.template { "True" } else { "False" })?;
        sheet.write_number(row, 3, vm.cpus)?;
        sheet.write_number(row, 4, vm.memory_mib)?;
        sheet.write_number(row, 5, vm.nics)?;
        sheet.write_number(row, 6, vm.disks_gib.len() as u32)?;
        sheet.write_number(row, 7, capacity)?;
        // Provisioned also counts the swap file (RVTools: memory size for a VM without a reservation).
        sheet.write_number(row, 8, capacity + vm.memory_mib)?;
        sheet.write_number(row, 9, vm.in_use_gib * MIB_PER_GIB)?;
        sheet.write_string(row, 10, vm.os)?;
        sheet.write_string(row, 11, vm.os)?;
        sheet.write_string(row, 12, vm.firmware)?;
    }
    Ok(())
}

fn write_disks(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet().set_name("vDisk")?;
    header(sheet, &["VM", "Disk", "Capacity MiB"])?;
    let mut row = 1;
    for vm in VMS {
        for (n, gib) in vm.disks_gib.iter().enumerate() {
            sheet.write_string(row, 0, vm.name)?;
            sheet.write_string(row, 1, format!("Hard disk {}", n + 1))?;
            sheet.write_number(row, 2, gib * MIB_PER_GIB)?;
            row += 1;
        }
    }
    Ok(())
}

fn write_partitions(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet().set_name("vPartition")?;
    header(sheet, &["VM", "Disk", "Capacity MiB", "Consumed MiB"])?;
    for (k, vm) in VMS.iter().enumerate() {
        let row = k as u32 + 1;
        sheet.write_string(row, 0, vm.name)?;
        sheet.write_string(row, 1, "C:\\")?;
        sheet.write_number(row, 2, vm.disks_gib.iter().sum::<u32>() * MIB_PER_GIB)?;
        sheet.write_number(row, 3, vm.in_use_gib * MIB_PER_GIB)?;
    }
    Ok(())
}

fn write_networks(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet().set_name("vNetwork")?;
    header(sheet, &["VM", "NIC label", "Adapter", "Network"])?;
    let mut row = 1;
    for vm in VMS {
        for n in 0..vm.nics {
            sheet.write_string(row, 0, vm.name)?;
            sheet.write_string(row, 1, format!("Network adapter {}", n + 1))?;
            sheet.write_string(row, 2, "vmxnet3")?;
            sheet.write_string(row, 3, if n == 0 { "VM Network" } else { "Backup" })?;
            row += 1;
        }
    }
    Ok(())
}
