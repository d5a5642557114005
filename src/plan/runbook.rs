//! The move runbook of one source subscription (`plan --scripts DIR`): the plan's batches turned into an ordered
//! list of steps, one command each, that the bash and PowerShell renderers write out. csp-planner never runs them.
//!
//! Per batch, in the plan's order:
//! - a `blocked` batch gets no command: its blockers are listed, the batch is not moved (moving the rest
//!   without a member it must move with fails, seed 002 L15044);
//! - the remediation steps, in the plan's order: classic upgrade and `MODIFY` fixes are manual steps (the
//!   operator confirms them), the secrets dependency is removed with one command per VM (the seed's own
//!   commands, L14977–L15016), each consolidation and each separate storage-account move is validated
//!   (`validateMoveResources`) and then moved, one request per source resource group (a move request holds the
//!   resources of one group: Azure Resource Manager docs, "Resources - Validate Move Resources");
//! - then the batch itself: validate, then move into the target subscription, one request per resource group
//!   the members sit in after remediation (normally one; a member a rule lets stay in its group moves from it).
//!
//! A batch with classic members is planned with the classic IDs and the groups the upgrade creates; the upgrade
//! gives the resources new IDs, so every command after the upgrade is written commented out, behind a manual
//! step that asks for a new plan from a fresh export.

use std::collections::BTreeMap;

use super::report::{BatchStatus, PlanBatch, PlanReport, PlanTarget, RemediationStep};
use crate::model::codes::PlanCode;
use crate::model::resource_id;
use crate::rules::sources::Sources;

// The runbook's own citations, `<key of rules/sources.toml>: <locator>` (resolved in `section`).
pub const SOURCE_VALIDATE: &str = "validate-move-resources: POST …/resourceGroups/{source}/validateMoveResources: the resources of one source group, a target group that may be in another subscription";
pub const SOURCE_MOVE: &str = "csp-resource-move: cross-subscription moves need a resource and all its dependencies moved at once (section \"Move resources from the source subscription to the Azure CSP subscription\"); move-resource-group-and-subscription: az resource move / Move-AzResource";
pub const SOURCE_REPLAN: &str = "csp-classic-upgrade: the upgrade moves classic resources into new -migrated groups, as Resource Manager resources with new IDs";

/// Where a move goes: another group of the same subscription (consolidation) or the CSP target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTarget {
    SameSubscription {
        resource_group: String,
    },
    /// The target subscription and group: their values, or placeholders the runbook refuses to run with.
    Csp,
}

/// One move request: the resources of one source group, and where they go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRequest {
    pub subscription_id: String,
    pub resource_group: String,
    pub resources: Vec<String>,
    pub target: MoveTarget,
}

