//! Compressed, columnar and partitioned usage exports: the same usage rows as a CSV, a `.csv.gz`, a Snappy
//! Parquet file and partitioned export runs (CSV parts, Parquet parts) read to the same inventory and the same
//! cost assessment; a real published export read the same once gzip-compressed; damaged inputs refused with
//! exit 2 and their names.
//!
//! The fixtures of `tests/fixtures/columnar/` are written from its `usage.csv` by
//! `cargo run --example make_columnar_fixtures`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::support::{command_fails, csp_planner, fixture, inventory_json, path_arg, shared_data};

/// The same ten usage rows in every container Cost Management exports.
const SAME_ROWS: &[&str] = &[
    "columnar/usage.csv",
    "columnar/usage.csv.gz",
    "columnar/usage.parquet",
    "columnar/partitioned",
    "columnar/partitioned/manifest.json",
    "columnar/partitioned-parquet",
];

fn run(command: &str, args: &[&str]) -> Output {
    csp_planner().arg(command).args(args).args(["--format", "json"]).output().unwrap()
}

fn cost_json(args: &[&str]) -> Value {
    let output = run("cost", args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cost {args:?} failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The output without what names the input file: its summary and each resource's source locations.
fn without_paths(mut report: Value) -> Value {
    if let Some(object) = report.as_object_mut() {
        object.remove("inputs");
    }
    for resource in report["resources"].as_array_mut().into_iter().flatten() {
        resource.as_object_mut().unwrap().remove("sources");
    }
    report
}

fn meter_cost_total(inventory: &Value) -> rust_decimal::Decimal {
    let meters = inventory["resources"].as_array().unwrap().iter().flat_map(|r| r["meters"].as_array().unwrap());
    meters.map(|m| m["cost"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum()
}

#[test]
fn every_container_gives_the_inventory_of_the_csv() {
    let csv = inventory_json(&[&path_arg(&fixture(SAME_ROWS[0]))]);
    // python3 -c "import csv; print(len({r['ResourceId'].lower() for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))}))"
    assert_eq!(csv["summary"]["resources"], 5);
    // python3 -c "import csv; print(len(list(csv.DictReader(open('tests/fixtures/columnar/usage.csv')))))"
    assert_eq!(csv["summary"]["usage_rows"], 10);
    // python3 -c "import csv; print(len({r['SubscriptionId'] for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))}))"
    assert_eq!(csv["summary"]["subscriptions"], 2);
    // python3 -c "import csv; from decimal import Decimal as D; print(sum(D(r['Cost']) for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))))"
    assert_eq!(meter_cost_total(&csv).to_string(), "7.751065477");
    let expected = without_paths(csv);
    for input in &SAME_ROWS[1..] {
        let report = inventory_json(&[&path_arg(&fixture(input))]);
        assert_eq!(report["inputs"].as_array().unwrap().len(), 1, "{input}: one input summary");
        assert_eq!(report["inputs"][0]["format"], "usage-csv", "{input}");
        assert_eq!(report["inputs"][0]["rows"], 10, "{input}");
        assert_eq!(without_paths(report), expected, "{input} reads otherwise than the CSV");
    }
}

#[test]
fn the_input_summary_names_the_container_and_the_parts() {
    let gzip = inventory_json(&[&path_arg(&fixture("columnar/usage.csv.gz"))]);
    assert_eq!(gzip["inputs"][0]["container"], "gzip");
    assert_eq!(gzip["inputs"][0]["encoding"], "UTF-8");
    let parquet = inventory_json(&[&path_arg(&fixture("columnar/usage.parquet"))]);
    assert_eq!(parquet["inputs"][0]["container"], "parquet");
    assert_eq!(parquet["inputs"][0]["encoding"], Value::Null);
    let plain = inventory_json(&[&path_arg(&fixture("columnar/usage.csv"))]);
    assert!(plain["inputs"][0].get("container").is_none(), "a plain CSV's summary is as it always was");

    let partitioned = inventory_json(&[&path_arg(&fixture("columnar/partitioned-parquet"))]);
    let input = &partitioned["inputs"][0];
    assert_eq!(input["container"], "partitioned");
    // jq -r '.blobs[].blobName | split("/") | last' tests/fixtures/columnar/partitioned-parquet/manifest.json
    let parts: Vec<String> = input["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["container"], "parquet");
            Path::new(p["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(parts, ["part_0_0001.snappy.parquet", "part_0_0002.snappy.parquet"]);
    assert_eq!(input["warnings"], serde_json::json!([]));
}

#[test]
fn rows_are_named_by_row_group_and_by_part() {
    let vm_dev = |report: &Value| {
        let resources = report["resources"].as_array().unwrap();
        let vm = resources.iter().find(|r| r["name"] == "vm-dev-01").unwrap();
        vm["sources"][0]["location"].as_str().unwrap().to_string()
    };
    // vm-dev-01 is first on the 7th data row:
    // python3 -c "import csv; print([i for i, r in enumerate(csv.DictReader(open('tests/fixtures/columnar/usage.csv')), 1) if r['ResourceId'].endswith('vm-dev-01')][0])"
    // which is line 8 of the CSV, row 3 of the second row group of 4 rows, line 2 of the second part (rows 7–10).
    assert_eq!(vm_dev(&inventory_json(&[&path_arg(&fixture("columnar/usage.csv"))])), "line 8");
    assert_eq!(vm_dev(&inventory_json(&[&path_arg(&fixture("columnar/usage.parquet"))])), "row group 2, row 3");
    let partitioned = inventory_json(&[&path_arg(&fixture("columnar/partitioned"))]);
    assert_eq!(vm_dev(&partitioned), "part \"part_0_0002.csv\", line 2");
    let parquet_parts = inventory_json(&[&path_arg(&fixture("columnar/partitioned-parquet"))]);
    assert_eq!(vm_dev(&parquet_parts), "part \"part_0_0002.snappy.parquet\", row group 1, row 1");
}

#[test]
fn every_container_gives_the_cost_of_the_csv() {
    let csv = cost_json(&[&path_arg(&fixture(SAME_ROWS[0]))]);
    // python3 -c "import csv; from decimal import Decimal as D; print(sum(D(r['Cost']) for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))))"
    assert_eq!(csv["totals"]["ea_cost"], "7.751065477");
    // python3 -c "import csv; print({r['BillingCurrency'] for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))})"
    assert_eq!(csv["currency"], "EUR");
    // python3 -c "import csv; print(len({(r['ResourceId'], r['MeterId']) for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv'))}))"
    assert_eq!(csv["rows"].as_array().unwrap().len(), 6);
    // python3 -c "import csv; from decimal import Decimal as D; print(sum(D(r['Cost']) for r in csv.DictReader(open('tests/fixtures/columnar/usage.csv')) if r['SubscriptionName'] == 'Contoso Dev'))"
    let dev = csv["subscriptions"].as_array().unwrap().iter().find(|s| s["name"] == "Contoso Dev").unwrap();
    assert_eq!(dev["ea_cost"], "1.5264");
    let expected = without_paths(csv);
    for input in &SAME_ROWS[1..] {
        let report = cost_json(&[&path_arg(&fixture(input))]);
        assert_eq!(report["inputs"][0]["rows"], 10, "{input}");
        assert_eq!(without_paths(report), expected, "{input} costs otherwise than the CSV");
    }
}

#[test]
fn gzip_and_parquet_are_known_by_content_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let gzip_named_csv = dir.path().join("usage.csv");
    std::fs::copy(fixture("columnar/usage.csv.gz"), &gzip_named_csv).unwrap();
    let parquet_named_csv = dir.path().join("export.csv");
    std::fs::copy(fixture("columnar/usage.parquet"), &parquet_named_csv).unwrap();
    let expected = without_paths(inventory_json(&[&path_arg(&fixture("columnar/usage.csv"))]));
    let gzip = inventory_json(&[&path_arg(&gzip_named_csv)]);
    assert_eq!(gzip["inputs"][0]["container"], "gzip");
    assert_eq!(without_paths(gzip), expected);
    let parquet = inventory_json(&[&path_arg(&parquet_named_csv)]);
    assert_eq!(parquet["inputs"][0]["container"], "parquet");
    assert_eq!(without_paths(parquet), expected);
}

fn gzip(from: &Path, to: &Path) {
    let mut encoder = flate2::write::GzEncoder::new(std::fs::File::create(to).unwrap(), flate2::Compression::default());
    encoder.write_all(&std::fs::read(from).unwrap()).unwrap();
    encoder.finish().unwrap();
}

/// What a command printed, with the input's path replaced so that two inputs can be compared.
fn outcome(command: &str, input: &Path) -> (Option<i32>, String, String) {
    let output = run(command, &[&path_arg(input)]);
    let name = path_arg(input);
    let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&name, "INPUT");
    let mut stdout = clean(&output.stdout);
    if let Ok(report) = serde_json::from_str::<Value>(&stdout) {
        let mut report = without_paths(report);
        report.as_object_mut().map(|o| o.remove("inputs"));
        stdout = report.to_string();
    }
    (output.status.code(), stdout, clean(&output.stderr))
}

#[test]
fn a_real_export_gzip_compressed_reads_as_the_csv() {
    let Some(payg) = shared_data("real/usage-payg-opencost-PayAsYouGo.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let compressed = dir.path().join("usage-payg-opencost-PayAsYouGo.csv.gz");
    gzip(&payg, &compressed);
    let plain = inventory_json(&[&path_arg(&payg)]);
    let report = inventory_json(&[&path_arg(&compressed)]);
    assert_eq!(report["inputs"][0]["container"], "gzip");
    // python3 -c "import csv; print(len(list(csv.DictReader(open('../shared/data/real/usage-payg-opencost-PayAsYouGo.csv')))))"
    assert_eq!(report["inputs"][0]["rows"], 1);
    // python3 -c "import csv; print([r['InstanceId'] for r in csv.DictReader(open('../shared/data/real/usage-payg-opencost-PayAsYouGo.csv'))])"
    assert_eq!(
        report["resources"][0]["id"],
        "/subscriptions/11111111-12ab-34dc-56ef-123456abcdef/resourceGroups/Example-Resource-Group/providers/Microsoft.Network/loadBalancers/kubernetes"
    );
    // python3 -c "import csv; print([(r['PreTaxCost'], r['UsageQuantity']) for r in csv.DictReader(open('../shared/data/real/usage-payg-opencost-PayAsYouGo.csv'))])"
    assert_eq!(report["resources"][0]["meters"][0]["cost"], "0.075");
    assert_eq!(report["resources"][0]["meters"][0]["quantity"], "3");
    assert_eq!(without_paths(report), without_paths(plain));
    assert_eq!(cost_json(&[&path_arg(&compressed)])["totals"], cost_json(&[&path_arg(&payg)])["totals"]);
}

#[test]
fn every_real_usage_export_gzip_compressed_gives_what_the_csv_gives() {
    // Whatever each real file gives today (read, or refused with a message), its gzip copy gives the same.
    let names = [
        "usage-csp-azure-plan-camel-opencost-EnterpriseCamel.csv",
        "usage-ea-cost-details-opencost-Enterprise.csv",
        "usage-ea-header-only-finops-EA_NoRows.csv",
        "usage-focus10-multicloud-focus_sample.csv",
        "usage-opencost-YA.csv",
        "usage-payg-bom-opencost-BOM.csv",
        "usage-payg-german-opencost-German.csv",
        "usage-payg-opencost-PayAsYouGo.csv",
        "usage-vm-opencost-VirtualMachine.csv",
    ];
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let Some(plain) = shared_data(&format!("real/{name}")) else { return };
        let same_name = dir.path().join(name);
        gzip(&plain, &same_name);
        for command in ["inventory", "cost"] {
            let (plain_code, plain_out, plain_err) = outcome(command, &plain);
            let (code, out, err) = outcome(command, &same_name);
            assert_eq!(code, plain_code, "{command} {name}: {err}");
            assert_eq!(out, plain_out, "{command} {name}");
            assert_eq!(err, plain_err, "{command} {name}");
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn partitioned_copy(dir: &Path) -> PathBuf {
    let run = dir.join("run");
    copy_dir(&fixture("columnar/partitioned"), &run);
    run
}

#[test]
fn a_truncated_gzip_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("usage.csv.gz");
    let bytes = std::fs::read(fixture("columnar/usage.csv.gz")).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    for command in ["inventory", "cost"] {
        let stderr = command_fails(command, &[&path_arg(&truncated)]);
        assert!(stderr.contains(&path_arg(&truncated)), "{stderr}");
        assert!(stderr.contains("the gzip stream ends early: the file is truncated"), "{stderr}");
    }
}

#[test]
fn a_damaged_parquet_file_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("columnar/usage.parquet")).unwrap();
    // Cut short: the footer (schema, row groups) is lost.
    let cut = dir.path().join("cut.parquet");
    std::fs::write(&cut, [&bytes[..bytes.len() / 2], b"PAR1"].concat()).unwrap();
    let stderr = command_fails("inventory", &[&path_arg(&cut)]);
    assert!(stderr.contains(&format!("{}: not a readable Parquet file", path_arg(&cut))), "{stderr}");
    // The data pages damaged, the footer intact: named down to the row group.
    let damaged = dir.path().join("damaged.parquet");
    let mut pages = bytes.clone();
    for byte in &mut pages[200..2000] {
        *byte ^= 0x5A;
    }
    std::fs::write(&damaged, pages).unwrap();
    for command in ["inventory", "cost"] {
        let stderr = command_fails(command, &[&path_arg(&damaged)]);
        assert!(
            stderr.contains(&format!("{}, row group 1: cannot read the Parquet data", path_arg(&damaged))),
            "{stderr}"
        );
    }
}

/// A Parquet usage file with text columns only, in row groups of two rows.
fn write_text_parquet(path: &Path, compression: parquet::basic::Compression, header: &[&str], rows: &[&[&str]]) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let columns: Vec<String> = header.iter().map(|name| format!("REQUIRED BYTE_ARRAY {name} (UTF8);")).collect();
    let schema =
        parquet::schema::parser::parse_message_type(&format!("message m {{ {} }}", columns.join(" "))).unwrap();
    let properties = std::sync::Arc::new(WriterProperties::builder().set_compression(compression).build());
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, std::sync::Arc::new(schema), properties).unwrap();
    for group in rows.chunks(2) {
        let mut group_writer = writer.next_row_group().unwrap();
        for index in 0..header.len() {
            let values: Vec<ByteArray> = group.iter().map(|row| ByteArray::from(row[index])).collect();
            let mut column = group_writer.next_column().unwrap().unwrap();
            column.typed::<ByteArrayType>().write_batch(&values, None, None).unwrap();
            column.close().unwrap();
        }
        group_writer.close().unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn a_bad_parquet_value_is_named_by_row_group_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.parquet");
    let id =
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/disks/d1";
    write_text_parquet(
        &path,
        parquet::basic::Compression::UNCOMPRESSED,
        &["ResourceId", "MeterCategory", "Quantity", "Cost"],
        &[&[id, "Storage", "1", "0.5"], &[id, "Storage", "1", "0.5"], &[id, "Storage", "1", "ten cents"]],
    );
    let stderr = command_fails("inventory", &[&path_arg(&path)]);
    assert!(stderr.contains(&format!("{}, row group 2, row 1, column \"Cost\"", path_arg(&path))), "{stderr}");
}

#[test]
fn a_gzip_compressed_parquet_file_is_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.parquet");
    let id =
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/disks/d1";
    let level = parquet::basic::GzipLevel::default();
    write_text_parquet(
        &path,
        parquet::basic::Compression::GZIP(level),
        &["ResourceId", "MeterCategory", "Quantity", "Cost"],
        &[&[id, "Storage", "1", "0.5"], &[id, "Storage", "2", "0.25"], &[id, "Storage", "3", "0.125"]],
    );
    let report = inventory_json(&[&path_arg(&path)]);
    assert_eq!(report["inputs"][0]["rows"], 3);
    // 0.5 + 0.25 + 0.125, and 1 + 2 + 3: the rows written above.
    assert_eq!(report["resources"][0]["meters"][0]["cost"], "0.875");
    assert_eq!(report["resources"][0]["meters"][0]["quantity"], "6");
}

#[test]
fn a_manifest_naming_a_missing_part_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let run = partitioned_copy(dir.path());
    std::fs::remove_file(run.join("part_0_0002.csv")).unwrap();
    for input in [run.clone(), run.join("manifest.json")] {
        let stderr = command_fails("inventory", &[&path_arg(&input)]);
        assert!(stderr.contains(&format!("{}, blobs[1]", path_arg(&run.join("manifest.json")))), "{stderr}");
        assert!(stderr.contains("lists the part file \"part_0_0002.csv\""), "{stderr}");
    }
    let stderr = command_fails("cost", &[&path_arg(&run)]);
    assert!(stderr.contains("\"part_0_0002.csv\""), "{stderr}");
}

#[test]
fn a_folder_without_a_manifest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = partitioned_copy(dir.path());
    std::fs::remove_file(run.join("manifest.json")).unwrap();
    let stderr = command_fails("inventory", &[&path_arg(&run)]);
    assert!(stderr.contains(&format!("{}: is a directory without manifest.json", path_arg(&run))), "{stderr}");
}

#[test]
fn a_bad_row_in_a_part_is_named_by_the_part_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = partitioned_copy(dir.path());
    let part = run.join("part_0_0002.csv");
    let text = std::fs::read_to_string(&part).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 3 of the part: its second data row, whose Cost (column 11) becomes text.
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[10] = "ten cents".to_string();
    lines[2] = cells.join(",");
    std::fs::write(&part, lines.join("\n") + "\n").unwrap();
    for command in ["inventory", "cost"] {
        let stderr = command_fails(command, &[&path_arg(&run)]);
        let at = format!("{}, part \"part_0_0002.csv\", line 3, column \"Cost\"", path_arg(&run));
        assert!(stderr.contains(&at), "{command}: {stderr}");
    }
}

