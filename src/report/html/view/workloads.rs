//! The workloads: each application with its colour, reasons and servers.

use std::collections::HashMap;

use serde::Serialize;

use super::summary::Metric;
use super::{NAMES_SHOWN, ROWS_SHOWN, TOP_REASONS, first};
use crate::workloads::{ApplicationVerdict, ServerVerdict, WorkloadReport};

#[derive(Serialize)]
pub(super) struct WorkloadsView {
    /// The applications per colour, as the summary's metrics.
    counts: Vec<Metric>,
    servers: usize,
    servers_needing_review: usize,
    era: &'static str,
    pub(super) applications: Vec<ApplicationRow>,
    shown: usize,
    total: usize,
    truncated: bool,
    names_shown: usize,
}

#[derive(Serialize)]
pub(super) struct ApplicationRow {
    pub(super) name: String,
    /// `green`, `yellow`, `red` (the CSS class `color-…` and `data-color`), and the word shown.
    pub(super) color: &'static str,
    word: &'static str,
    decided_by: String,
    server_count: usize,
    green: usize,
    yellow: usize,
    red: usize,
    /// `code (n)`, worst first.
    top_reasons: Vec<String>,
    /// The application's own reasons (an override of it).
    decisions: Vec<String>,
    pub(super) members: Vec<WorkloadServerRow>,
    more_members: usize,
}

#[derive(Serialize)]
pub(super) struct WorkloadServerRow {
    pub(super) name: String,
    color: &'static str,
    word: &'static str,
    overridden: bool,
    needs_review: bool,
    /// `code: message`.
    reasons: Vec<String>,
}

/// The applications per colour: `applications` is report.json's `workloads.summary.applications`,
/// `applications-green` its `green`, and so on (`-needs-review`: `needs_review`).
pub(super) fn workload_metrics(report: &WorkloadReport) -> Vec<Metric> {
    let s = &report.summary;
    let metric = |key, label, value: usize| Metric { key, label, value: value.to_string() };
    vec![
        metric("applications", "Applications", s.applications),
        metric("applications-green", "GREEN applications", s.green),
        metric("applications-yellow", "YELLOW applications", s.yellow),
        metric("applications-red", "RED applications", s.red),
        metric("applications-needs-review", "Applications needing review", s.needs_review),
    ]
}

pub(super) fn workloads_view(report: &WorkloadReport) -> WorkloadsView {
    let by_name: HashMap<&str, &ServerVerdict> = report.servers.iter().map(|s| (s.name.as_str(), s)).collect();
    let applications: Vec<ApplicationRow> =
        report.applications.iter().take(ROWS_SHOWN).map(|app| application_row(app, &by_name)).collect();
    WorkloadsView {
        counts: workload_metrics(report),
        servers: report.summary.servers,
        servers_needing_review: report.summary.servers_needing_review,
        era: report.era.as_str(),
        shown: applications.len(),
        total: report.applications.len(),
        truncated: report.applications.len() > applications.len(),
        applications,
        names_shown: NAMES_SHOWN,
    }
}

fn application_row(app: &ApplicationVerdict, by_name: &HashMap<&str, &ServerVerdict>) -> ApplicationRow {
    let (members, more_members) = first(&app.servers, |name| {
        let verdict = by_name.get(name.as_str());
        let color = verdict.map_or(app.color, |v| v.color);
        WorkloadServerRow {
            name: name.clone(),
            color: color.as_str(),
            word: color.word(),
            overridden: verdict.is_some_and(|v| v.overridden),
            needs_review: verdict.is_some_and(|v| v.needs_review),
            reasons: verdict
                .map(|v| v.reasons.iter().map(|r| format!("{}: {}", r.code, r.message)).collect())
                .unwrap_or_default(),
        }
    });
    ApplicationRow {
        name: app.name.clone(),
        color: app.color.as_str(),
        word: app.color.word(),
        decided_by: app.decided_by(),
        server_count: app.servers.len(),
        green: app.counts.green,
        yellow: app.counts.yellow,
        red: app.counts.red,
        top_reasons: crate::workloads::top_reasons(app, TOP_REASONS),
        decisions: app.reasons.iter().filter(|r| r.server.is_none()).map(|r| r.message.clone()).collect(),
        members,
        more_members,
    }
}
