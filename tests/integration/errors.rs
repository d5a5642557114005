//! Bad input: a clear message naming the file, the place and what was expected; exit code 2; no panic.

use crate::support::*;

fn fixture_arg(relative: &str) -> String {
    path_arg(&fixture(relative))
}

#[test]
fn missing_file() {
    let stderr = inventory_fails(&["no-such-export.csv"]);
    assert_eq!(stderr, "error: no-such-export.csv: no such file\n");
}

#[test]
fn empty_file() {
    let path = fixture_arg("errors/empty.csv");
    let stderr = inventory_fails(&[&path]);
    assert_eq!(stderr, format!("error: {path}: the file is empty\n"));
}

#[test]
fn unknown_header_lists_the_headers_seen() {
    let path = fixture_arg("errors/unknown-header.csv");
    let stderr = inventory_fails(&[&path]);
    assert!(stderr.starts_with(&format!("error: {path}, line 1: unknown header: expected usage-csv")), "{stderr}");
    assert!(stderr.contains("headers seen: \"Host\", \"CPU\", \"Memory\""), "{stderr}");
}

#[test]
fn malformed_json_names_line_and_column() {
    let path = fixture_arg("errors/malformed.json");
    let stderr = inventory_fails(&[&path]);
    assert!(stderr.starts_with(&format!("error: {path}, line 5, column 3: malformed JSON")), "{stderr}");
}

#[test]
fn non_numeric_quantity_names_file_line_and_column() {
    let path = fixture_arg("errors/bad-quantity.csv");
    let stderr = inventory_fails(&[&path]);
    assert_eq!(
        stderr,
        format!("error: {path}, line 3, column \"Consumed Quantity\": expected a decimal number, found \"twelve\"\n")
    );
}

#[test]
fn two_matching_kinds_name_the_candidates() {
    let path = fixture_arg("errors/two-kinds.csv");
    let stderr = inventory_fails(&[&path]);
    assert!(stderr.contains("matches more than one kind of input: usage-csv"), "{stderr}");
    assert!(stderr.contains("and portal-csv"), "{stderr}");
    assert!(stderr.contains("--input-format"), "{stderr}");
    assert!(stderr.contains("Headers seen: \"Name\", \"Type\", \"Resource Group\", \"ResourceId\""), "{stderr}");
}

#[test]
fn a_directory_is_not_an_input() {
    let stderr = inventory_fails(&[&fixture_arg("errors")]);
    assert!(stderr.contains("is a directory"), "{stderr}");
}

#[test]
fn json_forced_on_a_workbook_or_csv_is_refused() {
    let path = fixture_arg("inputs/usage-old.csv");
    let stderr = inventory_fails(&[&path, "--input-format", "arg-json"]);
    assert!(stderr.contains("malformed JSON"), "{stderr}");
}

#[test]
fn broken_rule_overrides_report_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("portal-types.csv"),
        "display_name,resource_type,source\nDisk,Microsoft.Compute/disks,\nDisk,Microsoft.Compute/disks,seen\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("input-kinds.toml"), "[[kind]]\nid = \"usage-csv\"\ntitle = 1\n").unwrap();
    let stderr = inventory_fails(&["--rules", &path_arg(dir.path()), &fixture_arg("inputs/usage-old.csv")]);
    let folder = path_arg(dir.path());
    assert!(stderr.contains(&format!("{folder}/input-kinds.toml, line 3, column 9")), "{stderr}");
    assert!(stderr.contains(&format!("{folder}/portal-types.csv, line 2: `source` is empty")), "{stderr}");
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
}

#[test]
fn rule_overrides_replace_the_embedded_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("portal-types.csv"),
        "display_name,resource_type,source\nQuantum widget,Contoso.Quantum/widgets,inference: test\n",
    )
    .unwrap();
    let inventory =
        inventory_json(&["--rules", &path_arg(dir.path()), &fixture_arg("inputs/portal-all-resources.csv")]);
    assert_eq!(resource(&inventory, "mystery")["type"], "Contoso.Quantum/widgets");
    // The override replaced the whole file: "Virtual machine" is no longer known.
    assert_eq!(resource(&inventory, "vm-app-01")["type"], "Virtual machine");
}
