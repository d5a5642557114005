//! `transfer`: each row of the decision table (agreement × partner facts → path and verdict), each check, each
//! COCP exclusion, each commitment's fate, the markets without CSP reservations, the facts read from real exports,
//! and the customer file's errors. Run through the binary on fixtures with generated customer files.

use std::path::Path;

use serde_json::Value;

use crate::support::{command_fails, csp_planner, fixture, path_arg, shared_data};

/// The fixture with a reservation, a savings plan, Marketplace items and a purchase in one subscription.
const COMMITMENTS: &str = "commitments/usage-commitments.csv";
const SUBSCRIPTION: &str = "0f1e2d3c-0000-4000-8000-00000000c0de";

fn transfer(inputs: &[String], customer: Option<&str>) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = inputs.to_vec();
    if let Some(text) = customer {
        let file = dir.path().join("customer.toml");
        std::fs::write(&file, text).unwrap();
        args.extend(["--customer".to_string(), path_arg(&file)]);
    }
    let output = csp_planner().arg("transfer").args(&args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "transfer {args:?}: {stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

fn on_fixture(customer: &str) -> Value {
    transfer(&[path_arg(&fixture(COMMITMENTS))], Some(customer)).0
}

fn subscription(report: &Value) -> &Value {
    let all = report["subscriptions"].as_array().unwrap();
    all.iter().find(|s| s["subscription_id"] == SUBSCRIPTION).expect("the fixture's subscription")
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

fn partner(direct_bill: Option<bool>, expert: Option<bool>) -> String {
    let mut text = String::from("[partner]\n");
    if let Some(value) = direct_bill {
        text.push_str(&format!("direct_bill = {value}\n"));
    }
    if let Some(value) = expert {
        text.push_str(&format!("azure_expert_msp = {value}\n"));
    }
    text
}

#[test]
fn every_row_of_the_decision_table_gives_its_path_and_verdict() {
    let t = Some(true);
    let f = Some(false);
    // (agreement, direct_bill, azure_expert_msp, path, verdict)
    type Row<'a> = (&'a str, Option<bool>, Option<bool>, &'a str, &'a str);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ea-direct", t, t, "billing-transfer", "eligible"),
        ("ea-direct", t, f, "resource-move", "eligible"),
        ("ea-direct", f, t, "resource-move", "eligible"),
        ("ea-direct", None, None, "billing-transfer", "conditional"),
        ("ea-indirect", t, t, "billing-transfer", "conditional"),
        ("ea-indirect", t, f, "resource-move", "eligible"),
        ("ea-government", t, t, "redeploy", "eligible"),
        ("mosp", t, t, "resource-move", "eligible"),
        ("mca-enterprise", f, t, "billing-transfer", "eligible"),
        ("mca-enterprise", t, f, "resource-move", "eligible"),
        ("mca-individual", t, t, "resource-move", "eligible"),
        ("csp-legacy", t, t, "partner-transfer", "eligible"),
        ("csp-azure-plan", t, t, "partner-transfer", "eligible"),
        ("sponsorship", t, t, "resource-move", "eligible"),
        ("visual-studio", t, t, "resource-move", "eligible"),
        ("mpn", t, t, "resource-move", "eligible"),
        ("azure-pass", t, t, "resource-move", "eligible"),
        ("students", t, t, "resource-move", "eligible"),
        ("azure-in-open", t, t, "resource-move", "eligible"),
        ("free-trial", t, t, "resource-move", "eligible"),
        ("china", t, t, "redeploy", "eligible"),
    ];
    for (agreement, direct_bill, expert, path, verdict) in rows {
        let report = on_fixture(&format!("agreement = \"{agreement}\"\n{}", partner(*direct_bill, *expert)));
        let s = subscription(&report);
        assert_eq!(
            (s["path"].as_str().unwrap(), s["verdict"].as_str().unwrap()),
            (*path, *verdict),
            "{agreement} {direct_bill:?} {expert:?}"
        );
        assert_eq!(
            s["facts"][0],
            serde_json::json!({"name": "agreement", "value": agreement, "from": s["facts"][0]["from"]})
        );
        assert!(codes(&s["reasons"]).contains(&format!("agreement-{agreement}")), "{agreement}: {}", s["reasons"]);
        for reason in s["reasons"].as_array().unwrap() {
            let key = reason["source_key"].as_str().unwrap_or_else(|| panic!("{agreement}: {reason}"));
            assert!(key.split("; ").all(|k| report["sources"][k].is_object()), "{key}");
        }
    }
}

