//! `capacity quick` (issue 4): the seed's worked sample (002 L13509-L13575), the defaulted-input
//! markers, the notes on this tool's conventions and the seed's unreproducible figures, the table's
//! labels, and every kind of bad input.

use serde_json::Value;

use crate::support::*;

/// The seed's sample inputs (002 L13509-L13527); retention, hours and batch size left to their defaults.
pub const SAMPLE: &[&str] = &[
    "--scenario",
    "vmware",
    "--vms",
    "2",
    "--disks-per-vm",
    "2",
    "--disk-size-gb",
    "500",
    "--utilization",
    "35",
    "--change-rate",
    "5",
    "--compression",
    "0",
];

fn quick_json(args: &[&str]) -> Value {
    let output = csp_planner().args(["capacity", "quick"]).args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "capacity quick {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn quick_fails(args: &[&str]) -> String {
    let output = csp_planner().args(["capacity", "quick"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "expected exit code 2 for {args:?}, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The sample with `flag` set to `value` (replacing it when the sample has it).
fn sample_with(flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = SAMPLE.iter().map(|s| s.to_string()).collect();
    match args.iter().position(|a| a == flag) {
        Some(i) => args[i + 1] = value.to_string(),
        None => args.extend([flag.to_string(), value.to_string()]),
    }
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn dec(plan: &Value, key: &str) -> String {
    decimal(&plan[key]).normalize().to_string()
}

#[test]
fn the_seed_sample_gives_the_seed_figures() {
    let plan = quick_json(SAMPLE);
    assert_eq!(dec(&plan, "total_data_to_replicate_gb"), "700");
    assert_eq!(dec(&plan, "data_changed_per_day_gb"), "35");
    assert_eq!(dec(&plan, "data_transferred_per_day_gb"), "35");
    assert_eq!(dec(&plan, "delta_replication_mbps"), "10");
    assert_eq!(dec(&plan, "delta_replication_mbps_raw"), "3.32");
    assert_eq!(dec(&plan, "initial_replication_mbps"), "100");
    assert_eq!(dec(&plan, "initial_replication_mbps_raw"), "99.56");
    assert_eq!(dec(&plan, "storage_required_gb"), "805");
    assert_eq!(plan["standard_storage_accounts"], 1);
    assert_eq!(plan["blob_disks"], 4);
    assert_eq!(plan["premium_storage_accounts"], 0);
    assert_eq!(plan["premium_storage_iops"], 0);
    assert_eq!(plan["configuration_servers"], 1);
    assert_eq!(plan["additional_process_servers"], 0);
    assert_eq!(plan["additional_source_storage"], "NA");
    // Documented IOPS rule: 35 GiB/day ÷ 86,400 s ÷ 8 KiB = 53.1, rounded up.
    assert_eq!(plan["standard_storage_iops"], 54);
}

#[test]
fn the_json_carries_every_key_of_the_contract() {
    let plan = quick_json(SAMPLE);
    for key in [
        "total_data_to_replicate_gb",
        "data_changed_per_day_gb",
        "data_transferred_per_day_gb",
        "delta_replication_mbps",
        "delta_replication_mbps_raw",
        "initial_replication_mbps",
        "initial_replication_mbps_raw",
        "storage_required_gb",
        "standard_storage_iops",
        "standard_storage_accounts",
        "blob_disks",
        "premium_storage_accounts",
        "premium_storage_iops",
        "configuration_servers",
        "additional_process_servers",
        "additional_source_storage",
        "sizing",
        "inputs",
        "notes",
    ] {
        assert!(!plan[key].is_null(), "missing key {key}");
    }
    // Quantities are decimal strings, counts integers.
    assert!(plan["total_data_to_replicate_gb"].is_string());
    assert!(plan["blob_disks"].is_u64());
    let scale_up = plan["sizing"]["scale_up"].as_array().unwrap();
    assert_eq!(scale_up.len(), 1, "{scale_up:?}");
    assert_eq!(scale_up[0]["role"], "configuration server");
    assert_eq!(scale_up[0]["machines"], 2);
    assert_eq!(decimal(&scale_up[0]["change_gb_per_day"]).normalize().to_string(), "35");
    assert!(plan["sizing"]["scale_out"].is_array());
}

#[test]
fn defaulted_inputs_are_marked_with_their_source() {
    let plan = quick_json(SAMPLE);
    let inputs = &plan["inputs"];
    for given in
        ["scenario", "vms", "disks_per_vm", "disk_size_gb", "utilization_pct", "change_rate_pct", "compression_pct"]
    {
        assert_eq!(inputs[given]["defaulted"], false, "{given}");
    }
    for defaulted in ["retention_days", "initial_replication_hours", "batch_size", "era", "gb_base"] {
        assert_eq!(inputs[defaulted]["defaulted"], true, "{defaulted}");
        assert!(inputs[defaulted]["source"].is_string(), "{defaulted}");
    }
    assert_eq!(decimal(&inputs["retention_days"]["value"]).normalize().to_string(), "3");
    let retention = inputs["retention_days"]["source"].as_str().unwrap();
    assert!(retention.contains(": Azure Site Recovery capacity-planning guide for migrations, "), "{retention}");
    assert_eq!(decimal(&inputs["initial_replication_hours"]["value"]).normalize().to_string(), "16");
    assert_eq!(inputs["batch_size"]["value"], 3);
    assert_eq!(inputs["gb_base"]["value"], 1024);
    assert_eq!(inputs["era"]["value"], "current");
    assert!(inputs["recovery_points"].is_null(), "no recovery points outside Hyper-V");
}

#[test]
fn the_same_figures_with_every_input_given() {
    let mut args: Vec<&str> = SAMPLE.to_vec();
    args.extend([
        "--retention-days",
        "3",
        "--initial-replication-hours",
        "16",
        "--batch-size",
        "3",
        "--gb-base",
        "1024",
    ]);
    let plan = quick_json(&args);
    assert_eq!(dec(&plan, "storage_required_gb"), "805");
    assert_eq!(dec(&plan, "initial_replication_mbps_raw"), "99.56");
    assert_eq!(plan["inputs"]["retention_days"]["defaulted"], false);
    assert_eq!(plan["inputs"]["batch_size"]["defaulted"], false);
}

#[test]
fn compression_defaults_by_scenario() {
    let without = |scenario: &str| -> Vec<String> {
        let mut args = sample_with("--scenario", scenario);
        let i = args.iter().position(|a| a == "--compression").unwrap();
        args.drain(i..i + 2);
        args
    };
    let vmware = quick_json(&strs(&without("vmware")));
    assert_eq!(vmware["inputs"]["compression_pct"]["defaulted"], true);
    assert_eq!(dec(&vmware["inputs"]["compression_pct"], "value"), "30");
    // 35 GB × (1 − 30 %) = 24.5 GB transferred per day; storage IOPS use the uncompressed change.
    assert_eq!(dec(&vmware, "data_transferred_per_day_gb"), "24.5");
    assert_eq!(dec(&vmware, "data_changed_per_day_gb"), "35");
    assert_eq!(vmware["standard_storage_iops"], 54);
    let physical = quick_json(&strs(&without("physical")));
    assert_eq!(dec(&physical["inputs"]["compression_pct"], "value"), "0");
    assert_eq!(physical["inputs"]["compression_pct"]["defaulted"], true);
}

#[test]
fn the_initial_batch_is_capped_at_the_number_of_vms() {
    // Batch 1 of 2 VMs: half the sample's data in the same window.
    let plan = quick_json(&strs(&sample_with("--batch-size", "1")));
    assert_eq!(dec(&plan, "initial_replication_mbps_raw"), "49.78");
    assert_eq!(dec(&plan, "initial_replication_mbps"), "50");
    // Batch 10 of 2 VMs: the sample's own figure.
    let plan = quick_json(&strs(&sample_with("--batch-size", "10")));
    assert_eq!(dec(&plan, "initial_replication_mbps_raw"), "99.56");
}

#[test]
fn gb_base_1000() {
    let plan = quick_json(&strs(&sample_with("--gb-base", "1000")));
    // 35 × 8000 / 86,400 and 700 × 8000 / 57,600.
    assert_eq!(dec(&plan, "delta_replication_mbps_raw"), "3.24");
    assert_eq!(dec(&plan, "initial_replication_mbps_raw"), "97.22");
    assert_eq!(dec(&plan, "initial_replication_mbps"), "100");
}

#[test]
fn hyperv_uses_recovery_points_and_reports_source_storage() {
    let mut args = sample_with("--scenario", "hyperv");
    args.extend(["--recovery-points".to_string(), "48".to_string()]);
    let plan = quick_json(&strs(&args));
    let inputs = &plan["inputs"];
    assert_eq!(inputs["recovery_points"]["value"], 48);
    assert_eq!(inputs["recovery_points"]["defaulted"], false);
    assert!(inputs["retention_days"].is_null());
    // 48 recovery points = 48 hours = 2 days: 700 + 35 × 2.
    assert_eq!(dec(&plan, "storage_required_gb"), "770");
    // 100 % of the VHD size of one batch: min(3, 2) VMs × 2 disks × 500 GB.
    assert_eq!(plan["additional_source_storage"], "2000");
    assert_eq!(plan["configuration_servers"], 0);
    let notes = plan["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join("\n");
    assert!(notes.contains("one hour") || notes.contains("1 hour"), "{notes}");

    let defaulted = quick_json(&strs(&sample_with("--scenario", "hyperv")));
    assert_eq!(defaulted["inputs"]["recovery_points"]["value"], 16);
    assert_eq!(defaulted["inputs"]["recovery_points"]["defaulted"], true);
}

#[test]
fn notes_state_the_rounding_convention_and_the_seed_discrepancies() {
    let plan = quick_json(SAMPLE);
    let notes = plan["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join("\n");
    assert!(notes.contains("next multiple of 10 Mbps"), "{notes}");
    assert!(notes.contains("convention"), "{notes}");
    assert!(notes.contains("781.67"), "{notes}");
    assert!(notes.contains("342"), "{notes}");
    assert!(notes.contains("Defaulted inputs"), "{notes}");
}

#[test]
fn the_table_has_the_seed_labels() {
    let output = csp_planner().args(["capacity", "quick"]).args(SAMPLE).output().unwrap();
    assert!(output.status.success());
    let table = String::from_utf8(output.stdout).unwrap();
    for label in [
        "Infra Inputs source",
        "Select your scenario",
        "VMware/Physical to Azure",
        "Total number of virtual machines",
        "Average number of VHDs per virtual machine",
        "Average size of VHD (in GBs)",
        "Average utilization per disk (%)",
        "Total data to be replicated (in GBs)",
        "Average daily data change rate (%)",
        "Amount of data changed per day (in GBs)",
        "Amount of data Xfered per day (in GBs)",
        "Retention in days",
        "Number of virtual machines per initial replication batch",
        "Bandwidth required for delta replication (in Megabits/sec)",
        "Bandwidth required for initial replication (In Megabits/sec)",
        "Storage required (in GBs)",
        "Total IOPS on standard storage accounts",
        "Number of standard storage accounts required",
        "Number of Blob disks required",
        "Number of premium storage accounts required",
        "Total IOPS on premium storage accounts",
        "Number of Configuration Servers required",
        "Number of additional Process Servers required",
        "100% additional storage on the Source",
        "10 Mbps",
        "100 Mbps",
        "(default)",
    ] {
        assert!(table.contains(label), "missing {label:?} in\n{table}");
    }
}

#[test]
fn csv_has_one_row_per_label() {
    let output = csp_planner().args(["capacity", "quick"]).args(SAMPLE).args(["--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |key: &str| rows.iter().find(|r| &r[2] == key).unwrap_or_else(|| panic!("no row {key}")).clone();
    assert_eq!(&find("total_data_to_replicate_gb")[3], "700");
    assert_eq!(&find("blob_disks")[1], "Number of Blob disks required");
    assert_eq!(&find("retention_days")[4], "true");
}

#[test]
fn json_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let output =
        csp_planner().args(["capacity", "quick"]).args(SAMPLE).args(["-o", &path_arg(&path)]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(plan["blob_disks"], 4);
}

// ------------------------------------------------------------------------------------------ bad input

#[test]
fn zero_or_negative_vms() {
    for value in ["0", "-2"] {
        let stderr = quick_fails(&strs(&sample_with("--vms", value)));
        assert!(
            stderr.contains(&format!(
                "--vms: the number of VMs must be a whole number from 1 to 4294967295, found {value}"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn zero_or_negative_disks() {
    for value in ["0", "-1"] {
        let stderr = quick_fails(&strs(&sample_with("--disks-per-vm", value)));
        assert!(
            stderr.contains("--disks-per-vm:") && stderr.contains(&format!("from 1 to 4294967295, found {value}")),
            "{stderr}"
        );
    }
}

#[test]
fn zero_or_negative_disk_size() {
    for value in ["0", "-500"] {
        let stderr = quick_fails(&strs(&sample_with("--disk-size-gb", value)));
        assert!(stderr.contains("--disk-size-gb") && stderr.contains("above 0"), "{stderr}");
    }
}

#[test]
fn percentages_out_of_range() {
    for flag in ["--utilization", "--change-rate", "--compression"] {
        for value in ["101", "-5", "250%"] {
            let stderr = quick_fails(&strs(&sample_with(flag, value)));
            assert!(stderr.contains(flag) && stderr.contains("from 0 to 100"), "{flag} {value}: {stderr}");
        }
    }
}

#[test]
fn a_percentage_with_a_percent_sign_is_accepted() {
    let plan = quick_json(&strs(&sample_with("--utilization", "35%")));
    assert_eq!(dec(&plan, "total_data_to_replicate_gb"), "700");
}

#[test]
fn not_a_number() {
    let stderr = quick_fails(&strs(&sample_with("--utilization", "lots")));
    assert!(stderr.contains("expected a number"), "{stderr}");
}

#[test]
fn retention_days_on_hyperv_is_refused() {
    let mut args = sample_with("--scenario", "hyperv");
    args.extend(["--retention-days".to_string(), "3".to_string()]);
    let stderr = quick_fails(&strs(&args));
    assert!(stderr.contains("--retention-days does not apply to --scenario hyperv"), "{stderr}");
    assert!(stderr.contains("--recovery-points"), "{stderr}");
}

#[test]
fn recovery_points_on_vmware_is_refused() {
    let stderr = quick_fails(&strs(&sample_with("--recovery-points", "16")));
    assert!(stderr.contains("--recovery-points applies to --scenario hyperv only"), "{stderr}");
    assert!(stderr.contains("--retention-days"), "{stderr}");
}

#[test]
fn zero_hours_or_batch() {
    let stderr = quick_fails(&strs(&sample_with("--initial-replication-hours", "0")));
    assert!(stderr.contains("--initial-replication-hours:") && stderr.contains("above 0, found 0"), "{stderr}");
    let stderr = quick_fails(&strs(&sample_with("--batch-size", "0")));
    assert!(stderr.contains("--batch-size:") && stderr.contains("from 1 to 4294967295, found 0"), "{stderr}");
}

#[test]
fn negative_retention() {
    let stderr = quick_fails(&strs(&sample_with("--retention-days", "-1")));
    assert!(stderr.contains("--retention-days: the retention must be 0 days or more, found -1"), "{stderr}");
}

#[test]
fn missing_mandatory_input() {
    let stderr = quick_fails(&["--scenario", "vmware", "--vms", "2"]);
    assert!(stderr.contains("--disks-per-vm is required"), "{stderr}");
    let stderr = quick_fails(&["--vms", "2"]);
    assert!(stderr.contains("--scenario is required"), "{stderr}");
}

#[test]
fn huge_inputs_are_refused_without_a_panic() {
    let mut args = sample_with("--vms", "4000000000");
    args = {
        let mut a = args;
        let i = a.iter().position(|x| x == "--disk-size-gb").unwrap();
        a[i + 1] = "79000000000000000000000000000".to_string();
        a
    };
    let stderr = quick_fails(&strs(&args));
    assert!(stderr.contains("too large"), "{stderr}");
}

#[test]
fn a_broken_constant_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_file("rules/asr-planner.toml")).unwrap();
    let broken = text.replacen("value = 20000", "value = \"lots\"", 1).replacen(
        "name = \"bits_per_byte\"",
        "name = \"bits\"",
        1,
    );
    std::fs::write(dir.path().join("asr-planner.toml"), broken).unwrap();
    let mut args: Vec<String> = SAMPLE.iter().map(|s| s.to_string()).collect();
    args.extend(["--rules".to_string(), path_arg(dir.path())]);
    let stderr = quick_fails(&strs(&args));
    assert!(stderr.contains(&format!("{}/asr-planner.toml, line", path_arg(dir.path()))), "{stderr}");
    assert!(stderr.contains("standard_account_iops`: expected a number"), "{stderr}");
    assert!(stderr.contains("unknown constant `bits`"), "{stderr}");
    assert!(stderr.contains("the constant `bits_per_byte` is missing"), "{stderr}");
}

#[test]
fn a_changed_constant_changes_the_figures() {
    // The rounding step is a rule, not code: a step of 1 Mbps gives 4 and 100.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_file("rules/asr-planner.toml")).unwrap();
    let step = "name = \"bandwidth_step_mbps\"\nvalue = 10";
    assert!(text.contains(step));
    std::fs::write(
        dir.path().join("asr-planner.toml"),
        text.replace(step, "name = \"bandwidth_step_mbps\"\nvalue = 1"),
    )
    .unwrap();
    let mut args: Vec<String> = SAMPLE.iter().map(|s| s.to_string()).collect();
    args.extend(["--rules".to_string(), path_arg(dir.path())]);
    let plan = quick_json(&strs(&args));
    assert_eq!(dec(&plan, "delta_replication_mbps"), "4");
    assert_eq!(dec(&plan, "initial_replication_mbps"), "100");
}

#[test]
fn change_rate_reproduces_the_seeds_hyper_v_example_and_reports_the_below_1_percent_rule() {
    let output = csp_planner()
        .args(["capacity", "change-rate", "--total-storage-gb", "42.1", "--delta-gb", "0.06", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rate: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // seed 002 L13812: [(0.06 / 42.1) * 100] = 0.142 (truncated); L13818: below 1 % becomes 0
    assert_eq!(rate["change_rate_pct"], "0.1425");
    assert_eq!(rate["seed_entry_pct"], "0.142");
    assert_eq!(rate["planner_value_pct"], "0");
    assert!(rate["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("below 1 %")));
}

#[test]
fn change_rate_from_a_vsphere_delta_in_mb_divides_by_1000_like_the_seed() {
    let output = csp_planner()
        .args(["capacity", "change-rate", "--total-storage-gb", "1.078", "--delta-mb", "10.78", "--format", "json"])
        .output()
        .unwrap();
    let rate: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // 10.78 MB / 1000 = 0.01078 GB (seed L13944) over 1.078 GB = 1 %
    assert_eq!(rate["delta_gb"], "0.01078");
    assert_eq!(decimal(&rate["change_rate_pct"]), rust_decimal::Decimal::ONE);
    assert_eq!(rate["planner_value_pct"], rate["change_rate_pct_exact"]);
}

#[test]
fn change_rate_rejects_zero_storage() {
    let output =
        csp_planner().args(["capacity", "change-rate", "--total-storage-gb", "0", "--delta-gb", "1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--total-storage-gb must be greater than 0"));
}
