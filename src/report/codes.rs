//! `rules codes`: the listing of every code, and its table and Markdown renderings (`docs/codes.md` is the
//! Markdown of the embedded rule pack).

use std::fmt::Write;
use std::io::IsTerminal;

use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::inventory::Tool;
use crate::model::codes::Domain;
use crate::output::Json;

/// The listing: what `--format json` writes.
#[derive(Debug, Clone, Serialize)]
pub struct CodeListing {
    pub schema_version: u32,
    pub tool: Tool,
    pub codes: Vec<CodeEntry>,
}

impl Json for CodeListing {}

/// One code.
#[derive(Debug, Clone, Serialize)]
pub struct CodeEntry {
    pub code: String,
    pub domain: Domain,
    /// `built-in` (csp-planner's registry) or `rule-file` (defined by a rule of the pack).
    pub origin: Origin,
    pub description: String,
    /// The document the code rests on, as users see a source (title, locator, URL).
    pub source: String,
    /// A rule-file code: the file and line of the rule that defines it (`workloads.toml line 47`).
    pub rule_file: Option<String>,
    /// The rule files that name this code (a move condition's code, a `planner` test), in file order.
    pub named_in: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    BuiltIn,
    RuleFile,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::RuleFile => "rule-file",
        }
    }
}

/// One row per code: code, domain, origin (with the rule file), description.
pub fn table(codes: &[CodeEntry]) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    // Piped or redirected, the table has no terminal to fit: a width a pager and an editor show whole.
    if !std::io::stdout().is_terminal() {
        table.force_no_tty().set_width(160);
    }
    table.set_header(["Code", "Domain", "Defined by", "Description", "Source"]);
    for entry in codes {
        table.add_row(vec![
            Cell::new(&entry.code),
            Cell::new(entry.domain.as_str()),
            Cell::new(defined_by(entry)),
            Cell::new(&entry.description),
            Cell::new(&entry.source),
        ]);
    }
    format!("{table}\n{} codes\n", codes.len())
}

/// `csp-planner` for a built-in code, else the rule file and line.
fn defined_by(entry: &CodeEntry) -> String {
    match &entry.rule_file {
        Some(file) => file.clone(),
        None => "csp-planner".to_string(),
    }
}

/// The page: one section per domain (built-in codes, then the rule pack's), each code with its description,
/// source and the rule files naming it.
pub fn markdown(codes: &[CodeEntry]) -> String {
    let mut page = String::new();
    page.push_str("# Codes\n\n");
    page.push_str(
        "Every reason and remediation code csp-planner writes, by domain: the built-in codes, and the codes the \
         bundled rule files define (a rule file laid over them with `--rules DIR` may define others). A code never \
         changes its meaning; scripts may match on it.\n\n",
    );
    page.push_str(
        "This page is generated: `csp-planner rules codes --format markdown > docs/codes.md`. \
         `csp-planner rules codes --format json` gives the same list with the fields `code`, `domain`, `origin` \
         (`built-in` or `rule-file`), `description`, `source`, `rule_file` (the file and line of a rule-file code) and \
         `named_in` (the rule files that name the code).\n",
    );
    for domain in Domain::ALL {
        let listed: Vec<&CodeEntry> = codes.iter().filter(|c| c.domain == *domain).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = write!(page, "\n## {}\n\nWhere: {}.\n\n", domain.as_str(), domain.appears_in());
        page.push_str("| Code | Defined by | Description | Source |\n|---|---|---|---|\n");
        for entry in listed {
            let named = if entry.named_in.is_empty() {
                String::new()
            } else {
                format!(" Named in {}.", entry.named_in.join(", "))
            };
            let _ = writeln!(
                page,
                "| `{}` | {} | {}{named} | {} |",
                entry.code,
                cell(&defined_by(entry)),
                cell(&entry.description),
                cell(&entry.source)
            );
        }
    }
    page
}

/// A table cell's text: `|` escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