#[test]
fn the_partner_transfer_has_its_deadline_and_a_missing_agreement_is_conditional_never_a_guess() {
    let report = on_fixture("agreement = \"csp-azure-plan\"\n");
    let s = subscription(&report);
    let deadlines: Vec<&Value> = s["actions"].as_array().unwrap().iter().map(|a| &a["deadline_days"]).collect();
    assert!(deadlines.iter().all(|d| **d == 30), "{deadlines:?}");
    assert!(s["actions"][1]["source"].as_str().unwrap().contains("within 30 days"));

    let (report, _) = transfer(&[path_arg(&fixture(COMMITMENTS))], None);
    let s = subscription(&report);
    assert_eq!((s["path"].as_str().unwrap(), s["verdict"].as_str().unwrap()), ("resource-move", "conditional"));
    assert_eq!(codes(&s["reasons"]), ["agreement-unknown"]);
    assert_eq!(report["customer"], Value::Null);
}

#[test]
fn the_indirect_ea_disagreement_is_shown_with_both_texts() {
    let report = on_fixture(&format!("agreement = \"ea-indirect\"\n{}", partner(Some(true), Some(true))));
    let s = subscription(&report);
    let disagree: Vec<&Value> =
        s["reasons"].as_array().unwrap().iter().filter(|r| r["code"] == "pages-disagree").collect();
    assert_eq!(disagree.len(), 2);
    assert!(
        disagree[0]["message"]
            .as_str()
            .unwrap()
            .contains("Indirect Enterprise Agreement transfers to an Azure plan under an MPA aren't supported.")
    );
    assert!(disagree[1]["message"].as_str().unwrap().contains("no longer excludes indirect agreements"));
    assert_eq!(disagree[0]["source_key"], "subscription-transfer-hub-oct-2025");
    assert_eq!(disagree[1]["source_key"], "subscription-transfer-hub-dec-2025");
    assert_eq!(report["sources"]["subscription-transfer-hub-oct-2025"]["version"], "the page as of 2025-10-21");
}

#[test]
fn each_check_blocks_or_conditions_its_path() {
    let expert = format!("agreement = \"ea-direct\"\n{}", partner(Some(true), Some(true)));
    let macc = on_fixture(&format!("macc_active = true\n{expert}"));
    assert_eq!(subscription(&macc)["verdict"], "blocked");
    assert!(codes(&subscription(&macc)["reasons"]).contains(&"macc-active".to_string()));

    let dev_test = on_fixture(&format!("{expert}\n[subscriptions.\"{SUBSCRIPTION}\"]\ndev_test = true\n"));
    assert_eq!(subscription(&dev_test)["verdict"], "conditional");
    assert!(codes(&subscription(&dev_test)["reasons"]).contains(&"dev-test".to_string()));

    let tenant = format!(
        "tenant_id = \"aaaaaaaa-0000-0000-0000-000000000000\"\n{expert}\n[subscriptions.\"{SUBSCRIPTION}\"]\ntenant_id = \"bbbbbbbb-0000-0000-0000-000000000000\"\n"
    );
    let tenant = on_fixture(&tenant);
    assert_eq!(subscription(&tenant)["verdict"], "blocked");
    assert!(codes(&subscription(&tenant)["reasons"]).contains(&"tenant-differs".to_string()));

    let country =
        on_fixture("agreement = \"csp-azure-plan\"\nbilling_country = \"France\"\n[partner]\ncountry = \"Germany\"\n");
    assert_eq!(subscription(&country)["verdict"], "blocked");
    assert!(codes(&subscription(&country)["reasons"]).contains(&"country-differs".to_string()));
    // The same country, spelled differently, is no difference; the check does not apply to a resource move.
    let same =
        on_fixture("agreement = \"csp-azure-plan\"\nbilling_country = \"germany\"\n[partner]\ncountry = \"Germany\"\n");
    assert_eq!(subscription(&same)["verdict"], "eligible");
    let moved = on_fixture("agreement = \"mosp\"\nbilling_country = \"France\"\n[partner]\ncountry = \"Germany\"\n");
    assert_eq!(subscription(&moved)["verdict"], "eligible");
}

