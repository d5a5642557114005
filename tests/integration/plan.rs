//! `csp-planner plan`: batches, statuses, blockers and remediation steps (issue 5), on the plan fixtures
//! (tests/fixtures/plan/README.md) and the sample estate (samples/README.md, "Expected move batches").

use serde_json::Value;

use crate::support::{csp_planner, fixture, path_arg, readme_table, repo_file};

/// Runs `plan ARGS --format json`, asserts success, and returns the parsed JSON and stderr.
fn plan_json(args: &[&str]) -> (Value, String) {
    let output = csp_planner().arg("plan").args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "plan {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

fn plan_fixture(name: &str) -> (Value, String) {
    plan_json(&[&path_arg(&fixture(&format!("plan/{name}")))])
}

fn batches(plan: &Value) -> &Vec<Value> {
    plan["batches"].as_array().unwrap()
}

/// The last segment of a resource ID.
fn name(id: &Value) -> String {
    id.as_str().unwrap().rsplit('/').next().unwrap().to_string()
}

/// The sorted member names of a batch.
fn members(batch: &Value) -> Vec<String> {
    let mut names: Vec<String> = batch["resources"].as_array().unwrap().iter().map(name).collect();
    names.sort();
    names
}

/// The batch holding the resource named `member` (in `subscription`, when given).
fn batch_of<'a>(plan: &'a Value, member: &str) -> &'a Value {
    batches(plan)
        .iter()
        .find(|b| b["resources"].as_array().unwrap().iter().any(|id| name(id) == member))
        .unwrap_or_else(|| panic!("{member} is in no batch"))
}

/// Each remediation step's action and the sorted names of its resources.
fn steps(batch: &Value) -> Vec<(&str, Vec<String>)> {
    batch["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut names: Vec<String> = s["resources"].as_array().unwrap().iter().map(name).collect();
            names.sort();
            (s["action"].as_str().unwrap(), names)
        })
        .collect()
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    names.sort();
    names
}

#[test]
fn plan_the_seed_example_is_one_ready_batch() {
    let (plan, stderr) = plan_fixture("seed-example.json");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(plan["schema_version"], 1);
    assert_eq!(plan["tool"]["name"], "csp-planner");
    let all = batches(&plan);
    assert_eq!(all.len(), 1);
    let batch = &all[0];
    assert_eq!(batch["status"], "ready");
    assert_eq!(
        members(batch),
        sorted(&[
            "UbuntuVM01",
            "ubuntuvm01133",
            "UbuntuVM01-nsg",
            "UbuntuVM01-ip",
            "vNet001",
            "diagstorageaccount0118"
        ])
    );
    assert!(batch["resource_group"].as_str().unwrap().eq_ignore_ascii_case("EAResourceGroup"));
    assert_eq!(batch["resource_groups"].as_array().unwrap().len(), 1);
    assert_eq!(batch["locations"], serde_json::json!(["westeurope"]));
    assert_eq!(batch["blockers"], serde_json::json!([]));
    assert_eq!(batch["remediation"], serde_json::json!([]));
    assert_eq!(plan["external_dependencies"], serde_json::json!([]));
    assert_eq!(
        plan["summary"],
        serde_json::json!({"batches": 1, "ready": 1, "needs_remediation": 0, "blocked": 0, "resources": 6})
    );
    // The edges the fixture README names, at least.
    let edges: Vec<(String, String, bool)> = plan["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (name(&e["from"]), name(&e["to"]), e["must_move_together"].as_bool().unwrap()))
        .collect();
    for (from, to) in [
        ("UbuntuVM01", "ubuntuvm01133"),
        ("UbuntuVM01", "diagstorageaccount0118"),
        ("ubuntuvm01133", "vNet001"),
        ("ubuntuvm01133", "UbuntuVM01-nsg"),
        ("ubuntuvm01133", "UbuntuVM01-ip"),
    ] {
        assert!(edges.iter().any(|e| e.0 == from && e.1 == to), "{from} → {to} missing: {edges:?}");
    }
    let keys: Vec<&String> = plan.as_object().unwrap().keys().collect();
    for key in ["schema_version", "tool", "inputs", "batches", "edges", "external_dependencies", "summary"] {
        assert!(keys.iter().any(|k| *k == key), "{key} missing: {keys:?}");
    }
    let batch_keys: Vec<&String> = batch.as_object().unwrap().keys().collect();
    for key in [
        "id",
        "subscription_id",
        "resource_group",
        "resource_groups",
        "locations",
        "status",
        "resources",
        "blockers",
        "remediation",
    ] {
        assert!(batch_keys.iter().any(|k| *k == key), "{key} missing: {batch_keys:?}");
    }
}

#[test]
fn plan_the_seed_example_with_a_managed_disk_is_one_ready_batch_of_seven() {
    let (plan, _) = plan_fixture("seed-example-managed-disk.json");
    let all = batches(&plan);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "ready");
    assert_eq!(all[0]["resources"].as_array().unwrap().len(), 7);
    assert_eq!(all[0]["resource_groups"].as_array().unwrap().len(), 1);
    assert_eq!(all[0]["locations"].as_array().unwrap().len(), 1);
    assert_eq!(plan["summary"]["resources"], 7);
}

