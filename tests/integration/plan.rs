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
    assert!(step["source"].as_str().unwrap().contains("first move all dependent resources to a single resource group"));
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
    assert!(step["source"].as_str().unwrap().contains("Storage account-location errors"));
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
    assert!(batch["remediation"][0]["source"].as_str().unwrap().contains("creates three resource groups"));
    assert!(batch["remediation"][1]["source"].as_str().unwrap().contains("Remove the secrets dependency"));
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
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("table, json, dot, mermaid"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.csv");
    let output = csp_planner().args(["plan", "-o", &path_arg(&target)]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".csv output is not available for this command"));
    assert!(!target.exists());
}

/// Runs `plan ARGS` and returns stdout as text (asserting success).
fn plan_text(args: &[&str]) -> String {
    let output = csp_planner().arg("plan").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "plan {args:?} failed: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// Whether an external program is on PATH; when CI is set, a missing one fails instead of skipping.
fn program_available(program: &str, why: &str) -> bool {
    let found = std::process::Command::new(program).arg("-V").output().is_ok();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is missing and CI is set ({why}): .ci/run installs it");
        eprintln!("skipped: {program} is not installed ({why})");
    }
    found
}

#[test]
fn plan_dot_draws_each_batch_as_a_cluster_coloured_by_status() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (plan, _) = plan_json(&[&estate]);
    let dot = plan_text(&[&estate, "--format", "dot"]);
    assert!(dot.starts_with("digraph plan {"), "{dot}");
    assert_eq!(dot.matches("subgraph cluster_").count(), batches(&plan).len());
    let resources = plan["summary"]["resources"].as_u64().unwrap() as usize;
    let node_lines =
        dot.lines().filter(|l| l.trim_start().starts_with('r') && l.contains(" [label=") && !l.contains(" -> "));
    assert_eq!(node_lines.count(), resources);
    let edges = plan["edges"].as_array().unwrap().len() + plan["external_dependencies"].as_array().unwrap().len();
    assert_eq!(dot.matches(" -> ").count(), edges);
    // Colour by status, and the status in words in every cluster title.
    let count = |status: &str| batches(&plan).iter().filter(|b| b["status"] == status).count();
    assert_eq!(dot.matches("fillcolor=\"#d4edda\"").count(), count("ready"));
    assert_eq!(dot.matches("fillcolor=\"#fff3cd\"").count(), count("needs-remediation"));
    assert_eq!(dot.matches("fillcolor=\"#f8d7da\"").count(), count("blocked"));
    assert!(dot.contains("· blocked ·") && dot.contains("· ready ·"));
    // External dependencies are dashed nodes outside the clusters.
    assert!(dot.contains("x0 [label=\"vnet-hub-weu\\nexternal virtualNetworks\", style=\"rounded,dashed\"];"), "{dot}");
    // -o FILE.dot picks the format from the extension.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.dot");
    plan_text(&[&estate, "-o", &path_arg(&file)]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), dot);
    if program_available("dot", "Graphviz parses the DOT output") {
        let svg = std::process::Command::new("dot").args(["-Tsvg", &path_arg(&file)]).output().unwrap();
        assert!(svg.status.success(), "dot rejected the output: {}", String::from_utf8_lossy(&svg.stderr));
        assert!(String::from_utf8_lossy(&svg.stdout).contains("contosoprddiag01"));
    }
}

