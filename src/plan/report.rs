//! The move plan as a report: every batch of [`super::batches`] with its status, blockers and ordered
//! remediation steps, computed from the members' assessment and placement (issue 5).
//!
//! Status, first match wins:
//! - `blocked` — a member is `BLOCKED` in the assessment; each such member is a blocker with its reason code and
//!   message (which carries the workaround);
//! - `needs-remediation` — the members span several resource groups (members under a `may-stay-in-group`
//!   exception not counted), a storage account sits in another region than the batch members that use it, a
//!   member is classic, a member is `MODIFY`, or a member is a child resource whose parent is not in the
//!   inventory (a SQL database billed without its server: it never moves alone);
//! - `ready` — everything else.
//!
//! Remediation steps, in this order: upgrade the classic members (seed 002 L14957–L14961), remove the secrets
//! dependency of the former classic VMs (L14977–L15016), resolve each `MODIFY` member, move each child whose parent
//! is not in the inventory with that parent (`move-with-parent`, naming the parent's ID), consolidate into the
//! resource group that will already hold most of the members that move (L15044, L15139–L15149), then move each
//! other-region storage account on its own, before the batch (L15153–L15161). `BLOCKED` members take no part in
//! the remediation: they are excluded from the move.
//!
//! JSON contract (schema_version 1, extends the assessment's): `{ schema_version, tool, inputs, target, warnings,
//! batches, edges, external_dependencies, summary }`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::batches::{Batch, batches};
use super::graph::{DependencyGraph, DependencyRules, Edge, ExternalDependency};
use crate::assess::{AssessedResource, AssessmentReport};
use crate::inventory::Tool;
use crate::model::codes::PlanCode;
use crate::model::resource::normalize_location;
use crate::model::{Cited, CspStatus, DeploymentModel, Reason, Resource, Warning, resource_id};
use crate::read::InputSummary;
use crate::rules::sources::Sources;

// The plan's own citations, `<key of rules/sources.toml>: <locator>`, resolved with the pack's registry when a
// step is added (a unit test checks each names an entry).
pub const SOURCE_UPGRADE: &str = "csp-classic-upgrade: the migration process creates three resource groups, [cloud service]-migrated, [virtual network]-migrated and [storage account]-migrated; classic-iaas-migration: the platform-supported migration";
pub const SOURCE_SECRETS: &str = "csp-classic-upgrade: section \"Remove the secrets dependency\" (VMs created with the classic model depend on WinRM secrets)";
pub const SOURCE_CONSOLIDATE: &str = "csp-resource-move: \"first move all dependent resources to a single resource group\" (section \"Move resources from the source subscription to the Azure CSP subscription\"; Known errors, \"Dependency errors\")";
pub const SOURCE_CONSOLIDATE_CLASSIC: &str = "csp-planner-choice: consolidate the -migrated groups before the move, since the upgrade creates them and a cross-subscription move needs all dependent resources in one resource group; csp-classic-upgrade: the migration process creates the -migrated resource groups; csp-resource-move: \"first move all dependent resources to a single resource group\"";
pub const SOURCE_STORAGE: &str = "csp-resource-move: Known errors, \"Storage account-location errors\" (MoveResourcesNotFound: move the storage account separately, after the other resources or first)";
pub const SOURCE_CHILD: &str = "move-support-resources: \"In most cases, a child resource can't be moved independently from its parent resource.\"";

/// A batch's status (first match wins: blocked, needs-remediation, ready).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BatchStatus {
    Ready,
    NeedsRemediation,
    Blocked,
}

impl BatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Ready => "ready",
            BatchStatus::NeedsRemediation => "needs-remediation",
            BatchStatus::Blocked => "blocked",
        }
    }
}

/// A `BLOCKED` member: its assessment reason code and message (with the workaround).
#[derive(Debug, Clone, Serialize)]
pub struct Blocker {
    pub resource: String,
    pub code: String,
    pub message: String,
}

