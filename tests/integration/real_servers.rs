//! Server inventories as consultants receive them: the published RVTools 4.x workbook and Azure Migrate Export
//! discovery report of `../shared/data/real/` through `workloads`, `capacity detailed` and `report`, and our own
//! fixtures of the other variations (RVTools 3.x, odd or missing optional sheets, an incomplete row, a per-tab
//! CSV export, a discovery report; written by examples/make_server_fixtures.rs).
//!
//! The `python3` one-liners run in `../shared/data/real/` (openpyxl: `pip install openpyxl`).

use serde_json::Value;

use crate::support::*;

const RVTOOLS: &str = "real/rvtools-4x-kubev2v-example1.xlsx";
const DISCOVERY: &str = "real/azure-migrate-export-discovery-report.xlsx";

fn json_of(args: &[&str]) -> Value {
    let output = csp_planner().args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn server<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["servers"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn names(plan: &Value, filter: impl Fn(&Value) -> bool) -> Vec<String> {
    plan["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| filter(s))
        .map(|s| s["name"].as_str().unwrap().into())
        .collect()
}

fn warning_messages(plan: &Value) -> Vec<String> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{}: {}", w["location"].as_str().unwrap(), w["message"].as_str().unwrap()))
        .collect()
}

fn reason_codes(verdict: &Value) -> Vec<String> {
    verdict["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn rvtools_real_workbook_plans_every_vm_and_lists_the_incomplete_one() {
    let Some(path) = shared_data(RVTOOLS) else { return };
    let started = std::time::Instant::now();
    let plan = json_of(&["capacity", "detailed", &path_arg(&path)]);
    // The sheet declares 1,048,576 rows; only the cells present are read (a declared range would be ~94 M cells).
    // python3 -c "import zipfile,re; print(re.search(r'<dimension ref=\"([^\"]+)\"', zipfile.ZipFile('rvtools-4x-kubev2v-example1.xlsx').read('xl/worksheets/sheet1.xml').decode()).group(1))"
    // → A1:CL1048576
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());

    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True)['vInfo']; print(sum(1 for r in ws.iter_rows(min_row=2,values_only=True) if r[0]))"
    // → 9
    assert_eq!(plan["servers_listed"], 9);
    // vm-1: OS "Amazon Linux 2 (64-bit)" (not in the supported list); vm-2: Disks 0; vm-9: CPUs and Memory empty.
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True)['vInfo']; h=next(ws.iter_rows(max_row=1,values_only=True)); print([(r[0], r[h.index('Disks')], r[h.index('OS according to the configuration file')]) for r in ws.iter_rows(min_row=2,max_row=3,values_only=True)])"
    // → [('vm-1', 1, 'Amazon Linux 2 (64-bit)'), ('vm-2', 0, 'Red Hat Fedora (32-bit)')]
    assert_eq!(names(&plan, |s| !s["qualified"].as_bool().unwrap()), ["vm-1", "vm-2", "vm-9"]);
    assert_eq!(plan["servers_in_totals"], 6);
    assert_eq!(plan["not_enough_data"], serde_json::json!([]));

    // python3 -c "import openpyxl; from openpyxl.utils import get_column_letter as L; ws=openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True)['vInfo']; h=next(ws.iter_rows(max_row=1,values_only=True)); r=next(ws.iter_rows(min_row=10,max_row=10,values_only=True)); print(r[0], [(h[i], L(i+1)+'10') for i in (h.index('CPUs'), h.index('Memory')) if r[i] is None])"
    // → vm-9 [('CPUs', 'P10'), ('Memory', 'R10')]
    let vm9 = server(&plan, "vm-9");
    assert_eq!(
        vm9["qualification_reasons"],
        serde_json::json!([r#"inventory incomplete: empty "CPUs" (vInfo!P10), "Memory" (vInfo!R10)"#])
    );
    assert_eq!((&vm9["cores"], &vm9["memory_mb"], &vm9["azure_vm_size"]), (&Value::Null, &Value::Null, &Value::Null));
    assert_eq!(server(&plan, "vm-2")["qualification_reasons"][0], "no disk attached: there is nothing to replicate");

    // In Use is capped at the disks: vm-8 In Use MiB 245873 > Total disk capacity MiB 220116.
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True)['vInfo']; h=next(ws.iter_rows(max_row=1,values_only=True)); r=next(ws.iter_rows(min_row=9,max_row=9,values_only=True)); print(r[0], round(r[h.index('In Use MiB')]/1024,2), round(r[h.index('Total disk capacity MiB')]/1024,2))"
    // → vm-8 240.11 214.96
    let vm8 = server(&plan, "vm-8");
    assert_eq!((vm8["total_storage_gb"].as_str(), vm8["used_storage_gb"].as_str()), (Some("214.96"), Some("214.96")));
    let warnings = warning_messages(&plan);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("rvtools-4x-kubev2v-example1.xlsx, sheet \"vInfo\", row 9: vm-8: in use 240.11 GB is more than the disks' 214.96 GB")),
        "{warnings:#?}"
    );
    // The workbook has no vNetwork sheet: one warning, nothing else changes (vInfo has NICs).
    // python3 -c "import openpyxl; print(openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True).sheetnames)"
    // → ['vInfo', 'vCPU', 'vMemory', 'vDisk', 'vPartition', 'vHost']
    assert_eq!(warnings.iter().filter(|w| w.contains("vNetwork")).count(), 1, "{warnings:#?}");
}

