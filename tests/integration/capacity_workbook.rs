//! `capacity quick|detailed -o FILE.xlsx` (issue 7): the capacity planner workbook. Read back with calamine
//! (sheets, labels, formulas and their cached values against `--format json`), then recalculated by the real
//! client, LibreOffice through python3-uno (`tests/support/recalc.py`), unchanged and after changing inputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use serde_json::{Map, Value};

use crate::capacity::SAMPLE;
use crate::support::*;

const PLANNER: &str = "Capacity Planner";
const FIXTURE: &str = "capacity/planner-table.csv";

/// The OUTPUT cells by their seed label (src/report/capacity_table.rs), with the JSON key each must equal.
const OUTPUTS: &[(&str, &str)] = &[
    ("Total data to be replicated (in GBs)", "total_data_to_replicate_gb"),
    ("Amount of data changed per day (in GBs)", "data_changed_per_day_gb"),
    ("Amount of data Xfered per day (in GBs)", "data_transferred_per_day_gb"),
    ("Bandwidth required for delta replication (in Megabits/sec)", "delta_replication_mbps"),
    ("Average bandwidth for delta replication (in Megabits/sec)", "delta_replication_mbps_raw"),
    ("Bandwidth required for initial replication (In Megabits/sec)", "initial_replication_mbps"),
    ("Average bandwidth for initial replication (In Megabits/sec)", "initial_replication_mbps_raw"),
    ("Storage required (in GBs)", "storage_required_gb"),
    ("Total IOPS on standard storage accounts", "standard_storage_iops"),
    ("Number of standard storage accounts required", "standard_storage_accounts"),
    ("Number of Blob disks required", "blob_disks"),
    ("Number of premium storage accounts required", "premium_storage_accounts"),
    ("Total IOPS on premium storage accounts", "premium_storage_iops"),
    ("Number of Configuration Servers required", "configuration_servers"),
    ("Number of additional Process Servers required", "additional_process_servers"),
    ("100% additional storage on the Source", "additional_source_storage"),
];

/// The seed's INPUTS labels of the Quick Planner (seed 002 L13511-L13527).
const QUICK_INPUTS: &[&str] = &[
    "Infra Inputs source",
    "Select your scenario",
    "Total number of virtual machines",
    "Average number of VHDs per virtual machine",
    "Average size of VHD (in GBs)",
    "Average utilization per disk (%)",
    "Churn Inputs",
    "Average daily data change rate (%)",
    "Compression",
    "Retention Inputs",
    "Retention in days",
    "Initial Replication Inputs",
    "Number of hours in which initial replication for the batch of virtual machines should complete",
    "Number of virtual machines per initial replication batch",
    "OUTPUT",
    "Network Bandwidth requirements",
    "Azure requirements",
    "Other Infra requirements",
];

/// A JSON figure (decimal string, integer or "NA") as a comparable value: numbers rounded to 6 decimals.
fn expected(value: &Value) -> Value {
    let number = match value {
        Value::String(text) => text.parse::<f64>().ok(),
        other => other.as_f64(),
    };
    match number {
        Some(n) => Value::from(round6(n)),
        None => value.clone(),
    }
}

fn round6(n: f64) -> f64 {
    (n * 1e6).round() / 1e6
}

