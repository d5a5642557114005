//! No text a user sees cites our internal documents. Every output of the bundled sample (`report`'s
//! files, every command in table and JSON form, every `--help`, `rules explain`) is searched for
//! `anchors.md`, `seed-digest`, `seed 00N`, `L<digits>` line citations, `§`, `issue <n>`, `<name>.rs` and
//! `shared/`. A source shown to a user is a public document (house style, "Words users see").
//!
//! The rule files' text reaches the outputs too (messages, sources resolved through rules/sources.toml): every
//! command runs with the exported rule files as `--rules DIR`, and a second test reads the exported files
//! themselves, comments included, since a consultant edits them.

use std::path::{Path, PathBuf};

use calamine::{Reader, open_workbook_auto};
use serde_json::Value;

use crate::capacity::SAMPLE as QUICK_SAMPLE;
use crate::support::*;

/// One offending citation: where it was found and the text around it.
struct Hit {
    place: String,
    text: String,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The byte spans of every internal citation in `text`.
fn citations(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_lowercase();
    // `to_lowercase` keeps byte offsets for the ASCII patterns below only when the text's length is kept;
    // fall back to the original text's case-sensitive search otherwise.
    let haystack = if lower.len() == text.len() { lower.as_str() } else { text };
    let mut spans = Vec::new();
    for needle in ["anchors.md", "seed-digest", "§", "shared/"] {
        spans.extend(haystack.match_indices(needle).map(|(i, m)| (i, i + m.len())));
    }
    for (needle, extra) in [("seed 00", 1), ("issue ", 1)] {
        for (i, m) in haystack.match_indices(needle) {
            let rest = &haystack[i + m.len()..];
            let starts_word = haystack[..i].chars().next_back().is_none_or(|c| !is_word(c));
            if starts_word && rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                spans.push((i, i + m.len() + extra));
            }
        }
    }
    // `L13455`: a capital L after a word boundary, 3 to 5 digits, a word boundary.
    for (i, _) in text.match_indices('L') {
        if text[..i].chars().next_back().is_some_and(is_word) {
            continue;
        }
        let digits = text[i + 1..].chars().take_while(|c| c.is_ascii_digit()).count();
        let after = text[i + 1 + digits..].chars().next();
        if (3..=5).contains(&digits) && after.is_none_or(|c| !is_word(c)) {
            spans.push((i, i + 1 + digits));
        }
    }
    // `quick.rs`: a word, `.rs`, a word boundary.
    for (i, _) in text.match_indices(".rs") {
        let before = text[..i].chars().next_back();
        let after = text[i + 3..].chars().next();
        if before.is_some_and(is_word) && after.is_none_or(|c| !is_word(c)) {
            let start = text[..i].rfind(|c: char| !is_word(c)).map_or(0, |s| s + 1);
            spans.push((start, i + 3));
        }
    }
    spans.sort();
    spans
}

/// Records every line of `text` (found at `place`) that holds a citation, with the citations it holds.
fn check(hits: &mut Vec<Hit>, place: &str, text: &str) {
    for line in text.lines() {
        let found: Vec<&str> = citations(line).iter().map(|&(start, end)| &line[start..end]).collect();
        if !found.is_empty() {
            hits.push(Hit { place: place.to_string(), text: format!("{} ← {}", line.trim(), found.join(", ")) });
        }
    }
}

fn fail_on(hits: Vec<Hit>) {
    if hits.is_empty() {
        return;
    }
    let mut message = format!("{} internal citation(s) in what users see:\n", hits.len());
    for hit in &hits {
        message.push_str(&format!("  {}: {}\n", hit.place, hit.text));
    }
    panic!("{message}");
}

