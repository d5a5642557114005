//! Rules and planning found wrong on real files: move-support rows whose type carries a note in parentheses, child
//! resources billed without their parent, and the process-server split at 220 machines.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::*;

fn resources(report: &Value) -> &Vec<Value> {
    report["resources"].as_array().unwrap()
}

/// The rows of a move-support CSV as (line, cells), line 1 being the header.
fn csv_rows(path: &std::path::Path) -> Vec<(usize, Vec<String>)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().enumerate().map(|(i, r)| (i + 2, r.unwrap().iter().map(str::to_string).collect())).collect()
}

/// `Microsoft.Network/vpngateways(VirtualWAN)` → `Microsoft.Network/vpngateways`: what a resource's type is.
fn plain_type(cell: &str) -> &str {
    cell.split('(').next().unwrap().trim_end()
}

/// One `az resource list` entry per type, in subscription `sub`, written to `dir`; returns the file's path.
fn estate_of_types(dir: &tempfile::TempDir, types: &[String]) -> String {
    let list: Vec<Value> = types
        .iter()
        .enumerate()
        .map(|(n, resource_type)| {
            json!({
                "id": format!("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/{resource_type}/r{n}"),
                "name": format!("r{n}"),
                "type": resource_type,
            })
        })
        .collect();
    let path = dir.path().join("estate.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&list).unwrap()).unwrap();
    path_arg(&path)
}

// ------------------------------------------------------------------ 1. move-support rows with a note

#[test]
fn no_type_of_the_move_support_rules_is_unknown_to_the_assessment() {
    let rows = csv_rows(&repo_file("rules/move-support.csv"));
    let mut seen = BTreeSet::new();
    let types: Vec<String> = rows
        .iter()
        .map(|(_, cells)| plain_type(&cells[0]).to_string())
        .filter(|t| seen.insert(t.to_ascii_lowercase()))
        .collect();
    // python3 -c "import csv; r=list(csv.reader(open('rules/move-support.csv')))[1:]; print(len(r), len({c[0].split('(')[0].lower() for c in r}))"
    // → 757 752
    assert_eq!((rows.len(), types.len()), (757, 752));

    let dir = tempfile::tempdir().unwrap();
    let report = assess_json(&[&estate_of_types(&dir, &types)]);
    assert_eq!(report["summary"]["resources"], 752);
    assert_eq!(report["summary"]["needs_review"], 0, "no type of rules/move-support.csv is unknown");
    for resource in resources(&report) {
        let resource_type = resource["type"].as_str().unwrap();
        for reason in resource["reasons"].as_array().unwrap() {
            assert_ne!(reason["code"], "unknown-type", "{resource_type}: {}", reason["message"]);
        }
        assert_eq!(resource["needs_review"], false, "{resource_type}");
    }
    // The annotated rows' types are judged by those rows, and say so.
    for (line, cells) in rows.iter().filter(|(_, cells)| cells[0].contains('(')) {
        let judged = resources(&report)
            .iter()
            .find(|r| r["type"].as_str().unwrap().eq_ignore_ascii_case(plain_type(&cells[0])))
            .unwrap();
        let reason = &judged["reasons"][0];
        assert!(reason["rule"].as_str().unwrap().contains(&format!("line {line}")), "{cells:?}: {reason}");
        assert!(reason["message"].as_str().unwrap().contains(&format!("\"{}\"", cells[0])), "{cells:?}: {reason}");
    }
}

#[test]
fn the_move_support_rules_are_microsofts_file_row_for_row() {
    let Some(path) = shared_data("move-support-resources.csv") else { return };
    let published = csv_rows(&path);
    let rules = csv_rows(&repo_file("rules/move-support.csv"));
    // python3 -c "import csv; print(len(list(csv.reader(open('../shared/data/move-support-resources.csv'))))-1)" → 757
    assert_eq!(published.len(), 757);
    assert_eq!(rules.len(), published.len());
    for ((line, source), (_, rule)) in published.iter().zip(&rules) {
        assert_eq!(rule[..3], source[..3], "rules/move-support.csv line {line} differs from Microsoft's file");
        let cited = format!("move-support-csv: line {line}, row \"{}\"", source[0]);
        assert!(rule[3].starts_with(&cited), "line {line} cites {}", rule[3]);
    }
}

#[test]
fn every_form_of_note_in_microsofts_file_is_handled() {
    let Some(path) = shared_data("move-support-resources.csv") else { return };
    let published = csv_rows(&path);
    // A cell is `Namespace/type[/child…]` of letters, digits and dots, or that followed by one `(note)`.
    let plain = |t: &str| {
        t.split('/').count() >= 2
            && t.split('/').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
    };
    let mut forms = BTreeMap::new();
    for (line, cells) in &published {
        let cell = cells[0].as_str();
        if plain(cell) {
            continue;
        }
        let (resource_type, note) = cell.split_once('(').unwrap_or_else(|| panic!("line {line}: {cell}"));
        let note = note.strip_suffix(')').unwrap_or_else(|| panic!("line {line}: {cell} has text after its note"));
        assert!(plain(resource_type) && !note.contains(['(', ')']), "line {line}: {cell} is of another form");
        forms.insert(*line, (resource_type.to_string(), note.to_string(), cells[2].clone()));
    }
    // python3 -c "import csv; r=list(csv.reader(open('../shared/data/move-support-resources.csv'))); print([(i+1,c) for i,c in enumerate(r) if '(' in c[0]])"
    // → [(513, ['Microsoft.Network/vpngateways(VirtualWAN)', '0', '0']), (515, ['Microsoft.Network/vpnsites(VirtualWAN)', '0', '0']),
    //    (731, ['Microsoft.Web/certificates(managed)', '0', '0'])]
    let lines: Vec<usize> = forms.keys().copied().collect();
    assert_eq!(lines, [513, 515, 731]);
    // python3 -c "import csv; r=list(csv.reader(open('../shared/data/move-support-resources.csv'))); print([(i+1,c) for i,c in enumerate(r) if c[0].lower()=='microsoft.web/certificates'])"
    // → [(730, ['Microsoft.Web/certificates', '0', '1'])]: the only note beside a plain row of its type.
    let types: Vec<String> = forms.values().map(|(t, ..)| t.clone()).collect();
    let dir = tempfile::tempdir().unwrap();
    let report = assess_json(&[&estate_of_types(&dir, &types)]);
    for (line, (resource_type, note, subscription)) in &forms {
        let judged = resources(&report).iter().find(|r| r["type"] == resource_type.as_str()).unwrap();
        let reason = &judged["reasons"][0];
        let message = reason["message"].as_str().unwrap();
        assert!(message.contains(&format!("({note})")), "line {line}: the note is not shown: {message}");
        assert!(reason["source"].as_str().unwrap().contains(&format!("line {line}, ")), "line {line}: {reason}");
        assert_eq!(subscription, "0", "line {line}");
    }
}

#[test]
fn a_fixture_with_annotated_types_gets_their_rows_and_notes() {
    let report = assess_json(&[&path_arg(&fixture("planning/annotated-types.json"))]);
    let verdict = |name: &str| {
        let r = resource(&report, name);
        let reason = &r["reasons"][0];
        (r["csp_status"].as_str().unwrap(), reason["code"].as_str().unwrap(), reason["rule"].as_str().unwrap())
    };
    let message = |name: &str| resource(&report, name)["reasons"][0]["message"].as_str().unwrap().to_string();
    // rules/move-support.csv line 513: Microsoft.Network/vpngateways(VirtualWAN),0,0
    assert_eq!(verdict("vpngw-weu-hub"), ("BLOCKED", "cannot-move-subscription", "rules/move-support.csv line 513"));
    assert!(
        message("vpngw-weu-hub").contains("\"Microsoft.Network/vpngateways(VirtualWAN)\""),
        "{}",
        message("vpngw-weu-hub")
    );
    // A child type no row lists is judged by its parent's row, note included.
    assert_eq!(verdict("to-amsterdam"), ("BLOCKED", "cannot-move-subscription", "rules/move-support.csv line 513"));
    let child = message("to-amsterdam");
    assert!(child.contains("judged by its parent type") && child.contains("(VirtualWAN)"), "{child}");
    // line 515: Microsoft.Network/vpnsites(VirtualWAN),0,0
    assert_eq!(verdict("site-amsterdam"), ("BLOCKED", "cannot-move-subscription", "rules/move-support.csv line 515"));
    // line 730: Microsoft.Web/certificates,0,1 and line 731: Microsoft.Web/certificates(managed),0,0 — the type alone
    // does not say whether this certificate is the managed kind, so it is checked before the move.
    assert_eq!(
        verdict("www-contoso-com"),
        ("MODIFY", "move-support-variant", "rules/move-support.csv line 730 and line 731")
    );
    assert!(
        message("www-contoso-com").contains("\"Microsoft.Web/certificates(managed)\""),
        "{}",
        message("www-contoso-com")
    );
    assert_eq!(report["summary"]["needs_review"], 0);
}

// ------------------------------------------------------------------ 2. a child billed without its parent

const SUBSCRIPTION: &str = "7d3c9e21-4b8a-4f60-a1d2-5e9b0c3f8a47";

fn sql_id(path: &str) -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-data/providers/{path}")
}

