//! Writes the workbook fixtures of `tests/fixtures/servers/` that the server-inventory tests read: RVTools
//! exports of another era and with odd or missing optional sheets, an incomplete row, and an Azure Migrate
//! Export discovery report. The values are invented; each is chosen for what a test asserts about it. Run it
//! after changing one:
//!
//! ```sh
//! cargo run --example make_server_fixtures    # writes tests/fixtures/servers/*.xlsx
//! ```
//!
//! A cell that parses as a number is written as a number, an empty string is no cell at all (as an empty
//! RVTools cell). The creation date is fixed, so the files are reproducible.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

/// A sheet: its name and rows, the header first.
type Sheet = (&'static str, &'static [&'static [&'static str]]);

/// RVTools 3.x ("MB" headers, `OS` for the configuration file's guest OS, no `Total disk capacity` column):
/// total storage is the sum of the vDisk capacities, used storage vInfo `In Use MB`.
const RVTOOLS_3X: &[Sheet] = &[
    (
        "vInfo",
        &[
            &["VM", "Powerstate", "Template", "CPUs", "Memory", "NICs", "Disks", "Provisioned MB", "In Use MB", "OS"],
            &[
                "APP-01",
                "poweredOn",
                "False",
                "2",
                "4096",
                "1",
                "2",
                "65536",
                "30720",
                "Microsoft Windows Server 2012 R2 (64-bit)",
            ],
            &[
                "DB-01",
                "poweredOn",
                "False",
                "4",
                "16384",
                "2",
                "1",
                "118784",
                "51200",
                "Red Hat Enterprise Linux 7 (64-bit)",
            ],
        ],
    ),
    (
        "vDisk",
        &[
            &["VM", "Disk", "Capacity MB"],
            &["APP-01", "Hard disk 1", "20480"],
            &["APP-01", "Hard disk 2", "40960"],
            &["DB-01", "Hard disk 1", "102400"],
        ],
    ),
    (
        "vPartition",
        &[
            &["VM", "Disk", "Capacity MB", "Consumed MB"],
            &["APP-01", "C:\\", "20000", "15000"],
            &["DB-01", "/", "100000", "50000"],
        ],
    ),
    ("vNetwork", &[&["VM", "Adapter", "Network"], &["APP-01", "vmxnet3", "VM Network"]]),
];

/// RVTools 4.x with odd optional sheets: names in other cases, a vDisk whose header has no capacity column, a
/// vHost the readers do not use, no vPartition and no vNetwork. Only vInfo is needed.
const RVTOOLS_ODD_SHEETS: &[Sheet] = &[
    (
        "VINFO",
        &[
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
                "OS according to the VMware Tools",
                "Firmware",
            ],
            &[
                "WEB-01",
                "poweredOn",
                "False",
                "2",
                "8192",
                "1",
                "1",
                "51200",
                "59392",
                "20480",
                "Ubuntu Linux (64-bit)",
                "bios",
            ],
        ],
    ),
    ("vdisk", &[&["VM", "Disk", "Size"], &["WEB-01", "Hard disk 1", "50"]]),
    ("vHost", &[&["Host", "# CPU", "# Cores"], &["esx01.contoso.local", "2", "32"]]),
];

/// RVTools 4.x with an incomplete row (CPUs and Memory empty) between two complete ones, and a VM whose
/// In Use (swap and snapshots) is more than its disks.
const RVTOOLS_INCOMPLETE_ROW: &[Sheet] = &[
    (
        "vInfo",
        &[
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
            &[
                "OK-01",
                "poweredOn",
                "False",
                "2",
                "4096",
                "1",
                "1",
                "81920",
                "86016",
                "40960",
                "Microsoft Windows Server 2019 (64-bit)",
                "Microsoft Windows Server 2019 (64-bit)",
                "efi",
            ],
            &[
                "EMPTY-01",
                "poweredOn",
                "False",
                "",
                "",
                "1",
                "1",
                "61440",
                "",
                "",
                "Microsoft Windows Server 2016 (64-bit)",
                "",
                "bios",
            ],
            &[
                "SWAP-01",
                "poweredOn",
                "False",
                "4",
                "8192",
                "1",
                "1",
                "102400",
                "120832",
                "112640",
                "Ubuntu Linux (64-bit)",
                "Ubuntu Linux (64-bit)",
                "bios",
            ],
        ],
    ),
    (
        "vDisk",
        &[
            &["VM", "Disk", "Capacity MiB"],
            &["OK-01", "Hard disk 1", "81920"],
            &["EMPTY-01", "Hard disk 1", "61440"],
            &["SWAP-01", "Hard disk 1", "102400"],
        ],
    ),
    (
        "vPartition",
        &[
            &["VM", "Disk", "Capacity MiB", "Consumed MiB"],
            &["OK-01", "C:\\", "81000", "40000"],
            &["EMPTY-01", "C:\\", "61000", "30720"],
            &["SWAP-01", "/", "101000", "90000"],
        ],
    ),
    (
        "vNetwork",
        &[
            &["VM", "Adapter", "Network"],
            &["OK-01", "vmxnet3", "VM Network"],
            &["EMPTY-01", "vmxnet3", "VM Network"],
            &["SWAP-01", "vmxnet3", "VM Network"],
        ],
    ),
];