#[test]
fn plan_mermaid_draws_the_same_graph() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (plan, _) = plan_json(&[&estate]);
    let mermaid = plan_text(&[&estate, "--format", "mermaid"]);
    assert!(mermaid.contains("\nflowchart LR\n"), "{mermaid}");
    let all = batches(&plan);
    assert_eq!(mermaid.matches("  subgraph b").count(), all.len());
    assert_eq!(mermaid.lines().filter(|l| l.trim() == "end").count(), all.len());
    let must = plan["edges"].as_array().unwrap().iter().filter(|e| e["must_move_together"] == true).count();
    assert_eq!(mermaid.matches(" -->|").count(), must);
    let dashed =
        plan["edges"].as_array().unwrap().len() - must + plan["external_dependencies"].as_array().unwrap().len();
    assert_eq!(mermaid.matches(" -.->|").count(), dashed);
    let blocked = all.iter().position(|b| b["status"] == "blocked").unwrap();
    assert!(mermaid.contains(&format!("  style b{blocked} fill:#f8d7da,stroke:#c62828")), "{mermaid}");
}

#[test]
fn plan_drawings_escape_customer_names() {
    let hostile = path_arg(&fixture("plan/hostile-names.json"));
    let mermaid = plan_text(&[&hostile, "--format", "mermaid"]);
    // A quote would end the label; # < > ` would start an entity or markup; a line break would end the line.
    assert!(
        mermaid
            .contains("r0[\"Ubuntu'VM$(touch pwned)#quot;‘#96;x#96;#lt;b#gt;|#35;01 rm -rf ~<br/>virtualMachines\"]"),
        "{mermaid}"
    );
    let dot = plan_text(&[&hostile, "--format", "dot"]);
    assert!(dot.contains("r0 [label=\"Ubuntu'VM$(touch pwned)\\\"‘`x`<b>|#01 rm -rf ~\\nvirtualMachines\"];"), "{dot}");
}

/// `plan --scripts DIR` on ARGS: the runbooks by subscription folder, and the README.
fn scripts(args: &[&str]) -> (tempfile::TempDir, Vec<(String, String, String)>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("runbooks");
    plan_text(&[args, &["--scripts", &path_arg(&out)]].concat());
    let mut runbooks = Vec::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let sh = std::fs::read_to_string(path.join("runbook.sh")).unwrap();
            let ps1 = std::fs::read_to_string(path.join("runbook.ps1")).unwrap();
            let bash = std::process::Command::new("bash").arg("-n").arg(path.join("runbook.sh")).output().unwrap();
            assert!(bash.status.success(), "bash -n {}: {}", path.display(), String::from_utf8_lossy(&bash.stderr));
            runbooks.push((path.file_name().unwrap().to_string_lossy().to_string(), sh, ps1));
        }
    }
    runbooks.sort();
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    (dir, runbooks, readme)
}

/// The lines of a script that are commands (not comments, not blank).
fn commands(script: &str) -> Vec<&str> {
    script.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).collect()
}

#[test]
fn plan_scripts_write_one_runbook_per_subscription_that_bash_parses() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (plan, _) = plan_json(&[&estate]);
    let (_dir, runbooks, readme) = scripts(&[&estate]);
    let mut subscriptions: Vec<String> =
        batches(&plan).iter().map(|b| b["subscription_id"].as_str().unwrap().to_string()).collect();
    subscriptions.sort();
    subscriptions.dedup();
    let folders: Vec<String> = runbooks.iter().map(|r| r.0.clone()).collect();
    assert_eq!(folders, subscriptions);
    for (subscription, sh, ps1) in &runbooks {
        assert!(sh.starts_with("#!/usr/bin/env bash\n"));
        assert!(sh.contains(&format!("SOURCE_SUBSCRIPTION='{subscription}'")));
        // Without --target-*: named placeholders, and a guard that refuses to run with them.
        assert!(sh.contains("TARGET_SUBSCRIPTION='<target-subscription-id>'"));
        assert!(sh.contains("TARGET_RESOURCE_GROUP='<target-resource-group>'"));
        assert!(sh.contains("if [[ $value == \"<\"* ]]; then"));
        assert!(ps1.contains("$TargetSubscription = '<target-subscription-id>'"));
        assert!(ps1.contains("if ($value.StartsWith('<'))"));
        // Every move is validated right before it is made, in both languages.
        let lines = commands(sh);
        let moves: Vec<usize> = (0..lines.len()).filter(|&k| lines[k].starts_with("az resource move ")).collect();
        for &k in &moves {
            let validate = lines[..k].iter().rposition(|l| l.starts_with("validate_move ")).unwrap();
            assert!(
                !lines[validate..k].iter().any(|l| l.starts_with("az resource move ")),
                "{subscription}: a move without its validation"
            );
        }
        assert_eq!(lines.iter().filter(|l| l.starts_with("validate_move ")).count(), moves.len());
        let ps_lines = commands(ps1);
        assert_eq!(
            ps_lines.iter().filter(|l| l.starts_with("Invoke-AzResourceAction -Action validateMoveResources")).count(),
            ps_lines.iter().filter(|l| l.starts_with("Move-AzResource ")).count()
        );
        assert_eq!(ps_lines.iter().filter(|l| l.starts_with("Move-AzResource ")).count(), moves.len());
    }
    assert!(readme.contains("**placeholder**"), "{readme}");
    for subscription in &subscriptions {
        assert!(readme.contains(&format!("{subscription}/runbook.sh")), "{readme}");
    }
}

