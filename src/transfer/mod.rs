//! `transfer`: how each subscription reaches the partner's Azure plan (billing transfer, resource move, partner
//! transfer or redeploy), how sure that is, who must act, what does not carry over, and the fate of every
//! reservation, savings plan, Marketplace item and purchase. Decided from the exports' facts and the customer
//! file with the rules of `rules/transfer-paths.toml`.

pub mod facts;
mod partner_change;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::inventory::{InventoryReport, Tool};
use crate::model::billing::BillingFacts;
use crate::model::codes::TransferCode;
use crate::model::transfer::{CheckId, CustomerFacts, Fate, TransferPath, TransferVerdict};
use crate::model::{Cited, Commitment, DeploymentModel, Resource, Warning};
use crate::read::InputSummary;
use crate::rules::transfer::{AgreementRule, PartnerRequirement, Sourced, TransferRules};
use facts::{Agreement, Fact, SubscriptionFacts};
pub use partner_change::PartnerChange;

pub const SCHEMA_VERSION: u32 = 1;

/// Why: a stable code, a sentence, and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferReason {
    pub code: String,
    pub message: String,
    #[serde(flatten)]
    pub source: Cited,
}

/// Someone who must act; `deadline_days` when the step expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferAction {
    pub who: String,
    pub what: String,
    pub deadline_days: Option<u32>,
    #[serde(flatten)]
    pub source: Cited,
}

/// A prerequisite, or something that does not carry over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub text: String,
    #[serde(flatten)]
    pub source: Cited,
}

impl From<&Sourced> for Item {
    fn from(sourced: &Sourced) -> Self {
        Item { text: sourced.text.clone(), source: sourced.source.clone() }
    }
}

/// One subscription's way into CSP.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionTransfer {
    pub subscription_id: String,
    pub name: Option<String>,
    pub facts: Vec<Fact>,
    pub path: TransferPath,
    pub verdict: TransferVerdict,
    pub reasons: Vec<TransferReason>,
    pub actions: Vec<TransferAction>,
    pub prerequisites: Vec<Item>,
    pub does_not_carry_over: Vec<Item>,
}

/// A commitment of the inventory with its fate on its subscription's path.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentFate {
    pub kind: String,
    pub id: String,
    pub name: Option<String>,
    pub subscription_id: Option<String>,
    pub cost: Decimal,
    pub currency: Option<String>,
    pub fate: Fate,
    pub reasons: Vec<TransferReason>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TransferSummary {
    pub subscriptions: usize,
    pub by_path: BTreeMap<&'static str, usize>,
    pub by_verdict: BTreeMap<&'static str, usize>,
    pub commitments: usize,
    pub commitments_by_fate: BTreeMap<&'static str, usize>,
}

/// Who the customer is, as the customer file names it.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerSummary {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub billing_country: Option<String>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransferReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Vec<InputSummary>,
    pub customer: Option<CustomerSummary>,
    pub subscriptions: Vec<SubscriptionTransfer>,
    pub commitments: Vec<CommitmentFate>,
    pub partner_change: PartnerChange,
    /// The licence notes of the servers that migrate, each with its servers (`report`, from the workloads).
    pub licences: Vec<LicenceGroup>,
    pub warnings: Vec<Warning>,
    pub summary: TransferSummary,
}

impl crate::output::Json for TransferReport {}

/// One licence note and the servers it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct LicenceGroup {
    pub code: String,
    pub message: String,
    #[serde(flatten)]
    pub source: Cited,
    pub servers: Vec<String>,
}

impl TransferReport {
    /// Adds the licence notes of the workloads' servers, grouped by note.
    pub fn add_licences(&mut self, workloads: &crate::workloads::WorkloadReport) {
        for server in &workloads.servers {
            for note in &server.licence_notes {
                match self.licences.iter_mut().find(|g| g.code == note.code) {
                    Some(group) => group.servers.push(server.name.clone()),
                    None => self.licences.push(LicenceGroup {
                        code: note.code.clone(),
                        message: note.message.clone(),
                        source: note.source.clone(),
                        servers: vec![server.name.clone()],
                    }),
                }
            }
        }
    }
}

