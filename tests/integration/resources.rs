//! Resource lists as JSON in every shape and spelling a consultant is handed (fixtures of
//! `tests/fixtures/resources/`): PowerShell's PascalCase keys, keys in any case, `az graph query` and
//! `Search-AzGraph` envelopes, REST pages and arrays of pages, JSON Lines, and the warnings and errors of
//! files that are cut off, incomplete or empty.

use serde_json::Value;

use crate::support::*;

fn fixture_arg(name: &str) -> String {
    path_arg(&fixture(&format!("resources/{name}")))
}

fn read(name: &str) -> Value {
    inventory_json(&[&fixture_arg(name)])
}

/// (name, resource group, source location) of every resource, in the inventory's order (by ID).
fn rows(inventory: &Value) -> Vec<(String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let resources = inventory["resources"].as_array().unwrap();
    resources
        .iter()
        .map(|r| (text(&r["name"]), text(&r["resource_group"]), text(&r["sources"][0]["location"])))
        .collect()
}

fn row(name: &str, group: &str, location: &str) -> (String, String, String) {
    (name.to_string(), group.to_string(), location.to_string())
}

#[test]
fn powershell_pascal_case_keys_and_tags_table() {
    let inventory = read("powershell.json");
    assert_eq!(inventory["inputs"][0]["format"], "powershell-json");
    assert_eq!(rows(&inventory), [row("vm-app-01", "rg-app", "element /0"), row("stdata01", "rg-data", "element /1")]);
    let vm = resource(&inventory, "vm-app-01");
    assert_eq!(vm["type"], "Microsoft.Compute/virtualMachines");
    assert_eq!(vm["subscription_id"], "11111111-1111-1111-1111-111111111111");
    assert_eq!(vm["location"], "westeurope");
    assert_eq!(vm["tags"], serde_json::json!({"env": "prod", "owner": "ops"}));
    // Tags null: the tags come from PowerShell's TagsTable text.
    let storage = resource(&inventory, "stdata01");
    assert_eq!(storage["tags"], serde_json::json!({"cost-center": "cc-42", "project": "migration x"}));
    assert_eq!(storage["sku"], serde_json::json!({"Name": "Standard_LRS", "Tier": "Standard"}));
    assert_eq!(storage["kind"], "StorageV2");
    assert_eq!(warnings(&inventory), Vec::<String>::new());
}

#[test]
fn keys_match_in_any_case() {
    let inventory = read("mixed-case.json");
    assert_eq!(rows(&inventory), [row("plan-01", "RG-Web", "element /1"), row("web-01", "RG-Web", "element /0")]);
    let web = resource(&inventory, "web-01");
    assert_eq!(web["type"], "Microsoft.Web/sites");
    assert_eq!(web["subscription_id"], "22222222-2222-2222-2222-222222222222");
    assert_eq!(web["location"], "northeurope");
    assert_eq!(web["kind"], "app");
    assert_eq!(web["tags"], serde_json::json!({"env": "test"}));
    assert_eq!(resource(&inventory, "plan-01")["type"], "Microsoft.Web/serverFarms");
    assert_eq!(inventory["summary"]["subscriptions"], 1);
}

#[test]
fn az_graph_query_and_search_azgraph_envelopes() {
    let inventory = read("az-graph-query.json");
    assert_eq!(inventory["inputs"][0]["format"], "arg-json");
    assert_eq!(inventory["inputs"][0]["rows"], 3);
    assert_eq!(
        rows(&inventory),
        [
            row("vnet-hub", "rg-net", "element /data/0"),
            row("pip-01", "rg-net", "element /data/1"),
            row("sql-01", "rg-sql", "element /data/2")
        ]
    );
    assert_eq!(warnings(&inventory), Vec::<String>::new());
    // Search-AzGraph | ConvertTo-Json writes the envelope's keys in PascalCase.
    let inventory = read("search-azgraph.json");
    assert_eq!(inventory["inputs"][0]["format"], "arg-json");
    assert_eq!(
        rows(&inventory),
        [row("vnet-hub", "rg-net", "element /Data/0"), row("pip-01", "rg-net", "element /Data/1")]
    );
}

