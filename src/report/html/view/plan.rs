//! The plan: each batch with its members, blockers, remediation steps and diagram.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::super::svg::{self, Node};
use super::{BATCHES_SHOWN, DIAGRAM_MEMBERS, first, status_class};
use crate::assess::AssessmentReport;
use crate::plan::{PlanBatch, PlanReport};

#[derive(Serialize)]
pub(super) struct PlanView {
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

pub(super) fn plan_view(
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
                source: step.source.to_string(),
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