/// A fate's reason code.
fn fate_code(fate: Fate) -> &'static str {
    match fate {
        Fate::Transfers => TransferCode::FateTransfers.as_str(),
        Fate::StaysAtSource => TransferCode::FateStaysAtSource.as_str(),
        Fate::Cancelled => TransferCode::FateCancelled.as_str(),
        Fate::Conditional => TransferCode::FateConditional.as_str(),
    }
}

fn reason(code: impl Into<String>, message: impl Into<String>, source: &Cited) -> TransferReason {
    TransferReason { code: code.into(), message: message.into(), source: source.clone() }
}

/// What the transfer is decided from: the estate's inputs, resources, commitments and billing facts (an
/// inventory's, or an assessment's in `report`).
pub struct Estate<'a> {
    pub inputs: &'a [InputSummary],
    pub resources: Vec<&'a Resource>,
    pub commitments: &'a [Commitment],
    pub billing: &'a BillingFacts,
}

impl<'a> From<&'a InventoryReport> for Estate<'a> {
    fn from(inventory: &'a InventoryReport) -> Self {
        Estate {
            inputs: &inventory.inputs,
            resources: inventory.resources.iter().collect(),
            commitments: &inventory.commitments,
            billing: &inventory.billing,
        }
    }
}

impl<'a> From<&'a crate::assess::AssessmentReport> for Estate<'a> {
    fn from(assessment: &'a crate::assess::AssessmentReport) -> Self {
        Estate {
            inputs: &assessment.inputs,
            resources: assessment.resources.iter().map(|r| &r.resource).collect(),
            commitments: &assessment.commitments,
            billing: &assessment.billing,
        }
    }
}

/// The subscriptions an estate names (resources, billing facts, commitments), with a name where one is known.
fn subscriptions(inventory: &Estate) -> BTreeMap<String, (String, Option<String>)> {
    let mut found: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for resource in &inventory.resources {
        let Some(id) = resource.subscription_id.as_deref() else { continue };
        let entry = found.entry(id.to_ascii_lowercase()).or_insert_with(|| (id.to_string(), None));
        if entry.1.is_none() {
            entry.1 = resource.subscription_name.clone();
        }
    }
    let more = inventory.billing.subscriptions().map(|(id, _)| id.as_str());
    let more = more.chain(inventory.commitments.iter().filter_map(|c| c.subscription_id.as_deref()));
    for id in more {
        found.entry(id.to_ascii_lowercase()).or_insert_with(|| (id.to_string(), None));
    }
    found
}

impl TransferReport {
    pub fn build(inventory: &Estate, customer: Option<&CustomerFacts>, rules: &TransferRules) -> Self {
        let mut warnings = Vec::new();
        let mut planned = Vec::new();
        for (key, (id, name)) in subscriptions(inventory) {
            let classic = inventory.resources.iter().any(|r| {
                r.deployment_model == DeploymentModel::Classic
                    && r.subscription_id.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&key))
            });
            let listed_tenant = inventory.resources.iter().find_map(|r| {
                let mine = r.subscription_id.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&key));
                Some((
                    r.tenant_id.clone().filter(|_| mine)?,
                    r.sources.first().map(|s| s.path.clone()).unwrap_or_default(),
                ))
            });
            let facts = facts::gather(inventory.billing.get(&key), listed_tenant, customer, &id, rules);
            for message in &facts.warnings {
                warnings.push(Warning { location: "customer file".to_string(), message: message.clone() });
            }
            let own_name = customer.and_then(|c| c.subscriptions.get(&key)).and_then(|s| s.name.clone());
            planned.push(decide(id, own_name.or(name), facts, classic, customer, rules));
        }
        let commitments = inventory.commitments.iter().map(|c| commitment_fate(c, &planned, customer, rules)).collect();
        let partner_change = PartnerChange::build(&planned, customer, rules);
        let summary = summarize(&planned, &commitments);
        TransferReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            inputs: inventory.inputs.to_vec(),
            customer: customer.map(|c| CustomerSummary {
                name: c.name.clone(),
                currency: c.currency.clone(),
                billing_country: c.billing_country.clone(),
                file: c.file.clone(),
            }),
            subscriptions: planned,
            commitments,
            partner_change,
            licences: Vec::new(),
            warnings,
            summary,
        }
    }
}