#[test]
fn rest_page_and_arrays_of_pages() {
    let inventory = read("rest-page.json");
    assert_eq!(inventory["inputs"][0]["format"], "az-json");
    assert_eq!(rows(&inventory), [row("ai-01", "rg-a", "element /value/1"), row("kv-01", "rg-a", "element /value/0")]);
    let inventory = read("pages-value.json");
    assert_eq!(inventory["inputs"][0]["format"], "az-json");
    assert_eq!(inventory["inputs"][0]["rows"], 3);
    assert_eq!(
        rows(&inventory),
        [
            row("ai-01", "rg-a", "element /0/value/1"),
            row("kv-01", "rg-a", "element /0/value/0"),
            row("web-02", "rg-b", "element /1/value/0")
        ]
    );
    let inventory = read("pages-data.json");
    assert_eq!(inventory["inputs"][0]["format"], "arg-json");
    assert_eq!(
        rows(&inventory),
        [
            row("vnet-hub", "rg-net", "element /0/data/0"),
            row("pip-01", "rg-net", "element /0/data/1"),
            row("sql-01", "rg-sql", "element /1/data/0")
        ]
    );
}

#[test]
fn json_lines_by_extension_and_by_content() {
    let inventory = read("resources.jsonl");
    assert_eq!(inventory["inputs"][0]["format"], "json-lines");
    assert_eq!(
        rows(&inventory),
        [row("disk-01", "rg-l", "line 1"), row("vm-l-01", "rg-l", "line 2"), row("nic-01", "rg-l", "line 3")]
    );
    assert_eq!(resource(&inventory, "vm-l-01")["location"], "eastus");
    // Several top-level values make JSON Lines whatever the extension; a blank line is no element.
    let inventory = read("lines-by-content.json");
    assert_eq!(inventory["inputs"][0]["format"], "json-lines");
    assert_eq!(inventory["inputs"][0]["rows"], 3);
    assert_eq!(rows(&inventory), [row("disk-01", "rg-l", "line 1"), row("nic-01", "rg-l", "line 4")]);
    assert_eq!(
        warnings(&inventory),
        [
            "whole file: 1 of 3 element(s) skipped: line 3: no resource ID (no text under \"id\" or \"ResourceId\"); keys: name"
        ]
    );
    let forced = inventory_json(&[&fixture_arg("powershell.json"), "--input-format", "json-lines"]);
    assert_eq!(forced["inputs"][0]["format"], "json-lines");
    assert_eq!(forced["summary"]["resources"], 2);
}

#[test]
fn every_element_skipped_is_an_error_naming_the_file_and_the_first_reasons() {
    let path = fixture_arg("all-skipped.json");
    let stderr = inventory_fails(&[&path]);
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "resources/all-skipped.expected.stderr");
    assert!(command_fails("assess", &[&path]).contains("no resource could be read"));
}

#[test]
fn some_elements_skipped_give_one_warning() {
    let inventory = read("some-skipped.json");
    assert_eq!(inventory["inputs"][0]["rows"], 5);
    assert_eq!(inventory["inputs"][0]["resources"], 2);
    assert_matches_file(&pretty_json(&warnings(&inventory)), "resources/some-skipped.expected.json");
}

#[test]
fn values_cut_at_convertto_json_depth_give_one_warning() {
    let inventory = read("depth-cut.json");
    assert_eq!(inventory["summary"]["resources"], 2);
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .starts_with("whole file: 2 element(s) hold values that ConvertTo-Json cut off at its default depth of 2"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("element /0: Properties.hardwareProfile; element /1: Properties.encryption.services"));
    assert!(warnings[0].contains("`Get-AzResource | ConvertTo-Json -Depth 10`"), "{warnings:?}");
}

#[test]
fn resource_graph_without_properties_says_how_to_include_them() {
    let inventory = read("arg-no-properties.json");
    assert_eq!(inventory["inputs"][0]["format"], "arg-json");
    assert_matches_file(&pretty_json(&warnings(&inventory)), "resources/arg-no-properties.expected.json");
    // With properties, no such warning.
    assert_eq!(warnings(&read("az-graph-query.json")), Vec::<String>::new());
}

