//! `workloads` (issue 9): servers and applications green / yellow / red from rules/workloads.toml, grouped by
//! the applications file, the inventory's column or the dependency export, with the consultant's overrides.
//!
//! `tests/fixtures/workloads/servers.csv` (Azure Migrate import CSV) has one server per rule: each row's figures
//! are chosen against the limits of rules/azure-limits.toml, which the tests read back where a message quotes a
//! limit. The bundled sample (RVTools) has the powered-off VM and the template.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::*;

fn workloads(args: &[&str]) -> Value {
    let output = csp_planner().arg("workloads").args(args).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "workloads {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn f(name: &str) -> String {
    path_arg(&fixture(&format!("workloads/{name}")))
}

fn server<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["servers"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn application<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no application {name}"))
}

fn codes(verdict: &Value) -> Vec<String> {
    verdict["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

/// The value of `name` in the `[era.current]` table of rules/azure-limits.toml.
fn current_limit(name: &str) -> String {
    let text = std::fs::read_to_string(repo_file("rules/azure-limits.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["era"]["current"][name]["value"].to_string()
}

/// The codes of rules/workloads.toml, in file order, with their colour.
fn rule_codes() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo_file("rules/workloads.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap().to_string(), r["color"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn workloads_fixture_gives_each_server_the_colour_and_code_of_its_rule() {
    let report = workloads(&[&f("servers.csv")]);
    let expect = |name: &str, color: &str, code: &str| {
        let s = server(&report, name);
        assert_eq!(s["color"], color, "{name}: {s:#}");
        assert!(codes(s).contains(&code.to_string()), "{name} lacks {code}: {:?}", codes(s));
        for reason in s["reasons"].as_array().unwrap() {
            assert!(reason["source"].as_str().is_some_and(|t| t.contains("workloads.toml line")), "{reason}");
        }
    };
    expect("web01", "green", "validated-workload");
    expect("db01", "red", "disk-too-large");
    expect("huge01", "red", "no-azure-vm-size");
    expect("legacy01", "yellow", "os-32-bit");
    expect("legacy01", "yellow", "os-unsupported");
    expect("uefi2008", "yellow", "uefi-boot");
    expect("desk01", "yellow", "client-os");
    expect("tiny01", "yellow", "disk-too-small");
    expect("ubuntu01", "yellow", "os-version-unknown");
    expect("mystery01", "yellow", "os-unknown");
    expect("nodisk01", "yellow", "inventory-incomplete");

    // Messages carry the figures and the limit they break, as rules/azure-limits.toml gives it.
    let db01 = &server(&report, "db01")["reasons"][0]["message"];
    let limit = current_limit("max_data_disk_size_gb");
    assert!(db01.as_str().unwrap().contains(&format!("Disk 2 is 40000 GB: larger than the {limit} GB")), "{db01}");
    let tiny = &server(&report, "tiny01")["reasons"][0]["message"];
    assert!(tiny.as_str().unwrap().contains(&format!("smaller than the {} GB", current_limit("min_disk_size_gb"))));
    // Review: the verdicts Azure Migrate would call "Readiness unknown", and the unversioned family.
    for name in ["ubuntu01", "mystery01", "nodisk01"] {
        assert_eq!(server(&report, name)["needs_review"], true, "{name}");
    }
    assert_eq!(server(&report, "web01")["needs_review"], false);
    // One application per server without a grouping source; counts agree with the verdicts.
    assert_eq!(report["applications"].as_array().unwrap().len(), report["servers"].as_array().unwrap().len());
    let mut by_color: BTreeMap<String, usize> = BTreeMap::new();
    for s in report["servers"].as_array().unwrap() {
        *by_color.entry(s["color"].as_str().unwrap().to_string()).or_default() += 1;
        assert_eq!(s["grouped_by"], "server");
    }
    for color in ["green", "yellow", "red"] {
        assert_eq!(report["summary"]["server_colors"][color], by_color.get(color).copied().unwrap_or(0), "{color}");
        assert_eq!(report["summary"][color], by_color.get(color).copied().unwrap_or(0), "{color}");
    }
    let review = report["servers"].as_array().unwrap().iter().filter(|s| s["needs_review"] == true).count();
    assert_eq!(report["summary"]["needs_review"], review);
    assert_eq!(report["unmatched_rules"], serde_json::json!(["powered-off", "template"]));
}

#[test]
fn workloads_every_rule_of_the_file_fires_on_the_fixtures_or_the_sample() {
    let mut fired: Vec<String> = Vec::new();
    for report in [workloads(&[&f("servers.csv")]), workloads(&[])] {
        for s in report["servers"].as_array().unwrap() {
            fired.extend(codes(s));
        }
    }
    for (code, color) in rule_codes() {
        assert!(fired.contains(&code), "rule {code} ({color}) fires on no fixture");
    }
}

#[test]
fn workloads_the_bundled_sample_flags_the_powered_off_vm_and_the_template() {
    let report = workloads(&[]);
    assert!(report["inputs"][0]["path"].as_str().unwrap().contains("servers-rvtools.xlsx"));
    let web = server(&report, "CONTOSO-WEB01");
    assert_eq!(web["color"], "yellow");
    assert!(codes(web).contains(&"powered-off".to_string()) && web["needs_review"] == true);
    let template = server(&report, "TPL-WIN2019");
    assert!(codes(template).contains(&"template".to_string()));
    assert_eq!(server(&report, "CONTOSO-DC02")["color"], "green");
}

#[test]
fn workloads_the_public_rvtools_export_is_classified_per_server() {
    let Some(path) = shared_data("rvtools-small-complete.xlsx") else { return };
    let report = workloads(&[&path_arg(&path)]);
    let names: Vec<&str> = report["servers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["sample-web-01", "sample-db-01", "sample-archive-01"]);
    // "Ubuntu Linux (64-bit)": RVTools names the family without the release.
    let web = server(&report, "sample-web-01");
    assert_eq!((web["color"].as_str(), codes(web)), (Some("yellow"), vec!["os-version-unknown".to_string()]));
    // Windows Server 2022 on EFI: supported today …
    assert_eq!(server(&report, "sample-db-01")["color"], "green");
    // … powered off, and the Ubuntu version unknown.
    let archive = server(&report, "sample-archive-01");
    assert!(
        codes(archive).contains(&"powered-off".to_string())
            && codes(archive).contains(&"os-version-unknown".to_string())
    );
    // In the seed's era Windows Server 2022 did not exist and Site Recovery did not replicate UEFI.
    let old = workloads(&[&path_arg(&path), "--era", "2017"]);
    assert_eq!(old["era"], "2017");
    let db = server(&old, "sample-db-01");
    assert_eq!(db["color"], "yellow");
    assert!(
        codes(db).contains(&"uefi-boot".to_string()) && codes(db).contains(&"os-unsupported".to_string()),
        "{db:#}"
    );
}

#[test]
fn workloads_groups_by_the_applications_file_first() {
    let report = workloads(&[&f("servers.csv"), "--applications", &f("applications.csv")]);
    let web = application(&report, "Contoso Web");
    // WEB02 in the file matches web02 (names ignore case); the worst of the three servers is db01's red.
    assert_eq!(web["servers"], serde_json::json!(["web01", "web02", "db01"]));
    assert_eq!(web["color"], "red");
    assert_eq!(web["overridden"], false);
    assert_eq!(web["counts"], serde_json::json!({"green": 2, "yellow": 0, "red": 1}));
    assert_eq!(server(&report, "web02")["grouped_by"], "applications-file");
    assert_eq!(report["grouping"]["applications_file"], 3);
    let warnings = report["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["message"].as_str().unwrap().contains("\"not-in-inventory\"")), "{warnings:?}");
}

#[test]
fn workloads_groups_by_the_inventory_application_column() {
    let report = workloads(&[&f("servers-app-column.csv")]);
    // "CRM" and "crm" are one application, named as first written; a server without one is its own.
    let crm = application(&report, "CRM");
    assert_eq!(crm["servers"], serde_json::json!(["crm-web", "crm-db"]));
    assert_eq!(server(&report, "crm-db")["grouped_by"], "inventory-column");
    assert_eq!(application(&report, "ERP")["color"], "yellow");
    assert_eq!(application(&report, "loner")["servers"], serde_json::json!(["loner"]));
    assert_eq!(server(&report, "loner")["grouped_by"], "server");
}

#[test]
fn workloads_groups_by_dependency_components_without_infrastructure_ports() {
    let report = workloads(&[&f("servers.csv"), "--dependencies", &f("dependencies.csv")]);
    // web01 -> db01.contoso.local:1433 (the FQDN matches db01) and web02 -> db01:1433: one component.
    let web = application(&report, "web01 group");
    assert_eq!(web["servers"], serde_json::json!(["web01", "web02", "db01"]));
    assert_eq!(server(&report, "db01")["grouped_by"], "dependencies");
    // LDAP (389) and Kerberos (88) to the domain controller do not join anything to it.
    assert_eq!(application(&report, "dc01")["servers"], serde_json::json!(["dc01"]));
    assert_eq!(application(&report, "desk01")["servers"], serde_json::json!(["desk01"]));
    assert_eq!(application(&report, "ubuntu01 group")["servers"], serde_json::json!(["ubuntu01", "mystery01"]));
    let connections = &report["grouping"]["connections"];
    assert_eq!(connections["rows"], 7, "the row without a destination server is no connection: {connections}");
    assert_eq!(connections["repeated_rows"], 1, "web01 -> DB01.contoso.local:1433 again, a later time slot");
    assert_eq!(connections["used"], 3);
    assert_eq!(connections["infrastructure_port"], 2);
    assert_eq!(connections["outside_inventory"], 1);
    assert_eq!(connections["same_server"], 1);
    // The applications file wins over the dependencies for the servers it names.
    let both = workloads(&[
        &f("servers.csv"),
        "--applications",
        &f("applications.csv"),
        "--dependencies",
        &f("dependencies.csv"),
    ]);
    assert_eq!(application(&both, "Contoso Web")["servers"], serde_json::json!(["web01", "web02", "db01"]));
    assert_eq!(both["grouping"]["connections"]["already_grouped"], 2);
}

#[test]
fn workloads_overrides_win_and_say_who_decided_and_why() {
    let report =
        workloads(&[&f("servers.csv"), "--applications", &f("applications.csv"), "--overrides", &f("overrides.csv")]);
    let web = application(&report, "Contoso Web");
    assert_eq!((web["color"].as_str(), web["overridden"].as_bool()), (Some("red"), Some(true)));
    let decision = &web["reasons"][0];
    assert_eq!(decision["code"], "override-legal");
    let message = decision["message"].as_str().unwrap();
    assert!(message.contains("legal, by J. Smith") && message.contains("clause 7.2"), "{message}");
    assert!(decision["source"].as_str().unwrap().ends_with("overrides.csv, line 2"), "{decision}");
    // The server override turns desk01 (yellow by the rules: client OS) green, and keeps the rules' reasons.
    let desk = server(&report, "desk01");
    assert_eq!((desk["color"].as_str(), desk["rules_color"].as_str()), (Some("green"), Some("yellow")));
    assert_eq!(codes(desk)[0], "override");
    assert!(codes(desk).contains(&"client-os".to_string()));
    assert_eq!(application(&report, "desk01")["color"], "green");
    assert_eq!(report["summary"]["overridden_applications"], 1);
    assert_eq!(report["summary"]["overridden_servers"], 1);
    // The table shows the decision.
    let output = csp_planner()
        .args(["workloads", &f("servers.csv"), "--applications", &f("applications.csv"), "--overrides"])
        .arg(f("overrides.csv"))
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    let line = table.lines().find(|l| l.contains("Contoso Web")).unwrap();
    assert!(line.contains("RED") && line.contains("override") && line.contains("override-legal"), "{line}");
    let desk = table.lines().find(|l| l.contains("desk01")).unwrap();
    assert!(desk.contains("GREEN") && desk.contains("rules, 1 server override(s)"), "{desk}");
}

#[test]
fn workloads_a_server_no_rule_judges_needs_review_never_green() {
    let rules = path_arg(&fixture("workloads/rules-one-rule"));
    let report = workloads(&[&f("servers.csv"), "--rules", &rules]);
    assert_eq!(server(&report, "huge01")["color"], "red");
    let web = server(&report, "web01");
    assert_eq!((web["color"].as_str(), codes(web)), (Some("yellow"), vec!["needs-review".to_string()]));
    assert_eq!(web["needs_review"], true);
    assert!(report["servers"].as_array().unwrap().iter().all(|s| s["color"] != "green"));
}

#[test]
fn workloads_csv_has_one_row_per_server_and_neutralises_formulas() {
    let output = csp_planner().args(["workloads", &f("servers.csv"), "--format", "csv"]).output().unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "server");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let report = workloads(&[&f("servers.csv")]);
    assert_eq!(rows.len(), report["servers"].as_array().unwrap().len());
    for (row, s) in rows.iter().zip(report["servers"].as_array().unwrap()) {
        assert_eq!(&row[0], s["name"].as_str().unwrap());
        assert_eq!(&row[3], s["color"].as_str().unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.csv");
    std::fs::write(
        &hostile,
        "*Server name,*Cores,*Memory (In MB),*OS name,Number of disks,Storage in use (In GB),Disk 1 size (In GB)\n\
         \"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2,4096,Windows Server 2019,1,10,64\n",
    )
    .unwrap();
    let output = csp_planner().args(["workloads", &path_arg(&hostile), "--format", "csv"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
}

#[test]
fn workloads_an_override_naming_an_unknown_server_is_exit_2_naming_the_row() {
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &f("overrides-unknown-server.csv")]);
    assert!(stderr.contains("overrides-unknown-server.csv"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("server \"no-such-server\" is not in the inventory"), "{stderr}");
}

#[test]
fn workloads_an_override_naming_an_unknown_application_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("overrides.csv");
    std::fs::write(&file, "Application,Color,Reason,Author\nPayroll,red,regulatory,A. Consultant\n").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &path_arg(&file)]);
    assert!(
        stderr.contains("application \"Payroll\" is not in the inventory") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn workloads_an_unknown_color_is_exit_2_naming_the_cell() {
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &f("overrides-bad-color.csv")]);
    assert!(stderr.contains("overrides-bad-color.csv") && stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("unknown color \"purple\": expected green, yellow or red"), "{stderr}");
    assert!(stderr.contains("Color"), "names the column: {stderr}");
}

#[test]
fn workloads_a_dependency_file_without_its_columns_is_exit_2_naming_them() {
    let stderr =
        command_fails("workloads", &[&f("servers.csv"), "--dependencies", &f("dependencies-missing-columns.csv")]);
    assert!(stderr.contains("dependencies-missing-columns.csv"), "{stderr}");
    assert!(stderr.contains("missing mandatory column \"Destination port\""), "{stderr}");
}

#[test]
fn workloads_other_bad_side_files_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--applications", &path_arg(&empty)]);
    assert!(stderr.contains("empty.csv") && stderr.contains("empty"), "{stderr}");
    let conflict = dir.path().join("apps.csv");
    std::fs::write(&conflict, "Server,Application\nweb01,A\nweb01,B\n").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--applications", &path_arg(&conflict)]);
    assert!(stderr.contains("line 3") && stderr.contains("belongs to one application"), "{stderr}");
    let both = dir.path().join("both.csv");
    std::fs::write(&both, "Application,Server,Color,Reason,Author\nX,web01,red,r,a\n").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &path_arg(&both)]);
    assert!(stderr.contains("both an application and a server"), "{stderr}");
    let missing = dir.path().join("no-author.csv");
    std::fs::write(&missing, "Server,Color,Reason\nweb01,red,r\n").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &path_arg(&missing)]);
    assert!(stderr.contains("missing mandatory column \"Author\""), "{stderr}");
    let port = dir.path().join("port.csv");
    std::fs::write(&port, "Source server name,Destination server name,Destination port\nweb01,db01,http\n").unwrap();
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--dependencies", &path_arg(&port)]);
    assert!(stderr.contains("line 2") && stderr.contains("Destination port"), "{stderr}");
}

