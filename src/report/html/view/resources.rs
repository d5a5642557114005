//! The Resources table: each assessed resource with its status and reasons.

use serde::Serialize;

use super::ROWS_SHOWN;
use crate::assess::{AssessedResource, AssessmentReport};
use crate::model::CspStatus;

#[derive(Serialize)]
pub(super) struct ResourcesView {
    statuses: [&'static str; 3],
    pub(super) rows: Vec<ResourceRow>,
    shown: usize,
    total: usize,
    truncated: bool,
}

#[derive(Serialize)]
pub(super) struct ResourceRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) resource_type: String,
    pub(super) resource_group: Option<String>,
    subscription: Option<String>,
    pub(super) status: &'static str,
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

pub(super) fn resources(assessment: &AssessmentReport) -> ResourcesView {
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
                source: reason.source.to_string(),
                rule: reason.rule.clone(),
            })
            .collect(),
    }
}