fn json(args: &[&str]) -> Value {
    let output = csp_planner().args(args).args(["--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Writes the workbook of `args` into `dir` and returns its path.
fn workbook(dir: &Path, args: &[&str]) -> PathBuf {
    let path = dir.join("capacity-planner.xlsx");
    let output = csp_planner().args(args).arg("-o").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("panicked"), "{args:?}: {stderr}");
    path
}

/// Column A labels of a sheet → their row.
fn label_rows(range: &calamine::Range<Data>) -> Vec<(String, u32)> {
    let (start, end) = (range.start().unwrap_or((0, 0)), range.end().unwrap_or((0, 0)));
    (start.0..=end.0)
        .filter_map(|row| match range.get_value((row, 0)) {
            Some(Data::String(text)) => Some((text.clone(), row)),
            _ => None,
        })
        .collect()
}

fn row_of(labels: &[(String, u32)], label: &str) -> u32 {
    labels.iter().find(|(text, _)| text == label).map(|(_, row)| *row).unwrap_or_else(|| panic!("no label {label:?}"))
}

fn cached(value: Option<&Data>) -> Value {
    match value {
        Some(Data::Float(n)) => Value::from(round6(*n)),
        Some(Data::Int(n)) => Value::from(round6(*n as f64)),
        Some(Data::String(text)) => Value::from(text.clone()),
        Some(Data::Bool(b)) => Value::from(*b),
        other => panic!("unexpected cached value {other:?}"),
    }
}

/// Reads the workbook back: the sheets, the labels, every OUTPUT cell a formula whose cached value is the
/// JSON's figure.
fn check_cached(path: &Path, sheets: &[&str], plan: &Value, labels: &[&str]) {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    assert_eq!(book.sheet_names(), sheets.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let values = book.worksheet_range(PLANNER).unwrap();
    let formulas = book.worksheet_formula(PLANNER).unwrap();
    let rows = label_rows(&values);
    for label in labels {
        row_of(&rows, label);
    }
    for (label, key) in OUTPUTS {
        let row = row_of(&rows, label);
        let formula = formulas.get_value((row, 1)).cloned().unwrap_or_default();
        assert!(!formula.is_empty(), "{label}: not a formula");
        assert_eq!(cached(values.get_value((row, 1))), expected(&plan[*key]), "{label} ({key}): {formula}");
    }
    let guide = book.worksheet_range("Getting Started").unwrap();
    let text: Vec<String> = guide.rows().flatten().filter_map(|c| c.as_string()).collect();
    assert!(text.iter().any(|t| t.contains("Recalculation on file load")), "{text:?}");
    assert!(
        text.iter().any(|t| t.contains("based on average daily data change rate")),
        "the guide names each formula's source"
    );
}

#[test]
fn quick_workbook_has_the_seed_labels_and_caches_the_json_figures() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<&str> = ["capacity", "quick"].iter().chain(SAMPLE).copied().collect();
    let path = workbook(dir.path(), &args);
    let plan = json(&args);
    check_cached(&path, &["Getting Started", PLANNER, "Sizing"], &plan, QUICK_INPUTS);
    // Every constant of rules/asr-planner.toml is a labelled cell; the formulas use their names.
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let values = book.worksheet_range(PLANNER).unwrap();
    let rows = label_rows(&values);
    for name in ["bits_per_byte", "seconds_per_day", "bandwidth_step_mbps", "standard_account_iops"] {
        assert!(matches!(values.get_value((row_of(&rows, name), 1)), Some(Data::Float(_))), "{name}");
    }
    let formulas = book.worksheet_formula(PLANNER).unwrap();
    let all: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).collect();
    assert!(all.iter().any(|f| f.contains("seconds_per_day")), "{all:?}");
    assert!(!all.iter().any(|f| f.contains("86400") || f.contains("20000")), "a constant typed into a formula");
}

#[test]
fn detailed_workbook_lists_the_servers_and_caches_the_json_figures() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = path_arg(&fixture(FIXTURE));
    let args = ["capacity", "detailed", fixture.as_str()];
    let path = workbook(dir.path(), &args);
    let plan = json(&args);
    let sheets = ["Getting Started", "Workload Qualification", PLANNER, "Sizing"];
    check_cached(&path, &sheets, &plan, &["Select your scenario", "Compression", "Retention in days", "OUTPUT"]);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let servers = book.worksheet_range("Workload Qualification").unwrap();
    let text: Vec<String> = servers.rows().flatten().filter_map(|c| c.as_string()).collect();
    for column in
        ["Server Name/Hostname", "Mapping Azure VM size", "Is VM Qualified?", "Storage type", "Storage account"]
    {
        assert!(text.iter().any(|t| t == column), "{column}");
    }
    for server in plan["servers"].as_array().unwrap() {
        for key in ["name", "azure_vm_size", "storage_account"] {
            let value = server[key].as_str().unwrap();
            assert!(text.iter().any(|t| t == value), "{key} {value}");
        }
    }
}

// ------------------------------------------------------------------------------------------ LibreOffice

