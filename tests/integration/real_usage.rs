//! The usage and cost exports others published (`../shared/data/real/`), read through the binary. Every literal
//! below is derived from the file itself by the one-liner in its comment (run in `../shared/data/real/`).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{csp_planner, fixture, inventory_json, path_arg, shared_data};

fn real(name: &str) -> Option<String> {
    shared_data(&format!("real/{name}")).map(|p| path_arg(&p))
}

fn cost_json(args: &[&str]) -> Value {
    let output = csp_planner().arg("cost").args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cost {args:?} failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn decimal(value: &Value) -> Decimal {
    Decimal::from_str(value.as_str().unwrap_or_else(|| panic!("not a decimal string: {value}"))).unwrap()
}

/// The one resource of a one-row export, with its one meter.
fn only_resource(inventory: &Value) -> (&Value, &Value) {
    let resources = inventory["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{inventory}");
    let meters = resources[0]["meters"].as_array().unwrap();
    assert_eq!(meters.len(), 1);
    (&resources[0], &meters[0])
}

fn warnings_of(inventory: &Value) -> String {
    inventory["inputs"][0]["warnings"].to_string()
}

#[test]
fn the_camel_case_azure_plan_export_is_a_storage_account_costing_0_012_usd() {
    let Some(path) = real("usage-csp-azure-plan-camel-opencost-EnterpriseCamel.csv") else { return };
    let inventory = inventory_json(&[&path]);
    assert_eq!(inventory["inputs"][0]["format"], "usage-csv");
    let (resource, meter) = only_resource(&inventory);
    // python3 -c "import csv; r=next(csv.DictReader(open('usage-csp-azure-plan-camel-opencost-EnterpriseCamel.csv')));
    //   print(r['ResourceId'], r['SubscriptionId'], r['resourceGroupName'], r['resourceLocation'], r['quantity'],
    //   r['costInBillingCurrency'], r['billingCurrency'])"
    assert_eq!(resource["type"], "Microsoft.Storage/storageAccounts");
    assert_eq!(resource["name"], "storename");
    assert_eq!(resource["subscription_id"], "11111111-1111-1111-1111-123456789012");
    assert_eq!(resource["resource_group"], "testspot");
    assert_eq!(resource["location"], "westus"); // resourceLocation WESTUS
    assert_eq!(decimal(&meter["quantity"]), Decimal::from(3));
    assert_eq!(meter["cost"], "0.012");
    assert_eq!(meter["currency"], "USD");
    let cost = cost_json(&[&path]);
    assert_eq!(cost["totals"]["ea_cost"], "0.012");
    assert_eq!(cost["currency"], "USD");
}

#[test]
fn the_ea_cost_details_export_is_a_scale_set_billed_in_cad() {
    let Some(path) = real("usage-ea-cost-details-opencost-Enterprise.csv") else { return };
    let inventory = inventory_json(&[&path]);
    let (resource, meter) = only_resource(&inventory);
    // python3 -c "import csv; r=next(csv.DictReader(open('usage-ea-cost-details-opencost-Enterprise.csv')));
    //   print(r['ResourceId'].split('/')[-2:], r['ResourceLocation'], r['Quantity'], r['CostInBillingCurrency'],
    //   r['BillingCurrencyCode'])"  → virtualMachineScaleSets aks-defaultpool-12345678-vmss canadacentral 10 0 CAD
    assert_eq!(resource["type"], "Microsoft.Compute/virtualMachineScaleSets");
    assert_eq!(resource["name"], "aks-defaultpool-12345678-vmss");
    assert_eq!(resource["location"], "canadacentral");
    assert_eq!(decimal(&meter["quantity"]), Decimal::from(10));
    assert_eq!(decimal(&meter["cost"]), Decimal::ZERO);
    assert_eq!(meter["currency"], "CAD");
    assert_eq!(cost_json(&[&path])["currency"], "CAD");
}

/// Three spellings of one pay-as-you-go row: English headers, German headers carrying the English name in
/// parentheses, and a mix of both with the resource ID in InstanceName. All read alike.
#[test]
fn the_pay_as_you_go_load_balancer_row_reads_alike_in_every_spelling() {
    for name in ["usage-payg-opencost-PayAsYouGo.csv", "usage-payg-german-opencost-German.csv", "usage-opencost-YA.csv"]
    {
        let Some(path) = real(name) else { return };
        let inventory = inventory_json(&[&path]);
        assert_eq!(inventory["inputs"][0]["format"], "usage-csv", "{name}");
        let (resource, meter) = only_resource(&inventory);
        // python3 -c "import csv,sys; r=next(csv.reader(open(sys.argv[1]))); print(r)" FILE: the instance ID
        //   …/Microsoft.Network/loadBalancers/kubernetes, quantity 3, cost 0.075, currency USD
        assert_eq!(resource["type"], "Microsoft.Network/loadBalancers", "{name}");
        assert_eq!(resource["name"], "kubernetes", "{name}");
        assert_eq!(resource["subscription_id"], "11111111-12ab-34dc-56ef-123456abcdef", "{name}");
        assert_eq!(resource["resource_group"], "Example-Resource-Group", "{name}");
        // ResourceLocation "US East", the display form: read as its ARM name.
        assert_eq!(resource["location"], "eastus", "{name}");
        assert_eq!(decimal(&meter["quantity"]), Decimal::from(3), "{name}");
        assert_eq!(meter["cost"], "0.075", "{name}");
        assert_eq!(meter["currency"], "USD", "{name}");
        assert_eq!(meter["meter_category"], "Load Balancer", "{name}");
        assert_eq!(cost_json(&[&path])["totals"]["ea_cost"], "0.075", "{name}");
    }
}

#[test]
fn the_cost_only_virtual_machine_export_reads_its_cost_and_says_it_has_no_quantity() {
    let Some(path) = real("usage-vm-opencost-VirtualMachine.csv") else { return };
    let inventory = inventory_json(&[&path]);
    let (resource, meter) = only_resource(&inventory);
    // python3 -c "import csv; r=next(csv.DictReader(open('usage-vm-opencost-VirtualMachine.csv')));
    //   print(list(r), r['InstanceId'].split('/')[-1], r['costinbillingcurrency'])"
    //   → no quantity column; aks-nodepool1-12345678-vmss 4
    assert_eq!(resource["name"], "aks-nodepool1-12345678-vmss");
    assert_eq!(meter["cost"], "4");
    assert_eq!(decimal(&meter["quantity"]), Decimal::ZERO);
    assert!(warnings_of(&inventory).contains("the export has no quantity column"), "{}", warnings_of(&inventory));
    assert_eq!(cost_json(&[&path])["totals"]["ea_cost"], "4");
}

#[test]
fn the_focus_sample_reads_the_microsoft_rows_and_counts_the_other_clouds() {
    let Some(path) = real("usage-focus10-multicloud-focus_sample.csv") else { return };
    let inventory = inventory_json(&[&path]);
    assert_eq!(inventory["inputs"][0]["format"], "focus-csv");
    // python3 -c "import csv,collections; r=list(csv.DictReader(open('usage-focus10-multicloud-focus_sample.csv')));
    //   print(collections.Counter(x['ProviderName'] for x in r))"  → AWS 942, Microsoft 51, Oracle 7
    assert_eq!(inventory["summary"]["usage_rows"], 51);
    let warnings = warnings_of(&inventory);
    assert!(
        warnings.contains("949 row(s) of other providers were not read (ProviderName: AWS (942), Oracle (7))"),
        "{warnings}"
    );
    // python3 -c "import csv; r=[x for x in csv.DictReader(open('usage-focus10-multicloud-focus_sample.csv'))
    //   if x['ProviderName']=='Microsoft']; print(len({x['ResourceId'].lower() for x in r}),
    //   len({x['ResourceId'].split('/')[2] for x in r}))"  → 36 3
    assert_eq!(inventory["summary"]["resources"], 36);
    assert_eq!(inventory["summary"]["subscriptions"], 3);
    let resources = inventory["resources"].as_array().unwrap();
    // ResourceType is a display name ("Storage account"): the type comes from the resource ID.
    assert!(resources.iter().all(|r| r["type"].as_str().unwrap().starts_with("microsoft.")), "{inventory}");
    // NULL is empty: no resource has a "NULL" text anywhere.
    assert!(!inventory["resources"].to_string().contains("\"NULL\""));
    let cost = cost_json(&[&path]);
    // python3 -c "import csv; from decimal import Decimal as D; r=[x for x in
    //   csv.DictReader(open('usage-focus10-multicloud-focus_sample.csv')) if x['ProviderName']=='Microsoft'];
    //   print(sum(D(x['BilledCost']) for x in r), len({x['SubAccountId'] for x in r}),
    //   sum(1 for x in r if x['ConsumedQuantity'].startswith('-')))"  → 1.97651418586 4 12
    assert_eq!(cost["totals"]["ea_cost"], "1.97651418586");
    // The same one-liner over EffectiveCost prints 1.97651418586 too: this sample bills no commitment.
    assert_eq!(cost["totals"]["amortized_cost"], "1.97651418586");
    assert_eq!(cost["currency"], "USD");
    // SubAccountId is the subscription's path: the GUIDs are read from it.
    let subscriptions: Vec<&str> =
        cost["subscriptions"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(subscriptions.len(), 4);
    assert!(subscriptions.iter().all(|id| !id.starts_with("/subscriptions/") && id.len() == 36), "{subscriptions:?}");
    let warnings = cost["warnings"].to_string();
    assert!(warnings.contains("12 row(s) have a negative quantity and cost: corrections"), "{warnings}");
}

/// Our own fixture of every commitment kind: a reservation (its purchase and its unused hours), a savings plan, a
/// Marketplace purchase without a resource, Marketplace usage of a VM, a refund, and usage covered by each.
#[test]
fn commitments_and_purchases_are_listed_not_read_as_resources() {
    let path = path_arg(&fixture("commitments/usage-commitments.csv"));
    let inventory = inventory_json(&[&path]);
    let names: Vec<&str> =
        inventory["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["vm-marketplace", "vm-ondemand", "vm-reserved", "vm-saved"]);
    assert_eq!(inventory["resources"][0]["flags"], serde_json::json!(["marketplace-plan"]));
    let commitments = inventory["commitments"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str, u64, u64)> = commitments
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap();
            (
                c["kind"].as_str().unwrap(),
                id.rsplit('/').next().unwrap(),
                c["cost"].as_str().unwrap(),
                c["rows"].as_u64().unwrap(),
                c["first"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("reservation", "res-2222", "888.50", 2, 4),
            ("savings-plan", "sp-4444", "100.00", 1, 6),
            ("marketplace", "mpo-5555", "49.99", 1, 8),
            ("marketplace", "vm-marketplace", "2.40", 1, 9),
            ("purchase", "po-6666", "-10.00", 1, 10),
        ]
    );
    assert_eq!(commitments[0]["order_id"], "ord-1111");
    assert_eq!(commitments[1]["order_id"], "spo-3333");
    let cost = cost_json(&[&path, "--discount", "10"]);
    assert_eq!(cost["commitments"], inventory["commitments"]);
    // vm-reserved 3.20 + vm-saved 1.75: covered, no CSP price.
    assert_eq!(cost["totals"]["covered_ea_cost"], "4.95");
    assert_eq!(cost["totals"]["unpriced_ea_cost"], "0");
    let covered = cost["rows"].as_array().unwrap().iter().filter(|r| r["csp_cost"].is_null()).count();
    assert_eq!(covered, 2);
    let assessment = crate::support::assess_json(&[&path]);
    assert_eq!(assessment["commitments"], inventory["commitments"]);
    assert!(!assessment["resources"].to_string().contains("\"unknown\""));
}

/// A FOCUS file whose Microsoft rows hold a purchase and a correction of it: ChargeCategory and ChargeClass stand in
/// for ChargeType.
#[test]
fn focus_purchases_and_corrections_are_commitments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("focus.csv");
    let header = "BilledCost,EffectiveCost,BillingCurrency,ChargeCategory,ChargeClass,CommitmentDiscountId,\
                  ConsumedQuantity,ProviderName,ResourceId,ResourceName,ServiceName,SubAccountId,ChargePeriodStart";
    let reservation = "/providers/Microsoft.Capacity/reservationOrders/o1/reservations/r1";
    let vm = "/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
    let rows = [
        format!(
            "120,0,USD,Purchase,NULL,{reservation},1,Microsoft,NULL,NULL,Virtual Machines,/subscriptions/s-1,2026-10-01"
        ),
        format!(
            "-20,0,USD,Purchase,Correction,{reservation},1,Microsoft,NULL,NULL,Virtual Machines,/subscriptions/s-1,2026-10-02"
        ),
        format!("0,4,USD,Usage,NULL,{reservation},8,Microsoft,{vm},vm1,Virtual Machines,/subscriptions/s-1,2026-10-01"),
        "3,3,USD,Usage,NULL,NULL,1,AWS,arn:aws:ec2:x,NULL,EC2,1234,2026-10-01".to_string(),
    ];
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let path = path_arg(&path);
    let inventory = inventory_json(&[&path]);
    assert_eq!(inventory["summary"]["resources"], 1);
    let commitments = inventory["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), 1, "{commitments:?}");
    assert_eq!(commitments[0]["kind"], "reservation");
    assert_eq!(commitments[0]["cost"], "100");
    assert_eq!(commitments[0]["rows"], 2);
    assert_eq!(commitments[0]["subscription_id"], "s-1");
    let cost = cost_json(&[&path]);
    // The VM's usage is covered by the reservation (CommitmentDiscountId set): BilledCost 0, no CSP price.
    assert_eq!(cost["totals"]["covered_ea_cost"], "0");
    // EffectiveCost is the amortized cost: the purchase and its correction 0, the covered usage 4.
    assert_eq!(cost["totals"]["amortized_cost"], "4");
    let vm_row = cost["rows"].as_array().unwrap().iter().find(|r| r["resource_id"] == vm).unwrap();
    assert_eq!(vm_row["amortized_cost"], "4");
    assert_eq!(vm_row["ea_cost"], "0");
    assert!(cost["warnings"].to_string().contains("1 row(s) of other providers were not read (ProviderName: AWS (1))"));
}
