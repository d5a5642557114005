//! Tests of the server-inventory readers, through the public API.

use crate::rules::Rules;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

use super::*;
use crate::error::Error;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/servers").join(name)
}

fn read(path: &Path) -> Result<ServerInventory> {
    read_with(path, &Rules::embedded().servers)
}

/// The message of an input error (exit code 2), or a failure.
fn input_error(path: &Path) -> String {
    match read(path) {
        Err(error @ Error::Input(_)) => {
            assert_eq!(error.exit_code(), 2);
            error.to_string()
        }
        Err(other) => panic!("expected an input error, got {other}"),
        Ok(inventory) => panic!("expected an error, read {} servers", inventory.servers.len()),
    }
}

/// ../shared/data/rvtools-small-complete.xlsx, or `None` (skipped) when it is missing outside CI.
fn shared_workbook() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/rvtools-small-complete.xlsx");
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing (CI is set, so the test cannot be skipped)", path.display());
    }
    eprintln!("skipped: {} is missing (set CI to make this a failure)", path.display());
    None
}

// ------------------------------------------------------------------ RVTools

#[test]
fn rvtools_small_complete_reads_its_three_vms() {
    let Some(path) = shared_workbook() else { return };
    let inventory = read(&path).unwrap();
    assert_eq!(inventory.format, "rvtools");
    let names: Vec<&str> = inventory.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["sample-web-01", "sample-db-01", "sample-archive-01"]);

    // Expected values read from the workbook's XML (unzip; xl/worksheets/sheet1.xml = vInfo, sheet2 = vDisk,
    // sheet3 = vPartition, sheet8 = vNetwork). vInfo has no NICs, In Use, Template or Total disk capacity
    // columns, so NICs come from vNetwork, used storage from vPartition, total storage from vDisk.
    let web = &inventory.servers[0];
    assert_eq!(web.cores, Some(2)); // vInfo!C2
    assert_eq!(web.memory_mb, Some(dec("8192"))); // vInfo!D2 (MiB)
    assert_eq!(web.disks, Some(2)); // vInfo!H2
    assert_eq!(web.disk_sizes_gb(), [dec("80"), dec("40")]); // vDisk!D2 81920, D3 40960 MiB
    assert_eq!(web.total_storage_gb, Some(dec("120"))); // vDisk sum; = vInfo!I2 Provisioned MiB 122880
    assert_eq!(web.nics, Some(1)); // vNetwork rows 2
    assert_eq!(web.used_storage_gb, Some(dec("60"))); // vPartition!E2 40960 + E3 20480 MiB
    assert_eq!(web.utilization_pct, Some(dec("50")));
    assert_eq!(web.os, "Ubuntu Linux (64-bit)"); // vInfo!M2
    assert_eq!(web.boot, Boot::Bios); // vInfo!N2 "bios"
    assert_eq!(web.power_state, PowerState::PoweredOn); // vInfo!B2
    assert!(!web.is_template);
    assert_eq!(web.change_rate_pct, None);
    assert_eq!(web.source.location, "sheet \"vInfo\", row 2");

    let db = &inventory.servers[1];
    assert_eq!((db.cores, db.memory_mb), (Some(4), Some(dec("16384")))); // vInfo!C3, D3
    assert_eq!(db.disks, Some(2)); // vInfo!H3
    assert_eq!(db.disk_sizes_gb(), [dec("100"), dec("220")]); // vDisk!D4 102400, D5 225280 MiB
    assert_eq!(db.total_storage_gb, Some(dec("320"))); // = vInfo!I3 327680 MiB
    assert_eq!(db.nics, Some(2)); // vNetwork rows 3, 4
    assert_eq!(db.used_storage_gb, Some(dec("250"))); // vPartition!E4 71680 + E5 184320 MiB
    assert_eq!(db.utilization_pct, Some(dec("78.125")));
    assert_eq!(db.os, "Microsoft Windows Server 2022"); // vInfo!M3
    assert_eq!(db.boot, Boot::Efi); // vInfo!N3 "efi"
    assert_eq!(db.disk_details[0].label, "Hard disk 1"); // vDisk!B4

    let archive = &inventory.servers[2];
    assert_eq!((archive.cores, archive.memory_mb), (Some(2), Some(dec("4096")))); // vInfo!C4, D4
    assert_eq!(archive.disks, Some(1)); // vInfo!H4
    assert_eq!(archive.total_storage_gb, Some(dec("80"))); // vDisk!D6 81920 MiB
    assert_eq!(archive.nics, Some(1)); // vNetwork row 5
    assert_eq!(archive.used_storage_gb, Some(dec("10"))); // vPartition!E6 10240 MiB
    assert_eq!(archive.utilization_pct, Some(dec("12.5")));
    assert_eq!(archive.power_state, PowerState::PoweredOff); // vInfo!B4
    assert_eq!(inventory.included().count(), 3, "powered-off VMs are included");

    let warnings: Vec<String> = inventory.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect();
    assert!(
        warnings.iter().any(|w| w.contains("sheet \"vInfo\", row 4") && w.contains("sample-archive-01: powered off")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("NICs counted from the vNetwork")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("sum of vPartition Consumed")), "{warnings:?}");
}

