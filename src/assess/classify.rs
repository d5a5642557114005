//! One resource → CSP Status, Suggested Approach and reasons, by the rule order of issue 3 (first
//! matching rule wins):
//!
//! | # | condition | CSP Status | Suggested Approach | code |
//! |---|---|---|---|---|
//! | 1 | service not available in CSP | BLOCKED | Exclude from migration | `not-in-csp` |
//! | 2 | classic, no upgrade path | BLOCKED | Exclude from migration | `classic-no-upgrade` |
//! | 3 | classic, upgrade path, the type it becomes can move | NO ISSUES | ASM to CSP (two steps migration) | `classic-upgrade-first` |
//! | 4 | cannot move to another subscription (classic: the type it becomes) | BLOCKED | Exclude from migration | `cannot-move-subscription` |
//! | 5 | movable with a condition | MODIFY | ARM to CSP (one step migration) | `move-condition` |
//! | 5b | movable, but an annotated row of the type (`Microsoft.Web/certificates(managed)`) cannot move | MODIFY | ARM to CSP (one step migration) | `move-support-variant` |
//! | 6 | movable | NO ISSUES | ARM to CSP (one step migration) | `movable` / `move-condition-met` |
//! | 7 | type no rule knows | MODIFY | ARM to CSP (one step migration) | `unknown-type` (needs review) |
//!
//! A classic resource is judged by its upgrade path and the type it becomes, never by row 1: the
//! seed's own classic sample rows are NO ISSUES with the two-step approach (002 L14849–L14854).

use crate::model::codes::AssessCode;
use crate::model::{Cited, CspStatus, DeploymentModel, Reason, Resource, SuggestedApproach};
use crate::rules::AssessRules;
use crate::rules::availability::{Offered, ServiceRule};
use crate::rules::move_support::{MoveSupport, Variant};

/// The child-resource rule of Microsoft's move-support page (resolved with the pack's sources registry).
pub const CHILD_RULE_SOURCE: &str = "move-support-resources: \"If you don't see a child resource in this article, you can assume it is moved with the parent resource. If the parent resource doesn't support move, the child resource can't be moved.\"";

/// The notice every classic resource carries (the seed's two-step approach stays as it states it).
const CLASSIC_RETIRED_MESSAGE: &str = "The classic deployment model is retired (classic VMs since 2023-09-01, cloud services and storage accounts in 2024): the platform-supported migration may no longer be available for this resource; if it is not, plan a redeploy in the CSP subscription.";
pub const CLASSIC_RETIRED_SOURCE: &str =
    "asm-retirement: the retirement dates of classic VMs, cloud services and storage accounts";

/// Why a type no rule knows is MODIFY and flagged for review.
pub const UNKNOWN_TYPE_SOURCE: &str =
    "csp-planner-choice: a type no rule knows is flagged for review, never silently NO ISSUES";

#[derive(Debug, Clone)]
pub struct Verdict {
    pub csp_status: CspStatus,
    pub suggested_approach: SuggestedApproach,
    pub needs_review: bool,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    fn new(csp_status: CspStatus, suggested_approach: SuggestedApproach, reason: Reason) -> Self {
        Verdict { csp_status, suggested_approach, needs_review: false, reasons: vec![reason] }
    }

    fn blocked(reason: Reason) -> Self {
        Verdict::new(CspStatus::Blocked, SuggestedApproach::Exclude, reason)
    }
}

fn reason(code: AssessCode, message: String, source: &Cited, rule: &str) -> Reason {
    Reason { code: code.as_str().to_string(), message, source: source.clone(), rule: rule.to_string() }
}

/// "message Workaround: …" when there is a workaround.
fn with_workaround(message: &str, workaround: Option<&str>) -> String {
    match workaround {
        Some(workaround) if !workaround.is_empty() => format!("{message} Workaround: {workaround}"),
        _ => message.to_string(),
    }
}