fn fates(report: &Value) -> Vec<(String, String)> {
    let list = report["commitments"].as_array().unwrap();
    list.iter().map(|c| (c["kind"].as_str().unwrap().to_string(), c["fate"].as_str().unwrap().to_string())).collect()
}

#[test]
fn every_commitment_gets_its_fate_on_each_path() {
    let cases: &[(&str, [&str; 4])] = &[
        (
            "agreement = \"ea-direct\"\n[partner]\ndirect_bill = true\nazure_expert_msp = true\n",
            ["transfers", "transfers", "conditional", "stays-at-source"],
        ),
        ("agreement = \"mosp\"\n", ["stays-at-source", "stays-at-source", "cancelled", "stays-at-source"]),
        ("agreement = \"csp-azure-plan\"\n", ["transfers", "transfers", "conditional", "stays-at-source"]),
        ("agreement = \"china\"\n", ["stays-at-source", "stays-at-source", "cancelled", "stays-at-source"]),
    ];
    for (customer, [reservation, savings_plan, marketplace, purchase]) in cases {
        let report = on_fixture(customer);
        let expected: Vec<(String, String)> = [
            ("reservation", *reservation),
            ("savings-plan", *savings_plan),
            ("marketplace", *marketplace),
            ("marketplace", *marketplace),
            ("purchase", *purchase),
        ]
        .iter()
        .map(|(k, f)| (k.to_string(), f.to_string()))
        .collect();
        assert_eq!(fates(&report), expected, "{customer}");
        for commitment in report["commitments"].as_array().unwrap() {
            assert!(commitment["reasons"][0]["source_key"].is_string(), "{commitment}");
        }
    }
    // A transfer whose verdict is not certain makes "transfers" conditional.
    let unsure = on_fixture("agreement = \"ea-direct\"\n");
    assert_eq!(fates(&unsure)[0], ("reservation".to_string(), "conditional".to_string()));
    // Savings plans cannot be refunded: the resource move says so.
    let moved = on_fixture("agreement = \"mosp\"\n");
    assert!(
        moved["commitments"][1]["reasons"][0]["message"].as_str().unwrap().contains("can't be canceled or refunded")
    );
}

#[test]
fn a_billing_country_without_csp_reservations_is_named_and_another_is_not() {
    for country in ["Eswatini", "Swaziland", "SZ", "Papua New Guinea", "St Helena, Ascension, Tristan da Cunha"] {
        let report = on_fixture(&format!("agreement = \"mosp\"\nbilling_country = \"{country}\"\n"));
        let reservation = &report["commitments"][0];
        let reasons = reservation["reasons"].as_array().unwrap();
        let market = reasons
            .iter()
            .find(|r| r["code"] == "reservations-unavailable-market")
            .unwrap_or_else(|| panic!("{country}"));
        assert!(market["message"].as_str().unwrap().contains(&format!("billing country {country}")), "{market}");
        assert_eq!(market["source_key"], "csp-software-subscriptions");
        assert!(market["source"].as_str().unwrap().contains("Azure reservations unavailable markets"));
        // Only reservations are concerned.
        assert!(!report["commitments"][1]["reasons"].to_string().contains("reservations-unavailable-market"));
    }
    let germany = on_fixture("agreement = \"mosp\"\nbilling_country = \"Germany\"\n");
    assert!(!germany["commitments"][0]["reasons"].to_string().contains("reservations-unavailable-market"));
}