/// Writes an RVTools-like workbook: `sheets` of (name, rows), every cell a string unless it parses as a number.
fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(number) => sheet.write_number(r as u32, c as u16, number).unwrap(),
                    Err(_) if cell.is_empty() => sheet,
                    Err(_) => sheet.write_string(r as u32, c as u16, *cell).unwrap(),
                };
            }
        }
    }
    workbook.save(path).unwrap();
}

fn mb_era_vinfo(cpus_of_second: &str) -> Vec<Vec<&str>> {
    vec![
        vec![
            "VM",
            "Powerstate",
            "Template",
            "CPUs",
            "Memory",
            "NICs",
            "Disks",
            "Provisioned MB",
            "In Use MB",
            "OS according to the configuration file",
            "Firmware",
        ],
        vec![
            "old-app",
            "poweredOn",
            "False",
            "2",
            "4096",
            "3",
            "1",
            "51200",
            "20480",
            "Microsoft Windows Server 2008 R2 (64-bit)",
            "bios",
        ],
        vec![
            "tmpl-w2k8",
            "poweredOff",
            "True",
            "1",
            "2048",
            "1",
            "1",
            "40960",
            "10240",
            "Microsoft Windows Server 2008 R2 (64-bit)",
            "bios",
        ],
        vec!["old-db", "suspended", "False", cpus_of_second, "8192", "1", "2", "102400", "51200", "", "efi"],
    ]
}

#[test]
fn rvtools_mb_era_prefers_vinfo_columns_and_lists_templates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-mb.xlsx");
    // vNetwork and vPartition disagree with vInfo on purpose: vInfo NICs and In Use MB win.
    write_workbook(
        &path,
        &[
            ("vInfo", mb_era_vinfo("4")),
            ("vDisk", vec![vec!["VM", "Disk", "Capacity MB"], vec!["old-app", "Hard disk 1", "51200"]]),
            ("vPartition", vec![vec!["VM", "Consumed MB"], vec!["old-app", "1024"]]),
            ("vNetwork", vec![vec!["VM", "Adapter"], vec!["old-app", "E1000"]]),
        ],
    );
    let inventory = read(&path).unwrap();
    assert_eq!(inventory.format, "rvtools");
    let app = &inventory.servers[0];
    assert_eq!(app.nics, Some(3), "vInfo NICs wins over vNetwork");
    assert_eq!(app.used_storage_gb, Some(dec("20")), "In Use MB (read as MiB) wins over vPartition");
    assert_eq!(app.total_storage_gb, Some(dec("50")), "vDisk Capacity MB 51200 MiB");
    assert_eq!(app.utilization_pct, Some(dec("40")));
    assert_eq!(app.os, "Microsoft Windows Server 2008 R2 (64-bit)", "OS from the configuration file");
    let template = &inventory.servers[1];
    assert!(template.is_template);
    let db = &inventory.servers[2];
    assert_eq!(db.total_storage_gb, Some(dec("100")), "no vDisk rows: Provisioned MB 102400 MiB");
    assert_eq!(db.power_state, PowerState::Suspended);
    assert_eq!(db.os, "");
    let included: Vec<&str> = inventory.included().map(|s| s.name.as_str()).collect();
    assert_eq!(included, ["old-app", "old-db"]);
    let messages: Vec<&str> = inventory.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("tmpl-w2k8: template, listed but left out")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("old-db: suspended, included")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("old-db: operating system unknown")), "{messages:?}");
}

