//! `csp-planner rules check | explain | export`, and the rule data issue 3 asks for (the seed's
//! availability matrix with its seed lines).

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;

/// Runs `rules ARGS`, asserts success and no panic, and returns stdout.
fn rules(args: &[&str]) -> String {
    let output = csp_planner().arg("rules").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "rules {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `rules check --rules DIR`, asserts exit code 2 and no panic, and returns the problem lines
/// of stderr, which name the file read (`DIR/<file>, <location>: <message>`, DIR standing for the folder given).
fn check_fails(dir: &Path) -> Vec<String> {
    let output = csp_planner().args(["rules", "check", "--rules", &path_arg(dir)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "expected exit code 2, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout when the rules are broken");
    let folder = format!("{}/", path_arg(dir));
    let problems: Vec<String> =
        stderr.lines().map(str::trim).filter_map(|l| l.strip_prefix(&folder)).map(|l| format!("DIR/{l}")).collect();
    assert!(stderr.starts_with(&format!("error: {} problem(s) in the rule files:\n", problems.len())), "{stderr}");
    problems
}

/// The value after `label:` in `rules explain` output.
fn explained<'a>(out: &'a str, label: &str) -> &'a str {
    let prefix = format!("{label}:");
    out.lines()
        .find_map(|l| l.trim_start().strip_prefix(&prefix))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no `{label}:` line in\n{out}"))
}

// ------------------------------------------------------------------ rules check

#[test]
fn rules_check_on_the_embedded_rules_says_rules_ok() {
    let stdout = rules(&["check"]);
    assert!(stdout.starts_with("rules ok: "), "{stdout}");
    assert!(stdout.contains("752 move-support types (757 rows)"), "{stdout}");
}

#[test]
fn rules_check_reports_a_toml_syntax_error_with_file_line_and_column() {
    let problems = check_fails(&fixture("rules/syntax-error"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("DIR/move-conditions.toml, line 5, column 23: "), "{problems:?}");
    assert!(problems[0].contains("expected `\"`"), "{problems:?}");
}

#[test]
fn rules_check_reports_an_unknown_key_in_a_condition_with_file_and_line() {
    // The line is that of the `[[condition]]` entry holding the key.
    let problems = check_fails(&fixture("rules/unknown-key"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("DIR/move-conditions.toml, line 13: unknown field `severity`"), "{problems:?}");
    assert!(problems[0].contains("expected one of `type`, `when`, `status`"), "{problems:?}");
}

#[test]
fn rules_check_reports_a_duplicate_condition_with_file_and_line() {
    let problems = check_fails(&fixture("rules/duplicate-condition"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .starts_with("DIR/move-conditions.toml, line 10: duplicate entry: `microsoft.network/loadbalancers`"),
        "{problems:?}"
    );
}

#[test]
fn rules_check_reports_a_duplicate_portal_display_name_with_file_and_line() {
    let problems = check_fails(&fixture("rules/duplicate-display-name"));
    assert_eq!(problems, ["DIR/portal-types.csv, line 4: display name \"Virtual Machine\" is listed twice"]);
}

#[test]
fn rules_check_reports_a_bad_status_value_with_file_and_line() {
    let problems = check_fails(&fixture("rules/bad-status"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("DIR/move-conditions.toml, line 11: unknown variant `MAYBE`"), "{problems:?}");
    assert!(problems[0].contains("expected one of `NO ISSUES`, `MODIFY`, `BLOCKED`"), "{problems:?}");
}

#[test]
fn rules_check_reports_the_problems_of_several_files_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["bad-status/move-conditions.toml", "duplicate-display-name/portal-types.csv"] {
        let from = fixture(&format!("rules/{file}"));
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    let problems = check_fails(dir.path());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("DIR/move-conditions.toml, line 11: ")), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("DIR/portal-types.csv, line 4: ")), "{problems:?}");
}

#[test]
fn assess_with_broken_rules_exits_with_code_2_before_reading() {
    let dir = path_arg(&fixture("rules/bad-status"));
    let output = csp_planner().args(["assess", "--rules", &dir, "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{dir}/move-conditions.toml, line 11: unknown variant `MAYBE`")), "{stderr}");
}

// ------------------------------------------------------------------ rules explain

