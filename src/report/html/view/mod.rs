//! The page's view model: every figure the templates show, computed from the finished results (any of which may
//! be absent) and already rounded for display, so the templates only lay it out.

mod capacity;
mod cost;
mod method;
mod plan;
mod resources;
mod summary;
mod transfer;
mod workloads;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::assess::AssessmentReport;
use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::QuickPlan;
use crate::cost::CostReport;
use crate::inventory::Tool;
use crate::plan::PlanReport;
use crate::workloads::WorkloadReport;
use capacity::{CapacityView, capacity};
use cost::{CostView, cost};
use method::{MethodView, method};
use plan::{PlanView, plan_view};
use resources::{ResourcesView, resources};
use summary::{Metric, ReasonCount, SubscriptionView, charts, metrics, subscriptions, top_blockers};
use transfer::{TransferView, transfer_view};
use workloads::{WorkloadsView, workloads_view};

/// Rows of the Resources, Cost and Workloads (applications) tables shown; the rest is in assessment.xlsx and
/// report.json.
pub const ROWS_SHOWN: usize = 2_000;
/// Batches drawn in detail; the others are counted.
pub const BATCHES_SHOWN: usize = 500;
/// Batches with more members are summarised, not drawn.
pub const DIAGRAM_MEMBERS: usize = 200;
/// Names listed per batch member list, blocker list or remediation step.
const NAMES_SHOWN: usize = 50;
const TOP_BLOCKERS: usize = 10;
/// Reason codes shown per application.
const TOP_REASONS: usize = 5;

/// The capacity plan the page shows: the Quick Planner's (inputs and outputs) or the Detailed Planner's.
#[derive(Clone, Copy)]
pub enum CapacityPart<'a> {
    Quick(&'a QuickPlan),
    Detailed(&'a DetailedPlan),
}

/// The finished results the page is made of.
#[derive(Default)]
pub struct Parts<'a> {
    pub assessment: Option<&'a AssessmentReport>,
    pub plan: Option<&'a PlanReport>,
    pub capacity: Option<CapacityPart<'a>>,
    pub cost: Option<&'a CostReport>,
    pub workloads: Option<&'a WorkloadReport>,
    pub transfer: Option<&'a crate::transfer::TransferReport>,
    /// YYYY-MM-DD (see [`super::report_date`]).
    pub date: String,
}

#[derive(Serialize)]
pub struct View {
    tool: Tool,
    date: String,
    metrics: Vec<Metric>,
    subscriptions: Vec<SubscriptionView>,
    top_blockers: Vec<ReasonCount>,
    resources: Option<ResourcesView>,
    plan: Option<PlanView>,
    capacity: Option<CapacityView>,
    cost: Option<CostView>,
    workloads: Option<WorkloadsView>,
    transfer: Option<TransferView>,
    method: MethodView,
    /// What the page's script reads (`<script type="application/json" id="report-data">`).
    data: serde_json::Value,
}

/// The view model and the drawings the `svg` helper inserts, by key.
pub fn build(parts: &Parts) -> (View, BTreeMap<String, String>) {
    let mut drawings = BTreeMap::new();
    if let Some(assessment) = parts.assessment {
        charts(assessment, &mut drawings);
    }
    let resources = parts.assessment.map(resources);
    let workloads = parts.workloads.map(workloads_view);
    let data = script_data(resources.as_ref(), workloads.as_ref());
    let view = View {
        tool: Tool::current(),
        date: parts.date.clone(),
        metrics: metrics(parts),
        subscriptions: parts.assessment.map(subscriptions).unwrap_or_default(),
        top_blockers: parts.assessment.map(top_blockers).unwrap_or_default(),
        resources,
        plan: parts.plan.map(|plan| plan_view(plan, parts.assessment, &mut drawings)),
        capacity: parts.capacity.map(capacity),
        cost: parts.cost.map(cost),
        workloads,
        transfer: parts.transfer.map(transfer_view),
        method: method(parts),
        data,
    };
    (view, drawings)
}

fn status_class(status: &str) -> String {
    format!("status-{}", status.to_ascii_lowercase().replace(' ', "-"))
}

/// The shown rows' searchable fields, for the script (it matches name, ID, type and resource group), and the shown
/// applications with their colour and servers.
fn script_data(resources: Option<&ResourcesView>, workloads: Option<&WorkloadsView>) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = resources
        .map(|view| {
            view.rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "name": r.name, "type": r.resource_type,
                        "resource_group": r.resource_group, "status": r.status,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let applications: Vec<serde_json::Value> = workloads
        .map(|view| {
            view.applications
                .iter()
                .map(|a| {
                    let servers: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
                    serde_json::json!({ "name": a.name, "color": a.color, "servers": servers })
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({ "resources": rows, "applications": applications })
}

/// The first [`NAMES_SHOWN`] items, and how many more there are.
fn first<T, U>(items: &[T], map: impl Fn(&T) -> U) -> (Vec<U>, usize) {
    let shown: Vec<U> = items.iter().take(NAMES_SHOWN).map(map).collect();
    let more = items.len() - shown.len();
    (shown, more)
}
