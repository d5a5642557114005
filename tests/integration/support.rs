//! Running the binary and reading what it printed.

use std::collections::HashMap;
use std::path::PathBuf;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

pub fn csp_planner() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csp-planner"));
    command.env_remove("NO_COLOR");
    command
}

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

pub fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A file of `../shared/data`. It sits beside the repository on every machine this project is
/// built on; CI must never skip a test for lack of it, so a missing file fails when `CI` is set.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    shared_file("data", name)
}

/// A seed file of `../shared/seeds`, under the same rule as [`shared_data`].
pub fn shared_seed(name: &str) -> Option<PathBuf> {
    shared_file("seeds", name)
}

fn shared_file(folder: &str, name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(folder).join(name);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing, and CI is set: the shared data must be present", path.display());
    }
    eprintln!("skipped: {} is missing (../shared is not beside this checkout)", path.display());
    None
}

/// Runs `inventory ARGS --format json`, asserts success, and returns the parsed JSON.
pub fn inventory_json(args: &[&str]) -> Value {
    let output = csp_planner().arg("inventory").args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "inventory {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs `assess ARGS --format json`, asserts success, and returns the parsed JSON.
pub fn assess_json(args: &[&str]) -> Value {
    let output = csp_planner().arg("assess").args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "assess {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs `inventory ARGS`, asserts exit code 2 (bad input) and no panic, and returns stderr.
pub fn inventory_fails(args: &[&str]) -> String {
    command_fails("inventory", args)
}

/// Runs `COMMAND ARGS`, asserts exit code 2 (bad input or usage) and no panic, and returns stderr.
pub fn command_fails(command: &str, args: &[&str]) -> String {
    let output = csp_planner().arg(command).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "expected exit code 2 for {command} {args:?}, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Runs `report ARGS --out-dir DIR` with SOURCE_DATE_EPOCH=0 (a fixed date on the page), asserts success and no
/// panic, and returns stdout.
pub fn run_report(args: &[&str], dir: &std::path::Path) -> String {
    let output = csp_planner()
        .env("SOURCE_DATE_EPOCH", "0")
        .arg("report")
        .args(args)
        .args(["--out-dir", &path_arg(dir)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "report {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

pub fn path_arg(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// The resource whose name is `name` (the first one, in the output's order).
pub fn resource<'a>(inventory: &'a Value, name: &str) -> &'a Value {
    inventory["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no resource named {name}"))
}

pub fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap_or_else(|| panic!("{value} is not a decimal string")).parse().unwrap()
}

/// Every warning message of every input, for `contains` checks.
pub fn warnings(inventory: &Value) -> Vec<String> {
    inventory["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|input| input["warnings"].as_array().unwrap().iter())
        .map(|w| format!("{}: {}", w["location"].as_str().unwrap(), w["message"].as_str().unwrap()))
        .collect()
}

/// The rows of the Markdown table that follows `heading` in samples/README.md, as column → cell.
pub fn readme_table(heading: &str) -> Vec<HashMap<String, String>> {
    let readme = std::fs::read_to_string(repo_file("samples/README.md")).unwrap();
    let section = readme.split(heading).nth(1).unwrap_or_else(|| panic!("no section {heading}"));
    let mut lines = section.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|'));
    let split = |line: &str| line.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let header = split(lines.next().unwrap());
    lines.skip(1).map(|line| header.iter().cloned().zip(split(line)).collect()).collect()
}

/// The resource named `name` in `subscription` (compared case-insensitively): names are unique only
/// within a subscription (`NetworkWatcher_westeurope`).
pub fn by_subscription_and_name<'a>(report: &'a Value, subscription: &str, name: &str) -> &'a Value {
    let mut found = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == name && r["subscription_id"].as_str().unwrap().eq_ignore_ascii_case(subscription));
    let resource = found.next().unwrap_or_else(|| panic!("no resource {name} in subscription {subscription}"));
    assert!(found.next().is_none(), "two resources named {name} in subscription {subscription}");
    resource
}

/// Compares `actual` with the expected output in the file `tests/fixtures/EXPECTED` (git-cliff's fixtures: the
/// expected text beside its case, not inline). On a mismatch it fails with a line diff; with `UPDATE_EXPECTED=1`
/// it rewrites the file instead (review the change with `git diff`). A path that varies from run to run is masked
/// by the caller first (`<INPUT>`).
pub fn assert_matches_file(actual: &str, expected: &str) {
    let path = fixture(expected);
    if std::env::var_os("UPDATE_EXPECTED").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let wanted = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECTED=1 writes it)", path.display()));
    if actual != wanted {
        panic!(
            "the output differs from {} (- expected, + actual; UPDATE_EXPECTED=1 rewrites the file):\n{}",
            path.display(),
            line_diff(&wanted, actual)
        );
    }
}

/// The lines of `expected` and `actual` in order, the ones only in one of them marked `-` or `+` (a longest common
/// subsequence of lines; the outputs compared are small). A last line without an end of line is marked so.
fn line_diff(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) =
        (expected.split_inclusive('\n').collect(), actual.split_inclusive('\n').collect());
    // common[i][j]: the longest common subsequence of old[i..] and new[j..].
    let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] =
                if old[i] == new[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let show = |mark: char, line: &str| match line.strip_suffix('\n') {
        Some(line) => format!("{mark} {line}\n"),
        None => format!("{mark} {line}⏎ (no end of line)\n"),
    };
    let (mut i, mut j, mut diff) = (0, 0, String::new());
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            diff += &show(' ', old[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
            diff += &show('-', old[i]);
            i += 1;
        } else {
            diff += &show('+', new[j]);
            j += 1;
        }
    }
    diff
}

/// `value` as the expected files hold JSON: pretty-printed, with an end of line.
pub fn pretty_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

/// A command's JSON document as report.json holds it under its key: without its own top-level `sources`
/// (report.json lists the sources of all its parts once), after checking that `parent`'s `sources` has every
/// entry the part's list names, identically.
pub fn as_part_of(parent: &Value, mut document: Value) -> Value {
    let own = document.as_object_mut().and_then(|d| d.remove("sources")).expect("every JSON document has `sources`");
    for (key, entry) in own.as_object().unwrap() {
        assert_eq!(&parent["sources"][key], entry, "report.json's sources list {key} as the part does");
    }
    document
}
