//! `rules codes`: the registry of codes. Codes are unique, every code the bundled sample produces is listed, the
//! JSON has the documented fields, and docs/codes.md is the Markdown the command prints.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use crate::support::{csp_planner, fixture, path_arg, repo_file};

/// The fields of an entry of `rules codes --format json`, as docs/codes.md documents them.
const FIELDS: &[&str] = &["code", "domain", "origin", "description", "source", "rule_file", "named_in"];
const DOMAINS: &[&str] = &["assess", "plan", "capacity", "workloads", "transfer"];

fn run(args: &[&str]) -> Vec<u8> {
    let output = csp_planner().args(args).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    output.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&run(args)).unwrap()
}

fn listed(args: &[&str]) -> Vec<Value> {
    json(&[&["rules", "codes", "--format", "json"], args].concat())["codes"].as_array().unwrap().clone()
}

fn text<'a>(entry: &'a Value, field: &str) -> &'a str {
    entry[field].as_str().unwrap_or_else(|| panic!("{field} of {entry} is not a string"))
}

/// Every value of a `code` key, of a remediation step's `action` and of `unmatched_rules` (rule codes).
fn codes_in(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("code" | "action", Value::String(code)) => {
                        found.insert(code.clone());
                    }
                    ("unmatched_rules", Value::Array(codes)) => {
                        found.extend(codes.iter().filter_map(Value::as_str).map(str::to_string));
                    }
                    _ => codes_in(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| codes_in(item, found)),
        _ => {}
    }
}

/// The codes `workloads.toml` tests with `planner` (the Detailed Planner's reasons, not in its JSON).
fn planner_codes_of_the_rules() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo_file("rules/workloads.toml")).unwrap();
    let rules: toml::Table = toml::from_str(&text).unwrap();
    let mut found = BTreeSet::new();
    for rule in rules["rule"].as_array().unwrap() {
        if let Some(any_of) = rule["when"].get("planner").and_then(|p| p.get("any_of")).and_then(|a| a.as_array()) {
            found.extend(any_of.iter().filter_map(|c| c.as_str()).map(str::to_string));
        }
    }
    found
}

#[test]
fn codes_are_unique_across_the_registry() {
    let codes = listed(&[]);
    let mut built_in = HashSet::new();
    let mut by_domain = HashSet::new();
    for entry in &codes {
        let (code, domain) = (text(entry, "code"), text(entry, "domain"));
        if text(entry, "origin") == "built-in" {
            assert!(built_in.insert(code), "built-in code `{code}` is listed twice");
        }
        // A rule file may not reuse a code of its own domain (a workloads rule named `needs-review` is refused).
        assert!(by_domain.insert((domain, code)), "`{code}` is listed twice in {domain}");
        let kebab =
            code.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert!(kebab, "`{code}` is not lower-case words joined by '-'");
    }
    // Every domain has built-in codes.
    for domain in DOMAINS {
        assert!(codes.iter().any(|c| c["domain"] == *domain && c["origin"] == "built-in"), "no code in {domain}");
    }
}

#[test]
fn every_code_the_bundled_sample_produces_is_listed() {
    let listed: BTreeSet<String> = listed(&[]).iter().map(|c| text(c, "code").to_string()).collect();
    let mut produced = BTreeSet::new();
    for args in [
        &["assess", "--format", "json"][..],
        &["plan", "--format", "json"],
        &["cost", "--format", "json"],
        &["capacity", "detailed", "samples/servers-rvtools.xlsx", "--format", "json"],
        &["workloads", "--format", "json"],
        &["transfer", "--format", "json"],
    ] {
        let output = csp_planner().args(args).current_dir(repo_file(".")).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        codes_in(&serde_json::from_slice(&output.stdout).unwrap(), &mut produced);
    }
    produced.extend(planner_codes_of_the_rules());
    // The sample reaches every domain: assess reasons, plan steps, workloads verdicts, the planner codes.
    for code in ["cannot-move-subscription", "move-storage-separately", "validated-workload", "disk-too-large"] {
        assert!(produced.contains(code), "the sample no longer produces `{code}`: {produced:?}");
    }
    let missing: Vec<&String> = produced.difference(&listed).collect();
    assert!(missing.is_empty(), "codes the sample produces that `rules codes` does not list: {missing:?}");
}