/// The Azure Migrate Export discovery report as its current version writes it (with `Support Status`): a
/// Properties sheet first, then Discovery_Report; the last row has Cores empty.
const AZURE_MIGRATE_DISCOVERY: &[Sheet] = &[
    (
        "Properties",
        &[
            &[
                "Tenant ID",
                "Subscription",
                "Resource Group",
                "Azure Migrate Project Name",
                "Discovery Site Name",
                "Workflow",
                "Source Appliances",
            ],
            &[
                "00000000-0000-0000-0000-000000000000",
                "Contoso Migration",
                "rg-migrate",
                "contoso-migrate",
                "contoso-site",
                "Custom - Discovery",
                "vmware",
            ],
        ],
    ),
    (
        "Discovery_Report",
        &[
            &[
                "Machine Name",
                "Environment",
                "Software Inventory Count",
                "SQL Discovery Server Count",
                "Is SQL Service Present",
                "Web Applications Count",
                "Operating System",
                "Cores",
                "Memory (in MB)",
                "Total Disks",
                "IP Addresses",
                "MAC Addresses",
                "Total Network Adapters",
                "Boot Type",
                "Power Stats",
                "Support Status",
                "First Discovery Time",
                "Last Updated Time",
                "Machine ID",
            ],
            &[
                "CONTOSO-SQL01",
                "Prod",
                "40",
                "1",
                "TRUE",
                "0",
                "Microsoft Windows Server 2019 (64-bit)",
                "8",
                "32768",
                "3",
                "[10.0.0.4];",
                "[00:50:56:00:00:01];",
                "2",
                "EFI",
                "ON",
                "Mainstream",
                "2026-01-05T08:00:00Z",
                "2026-02-05T08:00:00Z",
                "machine-1",
            ],
            &[
                "CONTOSO-WEB01",
                "",
                "12",
                "0",
                "FALSE",
                "2",
                "Ubuntu Linux (64-bit)",
                "2",
                "4096",
                "1",
                "[10.0.0.5];",
                "[00:50:56:00:00:02];",
                "1",
                "BIOS",
                "OFF",
                "",
                "2026-01-05T08:00:00Z",
                "2026-02-05T08:00:00Z",
                "machine-2",
            ],
            &[
                "CONTOSO-OLD01",
                "",
                "-1",
                "-1",
                "FALSE",
                "0",
                "Microsoft Windows Server 2008 R2 (64-bit)",
                "",
                "2048",
                "1",
                "[];",
                "[00:50:56:00:00:03];",
                "1",
                "BIOS",
                "ON",
                "Out of support",
                "2026-01-05T08:00:00Z",
                "2026-02-05T08:00:00Z",
                "machine-3",
            ],
        ],
    ),
];

fn main() -> Result<(), XlsxError> {
    for (file, sheets) in [
        ("rvtools-3x-mb.xlsx", RVTOOLS_3X),
        ("rvtools-odd-sheets.xlsx", RVTOOLS_ODD_SHEETS),
        ("rvtools-incomplete-row.xlsx", RVTOOLS_INCOMPLETE_ROW),
        ("azure-migrate-discovery.xlsx", AZURE_MIGRATE_DISCOVERY),
    ] {
        write(&format!("tests/fixtures/servers/{file}"), sheets)?;
    }
    Ok(())
}

fn write(path: &str, sheets: &[Sheet]) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 11, 1)?;
    workbook
        .set_properties(&DocProperties::new().set_title("csp-planner test fixture").set_creation_datetime(&created));
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet().set_name(*name)?;
        for (row, cells) in rows.iter().enumerate() {
            for (column, text) in cells.iter().enumerate() {
                let (row, column) = (row as u32, column as u16);
                if text.is_empty() {
                    continue;
                }
                match text.parse::<f64>() {
                    Ok(number) => sheet.write_number(row, column, number)?,
                    Err(_) => sheet.write_string(row, column, *text)?,
                };
            }
        }
    }
    workbook.save(path)
}