pub fn classify(resource: &Resource, rules: &AssessRules) -> Verdict {
    if resource.deployment_model == DeploymentModel::Classic {
        let mut verdict = classify_classic(resource, rules);
        verdict.reasons.push(reason(
            AssessCode::ClassicRetired,
            CLASSIC_RETIRED_MESSAGE.to_string(),
            &rules.sources.cited(CLASSIC_RETIRED_SOURCE),
            "-",
        ));
        return verdict;
    }
    // Looked up once: row 1 and the notes below both read them.
    let services = services(resource, rules);
    let mut verdict = not_in_csp(&services).unwrap_or_else(|| classify_arm(resource, rules));
    // Services available with a caveat (Key Vault ACLs, license-based services…) add a note.
    for service in services.iter().filter(|s| s.offered == Offered::Conditional) {
        let message = with_workaround(&service.message, service.workaround.as_deref());
        verdict.reasons.push(reason(AssessCode::CspNote, message, &service.source, &service.rule));
    }
    verdict
}

fn services(resource: &Resource, rules: &AssessRules) -> Vec<ServiceRule> {
    let categories = resource.meters.iter().filter_map(|m| m.meter_category.as_deref());
    rules.availability.services_of(&resource.resource_type, categories)
}

/// Row 1.
fn not_in_csp(services: &[ServiceRule]) -> Option<Verdict> {
    let service = services.iter().find(|s| s.offered == Offered::No)?;
    let message = with_workaround(&service.message, service.workaround.as_deref());
    Some(Verdict::blocked(reason(AssessCode::NotInCsp, message, &service.source, &service.rule)))
}

/// Rows 2–4 and 7 for classic resources.
fn classify_classic(resource: &Resource, rules: &AssessRules) -> Verdict {
    let Some((_, entry)) = rules.classic.lookup(resource) else {
        return unknown(resource, rules, "no rule in classic-upgrade.toml knows this classic type");
    };
    let Some(becomes) = entry.becomes.as_deref().filter(|_| entry.upgrade) else {
        let message = with_workaround(&entry.message, entry.workaround.as_deref());
        return Verdict::blocked(reason(AssessCode::ClassicNoUpgrade, message, &entry.source, &entry.rule));
    };
    match rules.move_support.get(becomes) {
        Some(support) if support.subscription => Verdict::new(
            CspStatus::NoIssues,
            SuggestedApproach::TwoStep,
            reason(
                AssessCode::ClassicUpgradeFirst,
                entry.message.clone(),
                &entry.source.and(&support.source),
                &entry.rule,
            ),
        ),
        Some(support) => Verdict::blocked(reason(
            AssessCode::CannotMoveSubscription,
            format!(
                "{} After the upgrade it is a {becomes}, which cannot move to another subscription.",
                entry.message
            ),
            &entry.source.and(&support.source),
            &support.rule,
        )),
        None => unknown(resource, rules, &format!("the type it upgrades to, {becomes}, is not in move-support.csv")),
    }
}

/// Rows 4–7 for Resource Manager resources: a condition first (it is the more specific statement),
/// then move support by type, then by parent type for child resources.
fn classify_arm(resource: &Resource, rules: &AssessRules) -> Verdict {
    if let Some((_, condition)) = rules.conditions.lookup(resource) {
        let message = with_workaround(&condition.message, condition.workaround.as_deref());
        let why = reason(AssessCode::for_condition(condition.status), message, &condition.source, &condition.rule);
        return match condition.status {
            CspStatus::Blocked => Verdict::blocked(why),
            status => Verdict::new(status, SuggestedApproach::OneStep, why),
        };
    }
    let mut resource_type = resource.resource_type.as_str();
    let mut child_of = None;
    loop {
        if let Some(support) = rules.move_support.get(resource_type) {
            return by_move_support(support, child_of.map(|_| resource_type), rules);
        }
        // Namespace/type/child → Namespace/type: a child not listed moves with its parent.
        match resource_type.rsplit_once('/').filter(|(parent, _)| parent.contains('/')) {
            Some((parent, _)) => {
                child_of = Some(resource.resource_type.as_str());
                resource_type = parent;
            }
            None => {
                return unknown(resource, rules, "no rule in move-support.csv or move-conditions.toml knows this type");
            }
        }
    }
}

