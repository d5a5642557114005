//! `capacity detailed` (issue 4): per-server results and totals for the public RVTools workbook and the
//! planner-table fixture, every figure derived by hand below; bad input exits with code 2.
//!
//! Formulas (README "capacity detailed"; src/capacity/quick.rs F1-F14): data = used storage (else total ×
//! utilization); changed = data × rate; transferred = changed × (1 − compression); IOPS = changed GB ×
//! 1024² KB ÷ 86,400 s ÷ 8 KB, rounded up; delta Mbps = transferred × 8192 ÷ 86,400; initial Mbps = the
//! batch's data × (1 − compression) × 8192 ÷ (16 h × 3,600 s); storage = data + transferred × 3 days.

use serde_json::Value;

use crate::support::*;

fn detailed(args: &[&str]) -> (Value, String) {
    let output = csp_planner().args(["capacity", "detailed"]).args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "capacity detailed {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

fn detailed_fails(args: &[&str]) -> String {
    let output = csp_planner().args(["capacity", "detailed"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "expected exit code 2 for {args:?}, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn dec(value: &Value) -> String {
    decimal(value).normalize().to_string()
}

fn server<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["servers"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn reasons(row: &Value) -> Vec<String> {
    row["qualification_reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect()
}

fn warnings(plan: &Value) -> Vec<String> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{}: {}", w["location"].as_str().unwrap(), w["message"].as_str().unwrap()))
        .collect()
}

fn notes(plan: &Value) -> String {
    plan["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join("\n")
}

fn planner_table() -> String {
    path_arg(&fixture("capacity/planner-table.csv"))
}

/// The Quick Planner's keys plus the Detailed Planner's.
const KEYS: &[&str] = &[
    "total_data_to_replicate_gb",
    "data_changed_per_day_gb",
    "data_transferred_per_day_gb",
    "delta_replication_mbps",
    "initial_replication_mbps",
    "storage_required_gb",
    "standard_storage_iops",
    "standard_storage_accounts",
    "blob_disks",
    "premium_storage_accounts",
    "premium_storage_iops",
    "configuration_servers",
    "additional_process_servers",
    "additional_source_storage",
    "sizing",
    "servers",
    "inputs",
    "notes",
    "warnings",
];

const SERVER_KEYS: &[&str] = &[
    "name",
    "cores",
    "memory_mb",
    "nics",
    "disks",
    "total_storage_gb",
    "used_storage_gb",
    "change_rate_pct",
    "change_rate_defaulted",
    "iops",
    "azure_vm_size",
    "qualified",
    "qualification_reasons",
    "storage_type",
    "storage_account",
];

/// ../shared/data/rvtools-small-complete.xlsx, today's limits. The workbook's figures (read by
/// src/servers, see its tests): sample-web-01 2 CPUs, 8192 MiB, 1 NIC (vNetwork), disks 80 + 40 GB, used 60 GB
/// (vPartition), Ubuntu, BIOS; sample-db-01 4 CPUs, 16384 MiB, 2 NICs, disks 100 + 220 GB, used 250 GB,
/// Windows Server 2022, EFI; sample-archive-01 2 CPUs, 4096 MiB, 1 NIC, one 80 GB disk, used 10 GB, powered off.
/// RVTools has no change rate: every VM gets the default 5 %; every input is RVTools, so the scenario
/// defaults to vmware and compression to 30 %.
#[test]
fn rvtools_small_complete_per_server_and_totals() {
    let Some(workbook) = shared_data("rvtools-small-complete.xlsx") else { return };
    let (plan, _) = detailed(&[&path_arg(&workbook)]);
    for key in KEYS {
        assert!(plan.get(*key).is_some(), "missing key {key}");
    }
    assert_eq!(plan["planner"], "detailed");
    assert_eq!(plan["inputs"]["scenario"]["value"], "vmware");
    assert_eq!(plan["inputs"]["scenario"]["defaulted"], true);
    assert_eq!(dec(&plan["inputs"]["compression_pct"]["value"]), "30");
    assert_eq!(dec(&plan["inputs"]["default_change_rate_pct"]["value"]), "5");

    let web = server(&plan, "sample-web-01");
    for key in SERVER_KEYS {
        assert!(web.get(*key).is_some(), "missing server key {key}");
    }
    assert_eq!((web["cores"].as_u64(), web["nics"].as_u64(), web["disks"].as_u64()), (Some(2), Some(1), Some(2)));
    assert_eq!(dec(&web["memory_mb"]), "8192");
    assert_eq!(dec(&web["total_storage_gb"]), "120");
    assert_eq!(dec(&web["used_storage_gb"]), "60");
    assert_eq!(dec(&web["change_rate_pct"]), "5");
    assert_eq!(web["change_rate_defaulted"], true);
    // 60 GB × 5 % = 3 GB/day; 3 × 1024² ÷ 86,400 ÷ 8 = 4.55 → 5 IOPS; 2.28 per disk ≤ 500: standard.
    assert_eq!(web["iops"], 5);
    assert_eq!(web["storage_type"], "standard");
    // 2 cores, 8192 MB, 1 NIC, 1 data disk: the first 2-core 8 GiB size of the current catalogue.
    assert_eq!(web["azure_vm_size"], "Standard_D2_v3");
    assert_eq!(web["qualified"], true);
    assert_eq!(web["storage_account"], "standard-1");

    let db = server(&plan, "sample-db-01");
    // 250 GB × 5 % = 12.5 GB/day → 18.96 → 19 IOPS.
    assert_eq!(db["iops"], 19);
    // 4 cores, 16384 MB, 2 NICs, 1 data disk; UEFI is supported today (generation 2).
    assert_eq!(db["azure_vm_size"], "Standard_D4_v3");
    assert_eq!(db["qualified"], true, "{:?}", reasons(db));
    assert_eq!(db["storage_account"], "standard-1");

    let archive = server(&plan, "sample-archive-01");
    // 10 GB × 5 % = 0.5 GB/day → 0.76 → 1 IOPS; 2 cores, 4096 MB, no data disk.
    assert_eq!(archive["iops"], 1);
    assert_eq!(archive["azure_vm_size"], "Standard_A2_v2");
    assert_eq!(archive["qualified"], true);
    // Loads max(IOPS, disks × 500) = 1000 + 1000 + 500 fit one 20,000-IOPS account.
    assert_eq!(archive["storage_account"], "standard-1");

    // Totals: data 60 + 250 + 10 = 320 GB; changed 3 + 12.5 + 0.5 = 16; transferred 16 × 0.7 = 11.2.
    assert_eq!(dec(&plan["total_data_to_replicate_gb"]), "320");
    assert_eq!(dec(&plan["data_changed_per_day_gb"]), "16");
    assert_eq!(dec(&plan["data_transferred_per_day_gb"]), "11.2");
    // Delta: 11.2 × 8192 ÷ 86,400 = 1.06 → 10 Mbps.
    assert_eq!(dec(&plan["delta_replication_mbps_raw"]), "1.06");
    assert_eq!(dec(&plan["delta_replication_mbps"]), "10");
    // Initial: the batch (3) is all three, 320 GB × 0.7 = 224 GB × 8192 ÷ 57,600 = 31.86 → 40 Mbps.
    assert_eq!(dec(&plan["initial_replication_mbps_raw"]), "31.86");
    assert_eq!(dec(&plan["initial_replication_mbps"]), "40");
    // Storage: 320 + 11.2 × 3 = 353.6 GB.
    assert_eq!(dec(&plan["storage_required_gb"]), "353.6");
    // IOPS 5 + 19 + 1 = 25; one standard account; 2 + 2 + 1 = 5 blob disks; no premium.
    assert_eq!(plan["standard_storage_iops"], 25);
    assert_eq!(plan["standard_storage_accounts"], 1);
    assert_eq!(plan["blob_disks"], 5);
    assert_eq!((plan["premium_storage_accounts"].as_u64(), plan["premium_storage_iops"].as_u64()), (Some(0), Some(0)));
    // 3 machines, 11.2 GB/day: within the built-in process server.
    assert_eq!(
        (plan["configuration_servers"].as_u64(), plan["additional_process_servers"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(plan["sizing"]["scale_up"][0]["vcpus"], 8);
    assert_eq!(plan["additional_source_storage"], "NA");

    let warnings = warnings(&plan);
    for name in ["sample-web-01", "sample-db-01", "sample-archive-01"] {
        assert!(
            warnings.iter().any(|w| w.contains(name) && w.contains("no daily data change rate")),
            "{name}: {warnings:?}"
        );
    }
    assert!(warnings.iter().any(|w| w.contains("sample-archive-01: powered off")), "{warnings:?}");
    let notes = notes(&plan);
    assert!(notes.contains("the worst case"), "{notes}");
    assert!(notes.contains("data disks = disks attached − 1 OS disk"), "{notes}");
}

/// The same workbook with the seed's era: sample-db-01 boots UEFI (not supported then) and runs Windows
/// Server 2022 (not in the 2017 list): not qualified, left out of the totals.
#[test]
fn rvtools_small_complete_in_the_2017_era() {
    let Some(workbook) = shared_data("rvtools-small-complete.xlsx") else { return };
    let (plan, _) = detailed(&[&path_arg(&workbook), "--era", "2017"]);
    let db = server(&plan, "sample-db-01");
    assert_eq!(db["qualified"], false);
    let why = reasons(db);
    assert!(why.iter().any(|r| r.contains("EFI (UEFI) boot is not supported in the 2017 era")), "{why:?}");
    assert!(why.iter().any(|r| r.contains("Windows Server 2022") && r.contains("not supported")), "{why:?}");
    assert_eq!(db["storage_account"], Value::Null);
    // Totals: web + archive: 60 + 10 = 70 GB; 3.5 GB/day changed; × 0.7 = 2.45 transferred.
    assert_eq!(dec(&plan["total_data_to_replicate_gb"]), "70");
    assert_eq!(dec(&plan["data_transferred_per_day_gb"]), "2.45");
    assert_eq!(plan["blob_disks"], 3);
    assert_eq!(plan["standard_storage_iops"], 6);
    assert!(notes(&plan).contains("sample-db-01"));
}

/// tests/fixtures/capacity/planner-table.csv, today's limits; no --scenario: a planner table does not say
/// which hypervisor, so `physical` (0 % compression).
#[test]
fn planner_table_current_era() {
    let (plan, _) = detailed(&[&planner_table()]);
    assert_eq!(plan["inputs"]["scenario"]["value"], "physical");
    assert_eq!(dec(&plan["inputs"]["compression_pct"]["value"]), "0");

    // APP-PREMIUM: 2000 GB × 100 % = 2000 GB; × 50 % = 1000 GB/day → 1000 × 1024² ÷ 86,400 ÷ 8 = 1517.04 →
    // 1518 IOPS, 758.52 per disk > 500: premium; at 256 KB, 47.41 → 48 IOPS in premium-1.
    let premium = server(&plan, "APP-PREMIUM");
    assert_eq!(premium["iops"], 1518);
    assert_eq!(premium["storage_type"], "premium");
    assert_eq!(premium["storage_account"], "premium-1");
    assert_eq!(premium["account_iops"], 48);
    assert_eq!(premium["qualified"], true);
    // 4 cores, 16384 MB: the first premium-storage 4-core 16 GiB size.
    assert_eq!(premium["azure_vm_size"], "Standard_D4s_v3");

    // FILE-BIG: 3000 GB on 2 disks (1500 on average, under today's 32,767 GB): qualified; 1200 GB used, 2 %
    // → 24 GB/day → 36.41 → 37 IOPS, standard.
    let big = server(&plan, "FILE-BIG");
    assert_eq!(big["qualified"], true, "{:?}", reasons(big));
    assert_eq!(big["iops"], 37);
    assert_eq!(big["storage_account"], "standard-1");

    // WEB-NORATE: no change rate → 5 % (defaulted, warned); 100 GB → 5 GB/day → 7.59 → 8 IOPS.
    let web = server(&plan, "WEB-NORATE");
    assert_eq!(web["change_rate_defaulted"], true);
    assert_eq!(dec(&web["change_rate_pct"]), "5");
    assert_eq!(web["iops"], 8);
    assert_eq!(web["storage_account"], "standard-1");
    let warnings = warnings(&plan);
    assert!(
        warnings.iter().any(|w| w.contains("line 4") && w.contains("WEB-NORATE: no daily data change rate")),
        "{warnings:?}"
    );
    assert!(!warnings.iter().any(|w| w.contains("APP-PREMIUM") || w.contains("FILE-BIG")), "{warnings:?}");

    // Totals: 2000 + 1200 + 100 = 3300 GB; 1000 + 24 + 5 = 1029 GB/day, no compression.
    assert_eq!(dec(&plan["total_data_to_replicate_gb"]), "3300");
    assert_eq!(dec(&plan["data_changed_per_day_gb"]), "1029");
    assert_eq!(dec(&plan["data_transferred_per_day_gb"]), "1029");
    // 1029 × 8192 ÷ 86,400 = 97.56 → 100; batch of 3 = all, 3300 × 8192 ÷ 57,600 = 469.33 → 470.
    assert_eq!(dec(&plan["delta_replication_mbps_raw"]), "97.56");
    assert_eq!(dec(&plan["delta_replication_mbps"]), "100");
    assert_eq!(dec(&plan["initial_replication_mbps_raw"]), "469.33");
    assert_eq!(dec(&plan["initial_replication_mbps"]), "470");
    // 3300 + 1029 × 3 = 6387 GB.
    assert_eq!(dec(&plan["storage_required_gb"]), "6387");
    // Standard: 37 + 8 = 45 IOPS, loads 1000 + 500 in one account; premium: one account, 48 IOPS.
    assert_eq!(plan["standard_storage_iops"], 45);
    assert_eq!(plan["standard_storage_accounts"], 1);
    assert_eq!(plan["premium_storage_accounts"], 1);
    assert_eq!(plan["premium_storage_iops"], 48);
    assert_eq!(plan["blob_disks"], 5);
    // 3 machines, 1029 GB/day: more than 1 TB (1024 GB), so the 16 vCPU configuration server row.
    assert_eq!(plan["configuration_servers"], 1);
    assert_eq!(plan["additional_process_servers"], 0);
    assert_eq!(plan["sizing"]["scale_up"][0]["vcpus"], 16);
}

/// The same fixture in the seed's era: FILE-BIG's disks average 1500 GB, over the 1023 GB limit.
#[test]
fn planner_table_2017_era_disqualifies_the_big_disk() {
    let (plan, _) = detailed(&[&planner_table(), "--era", "2017"]);
    let big = server(&plan, "FILE-BIG");
    assert_eq!(big["qualified"], false);
    let why = reasons(big);
    assert!(why.iter().any(|r| r.contains("1500 GB") && r.contains("1023 GB limit")), "{why:?}");
    assert_eq!(big["storage_account"], Value::Null);
    // Totals without FILE-BIG: 2000 + 100 = 2100 GB; 1005 GB/day; 1005 × 8192 ÷ 86,400 = 95.29 → 100;
    // 2100 × 8192 ÷ 57,600 = 298.67 → 300; storage 2100 + 1005 × 3 = 5115.
    assert_eq!(dec(&plan["total_data_to_replicate_gb"]), "2100");
    assert_eq!(dec(&plan["data_changed_per_day_gb"]), "1005");
    assert_eq!(dec(&plan["delta_replication_mbps_raw"]), "95.29");
    assert_eq!(dec(&plan["initial_replication_mbps_raw"]), "298.67");
    assert_eq!(dec(&plan["storage_required_gb"]), "5115");
    assert_eq!(plan["standard_storage_iops"], 8);
    assert_eq!(plan["blob_disks"], 3);
    assert_eq!(plan["servers_in_totals"], 2);
    // 1005 GB/day: the 500 GB–1 TB row, 12 vCPU.
    assert_eq!(plan["sizing"]["scale_up"][0]["vcpus"], 12);
}

/// The batch is the `batch-size` servers with the most data: APP-PREMIUM (2000) and FILE-BIG (1200);
/// 3200 GB × 8192 ÷ 57,600 = 455.11 → 460 Mbps. A given default change rate replaces 5 %.
#[test]
fn batch_is_the_servers_with_the_most_data() {
    let (plan, _) = detailed(&[&planner_table(), "--batch-size", "2", "--default-change-rate", "10"]);
    assert_eq!(dec(&plan["initial_replication_mbps_raw"]), "455.11");
    assert_eq!(dec(&plan["initial_replication_mbps"]), "460");
    let batch: Vec<&str> = plan["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["initial_replication_batch"] == true)
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(batch, ["APP-PREMIUM", "FILE-BIG"]);
    // WEB-NORATE: 100 GB × 10 % = 10 GB/day; total 1000 + 24 + 10.
    assert_eq!(dec(&server(&plan, "WEB-NORATE")["change_rate_pct"]), "10");
    assert_eq!(dec(&plan["data_changed_per_day_gb"]), "1034");
}

#[test]
fn table_and_csv_forms() {
    let output = csp_planner().args(["capacity", "detailed", &planner_table()]).output().unwrap();
    assert!(output.status.success());
    let table = String::from_utf8_lossy(&output.stdout);
    for label in ["Is VM Qualified?", "Mapping Azure VM size", "Number of Blob disks required", "premium-1"] {
        assert!(table.contains(label), "{label} missing:\n{table}");
    }
    let output = csp_planner().args(["capacity", "detailed", &planner_table(), "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let csv = String::from_utf8_lossy(&output.stdout);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("name,cores,memory_mb,nics,disks,total_storage_gb"));
    assert_eq!(lines.count(), 3);
}

#[test]
fn a_missing_mandatory_column_is_named() {
    let stderr = detailed_fails(&[&path_arg(&fixture("servers/planner-missing-nics.csv"))]);
    assert!(stderr.contains("Number of NICs"), "{stderr}");
}

#[test]
fn a_non_numeric_csv_cell_is_named_by_line_and_column() {
    let stderr = detailed_fails(&[&path_arg(&fixture("servers/planner-non-numeric.csv"))]);
    assert!(stderr.contains("line 3") && stderr.contains("Memory allocation (in MBs)"), "{stderr}");
}

/// A planner table saved as a workbook: the bad cell is named by sheet and cell.
#[test]
fn a_non_numeric_workbook_cell_is_named_by_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planner.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Workload Qualification").unwrap();
    let header = [
        "Server Name/Hostname",
        "Processor Cores",
        "Memory allocation (in MBs)",
        "Number of NICs",
        "Total Storage (in GBs)",
        "Number of disks attached",
        "Disk capacity utilization (%)",
    ];
    for (c, text) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *text).unwrap();
    }
    sheet.write_string(1, 0, "BELSYSGLAB02").unwrap();
    for (c, value) in [2.0, 16384.0, 1.0, 500.0, 1.0, 0.5].iter().enumerate() {
        sheet.write_number(1, c as u16 + 1, *value).unwrap();
    }
    sheet.write_string(2, 0, "BELSYSGLABVM01").unwrap();
    sheet.write_number(2, 1, 2.0).unwrap();
    sheet.write_string(2, 2, "four GB").unwrap();
    for (c, value) in [1.0, 1000.0, 2.0, 0.35].iter().enumerate() {
        sheet.write_number(2, c as u16 + 3, *value).unwrap();
    }
    workbook.save(&path).unwrap();
    let stderr = detailed_fails(&[&path_arg(&path)]);
    assert!(stderr.contains("Workload Qualification") && stderr.contains("C3"), "{stderr}");
}

#[test]
fn bad_options_exit_with_code_2() {
    let stderr = detailed_fails(&[&planner_table(), "--default-change-rate", "120"]);
    assert!(stderr.contains("--default-change-rate"), "{stderr}");
    let stderr = detailed_fails(&[&planner_table(), "--batch-size", "0"]);
    assert!(stderr.contains("--batch-size"), "{stderr}");
    let stderr = detailed_fails(&[&path_arg(&fixture("servers/planner-utilization-over-100.csv"))]);
    assert!(stderr.contains("Disk capacity utilization"), "{stderr}");
}

/// An RVTools export with a text in a number column: the message names the sheet and the cell.
#[test]
fn rvtools_non_numeric_cell_is_named_by_sheet_and_cell() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("vInfo").unwrap();
    for (column, header) in ["VM", "Powerstate", "CPUs", "Memory", "NICs", "Disks"].iter().enumerate() {
        sheet.write(0, column as u16, *header).unwrap();
    }
    sheet.write(1, 0, "vm-01").unwrap();
    sheet.write(1, 1, "poweredOn").unwrap();
    sheet.write(1, 2, "four").unwrap();
    sheet.write(1, 3, 4096).unwrap();
    sheet.write(1, 4, 1).unwrap();
    sheet.write(1, 5, 1).unwrap();
    workbook.save(&path).unwrap();
    let output = csp_planner().args(["capacity", "detailed", &path_arg(&path)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sheet \"vInfo\", cell C2") && stderr.contains("vInfo!C2"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}
