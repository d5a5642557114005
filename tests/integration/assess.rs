//! `csp-planner assess`: the verdicts issue 3 asks for, on the bundled sample, on every type of
//! Microsoft's move-support list, and the output contract (JSON, CSV, table).

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use crate::support::*;

const TWO_STEP: &str = "ASM to CSP (two steps migration)";
const ONE_STEP: &str = "ARM to CSP (one step migration)";
const EXCLUDE: &str = "Exclude from migration";

fn resources(report: &Value) -> &Vec<Value> {
    report["resources"].as_array().unwrap()
}

fn first_code(resource: &Value) -> &str {
    resource["reasons"][0]["code"].as_str().unwrap()
}

/// Writes `resources` as an `az resource list -o json` array into `dir` and returns its path.
fn az_resource_list(dir: &tempfile::TempDir, resources: &[Value]) -> String {
    let path = dir.path().join("resources.json");
    std::fs::write(&path, serde_json::to_vec_pretty(resources).unwrap()).unwrap();
    path_arg(&path)
}

fn az_resource(subscription: &str, resource_type: &str, name: &str, sku: Option<&str>) -> Value {
    json!({
        "id": format!("/subscriptions/{subscription}/resourceGroups/rg/providers/{resource_type}/{name}"),
        "name": name,
        "type": resource_type,
        "resourceGroup": "rg",
        "location": "westeurope",
        "sku": sku.map(|name| json!({"name": name})),
    })
}

fn estate_alone() -> Value {
    assess_json(&[&path_arg(&repo_file("samples/estate.json"))])
}

// ------------------------------------------------------------------ the seed's sample rows

#[test]
fn the_seeds_sample_rows_are_classic_no_issues_with_the_two_step_approach() {
    let report = assess_json(&[]);
    // Lines 2–7 of samples/usage-ea-2017.csv quote the seed's assessment table, 002 L14849–L14854.
    let seed_rows: Vec<_> = readme_table("## Usage rows")
        .into_iter()
        .filter(|row| (2..=7).contains(&row["line"].parse::<u64>().unwrap()))
        .collect();
    assert_eq!(seed_rows.len(), 6);
    for row in seed_rows {
        let line: u64 = row["line"].parse().unwrap();
        let seed_line = format!("seed 002 L{}", 14847 + line);
        assert!(row["source / note"].starts_with(&seed_line), "line {line} cites {}", row["source / note"]);
        let id = &row["Instance ID"];
        let resource = resource(&report, id);
        assert_eq!(resource["sources"][0]["location"], format!("line {line}"), "{id}");
        assert_eq!(resource["deployment_model"], "classic", "{id} ({seed_line})");
        assert_eq!(resource["csp_status"], "NO ISSUES", "{id} ({seed_line})");
        assert_eq!(resource["suggested_approach"], TWO_STEP, "{id} ({seed_line})");
        assert_eq!(first_code(resource), "classic-upgrade-first", "{id} ({seed_line})");
    }
}

// ------------------------------------------------------------------ every type of move-support-resources.csv

