//! Each input shape the readers accept, read through the binary, with the values that came out.

use rust_decimal::Decimal;

use crate::support::*;

fn fixture_arg(relative: &str) -> String {
    path_arg(&fixture(relative))
}

#[test]
fn az_resource_list_json() {
    let inventory = inventory_json(&[&fixture_arg("inputs/az-resource-list.json")]);
    assert_eq!(inventory["inputs"][0]["format"], "az-json");
    assert_eq!(inventory["summary"]["resources"], 3);
    let plan = resource(&inventory, "plan-web");
    // az resource list has no subscriptionId field: it comes from the ID.
    assert_eq!(plan["subscription_id"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(plan["sku"]["name"], "S1");
    assert_eq!(plan["deployment_model"], "arm");
    let web = resource(&inventory, "contoso-web");
    assert_eq!(web["tags"]["owner"], "=HYPERLINK(\"http://evil.example\")");
    assert_eq!(resource(&inventory, "contosolegacy")["deployment_model"], "classic");
    assert_eq!(inventory["summary"]["classic"], 1);
}

#[test]
fn resource_graph_json_in_both_envelopes() {
    for (file, rows) in [("inputs/arg-data.json", "element /data/0"), ("inputs/arg-array.json", "element /0")] {
        let inventory = inventory_json(&[&fixture_arg(file)]);
        assert_eq!(inventory["inputs"][0]["format"], "arg-json", "{file}");
        assert_eq!(inventory["summary"]["resources"], 2, "{file}");
        let vm = resource(&inventory, "vm-app-01");
        assert_eq!(vm["type"], "microsoft.compute/virtualmachines");
        assert_eq!(vm["sources"][0]["location"], rows);
        // properties stay out unless asked for
        assert!(vm.get("properties").is_none(), "{file}");
    }
    let with = inventory_json(&[&fixture_arg("inputs/arg-data.json"), "--with-properties"]);
    assert_eq!(resource(&with, "vm-app-01")["properties"]["hardwareProfile"]["vmSize"], "Standard_D2s_v3");
}

#[test]
fn portal_csv_maps_display_types_and_builds_ids() {
    let inventory = inventory_json(&[&fixture_arg("inputs/portal-all-resources.csv")]);
    assert_eq!(inventory["inputs"][0]["format"], "portal-csv");
    let vm = resource(&inventory, "vm-app-01");
    assert_eq!(vm["type"], "Microsoft.Compute/virtualMachines");
    assert_eq!(vm["type_source"]["rule"], "rules/portal-types.csv line 2");
    assert_eq!(vm["location"], "westeurope");
    assert_eq!(
        vm["id"],
        "/subscriptions/Contoso Production/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-01"
    );
    assert_eq!(vm["sources"][0]["location"], "line 2");
    let classic = resource(&inventory, "erp-app01");
    assert_eq!(classic["type"], "Microsoft.ClassicCompute/virtualMachines");
    assert_eq!(classic["deployment_model"], "classic");
    let warnings = warnings(&inventory).join("\n");
    assert!(warnings.contains("no resource ID column and no subscription ID column"), "{warnings}");
    assert!(warnings.contains("unknown display type \"Quantum widget\""), "{warnings}");
}

#[test]
fn the_same_resource_in_two_inputs_is_merged_by_id_ignoring_case() {
    let inventory = inventory_json(&[
        &fixture_arg("inputs/arg-data.json"),
        &fixture_arg("inputs/portal-with-ids.csv"),
        &fixture_arg("inputs/usage-old.csv"),
    ]);
    let vm = resource(&inventory, "vm-app-01");
    assert_eq!(vm["sources"].as_array().unwrap().len(), 3);
    // Resource Graph has no subscription names; the portal export has.
    assert_eq!(vm["subscription_name"], "Contoso Production");
    // The first input wins: Resource Graph's lowercased type; usage's "RG-APP" is the same group.
    assert_eq!(vm["type"], "microsoft.compute/virtualmachines");
    assert_eq!(vm["resource_group"], "rg-app");
    assert_eq!(inventory["inputs"][1]["resources"], 1);
    assert!(warnings(&inventory).iter().all(|w| !w.contains("conflicts")), "{:?}", warnings(&inventory));
}

#[test]
fn conflicting_values_are_kept_from_the_first_input_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other-region.csv");
    std::fs::write(
        &other,
        "Name,Type,Resource group,Location,Subscription ID,Resource ID\n\
         vm-app-01,Virtual machine,rg-app,North Europe,11111111-2222-3333-4444-555555555555,\
         /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-01\n",
    )
    .unwrap();
    let inventory = inventory_json(&[&fixture_arg("inputs/arg-data.json"), &path_arg(&other)]);
    assert_eq!(resource(&inventory, "vm-app-01")["location"], "westeurope");
    let warning = &inventory["inputs"][1]["warnings"][0];
    assert_eq!(warning["location"], "line 2");
    assert!(warning["message"].as_str().unwrap().contains("location \"northeurope\" conflicts with \"westeurope\""));
}

#[test]
fn usage_csv_in_the_old_spelling() {
    let inventory = inventory_json(&[&fixture_arg("inputs/usage-old.csv")]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["format"], "usage-csv");
    assert_eq!(input["rows"], 4);
    assert_eq!(inventory["summary"]["usage_rows"], 4);
    // Two rows of one VM whose IDs differ in case: one resource, one meter, summed exactly.
    let vm = resource(&inventory, "vm-app-01");
    let meter = &vm["meters"][0];
    assert_eq!(vm["meters"].as_array().unwrap().len(), 1);
    assert_eq!(meter["rows"], 2);
    assert_eq!(decimal(&meter["quantity"]), Decimal::new(24, 0) + Decimal::new(125, 1));
    assert_eq!(decimal(&meter["cost"]), Decimal::new(4512, 3) + Decimal::new(235, 2));
    assert_eq!(meter["meter_name"], "Compute Hours");
    // SubscriptionGuid, not the numeric legacy SubscriptionId
    assert_eq!(vm["subscription_id"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(vm["tags"]["env"], "prod");
    assert_eq!(vm["consumed_service"], "Microsoft.Compute");
    // The bare GUID row: a classic resource typed from consumed service + meter category.
    let classic = resource(&inventory, "0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4");
    assert_eq!(classic["deployment_model"], "classic");
    assert_eq!(classic["type"], "Microsoft.ClassicStorage/storageAccounts");
    assert_eq!(classic["type_source"]["rule"], "rules/classic-usage-types.csv line 2");
    assert_eq!(classic["sources"][0]["location"], "line 4");
    // The support row has no resource ID: reported, not silently dropped.
    let warnings = warnings(&inventory).join("\n");
    assert!(warnings.contains("1 row(s) have no resource ID") && warnings.contains("(cost 29)"), "{warnings}");
}

#[test]
fn usage_csv_in_the_new_spelling_sums_the_finops_export_exactly() {
    let Some(path) = shared_data("finops-EA_AmortizedCost_Small.csv") else { return };
    let inventory = inventory_json(&[&path_arg(&path)]);
    assert_eq!(inventory["inputs"][0]["rows"], 28);
    assert_eq!(inventory["inputs"][0]["encoding"], "UTF-8 with BOM");

    // The oracle: the Cost and Quantity columns summed straight from the file.
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == name).unwrap();
    let (cost_column, quantity_column, id_column) = (column("Cost"), column("Quantity"), column("ResourceId"));
    let (mut cost, mut quantity, mut ids) = (Decimal::ZERO, Decimal::ZERO, std::collections::BTreeSet::new());
    for record in reader.records() {
        let record = record.unwrap();
        cost += record[cost_column].parse::<Decimal>().unwrap();
        quantity += record[quantity_column].parse::<Decimal>().unwrap();
        ids.insert(record[id_column].to_ascii_lowercase());
    }

    let meters = inventory["resources"].as_array().unwrap().iter().flat_map(|r| r["meters"].as_array().unwrap());
    let (read_cost, read_quantity) =
        meters.fold((Decimal::ZERO, Decimal::ZERO), |(c, q), m| (c + decimal(&m["cost"]), q + decimal(&m["quantity"])));
    assert_eq!(read_cost, cost);
    assert_eq!(read_quantity, quantity);
    // The same figure by Python's decimal module over the Cost column.
    assert_eq!(read_cost, "16.29693213663664462748541900".parse::<Decimal>().unwrap());
    assert_eq!(inventory["summary"]["resources"], ids.len());
    assert_eq!(ids.len(), 22);
}

#[test]
fn xlsx_workbooks_are_read_from_the_first_recognised_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.xlsx");
    write_usage_workbook(&path, "0.7829");
    let inventory = inventory_json(&[&path_arg(&path)]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["format"], "usage-csv");
    assert_eq!(input["sheet"], "Usage");
    let storage = resource(&inventory, "0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4");
    // Written by Excel as a float; read back as the decimal Excel shows, not 0.78290000000000004.
    assert_eq!(storage["meters"][0]["quantity"], "0.7829");
    assert_eq!(storage["meters"][0]["cost"], "0.0744");
    assert_eq!(storage["sources"][0]["location"], "sheet \"Usage\", row 3");
}

#[test]
fn xlsx_errors_name_the_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.xlsx");
    write_usage_workbook(&path, "n/a");
    let stderr = inventory_fails(&[&path_arg(&path)]);
    assert!(
        stderr.contains(
            "sheet \"Usage\", cell C3, column \"Consumed Quantity\": expected a decimal number, found \"n/a\""
        ),
        "{stderr}"
    );
    let stderr = inventory_fails(&[&path_arg(&path), "--sheet", "Notes"]);
    assert!(stderr.contains("sheet \"Notes\": \"Prepared by\", \"Date\""), "{stderr}");
}