#[test]
fn plan_scripts_order_the_remediation_before_the_batch_and_never_move_a_blocked_batch() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (plan, _) = plan_json(&[&estate]);
    let (_dir, runbooks, _) = scripts(&[&estate]);
    let sh_of = |member: &str| {
        let subscription = batch_of(&plan, member)["subscription_id"].as_str().unwrap().to_string();
        runbooks.iter().find(|r| r.0 == subscription).unwrap().1.clone()
    };
    // The other-region storage account moves on its own, before its batch.
    let sh = sh_of("contosoprddiag01");
    let lines = commands(&sh);
    let alone = lines.iter().position(|l| l.starts_with("az resource move --destination-subscription-id")).unwrap();
    assert!(lines[alone + 1].trim().ends_with("/storageAccounts/contosoprddiag01'"), "{}", lines[alone + 1]);
    let batch_move = lines[alone + 2..].iter().position(|l| l.starts_with("az resource move")).unwrap() + alone + 2;
    let batch_ids: Vec<&str> = lines[batch_move + 1..].iter().take_while(|l| l.starts_with("    '")).copied().collect();
    assert!(batch_ids.iter().any(|l| l.contains("/virtualMachines/vm-app-01'")));
    assert!(!batch_ids.iter().any(|l| l.contains("contosoprddiag01")));
    // The cross-group batch: consolidation into the group that holds most, inside the source subscription.
    let sh = sh_of("vm-dev-build01");
    let consolidation =
        sh.lines().position(|l| l.starts_with("az resource move --destination-group 'rg-dev-test' --ids")).unwrap();
    assert!(sh.lines().nth(consolidation + 1).unwrap().contains("/storageAccounts/contosodevvhds01'"));
    // Classic: upgrade, then secrets removal by the seed's command in the -migrated group, then only comments.
    let sh = sh_of("erp-app01");
    let section = &sh[sh.find("# members: contoso-erp-legacy, erp-app01").unwrap()..];
    let section = &section[..section.find("\n# ===== ").unwrap_or(section.len())];
    let lines = commands(section);
    assert!(
        lines[1].starts_with("manual_step 'classic (Azure Service Management) resources cannot move to CSP"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "az vm update --subscription \"$SOURCE_SUBSCRIPTION\" -g 'contoso-erp-legacy-migrated' -n 'erp-app01' --set osProfile.secrets=[]"
    );
    assert!(lines[4].starts_with("manual_step 'the upgrade gave batch "));
    assert_eq!(lines.len(), 5, "after the upgrade only comments: {lines:?}");
    assert!(
        section
            .contains("# (after a new plan) az resource move --destination-group 'contoso-erp-legacy-migrated' --ids")
    );
    // Blocked batches: named in comments, never in a command.
    for batch in batches(&plan).iter().filter(|b| b["status"] == "blocked") {
        let subscription = batch["subscription_id"].as_str().unwrap();
        let (_, sh, ps1) = runbooks.iter().find(|r| r.0 == subscription).unwrap();
        for blocker in batch["blockers"].as_array().unwrap() {
            let id = blocker["resource"].as_str().unwrap();
            assert!(!commands(sh).iter().any(|l| l.contains(id)), "blocked {id} is moved by runbook.sh");
            assert!(!commands(ps1).iter().any(|l| l.contains(id)), "blocked {id} is moved by runbook.ps1");
            assert!(sh.contains(&format!(
                "# blocked by {} ({})",
                name(&blocker["resource"]),
                blocker["code"].as_str().unwrap()
            )));
        }
        assert!(sh.contains(&format!("echo '{}: blocked, not moved'", batch["id"].as_str().unwrap())));
    }
}