#[test]
fn plan_reports_an_external_dependency_by_name() {
    let (plan, _) = plan_fixture("external.json");
    let external = plan["external_dependencies"].as_array().unwrap();
    assert_eq!(external.len(), 1, "{external:?}");
    assert_eq!(name(&external[0]["from"]), "app01-nic");
    let to = external[0]["to"].as_str().unwrap().to_ascii_lowercase();
    assert!(to.contains("/virtualnetworks/vnet-hub"), "{to}");
    assert!(!external[0]["kind"].as_str().unwrap().is_empty());
    let all = batches(&plan);
    assert_eq!(all.len(), 1);
    assert_eq!(members(&all[0]), ["app01-nic"]);
}

#[test]
fn plan_cycles_and_self_references_give_three_ready_batches() {
    let (plan, _) = plan_fixture("cycle.json");
    let all = batches(&plan);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|b| b["status"] == "ready"));
    let mut groups: Vec<Vec<String>> = all.iter().map(members).collect();
    groups.sort();
    let mut expected = vec![
        sorted(&["vm-cycle01", "vm-cycle01-nic", "vm-cycle01-nsg", "cyclevhds01"]),
        sorted(&["vnet-self"]),
        sorted(&["nic-selfref"]),
    ];
    expected.sort();
    assert_eq!(groups, expected);
    assert_eq!(plan["external_dependencies"], serde_json::json!([]));
    assert_eq!(plan["summary"]["resources"], 6);
}

#[test]
fn plan_without_properties_warns_and_gives_a_batch_per_resource() {
    let (plan, stderr) = plan_fixture("no-properties.json");
    assert!(stderr.contains("no dependency data was available"), "{stderr}");
    let warnings = plan["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["message"].as_str().unwrap().contains("no dependency data was available")));
    let all = batches(&plan);
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|b| b["status"] == "ready" && b["resources"].as_array().unwrap().len() == 1));
    assert_eq!(plan["edges"], serde_json::json!([]));
    assert_eq!(plan["external_dependencies"], serde_json::json!([]));
}

