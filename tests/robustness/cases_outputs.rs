//! Hostile output paths: an output never replaces a non-file (FIFO, folder, symlink to one) nor an input (by
//! `..`, symlink or hard link), a folder of outputs never deletes a customer's file and is replaced all or
//! nothing, exports never overwrite an edited copy, and hostile names are text in every output. FIFOs are made in
//! the case's folder: no case ever targets a real device.

mod escaping;

use std::path::Path;
use std::process::Command;

use crate::harness::Case;
use escaping::{HOSTILE, SUBSCRIPTION};

/// A small resource list: two resources of one subscription.
const ESTATE: &str = r#"[
 {"id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1",
  "name": "vm1", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope", "resourceGroup": "rg-app",
  "subscriptionId": "11111111-2222-3333-4444-555555555555"},
 {"id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1",
  "name": "st1", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "resourceGroup": "rg-app",
  "subscriptionId": "11111111-2222-3333-4444-555555555555"}
]"#;

/// The same subscription, another resource: a report of it has the same files with other content.
const OTHER_ESTATE: &str = r#"[
 {"id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-web/providers/Microsoft.Web/sites/web1",
  "name": "web1", "type": "Microsoft.Web/sites", "location": "westeurope", "resourceGroup": "rg-web",
  "subscriptionId": "11111111-2222-3333-4444-555555555555"}
]"#;

/// The files of a report of one subscription's estate (no servers, no usage), relative to its folder.
const REPORT_FILES: [&str; 7] = [
    ".csp-planner.json",
    "assessment.xlsx",
    "report.json",
    "report.html",
    "runbooks/README.md",
    "runbooks/11111111-2222-3333-4444-555555555555/runbook.sh",
    "runbooks/11111111-2222-3333-4444-555555555555/runbook.ps1",
];

/// The runbook set of the same estate.
const RUNBOOK_FILES: [&str; 4] = [
    ".csp-planner.json",
    "README.md",
    "11111111-2222-3333-4444-555555555555/runbook.sh",
    "11111111-2222-3333-4444-555555555555/runbook.ps1",
];