#[test]
fn explain_load_balancer_gives_the_catch_all_verdict_and_the_sku_conditions() {
    let out = rules(&["explain", "Microsoft.Network/loadBalancers"]);
    assert_eq!(explained(&out, "CSP Status"), "MODIFY");
    assert_eq!(explained(&out, "Suggested Approach"), "ARM to CSP (one step migration)");
    assert_eq!(explained(&out, "needs review"), "no");
    assert!(out.contains("reason [move-condition]: "), "{out}");
    assert!(!explained(&out, "source").is_empty());
    assert!(
        out.contains("with sku.name = Standard: BLOCKED (cannot-move-subscription) [rules/move-conditions.toml line "),
        "{out}"
    );
    assert!(
        out.contains("with sku.name = Basic: NO ISSUES (move-condition-met) [rules/move-conditions.toml line "),
        "{out}"
    );
}

#[test]
fn explain_a_classic_cloud_service_shows_what_its_roles_decide() {
    let out = rules(&["explain", "Microsoft.ClassicCompute/domainNames"]);
    assert_eq!(explained(&out, "CSP Status"), "NO ISSUES");
    assert!(
        out.contains("with properties.deploymentSlots[*].properties.roles[*].roleType != PersistentVMRole: BLOCKED (classic-no-upgrade)"),
        "{out}"
    );
}

#[test]
fn a_misspelled_override_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("move-condition.toml"), "").unwrap();
    let output = csp_planner().args(["rules", "check", "--rules", &path_arg(dir.path())]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = format!("warning: {}/move-condition.toml: no rule file of this name is read", path_arg(dir.path()));
    assert!(stderr.contains(&warning), "{stderr}");
}

#[test]
fn explain_an_unknown_type_needs_review() {
    let out = rules(&["explain", "Microsoft.Dashboard/grafana"]);
    assert_eq!(explained(&out, "CSP Status"), "MODIFY");
    assert_eq!(explained(&out, "Suggested Approach"), "ARM to CSP (one step migration)");
    assert_eq!(explained(&out, "needs review"), "yes");
    assert!(out.contains("reason [unknown-type]: "), "{out}");
    assert!(!explained(&out, "source").is_empty());
}

#[test]
fn explain_a_classic_vm_upgrades_first() {
    let out = rules(&["explain", "Microsoft.ClassicCompute/virtualMachines"]);
    assert_eq!(explained(&out, "deployment model"), "classic");
    assert_eq!(explained(&out, "CSP Status"), "NO ISSUES");
    assert_eq!(explained(&out, "Suggested Approach"), "ASM to CSP (two steps migration)");
    assert!(out.contains("reason [classic-upgrade-first]: "), "{out}");
    assert!(explained(&out, "rule").starts_with("rules/classic-upgrade.toml line "), "{out}");
}

// ------------------------------------------------------------------ the seed's availability matrix

#[test]
fn every_row_of_the_seeds_matrix_is_in_the_rules_in_seed_order() {
    let dir = tempfile::tempdir().unwrap();
    rules(&["export", &path_arg(dir.path())]);
    let mut reader = csv::Reader::from_path(dir.path().join("csp-availability.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (category, service, source) = (column("category"), column("service"), column("source"));

    assert_eq!(rows.len(), 92);
    let services: BTreeSet<String> = rows.iter().map(|r| r[service].to_ascii_lowercase()).collect();
    assert_eq!(services.len(), 76);

    // Each row cites the article's table by its category and row name.
    for row in &rows {
        let cited = format!(
            "csp-available-services: table \"Azure products, services, and features in Azure CSP\", category \"{}\", row \"{}\"",
            &row[category], &row[service]
        );
        assert_eq!(&row[source], cited.as_str());
    }

    // The rows are the matrix's (seed 002 L239–L352), in its order.
    let Some(seed) = shared_seed("002_fc7ee01e5cb2f8f5.txt") else { return };
    let seed = std::fs::read_to_string(seed).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    let mut at = 238;
    for row in &rows {
        let found = (at..352)
            .find(|&i| lines[i].starts_with(&row[service]) && lines[i][row[service].len()..].starts_with('\t'));
        let n = found.unwrap_or_else(|| panic!("{} is not in the matrix after seed 002 L{}", &row[service], at + 1));
        at = n + 1;
    }
}

// ------------------------------------------------------------------ rules export

#[test]
fn export_writes_every_embedded_rule_file() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = rules(&["export", &path_arg(dir.path())]);
    let names = |path: &Path| -> BTreeSet<String> {
        std::fs::read_dir(path).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect()
    };
    let shipped = names(&repo_file("rules"));
    assert_eq!(names(dir.path()), shipped);
    for name in &shipped {
        let exported = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let embedded = std::fs::read_to_string(repo_file("rules").join(name)).unwrap();
        assert!(exported == embedded, "{name} differs from rules/{name}");
        assert!(stdout.contains(&format!("wrote {}", path_arg(&dir.path().join(name)))), "{stdout}");
    }
}

#[test]
fn exported_rules_give_the_same_inventory_and_assessment() {
    let dir = tempfile::tempdir().unwrap();
    rules(&["export", &path_arg(dir.path())]);
    let rules_dir = path_arg(dir.path());
    assert_eq!(inventory_json(&["--rules", &rules_dir]), inventory_json(&[]));
    assert_eq!(assess_json(&["--rules", &rules_dir]), assess_json(&[]));
    let estate = path_arg(&repo_file("samples/estate.json"));
    assert_eq!(assess_json(&[&estate, "--rules", &rules_dir]), assess_json(&[&estate]));
}

#[test]
fn an_overriding_rule_file_changes_the_verdict() {
    // A rule file in --rules DIR replaces the embedded one of the same name.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("move-conditions.toml"),
        r#"[[condition]]
type = "Microsoft.Dashboard/grafana"
status = "NO ISSUES"
code = "move-condition-met"
message = "Grafana moves with its resource group."
source = "test: a consultant's own rule"
"#,
    )
    .unwrap();
    let out = rules(&["explain", "Microsoft.Dashboard/grafana", "--rules", &path_arg(dir.path())]);
    assert_eq!(explained(&out, "CSP Status"), "NO ISSUES");
    assert_eq!(explained(&out, "needs review"), "no");
    assert_eq!(explained(&out, "rule"), "rules/move-conditions.toml line 1");
    assert_eq!(explained(&out, "source"), "test: a consultant's own rule");
}