fn by_move_support(support: &MoveSupport, parent: Option<&str>, rules: &AssessRules) -> Verdict {
    let (source, judged_by) = match parent {
        Some(parent) => (
            support.source.and(&rules.sources.cited(CHILD_RULE_SOURCE)),
            format!(" (judged by its parent type {parent})"),
        ),
        None => (support.source.clone(), String::new()),
    };
    let listed = listed_as_note(support);
    if let Some(variant) = support.variants.iter().find(|v| support.subscription && !v.subscription) {
        return variant_cannot_move(support, variant, &source, &judged_by);
    }
    let variants = variant_notes(support);
    if support.subscription {
        let message =
            format!("{} can move to another subscription{judged_by}.{listed}{variants}", support.resource_type);
        Verdict::new(
            CspStatus::NoIssues,
            SuggestedApproach::OneStep,
            reason(AssessCode::Movable, message, &source, &support.rule),
        )
    } else {
        let message = format!(
            "{} cannot move to another subscription{judged_by}. Workaround: redeploy it in the CSP subscription, or exclude it from the migration.{listed}{variants}",
            support.resource_type
        );
        Verdict::blocked(reason(AssessCode::CannotMoveSubscription, message, &source, &support.rule))
    }
}

/// The note of an annotated row, shown with the verdict: Microsoft's list names the type only with it.
fn listed_as_note(support: &MoveSupport) -> String {
    match &support.note {
        Some(note) => format!(
            " Microsoft's list names this type only as \"{}\": that row, about its \"{note}\" resources, is used for every resource of the type.",
            support.listed_as
        ),
        None => String::new(),
    }
}

/// Annotated rows beside the plain one that do not change the verdict, named so the reader knows they exist.
fn variant_notes(support: &MoveSupport) -> String {
    support
        .variants
        .iter()
        .map(|v| {
            let can = if v.subscription { "can" } else { "cannot" };
            format!(" Microsoft's list also has \"{}\", which {can} move to another subscription.", v.listed_as)
        })
        .collect()
}

/// The plain row says the type moves, an annotated row of it (`Microsoft.Web/certificates(managed)`) says
/// those resources do not, and the type alone cannot tell which a resource is: MODIFY, to be checked.
fn variant_cannot_move(support: &MoveSupport, variant: &Variant, source: &Cited, judged_by: &str) -> Verdict {
    let message = format!(
        "{type} can move to another subscription{judged_by}, except the resources Microsoft's list names \"{listed}\" ({note}), which cannot. Check whether this one is {note}: if it is, recreate it in the CSP subscription after the move, or exclude it; if not, it moves.",
        type = support.resource_type,
        listed = variant.listed_as,
        note = variant.note,
    );
    let line = variant.rule.rsplit_once(" line ").map_or(variant.rule.as_str(), |(_, line)| line);
    let rule = format!("{} and line {line}", support.rule);
    let why = reason(AssessCode::MoveSupportVariant, message, &source.and(&variant.source), &rule);
    Verdict::new(CspStatus::Modify, SuggestedApproach::OneStep, why)
}

/// Row 7: never silently NO ISSUES.
fn unknown(resource: &Resource, rules: &AssessRules, why: &str) -> Verdict {
    let message = format!(
        "{}: {why}. Verify in Microsoft's move-support list whether it can move to another subscription, then add a rule.",
        resource.resource_type
    );
    let mut verdict = Verdict::new(
        CspStatus::Modify,
        SuggestedApproach::OneStep,
        reason(AssessCode::UnknownType, message, &rules.sources.cited(UNKNOWN_TYPE_SOURCE), "-"),
    );
    if resource.deployment_model == DeploymentModel::Classic {
        verdict.suggested_approach = SuggestedApproach::TwoStep;
    }
    verdict.needs_review = true;
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[
            CHILD_RULE_SOURCE,
            UNKNOWN_TYPE_SOURCE,
            CLASSIC_RETIRED_SOURCE,
        ]);
    }
}
