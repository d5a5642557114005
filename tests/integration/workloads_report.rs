//! Workloads (issue 9) in `report`'s outputs and in `workloads -o FILE.xlsx|.html`: report.json's `workloads` is
//! exactly what `workloads` prints, the Workloads and Workload Servers sheets read back with calamine, the
//! Workloads section and the seed's three groups in report.html, customer names never a formula nor markup, and
//! the side files' usage rules.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::support::{as_part_of, command_fails, csp_planner, fixture, path_arg, shared_seed};

const HOSTILE: [&str; 3] =
    ["=HYPERLINK(\"http://x\",\"y\")", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"];
const APPLICATION_HEADER: [&str; 9] =
    ["Application", "Color", "Decided by", "Servers", "Green", "Yellow", "Red", "Top reasons", "Reasons"];
const SERVER_HEADER: [&str; 12] = [
    "Server",
    "Application",
    "Grouped by",
    "Color",
    "Rules color",
    "Overridden",
    "Needs review",
    "Is VM Qualified?",
    "OS",
    "Reason codes",
    "Reasons",
    "Source",
];

/// Runs `report ARGS --out-dir DIR` with SOURCE_DATE_EPOCH=0 (asserting success); returns stdout.
fn report(args: &[&str], dir: &Path) -> String {
    crate::support::run_report(args, dir)
}

/// `workloads ARGS --format json`, parsed.
fn workloads_json(args: &[&str]) -> Value {
    let output = csp_planner().arg("workloads").args(args).args(["--format", "json"]).output().unwrap();
    assert!(output.status.success(), "workloads {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cells<R: std::io::Read + std::io::Seek>(book: &mut Xlsx<R>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    range.rows().map(|row| row.iter().map(Data::to_string).collect()).collect()
}

/// The JSON's `key` of each item of `list`, as strings (colours as their upper-case word).
fn field(json: &Value, list: &str, key: &str) -> Vec<String> {
    json[list].as_array().unwrap().iter().map(|item| item[key].as_str().unwrap().to_string()).collect()
}

fn upper(words: Vec<String>) -> Vec<String> {
    words.into_iter().map(|w| w.to_ascii_uppercase()).collect()
}

/// The Workloads and Workload Servers sheets against the workloads JSON: headers, one row per application and
/// per server in the JSON's order, the same colour words.
fn check_sheets<R: std::io::Read + std::io::Seek>(book: &mut Xlsx<R>, json: &Value) {
    let apps = cells(book, "Workloads");
    assert_eq!(apps[0], APPLICATION_HEADER);
    let rows = &apps[1..];
    assert_eq!(rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), field(json, "applications", "name"));
    assert_eq!(rows.iter().map(|r| r[1].clone()).collect::<Vec<_>>(), upper(field(json, "applications", "color")));
    for (row, app) in rows.iter().zip(json["applications"].as_array().unwrap()) {
        assert_eq!(row[3], app["servers"].as_array().unwrap().len().to_string(), "{row:?}");
        assert_eq!(row[4], app["counts"]["green"].to_string());
        let servers_decided = app["overridden_servers"].as_u64().unwrap();
        let decided = if app["overridden"] == true {
            "override".to_string()
        } else if servers_decided > 0 {
            format!("rules, {servers_decided} server override(s)")
        } else if app["needs_review"] == true {
            "rules (review)".to_string()
        } else {
            "rules".to_string()
        };
        assert_eq!(row[2], decided, "{row:?}");
    }
    let servers = cells(book, "Workload Servers");
    assert_eq!(servers[0], SERVER_HEADER);
    let rows = &servers[1..];
    assert_eq!(rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), field(json, "servers", "name"));
    assert_eq!(rows.iter().map(|r| r[1].clone()).collect::<Vec<_>>(), field(json, "servers", "application"));
    assert_eq!(rows.iter().map(|r| r[3].clone()).collect::<Vec<_>>(), upper(field(json, "servers", "color")));
    assert_eq!(rows.iter().map(|r| r[4].clone()).collect::<Vec<_>>(), upper(field(json, "servers", "rules_color")));
}

/// The JSON of `<script type="application/json" id="report-data">`.
fn report_data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"report-data\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

/// The text of `<span data-metric="KEY">` (the first one).
fn metric<'a>(page: &'a str, key: &str) -> &'a str {
    let start = format!("data-metric=\"{key}\">");
    let at = page.find(&start).unwrap_or_else(|| panic!("no metric {key}")) + start.len();
    let rest = &page[at..];
    &rest[..rest.find('<').unwrap()]
}