#[test]
fn cocp_is_offered_to_ea_customers_and_each_exclusion_blocks_it() {
    let active = "agreement = \"ea-direct\"\nea_status = \"active\"\nmseds = false\n";
    let report = on_fixture(active);
    let cocp = &report["partner_change"]["cocp"];
    assert_eq!(cocp["verdict"], "eligible");
    assert_eq!(cocp["who"], "enterprise administrator");
    assert_eq!((cocp["deadline_days"].as_u64(), cocp["effective_days"].as_u64()), (Some(10), Some(90)));
    let deadline = cocp["reasons"].as_array().unwrap().iter().find(|r| r["code"] == "cocp-deadline").unwrap();
    assert!(deadline["message"].as_str().unwrap().contains("within 10 days"));
    assert!(deadline["message"].as_str().unwrap().contains("expires after 30 days"));
    assert_eq!(deadline["source_key"], "csp-cocp");

    let exclusions = [
        ("program = \"Open Value\"\n", "cocp-program"),
        ("mseds = true\n", "cocp-mseds"),
        ("ea_status = \"expired\"\n", "cocp-agreement-status"),
        ("ea_anniversary = 2027-03-01\ncocp_date = 2026-12-15\n", "cocp-early"),
    ];
    for (fact, code) in exclusions {
        let report = on_fixture(&format!("agreement = \"ea-direct\"\n{fact}"));
        let cocp = &report["partner_change"]["cocp"];
        assert_eq!(cocp["verdict"], "blocked", "{fact}");
        assert!(codes(&cocp["reasons"]).contains(&code.to_string()), "{fact}: {}", cocp["reasons"]);
    }
    let unsure = on_fixture("agreement = \"ea-direct\"\n");
    assert_eq!(unsure["partner_change"]["cocp"]["verdict"], "conditional");
    let not_ea = on_fixture("agreement = \"mosp\"\n");
    assert_eq!(not_ea["partner_change"]["cocp"], Value::Null);
    assert!(
        not_ea["partner_change"]["multichannel"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot resell online services to another CSP partner")
    );
    let multichannel = not_ea["partner_change"]["multichannel"]["message"].as_str().unwrap();
    assert!(multichannel.contains("wait for the end of their term"), "{multichannel}");
}

#[test]
fn the_customer_file_wins_over_an_export_and_a_contradiction_is_a_warning() {
    let usage = path_arg(&fixture("transfer/usage-payg-offer.csv"));
    let (report, stderr) = transfer(std::slice::from_ref(&usage), None);
    let s = subscription(&report);
    assert_eq!(s["facts"][0]["value"], "mosp");
    assert!(s["facts"][0]["from"].as_str().unwrap().starts_with("OfferId MS-AZR-0003P ("), "{}", s["facts"][0]);
    assert!(s["facts"][0]["from"].as_str().unwrap().ends_with("usage-payg-offer.csv, line 2)"), "{}", s["facts"][0]);
    assert!(stderr.is_empty() || !stderr.contains("customer file says"), "{stderr}");

    let (report, stderr) = transfer(&[usage], Some("agreement = \"ea-direct\"\n"));
    let s = subscription(&report);
    assert_eq!(s["facts"][0]["value"], "ea-direct");
    assert!(
        stderr.contains("the customer file says agreement ea-direct, the export says mosp (OfferId MS-AZR-0003P"),
        "{stderr}"
    );
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1);

    let usage = path_arg(&fixture("transfer/usage-payg-offer.csv"));
    let (_, stderr) = transfer(&[usage], Some(&format!("[subscriptions.\"{SUBSCRIPTION}\"]\ndev_test = true\n")));
    assert!(
        stderr.contains("the customer file says dev_test = true, the export's offer says false (OfferId MS-AZR-0003P"),
        "{stderr}"
    );
}

