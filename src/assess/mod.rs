//! The assessment: every resource of the inventory classified by the rules (`classify`), rolled up
//! per subscription, with the rules that fired and those that never matched.
//!
//! JSON contract: the inventory's (schema_version 1), each resource extended with `csp_status`,
//! `suggested_approach`, `needs_review` and `reasons`; plus `subscriptions` and `rules`, and
//! `summary` extended with the status counts.

pub mod classify;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::inventory::{InventoryReport, Tool};
use crate::model::codes::AssessCode;
use crate::model::{Cited, CspStatus, DeploymentModel, Reason, Resource, SuggestedApproach};
use crate::read::InputSummary;
use crate::rules::AssessRules;

pub use classify::{Verdict, classify};

#[derive(Debug, Clone, Serialize)]
pub struct AssessedResource {
    #[serde(flatten)]
    pub resource: Resource,
    pub csp_status: CspStatus,
    pub suggested_approach: SuggestedApproach,
    pub needs_review: bool,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionStatus {
    pub id: Option<String>,
    pub name: Option<String>,
    /// The worst status of its resources (BLOCKED > MODIFY > NO ISSUES).
    pub csp_status: CspStatus,
    pub resources: usize,
    pub no_issues: usize,
    pub modify: usize,
    pub blocked: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessSummary {
    pub resources: usize,
    pub subscriptions: usize,
    pub classic: usize,
    pub usage_rows: u64,
    pub no_issues: usize,
    pub modify: usize,
    pub blocked: usize,
    pub needs_review: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleUse {
    pub rule: String,
    pub code: String,
    #[serde(flatten)]
    pub source: Cited,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleRef {
    pub rule: String,
    pub code: String,
    #[serde(flatten)]
    pub source: Cited,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulesReport {
    pub fired: Vec<RuleUse>,
    /// Entries of move-conditions.toml and classic-upgrade.toml that no resource matched (the data
    /// tables — 757 move-support rows, the matrix — are not listed).
    pub never_matched: Vec<RuleRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Vec<InputSummary>,
    pub resources: Vec<AssessedResource>,
    /// Reservations, savings plans, Marketplace purchases and purchase rows: not resources, not assessed.
    pub commitments: Vec<crate::model::Commitment>,
    pub subscriptions: Vec<SubscriptionStatus>,
    pub summary: AssessSummary,
    pub rules: RulesReport,
    /// The usage exports' billing facts, by subscription (for `transfer`); not in the JSON contract.
    #[serde(skip)]
    pub billing: crate::model::billing::BillingFacts,
}

impl AssessmentReport {
    pub fn build(inventory: InventoryReport, rules: &AssessRules) -> Self {
        let usage_rows = inventory.summary.usage_rows;
        let resources: Vec<AssessedResource> = inventory
            .resources
            .into_iter()
            .map(|resource| {
                let verdict = classify(&resource, rules);
                AssessedResource {
                    resource,
                    csp_status: verdict.csp_status,
                    suggested_approach: verdict.suggested_approach,
                    needs_review: verdict.needs_review,
                    reasons: verdict.reasons,
                }
            })
            .collect();
        let subscriptions = subscriptions(&resources);
        let count = |status| resources.iter().filter(|r| r.csp_status == status).count();
        let summary = AssessSummary {
            resources: resources.len(),
            subscriptions: subscriptions.iter().filter(|s| s.id.is_some()).count(),
            classic: resources.iter().filter(|r| r.resource.deployment_model == DeploymentModel::Classic).count(),
            usage_rows,
            no_issues: count(CspStatus::NoIssues),
            modify: count(CspStatus::Modify),
            blocked: count(CspStatus::Blocked),
            needs_review: resources.iter().filter(|r| r.needs_review).count(),
        };
        let rules = rules_report(&resources, rules);
        AssessmentReport {
            schema_version: inventory.schema_version,
            tool: inventory.tool,
            inputs: inventory.inputs,
            resources,
            commitments: inventory.commitments,
            subscriptions,
            summary,
            rules,
            billing: inventory.billing,
        }
    }
}

impl AssessmentReport {
    /// `properties` stay out of the output unless asked for (`--with-properties`).
    pub fn drop_properties(&mut self) {
        for assessed in &mut self.resources {
            assessed.resource.properties = None;
            assessed.resource.plan = None;
        }
    }
}

/// Per subscription (by ID, case-insensitive), sorted by ID; resources without one are grouped last.
fn subscriptions(resources: &[AssessedResource]) -> Vec<SubscriptionStatus> {
    let mut by_id: BTreeMap<Option<String>, SubscriptionStatus> = BTreeMap::new();
    for assessed in resources {
        let resource = &assessed.resource;
        let key = resource.subscription_id.as_deref().map(str::to_ascii_lowercase);
        let entry = by_id.entry(key).or_insert_with(|| SubscriptionStatus {
            id: resource.subscription_id.clone(),
            name: None,
            csp_status: CspStatus::NoIssues,
            resources: 0,
            no_issues: 0,
            modify: 0,
            blocked: 0,
        });
        if entry.name.is_none() {
            entry.name = resource.subscription_name.clone();
        }
        entry.resources += 1;
        entry.csp_status = entry.csp_status.max(assessed.csp_status);
        match assessed.csp_status {
            CspStatus::NoIssues => entry.no_issues += 1,
            CspStatus::Modify => entry.modify += 1,
            CspStatus::Blocked => entry.blocked += 1,
        }
    }
    let (known, unknown): (Vec<_>, Vec<_>) = by_id.into_iter().partition(|(key, _)| key.is_some());
    known.into_iter().chain(unknown).map(|(_, status)| status).collect()
}

fn rules_report(resources: &[AssessedResource], rules: &AssessRules) -> RulesReport {
    let mut fired: BTreeMap<(String, String), RuleUse> = BTreeMap::new();
    for reason in resources.iter().flat_map(|r| &r.reasons) {
        let key = (reason.rule.clone(), reason.code.clone());
        fired
            .entry(key)
            .or_insert_with(|| RuleUse {
                rule: reason.rule.clone(),
                code: reason.code.clone(),
                source: reason.source.clone(),
                count: 0,
            })
            .count += 1;
    }
    let used: BTreeSet<&str> = fired.values().map(|u| u.rule.as_str()).collect();
    let conditions = rules.conditions.conditions.iter().map(|c| (&c.rule, c.code.as_str(), &c.source));
    let classic = rules.classic.rules.iter().map(|c| {
        let code = if c.upgrade { AssessCode::ClassicUpgradeFirst } else { AssessCode::ClassicNoUpgrade }.as_str();
        (&c.rule, code, &c.source)
    });
    let never_matched = conditions
        .chain(classic)
        .filter(|(rule, _, _)| !used.contains(rule.as_str()))
        .map(|(rule, code, source)| RuleRef { rule: rule.clone(), code: code.to_string(), source: source.clone() })
        .collect();
    let mut fired: Vec<RuleUse> = fired.into_values().collect();
    fired.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    RulesReport { fired, never_matched }
}
