//! The assessment on the terminal: per-subscription status and counts, the top reasons, and the
//! resources that are not NO ISSUES.

use std::collections::BTreeMap;
use std::io::Write;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::assess::AssessmentReport;
use crate::model::CspStatus;

const TOP_REASONS: usize = 10;

pub fn render(report: &AssessmentReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", subscriptions(report, colour))?;
    writeln!(out, "{}", top_reasons(report))?;
    writeln!(out, "{}", attention(report, colour))?;
    let s = &report.summary;
    writeln!(
        out,
        "{} resources: {} NO ISSUES, {} MODIFY, {} BLOCKED; {} classic, {} need review",
        s.resources, s.no_issues, s.modify, s.blocked, s.classic, s.needs_review
    )
}

fn table(colour: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table
}

/// The status as a word, and in the seed's colour on a terminal (never colour alone).
fn status_cell(status: CspStatus, colour: bool) -> Cell {
    let cell = Cell::new(status.as_str());
    if !colour {
        return cell;
    }
    cell.fg(match status {
        CspStatus::NoIssues => Color::Green,
        CspStatus::Modify => Color::Yellow,
        CspStatus::Blocked => Color::Red,
    })
}

fn subscriptions(report: &AssessmentReport, colour: bool) -> Table {
    let mut table = table(colour);
    table.set_header(["Subscription", "ID", "CSP Status", "Resources", "NO ISSUES", "MODIFY", "BLOCKED"]);
    for s in &report.subscriptions {
        table.add_row(vec![
            Cell::new(s.name.as_deref().unwrap_or("")),
            Cell::new(s.id.as_deref().unwrap_or("(none)")),
            status_cell(s.csp_status, colour),
            Cell::new(s.resources),
            Cell::new(s.no_issues),
            Cell::new(s.modify),
            Cell::new(s.blocked),
        ]);
    }
    table
}

fn top_reasons(report: &AssessmentReport) -> Table {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in report.resources.iter().filter(|r| r.csp_status != CspStatus::NoIssues).flat_map(|r| &r.reasons) {
        *counts.entry(reason.code.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut table = table(false);
    table.set_header(["Top reasons (MODIFY and BLOCKED)", "Resources"]);
    for (code, count) in counts.into_iter().take(TOP_REASONS) {
        table.add_row(vec![Cell::new(code), Cell::new(count)]);
    }
    table
}

fn attention(report: &AssessmentReport, colour: bool) -> Table {
    let mut table = table(colour);
    table.set_header(["Resource", "Type", "Resource group", "CSP Status", "Suggested Approach", "Reason"]);
    let mut resources: Vec<_> = report.resources.iter().filter(|r| r.csp_status != CspStatus::NoIssues).collect();
    resources.sort_by(|a, b| b.csp_status.cmp(&a.csp_status).then(a.resource.id.cmp(&b.resource.id)));
    for assessed in resources {
        let resource = &assessed.resource;
        let reason = assessed.reasons.first().map(|r| format!("{}: {}", r.code, r.message)).unwrap_or_default();
        table.add_row(vec![
            Cell::new(&resource.name),
            Cell::new(&resource.resource_type),
            Cell::new(resource.resource_group.as_deref().unwrap_or("")),
            status_cell(assessed.csp_status, colour),
            Cell::new(assessed.suggested_approach.as_str()),
            Cell::new(reason),
        ]);
    }
    table
}