/// Runs the binary, asserts success, and returns stdout and stderr.
fn run(args: &[String]) -> (String, String) {
    let output = csp_planner().env("SOURCE_DATE_EPOCH", "0").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "csp-planner {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// The rule files, exported into `dir`: every command runs with them given as `--rules`, so the overriding path
/// is exercised too, and everything they say reaches the outputs checked.
fn exported_rules(dir: &Path) -> PathBuf {
    let rules = dir.join("rules");
    run(&strings(&["rules", "export", &path_arg(&rules)]));
    run(&strings(&["rules", "check", "--rules", &path_arg(&rules)]));
    rules
}

/// Every JSON string of `value`, with its path; `only_sources` keeps those under a key naming a source.
fn json_strings(value: &Value, path: &str, in_source: bool, only_sources: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) if in_source || !only_sources => out.push((path.to_string(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_strings(item, &format!("{path}[{i}]"), in_source, only_sources, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let source = in_source || key.contains("source");
                json_strings(item, &format!("{path}.{key}"), source, only_sources, out);
            }
        }
        _ => {}
    }
}

fn check_json(hits: &mut Vec<Hit>, place: &str, text: &str, only_sources: bool) {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{place}: not JSON: {e}"));
    let mut found = Vec::new();
    json_strings(&value, "", false, only_sources, &mut found);
    for (path, s) in found {
        check(hits, &format!("{place} {path}"), &s);
    }
}

/// Every cell of every sheet (values and formulas), read back with calamine.
fn check_workbook(hits: &mut Vec<Hit>, place: &str, path: &Path) {
    let mut workbook = open_workbook_auto(path).unwrap_or_else(|e| panic!("{place}: {e}"));
    for sheet in workbook.sheet_names() {
        let range = workbook.worksheet_range(&sheet).unwrap();
        for (row, column, cell) in range.used_cells() {
            check(hits, &format!("{place} sheet \"{sheet}\" row {} column {}", row + 1, column + 1), &cell.to_string());
        }
        let formulas = workbook.worksheet_formula(&sheet).unwrap();
        for (row, column, formula) in formulas.used_cells() {
            let place = format!("{place} sheet \"{sheet}\" row {} column {} (formula)", row + 1, column + 1);
            check(hits, &place, formula);
        }
    }
}

/// Every file `report` writes into `dir`, walked recursively.
fn check_report_files(hits: &mut Vec<Hit>, root: &Path, dir: &Path) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let place = format!("report file {}", path.strip_prefix(root).unwrap().display());
        if path.is_dir() {
            check_report_files(hits, root, &path);
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            check_workbook(hits, &place, &path);
        } else if path.extension().is_some_and(|e| e == "json") {
            check_json(hits, &place, &std::fs::read_to_string(&path).unwrap(), false);
        } else {
            check(hits, &place, &String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
}

/// The subcommands a `--help` lists under "Commands:", without `help`.
fn subcommands(help: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            in_commands = true;
        } else if in_commands && !line.starts_with(' ') {
            in_commands = false;
        } else if in_commands && line.starts_with("  ") && !line.starts_with("   ") {
            let name = line.split_whitespace().next().unwrap();
            if name != "help" {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn check_help(hits: &mut Vec<Hit>, command: &[String]) {
    let mut args = command.to_vec();
    args.push("--help".to_string());
    let (help, _) = run(&args);
    check(hits, &format!("`csp-planner {}`", args.join(" ")), &help);
    for sub in subcommands(&help) {
        let mut next = command.to_vec();
        next.push(sub);
        check_help(hits, &next);
    }
}

/// The values `--help` lists for `--format`.
fn formats(help: &str) -> Vec<String> {
    let after = help.split("--format <FORMAT>").nth(1).unwrap_or_default();
    let Some(list) = after.split("Possible values:").nth(1) else { return strings(&["table", "json"]) };
    list.lines()
        .skip(1)
        .take_while(|line| line.trim_start().starts_with("- ") || line.starts_with("            "))
        .filter_map(|line| line.trim_start().strip_prefix("- "))
        .map(|value| value.split(':').next().unwrap().trim().to_string())
        .collect()
}

/// The commands run on the bundled sample, each in every format it offers.
fn commands() -> Vec<Vec<String>> {
    let servers = path_arg(&repo_file("samples/servers-rvtools.xlsx"));
    let mut quick_hyperv = strings(&["capacity", "quick"]);
    quick_hyperv.extend(strings(QUICK_SAMPLE));
    quick_hyperv[3] = "hyperv".to_string();
    let mut quick = strings(&["capacity", "quick"]);
    quick.extend(strings(QUICK_SAMPLE));
    vec![
        strings(&["inventory"]),
        strings(&["assess"]),
        strings(&["cost"]),
        strings(&["plan"]),
        strings(&["workloads"]),
        strings(&["transfer"]),
        quick,
        quick_hyperv,
        strings(&["capacity", "detailed", &servers]),
        strings(&["capacity", "change-rate", "--total-storage-gb", "42.1", "--delta-gb", "0.06"]),
    ]
}

#[test]
fn no_output_of_the_bundled_sample_cites_an_internal_document() {
    let temp = tempfile::tempdir().unwrap();
    let rules = path_arg(&exported_rules(temp.path()));
    let mut hits = Vec::new();

    let out = temp.path().join("report");
    let (stdout, stderr) = run(&strings(&["report", "--rules", &rules, "--out-dir", &path_arg(&out)]));
    check(&mut hits, "`report` stdout", &stdout);
    check(&mut hits, "`report` stderr", &stderr);
    check_report_files(&mut hits, &out, &out);

    for command in commands() {
        let place = format!("`csp-planner {}`", command.join(" "));
        let mut help_args = command.clone();
        help_args.push("--help".to_string());
        let help = run(&help_args).0;
        for format in formats(&help) {
            let mut args = command.clone();
            args.extend(strings(&["--format", &format]));
            if help.contains("--rules <DIR>") {
                args.extend(strings(&["--rules", &rules]));
            }
            let file = temp.path().join(format!("output.{format}"));
            let to_file = format == "xlsx" || format == "html";
            if to_file {
                args.extend(strings(&["-o", &path_arg(&file)]));
            }
            let output = csp_planner().env("SOURCE_DATE_EPOCH", "0").args(&args).output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout).to_string();
            let stderr = String::from_utf8_lossy(&output.stderr).to_string();
            assert!(!stderr.contains("panicked"), "{stderr}");
            // Table and JSON must work on the sample; another format a command does not offer may refuse, and
            // its message is checked like any other.
            if format == "table" || format == "json" {
                assert!(output.status.success(), "csp-planner {args:?} failed: {stderr}");
            }
            check(&mut hits, &format!("{place} --format {format} stderr"), &stderr);
            if !output.status.success() {
                continue;
            }
            if format == "json" {
                check_json(&mut hits, &format!("{place} --format json"), &stdout, false);
            } else if format == "xlsx" {
                check_workbook(&mut hits, &format!("{place} --format xlsx"), &file);
            } else if to_file {
                check(&mut hits, &format!("{place} --format {format}"), &std::fs::read_to_string(&file).unwrap());
            } else {
                check(&mut hits, &format!("{place} --format {format}"), &stdout);
            }
        }
    }

    for resource_type in ["Microsoft.Network/loadBalancers", "Microsoft.ClassicCompute/domainNames"] {
        let (stdout, _) = run(&strings(&["rules", "explain", resource_type, "--rules", &rules]));
        check(&mut hits, &format!("`rules explain {resource_type}`"), &stdout);
    }

    check_help(&mut hits, &[]);
    fail_on(hits);
}

#[test]
fn the_rule_files_and_the_sources_they_give_cite_only_public_documents() {
    let temp = tempfile::tempdir().unwrap();
    let mut hits = Vec::new();
    let rules = temp.path().join("rules");
    run(&strings(&["rules", "export", &path_arg(&rules)]));
    let mut files: Vec<_> = std::fs::read_dir(&rules).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let place = format!("`rules export` {}", path.file_name().unwrap().to_string_lossy());
        check(&mut hits, &place, &std::fs::read_to_string(&path).unwrap());
    }

    let out = temp.path().join("report");
    run(&strings(&["report", "--out-dir", &path_arg(&out)]));
    check_json(&mut hits, "report file report.json", &std::fs::read_to_string(out.join("report.json")).unwrap(), true);
    for command in commands() {
        let mut args = command.clone();
        args.extend(strings(&["--format", "json"]));
        let (stdout, _) = run(&args);
        check_json(&mut hits, &format!("`csp-planner {}` --format json", command.join(" ")), &stdout, true);
    }
    fail_on(hits);
}

#[test]
fn the_citation_finder_finds_what_it_must_and_spares_rule_locators() {
    let found = |text: &str| citations(text).iter().map(|&(s, e)| text[s..e].to_string()).collect::<Vec<_>>();
    assert_eq!(
        found("seed 002 L13455, anchors.md §1.1 (issue 4; quick.rs)"),
        ["seed 002", "L13455", "anchors.md", "§", "issue 4", "quick.rs"]
    );
    assert_eq!(found("see ../shared/spec and seed-digest-migration"), ["shared/", "seed-digest"]);
    let assess_formats = formats(&run(&strings(&["assess", "--help"])).0);
    assert_eq!(assess_formats, ["table", "json", "csv", "xlsx", "html"]);
    assert!(found("rules/move-support.csv line 12; Standard_L8s_v3; L2 cache; issue tracker; docs.rsx").is_empty());
}

/// Every `source` object below `value`: its JSON path (array indexes as `[]`), its text and its `source_key`.
fn cited_sources(value: &Value, path: &str, out: &mut Vec<(String, String, Option<String>)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get("source") {
                let key = map.get("source_key").and_then(Value::as_str).map(str::to_string);
                out.push((format!("{path}.source"), text.clone(), key));
            }
            for (name, child) in map.iter().filter(|(name, _)| path != "$" || *name != "sources") {
                cited_sources(child, &format!("{path}.{name}"), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| cited_sources(item, &format!("{path}[]"), out)),
        _ => {}
    }
}

/// The `source`s that are provenance, not citations: the inventory row a server was read from, and the
/// overrides-file row of a consultant's decision. They name no registry entry.
fn is_provenance(path: &str, text: &str) -> bool {
    path.ends_with("servers[].source") || text.contains("overrides.csv, line ")
}

/// Checks one JSON document: every cited source names registry keys, each listed in the document's `sources`,
/// and every listed entry has a public URL or says why it has none.
fn check_registry(place: &str, document: &Value, problems: &mut Vec<String>) {
    let Some(listed) = document["sources"].as_object() else {
        problems.push(format!("{place}: no top-level `sources` object"));
        return;
    };
    let mut found = Vec::new();
    cited_sources(document, "$", &mut found);
    for (path, text, key) in found {
        match key {
            None if is_provenance(&path, &text) => {}
            None => problems.push(format!("{place} {path}: no source_key for \"{text}\"")),
            Some(keys) => {
                for key in keys.split("; ").filter(|key| !listed.contains_key(*key)) {
                    problems.push(format!("{place} {path}: source_key {key} is not in `sources`"));
                }
            }
        }
    }
    for (key, entry) in listed {
        let public = entry["url"].as_str().is_some_and(|url| url.starts_with("https://"));
        if !public && entry["no_public_url"].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{place} sources.{key}: neither a public https URL nor why it has none"));
        }
    }
}

#[test]
fn every_cited_source_names_an_entry_of_the_registry_its_document_lists() {
    let temp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let out = temp.path().join("report");
    run(&strings(&["report", "--out-dir", &path_arg(&out)]));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    check_registry("report.json", &report, &mut problems);
    let mut keys_seen = std::collections::BTreeSet::new();
    for command in commands() {
        let mut args = command.clone();
        args.extend(strings(&["--format", "json"]));
        let (stdout, _) = run(&args);
        let document: Value = serde_json::from_str(&stdout).unwrap();
        check_registry(&format!("`csp-planner {}`", command.join(" ")), &document, &mut problems);
        keys_seen.extend(document["sources"].as_object().unwrap().keys().cloned());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The sample cites Microsoft Learn, the CSP documentation (no public URL) and csp-planner's own choices.
    for key in ["move-support-resources", "csp-resource-move", "csp-planner-choice", "asr-plan-capacity-vmware"] {
        assert!(keys_seen.contains(key), "{key} not cited: {keys_seen:?}");
    }
    let assess: Value = serde_json::from_str(&run(&strings(&["assess", "--format", "json"])).0).unwrap();
    let watcher = &assess["resources"].as_array().unwrap().iter().find(|r| r["name"] == "NetworkWatcher_westeurope");
    let reason = &watcher.expect("the sample's network watcher")["reasons"][0];
    assert_eq!(reason["source_key"], "move-support-csv");
    assert_eq!(assess["sources"]["move-support-csv"]["title"], "move-support-resources.csv");
}
