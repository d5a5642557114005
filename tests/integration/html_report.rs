//! `report.html` (issue 8): the page `report` writes and the parts `assess`, `plan`, `cost` and `capacity` write
//! with `-o FILE.html`, read back as text: its numbers against report.json, no external reference, customer text
//! escaped in every context, templates overridable, reproducible with SOURCE_DATE_EPOCH.

use std::path::Path;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::support::{csp_planner, fixture, path_arg};

const SCRIPT_NAME: &str = "<script>alert(1)</script>";
const IMG_NAME: &str = "\"><img src=x onerror=alert(1)>";

/// `report ARGS --out-dir DIR` with SOURCE_DATE_EPOCH=0; returns report.html.
fn report_page(args: &[&str], dir: &Path) -> String {
    crate::support::run_report(args, dir);
    std::fs::read_to_string(dir.join("report.html")).unwrap()
}

/// `ARGS -o DIR/part.html`; returns the page.
fn part_page(args: &[&str], dir: &Path) -> String {
    let path = dir.join("part.html");
    let output =
        csp_planner().env("SOURCE_DATE_EPOCH", "0").args(args).args(["-o", &path_arg(&path)]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    std::fs::read_to_string(path).unwrap()
}

/// The text of `<span data-metric="KEY">`.
fn metric<'a>(page: &'a str, key: &str) -> &'a str {
    let start = format!("data-metric=\"{key}\">");
    let at = page.find(&start).unwrap_or_else(|| panic!("no metric {key}")) + start.len();
    let rest = &page[at..];
    &rest[..rest.find('<').unwrap()]
}

fn money(value: &Value) -> String {
    let exact: Decimal = value.as_str().unwrap().parse().unwrap();
    let rounded = exact.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero).normalize();
    if rounded.is_zero() { "0".to_string() } else { rounded.to_string() }
}

/// Every tag of the page (`<name …>`), as written.
fn tags(page: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        if after[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            tags.push(&after[..end]);
        }
        rest = &after[end.max(1)..];
    }
    tags
}

/// The JSON of `<script type="application/json" id="report-data">`.
fn report_data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"report-data\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

/// The inline stylesheets' text.
fn styles(page: &str) -> Vec<&str> {
    page.split("<style>").skip(1).map(|s| &s[..s.find("</style>").unwrap()]).collect()
}