/// One remediation step; `order` starts at 1 within its batch.
#[derive(Debug, Clone, Serialize)]
pub struct RemediationStep {
    pub order: usize,
    /// `upgrade-classic`, `remove-secrets-dependency`, `resolve`, `move-with-parent`,
    /// `consolidate-resource-group`, `move-storage-separately`.
    pub action: String,
    pub resources: Vec<String>,
    /// The resource group(s) the resources leave (comma-separated), when the step moves them.
    pub from: Option<String>,
    /// The resource group they go to, when the step moves them.
    pub to: Option<String>,
    pub reason: String,
    #[serde(flatten)]
    pub source: Cited,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanBatch {
    pub id: String,
    pub subscription_id: Option<String>,
    /// The resource group the batch moves from after remediation.
    pub resource_group: Option<String>,
    /// The members' resource groups today.
    pub resource_groups: Vec<String>,
    pub locations: Vec<String>,
    pub status: BatchStatus,
    pub resources: Vec<String>,
    pub blockers: Vec<Blocker>,
    pub remediation: Vec<RemediationStep>,
    /// Each classic member's ID and the resource group the Resource Manager upgrade puts it in, when the seed
    /// says (L14957–L14961); the runbooks need it. Not in the JSON contract.
    #[serde(skip)]
    pub upgraded_groups: Vec<(String, String)>,
}

/// Where the batches go (`--target-subscription`, `--target-resource-group`); `None` when not given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanTarget {
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
}

impl PlanTarget {
    /// The target group's name, or a clearly named placeholder.
    pub fn resource_group_or_placeholder(&self) -> String {
        self.resource_group.clone().unwrap_or_else(|| "<target-resource-group>".to_string())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub batches: usize,
    pub ready: usize,
    pub needs_remediation: usize,
    pub blocked: usize,
    pub resources: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Vec<InputSummary>,
    pub target: PlanTarget,
    /// Plan warnings (no dependency data, batches spanning subscriptions); read warnings stay in `inputs`.
    pub warnings: Vec<Warning>,
    pub batches: Vec<PlanBatch>,
    /// The move requests the batches make (see [`super::requests`]).
    pub requests: Vec<super::requests::MoveRequest>,
    pub edges: Vec<Edge>,
    pub external_dependencies: Vec<ExternalDependency>,
    pub summary: PlanSummary,
    /// The resources planned, in the assessment's order (batches and edges name them by ID); not in the JSON
    /// contract. Kept rather than freed while the plan is built: the command writes the plan and exits, and
    /// freeing a large estate resource by resource only adds time (see `commands::inventory`).
    #[serde(skip)]
    pub resources: Vec<Resource>,
    /// The rule pack's sources registry, for the runbooks' own citations; not in the JSON contract.
    #[serde(skip)]
    pub sources: Arc<Sources>,
}

impl crate::output::Json for PlanReport {}

/// A member's assessment without its resource (the plan reads `status` and `reasons`; the rest is kept to give
/// the assessment back whole).
struct Assessed {
    status: CspStatus,
    reasons: Vec<Reason>,
    suggested_approach: crate::model::SuggestedApproach,
    needs_review: bool,
}

impl PlanReport {
    /// The plan of an assessed estate (classified with its `properties`, which the graph reads).
    pub fn build(assessment: AssessmentReport, rules: &DependencyRules, target: PlanTarget) -> Self {
        let (mut plan, assessment) = Self::build_keeping(assessment, rules, target);
        // Kept, not freed resource by resource: the command writes the plan and exits (see `resources`).
        plan.resources = assessment.resources.into_iter().map(|a| a.resource).collect();
        plan
    }