/// A workbook whose first sheet is a cover note and whose second holds usage rows, the way
/// consultants pass exports around. Row 2 of the usage sheet is a title line above the header.
fn write_usage_workbook(path: &std::path::Path, quantity: &str) {
    use rust_xlsxwriter::Workbook;
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet().set_name("Notes").unwrap();
    notes.write(0, 0, "Prepared by").unwrap();
    notes.write(0, 1, "Date").unwrap();
    let usage = workbook.add_worksheet().set_name("Usage").unwrap();
    for (column, header) in
        ["Instance ID", "Meter Category", "Consumed Quantity", "ExtendedCost", "Consumed Service"].iter().enumerate()
    {
        usage.write(1, column as u16, *header).unwrap();
    }
    usage.write(0, 0, "Usage Data Extract").unwrap();
    usage.write(2, 0, "0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4").unwrap();
    usage.write(2, 1, "Storage").unwrap();
    match quantity.parse::<f64>() {
        Ok(number) => usage.write(2, 2, number).unwrap(),
        Err(_) => usage.write(2, 2, quantity).unwrap(),
    };
    usage.write(2, 3, 0.0744).unwrap();
    usage.write(2, 4, "Storage").unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn utf16_little_endian_from_powershell() {
    let inventory = inventory_json(&[&fixture_arg("inputs/portal-utf16le.csv")]);
    let input = &inventory["inputs"][0];
    assert_eq!(input["encoding"], "UTF-16 LE");
    let vm = resource(&inventory, "vm-zürich-01");
    assert_eq!(vm["subscription_id"], "22222222-3333-4444-5555-666666666666");
    assert_eq!(vm["location"], "switzerlandnorth");
    // The #TYPE line of Export-Csv is line 1, the header line 2.
    assert_eq!(vm["sources"][0]["location"], "line 3");
    assert!(warnings(&inventory).iter().any(|w| w.contains("1 line(s) before the header row were skipped")));
}

#[test]
fn utf16_big_endian() {
    let inventory = inventory_json(&[&fixture_arg("inputs/usage-utf16be.csv")]);
    assert_eq!(inventory["inputs"][0]["encoding"], "UTF-16 BE");
    let meter = &resource(&inventory, "vm-zürich-01")["meters"][0];
    assert_eq!(meter["cost"], "2.88");
    assert_eq!(meter["currency"], "CHF");
}

#[test]
fn windows_1252() {
    let inventory = inventory_json(&[&fixture_arg("inputs/portal-windows1252.csv")]);
    assert_eq!(inventory["inputs"][0]["encoding"], "Windows-1252");
    let web = resource(&inventory, "café-web");
    assert_eq!(web["resource_group"], "rg-café");
    assert_eq!(web["type"], "Microsoft.Web/sites");
}

#[test]
fn semicolons_and_decimal_commas() {
    let inventory = inventory_json(&[&fixture_arg("inputs/usage-semicolon.csv")]);
    let meter = &resource(&inventory, "stdeprod")["meters"][0];
    // 1.234,5 + 0,5 and 24,69 + 0,01
    assert_eq!(decimal(&meter["quantity"]), Decimal::new(12350, 1));
    assert_eq!(decimal(&meter["cost"]), Decimal::new(2470, 2));
}

#[test]
fn input_format_overrides_detection() {
    let inventory = inventory_json(&[&fixture_arg("errors/two-kinds.csv"), "--input-format", "portal-csv"]);
    assert_eq!(inventory["inputs"][0]["format"], "portal-csv");
    assert_eq!(resource(&inventory, "vm1")["type"], "Microsoft.Compute/virtualMachines");
}

/// Files larger than a parsing block (the reader cuts CSV text into blocks of whole lines that two
/// threads parse) must read exactly as one parser reads them: quoted cells holding line breaks,
/// CRLF and LF lines, and blank lines all cross block boundaries here.
#[test]
fn large_csv_reads_exactly_across_parsing_blocks() {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage-large.csv");
    let mut text = String::from("ResourceId,MeterCategory,MeterName,Quantity,Cost,BillingCurrency,Tags\n");
    // Every row is reported at the line its text starts on, blank lines before it or not.
    let mut line = 2u64;
    // resource → (first line, quantity total in thousandths, rows)
    let mut expected: BTreeMap<String, (u64, i64, u64)> = BTreeMap::new();
    for row in 0..12_000u64 {
        let name = format!("vm-{:03}", row % 97);
        let id = format!(
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{name}"
        );
        let quantity = (row % 999) as i64 + 1; // thousandths, 0.001 to 0.999
        let multiline = row % 7 == 0;
        let end = if row % 2 == 0 { "\r\n" } else { "\n" };
        let tags =
            if multiline { format!("\"\"\"note\"\": \"\"first line{end}second line\"\"\"") } else { String::new() };
        write!(text, "{id},Virtual Machines,Compute Hours,0.{quantity:03},0,USD,{tags}{end}").unwrap();
        let entry = expected.entry(name).or_insert((line, 0, 0));
        entry.1 += quantity;
        entry.2 += 1;
        line += 1 + u64::from(multiline);
        if row % 500 == 0 {
            text.push('\n');
            line += 1;
        }
    }
    assert!(text.len() > 1_000_000, "the file must span several parsing blocks");
    std::fs::write(&path, &text).unwrap();

    let inventory = inventory_json(&[&path_arg(&path)]);
    assert_eq!(inventory["inputs"][0]["rows"], 12_000);
    assert_eq!(inventory["summary"]["resources"], expected.len());
    for (name, (first_line, thousandths, rows)) in expected {
        let resource = resource(&inventory, &name);
        assert_eq!(resource["sources"][0]["location"], format!("line {first_line}"), "{name}");
        assert_eq!(decimal(&resource["meters"][0]["quantity"]), Decimal::new(thousandths, 3), "{name}");
        assert_eq!(resource["meters"][0]["rows"], rows, "{name}");
    }
}
