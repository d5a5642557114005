//! Inputs that yield nothing, alike in every command: a header with no rows, an empty JSON list, blank rows
//! only — a warning naming the file beside an input with rows, exit code 2 naming it when nothing else has a
//! row; a zero-byte file is always exit code 2. And locations in display form ("US East", "West Europe") read as
//! ARM short names, so one resource read from a usage export and a Resource Graph export merges.

use std::path::PathBuf;
use std::process::Output;

use crate::support::{csp_planner, fixture, inventory_json, path_arg, shared_data};

/// What a command reads: resource inventories and usage, usage only, or server inventories.
#[derive(Clone, Copy, PartialEq)]
enum Reads {
    Estate,
    Usage,
    Servers,
}

const COMMANDS: [(&[&str], Reads); 7] = [
    (&["inventory"], Reads::Estate),
    (&["assess"], Reads::Estate),
    (&["plan"], Reads::Estate),
    (&["cost"], Reads::Usage),
    (&["report"], Reads::Estate),
    (&["workloads"], Reads::Servers),
    (&["capacity", "detailed"], Reads::Servers),
];

/// Runs `command` on `inputs` (`report` into a scratch folder), asserting it did not panic.
fn run(command: &[&str], inputs: &[PathBuf]) -> Output {
    let scratch = tempfile::tempdir().unwrap();
    let mut cmd = csp_planner();
    cmd.args(command).args(inputs.iter().map(|p| path_arg(p)));
    if command == ["report"] {
        cmd.args(["--out-dir", &path_arg(&scratch.path().join("out"))]);
    }
    let output = cmd.output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"), "{command:?} {inputs:?} panicked");
    output
}

/// Asserts exit code 2 and returns stderr.
fn fails(command: &[&str], inputs: &[PathBuf]) -> String {
    let output = run(command, inputs);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{command:?} {inputs:?}: expected exit code 2; stderr: {stderr}");
    stderr
}

/// Asserts success and returns stdout and stderr together (`capacity detailed` shows its warnings in its table).
fn succeeds(command: &[&str], inputs: &[PathBuf]) -> String {
    let output = run(command, inputs);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{command:?} {inputs:?} failed: {stderr}");
    format!("{}{stderr}", String::from_utf8_lossy(&output.stdout))
}

/// A header-only input of what `reads` reads: the EA cost export with no rows (published), or a server table.
fn header_only(reads: Reads) -> Option<PathBuf> {
    match reads {
        Reads::Servers => Some(fixture("empty/servers-header-only.csv")),
        _ => shared_data("real/usage-ea-header-only-finops-EA_NoRows.csv"),
    }
}

/// An input with rows of what `reads` reads.
fn good(reads: Reads) -> PathBuf {
    match reads {
        Reads::Estate => fixture("inputs/arg-data.json"),
        Reads::Usage => fixture("inputs/usage-old.csv"),
        Reads::Servers => fixture("servers/planner-table.csv"),
    }
}

const NOTHING_READ: &str = "nothing read from it";

#[test]
fn a_header_only_input_alone_is_exit_2_naming_it_in_every_command() {
    for (command, reads) in COMMANDS {
        let Some(path) = header_only(reads) else { return };
        let stderr = fails(command, std::slice::from_ref(&path));
        let what = if reads == Reads::Servers { "header only, no server rows" } else { "header only, no rows" };
        let expected = format!("no input yielded a single row: {} ({what})", path_arg(&path));
        assert!(stderr.contains(&expected), "{command:?}: {stderr}");
    }
}

#[test]
fn a_header_only_input_beside_a_good_one_is_one_warning_naming_it_in_every_command() {
    for (command, reads) in COMMANDS {
        let Some(path) = header_only(reads) else { return };
        let shown = succeeds(command, &[path.clone(), good(reads)]);
        let warnings: Vec<&str> = shown.lines().filter(|l| l.contains(NOTHING_READ)).collect();
        assert_eq!(warnings.len(), 1, "{command:?}: {shown}");
        assert!(warnings[0].contains(&path_arg(&path)), "{command:?}: {}", warnings[0]);
    }
}

#[test]
fn an_empty_list_alone_is_exit_2_in_every_command() {
    for (command, reads) in COMMANDS {
        for name in ["empty-array.json", "empty-data.json", "empty-value.json"] {
            let path = fixture(&format!("empty/{name}"));
            let stderr = fails(command, std::slice::from_ref(&path));
            if reads == Reads::Estate {
                assert!(stderr.contains(&format!("{} (an empty list)", path_arg(&path))), "{command:?}: {stderr}");
            } else {
                // cost and the server readers refuse JSON, naming the file.
                assert!(stderr.contains(&path_arg(&path)), "{command:?}: {stderr}");
            }
        }
    }
}