    /// The plan, and the assessment it was built from, given back whole (the workbook and `report` show both).
    pub fn build_keeping(
        assessment: AssessmentReport,
        rules: &DependencyRules,
        target: PlanTarget,
    ) -> (Self, AssessmentReport) {
        let AssessmentReport {
            schema_version,
            tool,
            inputs,
            resources: assessed,
            subscriptions,
            summary,
            commitments,
            rules: fired,
            billing,
        } = assessment;
        let mut resources = Vec::with_capacity(assessed.len());
        let mut verdicts = Vec::with_capacity(assessed.len());
        for a in assessed {
            resources.push(a.resource);
            verdicts.push(Assessed {
                status: a.csp_status,
                reasons: a.reasons,
                suggested_approach: a.suggested_approach,
                needs_review: a.needs_review,
            });
        }
        let plan = Self::plan(schema_version, tool.clone(), inputs.clone(), &resources, &verdicts, rules, target);
        let resources = resources
            .into_iter()
            .zip(verdicts)
            .map(|(resource, v)| AssessedResource {
                resource,
                csp_status: v.status,
                suggested_approach: v.suggested_approach,
                needs_review: v.needs_review,
                reasons: v.reasons,
            })
            .collect();
        let assessment = AssessmentReport {
            schema_version,
            tool,
            inputs,
            resources,
            commitments,
            subscriptions,
            summary,
            rules: fired,
            billing,
        };
        (plan, assessment)
    }