#[test]
fn real_exports_say_what_they_can_and_the_verdict_names_what_they_cannot() {
    let Some(ea) = shared_data("real/usage-ea-cost-details-opencost-Enterprise.csv") else { return };
    let (report, _) = transfer(&[path_arg(&ea)], None);
    let s = &report["subscriptions"][0];
    assert_eq!(s["subscription_id"], "11111111-12ab-34dc-56ef-123456abcdef");
    assert_eq!(s["facts"][0]["value"], "ea (direct or indirect unknown)");
    assert_eq!(
        s["facts"][2],
        serde_json::json!({"name": "billing_account", "value": "12345678", "from": s["facts"][2]["from"]})
    );
    assert_eq!(s["verdict"], "conditional");
    assert_eq!(codes(&s["reasons"]), ["agreement-ea-direct", "partner-unknown", "ea-channel-unknown"]);

    let Some(csp) = shared_data("real/usage-csp-azure-plan-camel-opencost-EnterpriseCamel.csv") else { return };
    let (report, _) = transfer(&[path_arg(&csp)], None);
    let s = &report["subscriptions"][0];
    assert_eq!(
        (s["path"].as_str(), s["facts"][0]["value"].as_str()),
        (Some("partner-transfer"), Some("csp-azure-plan"))
    );
    assert!(s["facts"][0]["from"].as_str().unwrap().starts_with("CustomerTenantId ("));
}

#[test]
fn the_bundled_sample_uses_its_customer_file() {
    let (report, _) = transfer(&[], None);
    assert_eq!(report["customer"]["name"], "Contoso");
    assert_eq!(report["customer"]["file"], "samples/customer.toml (bundled)");
    assert_eq!(report["summary"]["subscriptions"], 3);
    assert_eq!(report["summary"]["by_path"]["resource-move"], 3);
    let dev = report["subscriptions"].as_array().unwrap().iter().find(|s| s["name"] == "Dev").unwrap();
    assert!(codes(&dev["reasons"]).contains(&"classic-resources".to_string()));
}

fn customer_fails(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("customer.toml");
    std::fs::write(&file, text).unwrap();
    command_fails("transfer", &["--customer", &path_arg(&file)])
}

#[test]
fn a_bad_customer_file_is_refused_with_its_line_and_what_was_expected() {
    let message = customer_fails("name = \"Contoso\"\nagreemnt = \"ea-direct\"\n");
    assert!(message.contains("customer.toml, line 2, column 1: unknown field `agreemnt`"), "{message}");
    let message = customer_fails("name = \"Contoso\"\nagreement = \"enterprise\"\n");
    assert!(message.contains("customer.toml, line 2, column \"agreement\": unknown agreement \"enterprise\": expected one of ea-direct, ea-indirect"), "{message}");
    let message = customer_fails("currency = \"euro\"\n");
    assert!(
        message.contains("column \"currency\": currency \"euro\": expected a three-letter ISO 4217 code"),
        "{message}"
    );
    let message = customer_fails("[partner]\ndirect_bill = \"yes\"\n");
    assert!(message.contains("customer.toml, line 2"), "{message}");
    assert!(Path::new(&fixture(COMMITMENTS)).exists());
    // Not a regular file: refused before anything is read.
    let dir = tempfile::tempdir().unwrap();
    let message = command_fails("transfer", &["--customer", &path_arg(dir.path())]);
    assert!(message.contains(&path_arg(dir.path())), "{message}");
    let message = customer_fails("name = \"unterminated\n");
    assert!(message.contains("customer.toml, line 1"), "{message}");
}

#[test]
fn report_carries_the_transfer_in_report_json_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = crate::support::run_report(&[], dir.path());
    assert!(stdout.contains("workloads and transfer under their keys"), "{stdout}");
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    let (alone, _) = transfer(&[], None);
    // `report` adds the licence notes of the servers it read (the command alone reads no server inventory).
    let mut part = document["transfer"].clone();
    assert_eq!(part.as_object_mut().unwrap().remove("licences").unwrap().as_array().unwrap().len(), 3);
    let mut alone = crate::support::as_part_of(&document, alone);
    assert_eq!(alone.as_object_mut().unwrap().remove("licences"), Some(serde_json::json!([])));
    assert_eq!(part, alone);
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("<section id=\"transfer\">"));
    assert!(page.contains("reaches the partner's Azure plan for Contoso"));
    assert!(page.contains("<span class=\"badge\" data-status=\"conditional\">conditional</span>"));
}