/// samples/README.md "Expected move batches": compare by membership (the tool numbers batches its own way).
#[test]
fn plan_the_sample_estate_gives_the_expected_batches_and_statuses() {
    let (plan, _) = plan_json(&[&path_arg(&repo_file("samples/estate.json"))]);
    assert_eq!(
        plan["summary"],
        serde_json::json!({"batches": 16, "ready": 5, "needs_remediation": 6, "blocked": 5, "resources": 62})
    );
    // A representative member of each README row, in the README's order (B01…B16).
    let representatives = [
        "erp-app01",
        "vm-dev-build01",
        "grafana-dev-observability",
        "vm-app-01",
        "vm-api-01",
        "app-contoso-portal",
        "sql-contoso-prd",
        "kv-contoso-prd",
        "privatelink.database.windows.net",
        "",
        "vpngw-shared-weu",
        "log-contoso-shd",
        "aa-contoso-shd",
        "rsv-contoso-weu",
        "AzureBackup_vm-shd-dc01_137306158492813",
        "",
    ];
    let rows = readme_table("## Expected move batches");
    assert_eq!(rows.len(), 16);
    for (row, member) in rows.iter().zip(representatives) {
        let batch = if member.is_empty() {
            // The two Network Watchers: one per subscription.
            batches(&plan)
                .iter()
                .find(|b| {
                    b["subscription_id"].as_str().unwrap().eq_ignore_ascii_case(&row["subscription"])
                        && members(b) == ["NetworkWatcher_westeurope"]
                })
                .unwrap_or_else(|| panic!("no Network Watcher batch in {}", row["subscription"]))
        } else {
            batch_of(&plan, member)
        };
        let label = &row["batch"];
        assert_eq!(batch["status"], row["status"].as_str(), "{label} ({member})");
        assert!(
            batch["subscription_id"].as_str().unwrap().eq_ignore_ascii_case(&row["subscription"]),
            "{label} subscription"
        );
        assert_eq!(batch["resources"].as_array().unwrap().len().to_string(), row["members"], "{label} members");
        assert_eq!(batch["resource_group"].as_str().unwrap().to_ascii_lowercase(), row["resource_group"], "{label}");
        let groups: Vec<String> = batch["resource_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_ascii_lowercase())
            .collect();
        let mut expected: Vec<String> = row["resource_groups (today)"].split(", ").map(str::to_string).collect();
        expected.sort();
        assert_eq!(groups, expected, "{label} resource_groups");
        let locations: Vec<&str> = batch["locations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert_eq!(locations.join(", "), row["locations"], "{label} locations");
    }
    // Full membership of the multi-resource batches (as src/plan/batches.rs checks on the library).
    assert_eq!(
        members(batch_of(&plan, "erp-app01")),
        sorted(&[
            "contoso-erp-legacy",
            "erp-app01",
            "erp-sql01",
            "erp-classic-vnet",
            "erp-legacy-vip",
            "contosoerplegacystor"
        ])
    );
    assert_eq!(
        members(batch_of(&plan, "vm-dev-build01")),
        sorted(&[
            "vm-dev-build01",
            "vm-dev-build01-nic01",
            "pip-dev-build01",
            "vnet-dev",
            "nsg-dev-build",
            "contosodevvhds01"
        ])
    );
    assert_eq!(
        members(batch_of(&plan, "asp-contoso-web")),
        sorted(&["asp-contoso-web", "app-contoso-portal", "app-contoso-b2b"])
    );
}

#[test]
fn plan_the_cross_resource_group_batch_needs_a_consolidation_step() {
    let (plan, _) = plan_json(&[&path_arg(&repo_file("samples/estate.json"))]);
    let batch = batch_of(&plan, "vm-dev-build01");
    assert_eq!(batch["status"], "needs-remediation");
    assert_eq!(batch["resource_group"], "rg-dev-test");
    let step = &batch["remediation"][0];
    assert_eq!(step["order"], 1);
    assert_eq!(step["action"], "consolidate-resource-group");
    assert_eq!(steps(batch)[0].1, ["contosodevvhds01"]);
    assert_eq!(step["from"], "rg-dev-storage");
    assert_eq!(step["to"], "rg-dev-test");
    // It says why: the group already holds most of the batch.
    let reason = step["reason"].as_str().unwrap();
    assert!(reason.contains("already holds 5 of the 6"), "{reason}");
    assert!(step["source"].as_str().unwrap().contains("L15044"));
}

#[test]
fn plan_the_other_region_storage_account_moves_before_the_batch() {
    let (plan, _) = plan_json(&[
        &path_arg(&repo_file("samples/estate.json")),
        "--target-subscription",
        "00000000-0000-0000-0000-00000000c5b0",
        "--target-resource-group",
        "rg-csp-app",
    ]);
    assert_eq!(plan["target"]["resource_group"], "rg-csp-app");
    let batch = batch_of(&plan, "vm-app-01");
    assert_eq!(batch["status"], "needs-remediation");
    assert_eq!(batch["resource_group"], "rg-app");
    let all = steps(batch);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0], ("move-storage-separately", vec!["contosoprddiag01".to_string()]));
    let step = &batch["remediation"][0];
    assert_eq!(step["to"], "rg-csp-app");
    let reason = step["reason"].as_str().unwrap();
    assert!(reason.contains("before the batch") && reason.contains("either order"), "{reason}");
    assert!(reason.contains("northeurope") && reason.contains("westeurope"), "{reason}");
    assert!(step["source"].as_str().unwrap().contains("L15161"));
}

