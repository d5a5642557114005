//! Move requests: Azure moves the resources of one source resource group per request, at most
//! `[move_request] max_resources` of them (rules/dependencies.toml). Within a subscription and source group, the
//! ready batches are packed into requests in batch order, a batch never split; a batch that needs remediation gets
//! a request of its own (it moves after its steps); blocked batches move nothing.

use std::collections::BTreeMap;

use serde::Serialize;

use super::report::{BatchStatus, PlanBatch};
use crate::rules::dependencies::MoveRequestLimit;

/// One move request: `resources` is the number of resources it moves (the batches list them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveRequest {
    pub id: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub batches: Vec<String>,
    pub resources: usize,
    /// True for a single batch larger than the limit: it cannot move in one request and must be split by hand.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub over_limit: bool,
}

/// The requests of the planned batches, ready ones first per source group, in subscription and group order.
pub fn requests(batches: &[PlanBatch], limit: &MoveRequestLimit) -> Vec<MoveRequest> {
    // (subscription, group) lowercased → (spellings, ready batches, remediation batches)
    type Group<'a> = ((String, String), Vec<&'a PlanBatch>, Vec<&'a PlanBatch>);
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    for batch in batches {
        let (Some(subscription), Some(group)) = (&batch.subscription_id, &batch.resource_group) else { continue };
        let key = (subscription.to_ascii_lowercase(), group.to_ascii_lowercase());
        let entry =
            groups.entry(key).or_insert_with(|| ((subscription.clone(), group.clone()), Vec::new(), Vec::new()));
        match batch.status {
            BatchStatus::Ready => entry.1.push(batch),
            BatchStatus::NeedsRemediation => entry.2.push(batch),
            BatchStatus::Blocked => {}
        }
    }
    let mut found: Vec<MoveRequest> = Vec::new();
    for ((subscription, group), ready, remediation) in groups.into_values() {
        let new = |batch: &PlanBatch| MoveRequest {
            id: String::new(),
            subscription_id: subscription.clone(),
            resource_group: group.clone(),
            batches: vec![batch.id.clone()],
            resources: batch.resources.len(),
            over_limit: batch.resources.len() > limit.max_resources,
        };
        let mut open: Option<MoveRequest> = None;
        for batch in ready {
            match &mut open {
                Some(request) if request.resources + batch.resources.len() <= limit.max_resources => {
                    request.batches.push(batch.id.clone());
                    request.resources += batch.resources.len();
                }
                _ => found.extend(open.replace(new(batch))),
            }
        }
        found.extend(open);
        found.extend(remediation.into_iter().map(new));
    }
    for (index, request) in found.iter_mut().enumerate() {
        request.id = format!("R{:03}", index + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(id: &str, group: &str, status: BatchStatus, members: usize) -> PlanBatch {
        PlanBatch {
            id: id.to_string(),
            subscription_id: Some("sub".to_string()),
            resource_group: Some(group.to_string()),
            resource_groups: vec![group.to_string()],
            locations: Vec::new(),
            status,
            resources: (0..members).map(|i| format!("/subscriptions/sub/resourceGroups/{group}/r{i}")).collect(),
            blockers: Vec::new(),
            remediation: Vec::new(),
            upgraded_groups: Vec::new(),
        }
    }

    #[test]
    fn ready_batches_of_one_group_share_requests_of_at_most_the_limit_and_are_never_split() {
        let limit = MoveRequestLimit { max_resources: 800, ..MoveRequestLimit::default() };
        let batches = vec![
            batch("B01", "rg-a", BatchStatus::Ready, 500),
            batch("B02", "RG-A", BatchStatus::Ready, 300),
            batch("B03", "rg-a", BatchStatus::Ready, 1),
            batch("B04", "rg-a", BatchStatus::NeedsRemediation, 2),
            batch("B05", "rg-b", BatchStatus::Ready, 900),
            batch("B06", "rg-b", BatchStatus::Blocked, 3),
        ];
        let found = requests(&batches, &limit);
        let shape: Vec<(&str, &str, Vec<&str>, usize, bool)> = found
            .iter()
            .map(|r| {
                let batches = r.batches.iter().map(String::as_str).collect();
                (r.id.as_str(), r.resource_group.as_str(), batches, r.resources, r.over_limit)
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("R001", "rg-a", vec!["B01", "B02"], 800, false),
                ("R002", "rg-a", vec!["B03"], 1, false),
                ("R003", "rg-a", vec!["B04"], 2, false),
                ("R004", "rg-b", vec!["B05"], 900, true),
            ]
        );
    }
}