#[test]
fn the_workbook_and_the_page_show_customer_text_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let customer = dir.path().join("customer.toml");
    let hostile = format!(
        "name = \"<script>alert(1)</script>\"\nagreement = \"mosp\"\n[subscriptions.\"{SUBSCRIPTION}\"]\nname = \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"\n"
    );
    std::fs::write(&customer, hostile).unwrap();
    let usage = path_arg(&fixture(COMMITMENTS));
    for name in ["t.xlsx", "t.html"] {
        let out = dir.path().join(name);
        let status = csp_planner()
            .args(["transfer", &usage, "--customer", &path_arg(&customer), "-o", &path_arg(&out)])
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    }
    let page = std::fs::read_to_string(dir.path().join("t.html")).unwrap();
    assert!(
        page.contains("for &lt;script&gt;alert(1)&lt;&#x2F;script&gt;:")
            || page.contains("for &lt;script&gt;alert(1)&lt;/script&gt;:"),
        "the name is escaped"
    );
    assert!(!page.contains("<script>alert(1)"));
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(dir.path().join("t.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Transfer"]);
    let range = book.worksheet_range("Transfer").unwrap();
    let row = range.rows().find(|r| r.first() == Some(&Data::String("subscription".into()))).unwrap();
    assert_eq!(row[2], Data::String("=HYPERLINK(\"http://x\",\"y\")".into()));
    assert_eq!(row[3], Data::String("resource-move".into()));
    let formulas = book.worksheet_formula("Transfer").unwrap();
    assert!(formulas.rows().flatten().all(|f| f.is_empty()), "no cell is a formula");
}

#[test]
fn the_servers_that_migrate_carry_their_licence_notes_in_workloads_and_transfer() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::run_report(&[], dir.path());
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    let servers = document["workloads"]["servers"].as_array().unwrap();
    let windows = servers.iter().find(|s| s["name"] == "CONTOSO-DC02").unwrap();
    assert_eq!(
        codes(&windows["licence_notes"]),
        ["ahb-needs-software-assurance", "csp-licences-activate-by-mak", "software-cancellation-30-days"]
    );
    assert!(windows["licence_notes"][1]["message"].as_str().unwrap().contains("180 days"));
    let cancellation = windows["licence_notes"][2]["message"].as_str().unwrap();
    assert!(
        cancellation.contains("receive 100% credit") && cancellation.contains("prorated credit"),
        "both texts: {cancellation}"
    );
    assert_eq!(windows["licence_notes"][0]["source_key"], "csp-software-subscriptions");
    let linux = servers.iter().find(|s| s["name"] == "CONTOSO-APP01").unwrap();
    assert!(linux.get("licence_notes").is_none(), "Ubuntu gets no note: {linux}");
    let groups = document["transfer"]["licences"].as_array().unwrap();
    assert_eq!(groups[0]["code"], "ahb-needs-software-assurance");
    assert_eq!(groups[0]["servers"].as_array().unwrap().len(), 5);
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("<ul id=\"transfer-licences\">"));
}

#[test]
fn the_resource_lists_tenant_is_a_fact_and_another_tenant_blocks_the_billing_transfer() {
    let estate = path_arg(&crate::support::repo_file("samples/estate.json"));
    let customer = "agreement = \"ea-direct\"\ntenant_id = \"00000000-0000-0000-0000-00000000beef\"\n[partner]\ndirect_bill = true\nazure_expert_msp = true\n";
    let (report, _) = transfer(&[estate], Some(customer));
    let s = &report["subscriptions"][0];
    let tenant = s["facts"].as_array().unwrap().iter().find(|f| f["name"] == "tenant_id").unwrap();
    assert_eq!(tenant["value"], "9a7c3e21-4b6d-4f08-8e2a-71c5d9b0f3e6");
    assert!(tenant["from"].as_str().unwrap().starts_with("tenantId ("), "{tenant}");
    assert_eq!((s["path"].as_str(), s["verdict"].as_str()), (Some("billing-transfer"), Some("blocked")));
    assert!(codes(&s["reasons"]).contains(&"tenant-differs".to_string()));
}