/// The batch holding the resource `id`.
fn batch_of<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["batches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["resources"].as_array().unwrap().iter().any(|r| r == id))
        .unwrap_or_else(|| panic!("{id} is in no batch"))
}

/// The fixture bills four resources (its ResourceId column): database db1 of server srv1, which is not billed;
/// database sales with its server sql-prod; a storage account.
fn assert_the_orphan_database_waits_for_its_server(plan: &Value) {
    let orphan = sql_id("Microsoft.Sql/servers/srv1/databases/db1");
    let parent = sql_id("Microsoft.Sql/servers/srv1");
    let batch = batch_of(plan, &orphan);
    assert_eq!(batch["resources"].as_array().unwrap().len(), 1);
    assert_eq!(batch["status"], "needs-remediation", "{batch}");
    let steps = batch["remediation"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{batch}");
    assert_eq!(steps[0]["action"], "move-with-parent");
    assert_eq!(steps[0]["resources"], json!([orphan]));
    let reason = steps[0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("move it with its parent: db1 is a child resource of "), "{reason}");
    assert!(reason.contains(&format!("{parent}, which is not in the inventory")), "{reason}");
    let source = steps[0]["source"].as_str().unwrap();
    assert!(
        source.contains("https://learn.microsoft.com/azure/azure-resource-manager/management/move-support-resources")
    );
    // The database billed with its server moves with it: one ready batch.
    let with_server = batch_of(plan, &sql_id("Microsoft.Sql/servers/sql-prod/databases/sales"));
    assert_eq!(
        with_server["resources"],
        json!([sql_id("Microsoft.Sql/servers/sql-prod"), sql_id("Microsoft.Sql/servers/sql-prod/databases/sales")])
    );
    assert_eq!(with_server["status"], "ready");
    assert_eq!(
        plan["summary"],
        json!({"batches": 3, "ready": 2, "needs_remediation": 1, "blocked": 0, "resources": 4})
    );
    let external: Vec<&Value> = plan["external_dependencies"].as_array().unwrap().iter().collect();
    assert_eq!(external, [&json!({"from": orphan, "to": parent, "kind": "parent"})]);
}

#[test]
fn a_child_billed_without_its_parent_is_never_a_ready_batch_of_its_own() {
    let usage = path_arg(&fixture("planning/usage-orphan-database.csv"));
    let output = csp_planner().args(["plan", &usage, "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_the_orphan_database_waits_for_its_server(&plan);
}

#[test]
fn report_plans_the_orphan_child_with_its_parent_and_does_not_move_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_report(&[&path_arg(&fixture("planning/usage-orphan-database.csv"))], &out);
    let report: Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_the_orphan_database_waits_for_its_server(&report["plan"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("move it with its parent: db1 is a child resource of "), "report.html");
    // The runbook writes the lone database's move as comments: on its own it would fail.
    let runbook = std::fs::read_to_string(out.join(format!("runbooks/{SUBSCRIPTION}/runbook.sh"))).unwrap();
    let orphan = sql_id("Microsoft.Sql/servers/srv1/databases/db1");
    let lines: Vec<&str> = runbook.lines().filter(|l| l.contains(&format!("'{orphan}'"))).collect();
    assert!(!lines.is_empty(), "{runbook}");
    assert!(lines.iter().all(|l| l.trim_start().starts_with('#')), "{lines:#?}");
}

// ------------------------------------------------------------------ 3. process servers at 220 machines, 5 % change

/// (role, vCPUs, machines, GB/day) of every server of an option.
fn servers(option: &Value) -> Vec<(String, u64, u64, rust_decimal::Decimal)> {
    option
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let role = s["role"].as_str().unwrap().to_string();
            (role, s["vcpus"].as_u64().unwrap(), s["machines"].as_u64().unwrap(), decimal(&s["change_gb_per_day"]))
        })
        .collect()
}

#[test]
fn two_hundred_twenty_machines_at_five_percent_split_machines_with_their_change() {
    // 220 machines of one 350 GB disk, fully used, changing 5 % a day: 220 × 350 × 5 % = 3850 GB/day (3.85 TB);
    // after the default 30 % compression 3850 × 0.7 = 2695 GB/day cross the network, the figure the bands use.
    let args = ["--scenario", "vmware", "--vms", "220", "--disks-per-vm", "1", "--disk-size-gb", "350"];
    let output = csp_planner()
        .args(["capacity", "quick"])
        .args(args)
        .args(["--utilization", "100", "--change-rate", "5", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(decimal(&plan["data_changed_per_day_gb"]), "3850".parse().unwrap());
    assert_eq!(decimal(&plan["data_transferred_per_day_gb"]), "2695".parse().unwrap());
    let d = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();
    let ps = |vcpus, machines, change: &str| ("process server".to_string(), vcpus, machines, d(change));
    let cs = |vcpus, machines, change: &str| ("configuration server".to_string(), vcpus, machines, d(change));

    // Every machine changes 2695 / 220 = 12.25 GB/day. Scale-up: no single process server takes 220 machines and
    // 2695 GB (the largest row: 225 machines, 2048 GB), so servers of that row (12 vCPU / 24 GB), each holding
    // min(225, floor(2048 / 12.25 = 167.18)) = 167 machines: ceil(220 / 167) = 2 servers, filled in turn:
    // 167 machines × 12.25 = 2045.75 GB and the other 53 × 12.25 = 649.25 GB. Each comes with its 12 vCPU
    // configuration server, carrying the same load.
    let up = servers(&plan["sizing"]["scale_up"]);
    assert_eq!(up, [cs(12, 167, "2045.75"), cs(12, 53, "649.25"), ps(12, 167, "2045.75"), ps(12, 53, "649.25")]);
    assert_eq!(
        (plan["configuration_servers"].as_u64(), plan["additional_process_servers"].as_u64()),
        (Some(2), Some(2))
    );

    // Scale-out, from the rows below (4 vCPU: 85 machines, 250 GB; 8 vCPU: 150 machines, 1024 GB): a 4 vCPU server
    // holds min(85, floor(250 / 12.25 = 20.4)) = 20 machines, an 8 vCPU one min(150, floor(1024 / 12.25 = 83.6))
    // = 83; ceil(220 / 83) = 3 servers; 20 + 83 + 83 = 186 < 220, so three 8 vCPU servers (249 ≥ 220):
    // 83 × 12.25 = 1016.75 GB, 83 → 1016.75 GB, and the last 54 × 12.25 = 661.5 GB.
    let out = servers(&plan["sizing"]["scale_out"]);
    assert_eq!(
        out,
        [
            cs(8, 83, "1016.75"),
            cs(8, 83, "1016.75"),
            cs(8, 54, "661.5"),
            ps(8, 83, "1016.75"),
            ps(8, 83, "1016.75"),
            ps(8, 54, "661.5")
        ]
    );

    // No server carries change without machines, and each option's process servers sum to the totals.
    for option in [&up, &out] {
        assert!(option.iter().all(|(_, _, machines, change)| *machines > 0 && *change > d("0")), "{option:?}");
        let process: Vec<_> = option.iter().filter(|s| s.0 == "process server").collect();
        assert_eq!(process.iter().map(|s| s.2).sum::<u64>(), 220);
        assert_eq!(process.iter().map(|s| s.3).sum::<rust_decimal::Decimal>(), d("2695"));
    }
    // The notes say which figure the bands compare.
    let notes: Vec<&str> = plan["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        notes.contains(
            &"the daily change compared with the server bands is the data transferred per day, after compression: 2695 GB/day"
        ),
        "{notes:#?}"
    );
    assert!(notes.iter().any(|n| n.starts_with("machines and their change are split together")), "{notes:#?}");
}