impl MoveRequest {
    /// The source group's ID, the resource `validateMoveResources` is invoked on.
    pub fn source_group_id(&self) -> String {
        format!("/subscriptions/{}/resourceGroups/{}", self.subscription_id, self.resource_group)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Something the operator does by hand and confirms (classic upgrade, a `MODIFY` fix, a new plan).
    Manual {
        instructions: String,
    },
    /// Clear `osProfile.secrets` of a former classic VM (seed L14977–L15016).
    RemoveSecrets {
        subscription_id: String,
        resource_group: String,
        vm: String,
    },
    Validate(MoveRequest),
    Move(MoveRequest),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Why, in the plan's words; rendered as a comment above the command.
    pub reason: String,
    pub source: String,
    pub action: Action,
    /// Written as a comment, not as a command (the planned IDs will not be valid then: see the module docs).
    pub commented_out: bool,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub batch: String,
    pub status: BatchStatus,
    pub resource_group: Option<String>,
    pub resources: Vec<String>,
    /// Blockers as `name (code): message`; a blocked batch has no steps.
    pub blockers: Vec<String>,
    pub steps: Vec<Step>,
    /// A ready batch that shares a move request with earlier batches: the request's ID and the section that
    /// makes the move (this section has no steps of its own).
    pub moved_with: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Runbook {
    pub subscription_id: String,
    pub target: PlanTarget,
    /// Where the target group is created when it does not exist: the location most batch members share.
    pub target_location: Option<String>,
    pub sections: Vec<Section>,
}

pub const TARGET_SUBSCRIPTION_PLACEHOLDER: &str = "<target-subscription-id>";
pub const TARGET_GROUP_PLACEHOLDER: &str = "<target-resource-group>";

impl Runbook {
    /// One runbook per source subscription, in subscription order; batches without a subscription (inputs
    /// that carry none) cannot be moved by ID and get none.
    pub fn all(plan: &PlanReport) -> Vec<Runbook> {
        let mut by_subscription: BTreeMap<String, Vec<&PlanBatch>> = BTreeMap::new();
        for batch in &plan.batches {
            if let Some(subscription) = &batch.subscription_id {
                by_subscription.entry(subscription.clone()).or_default().push(batch);
            }
        }
        by_subscription
            .into_iter()
            .map(|(subscription_id, batches)| Runbook {
                target_location: most_common_location(&batches),
                sections: shared_requests(
                    batches.iter().map(|b| section(b, &subscription_id, &plan.sources)).collect(),
                    &plan.requests,
                ),
                subscription_id,
                target: plan.target.clone(),
            })
            .collect()
    }

    pub fn target_subscription(&self) -> &str {
        self.target.subscription_id.as_deref().unwrap_or(TARGET_SUBSCRIPTION_PLACEHOLDER)
    }

    pub fn target_resource_group(&self) -> &str {
        self.target.resource_group.as_deref().unwrap_or(TARGET_GROUP_PLACEHOLDER)
    }

    /// The runbook's folder under `--scripts DIR`: the subscription ID, with anything but letters, digits, `-`,
    /// `_` and `.` replaced by `_` (an ID read from a customer's file must not name a path outside DIR).
    pub fn folder(&self) -> String {
        let folder: String = self
            .subscription_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
            .collect();
        if folder.chars().all(|c| c == '.') { folder.replace('.', "_") } else { folder }
    }

    /// Whether the runbook still carries a placeholder (it refuses to run until it is replaced).
    pub fn has_placeholders(&self) -> bool {
        self.target.subscription_id.is_none() || self.target.resource_group.is_none()
    }
}

fn most_common_location(batches: &[&PlanBatch]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for location in batches.iter().flat_map(|b| &b.locations) {
        *counts.entry(location).or_default() += 1;
    }
    // Ties go to the first in name order (BTreeMap order, max_by_key keeps the last maximum: reverse first).
    counts.into_iter().rev().max_by_key(|(_, n)| *n).map(|(l, _)| l.to_string())
}

fn short_name(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

fn section(batch: &PlanBatch, subscription_id: &str, sources: &Sources) -> Section {
    let blockers: Vec<String> =
        batch.blockers.iter().map(|b| format!("{} ({}): {}", short_name(&b.resource), b.code, b.message)).collect();
    let mut steps = if batch.status == BatchStatus::Blocked { Vec::new() } else { steps(batch, subscription_id) };
    // The runbook's own steps carry its keyed citations (the `SOURCE_*` texts); the remediation steps' are
    // already resolved.
    for step in &mut steps {
        if [SOURCE_VALIDATE, SOURCE_MOVE, SOURCE_REPLAN].contains(&step.source.as_str()) {
            step.source = sources.resolve(&step.source);
        }
    }
    Section {
        batch: batch.id.clone(),
        status: batch.status,
        resource_group: batch.resource_group.clone(),
        resources: batch.resources.clone(),
        blockers,
        steps,
        moved_with: None,
    }
}

/// The ready batches of one move request move together: the first batch's section makes one validated move of
/// every batch's resources, and the others say which request moves them.
fn shared_requests(mut sections: Vec<Section>, requests: &[crate::plan::requests::MoveRequest]) -> Vec<Section> {
    for request in requests.iter().filter(|r| r.batches.len() > 1) {
        let Some(first) = sections.iter().position(|s| s.batch == request.batches[0]) else { continue };
        let mut ids = Vec::new();
        for batch in &request.batches[1..] {
            let Some(other) = sections.iter_mut().find(|s| &s.batch == batch) else { continue };
            ids.extend(other.resources.iter().cloned());
            other.steps.clear();
            other.moved_with = Some((request.id.clone(), request.batches[0].clone()));
        }
        let lead = &mut sections[first];
        for step in &mut lead.steps {
            if let Action::Validate(r) | Action::Move(r) = &mut step.action {
                r.resources.extend(ids.iter().cloned());
            }
            if matches!(step.action, Action::Move(_)) {
                step.reason = format!(
                    "{}: batches {} move in one request ({} resources, one source resource group)",
                    request.id,
                    request.batches.join(", "),
                    request.resources
                );
            }
        }
    }
    sections
}

/// Where each member sits as the steps run: starts at its group today, follows the upgrade and each move.
struct Placement<'a> {
    subscription_id: &'a str,
    groups: BTreeMap<String, String>,
}

impl<'a> Placement<'a> {
    fn new(batch: &PlanBatch, subscription_id: &'a str) -> Self {
        let groups = batch
            .resources
            .iter()
            .filter_map(|id| resource_id::parse(id).and_then(|p| p.resource_group).map(|g| (id.clone(), g)))
            .collect();
        Placement { subscription_id, groups }
    }

    fn group(&self, id: &str) -> Option<&str> {
        self.groups.get(id).map(String::as_str)
    }

    /// The move requests for `ids`, one per source group (in group order), and records where they end up.
    fn requests(&mut self, ids: &[String], target: MoveTarget) -> Vec<MoveRequest> {
        let mut by_group: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for id in ids {
            let Some(group) = self.group(id) else { continue };
            let entry = by_group.entry(group.to_ascii_lowercase()).or_insert_with(|| (group.to_string(), Vec::new()));
            // A resource moved within the subscription earlier (consolidation) has the ID of its new group.
            entry.1.push(id_in_group(id, group));
        }
        let requests: Vec<MoveRequest> = by_group
            .into_values()
            .map(|(group, resources)| MoveRequest {
                subscription_id: self.subscription_id.to_string(),
                resource_group: group,
                resources,
                target: target.clone(),
            })
            .collect();
        if let MoveTarget::SameSubscription { resource_group } = &target {
            for id in ids {
                self.groups.insert(id.clone(), resource_group.clone());
            }
        } else {
            for id in ids {
                self.groups.remove(id);
            }
        }
        requests
    }
}

/// `id` with its resource group segment replaced by `group` (the ID a resource has after a move within its
/// subscription); an ID without a resource group is returned as is.
fn id_in_group(id: &str, group: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let Some(at) = lower.find("/resourcegroups/") else { return id.to_string() };
    let start = at + "/resourcegroups/".len();
    let end = id[start..].find('/').map_or(id.len(), |k| start + k);
    if id[start..end].eq_ignore_ascii_case(group) {
        return id.to_string();
    }
    format!("{}{group}{}", &id[..start], &id[end..])
}

fn steps(batch: &PlanBatch, subscription_id: &str) -> Vec<Step> {
    let mut placement = Placement::new(batch, subscription_id);
    let mut steps = Vec::new();
    let mut after_upgrade = false;
    // A child whose parent is not in the inventory fails a move on its own: the batch's move is written as
    // comments, to be run once the parent is planned with it.
    let mut without_parent = false;
    for remediation in &batch.remediation {
        let commented_out = after_upgrade;
        let push_moves = |steps: &mut Vec<Step>, requests: Vec<MoveRequest>| {
            for request in requests {
                let reason = format!("{} {}: {}", batch.id, remediation.action, remediation.reason);
                push_validated_move(steps, request, reason, &remediation.source, commented_out);
            }
        };
        match PlanCode::parse(&remediation.action) {
            Some(PlanCode::UpgradeClassic) => {
                upgrade_classic(batch, remediation, &mut placement, &mut steps);
                after_upgrade = true;
            }
            Some(PlanCode::RemoveSecretsDependency) => remove_secrets(batch, remediation, &placement, &mut steps),
            Some(PlanCode::ConsolidateResourceGroup) => {
                let Some(to) = remediation.to.clone() else { continue };
                let requests =
                    placement.requests(&remediation.resources, MoveTarget::SameSubscription { resource_group: to });
                push_moves(&mut steps, requests);
            }
            Some(PlanCode::MoveStorageSeparately) => {
                let requests = placement.requests(&remediation.resources, MoveTarget::Csp);
                push_moves(&mut steps, requests);
            }
            Some(PlanCode::MoveWithParent) => {
                steps.push(manual(batch, remediation, remediation.reason.clone()));
                without_parent = true;
            }
            _ => steps.push(manual(batch, remediation, remediation.reason.clone())),
        }
    }
    batch_moves(batch, &mut placement, after_upgrade || without_parent, &mut steps);
    steps
}

/// A move validated (`validateMoveResources`) right before it is made.
fn push_validated_move(steps: &mut Vec<Step>, request: MoveRequest, reason: String, source: &str, commented_out: bool) {
    steps.push(Step {
        reason: reason.clone(),
        source: SOURCE_VALIDATE.to_string(),
        action: Action::Validate(request.clone()),
        commented_out,
    });
    steps.push(Step { reason, source: source.to_string(), action: Action::Move(request), commented_out });
}

/// The upgrade to Resource Manager, by hand; the upgraded members are then in their `-migrated` groups.
fn upgrade_classic(batch: &PlanBatch, remediation: &RemediationStep, placement: &mut Placement, steps: &mut Vec<Step>) {
    steps.push(manual(batch, remediation, upgrade_instructions(remediation)));
    for (id, group) in &batch.upgraded_groups {
        placement.groups.insert(id.clone(), group.clone());
    }
    // The secrets step (when there is one) comes before the new plan: it works on names, not IDs.
    if !batch.remediation.iter().any(|r| r.action == PlanCode::RemoveSecretsDependency.as_str()) {
        steps.push(replan(batch));
    }
}

/// The secrets dependency removed from each former classic VM, then the new plan.
fn remove_secrets(batch: &PlanBatch, remediation: &RemediationStep, placement: &Placement, steps: &mut Vec<Step>) {
    for id in &remediation.resources {
        let Some(group) = placement.group(id) else { continue };
        steps.push(Step {
            reason: format!("{} {}: {}", batch.id, remediation.action, remediation.reason),
            source: remediation.source.to_string(),
            action: Action::RemoveSecrets {
                subscription_id: placement.subscription_id.to_string(),
                resource_group: group.to_string(),
                vm: short_name(id).to_string(),
            },
            commented_out: false,
        });
    }
    steps.push(replan(batch));
}

/// The batch's move into the CSP subscription: what is still in the source subscription, one request per group.
fn batch_moves(batch: &PlanBatch, placement: &mut Placement, commented_out: bool, steps: &mut Vec<Step>) {
    let remaining: Vec<String> = batch.resources.iter().filter(|id| placement.group(id).is_some()).cloned().collect();
    for request in placement.requests(&remaining, MoveTarget::Csp) {
        let reason = format!(
            "{} move: the batch's {} resource(s) from {} into the CSP subscription, in one request",
            batch.id,
            request.resources.len(),
            request.resource_group
        );
        push_validated_move(steps, request, reason, SOURCE_MOVE, commented_out);
    }
}

fn manual(batch: &PlanBatch, remediation: &RemediationStep, instructions: String) -> Step {
    Step {
        reason: format!("{} {}", batch.id, remediation.action),
        source: remediation.source.to_string(),
        action: Action::Manual { instructions },
        commented_out: false,
    }
}

fn upgrade_instructions(remediation: &RemediationStep) -> String {
    format!(
        "{}. Use the platform-supported migration: validate, prepare, commit (Azure PowerShell Move-AzureService, \
         Move-AzureVirtualNetwork, Move-AzureStorageAccount; or the portal).",
        remediation.reason
    )
}

fn replan(batch: &PlanBatch) -> Step {
    Step {
        reason: format!("{} re-plan after the upgrade", batch.id),
        source: SOURCE_REPLAN.to_string(),
        action: Action::Manual {
            instructions: format!(
                "the upgrade gave batch {}'s resources Resource Manager IDs in new resource groups: export the \
                 estate again (az graph query), run csp-planner plan --scripts on it, and run that runbook for this \
                 batch. The commands below are the plan with the classic IDs, written as comments",
                batch.id
            ),
        },
        commented_out: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[SOURCE_VALIDATE, SOURCE_MOVE, SOURCE_REPLAN]);
    }
}
