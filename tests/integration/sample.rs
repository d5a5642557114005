//! The bundled sample against what `samples/README.md` says the commands conclude from it.

use crate::support::*;

#[test]
fn no_input_reads_the_bundled_sample_and_matches_its_summary() {
    let inventory = inventory_json(&[]);
    let readme = std::fs::read_to_string(repo_file("samples/README.md")).unwrap();
    let line = readme.lines().find(|l| l.contains("Expected inventory summary")).unwrap();
    for key in ["resources", "subscriptions", "classic", "usage_rows"] {
        let expected: u64 =
            line.split(&format!("`{key}` = ")).nth(1).unwrap().split([',', '.']).next().unwrap().parse().unwrap();
        assert_eq!(inventory["summary"][key], expected, "summary.{key}");
    }
    assert_eq!(inventory["inputs"][0]["path"], "samples/estate.json (bundled)");
    assert_eq!(inventory["inputs"][0]["format"], "arg-json");
    assert_eq!(inventory["inputs"][1]["format"], "usage-csv");
}

#[test]
fn every_sample_resource_is_read_as_the_readme_describes_it() {
    let inventory = inventory_json(&[]);
    let rows = readme_table("## Expected assessment per resource");
    assert_eq!(rows.len(), 62);
    for row in rows {
        let resource = by_subscription_and_name(&inventory, &row["subscription"], &row["name"]);
        assert_eq!(resource["type"], row["type"].as_str(), "{}", row["name"]);
        assert_eq!(resource["resource_group"], row["resource_group"].as_str(), "{}", row["name"]);
        assert_eq!(resource["location"], row["location"].as_str(), "{}", row["name"]);
        assert_eq!(resource["deployment_model"], row["deployment_model"].as_str(), "{}", row["name"]);
    }
}

#[test]
fn the_seeds_usage_rows_become_classic_resources_with_a_type_and_a_source() {
    let inventory = inventory_json(&[]);
    let seed_rows: Vec<_> = readme_table("## Usage rows")
        .into_iter()
        .filter(|row| row["attaches to"].starts_with("(own resource"))
        .collect();
    assert_eq!(seed_rows.len(), 11);
    for row in seed_rows {
        let id = &row["Instance ID"];
        let resource = resource(&inventory, id);
        assert_eq!(resource["deployment_model"], "classic", "{id}");
        let expected_type = row["type for the seed rows"].trim_end_matches(" (inference)");
        assert!(resource["type"].as_str().unwrap().eq_ignore_ascii_case(expected_type), "{id}: {}", resource["type"]);
        assert!(resource["type_source"]["rule"].as_str().unwrap().starts_with("rules/classic-usage-types.csv line "));
        assert!(!resource["type_source"]["source"].as_str().unwrap().is_empty());
        let source = &resource["sources"][0];
        assert_eq!(source["path"], "samples/usage-ea-2017.csv (bundled)");
        assert_eq!(source["location"], format!("line {}", row["line"]), "{id}");
        assert_eq!(resource["meters"][0]["quantity"], row["quantity"].as_str(), "{id}");
        assert_eq!(resource["meters"][0]["cost"], row["cost"].as_str(), "{id}");
        assert_eq!(resource["subscription_name"], "Dev");
    }
}

#[test]
fn usage_rows_of_estate_resources_merge_into_them() {
    let inventory = inventory_json(&[]);
    let vm = resource(&inventory, "vm-app-01");
    assert_eq!(vm["sources"].as_array().unwrap().len(), 2);
    let meter = &vm["meters"][0];
    assert_eq!(meter["rows"], 2);
}
