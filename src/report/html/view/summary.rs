//! The summary: the headline numbers, the charts, the subscriptions and the top blockers.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::svg::{self, Bar};
use super::workloads::workload_metrics;
use super::{CapacityPart, Parts, TOP_BLOCKERS, status_class};
use crate::assess::AssessmentReport;
use crate::model::{CspStatus, SuggestedApproach};
use crate::report::cost_table::display;

#[derive(Serialize)]
pub(super) struct Metric {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) value: String,
}

#[derive(Serialize)]
pub(super) struct SubscriptionView {
    id: String,
    name: Option<String>,
    status: &'static str,
    resources: usize,
}

#[derive(Serialize)]
pub(super) struct ReasonCount {
    code: String,
    message: String,
    count: usize,
}

/// The summary's numbers, as report.json has them (counts; money at the cost's display rounding).
pub(super) fn metrics(parts: &Parts) -> Vec<Metric> {
    let mut metrics = Vec::new();
    let mut push = |key, label, value: String| metrics.push(Metric { key, label, value });
    if let Some(a) = parts.assessment {
        let s = &a.summary;
        push("resources", "Resources", s.resources.to_string());
        push("no-issues", "NO ISSUES", s.no_issues.to_string());
        push("modify", "MODIFY", s.modify.to_string());
        push("blocked", "BLOCKED", s.blocked.to_string());
        push("subscriptions", "Subscriptions", s.subscriptions.to_string());
    }
    if let Some(p) = parts.plan {
        let s = &p.summary;
        push("batches", "Batches", s.batches.to_string());
        push("batches-ready", "Batches ready", s.ready.to_string());
        push("batches-needs-remediation", "Batches needing remediation", s.needs_remediation.to_string());
        push("batches-blocked", "Batches blocked", s.blocked.to_string());
    }
    if let Some(CapacityPart::Detailed(d)) = parts.capacity {
        push("servers", "Servers", d.servers.len().to_string());
    }
    if let Some(c) = parts.cost {
        let d = c.display_decimals;
        push("ea-cost", "Current (EA) cost", display(c.totals.ea_cost, d));
        push("csp-cost", "CSP cost", display(c.totals.csp_cost, d));
        push("cost-diff", "Difference", display(c.totals.cost_diff, d));
    }
    if let Some(w) = parts.workloads {
        metrics.extend(workload_metrics(w));
    }
    metrics
}

pub(super) fn charts(assessment: &AssessmentReport, drawings: &mut BTreeMap<String, String>) {
    let s = &assessment.summary;
    let statuses = [(CspStatus::NoIssues, s.no_issues), (CspStatus::Modify, s.modify), (CspStatus::Blocked, s.blocked)];
    let classes: Vec<String> = statuses.iter().map(|(st, _)| status_class(st.as_str())).collect();
    let bars: Vec<Bar> = statuses
        .iter()
        .zip(&classes)
        .map(|((status, value), class)| Bar { label: status.as_str(), value: *value, class })
        .collect();
    drawings.insert("chart-status".to_string(), svg::bar_chart("Resources by CSP Status", &bars));
    let approaches = [SuggestedApproach::OneStep, SuggestedApproach::TwoStep, SuggestedApproach::Exclude];
    let counts: Vec<usize> =
        approaches.iter().map(|a| assessment.resources.iter().filter(|r| r.suggested_approach == *a).count()).collect();
    let bars: Vec<Bar> = approaches
        .iter()
        .zip(&counts)
        .map(|(a, value)| Bar { label: a.as_str(), value: *value, class: "approach" })
        .collect();
    drawings.insert("chart-approach".to_string(), svg::bar_chart("Resources by suggested approach", &bars));
}

pub(super) fn subscriptions(assessment: &AssessmentReport) -> Vec<SubscriptionView> {
    assessment
        .subscriptions
        .iter()
        .map(|s| SubscriptionView {
            id: s.id.clone().unwrap_or_else(|| "(no subscription)".to_string()),
            name: s.name.clone(),
            status: s.csp_status.as_str(),
            resources: s.resources,
        })
        .collect()
}

/// The reasons of the BLOCKED resources, most frequent first.
/// The reasons of the blocked resources, most frequent first. Counted by code *and* message: one code
/// (`cannot-move-subscription`) covers different types with different workarounds, and the page shows the message.
pub(super) fn top_blockers(assessment: &AssessmentReport) -> Vec<ReasonCount> {
    let mut counts: BTreeMap<(&str, &str), ReasonCount> = BTreeMap::new();
    let blocked = assessment.resources.iter().filter(|r| r.csp_status == CspStatus::Blocked);
    for reason in blocked.flat_map(|r| &r.reasons) {
        counts
            .entry((&reason.code, &reason.message))
            .or_insert_with(|| ReasonCount { code: reason.code.clone(), message: reason.message.clone(), count: 0 })
            .count += 1;
    }
    let mut counts: Vec<ReasonCount> = counts.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    counts.truncate(TOP_BLOCKERS);
    counts
}
