//! `report` over a mix of the real files others published and our commitments fixture: the full set is written
//! and nothing is silently empty.

use serde_json::Value;

use crate::support::{csp_planner, fixture, path_arg, shared_data};

#[test]
fn report_over_a_mix_of_real_inputs_writes_the_full_set() {
    let names = [
        "resources-arg-wara-all-resources-data.json",
        "resources-get-azresource-wara-newResourceData.json",
        "usage-focus10-multicloud-focus_sample.csv",
        "usage-csp-azure-plan-camel-opencost-EnterpriseCamel.csv",
        "usage-ea-header-only-finops-EA_NoRows.csv",
        "rvtools-4x-kubev2v-example1.xlsx",
        "azure-migrate-export-discovery-report.xlsx",
    ];
    let mut inputs = Vec::new();
    for name in names {
        let Some(path) = shared_data(&format!("real/{name}")) else { return };
        inputs.push(path_arg(&path));
    }
    inputs.push(path_arg(&fixture("commitments/usage-commitments.csv")));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = csp_planner()
        .arg("report")
        .args(&inputs)
        .arg("--out-dir")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for file in ["assessment.xlsx", "capacity-planner.xlsx", "report.json", "report.html"] {
        assert!(std::fs::metadata(out.join(file)).unwrap().len() > 0, "{file}");
    }
    assert!(std::fs::read_dir(out.join("runbooks")).unwrap().count() > 0);
    // The header-only export is named in one warning, not read as an empty estate.
    assert!(
        stderr.contains("usage-ea-header-only-finops-EA_NoRows.csv, whole file: no rows after the header"),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    // 20 (Resource Graph) + 9 (Get-AzResource) + 36 (FOCUS, Microsoft rows) + 1 (Azure plan) + 4 (our fixture's
    // VMs): the counts each file's own test derives from it; no ID is shared between them.
    assert_eq!(report["assessment"]["summary"]["resources"], 70);
    assert_eq!(report["assessment"]["summary"]["needs_review"], 0);
    // 1.97651418586 (FOCUS BilledCost) + 0.012 (Azure plan) + 1040.84 (our fixture's cost column).
    assert_eq!(report["cost"]["totals"]["ea_cost"], "1042.82851418586");
    assert_eq!(report["cost"]["totals"]["covered_ea_cost"], "4.95");
    assert_eq!(report["commitments"].as_array().unwrap().len(), 5);
    // 9 RVTools VMs + 294 discovered servers.
    assert_eq!(report["capacity"]["servers_listed"], 303);
    assert!(report["workloads"].is_object());
    assert!(report["plan"]["batches"].as_array().is_some_and(|b| !b.is_empty()));
}