#[test]
fn report_on_the_bundled_sample_has_the_workloads_in_report_json_the_workbook_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = report(&[], dir.path());
    let document = read_json(&dir.path().join("report.json"));
    let workloads = workloads_json(&[]);
    assert_eq!(
        document["workloads"],
        as_part_of(&document, workloads.clone()),
        "report.json's workloads is exactly `workloads --format json`"
    );
    let s = &workloads["summary"];
    let phrase = format!(
        "; {} application(s): {} GREEN, {} YELLOW, {} RED, {} need review",
        s["applications"], s["green"], s["yellow"], s["red"], s["needs_review"]
    );
    let line = stdout.lines().find(|l| l.contains("assessment.xlsx")).unwrap();
    assert!(line.ends_with(&phrase), "{line}\nexpected the end {phrase}");
    assert_eq!(s["applications"], 6, "samples/README.md: six servers, one application each");

    let mut book: Xlsx<_> = open_workbook(dir.path().join("assessment.xlsx")).unwrap();
    let sheets = book.sheet_names();
    for sheet in ["Summary", "Resources", "Cost", "Workloads", "Workload Servers", "Rules"] {
        assert!(sheets.iter().any(|s| s == sheet), "{sheet} missing: {sheets:?}");
    }
    check_sheets(&mut book, &workloads);
    let summary = cells(&mut book, "Summary");
    let at = summary.iter().position(|r| r[0] == "Workloads").expect("a Workloads block on the Summary");
    assert_eq!(summary[at + 1][..2], ["Applications".to_string(), s["applications"].to_string()]);
    assert_eq!(summary[at + 2][..2], ["GREEN".to_string(), s["green"].to_string()]);

    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("<a href=\"#workloads\">Workloads</a>"), "in the navigation");
    assert!(page.contains("<table id=\"workloads-table\">"));
    assert_eq!(metric(&page, "applications"), s["applications"].to_string());
    assert_eq!(metric(&page, "applications-green"), s["green"].to_string());
    assert_eq!(metric(&page, "applications-yellow"), s["yellow"].to_string());
    assert_eq!(metric(&page, "applications-red"), s["red"].to_string());
    assert_eq!(metric(&page, "applications-needs-review"), s["needs_review"].to_string());
    let table = &page[page.find("<table id=\"workloads-table\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr data-color=").count(), 6);
    for app in workloads["applications"].as_array().unwrap() {
        let color = app["color"].as_str().unwrap();
        let badge =
            format!("<span class=\"badge color-{color}\" data-color=\"{color}\">{}</span>", color.to_uppercase());
        assert!(table.contains(&badge), "{badge}: the colour as a word with its class");
    }
    assert!(table.contains("<details><summary>1 server(s)</summary>"));
}

#[test]
fn report_html_quotes_the_seeds_three_groups_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    report(&[], dir.path());
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let method = &page[page.find("<section id=\"method\">").unwrap()..];
    assert!(method.contains("\"Migrate additional workloads from on-premises to Azure CSP\", section \"Application selection migration assessment\""));
    assert!(method.contains("Readiness unknown → yellow for review"));
    let Some(seed) = shared_seed("002_fc7ee01e5cb2f8f5.txt") else { return };
    let seed = std::fs::read_to_string(seed).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    for (number, group) in [(13318, "Green"), (13319, "Yellow"), (13320, "Red")] {
        let text = lines[number - 1].trim_start_matches("- ").replace("**", "");
        assert!(text.starts_with(&format!("{group}: Applications")), "seed line {number}: {text}");
        assert!(method.contains(&format!("<q>{text}</q></li>")), "L{number} verbatim");
    }
}