#[test]
fn rvtools_non_numeric_cell_is_named_by_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-bad.xlsx");
    write_workbook(&path, &[("vInfo", mb_era_vinfo("VM"))]);
    let message = input_error(&path);
    assert!(message.contains("sheet \"vInfo\", cell D4") && message.contains("(vInfo!D4)"), "{message}");
    assert!(message.contains("column \"CPUs\"") && message.contains("\"VM\""), "{message}");
}

#[test]
fn rvtools_optional_sheet_without_its_column_is_one_warning_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-no-capacity.xlsx");
    write_workbook(
        &path,
        &[
            ("vInfo", vec![vec!["VM", "CPUs", "Memory"], vec!["a", "2", "1024"]]),
            ("vDisk", vec![vec!["VM", "Disk"], vec!["a", "Hard disk 1"]]),
        ],
    );
    let inventory = read(&path).unwrap();
    assert_eq!(inventory.servers.len(), 1);
    assert_eq!(inventory.servers[0].disks, None, "the ignored vDisk gives no disk count");
    let about_vdisk: Vec<&str> =
        inventory.warnings.iter().filter(|w| w.location == "sheet \"vDisk\"").map(|w| w.message.as_str()).collect();
    assert_eq!(about_vdisk.len(), 1, "{about_vdisk:?}");
    assert!(about_vdisk[0].contains("missing mandatory column \"Capacity MiB\""), "{about_vdisk:?}");
}

#[test]
fn rvtools_vinfo_missing_a_required_column_names_it_and_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-no-memory.xlsx");
    write_workbook(&path, &[("vInfo", vec![vec!["VM", "CPUs"], vec!["a", "2"]])]);
    let message = input_error(&path);
    assert!(message.contains("missing mandatory column \"Memory\" in sheet \"vInfo\""), "{message}");
}

#[test]
fn rvtools_negative_cpus_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-negative.xlsx");
    write_workbook(&path, &[("vInfo", mb_era_vinfo("-4"))]);
    let message = input_error(&path);
    assert!(message.contains("sheet \"vInfo\", cell D4") && message.contains("negative"), "{message}");
}

// ------------------------------------------------------------------ planner table

#[test]
fn planner_table_csv_reads_the_seed_columns() {
    let inventory = read(&fixture("planner-table.csv")).unwrap();
    assert_eq!(inventory.format, "planner-table");
    assert_eq!(inventory.servers.len(), 3);
    let lab = &inventory.servers[0];
    assert_eq!(lab.name, "BELSYSGLAB02");
    assert_eq!((lab.cores, lab.memory_mb, lab.nics, lab.disks), (Some(2), Some(dec("16384")), Some(1), Some(1)));
    assert_eq!(lab.total_storage_gb, Some(dec("500")));
    assert_eq!(lab.utilization_pct, Some(dec("50")), "\"50%\"");
    assert_eq!(lab.used_storage_gb, Some(dec("250")));
    assert_eq!(lab.change_rate_pct, None);
    assert_eq!(lab.os, "Microsoft Windows Server 2012 R2 Standard");
    assert_eq!(lab.boot, Boot::Bios, "EFI Boot? No");
    assert_eq!(lab.source.location, "line 2");
    let vm01 = &inventory.servers[1];
    assert_eq!(vm01.change_rate_pct, Some(dec("5")));
    assert_eq!(vm01.mapped_azure_size.as_deref(), Some("Standard_D2s_v3"));
    assert_eq!(vm01.boot, Boot::Efi);
    assert_eq!(vm01.used_storage_gb, Some(dec("350")));
    let exch = &inventory.servers[2];
    assert_eq!(exch.total_storage_gb, Some(dec("42.1")));
    assert_eq!(exch.utilization_pct, Some(dec("20")), "a bare 20 is 20 %");
    assert_eq!(exch.change_rate_pct, Some(dec("0.1425")));
    assert_eq!(exch.boot, Boot::Unknown);
    let warning = inventory.warnings.iter().find(|w| w.message.contains("no daily data change rate")).unwrap();
    assert!(warning.message.contains("1 server(s): BELSYSGLAB02"), "{}", warning.message);
}

