//! The move plan on the terminal: one row per batch (its status, members and what blocks it or the first
//! remediation step), then the summary line.

use std::io::Write;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::plan::{BatchStatus, PlanBatch, PlanReport};

pub fn render(report: &PlanReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table.set_header(["Batch", "Subscription", "Resource group", "Status", "Members", "Blocker / first step"]);
    for batch in &report.batches {
        table.add_row(vec![
            Cell::new(&batch.id),
            Cell::new(batch.subscription_id.as_deref().unwrap_or("(none)")),
            Cell::new(batch.resource_group.as_deref().unwrap_or("(none)")),
            status_cell(batch.status, colour),
            Cell::new(batch.resources.len()),
            Cell::new(first_item(batch)),
        ]);
    }
    writeln!(out, "{table}")?;
    let s = &report.summary;
    writeln!(
        out,
        "{} {}: {} ready, {} needs-remediation, {} blocked; {} resources, {} external dependencies",
        s.batches,
        if s.batches == 1 { "batch" } else { "batches" },
        s.ready,
        s.needs_remediation,
        s.blocked,
        s.resources,
        report.external_dependencies.len()
    )
}

/// The status as a word, coloured on a terminal (never colour alone).
fn status_cell(status: BatchStatus, colour: bool) -> Cell {
    let cell = Cell::new(status.as_str());
    if !colour {
        return cell;
    }
    cell.fg(match status {
        BatchStatus::Ready => Color::Green,
        BatchStatus::NeedsRemediation => Color::Yellow,
        BatchStatus::Blocked => Color::Red,
    })
}

/// The first blocker (resource name, code), else the first remediation step, else nothing.
fn first_item(batch: &PlanBatch) -> String {
    let name = |id: &str| id.rsplit('/').next().unwrap_or(id).to_string();
    if let Some(blocker) = batch.blockers.first() {
        let more = batch.blockers.len() - 1;
        let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
        return format!("blocked: {} ({}){more}", name(&blocker.resource), blocker.code);
    }
    if let Some(step) = batch.remediation.first() {
        let names: Vec<String> = step.resources.iter().map(|id| name(id)).collect();
        let to = step.to.as_deref().map(|to| format!(" → {to}")).unwrap_or_default();
        return format!("1. {} {}{to}", step.action, names.join(", "));
    }
    String::new()
}