fn summarize(planned: &[SubscriptionTransfer], commitments: &Vec<CommitmentFate>) -> TransferSummary {
    let mut summary =
        TransferSummary { subscriptions: planned.len(), commitments: commitments.len(), ..Default::default() };
    for s in planned {
        *summary.by_path.entry(s.path.as_str()).or_default() += 1;
        *summary.by_verdict.entry(s.verdict.as_str()).or_default() += 1;
    }
    for c in commitments {
        *summary.commitments_by_fate.entry(c.fate.as_str()).or_default() += 1;
    }
    summary
}

/// The agreement's path, and the partner facts that decide it.
fn path_of(
    rule: &AgreementRule,
    customer: Option<&CustomerFacts>,
    reasons: &mut Vec<TransferReason>,
    rules: &TransferRules,
) -> (TransferPath, TransferVerdict) {
    reasons.push(reason(format!("agreement-{}", rule.id), rule.message.clone(), &rule.source));
    let partner = customer.map(|c| &c.partner);
    let mut verdict = TransferVerdict::Eligible;
    for requirement in &rule.requires_partner {
        let value = match requirement {
            PartnerRequirement::DirectBill => partner.and_then(|p| p.direct_bill),
            PartnerRequirement::AzureExpertMsp => partner.and_then(|p| p.azure_expert_msp),
        };
        match value {
            Some(true) => {}
            Some(false) => {
                let otherwise = rule.otherwise.unwrap_or(TransferPath::ResourceMove);
                let message = format!(
                    "The partner is not {} (customer file [partner] {} = false): the path is {}.",
                    if *requirement == PartnerRequirement::DirectBill {
                        "a CSP direct-bill partner"
                    } else {
                        "an Azure Expert MSP"
                    },
                    requirement.as_str(),
                    otherwise.as_str()
                );
                reasons.push(reason(TransferCode::PartnerNotEligible.as_str(), message, &rule.source));
                return (otherwise, TransferVerdict::Eligible);
            }
            None => {
                let check = rules.check(CheckId::PartnerUnknown);
                if !reasons.iter().any(|r| r.code == CheckId::PartnerUnknown.as_str()) {
                    reasons.push(reason(CheckId::PartnerUnknown.as_str(), check.message.clone(), &check.source));
                }
                verdict = verdict.worst(check.verdict);
            }
        }
    }
    for statement in &rule.statements {
        reasons.push(reason(TransferCode::PagesDisagree.as_str(), statement.text.clone(), &statement.source));
        verdict = verdict.worst(TransferVerdict::Conditional);
    }
    (rule.path, verdict)
}