#[test]
fn planner_table_as_the_seed_prints_it_tab_separated() {
    let inventory = read(&fixture("planner-table-seed.tsv")).unwrap();
    assert_eq!(inventory.format, "planner-table");
    let totals: Vec<Decimal> = inventory.servers.iter().filter_map(|s| s.total_storage_gb).collect();
    assert_eq!(totals, [dec("500"), dec("1000")]);
    assert_eq!(inventory.servers[1].utilization_pct, Some(dec("35")));
}

#[test]
fn planner_table_xlsx_reads_percent_formatted_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planner.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Workload Qualification").unwrap();
    sheet.write_string(0, 0, "Capacity Planner inputs").unwrap(); // a title row above the header
    let headers = [
        "Server Name/Hostname",
        "Processor Cores",
        "Memory allocation (in MBs)",
        "Number of NICs",
        "Total Storage (in GBs)",
        "Number of disks attached",
        "Disk capacity utilization (%)",
        "Daily data change rate (%)",
    ];
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string(1, c as u16, *header).unwrap();
    }
    let percent = Format::new().set_num_format("0%");
    let percent_decimals = Format::new().set_num_format("0.00%");
    sheet.write_string(2, 0, "BELSYSGLAB02").unwrap();
    for (c, value) in [2.0, 16384.0, 1.0, 500.0, 1.0].iter().enumerate() {
        sheet.write_number(2, c as u16 + 1, *value).unwrap();
    }
    sheet.write_number_with_format(2, 6, 0.5, &percent).unwrap();
    sheet.write_number_with_format(2, 7, 0.001425, &percent_decimals).unwrap();
    workbook.save(&path).unwrap();

    let inventory = read(&path).unwrap();
    assert_eq!(inventory.format, "planner-table");
    let server = &inventory.servers[0];
    assert_eq!(server.utilization_pct, Some(dec("50")));
    assert_eq!(server.change_rate_pct, Some(dec("0.1425")));
    assert_eq!(server.source.location, "sheet \"Workload Qualification\", row 3");
}

#[test]
fn planner_table_missing_mandatory_column_names_it() {
    let message = input_error(&fixture("planner-missing-nics.csv"));
    assert!(message.contains("missing mandatory column \"Number of NICs\""), "{message}");
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn planner_table_negative_cores_are_rejected() {
    let message = input_error(&fixture("planner-negative-cores.csv"));
    assert!(message.contains("line 3, column \"Processor Cores\""), "{message}");
    assert!(message.contains("negative"), "{message}");
}

#[test]
fn planner_table_non_numeric_cell_is_named() {
    let message = input_error(&fixture("planner-non-numeric.csv"));
    assert!(message.contains("line 3, column \"Memory allocation (in MBs)\""), "{message}");
    assert!(message.contains("\"four GB\""), "{message}");
}

#[test]
fn planner_table_rejects_utilization_over_100_and_zero_disks() {
    let message = input_error(&fixture("planner-utilization-over-100.csv"));
    assert!(message.contains("150% is over 100%"), "{message}");
    let message = input_error(&fixture("planner-zero-disks.csv"));
    assert!(message.contains("column \"Number of disks attached\"") && message.contains("at least 1"), "{message}");
}

// ------------------------------------------------------------------ Azure Migrate

#[test]
fn azure_migrate_csv_reads_disks_and_iops() {
    let inventory = read(&fixture("azure-migrate.csv")).unwrap();
    assert_eq!(inventory.format, "azure-migrate");
    let app = &inventory.servers[0];
    assert_eq!(app.name, "app01.contoso.local");
    assert_eq!((app.cores, app.memory_mb, app.nics, app.disks), (Some(4), Some(dec("16384")), Some(2), Some(2)));
    assert_eq!(app.os, "Windows Server 2019 Datacenter");
    assert_eq!(app.boot, Boot::Efi, "UEFI");
    assert_eq!(app.disk_sizes_gb(), [dec("128"), dec("512")]);
    assert_eq!(app.disk_iops(), Some(vec![dec("200"), dec("650")]), "read + write ops per disk");
    assert_eq!(app.total_storage_gb, Some(dec("640")));
    assert_eq!(app.used_storage_gb, Some(dec("300")));
    assert_eq!(app.utilization_pct, Some(dec("46.875")));
    let web = &inventory.servers[1];
    assert_eq!(web.os, "Ubuntu 20.04");
    assert_eq!(web.boot, Boot::Bios);
    assert_eq!(web.disk_details.len(), 1);
    assert_eq!(web.disk_iops(), Some(vec![dec("50")]));
    assert_eq!(web.source.location, "line 3");
}

#[test]
fn azure_migrate_missing_os_name_column_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("am.csv");
    std::fs::write(&path, "*Server name,*Cores,*Memory (In MB)\nvm1,2,4096\n").unwrap();
    let message = input_error(&path);
    assert!(message.contains("missing mandatory column \"OS name\""), "{message}");
}

