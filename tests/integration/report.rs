//! `csp-planner report --out-dir DIR` (issue 7): the main job on the bundled sample and on named inputs, read
//! back (report.json against the commands it gathers, workbooks with calamine, runbooks with `bash -n`), and the
//! folder rules (never an input overwritten, nothing written on bad input).

use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::support::{as_part_of, command_fails, csp_planner, path_arg, repo_file};

/// Runs `report ARGS --out-dir DIR` and returns stdout (asserting success).
fn report(args: &[&str], dir: &std::path::Path) -> String {
    crate::support::run_report(args, dir)
}

/// `COMMAND ARGS --format json`, parsed.
fn json_of(command: &[&str]) -> Value {
    let output = csp_planner().args(command).args(["--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn sheets(path: &std::path::Path) -> Vec<String> {
    let workbook: Xlsx<_> = open_workbook(path).unwrap();
    workbook.sheet_names()
}

#[test]
fn report_on_the_bundled_sample_writes_both_workbooks_the_json_and_the_runbooks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let stdout = report(&[], &out);
    for name in ["assessment.xlsx", "capacity-planner.xlsx", "report.json", "runbooks"] {
        assert!(stdout.contains(&format!("wrote {}", path_arg(&out.join(name)))), "{name}:\n{stdout}");
    }
    let document: Value = serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(document["schema_version"], 1);
    // Each result is exactly what its own command prints for the same inputs (the bundled sample).
    assert_eq!(document["assessment"], as_part_of(&document, json_of(&["assess"])));
    assert_eq!(document["plan"], as_part_of(&document, json_of(&["plan"])));
    assert_eq!(document["cost"], as_part_of(&document, json_of(&["cost"])));
    let roles: Vec<&str> = document["inputs"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["estate", "usage", "servers"]);
    assert!(document["rules"].as_array().unwrap().iter().all(|r| r["origin"] == "embedded"));
    // The capacity plan of the sample's servers, as `capacity detailed` makes it from the same workbook.
    let capacity = json_of(&["capacity", "detailed", &path_arg(&repo_file("samples/servers-rvtools.xlsx"))]);
    for key in [
        "total_data_to_replicate_gb",
        "delta_replication_mbps",
        "storage_required_gb",
        "configuration_servers",
        "servers_in_totals",
    ] {
        assert!(!capacity[key].is_null(), "{key}");
        assert_eq!(document["capacity"][key], capacity[key], "{key}");
    }
    // samples/README.md "Servers": six listed, the template left out of the totals.
    assert_eq!(document["capacity"]["servers"].as_array().unwrap().len(), 6);
    assert_eq!(document["capacity"]["servers_in_totals"], 5);
    let assessment = sheets(&out.join("assessment.xlsx"));
    for sheet in ["Summary", "Resources", "Move Batches", "Remediation", "Cost", "Rules"] {
        assert!(assessment.iter().any(|s| s == sheet), "{sheet} missing: {assessment:?}");
    }
    let capacity_sheets = sheets(&out.join("capacity-planner.xlsx"));
    for sheet in ["Getting Started", "Workload Qualification", "Capacity Planner"] {
        assert!(capacity_sheets.iter().any(|s| s == sheet), "{sheet} missing: {capacity_sheets:?}");
    }
    let readme = std::fs::read_to_string(out.join("runbooks/README.md")).unwrap();
    assert!(readme.starts_with("# Move runbooks"));
    for entry in std::fs::read_dir(out.join("runbooks")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let bash = std::process::Command::new("bash").arg("-n").arg(path.join("runbook.sh")).output().unwrap();
            assert!(bash.status.success(), "{}", String::from_utf8_lossy(&bash.stderr));
        }
    }
}

#[test]
fn report_sorts_named_inputs_by_what_they_are_and_runs_only_what_they_allow() {
    let dir = tempfile::tempdir().unwrap();
    let estate = path_arg(&repo_file("samples/estate.json"));
    let stdout = report(&[&estate], dir.path());
    assert!(stdout.contains("assessment.xlsx") && stdout.contains("runbooks"), "{stdout}");
    assert!(!dir.path().join("capacity-planner.xlsx").exists(), "no servers, no capacity workbook");
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(document["cost"], Value::Null);
    assert_eq!(document["capacity"], Value::Null);
    assert_eq!(document["plan"]["summary"]["batches"], 16);
    let servers = tempfile::tempdir().unwrap();
    report(&[&path_arg(&repo_file("samples/servers-rvtools.xlsx"))], servers.path());
    assert!(servers.path().join("capacity-planner.xlsx").exists());
    // No estate: assessment.xlsx holds the workloads of the servers only.
    assert_eq!(sheets(&servers.path().join("assessment.xlsx")), ["Summary", "Workloads", "Workload Servers"]);
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(servers.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(document["inputs"][0]["role"], "servers");
    assert_eq!(document["assessment"], Value::Null);
}

#[test]
fn report_never_overwrites_an_input_and_writes_nothing_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("report.json");
    std::fs::copy(repo_file("samples/estate.json"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let stderr = command_fails("report", &[&path_arg(&input), "--out-dir", &path_arg(dir.path())]);
    assert!(stderr.contains("is an input and would be replaced by the report"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(!dir.path().join("assessment.xlsx").exists());
    // A bad input stops the report before anything is written: the folder is not even made.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[{\"id\": 1").unwrap();
    let out = dir.path().join("out");
    let stderr = command_fails("report", &[&path_arg(&bad), "--out-dir", &path_arg(&out)]);
    assert!(stderr.contains("bad.json"), "{stderr}");
    assert!(!out.exists());
    let stderr = command_fails("report", &["--out-dir", &path_arg(&input)]);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
}