#[test]
fn plan_scripts_in_powershell_use_the_az_module_and_the_seed_secrets_fix() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (_dir, runbooks, _) = scripts(&[
        &estate,
        "--target-subscription",
        "aaaabbbb-0000-1111-2222-333344445555",
        "--target-resource-group",
        "rg-csp",
    ]);
    let classic = runbooks.iter().find(|r| r.2.contains("erp-app01")).unwrap();
    let ps1 = &classic.2;
    assert!(ps1.starts_with("#Requires -Modules Az.Accounts, Az.Resources, Az.Compute\n"));
    assert!(ps1.contains("$ErrorActionPreference = 'Stop'"));
    assert!(ps1.contains("$TargetSubscription = 'aaaabbbb-0000-1111-2222-333344445555'"));
    assert!(ps1.contains("$TargetResourceGroup = 'rg-csp'"));
    assert!(ps1.contains(
        "$vm = Get-AzVM -ResourceGroupName 'contoso-erp-legacy-migrated' -Name 'erp-app01'\n\
         $vm.OSProfile.Secrets = New-Object -TypeName 'System.Collections.Generic.List[Microsoft.Azure.Management.Compute.Models.VaultSecretGroup]'\n\
         Update-AzVM -ResourceGroupName 'contoso-erp-legacy-migrated' -VM $vm\n"
    ));
    assert!(ps1.contains("Confirm-ManualStep 'the upgrade gave batch "));
    assert!(ps1.contains(
        "Move-AzResource -DestinationSubscriptionId $TargetSubscription -DestinationResourceGroupName $TargetResourceGroup -Force -ResourceId @(\n"
    ));
    assert!(
        ps1.contains(
            "targetResourceGroup = \"/subscriptions/$TargetSubscription/resourceGroups/$TargetResourceGroup\""
        )
    );
    let sh = &classic.1;
    assert!(sh.contains("TARGET_SUBSCRIPTION='aaaabbbb-0000-1111-2222-333344445555'"));
    assert!(!sh.contains("The target is a placeholder"));
}

#[test]
fn plan_scripts_quote_hostile_names_as_data() {
    let hostile = path_arg(&fixture("plan/hostile-names.json"));
    let (plan, _) = plan_json(&[&hostile]);
    let (_dir, runbooks, readme) = scripts(&[&hostile]);
    let (_, sh, ps1) = &runbooks[0];
    for id in batches(&plan)[0]["resources"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        assert!(sh.contains(&format!("    {}", csp_planner::report::runbook::bash::quote(id))), "{id}");
        assert!(ps1.contains(&format!("    {}", csp_planner::report::runbook::powershell::quote(id))), "{id}");
        // The quoted word is exactly the ID when bash reads it.
        let echoed = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf %s {}", csp_planner::report::runbook::bash::quote(id)))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(echoed.stdout).unwrap(), id);
    }
    // No line break from a name reaches a comment line: every line of the header block is a comment.
    for line in sh.lines().filter(|l| l.contains("members:")) {
        assert!(line.starts_with("# "), "{line}");
    }
    assert!(readme.contains("| B01 |"));
}