    fn plan(
        schema_version: u32,
        tool: Tool,
        inputs: Vec<InputSummary>,
        resources: &[Resource],
        verdicts: &[Assessed],
        rules: &DependencyRules,
        target: PlanTarget,
    ) -> Self {
        let graph = DependencyGraph::build(resources, rules);
        let found = batches(resources, &graph);
        let warnings = warnings(&inputs, resources, &graph, &found);
        let planned: Vec<PlanBatch> = found
            .into_iter()
            .map(|batch| plan_batch(batch, resources, verdicts, &graph, &target, &rules.sources))
            .collect();
        let count = |status| planned.iter().filter(|b| b.status == status).count();
        let summary = PlanSummary {
            batches: planned.len(),
            ready: count(BatchStatus::Ready),
            needs_remediation: count(BatchStatus::NeedsRemediation),
            blocked: count(BatchStatus::Blocked),
            resources: resources.len(),
        };
        let edges = graph.edges(resources);
        let external_dependencies = graph.external_dependencies.clone();
        let requests = super::requests::requests(&planned, &rules.move_request);
        let mut warnings = warnings;
        for request in requests.iter().filter(|r| r.over_limit) {
            warnings.push(Warning {
                location: request.batches.join(", "),
                message: format!(
                    "batch {} moves {} resources from {}, more than the {} one move request may carry ({}): split it by hand",
                    request.batches.join(", "),
                    request.resources,
                    request.resource_group,
                    rules.move_request.max_resources,
                    rules.move_request.source
                ),
            });
        }
        PlanReport {
            schema_version,
            tool,
            inputs,
            target,
            warnings,
            batches: planned,
            requests,
            edges,
            external_dependencies,
            summary,
            resources: Vec::new(),
            sources: rules.sources.clone(),
        }
    }
}

fn warnings(
    inputs: &[InputSummary],
    resources: &[Resource],
    graph: &DependencyGraph,
    batches: &[Batch],
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if !graph.without_properties.is_empty() {
        let all = graph.no_dependency_data();
        for input in inputs {
            let without = graph
                .without_properties
                .iter()
                .filter(|&&i| resources[i].sources.iter().any(|s| s.path == input.path))
                .count();
            if without == 0 {
                continue;
            }
            let message = if all {
                format!(
                    "no dependency data was available: none of the {without} resource(s) of this input carries \
                     `properties` (az resource list and portal exports do not), so each resource is its own batch; \
                     export the estate with Azure Resource Graph (az graph query) to plan its dependencies"
                )
            } else {
                format!(
                    "no dependency data was available for {without} resource(s) of this input (no `properties`): \
                     each is its own batch unless another resource refers to it"
                )
            };
            warnings.push(Warning { location: input.path.clone(), message });
        }
        if warnings.is_empty() {
            let message = format!(
                "no dependency data was available for {} resource(s) (no `properties`): each is its own batch \
                 unless another resource refers to it",
                graph.without_properties.len()
            );
            warnings.push(Warning { location: "plan".to_string(), message });
        }
    }
    for batch in batches.iter().filter(|b| b.subscription_ids.len() > 1) {
        warnings.push(Warning {
            location: format!("batch {}", batch.id),
            message: format!(
                "the batch spans subscriptions {}: resources that must move together sit in different subscriptions; \
                 it is planned from {}",
                batch.subscription_ids.join(", "),
                batch.subscription_id.as_deref().unwrap_or("(none)")
            ),
        });
    }
    warnings
}

fn lower_type(resource: &Resource) -> String {
    resource.resource_type.to_ascii_lowercase()
}

fn is_storage_account(resource: &Resource) -> bool {
    matches!(
        lower_type(resource).as_str(),
        "microsoft.storage/storageaccounts" | "microsoft.classicstorage/storageaccounts"
    )
}

fn is_classic_vm(resource: &Resource) -> bool {
    lower_type(resource) == "microsoft.classiccompute/virtualmachines"
}

/// A resource's group as spelled (its own field, else from its ID).
fn group_of(resource: &Resource) -> Option<String> {
    resource.resource_group.clone().or_else(|| resource_id::parse(&resource.id).and_then(|id| id.resource_group))
}

fn location_of(resource: &Resource) -> Option<String> {
    resource.location.as_deref().map(normalize_location).filter(|l| !l.is_empty() && l != "global")
}

/// The members of `properties` the plan itself reads (the cloud service and the reserved IP's attachment of a
/// classic resource, below); a reader keeps them with the rules' paths.
pub const PROPERTIES_READ: &[&str] = &["properties.domainName", "properties.attachedTo"];

fn property_name(resource: &Resource, key: &str) -> Option<String> {
    let value = resource.properties.as_ref()?.value().get(key)?.clone();
    value
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .or_else(|| value.get("id").and_then(|id| id.as_str()).and_then(|id| id.rsplit('/').next().map(str::to_string)))
        .filter(|n| !n.is_empty())
}

/// The resource group a classic resource lands in after the Resource Manager upgrade (seed L14957–L14961):
/// `[cloud service]-migrated` for a cloud service, its VMs and its reserved IP, `[virtual network]-migrated`,
/// `[storage account]-migrated`. `None` when the upgrade does not say (the resource keeps its group).
fn upgraded_group(resource: &Resource) -> Option<String> {
    if resource.deployment_model != DeploymentModel::Classic {
        return None;
    }
    let base = match lower_type(resource).as_str() {
        "microsoft.classiccompute/domainnames"
        | "microsoft.classicnetwork/virtualnetworks"
        | "microsoft.classicstorage/storageaccounts" => Some(resource.name.clone()),
        // The cloud service a classic VM belongs to; Resource Graph puts the VM in a group named after it.
        "microsoft.classiccompute/virtualmachines" => {
            property_name(resource, "domainName").or_else(|| group_of(resource))
        }
        "microsoft.classicnetwork/reservedips" => property_name(resource, "attachedTo"),
        _ => None,
    }?;
    Some(format!("{base}-migrated"))
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The moving members that are child resources without their parent in the inventory, with the parent's ID.
fn missing_parents<'g>(moving: &[usize], graph: &'g DependencyGraph) -> Vec<(usize, &'g str)> {
    let parent_of = |i: usize| {
        let found = graph.missing_parents.binary_search_by_key(&i, |(child, _)| *child).ok()?;
        Some((i, graph.missing_parents[found].1.as_str()))
    };
    moving.iter().filter_map(|&i| parent_of(i)).collect()
}

fn move_with_parent_reason(child: &Resource, parent: &str) -> String {
    format!(
        "move it with its parent: {} is a child resource of {parent}, which is not in the inventory (a usage export \
         bills a child without its parent; a resource list may leave the parent out). A child resource cannot move \
         on its own: add the parent to the inventory (export the resource list with it) and plan again, so both \
         are planned in one batch",
        child.name
    )
}

/// Consumes the batch: its member IDs move into the plan (an estate's IDs are not held twice).
fn plan_batch(
    batch: Batch,
    resources: &[Resource],
    verdicts: &[Assessed],
    graph: &DependencyGraph,
    target: &PlanTarget,
    sources: &Sources,
) -> PlanBatch {
    let facts = BatchFacts::new(&batch, resources, verdicts, graph);
    let blockers = blockers(&batch, &facts);
    let mut steps = Steps { resources, sources, steps: Vec::new() };
    // 1. Classic members: upgrade first, then remove the secrets dependency of the former classic VMs.
    let classic = ClassicUpgrade::new(&facts);
    upgrade_classic_steps(&classic, &facts, &mut steps);
    // 2. MODIFY members: resolve what the assessment says.
    resolve_steps(&facts, &mut steps);
    // 2b. Child resources whose parent is not in the inventory: never moved on their own.
    let orphans = move_with_parent_steps(&facts, &mut steps);
    let other_region = other_region_storage(&facts);
    // 3. Consolidation into the group that holds the most members.
    let consolidated = consolidate_step(&batch, &facts, &other_region, &classic.created, &mut steps);
    // 4. Other-region storage accounts: a separate move, before the batch.
    move_storage_steps(&facts, &other_region, target, &mut steps);

    let needs_remediation = !other_region.is_empty() || !classic.members.is_empty() || !orphans.is_empty();
    let status = batch_status(&batch, &facts, &blockers, needs_remediation);
    let resource_group = consolidated
        .map(|(_, _, name)| name)
        .or_else(|| batch.largest_resource_group(resources).map(|g| facts.spell(&g)));
    PlanBatch {
        id: batch.id.clone(),
        subscription_id: batch.subscription_id.clone(),
        resource_group,
        resource_groups: batch.resource_groups.iter().map(|g| facts.spell(g)).collect(),
        locations: batch.locations.clone(),
        status,
        resources: batch.resources,
        blockers,
        remediation: steps.numbered(),
        upgraded_groups: classic.upgraded_groups,
    }
}

/// What a batch's steps are worked out from: the estate, and the batch's moving members and group spellings.
struct BatchFacts<'a> {
    resources: &'a [Resource],
    verdicts: &'a [Assessed],
    graph: &'a DependencyGraph,
    /// Group names as first spelled by a member, keyed by lowercase.
    spelled: BTreeMap<String, String>,
    /// The members that will move: not BLOCKED (those are excluded from the migration).
    moving: Vec<usize>,
    /// Membership is tested per member and per edge: sets keep a batch of thousands of members linear.
    is_moving: HashSet<usize>,
}