fn fifo(path: &Path) {
    let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Runs the binary in `dir` during a case's setup (a previous report, a previous export).
fn run_in(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_csp-planner")).args(args).current_dir(dir).output().unwrap();
    assert!(output.status.success(), "setup {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A case whose folder holds `estate.json` and a previous report of it in `out/`.
fn with_previous_report(area: &'static str, name: &str) -> Case {
    Case::new(area, name)
        .file("estate.json", ESTATE)
        .setup(|dir| run_in(dir, &["report", "estate.json", "--out-dir", "out"]))
}

/// Declares every file of a set in `folder` as an output the run may replace.
fn replacing(mut case: Case, folder: &str, files: &[&str]) -> Case {
    for file in files {
        case = case.output(&format!("{folder}/{file}"));
    }
    case
}

pub fn cases() -> Vec<Case> {
    let mut cases = output_file_cases();
    cases.extend(scripts_cases());
    cases.extend(report_cases());
    cases.extend(export_cases());
    cases.extend(hostile_name_cases());
    cases
}

/// `-o FILE`: never a non-file, never an input.
fn output_file_cases() -> Vec<Case> {
    vec![
        Case::new("output path", "-o onto a FIFO in the folder")
            .file("estate.json", ESTATE)
            .setup(|dir| fifo(&dir.join("out.json")))
            .args(&["assess", "estate.json", "-o", "out.json"])
            .names("-o out.json")
            .names("is a FIFO (named pipe), not a regular file"),
        Case::new("output path", "-o onto a FIFO, as a workbook")
            .file("estate.json", ESTATE)
            .setup(|dir| fifo(&dir.join("out.xlsx")))
            .args(&["plan", "estate.json", "-o", "out.xlsx"])
            .names("-o out.xlsx")
            .names("is a FIFO"),
        Case::new("output path", "-o onto a directory")
            .file("estate.json", ESTATE)
            .setup(|dir| std::fs::create_dir(dir.join("out.json")).unwrap())
            .args(&["inventory", "estate.json", "-o", "out.json"])
            .names("-o out.json")
            .names("is a directory"),
        Case::new("output path", "-o onto a symlink to a FIFO")
            .file("estate.json", ESTATE)
            .setup(|dir| {
                fifo(&dir.join("pipe"));
                symlink("pipe", &dir.join("out.json"));
            })
            .args(&["assess", "estate.json", "-o", "out.json"])
            .names("-o out.json")
            .names("is a symlink to pipe, which is a FIFO"),
        // The real device behind a link in the folder: a buggy run replaces the link (the harness sees it), never
        // /dev/null itself, since a rename replaces the link and not what it points at.
        Case::new("output path", "-o onto a symlink to the real /dev/null")
            .file("estate.json", ESTATE)
            .setup(|dir| symlink("/dev/null", &dir.join("out.json")))
            .args(&["inventory", "estate.json", "-o", "out.json"])
            .names("-o out.json")
            .names("character device"),
        Case::new("output path", "-o onto a symlink to nothing")
            .file("estate.json", ESTATE)
            .setup(|dir| symlink("missing/out.json", &dir.join("out.json")))
            .args(&["assess", "estate.json", "-o", "out.json"])
            .names("is a symlink to missing/out.json, which does not exist"),
        Case::new("output path", "-o onto a symlink to a regular file writes through it")
            .file("estate.json", ESTATE)
            .file("real.json", "old")
            .setup(|dir| symlink("real.json", &dir.join("out.json")))
            .args(&["assess", "estate.json", "-o", "out.json"])
            .code(0)
            .output("real.json")
            .check(|dir| {
                let link = std::fs::symlink_metadata(dir.join("out.json")).map_err(|e| e.to_string())?;
                let text = std::fs::read_to_string(dir.join("real.json")).map_err(|e| e.to_string())?;
                match (link.file_type().is_symlink(), text.contains("\"schema_version\"")) {
                    (true, true) => Ok(()),
                    _ => Err("the link was replaced, or its file not written".to_string()),
                }
            }),
        Case::new("output path", "-o equal to the input via ./x/../estate.json")
            .file("estate.json", ESTATE)
            .setup(|dir| std::fs::create_dir(dir.join("x")).unwrap())
            .args(&["assess", "estate.json", "-o", "./x/../estate.json"])
            .names("-o ./x/../estate.json is one of the inputs (estate.json)"),
        Case::new("output path", "-o equal to the input via a symlink")
            .file("estate.json", ESTATE)
            .setup(|dir| symlink("estate.json", &dir.join("link.json")))
            .args(&["plan", "estate.json", "-o", "link.json"])
            .names("-o link.json is one of the inputs"),
        Case::new("output path", "-o equal to the input via a hard link")
            .file("estate.json", ESTATE)
            .setup(|dir| std::fs::hard_link(dir.join("estate.json"), dir.join("copy.json")).unwrap())
            .args(&["inventory", "estate.json", "-o", "copy.json"])
            .names("-o copy.json is the same file as the input estate.json (a hard link)"),
        Case::new("output path", "-o onto the --price-list file")
            .file("prices.csv", "not read: the output is refused first\n")
            .args(&["cost", "--price-list", "prices.csv", "-o", "prices.csv"])
            .names("-o prices.csv is one of the inputs"),
        Case::new("output path", "-o onto a rule file of --rules DIR")
            .file("estate.json", ESTATE)
            .file("r/move-conditions.toml", "# a consultant's rules\n")
            .args(&["assess", "estate.json", "--rules", "r", "-o", "r/move-conditions.toml"])
            .names("-o r/move-conditions.toml is one of the inputs"),
        Case::new("output path", "-o onto a template of --templates DIR, through a hard link")
            .file("estate.json", ESTATE)
            .file("t/summary.hbs", "<p>branded</p>\n")
            .setup(|dir| std::fs::hard_link(dir.join("t/summary.hbs"), dir.join("page.html")).unwrap())
            .args(&["assess", "estate.json", "--templates", "t", "-o", "page.html"])
            .names("-o page.html is the same file as the input t/summary.hbs"),
        Case::new("output path", "-o onto a workloads side file")
            .file("servers.csv", escaping::hostile_servers())
            .file("apps.csv", "Server,Application\nvm1,erp\n")
            .args(&["workloads", "servers.csv", "--applications", "apps.csv", "-o", "./apps.csv"])
            .names("-o ./apps.csv is one of the inputs"),
    ]
}

/// `plan --scripts DIR`: the runbooks replace their folder whole, never an input or a customer's file.
fn scripts_cases() -> Vec<Case> {
    vec![
        Case::new("runbooks folder", "--scripts DIR holding the input under the name the README takes")
            .file("s/README.md", ESTATE)
            .args(&["plan", "s/README.md", "--scripts", "s"])
            .names("s/README.md is an input and would be replaced by the set of runbooks in --scripts s"),
        Case::new("runbooks folder", "--scripts DIR holding a customer's README")
            .file("estate.json", ESTATE)
            .file("s/README.md", "# the customer's notes\n")
            .args(&["plan", "estate.json", "--scripts", "s"])
            .names("s/README.md")
            .names("not part of a previous set of runbooks"),
        Case::new("runbooks folder", "--scripts DIR that is the --rules folder")
            .file("estate.json", ESTATE)
            .file("r/move-conditions.toml", "# a consultant's rules\n")
            .args(&["plan", "estate.json", "--rules", "r", "--scripts", "r"])
            .names("r/move-conditions.toml is an input"),
        Case::new("runbooks folder", "--scripts onto a FIFO")
            .file("estate.json", ESTATE)
            .setup(|dir| fifo(&dir.join("s")))
            .args(&["plan", "estate.json", "--scripts", "s"])
            .names("--scripts s: is a FIFO (named pipe), not a folder"),
        Case::new("runbooks folder", "-o inside --scripts DIR")
            .file("estate.json", ESTATE)
            .args(&["plan", "estate.json", "--scripts", "s", "-o", "s/plan.json"])
            .names("-o s/plan.json is inside --scripts s"),
        replacing(
            Case::new("runbooks folder", "--scripts onto a previous set of runbooks: replaced")
                .file("estate.json", ESTATE)
                .file("other.json", OTHER_ESTATE)
                .setup(|dir| run_in(dir, &["plan", "estate.json", "--scripts", "s"]))
                .args(&["plan", "other.json", "--scripts", "s"])
                .code(0),
            "s",
            &RUNBOOK_FILES,
        )
        .check(|dir| {
            let script = std::fs::read_to_string(dir.join("s").join(SUBSCRIPTION).join("runbook.sh")).unwrap();
            if script.contains("web1") && !script.contains("rg-app") {
                Ok(())
            } else {
                Err("the runbooks were not replaced by the new plan's".to_string())
            }
        }),
    ]
}

/// `report --out-dir DIR`: staged and swapped in whole; a stray file, an input inside, a write-protected
/// folder or a failing run leave the folder as it was.
fn report_cases() -> Vec<Case> {
    vec![
        Case::new("report folder", "--out-dir holding a customer's file")
            .file("estate.json", ESTATE)
            .file("out/Customer notes.docx", "the customer's document")
            .args(&["report", "estate.json", "--out-dir", "out"])
            .names("out/Customer notes.docx")
            .names("never deletes other files"),
        Case::new("report folder", "--out-dir holding a customer's file beside a previous report")
            .file("estate.json", ESTATE)
            .setup(|dir| run_in(dir, &["report", "estate.json", "--out-dir", "out"]))
            .file("out/runbooks/notes.txt", "added by hand")
            .args(&["report", "estate.json", "--out-dir", "out"])
            .names("out/runbooks/notes.txt"),
        replacing(
            with_previous_report("report folder", "--out-dir onto a previous report: replaced")
                .file("other.json", OTHER_ESTATE)
                .args(&["report", "other.json", "--out-dir", "out"])
                .code(0),
            "out",
            &REPORT_FILES,
        )
        .check(|dir| {
            let json = std::fs::read_to_string(dir.join("out/report.json")).unwrap();
            match json.contains("other.json") && !json.contains("\"estate.json\"") {
                true => Ok(()),
                false => Err("report.json is not the new run's".to_string()),
            }
        }),
        with_previous_report("report folder", "--out-dir onto a previous report with a read-only runbooks/")
            .setup(|dir| set_mode(&dir.join("out/runbooks"), 0o555))
            .file("other.json", OTHER_ESTATE)
            .args(&["report", "other.json", "--out-dir", "out"])
            .names("the folder out/runbooks of the previous report is write-protected")
            .check(|dir| {
                set_mode(&dir.join("out/runbooks"), 0o755);
                Ok(())
            }),
        with_previous_report("report folder", "--out-dir onto a previous report, with a broken template")
            .file("t/summary.hbs", "{{#if summary}}never closed\n")
            .args(&["report", "estate.json", "--templates", "t", "--out-dir", "out"])
            .names("summary.hbs"),
        with_previous_report("report folder", "--out-dir onto a previous report, an input of a bad estate")
            .file("bad.json", "[{\"id\": ")
            .args(&["report", "bad.json", "--out-dir", "out"])
            .names("bad.json"),
        Case::new("report folder", "--out-dir holding the input")
            .file("out/estate.json", ESTATE)
            .args(&["report", "out/estate.json", "--out-dir", "out"])
            .names("out/estate.json is an input and would be replaced by the report in --out-dir out"),
        Case::new("report folder", "--out-dir holding a hard link to the input")
            .file("estate.json", ESTATE)
            .setup(|dir| {
                std::fs::create_dir(dir.join("out")).unwrap();
                std::fs::hard_link(dir.join("estate.json"), dir.join("out/report.json")).unwrap();
            })
            .args(&["report", "estate.json", "--out-dir", "out"])
            .names("out/report.json is the same file as the input estate.json (a hard link)"),
        Case::new("report folder", "--out-dir that is the --templates folder")
            .file("estate.json", ESTATE)
            .file("t/summary.hbs", "<p>branded</p>\n")
            .args(&["report", "estate.json", "--templates", "t", "--out-dir", "t"])
            .names("t/summary.hbs is an input"),
        Case::new("report folder", "--out-dir that holds the --price-list")
            .file("estate.json", ESTATE)
            .file("out/prices.csv", "not read\n")
            .args(&["report", "estate.json", "--price-list", "out/prices.csv", "--out-dir", "out"])
            .names("out/prices.csv is an input"),
        Case::new("report folder", "--out-dir onto a FIFO")
            .file("estate.json", ESTATE)
            .setup(|dir| fifo(&dir.join("out")))
            .args(&["report", "estate.json", "--out-dir", "out"])
            .names("--out-dir out: is a FIFO (named pipe), not a folder"),
        Case::new("report folder", "--out-dir holding a symlink")
            .file("estate.json", ESTATE)
            .setup(|dir| {
                std::fs::create_dir(dir.join("out")).unwrap();
                symlink("../estate.json", &dir.join("out/report.json"));
            })
            .args(&["report", "estate.json", "--out-dir", "out"])
            .names("out/report.json"),
        replacing(
            with_previous_report("report folder", "--out-dir through a symlink to a previous report: replaced there")
                .setup(|dir| symlink("out", &dir.join("latest")))
                .file("other.json", OTHER_ESTATE)
                .args(&["report", "other.json", "--out-dir", "latest"])
                .code(0),
            "out",
            &REPORT_FILES,
        )
        .check(|dir| match std::fs::symlink_metadata(dir.join("latest")) {
            Ok(m) if m.file_type().is_symlink() => Ok(()),
            _ => Err("the symlink was replaced".to_string()),
        }),
    ]
}

/// `rules export DIR`, `templates export DIR`: add files, never overwrite an edited copy.
fn export_cases() -> Vec<Case> {
    vec![
        Case::new("exports", "rules export into the --rules folder holding an edited rule file")
            .file("r/move-conditions.toml", "# the consultant's own conditions\n")
            .args(&["rules", "export", "r"])
            .names("r/move-conditions.toml exists and differs from the embedded file"),
        Case::new("exports", "templates export into the --templates folder holding an edited template")
            .file("t/summary.hbs", "<p>branded</p>\n")
            .args(&["templates", "export", "t"])
            .names("t/summary.hbs exists and differs from the embedded file"),
        Case::new("exports", "rules export where a FIFO stands for a rule file")
            .setup(|dir| {
                std::fs::create_dir(dir.join("r")).unwrap();
                fifo(&dir.join("r/cost.toml"));
            })
            .args(&["rules", "export", "r"])
            .names("r/cost.toml is a FIFO"),
        Case::new("exports", "templates export where a symlink stands for a template")
            .file("mine.hbs", "<p>mine</p>\n")
            .setup(|dir| {
                std::fs::create_dir(dir.join("t")).unwrap();
                symlink("../mine.hbs", &dir.join("t/summary.hbs"));
            })
            .args(&["templates", "export", "t"])
            .names("t/summary.hbs is a symlink"),
        Case::new("exports", "rules export onto a FIFO")
            .setup(|dir| fifo(&dir.join("r")))
            .args(&["rules", "export", "r"])
            .names("rules export r: is a FIFO (named pipe), not a folder"),
        Case::new("exports", "rules export again onto an unedited export keeps it")
            .setup(|dir| run_in(dir, &["rules", "export", "r"]))
            .args(&["rules", "export", "r"])
            .code(0),
        Case::new("exports", "templates export beside the customer's files adds only the templates")
            .file("t/logo.svg", "<svg/>")
            .args(&["templates", "export", "t"])
            .code(0)
            .output("t")
            .check(|dir| match dir.join("t/summary.hbs").is_file() {
                true => Ok(()),
                false => Err("summary.hbs was not exported".to_string()),
            }),
    ]
}

/// Names that are formulas, markup, template syntax or shell code: text in every output.
fn hostile_name_cases() -> Vec<Case> {
    vec![
        Case::new("hostile names", "report: workbooks, page and runbooks of hostile names")
            .file("estate.json", escaping::hostile_estate())
            .file("servers.csv", escaping::hostile_servers())
            .args(&["report", "estate.json", "servers.csv", "--out-dir", "out"])
            .code(0)
            .output("out")
            .check(|dir| {
                escaping::workbook_text(&dir.join("out/assessment.xlsx"), &HOSTILE)?;
                escaping::workbook_text(&dir.join("out/capacity-planner.xlsx"), &HOSTILE)?;
                escaping::html_escaped(&dir.join("out/report.html"))?;
                escaping::runbooks_safe(dir, "out/runbooks")
            }),
        Case::new("hostile names", "plan --scripts: runbooks of hostile resource groups")
            .file("estate.json", escaping::hostile_estate())
            .args(&["plan", "estate.json", "--scripts", "s"])
            .code(0)
            .output("s")
            .check(|dir| escaping::runbooks_safe(dir, "s")),
        Case::new("hostile names", "assess -o CSV of hostile names")
            .file("estate.json", escaping::hostile_estate())
            .args(&["assess", "estate.json", "-o", "out.csv"])
            .code(0)
            .output("out.csv")
            .check(|dir| escaping::csv_neutralised(&dir.join("out.csv"))),
        Case::new("hostile names", "inventory -o CSV of hostile names and tags")
            .file("estate.json", escaping::hostile_estate())
            .args(&["inventory", "estate.json", "-o", "out.csv"])
            .code(0)
            .output("out.csv")
            .check(|dir| escaping::csv_neutralised(&dir.join("out.csv"))),
        Case::new("hostile names", "workloads -o CSV of hostile server names")
            .file("servers.csv", escaping::hostile_servers())
            .args(&["workloads", "servers.csv", "-o", "out.csv"])
            .code(0)
            .output("out.csv")
            .check(|dir| escaping::csv_neutralised(&dir.join("out.csv"))),
        Case::new("hostile names", "capacity detailed -o CSV of hostile server names")
            .file("servers.csv", escaping::hostile_servers())
            .args(&["capacity", "detailed", "servers.csv", "-o", "out.csv"])
            .code(0)
            .output("out.csv")
            .check(|dir| escaping::csv_neutralised(&dir.join("out.csv"))),
        Case::new("hostile names", "plan -o HTML of hostile names")
            .file("estate.json", escaping::hostile_estate())
            .args(&["plan", "estate.json", "-o", "plan.html"])
            .code(0)
            .output("plan.html")
            .check(|dir| escaping::html_escaped(&dir.join("plan.html"))),
    ]
}