#[test]
fn rules_check_covers_the_capacity_planner_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("asr-planner.toml"), "[[constant]]\nname = \"bits_per_byte\"\n").unwrap();
    let problems = check_fails(dir.path());
    assert!(
        problems.iter().any(|p| p.starts_with("DIR/asr-planner.toml, line 1: missing field `value`")),
        "{problems:?}"
    );
}

#[test]
fn rules_check_covers_the_vm_size_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("azure-vm-sizes.csv"),
        "name,era,cores,memory_mb,max_data_disks,max_nics,premium_storage,source\nX,2017,two,1,1,1,no,test\n",
    )
    .unwrap();
    let problems = check_fails(dir.path());
    assert!(
        problems.iter().any(|p| p.starts_with("DIR/azure-vm-sizes.csv, line 2: `cores` must be a whole number")),
        "{problems:?}"
    );
}

#[test]
fn rules_check_reports_a_region_alias_that_names_two_regions_and_every_other_problem() {
    let problems = check_fails(&fixture("rules/duplicate-region-alias"));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.contains(&"DIR/regions.csv, line 4: `source` is empty".to_string()), "{problems:?}");
    assert!(
        problems.contains(
            &"DIR/regions.csv, line 3: \"Amsterdam\" names both westeurope (line 2) and northeurope; an alias must \
              name one region"
                .to_string()
        ),
        "{problems:?}"
    );
}

// ------------------------------------------------------------------ sources.toml

#[test]
fn rules_check_reports_a_source_naming_no_registry_entry_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("portal-types.csv"),
        "display_name,resource_type,source\nVirtual machine,Microsoft.Compute/virtualMachines,nowhere-doc: row 1\n\
         Disk,Microsoft.Compute/disks,seed 002 L1\nApp,Microsoft.Web/sites,csp-planner-choice: fine\n",
    )
    .unwrap();
    let problems = check_fails(dir.path());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("DIR/portal-types.csv, line 2: source key `nowhere-doc` is not in sources.toml"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("DIR/portal-types.csv, line 3: source `seed 002 L1` does not start with a key"),
        "{problems:?}"
    );
}

#[test]
fn a_registry_entry_without_url_or_reason_is_a_problem_and_sources_resolve_in_explain() {
    let dir = tempfile::tempdir().unwrap();
    let registry = std::fs::read_to_string(repo_file("rules/sources.toml")).unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        format!("{registry}\n[source.bare]\ntitle = \"t\"\npublisher = \"p\"\nurl = \"\"\n"),
    )
    .unwrap();
    let problems = check_fails(dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("DIR/sources.toml, [source.bare]: give `url`"), "{problems:?}");

    let out = rules(&["explain", "Microsoft.Maintenance/maintenanceConfigurations"]);
    let source = explained(&out, "source");
    assert!(source.starts_with("move-support-resources.csv, line 402, row "), "{out}");
    assert!(
        source.contains("(https://github.com/tfitzmac/resource-capabilities/blob/main/move-support-resources.csv)"),
        "{out}"
    );
}