impl<'a> BatchFacts<'a> {
    fn new(batch: &Batch, resources: &'a [Resource], verdicts: &'a [Assessed], graph: &'a DependencyGraph) -> Self {
        let mut spelled: BTreeMap<String, String> = BTreeMap::new();
        for &i in &batch.members {
            if let Some(group) = group_of(&resources[i]) {
                spelled.entry(group.to_ascii_lowercase()).or_insert(group);
            }
        }
        let moving: Vec<usize> =
            batch.members.iter().copied().filter(|&i| verdicts[i].status != CspStatus::Blocked).collect();
        let is_moving: HashSet<usize> = moving.iter().copied().collect();
        BatchFacts { resources, verdicts, graph, spelled, moving, is_moving }
    }

    fn spell(&self, lower: &str) -> String {
        self.spelled.get(lower).cloned().unwrap_or_else(|| lower.to_string())
    }

    /// A group as a member spells it today, else as computed (the `-migrated` groups).
    fn spell_or(&self, lower: &str, computed: &str) -> String {
        self.spelled.get(lower).cloned().unwrap_or_else(|| computed.to_string())
    }
}

/// A batch's remediation steps, in the order they are added; numbered once all are in.
struct Steps<'a> {
    resources: &'a [Resource],
    /// The pack's sources registry, to resolve the plan's own citations (the `SOURCE_*` texts) with.
    sources: &'a Sources,
    steps: Vec<RemediationStep>,
}