/// Every batch that moves is in exactly one move request of its subscription and source group; no request holds
/// more than 800 resources; blocked batches are in none.
#[test]
fn the_batches_that_move_are_packed_into_move_requests_of_one_source_group() {
    let (plan, _) = plan_json(&[]);
    let batches = plan["batches"].as_array().unwrap();
    let requests = plan["requests"].as_array().unwrap();
    assert!(!requests.is_empty());
    let mut seen = std::collections::BTreeMap::new();
    for request in requests {
        assert!(request["resources"].as_u64().unwrap() <= 800, "{request}");
        let mut total = 0;
        for id in request["batches"].as_array().unwrap() {
            let batch = batches.iter().find(|b| &b["id"] == id).unwrap();
            assert_ne!(batch["status"], "blocked", "{request}");
            assert_eq!(batch["resource_group"], request["resource_group"], "one source group per request: {request}");
            assert_eq!(batch["subscription_id"], request["subscription_id"]);
            total += batch["resources"].as_array().unwrap().len();
            *seen.entry(id.as_str().unwrap().to_string()).or_insert(0) += 1;
        }
        assert_eq!(request["resources"].as_u64().unwrap() as usize, total, "{request}");
        if request["batches"].as_array().unwrap().len() > 1 {
            assert!(
                request["batches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|id| { batches.iter().find(|b| &b["id"] == id).unwrap()["status"] == "ready" }),
                "only ready batches share a request: {request}"
            );
        }
    }
    for batch in batches.iter().filter(|b| b["status"] != "blocked" && !b["resource_group"].is_null()) {
        assert_eq!(seen.get(batch["id"].as_str().unwrap()), Some(&1), "{}", batch["id"]);
    }
    assert!(requests.len() < batches.len(), "ready batches of one group share a request");
}

/// The runbooks move per request: the ready batches of one request in one validated move, each resource ID in
/// one move command at most, never more than 800 IDs or two source groups in one.
#[test]
fn plan_scripts_move_each_request_once() {
    let estate = path_arg(&repo_file("samples/estate.json"));
    let (plan, _) = plan_json(&[&estate]);
    let (_dir, runbooks, _) = scripts(&[&estate]);
    let shared: Vec<&Value> =
        plan["requests"].as_array().unwrap().iter().filter(|r| r["batches"].as_array().unwrap().len() > 1).collect();
    assert!(!shared.is_empty(), "the sample has ready batches sharing a request");
    for (subscription, sh, _) in &runbooks {
        let lines = commands(sh);
        let mut moved = std::collections::BTreeSet::new();
        for (k, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("az resource move ")) {
            let ids: Vec<&str> =
                lines[k + 1..].iter().take_while(|l| l.starts_with("    '")).map(|l| l.trim()).collect();
            assert!(!ids.is_empty() && ids.len() <= 800, "{subscription}: {line}");
            let groups: std::collections::BTreeSet<String> = ids
                .iter()
                .map(|id| {
                    id.to_ascii_lowercase()
                        .split("/resourcegroups/")
                        .nth(1)
                        .unwrap()
                        .split('/')
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(groups.len(), 1, "{subscription}: one source group per move: {groups:?}");
            for id in ids {
                assert!(moved.insert(id.to_string()), "{subscription}: {id} is moved twice");
            }
        }
    }
    for request in shared {
        let batches = request["batches"].as_array().unwrap();
        let subscription = request["subscription_id"].as_str().unwrap();
        let (_, sh, _) = runbooks.iter().find(|r| r.0 == subscription).unwrap();
        let id = request["id"].as_str().unwrap();
        for other in &batches[1..] {
            let other = other.as_str().unwrap();
            assert!(
                sh.contains(&format!("echo '{other}: moved with {} ({id})'", batches[0].as_str().unwrap())),
                "{other}"
            );
        }
    }
}
