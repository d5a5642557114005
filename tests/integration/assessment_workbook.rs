//! `assessment.xlsx` (issue 7): `assess`, `plan` and `cost` with `-o FILE.xlsx`, read back with calamine and
//! compared with the same command's JSON.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::support::*;

const RESOURCE_HEADER: &[&str] = &[
    "Resource Group",
    "Resource ID",
    "Resource Name",
    "Consumed Service",
    "Meter Category",
    "Meter Sub-Category",
    "Meter Name",
    "CSP Status",
    "Suggested Approach",
    "Reasons",
    "Type",
    "Subscription ID",
    "Subscription Name",
    "Location",
    "Deployment Model",
    "Needs Review",
    "Rule Sources",
];

/// Runs `COMMAND ARGS -o DIR/book.xlsx` and `COMMAND ARGS --format json`; returns the workbook and the JSON.
fn book_and_json(command: &str, args: &[&str]) -> (Xlsx<std::io::BufReader<std::fs::File>>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("book.xlsx");
    let output = csp_planner().arg(command).args(args).args(["-o", &path_arg(&out)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{command} {args:?} -o book.xlsx failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let book: Xlsx<_> = open_workbook(&out).unwrap();
    let output = csp_planner().arg(command).args(args).args(["--format", "json"]).output().unwrap();
    assert!(output.status.success());
    (book, serde_json::from_slice(&output.stdout).unwrap())
}

fn cells<R: std::io::Read + std::io::Seek>(book: &mut Xlsx<R>, sheet: &str) -> Vec<Vec<Data>> {
    book.worksheet_range(sheet).unwrap().rows().map(<[Data]>::to_vec).collect()
}

fn strings(row: &[Data]) -> Vec<String> {
    row.iter().map(|cell| cell.to_string()).collect()
}

fn column(header: &[Data], name: &str) -> usize {
    header.iter().position(|cell| *cell == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn number(value: &Value) -> f64 {
    value.as_str().unwrap().parse().unwrap()
}

/// The Resources sheet against the assessment JSON: exact header, one row per resource × meter, each status.
fn check_resources(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, json: &Value) {
    let rows = cells(book, "Resources");
    assert_eq!(strings(&rows[0]), RESOURCE_HEADER);
    let resources = json["resources"].as_array().unwrap();
    let expected: Vec<&str> = resources
        .iter()
        .flat_map(|r| {
            let meters = r["meters"].as_array().map_or(0, Vec::len).max(1);
            std::iter::repeat_n(r["csp_status"].as_str().unwrap(), meters)
        })
        .collect();
    assert_eq!(rows.len() - 1, expected.len(), "one row per resource × meter");
    let status: Vec<String> = rows[1..].iter().map(|r| r[7].to_string()).collect();
    assert_eq!(status, expected);
}

#[test]
fn assess_writes_summary_resources_and_rules() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (mut book, json) = book_and_json("assess", &[&estate]);
    assert_eq!(book.sheet_names(), ["Summary", "Resources", "Rules"]);
    check_resources(&mut book, &json);
    let rules = cells(&mut book, "Rules");
    assert_eq!(strings(&rules[0]), ["Rule", "Code", "Source", "Resources", "Matched"]);
    let fired = json["rules"]["fired"].as_array().unwrap().len();
    let never = json["rules"]["never_matched"].as_array().unwrap().len();
    assert_eq!(rules.len() - 1, fired + never);
    assert_eq!(rules[1][3], Data::Float(json["rules"]["fired"][0]["count"].as_f64().unwrap()));
}

#[test]
fn the_summary_has_each_subscriptions_status_word_and_counts() {
    let (mut book, json) = book_and_json("assess", &[]);
    check_resources(&mut book, &json);
    let summary = cells(&mut book, "Summary");
    let header = summary.iter().position(|r| r[0] == "Subscription").unwrap();
    assert_eq!(
        strings(&summary[header]),
        ["Subscription", "Subscription ID", "CSP Status", "Resources", "NO ISSUES", "MODIFY", "BLOCKED"]
    );
    for (k, subscription) in json["subscriptions"].as_array().unwrap().iter().enumerate() {
        let row = &summary[header + 1 + k];
        assert_eq!(row[1].to_string(), subscription["id"].as_str().unwrap_or("(no subscription)"));
        assert_eq!(row[2].to_string(), subscription["csp_status"].as_str().unwrap());
        assert_eq!(row[6], Data::Float(subscription["blocked"].as_f64().unwrap()));
    }
    let label = |name: &str| summary.iter().find(|r| r[0] == name).map(|r| r[1].clone());
    assert_eq!(label("Classic"), Some(Data::Float(json["summary"]["classic"].as_f64().unwrap())));
    assert_eq!(label("BLOCKED"), Some(Data::Float(json["summary"]["blocked"].as_f64().unwrap())));
}

#[test]
fn plan_writes_batches_and_remediation() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (mut book, json) = book_and_json("plan", &[&estate]);
    // `plan` has the assessment too: its Resources and Rules sheets come with the plan's.
    assert_eq!(book.sheet_names(), ["Summary", "Resources", "Move Batches", "Remediation", "Rules"]);
    let batches = cells(&mut book, "Move Batches");
    assert_eq!(
        strings(&batches[0]),
        [
            "Batch",
            "Subscription ID",
            "Resource Group (moves from)",
            "Resource Groups Today",
            "Locations",
            "Status",
            "Members",
            "Member Names",
            "Blockers"
        ]
    );
    let expected = json["batches"].as_array().unwrap();
    assert_eq!(batches.len() - 1, expected.len());
    for (row, batch) in batches[1..].iter().zip(expected) {
        assert_eq!(row[0].to_string(), batch["id"].as_str().unwrap());
        assert_eq!(row[5].to_string(), batch["status"].as_str().unwrap());
        assert_eq!(row[6], Data::Float(batch["resources"].as_array().unwrap().len() as f64));
    }
    let steps = cells(&mut book, "Remediation");
    assert_eq!(strings(&steps[0]), ["Batch", "Order", "Action", "Resources", "From", "To", "Reason", "Source"]);
    let total: usize = expected.iter().map(|b| b["remediation"].as_array().unwrap().len()).sum();
    assert!(total > 0, "the sample has remediation steps");
    assert_eq!(steps.len() - 1, total);
}

#[test]
fn cost_amounts_are_numbers_equal_to_the_json() {
    let usage = path_arg(&fixture("cost/seed-cost-table.csv"));
    let (mut book, json) = book_and_json("cost", &[&usage, "--discount", "15"]);
    assert_eq!(book.sheet_names(), ["Summary", "Cost"]);
    let rows = cells(&mut book, "Cost");
    assert!(rows[0][0].to_string().starts_with("Currency: "), "{:?}", rows[0]);
    let header = rows.iter().position(|r| r[0] == "Resource Group").unwrap();
    let seed = ["Resource Group", "Resource ID", "ConsumedService", "MeterName", "ConsumedQuantity", "EA Rate"];
    let seed_rest = [
        "EA Cost",
        "CSP Rate",
        "CSP Cost",
        "Cost Diff",
        "Subscription ID",
        "Meter ID",
        "List Rate",
        "Amortized Cost",
        "Notes",
    ];
    let expected_header: Vec<&str> = seed.into_iter().chain(seed_rest).collect();
    assert_eq!(strings(&rows[header]), expected_header);
    let json_rows = json["rows"].as_array().unwrap();
    assert_eq!(json_rows.len(), 6);
    let fields = [
        ("ConsumedQuantity", "consumed_quantity"),
        ("EA Rate", "ea_rate"),
        ("EA Cost", "ea_cost"),
        ("CSP Rate", "csp_rate"),
        ("CSP Cost", "csp_cost"),
        ("Cost Diff", "cost_diff"),
    ];
    for (k, expected) in json_rows.iter().enumerate() {
        let row = &rows[header + 1 + k];
        assert_eq!(row[1].to_string(), expected["resource_id"].as_str().unwrap());
        for (name, field) in fields {
            let Data::Float(value) = row[column(&rows[header], name)] else {
                panic!("{name} is not a number: {row:?}")
            };
            assert!((value - number(&expected[field])).abs() < 1e-9, "{name}: {value} vs {}", expected[field]);
        }
    }
    // The totals under the table.
    let total = rows.iter().find(|r| r[0] == "Total").unwrap();
    let Data::Float(ea) = total[1] else { panic!("{total:?}") };
    assert!((ea - number(&json["totals"]["ea_cost"])).abs() < 1e-9);
    let summary = cells(&mut book, "Summary");
    let cost_diff = summary.iter().find(|r| r[0] == "Cost Diff").unwrap();
    let Data::Float(diff) = cost_diff[1] else { panic!("{cost_diff:?}") };
    assert!((diff - number(&json["totals"]["cost_diff"])).abs() < 1e-9);
}

#[test]
fn customer_text_is_never_a_formula() {
    let input = path_arg(&fixture("workbook/formula-names.json"));
    let (mut book, _) = book_and_json("assess", &[&input]);
    let rows = cells(&mut book, "Resources");
    let names: Vec<Data> = rows[1..].iter().map(|r| r[2].clone()).collect();
    let expected = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"];
    for name in expected {
        assert!(names.contains(&Data::String(name.to_string())), "{name} not read back as a string: {names:?}");
    }
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula in {sheet}");
    }
}

fn names_in(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect()
}

#[test]
fn a_failed_run_leaves_no_workbook_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_arg(&dir.path().join("book.xlsx"));
    let bad = path_arg(&fixture("errors/malformed.json"));
    command_fails("assess", &[&bad, "-o", &out]);
    assert!(names_in(dir.path()).is_empty(), "{:?}", names_in(dir.path()));
}

#[test]
fn a_workbook_over_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("estate.xlsx");
    std::fs::copy(repo_file("samples/estate.json"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let stderr = command_fails("assess", &[&path_arg(&input), "-o", &path_arg(&input)]);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(names_in(dir.path()), ["estate.xlsx"]);
}