#[test]
fn report_writes_report_html_with_the_numbers_of_report_json() {
    let dir = tempfile::tempdir().unwrap();
    let page = report_page(&[], dir.path());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    let summary = &json["assessment"]["summary"];
    for (key, field) in [
        ("resources", "resources"),
        ("no-issues", "no_issues"),
        ("modify", "modify"),
        ("blocked", "blocked"),
        ("subscriptions", "subscriptions"),
    ] {
        assert_eq!(metric(&page, key), summary[field].to_string(), "{key}");
    }
    let plan = &json["plan"]["summary"];
    for (key, field) in [
        ("batches", "batches"),
        ("batches-ready", "ready"),
        ("batches-needs-remediation", "needs_remediation"),
        ("batches-blocked", "blocked"),
    ] {
        assert_eq!(metric(&page, key), plan[field].to_string(), "{key}");
    }
    assert_eq!(metric(&page, "servers"), json["capacity"]["servers"].as_array().unwrap().len().to_string());
    let totals = &json["cost"]["totals"];
    for (key, field) in [("ea-cost", "ea_cost"), ("csp-cost", "csp_cost"), ("cost-diff", "cost_diff")] {
        assert_eq!(metric(&page, key), money(&totals[field]), "{key}");
    }
    for id in ["summary", "resources", "move-plan", "capacity", "cost", "method"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    let batches = json["plan"]["batches"].as_array().unwrap();
    assert_eq!(page.matches("<article class=\"batch\"").count(), batches.len());
    let rows = json["assessment"]["resources"].as_array().unwrap().len();
    assert_eq!(page.matches("<tr data-status=").count(), rows);
    assert!(page.contains(&format!("<span id=\"resource-count\">{rows}</span>")));
    for table in ["<table id=\"resources-table\">", "<table id=\"cost-table\">", "<table id=\"capacity-outputs\">"] {
        assert!(page.contains(table), "{table}");
    }
    assert!(page.contains("<span class=\"badge\" data-status=\"BLOCKED\">BLOCKED</span>"));
    assert!(page.contains("<input id=\"resource-search\" type=\"search\">"));
    assert!(page.contains("<input type=\"checkbox\" class=\"status-filter\" value=\"NO ISSUES\" checked>"));
    assert!(page.contains("@media print"));
}

#[test]
fn the_page_loads_nothing_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let page = report_page(&[], dir.path());
    assert!(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"));
    for tag in tags(&page) {
        for attribute in [" src=", " href=", " srcset=", " action=", " xlink:href="] {
            if let Some(at) = tag.find(attribute) {
                assert!(tag[at + attribute.len()..].starts_with("\"#"), "external reference in {tag}");
            }
        }
        assert!(!tag.contains("http://") && !tag.contains("https://"), "URL in {tag}");
        assert!(!tag.contains("url("), "url( in {tag}");
    }
    for style in styles(&page) {
        assert!(!style.contains("url(") && !style.contains("@import") && !style.contains("//"), "{style}");
    }
}

#[test]
fn customer_text_is_escaped_in_text_attributes_svg_and_the_embedded_json() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = path_arg(&fixture("html/hostile.json"));
    let page = report_page(&[&hostile], dir.path());
    assert!(!page.contains("<script>alert"), "raw script");
    assert!(!page.contains("<img src=x"), "raw img");
    assert!(!page.contains("</script><script>alert(2)"), "raw tag value");
    // Text and the row's data-id attribute.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("<div>owner&#x3D;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</div>"), "tag value");
    assert!(page.contains("networkInterfaces/&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;\""), "data-id");
    // SVG text (the batch diagram's node titles).
    let diagram = &page[page.find("<svg class=\"batch-diagram\"").unwrap()..];
    assert!(diagram.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    assert!(diagram.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // The embedded JSON gives the exact names back.
    let data = report_data(&page);
    let names: Vec<&str> = data["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&SCRIPT_NAME) && names.contains(&IMG_NAME), "{names:?}");
    // Only the page's own two script elements.
    assert_eq!(page.matches("<script").count(), 2);
}

#[test]
fn a_template_of_templates_dir_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("method.hbs"), "<section id=\"method\"><p>Contoso Partners {{date}}</p></section>\n")
        .unwrap();
    let page = report_page(&["--templates", &path_arg(&templates)], &dir.path().join("out"));
    assert!(page.contains("<p>Contoso Partners 1970-01-01</p>"));
    assert!(page.contains("<section id=\"summary\">"), "the other templates stay embedded");
}

#[test]
fn a_broken_template_is_exit_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let file = templates.join("summary.hbs");
    std::fs::write(&file, "<section id=\"summary\">\n<p>ok</p>\n{{#if metrics}}\n<p>never closed</p>\n").unwrap();
    let output = csp_planner()
        .args(["report", "--templates", &path_arg(&templates), "--out-dir", &path_arg(&dir.path().join("out"))])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&path_arg(&file)) && stderr.contains("line "), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing written before the templates are checked");
}

