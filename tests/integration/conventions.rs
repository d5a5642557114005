//! The CLI conventions every command follows: formats, -o, atomic writes, colour, neutralised CSV.

use crate::support::*;

#[test]
fn the_extension_of_o_chooses_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.json");
    let input = path_arg(&fixture("inputs/usage-old.csv"));
    csp_planner().args(["inventory", &input, "-o", &path_arg(&out)]).assert().success().stdout("");
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["schema_version"], 1);
    assert_eq!(written["tool"]["name"], "csp-planner");
    // Written through a temporary file in the same folder, then renamed: nothing else is left.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("inventory.json")]);
}

#[test]
fn a_format_that_contradicts_the_extension_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_arg(&dir.path().join("inventory.csv"));
    let stderr = inventory_fails(&[&path_arg(&fixture("inputs/usage-old.csv")), "-o", &out, "--format", "json"]);
    assert!(stderr.contains("--format json conflicts with the extension of -o"), "{stderr}");
    assert!(!dir.path().join("inventory.csv").exists());
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("usage.csv");
    std::fs::copy(fixture("inputs/usage-old.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let stderr = inventory_fails(&[&path_arg(&input), "-o", &path_arg(&input)]);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn csv_output_neutralises_formulas_in_customer_text() {
    let input = path_arg(&fixture("inputs/portal-formulas.csv"));
    let output = csp_planner().args(["inventory", &input, "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("name"), "'=1+2");
    assert_eq!(cell("resource_group"), "'@SUM(A1)");
    assert_eq!(cell("subscription_name"), "'-Contoso");
    assert_eq!(cell("deployment_model"), "arm");
}

#[test]
fn csv_output_has_one_row_per_resource_and_meter() {
    let input = path_arg(&fixture("inputs/usage-old.csv"));
    let output = csp_planner().args(["inventory", &input, "--format", "csv"]).output().unwrap();
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // vm-app-01 (one meter) and the classic storage account (one meter)
    assert_eq!(rows.len(), 2);
    let resources = path_arg(&fixture("inputs/az-resource-list.json"));
    let output = csp_planner().args(["inventory", &resources, "--format", "csv"]).output().unwrap();
    let rows = csv::Reader::from_reader(output.stdout.as_slice()).records().count();
    assert_eq!(rows, 3, "resources without meters get one row each");
}

#[test]
fn tables_have_no_colour_outside_a_terminal() {
    let input = path_arg(&fixture("inputs/usage-old.csv"));
    let output = csp_planner().args(["inventory", &input]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("vm-app-01"));
    assert!(
        stdout.contains("2 resources in 1 subscriptions, 1 classic; 4 usage rows read from 1 input(s)"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn usage_errors_exit_with_code_2() {
    let output = csp_planner().args(["inventory", "--format", "yaml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = csp_planner().args(["no-such-command"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn written_files_are_readable_by_others_like_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.json");
    let input = path_arg(&fixture("inputs/usage-old.csv"));
    csp_planner().args(["inventory", &input, "-o", &path_arg(&out)]).assert().success();
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
}

/// The `--format` values `COMMAND --help` lists (clap's short or long form).
fn help_formats(command: &[&str]) -> Vec<String> {
    let output = csp_planner().args(command).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    let section = help.split("--format <FORMAT>").nth(1).unwrap_or_else(|| panic!("{command:?}: no --format"));
    let section = section.split("-o, --output").next().unwrap();
    match section.split_once("[possible values: ") {
        Some((_, rest)) => rest.split(']').next().unwrap().split(", ").map(str::to_string).collect(),
        None => section
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(|l| l.split(':').next().unwrap().trim().to_string())
            .collect(),
    }
}

#[test]
fn each_command_offers_exactly_the_formats_it_writes() {
    let all = ["table", "json", "csv", "xlsx", "html"];
    for (command, formats) in [
        (&["inventory"][..], &["table", "json", "csv"][..]),
        (&["assess"], &all),
        (&["cost"], &all),
        (&["workloads"], &all),
        (&["capacity", "quick"], &all),
        (&["capacity", "detailed"], &all),
        (&["capacity", "change-rate"], &["table", "json"]),
        (&["plan"], &["table", "json", "dot", "mermaid", "xlsx", "html"]),
    ] {
        assert_eq!(help_formats(command), formats, "{command:?}");
    }
}

#[test]
fn a_format_the_command_does_not_write_is_refused_by_name_or_by_extension() {
    let output = csp_planner().args(["inventory", "--format", "xlsx"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid value 'xlsx' for '--format <FORMAT>'"), "{stderr}");
    assert!(stderr.contains("[possible values: table, json, csv]"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let out = path_arg(&dir.path().join("inventory.xlsx"));
    let stderr = inventory_fails(&["-o", &out]);
    assert_eq!(
        stderr,
        format!("error: -o {out}: inventory does not write .xlsx files; it writes table, json or csv\n")
    );
    let out = path_arg(&dir.path().join("rate.csv"));
    let stderr = command_fails("capacity", &["change-rate", "--total-storage-gb", "10", "--delta-gb", "1", "-o", &out]);
    assert!(stderr.contains("capacity change-rate does not write .csv files; it writes table or json"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
    // --templates is offered only where there is HTML to apply it to.
    let output = csp_planner().args(["inventory", "--templates", &path_arg(dir.path())]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