#[test]
fn rvtools_real_workbook_in_workloads() {
    let Some(path) = shared_data(RVTOOLS) else { return };
    let report = json_of(&["workloads", &path_arg(&path)]);
    assert_eq!(report["summary"]["servers"], 9);
    let vm9 = report["servers"].as_array().unwrap().iter().find(|s| s["name"] == "vm-9").unwrap();
    assert_eq!(vm9["qualified"], false);
    assert!(reason_codes(vm9).contains(&"inventory-incomplete".to_string()), "{vm9}");
    let message =
        &vm9["reasons"].as_array().unwrap().iter().find(|r| r["code"] == "inventory-incomplete").unwrap()["message"];
    assert!(message.as_str().unwrap().contains(r#"empty "CPUs" (vInfo!P10), "Memory" (vInfo!R10)"#), "{message}");
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('rvtools-4x-kubev2v-example1.xlsx',read_only=True)['vInfo']; h=next(ws.iter_rows(max_row=1,values_only=True)); print(sum(1 for r in ws.iter_rows(min_row=2,values_only=True) if r[0] and r[h.index('Powerstate')]=='poweredOff'))"
    // → 6
    let powered_off =
        report["servers"].as_array().unwrap().iter().filter(|s| reason_codes(s).contains(&"powered-off".to_string()));
    assert_eq!(powered_off.count(), 6);
}

#[test]
fn discovery_report_is_a_server_inventory_without_disk_sizes() {
    let Some(path) = shared_data(DISCOVERY) else { return };
    let plan = json_of(&["capacity", "detailed", &path_arg(&path)]);
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('azure-migrate-export-discovery-report.xlsx',read_only=True)['Discovery_Report']; print(sum(1 for r in ws.iter_rows(min_row=2,values_only=True) if r[0]))"
    // → 294
    assert_eq!(plan["servers_listed"], 294);
    assert_eq!(plan["inputs"]["files"][0]["format"], "azure-migrate-discovery");
    // No disk size in the report: no server can be counted, and the totals are "not enough data".
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('azure-migrate-export-discovery-report.xlsx',read_only=True)['Discovery_Report']; print([h for h in next(ws.iter_rows(max_row=1,values_only=True)) if 'size' in str(h).lower() or 'storage' in str(h).lower()])"
    // → []
    assert_eq!((plan["servers_qualified"].as_u64(), plan["servers_in_totals"].as_u64()), (Some(0), Some(0)));
    assert_eq!(
        plan["not_enough_data"][0],
        "no server can be counted: 294 of the 294 server(s) listed lack data the totals need"
    );
    assert_eq!(plan["not_enough_data"][1], "mandatory input missing: Total Storage (in GBs) (294 server(s))");
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('azure-migrate-export-discovery-report.xlsx',read_only=True)['Discovery_Report']; h=next(ws.iter_rows(max_row=1,values_only=True)); r=next(ws.iter_rows(min_row=2,max_row=2,values_only=True)); print([(k, r[h.index(k)]) for k in ('Machine Name','Cores','Memory (in MB)','Total Disks','Total Network Adapters','Boot Type','Power Stats')])"
    // → [('Machine Name', 'DEVSQLVM13'), ('Cores', 2), ('Memory (in MB)', 4096), ('Total Disks', 2), ('Total Network Adapters', 1), ('Boot Type', 'BIOS'), ('Power Stats', 'OFF')]
    let first = server(&plan, "DEVSQLVM13");
    assert_eq!((first["cores"].as_u64(), first["memory_mb"].as_str()), (Some(2), Some("4096")));
    assert_eq!((first["disks"].as_u64(), first["nics"].as_u64()), (Some(2), Some(1)));
    assert_eq!((first["boot"].as_str(), first["power_state"].as_str()), (Some("BIOS"), Some("poweredOff")));
    assert_eq!(first["total_storage_gb"], Value::Null);
    assert_eq!(first["azure_vm_size"], "Standard_A2_v2", "cores, memory and NICs still map a size");
    let warnings = warning_messages(&plan);
    assert!(
        warnings.iter().any(|w| w.contains(
            "azure-migrate-export-discovery-report.xlsx, sheet \"Discovery_Report\": the discovery report counts disks"
        )),
        "{warnings:#?}"
    );

    let output = csp_planner().args(["capacity", "detailed", &path_arg(&path)]).output().unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("│ Total data to be replicated (in GBs)                         ┆ not enough data │"),
        "{table}"
    );
}

#[test]
fn discovery_report_in_workloads() {
    let Some(path) = shared_data(DISCOVERY) else { return };
    let report = json_of(&["workloads", &path_arg(&path)]);
    assert_eq!(report["summary"]["servers"], 294);
    let servers = report["servers"].as_array().unwrap();
    assert!(servers.iter().all(|s| reason_codes(s).contains(&"inventory-incomplete".to_string())));
    // python3 -c "import openpyxl; ws=openpyxl.load_workbook('azure-migrate-export-discovery-report.xlsx',read_only=True)['Discovery_Report']; h=next(ws.iter_rows(max_row=1,values_only=True)); print(sum(1 for r in ws.iter_rows(min_row=2,values_only=True) if r[0] and r[h.index('Power Stats')]=='OFF'))"
    // → 44
    assert_eq!(servers.iter().filter(|s| reason_codes(s).contains(&"powered-off".to_string())).count(), 44);
}

#[test]
fn both_real_files_in_one_report() {
    let (Some(rvtools), Some(discovery)) = (shared_data(RVTOOLS), shared_data(DISCOVERY)) else { return };
    let dir = tempfile::tempdir().unwrap();
    run_report(&[&path_arg(&rvtools), &path_arg(&discovery)], dir.path());
    let report: Value = serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    // 9 VMs + 294 discovered servers (the one-liners above).
    assert_eq!(report["capacity"]["servers_listed"], 303);
    // Counted: the RVTools workbook's six qualified VMs; the discovery report's servers lack disk sizes.
    assert_eq!(report["capacity"]["servers_in_totals"], 6);
    assert_eq!(report["capacity"]["not_enough_data"], serde_json::json!([]));
    assert_eq!(report["workloads"]["summary"]["servers"], 303);
    assert!(dir.path().join("capacity-planner.xlsx").exists());
}

// ------------------------------------------------------------------------------------------ our fixtures

#[test]
fn rvtools_3x_mb_headers_and_disk_sums() {
    let plan = json_of(&["capacity", "detailed", &path_arg(&fixture("servers/rvtools-3x-mb.xlsx"))]);
    // No Total disk capacity column (3.x): total = Σ vDisk Capacity MB (20480 + 40960 MB = 60 GB); used = In Use MB.
    let app = server(&plan, "APP-01");
    assert_eq!((app["total_storage_gb"].as_str(), app["used_storage_gb"].as_str()), (Some("60"), Some("30")));
    assert_eq!(app["os"], "Microsoft Windows Server 2012 R2 (64-bit)", "3.x `OS` column");
    let db = server(&plan, "DB-01");
    assert_eq!((db["total_storage_gb"].as_str(), db["used_storage_gb"].as_str()), (Some("100"), Some("50")));
    assert_eq!(plan["servers_qualified"], 2);
}

#[test]
fn rvtools_odd_and_missing_optional_sheets_are_one_warning_each() {
    let plan = json_of(&["capacity", "detailed", &path_arg(&fixture("servers/rvtools-odd-sheets.xlsx"))]);
    assert_eq!(plan["servers_listed"], 1);
    assert_eq!(plan["servers_qualified"], 1);
    let warnings = warning_messages(&plan);
    let about = |tab: &str| warnings.iter().filter(|w| w.contains(tab)).count();
    assert_eq!((about("vdisk"), about("vPartition"), about("vNetwork")), (1, 1, 1), "{warnings:#?}");
    assert!(warnings.iter().any(|w| {
        w.contains("rvtools-odd-sheets.xlsx, sheet \"vdisk\": vDisk tab ignored, its header is not recognised")
    }));
    assert!(!warnings.iter().any(|w| w.contains("vHost")), "vHost is not read: no warning");
}

#[test]
fn rvtools_incomplete_row_is_listed_and_the_others_planned() {
    let plan = json_of(&["capacity", "detailed", &path_arg(&fixture("servers/rvtools-incomplete-row.xlsx"))]);
    assert_eq!(names(&plan, |s| s["in_totals"].as_bool().unwrap()), ["OK-01", "SWAP-01"]);
    assert_eq!(
        server(&plan, "EMPTY-01")["qualification_reasons"],
        serde_json::json!([r#"inventory incomplete: empty "CPUs" (vInfo!D3), "Memory" (vInfo!E3)"#])
    );
    // SWAP-01: In Use 112640 MiB (110 GB) over its 102400 MiB (100 GB) disk.
    assert_eq!(server(&plan, "SWAP-01")["used_storage_gb"], "100");
    let workloads = json_of(&["workloads", &path_arg(&fixture("servers/rvtools-incomplete-row.xlsx"))]);
    let empty = workloads["servers"].as_array().unwrap().iter().find(|s| s["name"] == "EMPTY-01").unwrap();
    assert_eq!(reason_codes(empty), ["inventory-incomplete"]);
}

#[test]
fn rvtools_per_tab_csv_export_reads_its_sibling_tabs() {
    let plan = json_of(&["capacity", "detailed", &path_arg(&fixture("servers/rvtools-csv/RVTools_tabvInfo.csv"))]);
    assert_eq!(plan["inputs"]["files"][0]["format"], "rvtools");
    // Per-disk sizes from RVTools_tabvDisk.csv: 51200 and 102400 MiB.
    let file = server(&plan, "FILE-01");
    assert_eq!(file["total_storage_gb"], "150");
    let warnings = warning_messages(&plan);
    assert!(
        warnings.iter().any(|w| w.contains("RVTools_tabvInfo.csv, RVTools_tabvPartition.csv: no vPartition tab")),
        "{warnings:#?}"
    );

    let stderr =
        command_fails("capacity", &["detailed", &path_arg(&fixture("servers/rvtools-csv/RVTools_tabvDisk.csv"))]);
    assert!(stderr.contains("this is the vDisk tab of an RVTools CSV export: give the vInfo tab"), "{stderr}");
}

#[test]
fn discovery_fixture_names_the_empty_cell_and_says_not_enough_data() {
    let path = path_arg(&fixture("servers/azure-migrate-discovery.xlsx"));
    let plan = json_of(&["capacity", "detailed", &path]);
    assert_eq!(plan["servers_listed"], 3);
    assert_eq!(
        server(&plan, "CONTOSO-OLD01")["qualification_reasons"],
        serde_json::json!([r#"inventory incomplete: empty "Cores" (Discovery_Report!H4)"#])
    );
    assert_eq!(server(&plan, "CONTOSO-SQL01")["boot"], "EFI");
    assert_eq!(plan["not_enough_data"][3], "inventory incomplete (1 server(s))");
}

#[test]
fn a_declared_range_of_a_million_rows_is_not_allocated() {
    // A vInfo whose last styled cell is on row 1,048,576, as spreadsheet programs leave them.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rvtools-huge-range.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("vInfo").unwrap();
    for (column, header) in
        ["VM", "CPUs", "Memory", "Disks", "Total disk capacity MiB", "In Use MiB"].iter().enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (column, value) in [2.0, 4096.0, 1.0, 40960.0, 20480.0].iter().enumerate() {
        sheet.write_number(1, column as u16 + 1, *value).unwrap();
    }
    sheet.write_string(1, 0, "BIG-01").unwrap();
    sheet.write_blank(1_048_575, 89, &rust_xlsxwriter::Format::new().set_bold()).unwrap();
    workbook.save(&path).unwrap();
    let plan = json_of(&["capacity", "detailed", &path_arg(&path)]);
    assert_eq!(plan["servers_listed"], 1);
    assert_eq!(server(&plan, "BIG-01")["total_storage_gb"], "40");
}

#[test]
fn an_inventory_without_server_rows_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("RVTools_tabvInfo.csv");
    std::fs::write(&path, "VM,Powerstate,CPUs,Memory\n").unwrap();
    let stderr = command_fails("capacity", &["detailed", &path_arg(&path)]);
    assert!(stderr.contains("no input yielded a single row"), "{stderr}");
    assert!(stderr.contains("RVTools_tabvInfo.csv (header only, no server rows)"), "{stderr}");
}