#[test]
fn workloads_rule_problems_are_reported_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("workloads.toml"),
        "[[rule]]\ncode = \"a\"\ncolor = \"blue\"\nwhen = { cores = \"many\" }\nmessage = \"m\"\nsource = \"s\"\n",
    )
    .unwrap();
    let stderr = command_fails("rules", &["check", "--rules", &path_arg(dir.path())]);
    assert!(stderr.contains("workloads.toml") && stderr.contains("line 1"), "{stderr}");
    assert!(stderr.contains("color `blue`") && stderr.contains("when.cores: expected a number"), "{stderr}");
}

/// A workbook side file: rows of text cells on a sheet named `sheet`, under a title row.
fn side_workbook(dir: &std::path::Path, name: &str, sheet: &str, rows: &[&[&str]]) -> String {
    let path = dir.join(name);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let worksheet = workbook.add_worksheet().set_name(sheet).unwrap();
    worksheet.write(0, 0, "Decisions of the 2026-11-20 workshop").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            worksheet.write(r as u32 + 2, c as u16, *text).unwrap();
        }
    }
    workbook.save(&path).unwrap();
    path_arg(&path)
}

#[test]
fn workloads_side_files_may_be_workbooks_and_their_errors_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let apps = side_workbook(
        dir.path(),
        "apps.xlsx",
        "Mapping",
        &[&["Server", "Application"], &["web01", "Shop"], &["db01", "Shop"]],
    );
    let decisions = side_workbook(
        dir.path(),
        "decisions.xlsx",
        "Overrides",
        &[
            &["Application", "Color", "Reason", "Author", "Category"],
            &["Shop", "Yellow", "re-platform the database", "J. Smith", "cost"],
        ],
    );
    let report = workloads(&[&f("servers.csv"), "--applications", &apps, "--overrides", &decisions]);
    let shop = application(&report, "Shop");
    assert_eq!(shop["servers"], serde_json::json!(["web01", "db01"]));
    assert_eq!((shop["color"].as_str(), shop["rules_color"].as_str()), (Some("yellow"), Some("red")));
    assert_eq!(shop["reasons"][0]["code"], "override-cost");
    assert!(shop["reasons"][0]["source"].as_str().unwrap().ends_with("decisions.xlsx, sheet \"Overrides\", row 4"));

    let unknown = side_workbook(
        dir.path(),
        "unknown.xlsx",
        "Overrides",
        &[
            &["Server", "Color", "Reason", "Author"],
            &["web01", "green", "ok", "A"],
            &["ghost01", "red", "security", "A"],
        ],
    );
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &unknown]);
    assert!(stderr.contains("sheet \"Overrides\", cell A5") && stderr.contains("\"ghost01\""), "{stderr}");
    let colour = side_workbook(
        dir.path(),
        "colour.xlsx",
        "Overrides",
        &[&["Server", "Color", "Reason", "Author"], &["web01", "amber", "ok", "A"]],
    );
    let stderr = command_fails("workloads", &[&f("servers.csv"), "--overrides", &colour]);
    assert!(stderr.contains("sheet \"Overrides\", cell B4") && stderr.contains("unknown color \"amber\""), "{stderr}");
}