#[test]
fn azure_migrate_reads_utf16_with_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("am-utf16.csv");
    let text = "*Server name;*Cores;*Memory (In MB);*OS name;Storage in use (In GB);Disk 1 size (In GB)\n\
                srv-é;2;4096;Windows Server 2016;12,5;50\n";
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(&path, bytes).unwrap();
    let inventory = read(&path).unwrap();
    let server = &inventory.servers[0];
    assert_eq!(server.name, "srv-é");
    assert_eq!(server.used_storage_gb, Some(dec("12.5")), "decimal comma in a ;-delimited file");
    assert_eq!(server.utilization_pct, Some(dec("25")));
}

// ------------------------------------------------------------------ detection and odd files

#[test]
fn unknown_files_are_input_errors_not_panics() {
    let message = input_error(&fixture("not-servers.csv"));
    assert!(message.contains("not a server inventory") && message.contains("Processor Cores"), "{message}");
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("garbage.xlsx", &b"PK\x03\x04 not really a zip"[..]),
        ("header-only.csv", &b"\n\n"[..]),
        ("binary.csv", &[0u8, 159, 146, 150, 255, 0, 1][..]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let _ = input_error(&path);
    }
    let _ = input_error(&dir.path().join("absent.csv"));
}

#[test]
fn header_only_inventory_has_no_servers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-planner.csv");
    std::fs::write(&path, "Server Name/Hostname,Processor Cores,Memory allocation (in MBs),Number of NICs,Total Storage (in GBs),Number of disks attached,Disk capacity utilization (%)\n").unwrap();
    let inventory = read(&path).unwrap();
    assert!(inventory.servers.is_empty());
    // The warning (or the error, when no input has rows) is the commands' rule: read::empty.
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
}

#[test]
fn a_csv_read_in_chunks_gives_every_row_once_with_its_line_and_errors_name_the_line() {
    let tables = crate::rules::Rules::embedded().workload_inputs.clone();
    let spec = &tables.dependencies;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deps.csv");
    let mut text = String::from("Exported 2026-11-30\n\nSource server name,Destination server name,Destination port\n");
    for i in 0..30 {
        text.push_str(&format!("src{i},dst{i},{}\n", 1000 + i));
    }
    std::fs::write(&path, &text).unwrap();
    let mut seen = Vec::new();
    let mut chunks = 0;
    grid::Grid::for_each_csv_chunk(&path, spec, 2, |table| {
        chunks += 1;
        for row in table.rows() {
            seen.push((row.number, row.text("source_server").unwrap(), row.count("destination_port", false)?));
        }
        Ok(())
    })
    .unwrap();
    let expected: Vec<(u64, String, Option<u32>)> =
        (0..30).map(|i| (4 + i as u64, format!("src{i}"), Some(1000 + i as u32))).collect();
    assert_eq!(seen, expected);
    assert!(chunks >= 10, "{chunks} chunks");

    text.push_str("src30,dst30,http\n");
    std::fs::write(&path, &text).unwrap();
    let error = grid::Grid::for_each_csv_chunk(&path, spec, 2, |table| {
        for row in table.rows() {
            row.count("destination_port", false)?;
        }
        Ok(())
    })
    .unwrap_err();
    assert!(error.to_string().contains("line 34"), "{error}");
}