#[test]
fn hostile_server_names_are_text_in_the_workbook_and_escaped_in_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let servers = path_arg(&fixture("workloads/hostile-servers.csv"));
    let stdout = report(&[&servers], dir.path());
    assert!(
        stdout.contains("assessment.xlsx"),
        "servers alone write assessment.xlsx (its Workloads sheets):\n{stdout}"
    );
    let json = workloads_json(&[&servers]);
    assert_eq!(field(&json, "servers", "name"), HOSTILE);
    let document = read_json(&dir.path().join("report.json"));
    assert_eq!(document["workloads"], as_part_of(&document, json.clone()));

    let mut book: Xlsx<_> = open_workbook(dir.path().join("assessment.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Workloads", "Workload Servers"]);
    check_sheets(&mut book, &json);
    let apps = cells(&mut book, "Workloads");
    assert_eq!(apps[1..].iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), HOSTILE, "exact strings");
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula in {sheet}");
    }

    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!page.contains("<script>alert(1)"), "raw script");
    assert!(!page.contains("<img src=x"), "raw img");
    assert!(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "escaped in the table");
    assert!(page.contains("<td>&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</td>"), "escaped in the table");
    assert_eq!(page.matches("<script").count(), 2, "only the page's own two script elements");
    let data = report_data(&page);
    let names: Vec<&str> =
        data["applications"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, HOSTILE, "the embedded JSON gives the exact names back");
    let servers: Vec<&str> =
        data["applications"].as_array().unwrap().iter().map(|a| a["servers"][0].as_str().unwrap()).collect();
    assert_eq!(servers, HOSTILE);
}

#[test]
fn workloads_writes_its_part_with_o_file_xlsx_and_o_file_html() {
    let dir = tempfile::tempdir().unwrap();
    let json = workloads_json(&[]);
    let xlsx = dir.path().join("workloads.xlsx");
    let output = csp_planner().args(["workloads", "-o", &path_arg(&xlsx)]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Workloads", "Workload Servers"]);
    check_sheets(&mut book, &json);

    let html = dir.path().join("workloads.html");
    let output =
        csp_planner().env("SOURCE_DATE_EPOCH", "0").args(["workloads", "-o", &path_arg(&html)]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<table id=\"workloads-table\">"));
    assert_eq!(metric(&page, "applications"), json["summary"]["applications"].to_string());
    assert!(page.contains("section \"Application selection migration assessment\""), "the method quotes the seed");
    let resources = &page[page.find("<section id=\"resources\">").unwrap()..];
    assert!(resources[..resources.find("</section>").unwrap()].contains("not part of this report"));
}

#[test]
fn report_takes_the_side_files_and_the_era_for_the_sample_servers() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = dir.path().join("overrides.csv");
    std::fs::write(&overrides, "Server,Color,Reason,Author,Category\nCONTOSO-DC02,red,Legal hold,Jane Doe,legal\n")
        .unwrap();
    let out = dir.path().join("out");
    report(&["--overrides", &path_arg(&overrides), "--era", "2017"], &out);
    let document = read_json(&out.join("report.json"));
    let json = workloads_json(&["--overrides", &path_arg(&overrides), "--era", "2017"]);
    assert_eq!(document["workloads"], as_part_of(&document, json.clone()));
    assert_eq!(document["workloads"]["era"], "2017");
    assert_eq!(document["capacity"]["inputs"]["era"]["value"], "2017", "the era goes to the capacity plan too");
    let roles: Vec<&str> = document["inputs"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["estate", "usage", "servers", "overrides"]);
    let server = &json["servers"].as_array().unwrap().iter().find(|s| s["name"] == "CONTOSO-DC02").unwrap();
    assert_eq!((&server["color"], &server["overridden"]), (&Value::from("red"), &Value::from(true)));
    let mut book: Xlsx<_> = open_workbook(out.join("assessment.xlsx")).unwrap();
    check_sheets(&mut book, &json);
}

#[test]
fn side_files_without_server_inputs_or_over_an_output_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = dir.path().join("overrides.csv");
    std::fs::write(&overrides, "Server,Color,Reason,Author\nx,red,r,a\n").unwrap();
    let estate = path_arg(&crate::support::repo_file("samples/estate.json"));
    let out = dir.path().join("out");
    let stderr =
        command_fails("report", &[&estate, "--overrides", &path_arg(&overrides), "--out-dir", &path_arg(&out)]);
    assert!(stderr.contains("--overrides") && stderr.contains("need server inventories"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    // A side file where the report writes one of its outputs.
    let inside = dir.path().join("report.json");
    std::fs::write(&inside, "Server,Application\nCONTOSO-DC02,Directory\n").unwrap();
    let before = std::fs::read(&inside).unwrap();
    let stderr = command_fails("report", &["--applications", &path_arg(&inside), "--out-dir", &path_arg(dir.path())]);
    assert!(stderr.contains("is an input and would be replaced by the report"), "{stderr}");
    assert_eq!(std::fs::read(&inside).unwrap(), before);
}
