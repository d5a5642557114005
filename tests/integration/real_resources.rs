//! The published resource lists of `../shared/data/real/` through the binary: `Get-AzResource | ConvertTo-Json`
//! (PascalCase keys) and Resource Graph rows (`Search-AzGraph`). Every literal is derived from the file by the
//! one-liner in the comment beside it (run in `../shared/data/real/`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::*;

const POWERSHELL: &str = "real/resources-get-azresource-wara-newResourceData.json";
const GRAPH: &str = "real/resources-arg-wara-all-resources-data.json";

fn strings(inventory: &Value, field: &str) -> Vec<String> {
    let resources = inventory["resources"].as_array().unwrap();
    resources.iter().map(|r| r[field].as_str().unwrap_or_default().to_string()).collect()
}

fn sorted_unique(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}

#[test]
fn get_azresource_convertto_json_reads_every_vm() {
    let Some(path) = shared_data(POWERSHELL) else { return };
    let inventory = inventory_json(&[&path_arg(&path)]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["format"], "powershell-json");
    // jq length resources-get-azresource-wara-newResourceData.json → 9
    assert_eq!(input["rows"], 9);
    assert_eq!(input["resources"], 9);
    assert_eq!(inventory["summary"]["resources"], 9);
    // jq '[.[].SubscriptionId]|unique|length' → 9
    assert_eq!(inventory["summary"]["subscriptions"], 9);
    // jq -c '[.[].ResourceType]|unique' → ["Microsoft.Compute/virtualMachines"]
    assert_eq!(sorted_unique(strings(&inventory, "type")), ["Microsoft.Compute/virtualMachines"]);
    // jq -c '[.[].ResourceGroupName]' → ["test1", …, "test9"]
    let groups: Vec<String> = (1..=9).map(|n| format!("test{n}")).collect();
    assert_eq!(sorted_unique(strings(&inventory, "resource_group")), groups);
    // jq -r '.[0].Id' and '.[0].Name' → /subscriptions/1111…/resourceGroups/test1/…/TestVM1, TestVM1
    let vm = resource(&inventory, "TestVM1");
    assert_eq!(
        vm["id"],
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test1/providers/Microsoft.Compute/virtualMachines/TestVM1"
    );
    assert_eq!(vm["subscription_id"], "11111111-1111-1111-1111-111111111111");
    // jq '.[0].Location, .[0].Tags, .[0].Sku' → null, null, null
    assert_eq!(vm["location"], Value::Null);
    assert_eq!(vm["tags"], serde_json::json!({}));
    assert_eq!(vm["sku"], Value::Null);
    assert_eq!(vm["sources"][0]["location"], "element /0");
    // jq '[.[]|select(.Properties!=null)]|length' → 0: one warning says how to export them
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("whole file: no element has properties"), "{warnings:?}");
    assert!(warnings[0].contains("Get-AzResource -ExpandProperties | ConvertTo-Json -Depth 10"), "{warnings:?}");
}

#[test]
fn get_azresource_convertto_json_is_assessed() {
    let Some(path) = shared_data(POWERSHELL) else { return };
    let assessment = assess_json(&[&path_arg(&path)]);
    // jq length → 9 VMs; rules/move-support.csv: `Microsoft.Compute/virtualmachines,1,1` (can move) → NO ISSUES
    assert_eq!(assessment["summary"]["resources"], 9);
    assert_eq!(assessment["summary"]["no_issues"], 9);
    let vm = resource(&assessment, "TestVM9");
    assert_eq!(vm["csp_status"], "NO ISSUES");
    assert_eq!(vm["reasons"][0]["code"], "movable");
}

#[test]
fn resource_graph_rows_read_every_resource() {
    let Some(path) = shared_data(GRAPH) else { return };
    let inventory = inventory_json(&[&path_arg(&path)]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["format"], "arg-json");
    // jq length resources-arg-wara-all-resources-data.json → 20
    assert_eq!(input["rows"], 20);
    assert_eq!(inventory["summary"]["resources"], 20);
    // jq '[.[].subscriptionId]|unique|length' → 6
    assert_eq!(inventory["summary"]["subscriptions"], 6);
    // jq -c '[.[].type]|group_by(.)|map({(.[0]):length})|add'
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    for resource_type in strings(&inventory, "type") {
        *types.entry(resource_type).or_default() += 1;
    }
    assert_eq!(types.len(), 13);
    assert_eq!(types["microsoft.storage/storageaccounts"], 6);
    assert_eq!(types["microsoft.servicebus/namespaces"], 2);
    assert_eq!(types["microsoft.dbforpostgresql/flexibleservers"], 2);
    assert_eq!(types["microsoft.sql/managedinstances"], 1);
    // jq '[.[].resourceGroup]|unique|length' → 15
    assert_eq!(sorted_unique(strings(&inventory, "resource_group")).len(), 15);
    // jq -c '.[]|select(.name=="resource-270")|[.resourceGroup,.subscriptionId,.location]'
    //   → ["rg-39","7777777-7777-7777-7777-777777777777","japaneast"]
    let mi = resource(&inventory, "resource-270");
    assert_eq!(mi["resource_group"], "rg-39");
    assert_eq!(mi["subscription_id"], "7777777-7777-7777-7777-777777777777");
    assert_eq!(mi["location"], "japaneast");
    // jq '[.[]|select(has("properties"))]|length' → 0: the query left them out, and the warning says how to add them
    let warnings = warnings(&inventory);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("the Resource Graph query left them out"), "{warnings:?}");
    assert!(warnings[0].contains("resources | project id, name, type, location, resourceGroup"), "{warnings:?}");
    // jq '[.[]|select((.id|split("/")[4]|ascii_downcase) != (.resourceGroup|ascii_downcase))]|length' → 0:
    // no resource-group warning
    assert!(!warnings.iter().any(|w| w.contains("contradicts")), "{warnings:?}");
}

#[test]
fn resource_graph_rows_are_assessed() {
    let Some(path) = shared_data(GRAPH) else { return };
    let assessment = assess_json(&[&path_arg(&path)]);
    // jq length → 20; jq '[.[].subscriptionId]|unique|length' → 6
    assert_eq!(assessment["summary"]["resources"], 20);
    assert_eq!(assessment["summary"]["subscriptions"], 6);
    // jq -r '.[]|select(.type=="microsoft.sql/managedinstances" or .type=="microsoft.insights/actiongroups"
    //   or .type=="microsoft.network/networkwatchers")|.name' → resource-270 and two more: rules/move-support.csv
    // says none of the three types moves to another subscription (`…,0` in move_subscription)
    assert_eq!(assessment["summary"]["blocked"], 3);
    let mi = resource(&assessment, "resource-270");
    assert_eq!(mi["csp_status"], "BLOCKED");
    assert_eq!(mi["reasons"][0]["code"], "cannot-move-subscription");
    // The warning about the missing properties reaches the assessment's inputs too.
    assert!(
        assessment["inputs"][0]["warnings"][0]["message"].as_str().unwrap().contains("left them out"),
        "{}",
        assessment["inputs"][0]
    );
}