/// One subscription's path, verdict, actions and losses.
fn decide(
    subscription_id: String,
    name: Option<String>,
    facts: SubscriptionFacts,
    classic: bool,
    customer: Option<&CustomerFacts>,
    rules: &TransferRules,
) -> SubscriptionTransfer {
    let mut reasons = Vec::new();
    let raise = |id: CheckId, reasons: &mut Vec<TransferReason>, path: TransferPath| -> TransferVerdict {
        let check = rules.check(id);
        if !check.paths.contains(&path) {
            return TransferVerdict::Eligible;
        }
        reasons.push(reason(id.as_str(), check.message.clone(), &check.source));
        check.verdict
    };
    let (path, mut verdict) = match &facts.agreement {
        Some(Agreement::Known(id)) => match rules.agreement(id) {
            Some(rule) => path_of(rule, customer, &mut reasons, rules),
            None => {
                (TransferPath::ResourceMove, raise(CheckId::AgreementUnknown, &mut reasons, TransferPath::ResourceMove))
            }
        },
        Some(Agreement::EaChannelUnknown) => {
            let rule = rules.agreement("ea-direct").expect("the rules define ea-direct");
            let (path, verdict) = path_of(rule, customer, &mut reasons, rules);
            (path, verdict.worst(raise(CheckId::EaChannelUnknown, &mut reasons, path)))
        }
        Some(Agreement::Unknown) | None => {
            (TransferPath::ResourceMove, raise(CheckId::AgreementUnknown, &mut reasons, TransferPath::ResourceMove))
        }
    };
    if facts.macc_active == Some(true) {
        verdict = verdict.worst(raise(CheckId::MaccActive, &mut reasons, path));
    }
    if let (Some(own), Some(customer_tenant)) = (&facts.tenant, customer.and_then(|c| c.tenant_id.as_ref()))
        && !own.eq_ignore_ascii_case(customer_tenant)
    {
        verdict = verdict.worst(raise(CheckId::TenantDiffers, &mut reasons, path));
    }
    if facts.dev_test == Some(true) {
        verdict = verdict.worst(raise(CheckId::DevTest, &mut reasons, path));
    }
    let countries = customer.and_then(|c| Some((c.billing_country.as_ref()?, c.partner.country.as_ref()?)));
    if let Some((billing, partner)) = countries
        && crate::rules::transfer::normalize_market(billing) != crate::rules::transfer::normalize_market(partner)
    {
        verdict = verdict.worst(raise(CheckId::CountryDiffers, &mut reasons, path));
    }
    if classic {
        verdict = verdict.worst(raise(CheckId::ClassicResources, &mut reasons, path));
    }
    let route = rules.route(path);
    let deadline = route.deadline.as_ref().map(|(days, _)| *days);
    let actions = route
        .actions
        .iter()
        .map(|a| TransferAction {
            who: a.who.clone(),
            what: a.what.clone(),
            deadline_days: deadline,
            source: a.source.clone(),
        })
        .collect();
    SubscriptionTransfer {
        subscription_id,
        name,
        facts: facts.facts,
        path,
        verdict,
        reasons,
        actions,
        prerequisites: route.prerequisites.iter().map(Item::from).collect(),
        does_not_carry_over: route.does_not_carry_over.iter().map(Item::from).collect(),
    }
}

/// A commitment's fate on its subscription's path; reservations also say when CSP cannot sell them again in the
/// billing country.
fn commitment_fate(
    commitment: &crate::model::Commitment,
    planned: &[SubscriptionTransfer],
    customer: Option<&CustomerFacts>,
    rules: &TransferRules,
) -> CommitmentFate {
    let subscription = commitment
        .subscription_id
        .as_deref()
        .and_then(|id| planned.iter().find(|s| s.subscription_id.eq_ignore_ascii_case(id)));
    let mut reasons = Vec::new();
    let fate = match subscription.and_then(|s| rules.fate(&commitment.kind, s.path).map(|f| (s, f))) {
        Some((s, rule)) => {
            let message =
                format!("On the {} path of subscription {}: {}.", s.path.as_str(), s.subscription_id, rule.message);
            reasons.push(reason(fate_code(rule.fate), message, &rule.source));
            if s.verdict != TransferVerdict::Eligible && rule.fate == Fate::Transfers {
                Fate::Conditional
            } else {
                rule.fate
            }
        }
        None => {
            let check = rules.check(CheckId::AgreementUnknown);
            let message = "The commitment names no subscription of the inventory: its fate follows the path of the subscription it belongs to.";
            reasons.push(reason(TransferCode::SubscriptionUnknown.as_str(), message, &check.source));
            Fate::Conditional
        }
    };
    if commitment.kind == "reservation"
        && let Some(country) = customer.and_then(|c| c.billing_country.as_deref())
        && let Some(market) = rules.reservation_market(country)
    {
        let message = rules.reservations_market_message.replace("{country}", country);
        reasons.push(reason(TransferCode::ReservationsUnavailableMarket.as_str(), message, &market.source));
    }
    CommitmentFate {
        kind: commitment.kind.clone(),
        id: commitment.id.clone(),
        name: commitment.name.clone(),
        subscription_id: commitment.subscription_id.clone(),
        cost: commitment.cost,
        currency: commitment.currency.clone(),
        fate,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_a_code_of_the_registry() {
        for check in CheckId::ALL {
            assert!(TransferCode::parse(check.as_str()).is_some(), "{}", check.as_str());
        }
    }
}