#[test]
fn each_command_writes_its_part_with_o_file_html() {
    let dir = tempfile::tempdir().unwrap();
    let absent = |page: &str, section: &str| {
        let at = page.find(&format!("<section id=\"{section}\">")).unwrap();
        page[at..].split("</section>").next().unwrap().contains("not part of this report")
    };
    let page = part_page(&["assess"], dir.path());
    assert!(page.contains("<table id=\"resources-table\">") && absent(&page, "move-plan") && absent(&page, "cost"));
    let page = part_page(&["plan"], dir.path());
    assert!(page.contains("<article class=\"batch\" data-batch=\"B01\"") && absent(&page, "capacity"));
    let page = part_page(&["cost"], dir.path());
    assert!(page.contains("<table id=\"cost-table\">") && absent(&page, "resources"));
    let quick = [&["capacity", "quick"][..], crate::capacity::SAMPLE].concat();
    let page = part_page(&quick, dir.path());
    assert!(page.contains("<th>Total data to be replicated (in GBs)</th><td>700</td>"), "seed's label and value");
    assert!(page.contains("<table id=\"capacity-outputs\">") && absent(&page, "resources"));
    let servers = path_arg(&crate::support::repo_file("samples/servers-rvtools.xlsx"));
    let page = part_page(&["capacity", "detailed", &servers], dir.path());
    assert!(page.contains("<table id=\"capacity-servers\">") && page.contains("<th>Storage required (in GBs)</th>"));
    assert_eq!(metric(&page, "servers"), "6");
    let output = csp_planner().args(["assess", "--format", "html"]).output().unwrap();
    assert!(output.status.success() && output.stdout.starts_with(b"<!DOCTYPE html>"), "HTML to stdout");
}

#[test]
fn source_date_epoch_dates_the_page_and_two_runs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let first = report_page(&[], &dir.path().join("a"));
    let second = report_page(&[], &dir.path().join("b"));
    assert!(first.contains("<time id=\"report-date\">1970-01-01</time>"));
    assert!(first == second, "two runs differ");
}

#[test]
fn a_large_estate_shows_the_first_2000_rows_and_the_first_500_batches_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let resources: Vec<Value> = (0..2001)
        .map(|i| {
            serde_json::json!({
                "id": format!("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip-{i}"),
                "name": format!("ip-{i}"), "type": "microsoft.network/publicipaddresses", "location": "westeurope",
                "resourceGroup": "rg", "subscriptionId": "11111111-2222-3333-4444-555555555555"
            })
        })
        .collect();
    let estate = dir.path().join("estate.json");
    std::fs::write(&estate, serde_json::json!({ "data": resources }).to_string()).unwrap();
    let page = part_page(&["plan", &path_arg(&estate)], dir.path());
    assert_eq!(page.matches("<tr data-status=").count(), 2000);
    assert!(page.contains("<p id=\"resources-truncated\">This page lists the first 2000 of 2001 resources."));
    assert_eq!(report_data(&page)["resources"].as_array().unwrap().len(), 2000);
    assert_eq!(page.matches("<article class=\"batch\"").count(), 500);
    assert!(page.contains("<p id=\"batches-summarised\">"));
}

#[test]
fn templates_export_writes_every_template_and_the_exported_set_renders_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("brand");
    let output = csp_planner().args(["templates", "export", &path_arg(&templates)]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for name in ["report.html.hbs", "style.css.hbs", "script.js.hbs", "summary.hbs", "method.hbs"] {
        assert!(templates.join(name).is_file(), "{name}");
    }
    let embedded = report_page(&[], &dir.path().join("a"));
    let exported = report_page(&["--templates", &path_arg(&templates)], &dir.path().join("b"));
    assert!(embedded == exported);
}

#[test]
fn the_method_lists_the_rules_that_never_matched_as_report_json_does() {
    let dir = tempfile::tempdir().unwrap();
    let page = report_page(&[], dir.path());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    let never = json["assessment"]["rules"]["never_matched"].as_array().unwrap();
    assert!(!never.is_empty(), "the sample leaves some conditions unmatched");
    let start = page.find("<details id=\"method-never-matched\">").expect("a never-matched list");
    let list = &page[start..start + page[start..].find("</details>").unwrap()];
    assert_eq!(list.matches("<tr><td>").count(), never.len());
    for rule in never {
        // The rule's location, e.g. "rules/move-conditions.toml line 27", as the page escapes text.
        let text = rule["rule"].as_str().unwrap().replace('&', "&amp;").replace('"', "&quot;");
        assert!(list.contains(&format!("<tr><td>{text}</td>")), "{text}");
    }
}