#[test]
fn blank_rows_only_alone_is_exit_2_in_every_command() {
    for (command, reads) in COMMANDS {
        let name = if reads == Reads::Servers { "servers-blank-rows.csv" } else { "usage-blank-rows.csv" };
        let path = fixture(&format!("empty/{name}"));
        let stderr = fails(command, std::slice::from_ref(&path));
        assert!(
            stderr.contains(&format!("no input yielded a single row: {}", path_arg(&path))),
            "{command:?}: {stderr}"
        );
    }
}

#[test]
fn a_zero_byte_file_is_exit_2_in_every_command_even_beside_a_good_input() {
    let path = fixture("empty/zero-bytes.csv");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    for (command, reads) in COMMANDS {
        for inputs in [vec![path.clone()], vec![path.clone(), good(reads)]] {
            let stderr = fails(command, &inputs);
            assert!(stderr.contains(&format!("{}: the file is empty", path_arg(&path))), "{command:?}: {stderr}");
        }
    }
}

/// The pay-as-you-go download holds one row and it has only a date:
/// `python3 -c "import csv; r=list(csv.reader(open('usage-payg-bom-opencost-BOM.csv', encoding='utf-8-sig'))); print(len(r)-1, [(r[0][i], c) for i, c in enumerate(r[1]) if c])"`
/// prints `1 [('UsageDateTime', '2022-11-03')]`.
#[test]
fn a_usage_row_of_dates_only_is_blank() {
    let Some(bom) = shared_data("real/usage-payg-bom-opencost-BOM.csv") else { return };
    for (command, reads) in COMMANDS.into_iter().filter(|(_, reads)| *reads != Reads::Servers) {
        let stderr = fails(command, std::slice::from_ref(&bom));
        assert!(stderr.contains(&format!("{} (header only, no rows)", path_arg(&bom))), "{command:?}: {stderr}");
        let shown = succeeds(command, &[bom.clone(), good(reads)]);
        let warnings: Vec<&str> = shown.lines().filter(|l| l.contains(NOTHING_READ)).collect();
        assert_eq!(warnings.len(), 1, "{command:?}: {shown}");
        assert!(warnings[0].contains(&path_arg(&bom)), "{command:?}: {}", warnings[0]);
    }
}

#[test]
fn the_warning_is_in_the_json_inputs_too() {
    let Some(path) = header_only(Reads::Estate) else { return };
    let inventory = inventory_json(&[&path_arg(&path), &path_arg(&good(Reads::Estate))]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["path"], path_arg(&path));
    assert_eq!(input["rows"], 0);
    assert_eq!(input["warnings"][0]["location"], "whole file");
    assert_eq!(input["warnings"][0]["message"], "no rows after the header; nothing read from it");
}

/// `python3 -c "import csv; print([r['ResourceLocation'] for r in csv.DictReader(open('usage-payg-opencost-PayAsYouGo.csv'))])"`
/// prints `['US East']`: the price-list spelling of eastus.
#[test]
fn a_pay_as_you_go_location_in_display_form_is_the_arm_location() {
    let Some(path) = shared_data("real/usage-payg-opencost-PayAsYouGo.csv") else { return };
    let inventory = inventory_json(&[&path_arg(&path)]);
    let resources = inventory["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0]["name"], "kubernetes");
    assert_eq!(resources[0]["location"], "eastus");
    assert_eq!(inventory["inputs"][0]["warnings"].as_array().unwrap().len(), 0, "{inventory}");
}

#[test]
fn a_usage_row_at_west_europe_merges_with_the_resource_graph_resource_at_westeurope() {
    let usage = fixture("empty/usage-west-europe.csv");
    let graph = fixture("empty/arg-west-europe.json");
    let inventory = inventory_json(&[&path_arg(&usage), &path_arg(&graph)]);
    let resources = inventory["resources"].as_array().unwrap();
    let web: Vec<_> = resources.iter().filter(|r| r["name"] == "vm-web-01").collect();
    assert_eq!(web.len(), 1, "{resources:?}");
    assert_eq!(web[0]["location"], "westeurope");
    assert_eq!(web[0]["sources"].as_array().unwrap().len(), 2);
    // Merged without a location conflict.
    let warnings = crate::support::warnings(&inventory);
    assert!(!warnings.iter().any(|w| w.contains("conflict")), "{warnings:?}");
}

#[test]
fn an_unknown_location_is_kept_and_listed_in_one_warning_for_the_input() {
    let usage = fixture("empty/usage-west-europe.csv");
    let inventory = inventory_json(&[&path_arg(&usage)]);
    assert_eq!(crate::support::resource(&inventory, "stweb01")["location"], "nowherecentral");
    let warnings = crate::support::warnings(&inventory);
    let unknown: Vec<_> = warnings.iter().filter(|w| w.contains("\"Nowhere Central\"")).collect();
    assert_eq!(unknown.len(), 1, "{warnings:?}");
    assert!(unknown[0].contains("rules/regions.csv"), "{}", unknown[0]);
    // Known spellings are not listed.
    assert!(!unknown[0].contains("West Europe"), "{}", unknown[0]);
}