#[test]
fn the_json_of_rules_codes_has_the_documented_fields() {
    let listing = json(&["rules", "codes", "--format", "json"]);
    assert_eq!(listing["schema_version"], 1);
    let page = std::fs::read_to_string(repo_file("docs/codes.md")).unwrap();
    for field in FIELDS {
        assert!(page.contains(&format!("`{field}`")), "docs/codes.md does not document `{field}`");
    }
    for entry in listing["codes"].as_array().unwrap() {
        let keys: BTreeSet<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, FIELDS.iter().copied().collect::<BTreeSet<_>>(), "{entry}");
        assert!(DOMAINS.contains(&text(entry, "domain")), "{entry}");
        assert!(!text(entry, "description").is_empty() && !text(entry, "source").is_empty(), "{entry}");
        match text(entry, "origin") {
            "built-in" => assert!(entry["rule_file"].is_null(), "{entry}"),
            "rule-file" => {
                let file = text(entry, "rule_file");
                assert!(
                    file.starts_with("workloads.toml line ") || file.starts_with("transfer-paths.toml ["),
                    "{entry}"
                )
            }
            other => panic!("origin `{other}`: {entry}"),
        }
        assert!(entry["named_in"].is_array(), "{entry}");
    }
}

#[test]
fn built_in_sources_resolve_to_the_registry() {
    // An unresolved source stays `<key>: <locator>`; a resolved one names the document (csp-planner's own
    // choice reads "csp-planner's own choice: …").
    for entry in listed(&[]).iter().filter(|c| c["origin"] == "built-in") {
        let source = text(entry, "source");
        let key = source.split_once(':').map(|(k, _)| k).unwrap_or_default();
        let unresolved =
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(!unresolved, "the source of `{}` names no entry of rules/sources.toml: {source}", text(entry, "code"));
    }
}

#[test]
fn rules_codes_lists_the_codes_of_the_rule_files_given() {
    let codes = listed(&["--rules", &path_arg(&fixture("workloads/rules-one-rule"))]);
    let from_files: Vec<(&str, &str)> =
        codes.iter().filter(|c| c["origin"] == "rule-file").map(|c| (text(c, "code"), text(c, "rule_file"))).collect();
    assert_eq!(from_files[0], ("many-cores", "workloads.toml line 2"));
    // The other rule-file codes are the embedded transfer rules' (the fixture folder does not replace them).
    assert!(from_files[1..].iter().all(|(_, file)| file.starts_with("transfer-paths.toml [")), "{from_files:?}");
    assert_eq!(from_files[1], ("agreement-ea-direct", "transfer-paths.toml [[agreement]] #1 (ea-direct)"));
    // The built-in codes stay listed; move-conditions.toml names the move-condition codes.
    let met = codes.iter().find(|c| c["code"] == "move-condition-met").unwrap();
    assert_eq!(met["named_in"], serde_json::json!(["move-conditions.toml"]));
}

#[test]
fn docs_codes_md_is_the_generated_page() {
    let generated = String::from_utf8(run(&["rules", "codes", "--format", "markdown"])).unwrap();
    let page = std::fs::read_to_string(repo_file("docs/codes.md")).unwrap();
    assert!(
        page == generated,
        "docs/codes.md differs from what the registry generates; regenerate it with\n  \
         cargo run -- rules codes --format markdown > docs/codes.md"
    );
}

#[test]
fn the_table_lists_every_code() {
    let table = String::from_utf8(run(&["rules", "codes"])).unwrap();
    let count = listed(&[]).len();
    assert!(table.contains("Code") && table.contains("Description"), "{table}");
    assert!(table.trim_end().ends_with(&format!("{count} codes")), "{table}");
}

#[test]
fn a_workloads_rule_may_not_take_a_built_in_workloads_code() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |code: &str| {
        format!(
            "[[rule]]\ncode = \"{code}\"\ncolor = \"red\"\nwhen = {{ cores = 1 }}\nmessage = \"m\"\nsource = \"s\"\n"
        )
    };
    let text = [rule("needs-review"), rule("override-legal"), rule("Not Kebab")].concat();
    std::fs::write(dir.path().join("workloads.toml"), text).unwrap();
    let stderr = crate::support::command_fails("rules", &["check", "--rules", &path_arg(dir.path())]);
    assert!(stderr.contains("code `needs-review` is the verdict for servers no rule judges"), "{stderr}");
    assert!(stderr.contains("code `override-legal`: `override` codes are the consultant's decisions"), "{stderr}");
    assert!(stderr.contains("code `Not Kebab`: lower-case words joined by '-'"), "{stderr}");
}

#[test]
fn the_rule_files_manual_names_every_planner_code() {
    // rules/README.md and workloads.toml's comment list the codes `planner` may test: the registry's capacity codes.
    let capacity: Vec<String> =
        listed(&[]).iter().filter(|c| c["domain"] == "capacity").map(|c| text(c, "code").to_string()).collect();
    let readme = std::fs::read_to_string(repo_file("rules/README.md")).unwrap();
    let row = readme.lines().find(|l| l.starts_with("| `planner` |")).unwrap();
    let named: Vec<&str> = row.split('`').skip(3).step_by(2).collect();
    assert_eq!(named, capacity, "rules/README.md's `planner` row");
    let workloads = std::fs::read_to_string(repo_file("rules/workloads.toml")).unwrap();
    for code in &capacity {
        assert!(workloads.contains(&format!(" {code},")) || workloads.contains(&format!(" {code}\n")), "{code}");
    }
}