/// LibreOffice and python3-uno, or a skip (a failure when CI is set: .ci/run installs them).
fn libreoffice_available() -> bool {
    let soffice = Path::new("/usr/bin/soffice").exists();
    let uno = Command::new("/usr/bin/python3").args(["-c", "import uno"]).output().is_ok_and(|o| o.status.success());
    if !(soffice && uno) {
        let why = "LibreOffice (/usr/bin/soffice) and python3-uno recalculate the workbook";
        assert!(std::env::var_os("CI").is_none(), "{why}, and one is missing while CI is set: .ci/run installs them");
        eprintln!("skipped: {why}, and one is missing");
    }
    soffice && uno
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Opens `path` in headless LibreOffice, applies `changes` (label = value) to the Capacity Planner's input
/// cells, recalculates everything and returns the OUTPUT cells by label. The helper kills soffice on exit;
/// it gets 180 s before it is killed itself.
fn recalculate(path: &Path, changes: &[(&str, &str)]) -> Map<String, Value> {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new("/usr/bin/python3");
    command.arg(repo_file("tests/support/recalc.py")).arg(path).arg(free_port().to_string());
    command.arg(profile.path()).arg(PLANNER);
    for (label, value) in changes {
        command.arg("SET").arg(format!("{label}={value}"));
    }
    command.arg("--").args(OUTPUTS.iter().map(|(label, _)| *label));
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(180) {
            child.kill().unwrap();
            panic!("LibreOffice did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "recalc.py: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn check_recalculated(path: &Path, changes: &[(&str, &str)], plan: &Value) {
    let cells = recalculate(path, changes);
    for (label, key) in OUTPUTS {
        let value = match &cells[*label] {
            Value::Number(n) => Value::from(round6(n.as_f64().unwrap())),
            other => other.clone(),
        };
        assert_eq!(value, expected(&plan[*key]), "{label} ({key}) after {changes:?}");
    }
}

#[test]
fn libreoffice_recalculates_the_quick_planner_as_csp_planner_computes_it() {
    if !libreoffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let quick: Vec<&str> = ["capacity", "quick"].iter().chain(SAMPLE).copied().collect();
    let path = workbook(dir.path(), &quick);
    check_recalculated(&path, &[], &json(&quick));
    // Changed inputs: 300 VMs of 750 GB (process servers, many accounts), then Hyper-V with premium disks.
    let changed: Vec<&str> = quick
        .iter()
        .enumerate()
        .map(|(i, arg)| match quick.get(i.wrapping_sub(1)) {
            Some(&"--vms") => "300",
            Some(&"--disk-size-gb") => "750",
            _ => arg,
        })
        .collect();
    let changes = [("Total number of virtual machines", "300"), ("Average size of VHD (in GBs)", "750")];
    check_recalculated(&path, &changes, &json(&changed));
    let hyperv = [
        "capacity",
        "quick",
        "--scenario",
        "hyperv",
        "--vms",
        "7",
        "--disks-per-vm",
        "3",
        "--disk-size-gb",
        "4000",
        "--utilization",
        "100",
        "--change-rate",
        "100",
        "--compression",
        "0",
        "--gb-base",
        "1000",
    ];
    let changes = [
        ("Select your scenario", "hyperv"),
        ("Total number of virtual machines", "7"),
        ("Average number of VHDs per virtual machine", "3"),
        ("Average size of VHD (in GBs)", "4000"),
        ("Average utilization per disk (%)", "100"),
        ("Average daily data change rate (%)", "100"),
        ("MB per GB (--gb-base)", "1000"),
    ];
    check_recalculated(&path, &changes, &json(&hyperv));
}

#[test]
fn libreoffice_recalculates_the_detailed_planner_as_csp_planner_computes_it() {
    if !libreoffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fixture = path_arg(&fixture(FIXTURE));
    let detailed = ["capacity", "detailed", fixture.as_str()];
    let path = workbook(dir.path(), &detailed);
    check_recalculated(&path, &[], &json(&detailed));
    let changed = [&detailed[..], &["--batch-size", "1", "--compression", "30", "--retention-days", "7"]].concat();
    let changes = [
        ("Number of virtual machines per initial replication batch", "1"),
        ("Compression", "30"),
        ("Retention in days", "7"),
    ];
    check_recalculated(&path, &changes, &json(&changed));
    let hyperv = [&detailed[..], &["--scenario", "hyperv", "--batch-size", "2", "--recovery-points", "48"]].concat();
    let changes = [
        ("Select your scenario", "hyperv"),
        ("Number of virtual machines per initial replication batch", "2"),
        ("Number of recovery points", "48"),
    ];
    check_recalculated(&path, &changes, &json(&hyperv));
}