#[test]
fn a_part_of_another_kind_or_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = partitioned_copy(dir.path());
    std::fs::copy(fixture("inputs/portal-all-resources.csv"), run.join("part_0_0002.csv")).unwrap();
    let stderr = command_fails("inventory", &[&path_arg(&run)]);
    assert!(stderr.contains(&path_arg(&run.join("part_0_0002.csv"))), "{stderr}");
    assert!(stderr.contains("is a portal-csv but the first part, \"part_0_0001.csv\", is a usage-csv"), "{stderr}");

    let text = std::fs::read_to_string(fixture("columnar/partitioned/part_0_0002.csv")).unwrap();
    std::fs::write(run.join("part_0_0002.csv"), text.replacen("SubscriptionName,", "SubscriptionDisplayName,", 1))
        .unwrap();
    let stderr = command_fails("inventory", &[&path_arg(&run)]);
    assert!(stderr.contains("column 2 is \"SubscriptionDisplayName\" here and \"SubscriptionName\" there"), "{stderr}");
}

#[test]
fn a_part_with_other_rows_than_the_manifest_lists_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let run = partitioned_copy(dir.path());
    let manifest_path = run.join("manifest.json");
    let mut manifest: Value = serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    // jq '.blobs[1].dataRowCount' tests/fixtures/columnar/partitioned/manifest.json   → 4, made 5 here
    assert_eq!(manifest["blobs"][1]["dataRowCount"], 4);
    manifest["blobs"][1]["dataRowCount"] = 5.into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let report = inventory_json(&[&path_arg(&run)]);
    let warnings = report["inputs"][0]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["location"] == "part \"part_0_0002.csv\""
            && w["message"].as_str().unwrap().starts_with("has 4 data row(s), the manifest lists 5")),
        "{warnings:?}"
    );
    assert_eq!(report["summary"]["usage_rows"], 10);
}