#[test]
fn plan_the_classic_batch_upgrades_and_removes_secrets_first() {
    let (plan, _) = plan_json(&[&path_arg(&repo_file("samples/estate.json"))]);
    let batch = batch_of(&plan, "erp-app01");
    assert_eq!(batch["status"], "needs-remediation");
    assert_eq!(batch["resource_group"], "contoso-erp-legacy-migrated");
    let all = steps(batch);
    let actions: Vec<&str> = all.iter().map(|(action, _)| *action).collect();
    assert_eq!(actions, ["upgrade-classic", "remove-secrets-dependency", "consolidate-resource-group"]);
    assert_eq!(all[0].1.len(), 6);
    assert_eq!(all[1].1, sorted(&["erp-app01", "erp-sql01"]));
    let upgrade = batch["remediation"][0]["reason"].as_str().unwrap();
    for group in ["contoso-erp-legacy-migrated", "erp-classic-vnet-migrated", "contosoerplegacystor-migrated"] {
        assert!(upgrade.contains(group), "{group} not in {upgrade}");
    }
    assert!(batch["remediation"][0]["source"].as_str().unwrap().contains("L14957"));
    assert!(batch["remediation"][1]["source"].as_str().unwrap().contains("L15016"));
    let consolidate = &batch["remediation"][2];
    assert_eq!(consolidate["to"], "contoso-erp-legacy-migrated");
    assert_eq!(all[2].1, sorted(&["erp-classic-vnet", "contosoerplegacystor"]));
}

#[test]
fn plan_unmovable_resources_block_their_batches_by_name() {
    let (plan, _) = plan_json(&[&path_arg(&repo_file("samples/estate.json"))]);
    let blockers = |member: &str| -> Vec<(String, String)> {
        let batch = batch_of(&plan, member);
        assert_eq!(batch["status"], "blocked", "{member}");
        let mut found: Vec<(String, String)> = batch["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                assert!(!b["message"].as_str().unwrap().is_empty());
                (name(&b["resource"]), b["code"].as_str().unwrap().to_string())
            })
            .collect();
        found.sort();
        found
    };
    let cannot = "cannot-move-subscription".to_string();
    assert_eq!(
        blockers("vm-api-01"),
        [("lb-api".to_string(), cannot.clone()), ("pip-lb-api".to_string(), cannot.clone())]
    );
    assert_eq!(
        blockers("vm-shd-dc01"),
        [("pip-vpngw-shared-weu".to_string(), cannot.clone()), ("vpngw-shared-weu".to_string(), cannot.clone())]
    );
    assert_eq!(
        blockers("AzureBackup_vm-shd-dc01_137306158492813"),
        [("AzureBackup_vm-shd-dc01_137306158492813".to_string(), cannot.clone())]
    );
    // The workaround is in the message.
    let batch = batch_of(&plan, "vm-api-01");
    assert!(batch["blockers"][0]["message"].as_str().unwrap().to_lowercase().contains("standard sku"));
    // MODIFY members are resolved with the assessment's message.
    let kv = batch_of(&plan, "kv-contoso-prd");
    assert_eq!(kv["status"], "needs-remediation");
    assert_eq!(kv["remediation"][0]["action"], "resolve");
    assert!(kv["remediation"][0]["reason"].as_str().unwrap().starts_with("resolve: "));
}

#[test]
fn plan_the_bundled_sample_renders_a_table_with_the_summary() {
    let output = csp_planner().arg("plan").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for word in ["Batch", "Status", "needs-remediation", "blocked", "ready", "consolidate-resource-group"] {
        assert!(stdout.contains(word), "{word} missing:\n{stdout}");
    }
    assert!(stdout.contains(" batches: "), "{stdout}");
    // The bundled sample adds the usage rows: their usage-only resources carry no properties.
    assert!(stderr.contains("no dependency data was available for"), "{stderr}");
    let (plan, _) = plan_json(&[]);
    assert_eq!(plan["summary"]["resources"], 73);
    assert_eq!(plan["summary"]["blocked"], 5);
}

#[test]
fn plan_refuses_csv_output() {
    let output = csp_planner().args(["plan", "--format", "csv"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CSV is not available for plan"));
}
