//! The page's view model: every figure the templates show, computed from the finished results (any of which may
//! be absent) and already rounded for display, so the templates only lay it out.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::svg::{self, Bar, Node};
use crate::assess::{AssessedResource, AssessmentReport};
use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::{QuickPlan, SizingOptions};
use crate::cost::{CostReport, Totals};
use crate::inventory::Tool;
use crate::model::{CspStatus, SuggestedApproach};
use crate::plan::{PlanBatch, PlanReport};
use crate::read::InputSummary;
use crate::report::cost_table::{display, header, row_values, subscription_label};
use crate::report::{capacity_detailed, capacity_table};
use crate::workloads::{ApplicationVerdict, ServerVerdict, WorkloadReport};

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
    method: MethodView,
    /// What the page's script reads (`<script type="application/json" id="report-data">`).
    data: serde_json::Value,
}

#[derive(Serialize)]
struct Metric {
    key: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct SubscriptionView {
    id: String,
    name: Option<String>,
    status: &'static str,
    resources: usize,
}

#[derive(Serialize)]
struct ReasonCount {
    code: String,
    message: String,
    count: usize,
}

#[derive(Serialize)]
struct ResourcesView {
    statuses: [&'static str; 3],
    rows: Vec<ResourceRow>,
    shown: usize,
    total: usize,
    truncated: bool,
}

#[derive(Serialize)]
struct ResourceRow {
    id: String,
    name: String,
    resource_type: String,
    resource_group: Option<String>,
    subscription: Option<String>,
    status: &'static str,
    approach: &'static str,
    /// `name=value`, in name order.
    tags: Vec<String>,
    reasons: Vec<ReasonView>,
}

#[derive(Serialize)]
struct ReasonView {
    code: String,
    message: String,
    source: String,
    rule: String,
}

#[derive(Serialize)]
struct PlanView {
    batches: Vec<BatchView>,
    /// Batches beyond [`BATCHES_SHOWN`], counted by status.
    rest: Option<RestView>,
    warnings: Vec<String>,
    diagram_members: usize,
}

#[derive(Serialize)]
struct RestView {
    batches: usize,
    ready: usize,
    needs_remediation: usize,
    blocked: usize,
    shown: usize,
}

#[derive(Serialize)]
struct BatchView {
    id: String,
    status: &'static str,
    subscription: Option<String>,
    resource_group: Option<String>,
    member_count: usize,
    members: Vec<String>,
    more_members: usize,
    blockers: Vec<BlockerView>,
    more_blockers: usize,
    steps: Vec<StepView>,
    /// The key of its drawing for the `svg` helper; none when the batch is too large to draw.
    diagram: Option<String>,
}

#[derive(Serialize)]
struct BlockerView {
    resource: String,
    code: String,
    message: String,
}

#[derive(Serialize)]
struct StepView {
    order: usize,
    action: String,
    resources: Vec<String>,
    more_resources: usize,
    from: Option<String>,
    to: Option<String>,
    reason: String,
    source: String,
}

#[derive(Serialize)]
struct CapacityView {
    planner: &'static str,
    inputs: Vec<LabelValue>,
    outputs: Vec<LabelValue>,
    sizing: Vec<SizingRow>,
    servers: Vec<ServerView>,
    detailed: bool,
}

#[derive(Serialize)]
struct LabelValue {
    label: String,
    value: String,
    heading: bool,
}

#[derive(Serialize)]
struct SizingRow {
    option: &'static str,
    role: &'static str,
    vcpus: u32,
    memory_gb: u32,
    cache_disk_gb: u32,
    machines: u32,
    change_gb_per_day: String,
}

#[derive(Serialize)]
struct ServerView {
    name: String,
    /// Empty when the inventory row leaves the cell empty.
    cores: String,
    memory_mb: String,
    azure_vm_size: Option<String>,
    qualified: bool,
    reasons: Vec<String>,
    storage_account: Option<String>,
}

#[derive(Serialize)]
struct WorkloadsView {
    /// The applications per colour, as the summary's metrics.
    counts: Vec<Metric>,
    servers: usize,
    servers_needing_review: usize,
    era: &'static str,
    applications: Vec<ApplicationRow>,
    shown: usize,
    total: usize,
    truncated: bool,
    names_shown: usize,
}

#[derive(Serialize)]
struct ApplicationRow {
    name: String,
    /// `green`, `yellow`, `red` (the CSS class `color-…` and `data-color`), and the word shown.
    color: &'static str,
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
    members: Vec<WorkloadServerRow>,
    more_members: usize,
}

#[derive(Serialize)]
struct WorkloadServerRow {
    name: String,
    color: &'static str,
    word: &'static str,
    overridden: bool,
    needs_review: bool,
    /// `code: message`.
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct CostView {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    shown: usize,
    total: usize,
    truncated: bool,
    subscriptions: Vec<CostTotal>,
    totals: CostTotal,
    currency: String,
    period: String,
    discount_pct: String,
    markup_pct: Option<String>,
}

#[derive(Serialize)]
struct CostTotal {
    name: String,
    ea_cost: String,
    csp_cost: String,
    cost_diff: String,
    savings_pct: String,
    customer_price: Option<String>,
    partner_margin: Option<String>,
}

#[derive(Serialize)]
struct MethodView {
    rules: Vec<RuleView>,
    /// The conditions and classic rules no resource matched (cargo-deny's "never matched": check or retire them).
    never_matched: Vec<RuleView>,
    notes: Vec<NoteView>,
    inputs: Vec<InputView>,
    /// The page has the Workloads part: the method quotes the seed's three groups.
    workloads: bool,
}

#[derive(Serialize)]
struct RuleView {
    rule: String,
    code: String,
    source: String,
    count: usize,
}

#[derive(Serialize)]
struct NoteView {
    part: &'static str,
    text: String,
}

#[derive(Serialize)]
struct InputView {
    part: &'static str,
    path: String,
    format: String,
    rows: String,
    warnings: Vec<String>,
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
        method: method(parts),
        data,
    };
    (view, drawings)
}

/// The summary's numbers, as report.json has them (counts; money at the cost's display rounding).
fn metrics(parts: &Parts) -> Vec<Metric> {
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

/// The applications per colour: `applications` is report.json's `workloads.summary.applications`,
/// `applications-green` its `green`, and so on (`-needs-review`: `needs_review`).
fn workload_metrics(report: &WorkloadReport) -> Vec<Metric> {
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

fn workloads_view(report: &WorkloadReport) -> WorkloadsView {
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

fn status_class(status: &str) -> String {
    format!("status-{}", status.to_ascii_lowercase().replace(' ', "-"))
}

fn charts(assessment: &AssessmentReport, drawings: &mut BTreeMap<String, String>) {
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

fn subscriptions(assessment: &AssessmentReport) -> Vec<SubscriptionView> {
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
fn top_blockers(assessment: &AssessmentReport) -> Vec<ReasonCount> {
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

fn resources(assessment: &AssessmentReport) -> ResourcesView {
    let rows: Vec<ResourceRow> = assessment.resources.iter().take(ROWS_SHOWN).map(resource_row).collect();
    ResourcesView {
        statuses: [CspStatus::NoIssues.as_str(), CspStatus::Modify.as_str(), CspStatus::Blocked.as_str()],
        shown: rows.len(),
        total: assessment.resources.len(),
        truncated: assessment.resources.len() > rows.len(),
        rows,
    }
}

fn resource_row(assessed: &AssessedResource) -> ResourceRow {
    let r = &assessed.resource;
    ResourceRow {
        id: r.id.clone(),
        name: r.name.clone(),
        resource_type: r.resource_type.clone(),
        resource_group: r.resource_group.clone(),
        subscription: r.subscription_name.clone().or_else(|| r.subscription_id.clone()),
        status: assessed.csp_status.as_str(),
        approach: assessed.suggested_approach.as_str(),
        tags: r.tags.iter().map(|(name, value)| format!("{name}={value}")).collect(),
        reasons: assessed
            .reasons
            .iter()
            .map(|reason| ReasonView {
                code: reason.code.clone(),
                message: reason.message.clone(),
                source: reason.source.clone(),
                rule: reason.rule.clone(),
            })
            .collect(),
    }
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

fn plan_view(
    plan: &PlanReport,
    assessment: Option<&AssessmentReport>,
    drawings: &mut BTreeMap<String, String>,
) -> PlanView {
    let names = member_names(plan, assessment);
    let shown = &plan.batches[..plan.batches.len().min(BATCHES_SHOWN)];
    let edges = batch_edges(plan, shown);
    let batches = shown
        .iter()
        .enumerate()
        .map(|(i, batch)| {
            let diagram = (batch.resources.len() <= DIAGRAM_MEMBERS).then(|| {
                let key = format!("batch-{i}");
                drawings.insert(key.clone(), diagram(batch, &names, edges.get(&i).map(Vec::as_slice)));
                key
            });
            batch_view(batch, &names, diagram)
        })
        .collect();
    let rest = &plan.batches[shown.len()..];
    let count = |status: crate::plan::BatchStatus| rest.iter().filter(|b| b.status == status).count();
    PlanView {
        batches,
        rest: (!rest.is_empty()).then(|| RestView {
            batches: rest.len(),
            ready: count(crate::plan::BatchStatus::Ready),
            needs_remediation: count(crate::plan::BatchStatus::NeedsRemediation),
            blocked: count(crate::plan::BatchStatus::Blocked),
            shown: shown.len(),
        }),
        warnings: plan.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect(),
        diagram_members: DIAGRAM_MEMBERS,
    }
}

/// Each resource's name and status by its ID (lowercase: IDs compare case-insensitively); from the assessment,
/// else the ID's last segment.
fn member_names<'a>(
    plan: &'a PlanReport,
    assessment: Option<&'a AssessmentReport>,
) -> HashMap<String, (&'a str, &'static str)> {
    match assessment {
        Some(a) => a
            .resources
            .iter()
            .map(|r| (r.resource.id.to_ascii_lowercase(), (r.resource.name.as_str(), r.csp_status.as_str())))
            .collect(),
        None => plan
            .batches
            .iter()
            .flat_map(|b| &b.resources)
            .map(|id| (id.to_ascii_lowercase(), (id.rsplit('/').next().unwrap_or(id), "")))
            .collect(),
    }
}

/// The edges within each drawn batch, as member positions, by batch position.
fn batch_edges(plan: &PlanReport, shown: &[PlanBatch]) -> HashMap<usize, Vec<(usize, usize)>> {
    let mut position: HashMap<String, (usize, usize)> = HashMap::new();
    for (b, batch) in shown.iter().enumerate().filter(|(_, b)| b.resources.len() <= DIAGRAM_MEMBERS) {
        for (m, id) in batch.resources.iter().enumerate() {
            position.insert(id.to_ascii_lowercase(), (b, m));
        }
    }
    let mut edges: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for edge in &plan.edges {
        let from = position.get(&edge.from.to_ascii_lowercase());
        let to = position.get(&edge.to.to_ascii_lowercase());
        if let (Some(&(b, f)), Some(&(c, t))) = (from, to)
            && b == c
        {
            edges.entry(b).or_default().push((f, t));
        }
    }
    edges
}

fn diagram(
    batch: &PlanBatch,
    names: &HashMap<String, (&str, &'static str)>,
    edges: Option<&[(usize, usize)]>,
) -> String {
    let classes: Vec<String> = batch
        .resources
        .iter()
        .map(|id| status_class(names.get(&id.to_ascii_lowercase()).map_or("", |n| n.1)))
        .collect();
    let nodes: Vec<Node> = batch
        .resources
        .iter()
        .zip(&classes)
        .map(|(id, class)| Node { label: names.get(&id.to_ascii_lowercase()).map_or(id.as_str(), |n| n.0), class })
        .collect();
    svg::batch_diagram(&nodes, edges.unwrap_or_default())
}

/// The first [`NAMES_SHOWN`] items, and how many more there are.
fn first<T, U>(items: &[T], map: impl Fn(&T) -> U) -> (Vec<U>, usize) {
    let shown: Vec<U> = items.iter().take(NAMES_SHOWN).map(map).collect();
    let more = items.len() - shown.len();
    (shown, more)
}

fn batch_view(batch: &PlanBatch, names: &HashMap<String, (&str, &'static str)>, diagram: Option<String>) -> BatchView {
    let name = |id: &String| names.get(&id.to_ascii_lowercase()).map_or(id.clone(), |n| n.0.to_string());
    let (members, more_members) = first(&batch.resources, name);
    let (blockers, more_blockers) = first(&batch.blockers, |b| BlockerView {
        resource: name(&b.resource),
        code: b.code.clone(),
        message: b.message.clone(),
    });
    let steps = batch
        .remediation
        .iter()
        .map(|step| {
            let (resources, more_resources) = first(&step.resources, name);
            StepView {
                order: step.order,
                action: step.action.clone(),
                resources,
                more_resources,
                from: step.from.clone(),
                to: step.to.clone(),
                reason: step.reason.clone(),
                source: step.source.clone(),
            }
        })
        .collect();
    BatchView {
        id: batch.id.clone(),
        status: batch.status.as_str(),
        subscription: batch.subscription_id.clone(),
        resource_group: batch.resource_group.clone(),
        member_count: batch.resources.len(),
        members,
        more_members,
        blockers,
        more_blockers,
        steps,
        diagram,
    }
}

fn capacity(part: CapacityPart) -> CapacityView {
    match part {
        CapacityPart::Quick(plan) => {
            let rows = capacity_table::rows(plan);
            CapacityView {
                planner: "Quick Planner",
                inputs: labelled(&rows, "inputs"),
                outputs: labelled(&rows, "output"),
                sizing: sizing(&plan.sizing),
                servers: Vec::new(),
                detailed: false,
            }
        }
        CapacityPart::Detailed(plan) => CapacityView {
            planner: "Detailed Planner",
            inputs: detailed_inputs(plan),
            outputs: capacity_detailed::totals(plan)
                .into_iter()
                .map(|(label, _, value)| LabelValue { label: label.to_string(), value, heading: false })
                .collect(),
            sizing: sizing(&plan.sizing),
            servers: plan.servers.iter().map(server).collect(),
            detailed: true,
        },
    }
}

/// The Quick Planner's rows of one block (`inputs`, `output`) with the seed's labels; rows without a key are the
/// seed's headings.
fn labelled(rows: &[capacity_table::Row], section: &str) -> Vec<LabelValue> {
    rows.iter()
        .filter(|r| r.section == section)
        .map(|r| LabelValue {
            label: r.label.clone(),
            value: match r.defaulted {
                Some(true) => format!("{} (default)", r.value),
                _ => r.value.clone(),
            },
            heading: r.key.is_empty(),
        })
        .collect()
}

/// The Detailed Planner's inputs by their JSON keys (the files, then each setting, marked when defaulted).
fn detailed_inputs(plan: &DetailedPlan) -> Vec<LabelValue> {
    let mut rows: Vec<LabelValue> = plan
        .inputs
        .files
        .iter()
        .map(|f| LabelValue {
            label: format!("Server inventory {}", f.path),
            value: format!("{} ({} server(s))", f.format, f.servers),
            heading: false,
        })
        .collect();
    let Ok(serde_json::Value::Object(settings)) = serde_json::to_value(&plan.inputs) else { return rows };
    for (key, setting) in settings.iter().filter(|(k, _)| *k != "files") {
        let value = match &setting["value"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let defaulted = setting["defaulted"].as_bool() == Some(true);
        let value = if defaulted { format!("{value} (default)") } else { value };
        rows.push(LabelValue { label: key.clone(), value, heading: false });
    }
    rows
}

fn sizing(options: &SizingOptions) -> Vec<SizingRow> {
    let up = options.scale_up.iter().map(|s| ("scale-up", s));
    up.chain(options.scale_out.iter().map(|s| ("scale-out", s)))
        .map(|(option, spec)| SizingRow {
            option,
            role: spec.role.as_str(),
            vcpus: spec.vcpus,
            memory_gb: spec.memory_gb,
            cache_disk_gb: spec.cache_disk_gb,
            machines: spec.machines,
            change_gb_per_day: spec.change_gb_per_day.normalize().to_string(),
        })
        .collect()
}

fn server(row: &crate::capacity::detailed::ServerRow) -> ServerView {
    ServerView {
        name: row.name.clone(),
        cores: row.cores.map(|c| c.to_string()).unwrap_or_default(),
        memory_mb: row.memory_mb.map(|m| m.normalize().to_string()).unwrap_or_default(),
        azure_vm_size: row.azure_vm_size.clone(),
        qualified: row.qualified,
        reasons: row.qualification_reasons.clone(),
        storage_account: row.storage_account.clone(),
    }
}

fn cost(report: &CostReport) -> CostView {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let rows: Vec<Vec<String>> =
        report.rows.iter().take(ROWS_SHOWN).map(|row| row_values(row, decimals, markup)).collect();
    let total = |name: String, t: &Totals| CostTotal {
        name,
        ea_cost: display(t.ea_cost, decimals),
        csp_cost: display(t.csp_cost, decimals),
        cost_diff: display(t.cost_diff, decimals),
        savings_pct: t.savings_pct.map(|p| display(p, 2)).unwrap_or_default(),
        customer_price: t.customer_price.map(|v| display(v, decimals)),
        partner_margin: t.partner_margin.map(|v| display(v, decimals)),
    };
    CostView {
        header: header(markup),
        shown: rows.len(),
        total: report.rows.len(),
        truncated: report.rows.len() > rows.len(),
        rows,
        subscriptions: report
            .subscriptions
            .iter()
            .map(|s| total(subscription_label(s.id.as_deref(), s.name.as_deref()), &s.totals))
            .collect(),
        totals: total("Total".to_string(), &report.totals),
        currency: report.currency.clone().unwrap_or_else(|| "(currency not stated)".to_string()),
        period: report
            .period_days
            .map(|d| format!("{d} day(s)"))
            .unwrap_or_else(|| "not stated (no dates)".to_string()),
        discount_pct: report.discount_pct.normalize().to_string(),
        markup_pct: report.markup_pct.map(|m| m.normalize().to_string()),
    }
}

fn method(parts: &Parts) -> MethodView {
    let rules = parts
        .assessment
        .map(|a| {
            a.rules
                .fired
                .iter()
                .map(|r| RuleView {
                    rule: r.rule.clone(),
                    code: r.code.clone(),
                    source: r.source.clone(),
                    count: r.count,
                })
                .collect()
        })
        .unwrap_or_default();
    let never_matched = parts
        .assessment
        .map(|a| {
            a.rules
                .never_matched
                .iter()
                .map(|r| RuleView { rule: r.rule.clone(), code: r.code.clone(), source: r.source.clone(), count: 0 })
                .collect()
        })
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut inputs = Vec::new();
    if let Some(a) = parts.assessment {
        inputs.extend(a.inputs.iter().map(|i| input_view("assessment", i)));
    }
    if let Some(p) = parts.plan {
        notes.extend(
            p.warnings.iter().map(|w| NoteView { part: "plan", text: format!("{}: {}", w.location, w.message) }),
        );
    }
    if let Some(c) = parts.cost {
        notes.extend(c.notes.iter().map(|n| NoteView { part: "cost", text: n.clone() }));
        inputs.extend(c.inputs.iter().map(|i| input_view("cost", i)));
    }
    match parts.capacity {
        Some(CapacityPart::Quick(q)) => {
            notes.extend(q.notes.iter().map(|n| NoteView { part: "capacity", text: n.clone() }))
        }
        Some(CapacityPart::Detailed(d)) => {
            notes.extend(d.notes.iter().map(|n| NoteView { part: "capacity", text: n.clone() }));
            inputs.extend(d.inputs.files.iter().map(|f| InputView {
                part: "capacity",
                path: f.path.clone(),
                format: f.format.clone(),
                rows: format!("{} server(s)", f.servers),
                warnings: d.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect(),
            }));
        }
        None => {}
    }
    if let Some(w) = parts.workloads {
        notes.extend(
            w.warnings.iter().map(|x| NoteView { part: "workloads", text: format!("{}: {}", x.location, x.message) }),
        );
        if !w.unmatched_rules.is_empty() {
            notes.push(NoteView {
                part: "workloads",
                text: format!("rules that matched no server: {}", w.unmatched_rules.join(", ")),
            });
        }
        inputs.extend(w.inputs.iter().map(|i| {
            let prefix = format!("{}, ", i.path);
            let servers = w.servers.iter().filter(|s| s.source.starts_with(&prefix)).count();
            InputView {
                part: "workloads",
                path: i.path.clone(),
                format: i.role.clone(),
                rows: if i.role.starts_with("servers") { format!("{servers} server(s)") } else { String::new() },
                warnings: Vec::new(),
            }
        }));
    }
    MethodView { rules, never_matched, notes, inputs, workloads: parts.workloads.is_some() }
}

fn input_view(part: &'static str, input: &InputSummary) -> InputView {
    InputView {
        part,
        path: input.path.clone(),
        format: input.format.clone(),
        rows: format!("{} row(s)", input.rows),
        warnings: input.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect(),
    }
}