impl Steps<'_> {
    /// One of the plan's own citations (`<key>: <locator>`), resolved with the registry.
    fn cite(&self, source: &str) -> Cited {
        self.sources.cited(source)
    }

    fn add(
        &mut self,
        action: PlanCode,
        members: &[usize],
        from: Option<String>,
        to: Option<String>,
        reason: String,
        source: Cited,
    ) {
        self.steps.push(RemediationStep {
            order: 0,
            action: action.as_str().to_string(),
            resources: members.iter().map(|&i| self.resources[i].id.clone()).collect(),
            from,
            to,
            reason,
            source,
        });
    }

    fn numbered(mut self) -> Vec<RemediationStep> {
        for (k, s) in self.steps.iter_mut().enumerate() {
            s.order = k + 1;
        }
        self.steps
    }
}

/// The BLOCKED members, each with its first reason.
fn blockers(batch: &Batch, facts: &BatchFacts) -> Vec<Blocker> {
    let (resources, verdicts) = (facts.resources, facts.verdicts);
    batch
        .members
        .iter()
        .filter(|&&i| verdicts[i].status == CspStatus::Blocked)
        .map(|&i| {
            let reason = verdicts[i].reasons.first();
            Blocker {
                resource: resources[i].id.clone(),
                code: reason.map(|r| r.code.clone()).unwrap_or_default(),
                message: reason.map(|r| r.message.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The classic members that move, and the resource groups their upgrade to Resource Manager puts them in.
struct ClassicUpgrade {
    members: Vec<usize>,
    /// Each upgraded member's ID with its group after the upgrade.
    upgraded_groups: Vec<(String, String)>,
    /// The groups the upgrade creates, once each (compared case-insensitively).
    created: Vec<String>,
}

impl ClassicUpgrade {
    fn new(facts: &BatchFacts) -> Self {
        let (resources, moving) = (facts.resources, &facts.moving);
        let classic: Vec<usize> =
            moving.iter().copied().filter(|&i| resources[i].deployment_model == DeploymentModel::Classic).collect();
        let upgraded_groups: Vec<(String, String)> = classic
            .iter()
            .filter_map(|&i| upgraded_group(&resources[i]).map(|g| (resources[i].id.clone(), g)))
            .collect();
        let mut created: Vec<String> = upgraded_groups.iter().map(|(_, g)| g.clone()).collect();
        created.sort_by_key(|g| g.to_ascii_lowercase());
        created.dedup_by_key(|g| g.to_ascii_lowercase());
        ClassicUpgrade { members: classic, upgraded_groups, created }
    }
}

/// Upgrade the classic members first, then remove the secrets dependency of the former classic VMs.
fn upgrade_classic_steps(upgrade: &ClassicUpgrade, facts: &BatchFacts, steps: &mut Steps) {
    let (resources, classic, created) = (facts.resources, &upgrade.members, &upgrade.created);
    if !classic.is_empty() {
        let names: Vec<String> = classic.iter().map(|&i| resources[i].name.clone()).collect();
        let creates = if created.is_empty() {
            String::new()
        } else {
            format!("; the upgrade creates the resource group(s) {}", join_names(created))
        };
        steps.add(
            PlanCode::UpgradeClassic,
            classic,
            None,
            None,
            format!(
                "classic (Azure Service Management) resources cannot move to CSP: upgrade {} to Resource Manager \
                 first, with the platform-supported migration (ASM to CSP, two steps){creates}",
                join_names(&names)
            ),
            steps.cite(SOURCE_UPGRADE),
        );
        let vms: Vec<usize> = classic.iter().copied().filter(|&i| is_classic_vm(&resources[i])).collect();
        if !vms.is_empty() {
            let names: Vec<String> = vms.iter().map(|&i| resources[i].name.clone()).collect();
            steps.add(
                PlanCode::RemoveSecretsDependency,
                &vms,
                None,
                None,
                format!(
                    "after the upgrade, remove the WinRM \"secrets\" dependency (osProfile.secrets) of the former \
                     classic VM(s) {} before moving them to the CSP subscription",
                    join_names(&names)
                ),
                steps.cite(SOURCE_SECRETS),
            );
        }
    }
}

/// MODIFY members: resolve what the assessment says.
fn resolve_steps(facts: &BatchFacts, steps: &mut Steps) {
    let verdicts = facts.verdicts;
    for &i in facts.moving.iter().filter(|&&i| verdicts[i].status == CspStatus::Modify) {
        let (message, source) = verdicts[i]
            .reasons
            .first()
            .map(|r| (r.message.clone(), r.source.clone()))
            .unwrap_or_else(|| ("the assessment marks it MODIFY".to_string(), Cited::default()));
        steps.add(PlanCode::Resolve, &[i], None, None, format!("resolve: {message}"), source);
    }
}

/// Child resources whose parent is not in the inventory: never moved on their own. Returns them.
fn move_with_parent_steps<'g>(facts: &BatchFacts<'g>, steps: &mut Steps) -> Vec<(usize, &'g str)> {
    let resources = facts.resources;
    let orphans = missing_parents(&facts.moving, facts.graph);
    for (i, parent) in &orphans {
        steps.add(
            PlanCode::MoveWithParent,
            &[*i],
            None,
            None,
            move_with_parent_reason(&resources[*i], parent),
            steps.cite(SOURCE_CHILD),
        );
    }
    orphans
}

/// Storage accounts in another region than the members that use them move on their own: each with those users.
fn other_region_storage(facts: &BatchFacts) -> Vec<(usize, Vec<usize>)> {
    let (resources, graph, is_moving) = (facts.resources, facts.graph, &facts.is_moving);
    facts
        .moving
        .iter()
        .copied()
        .filter(|&i| is_storage_account(&resources[i]))
        .filter_map(|s| {
            let here = location_of(&resources[s])?;
            let mut users: Vec<usize> = graph
                .graph
                .edges_directed(NodeIndex::new(s), Direction::Incoming)
                .map(|e| graph.graph[e.source()])
                .filter(|&u| u != s && is_moving.contains(&u))
                .filter(|&u| location_of(&resources[u]).is_some_and(|l| l != here))
                .collect();
            users.sort_unstable();
            users.dedup();
            (!users.is_empty()).then_some((s, users))
        })
        .collect()
}

/// Consolidation: where each member sits after the upgrade; the may-stay-in-group members and the storage
/// accounts that move separately are not counted. BLOCKED members count for the choice of the group (they are
/// part of the batch as it stands) but are not moved into it: they are excluded from the migration. Returns the
/// group chosen (lowercase, members it holds, as spelled), if any.
fn consolidate_step(
    batch: &Batch,
    facts: &BatchFacts,
    other_region: &[(usize, Vec<usize>)],
    created: &[String],
    steps: &mut Steps,
) -> Option<(String, usize, String)> {
    let (resources, is_moving) = (facts.resources, &facts.is_moving);
    let not_counted: HashSet<usize> =
        batch.may_stay_in_group.iter().copied().chain(other_region.iter().map(|(s, _)| *s)).collect();
    let after: Vec<(usize, String)> = batch
        .members
        .iter()
        .copied()
        .filter(|i| !not_counted.contains(i))
        .filter_map(|i| upgraded_group(&resources[i]).or_else(|| group_of(&resources[i])).map(|g| (i, g)))
        .collect();
    let mut counts: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (_, group) in &after {
        counts.entry(group.to_ascii_lowercase()).or_insert((0, group.clone())).0 += 1;
    }
    let mut ranked: Vec<(String, usize, String)> =
        counts.into_iter().map(|(lower, (count, spelled))| (lower, count, spelled)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let consolidated = ranked.first().map(|(lower, count, spelled)| {
        let name = facts.spell_or(lower, spelled);
        (lower.clone(), *count, name)
    });
    let leaving = |target: &str, (i, g): &&(usize, String)| g.to_ascii_lowercase() != target && is_moving.contains(i);
    if ranked.len() > 1
        && let Some((target_lower, held, target_name)) = &consolidated
        && after.iter().any(|m| leaving(target_lower, &m))
    {
        let leaving = |m: &&(usize, String)| leaving(target_lower, m);
        let movers: Vec<usize> = after.iter().filter(leaving).map(|(i, _)| *i).collect();
        let mut from: Vec<String> =
            after.iter().filter(leaving).map(|(_, g)| facts.spell_or(&g.to_ascii_lowercase(), g)).collect();
        from.sort_by_key(|g| g.to_ascii_lowercase());
        from.dedup_by_key(|g| g.to_ascii_lowercase());
        let all: Vec<String> = ranked.iter().map(|(l, _, s)| facts.spell_or(l, s)).collect();
        let (when, source) = if created.is_empty() {
            ("", SOURCE_CONSOLIDATE)
        } else {
            ("after the upgrade, ", SOURCE_CONSOLIDATE_CLASSIC)
        };
        let names: Vec<String> = movers.iter().map(|&i| resources[i].name.clone()).collect();
        steps.add(
            PlanCode::ConsolidateResourceGroup,
            &movers,
            Some(from.join(", ")),
            Some(target_name.clone()),
            format!(
                "{when}the batch spans {}: a cross-subscription move needs every resource and its dependencies in \
                 one resource group. Move {} into {target_name}, which already holds {held} of the {} members (the \
                 most), so the fewest resources move",
                join_names(&all),
                join_names(&names),
                after.len()
            ),
            steps.cite(source),
        );
    }
    consolidated
}

/// Other-region storage accounts: a separate move, before the batch.
fn move_storage_steps(
    facts: &BatchFacts,
    other_region: &[(usize, Vec<usize>)],
    target: &PlanTarget,
    steps: &mut Steps,
) {
    let resources = facts.resources;
    for (s, users) in other_region {
        let account = &resources[*s];
        let here = location_of(account).unwrap_or_default();
        let mut regions: Vec<String> = users.iter().filter_map(|&u| location_of(&resources[u])).collect();
        regions.sort();
        regions.dedup();
        let names: Vec<String> = users.iter().map(|&u| resources[u].name.clone()).collect();
        steps.add(
            PlanCode::MoveStorageSeparately,
            &[*s],
            group_of(account),
            Some(target.resource_group_or_placeholder()),
            format!(
                "storage account {} is in {here}, the resources using it ({}) in {}: a move request holding both \
                 fails with MoveResourcesNotFound. Move it in a step of its own, before the batch (Microsoft's Azure CSP \
                 documentation allows either order: after the other resources, or first)",
                account.name,
                join_names(&names),
                join_names(&regions)
            ),
            steps.cite(SOURCE_STORAGE),
        );
    }
}

/// BLOCKED with a blocker; NEEDS REMEDIATION when it spans groups, has MODIFY members or one of the other steps
/// (`needs_remediation`: other-region storage, classic members, children without their parent); else READY.
fn batch_status(batch: &Batch, facts: &BatchFacts, blockers: &[Blocker], needs_remediation: bool) -> BatchStatus {
    let (resources, verdicts) = (facts.resources, facts.verdicts);
    let spans_groups = batch.resource_group_counts(resources).len() > 1;
    if !blockers.is_empty() {
        BatchStatus::Blocked
    } else if spans_groups
        || needs_remediation
        || batch.members.iter().any(|&i| verdicts[i].status == CspStatus::Modify)
    {
        BatchStatus::NeedsRemediation
    } else {
        BatchStatus::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[
            SOURCE_UPGRADE,
            SOURCE_SECRETS,
            SOURCE_CONSOLIDATE,
            SOURCE_CONSOLIDATE_CLASSIC,
            SOURCE_STORAGE,
            SOURCE_CHILD,
        ]);
    }
}