#[test]
fn every_type_of_the_move_support_file_gets_a_verdict_with_a_source() {
    let Some(path) = shared_data("move-support-resources.csv") else { return };
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut seen = BTreeSet::new();
    let mut types = Vec::new();
    for record in reader.records() {
        // `Microsoft.Network/vpngateways(VirtualWAN)`: a resource's type is the part before the note.
        let cell = record.unwrap()[0].to_string();
        let resource_type = cell.split('(').next().unwrap().to_string();
        if seen.insert(resource_type.to_ascii_lowercase()) {
            types.push(resource_type);
        }
    }
    // 753 distinct cells; `Microsoft.Web/certificates(managed)` is a row of `Microsoft.Web/certificates`.
    assert_eq!(types.len(), 752, "distinct types (case-insensitive) of {}", path.display());

    let subscription = "11111111-2222-3333-4444-555555555555";
    let list: Vec<Value> = types
        .iter()
        .enumerate()
        .map(|(n, resource_type)| {
            json!({
                "id": format!("/subscriptions/{subscription}/resourceGroups/rg/providers/{resource_type}/r{n}"),
                "name": format!("r{n}"),
                "type": resource_type,
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let report = assess_json(&[&az_resource_list(&dir, &list)]);

    let assessed = resources(&report);
    assert_eq!(assessed.len(), 752);
    assert_eq!(report["summary"]["resources"], 752);
    assert_eq!(report["summary"]["needs_review"], 0, "no type of the move-support file is unknown");
    for resource in assessed {
        let resource_type = resource["type"].as_str().unwrap();
        assert!(
            ["NO ISSUES", "MODIFY", "BLOCKED"].contains(&resource["csp_status"].as_str().unwrap()),
            "{resource_type}: csp_status {}",
            resource["csp_status"]
        );
        let reasons = resource["reasons"].as_array().unwrap();
        assert!(!reasons.is_empty(), "{resource_type} has no reason");
        for reason in reasons {
            assert!(!reason["source"].as_str().unwrap().trim().is_empty(), "{resource_type}: a reason without source");
            // Every type here IS in the file (classic ones are judged by classic-upgrade.toml).
            assert_ne!(reason["code"], "unknown-type", "{resource_type} ({}) is unknown", resource["deployment_model"]);
        }
    }
    // The classic types of the file are judged as classic resources, by classic-upgrade.toml.
    let classic: Vec<&Value> = assessed.iter().filter(|r| r["deployment_model"] == "classic").collect();
    assert_eq!(
        classic.len(),
        assessed.iter().filter(|r| r["type"].as_str().unwrap().starts_with("Microsoft.Classic")).count()
    );
    for resource in classic {
        assert!(
            resource["reasons"][0]["rule"].as_str().unwrap().starts_with("rules/classic-upgrade.toml line "),
            "{}: {}",
            resource["type"],
            resource["reasons"][0]["rule"]
        );
    }
}

#[test]
fn conflicting_move_support_rows_use_the_more_restrictive_flags_and_cite_both_lines() {
    // Microsoft.Maintenance/maintenanceconfigurations is listed as 1,1 and as 0,0.
    if let Some(path) = shared_data("move-support-resources.csv") {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[402 - 1], "Microsoft.Maintenance/maintenanceconfigurations,1,1");
        assert_eq!(lines[405 - 1], "Microsoft.Maintenance/maintenanceconfigurations,0,0");
    }
    let dir = tempfile::tempdir().unwrap();
    let list = [az_resource(
        "11111111-2222-3333-4444-555555555555",
        "Microsoft.Maintenance/maintenanceconfigurations",
        "mc-patching",
        None,
    )];
    let report = assess_json(&[&az_resource_list(&dir, &list)]);
    let resource = resource(&report, "mc-patching");
    assert_eq!(resource["csp_status"], "BLOCKED");
    assert_eq!(resource["suggested_approach"], EXCLUDE);
    let reason = &resource["reasons"][0];
    assert_eq!(reason["code"], "cannot-move-subscription");
    let source = reason["source"].as_str().unwrap();
    assert!(source.contains("move-support-resources.csv, line 402, row "), "{source}");
    assert!(source.contains("move-support-resources.csv, line 405, row "), "{source}");
    assert_eq!(reason["rule"], "rules/move-support.csv line 402 and line 405");
}

// ------------------------------------------------------------------ samples/README.md

#[test]
fn every_sample_estate_resource_gets_the_verdict_the_readme_expects() {
    let report = estate_alone();
    let rows = readme_table("## Expected assessment per resource");
    assert_eq!(rows.len(), 62);
    assert_eq!(resources(&report).len(), 62);
    for row in rows {
        let name = &row["name"];
        let resource = by_subscription_and_name(&report, &row["subscription"], name);
        assert_eq!(resource["csp_status"], row["csp_status"].as_str(), "{name}");
        assert_eq!(resource["suggested_approach"], row["suggested_approach"].as_str(), "{name}");
        let needs_review = if resource["needs_review"].as_bool().unwrap() { "yes" } else { "no" };
        assert_eq!(needs_review, row["needs_review"], "{name}");
        let code = first_code(resource);
        match row["reason_code"].as_str() {
            "—" => assert!(["movable", "move-condition-met"].contains(&code), "{name}: first reason {code}"),
            expected => assert_eq!(code, expected, "{name}"),
        }
    }
}

#[test]
fn the_sample_estate_shows_all_three_statuses_and_all_three_approaches() {
    let report = estate_alone();
    let statuses: BTreeSet<&str> = resources(&report).iter().map(|r| r["csp_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, BTreeSet::from(["BLOCKED", "MODIFY", "NO ISSUES"]));
    let approaches: BTreeSet<&str> =
        resources(&report).iter().map(|r| r["suggested_approach"].as_str().unwrap()).collect();
    assert_eq!(approaches, BTreeSet::from([TWO_STEP, ONE_STEP, EXCLUDE]));
}

#[test]
fn each_sample_subscription_has_the_readme_status_and_counts() {
    let report = estate_alone();
    let rows = readme_table("## Subscriptions");
    assert_eq!(rows.len(), 3);
    assert_eq!(report["subscriptions"].as_array().unwrap().len(), 3);
    for row in rows {
        let id = &row["subscription_id"];
        let subscription = report["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"].as_str().unwrap().eq_ignore_ascii_case(id))
            .unwrap_or_else(|| panic!("no subscription {id}"));
        assert_eq!(subscription["csp_status"], row["expected CSP status (worst of its resources)"].as_str(), "{id}");
        for key in ["resources", "no_issues", "modify", "blocked"] {
            assert_eq!(subscription[key], row[key].parse::<u64>().unwrap(), "{id} {key}");
        }
    }
}

#[test]
fn the_sample_estate_totals_match_the_readme() {
    let report = estate_alone();
    let rows = readme_table("**Totals for `assess` on `estate.json` alone:**");
    assert_eq!(rows.len(), 1);
    for (key, expected) in &rows[0] {
        assert_eq!(report["summary"][key], expected.parse::<u64>().unwrap(), "summary.{key}");
    }
}

#[test]
fn the_bundled_sample_names_its_subscriptions_as_the_readme_does() {
    // The subscription names come from the usage export; estate.json alone has none.
    let report = assess_json(&[]);
    for row in readme_table("## Subscriptions") {
        let subscription = report["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == row["subscription_id"].as_str())
            .unwrap_or_else(|| panic!("no subscription {}", row["subscription_id"]));
        assert_eq!(subscription["name"], row["name"].as_str());
        assert_eq!(subscription["csp_status"], row["expected CSP status (worst of its resources)"].as_str());
    }
}

// ------------------------------------------------------------------ output contract: JSON

#[test]
fn assess_json_has_the_documented_keys() {
    let report = assess_json(&[]);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "csp-planner");
    assert_eq!(report["inputs"].as_array().unwrap().len(), 2);
    for resource in resources(&report) {
        for key in ["id", "name", "type", "deployment_model", "meters", "sources"] {
            assert!(resource.get(key).is_some(), "inventory key {key} missing in {}", resource["id"]);
        }
        assert!(resource["csp_status"].is_string());
        assert!(resource["suggested_approach"].is_string());
        assert!(resource["needs_review"].is_boolean());
        for reason in resource["reasons"].as_array().unwrap() {
            for key in ["code", "message", "source"] {
                assert!(reason[key].is_string(), "reasons[].{key} of {}", resource["id"]);
            }
        }
    }
    for subscription in report["subscriptions"].as_array().unwrap() {
        assert!(subscription["id"].is_string());
        assert!(subscription.get("name").is_some());
        assert!(subscription["csp_status"].is_string());
        for key in ["resources", "no_issues", "modify", "blocked"] {
            assert!(subscription[key].is_u64(), "subscriptions[].{key}");
        }
    }
    for key in ["resources", "no_issues", "modify", "blocked", "classic", "needs_review"] {
        assert!(report["summary"][key].is_u64(), "summary.{key}");
    }
    for fired in report["rules"]["fired"].as_array().unwrap() {
        assert!(fired["code"].is_string() && fired["source"].is_string() && fired["count"].is_u64(), "{fired}");
    }
    assert!(report["rules"]["never_matched"].is_array());
}

#[test]
fn summary_counts_the_bundled_samples_verdicts() {
    let report = assess_json(&[]);
    let count = |f: &dyn Fn(&Value) -> bool| resources(&report).iter().filter(|r| f(r)).count() as u64;
    assert_eq!(report["summary"]["resources"], 73);
    assert_eq!(report["summary"]["classic"], 17);
    assert_eq!(report["summary"]["no_issues"], 63);
    assert_eq!(report["summary"]["modify"], 3);
    assert_eq!(report["summary"]["blocked"], 7);
    assert_eq!(report["summary"]["needs_review"], 1);
    assert_eq!(report["summary"]["no_issues"], count(&|r| r["csp_status"] == "NO ISSUES"));
    assert_eq!(report["summary"]["needs_review"], count(&|r| r["needs_review"] == true));
}

#[test]
fn rules_fired_count_every_reason_and_never_matched_lists_the_unused_entries() {
    let report = assess_json(&[]);
    let reasons: Vec<&Value> = resources(&report).iter().flat_map(|r| r["reasons"].as_array().unwrap()).collect();
    let fired = report["rules"]["fired"].as_array().unwrap();
    let total: u64 = fired.iter().map(|f| f["count"].as_u64().unwrap()).sum();
    assert_eq!(total, reasons.len() as u64);
    let fired_rules: BTreeSet<&str> = fired.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    let never_matched = report["rules"]["never_matched"].as_array().unwrap();
    assert!(!never_matched.is_empty());
    for entry in never_matched {
        let rule = entry["rule"].as_str().unwrap();
        assert!(
            rule.starts_with("rules/move-conditions.toml line ")
                || rule.starts_with("rules/classic-upgrade.toml line "),
            "{rule}"
        );
        assert!(!fired_rules.contains(rule), "{rule} both fired and never matched");
    }
    // The Standard-SKU load balancer condition decided lb-api alone, and is listed with its count.
    let rule = &resource(&report, "lb-api")["reasons"][0]["rule"];
    assert!(rule.as_str().unwrap().starts_with("rules/move-conditions.toml line "), "{rule}");
    let standard_lb = fired.iter().find(|f| &f["rule"] == rule).unwrap();
    assert_eq!(standard_lb["code"], "cannot-move-subscription");
    assert_eq!(standard_lb["count"], 1);
}

#[test]
fn a_subscription_status_is_the_worst_of_its_resources() {
    let (ready, modify, blocked) = (
        "aaaaaaaa-0000-0000-0000-000000000001",
        "aaaaaaaa-0000-0000-0000-000000000002",
        "aaaaaaaa-0000-0000-0000-000000000003",
    );
    let vm = "Microsoft.Compute/virtualMachines";
    let unknown = "Microsoft.Dashboard/grafana";
    let watcher = "Microsoft.Network/networkWatchers";
    let list = [
        az_resource(ready, vm, "vm-1", None),
        az_resource(modify, vm, "vm-2", None),
        az_resource(modify, unknown, "grafana-2", None),
        az_resource(blocked, vm, "vm-3", None),
        az_resource(blocked, unknown, "grafana-3", None),
        az_resource(blocked, watcher, "watcher-3", None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let report = assess_json(&[&az_resource_list(&dir, &list)]);
    let subscriptions: HashMap<&str, &Value> =
        report["subscriptions"].as_array().unwrap().iter().map(|s| (s["id"].as_str().unwrap(), s)).collect();
    let expect = |id: &str, status: &str, counts: [u64; 4]| {
        let subscription = subscriptions[id];
        assert_eq!(subscription["csp_status"], status, "{id}");
        let found = ["resources", "no_issues", "modify", "blocked"].map(|key| subscription[key].as_u64().unwrap());
        assert_eq!(found, counts, "{id}: resources, no_issues, modify, blocked");
    };
    expect(ready, "NO ISSUES", [1, 1, 0, 0]);
    expect(modify, "MODIFY", [2, 1, 1, 0]);
    expect(blocked, "BLOCKED", [3, 1, 1, 1]);
}

#[test]
fn every_bundled_sample_subscription_status_is_the_worst_of_its_resources() {
    let report = assess_json(&[]);
    let rank = |status: &str| ["NO ISSUES", "MODIFY", "BLOCKED"].iter().position(|s| *s == status).unwrap();
    for subscription in report["subscriptions"].as_array().unwrap() {
        let id = subscription["id"].as_str().unwrap();
        let members: Vec<&Value> = resources(&report)
            .iter()
            .filter(|r| r["subscription_id"].as_str().unwrap().eq_ignore_ascii_case(id))
            .collect();
        assert_eq!(subscription["resources"], members.len() as u64, "{id}");
        let worst = members.iter().map(|r| r["csp_status"].as_str().unwrap()).max_by_key(|s| rank(s)).unwrap();
        assert_eq!(subscription["csp_status"], worst, "{id}");
    }
}

#[test]
fn a_resource_with_a_standard_sku_is_judged_by_its_condition() {
    let subscription = "bbbbbbbb-0000-0000-0000-000000000001";
    let lb = "Microsoft.Network/loadBalancers";
    let list = [
        az_resource(subscription, lb, "lb-standard", Some("Standard")),
        az_resource(subscription, lb, "lb-basic", Some("Basic")),
        az_resource(subscription, lb, "lb-no-sku", None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let report = assess_json(&[&az_resource_list(&dir, &list)]);
    let verdict = |name: &str| {
        let r = resource(&report, name);
        (r["csp_status"].as_str().unwrap().to_string(), first_code(r).to_string())
    };
    assert_eq!(verdict("lb-standard"), ("BLOCKED".into(), "cannot-move-subscription".into()));
    assert_eq!(verdict("lb-basic"), ("NO ISSUES".into(), "move-condition-met".into()));
    assert_eq!(verdict("lb-no-sku"), ("MODIFY".into(), "move-condition".into()));
}

// ------------------------------------------------------------------ output contract: CSV and table

fn assess_csv(args: &[&str]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let output = csp_planner().arg("assess").args(args).args(["--format", "csv"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    (header, reader.records().map(Result::unwrap).collect())
}

#[test]
fn csv_starts_with_the_seeds_report_columns_then_reasons() {
    let (header, _) = assess_csv(&[]);
    let first: Vec<&str> = header.iter().take(10).collect();
    assert_eq!(
        first.join(","),
        "Resource Group,Resource ID,Resource Name,Consumed Service,Meter Category,Meter Sub-Category,Meter Name,CSP Status,Suggested Approach,Reasons"
    );
}

#[test]
fn csv_has_one_row_per_resource_and_meter() {
    let report = assess_json(&[]);
    let expected: usize = resources(&report).iter().map(|r| r["meters"].as_array().unwrap().len().max(1)).sum();
    let (header, rows) = assess_csv(&[]);
    assert_eq!(rows.len(), expected);
    // Each row carries its resource's verdict.
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let lb_api: Vec<_> = rows.iter().filter(|row| &row[column("Resource Name")] == "lb-api").collect();
    assert_eq!(lb_api.len(), 1);
    assert_eq!(&lb_api[0][column("CSP Status")], "BLOCKED");
    assert_eq!(&lb_api[0][column("Suggested Approach")], EXCLUDE);
    assert!(lb_api[0][column("Reasons")].starts_with("cannot-move-subscription: "));
}

#[test]
fn csv_neutralises_formulas_in_customer_text() {
    let (header, rows) = assess_csv(&[&path_arg(&fixture("inputs/portal-formulas.csv"))]);
    assert_eq!(rows.len(), 1);
    let cell = |name: &str| rows[0][header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("Resource Name"), "'=1+2");
    assert_eq!(cell("Resource Group"), "'@SUM(A1)");
    assert_eq!(cell("Subscription Name"), "'-Contoso");
    assert_eq!(cell("CSP Status"), "NO ISSUES");
}

#[test]
fn the_table_shows_each_subscriptions_status_word() {
    let output = csp_planner().arg("assess").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "escape codes in piped output");
    for (id, name, status) in [
        ("60e5990f-d7cd-4894-b095-bded8682484b", "Dev", "MODIFY"),
        ("2b8f4c61-93d7-4e0a-a5c2-7f1d6e9b3a48", "Contoso Production", "BLOCKED"),
        ("d41e7a93-6c25-4b8f-9e07-3a5c8f2b1d64", "Contoso Shared Services", "BLOCKED"),
    ] {
        let line = stdout.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("no row for {id}:\n{stdout}"));
        assert!(line.contains(name), "{line}");
        assert!(line.contains(status), "{line}");
    }
    assert!(stdout.contains("73 resources: 63 NO ISSUES, 3 MODIFY, 7 BLOCKED; 17 classic, 1 need review"), "{stdout}");
}

/// Large assessments render their resources array on two threads (more than 4,096 resources): the
/// JSON must be the same document, complete and in order.
#[test]
fn a_large_assessment_is_one_complete_json_document_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let disks: Vec<Value> = (0..5000)
        .map(|n| {
            az_resource(
                "11111111-2222-3333-4444-555555555555",
                "Microsoft.Compute/disks",
                &format!("disk-{n:05}"),
                None,
            )
        })
        .collect();
    let path = az_resource_list(&dir, &disks);
    let output = csp_planner().args(["assess", &path, "--format", "json"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = resources(&report).iter().map(|r| r["name"].as_str().unwrap()).collect();
    let expected: Vec<String> = (0..5000).map(|n| format!("disk-{n:05}")).collect();
    assert_eq!(names, expected);
    assert_eq!(report["summary"]["resources"], 5000);
    assert!(text.ends_with("}\n") && text.lines().all(|l| (l.len() - l.trim_start().len()) % 2 == 0));
}