#[test]
fn resource_group_contradicting_the_id_gives_one_warning_and_the_id_wins() {
    let inventory = read("rg-contradiction.json");
    // web-case differs in case only: no contradiction.
    assert_eq!(
        rows(&inventory),
        [
            row("web-case", "rg-case", "element /1"),
            row("kv-rg", "rg-real", "element /2"),
            row("web-rg", "rg-real", "element /0")
        ]
    );
    assert_matches_file(&pretty_json(&warnings(&inventory)), "resources/rg-contradiction.expected.json");
    // A CSV reader's resources pass the same check.
    let inventory = read("rg-contradiction.csv");
    assert_eq!(resource(&inventory, "web-csv")["resource_group"], "rg-from-id");
    assert!(warnings(&inventory).iter().any(|w| w.contains("line 2: web-csv has resource group \"rg-column\"")));
}

#[test]
fn empty_lists_are_no_resources_with_a_warning() {
    for (file, format) in
        [("empty-array.json", "az-json"), ("empty-value.json", "az-json"), ("empty-data.json", "arg-json")]
    {
        // Alone, nothing is read: exit 2 naming the file.
        let alone = csp_planner().args(["inventory", &fixture_arg(file)]).output().unwrap();
        assert_eq!(alone.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&alone.stderr);
        assert!(stderr.contains("no input yielded a single row") && stderr.contains(file), "{stderr}");
        // Beside an input with resources: one warning.
        let sample = crate::support::repo_file("samples/estate.json").display().to_string();
        let output =
            csp_planner().args(["inventory", &fixture_arg(file), &sample, "--format", "json"]).output().unwrap();
        assert!(output.status.success(), "{file}");
        let inventory: Value = serde_json::from_slice(&output.stdout).unwrap();
        let input = &inventory["inputs"][0];
        assert_eq!(input["format"], format, "{file}");
        assert_eq!(input["rows"], 0, "{file}");
        assert_eq!(input["resources"], 0, "{file}");
        assert_eq!(warnings(&inventory), ["whole file: an empty list; nothing read from it"], "{file}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{}, whole file: an empty list", fixture_arg(file))), "{stderr}");
    }
}

#[test]
fn a_key_spelling_added_to_the_rules_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let embedded = std::fs::read_to_string(repo_file("rules/input-kinds.toml")).unwrap();
    let added = embedded.replace("id = [\"id\", \"ResourceId\"]", "id = [\"id\", \"ResourceId\", \"armId\"]");
    assert_ne!(added, embedded);
    std::fs::write(dir.path().join("input-kinds.toml"), added).unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, r#"[{"armId": "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Web/sites/w"}]"#)
        .unwrap();
    let inventory = inventory_json(&["--rules", &path_arg(dir.path()), &path_arg(&file)]);
    assert_eq!(resource(&inventory, "w")["type"], "Microsoft.Web/sites");
    // Without the spelling the element has no ID.
    assert!(inventory_fails(&[&path_arg(&file)]).contains("keys: armId"));
}

#[test]
fn json_rule_problems_are_reported_with_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let embedded = std::fs::read_to_string(repo_file("rules/input-kinds.toml")).unwrap();
    let broken = embedded.replace("plan = [\"plan\"]", "plan = [\"plan\", \"sku\"]\nzones = [\"zones\"]");
    std::fs::write(dir.path().join("input-kinds.toml"), broken).unwrap();
    let stderr = command_fails("rules", &["check", "--rules", &path_arg(dir.path())]);
    assert!(stderr.contains("key \"sku\" is given for both `plan` and `sku`"), "{stderr}");
    assert!(stderr.contains("unknown field `zones`"), "{stderr}");
}

#[test]
fn windows_powershell_out_file_utf16_with_crlf() {
    // Windows PowerShell 5.1's `ConvertTo-Json | Out-File` writes UTF-16 LE with a BOM and CRLF line ends.
    let text = std::fs::read_to_string(fixture("resources/powershell.json")).unwrap().replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resources.json");
    std::fs::write(&path, bytes).unwrap();
    let inventory = inventory_json(&[&path_arg(&path)]);
    assert_eq!(inventory["inputs"][0]["format"], "powershell-json");
    assert_eq!(inventory["inputs"][0]["encoding"], "UTF-16 LE");
    assert_eq!(rows(&inventory), [row("vm-app-01", "rg-app", "element /0"), row("stdata01", "rg-data", "element /1")]);
    let tags = &resource(&inventory, "stdata01")["tags"];
    assert_eq!(*tags, serde_json::json!({"cost-center": "cc-42", "project": "migration x"}));
}