#[test]
fn workloads_the_sample_gives_the_colours_samples_readme_expects_in_both_eras() {
    let rows = readme_table("## Expected workloads (`workloads`)");
    assert_eq!(rows.len(), 6);
    for (era, color_column, codes_column) in [("current", "Color", "Codes"), ("2017", "Color (2017)", "Codes (2017)")] {
        let report = workloads(&["--era", era]);
        for row in &rows {
            let s = server(&report, &row["Server"]);
            assert_eq!(s["color"], row[color_column].as_str(), "{} ({era})", row["Server"]);
            let expected: Vec<String> = row[codes_column].split(", ").map(str::to_string).collect();
            assert_eq!(codes(s), expected, "{} ({era})", row["Server"]);
        }
    }
}

#[test]
fn workloads_the_manual_quotes_the_seeds_three_groups_verbatim() {
    let Some(seed) = shared_seed("002_fc7ee01e5cb2f8f5.txt") else { return };
    let seed = std::fs::read_to_string(seed).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    let page = std::fs::read_to_string(repo_file("docs/commands/workloads.md")).unwrap();
    // The quote is wrapped over `>` lines: compare with the whitespace and the quote marks folded.
    let folded: String = page
        .lines()
        .skip_while(|l| !l.starts_with('>'))
        .take_while(|l| l.starts_with('>'))
        .map(|l| l.trim_start_matches('>').trim())
        .collect::<Vec<_>>()
        .join(" ");
    for (number, group) in [(13318, "Green"), (13319, "Yellow"), (13320, "Red")] {
        let definition = lines[number - 1].split_once(":** ").unwrap().1;
        let quoted = format!("**{group}**: \"{definition}\"");
        assert!(folded.contains(&quoted), "docs/commands/workloads.md lacks seed line {number} verbatim: {quoted}");
    }
}
