//! All resources from all inputs, merged by resource ID compared case-insensitively (as Azure does).
//! When two inputs disagree about a field, the first input's value is kept and the disagreement is
//! reported as a warning of the later input.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::resource::normalize_location;
use super::{Commitments, Resource, Warning};
use crate::model::resource_id;

#[derive(Debug, Default)]
pub struct Inventory {
    resources: Vec<Resource>,
    /// Each resource's ID, lowercased, parallel to `resources`: `key_spans[i]` in `key_text`. One
    /// buffer instead of a string per resource keeps a large inventory's keys together in memory.
    key_text: String,
    key_spans: Vec<(usize, usize)>,
    /// Positions in `resources`, found by the hash of their key.
    by_key: HashTable<usize>,
    /// The commitments and purchases of every input read (not resources).
    pub commitments: Commitments,
    /// The billing facts of every input read, by subscription.
    pub billing: super::billing::BillingFacts,
}

fn key_hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

impl Inventory {
    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    fn key(&self, index: usize) -> &str {
        let (start, end) = self.key_spans.get(index).copied().unwrap_or_default();
        self.key_text.get(start..end).unwrap_or_default()
    }

    /// Adds the resources read from one input, merging each into the one already known by its ID; returns how
    /// many distinct resources the input had. The first input of an inventory, when its IDs are distinct (the
    /// usual case), becomes the inventory's array as it is: a large estate is never held twice.
    pub fn merge_all(&mut self, mut incoming: Vec<Resource>, warnings: &mut Vec<Warning>) -> usize {
        warnings.extend(resource_groups_from_ids(&mut incoming));
        if self.resources.is_empty() {
            if self.adopt(&incoming) {
                self.resources = incoming;
                return self.resources.len();
            }
            // Forget what the failed adoption indexed; the merge below indexes again.
            *self = Inventory::default();
        }
        let mut distinct = std::collections::HashSet::new();
        for resource in incoming {
            distinct.insert(self.merge(resource, warnings));
        }
        distinct.len()
    }

    /// Indexes `incoming` as the inventory's resources, position for position; false (and nothing kept) when
    /// two of them share an ID.
    fn adopt(&mut self, incoming: &[Resource]) -> bool {
        for (index, resource) in incoming.iter().enumerate() {
            let key = resource_id::key(&resource.id);
            if self.by_key.find(key_hash(&key), |&i| self.key(i) == key).is_some() {
                return false;
            }
            self.index(key, index);
        }
        true
    }

    /// Adds a resource read from one input, or merges it into the one already known; returns its
    /// position. Conflicts are reported at the place the incoming resource was read (its last source).
    fn merge(&mut self, incoming: Resource, warnings: &mut Vec<Warning>) -> usize {
        let key = resource_id::key(&incoming.id);
        match self.by_key.find(key_hash(&key), |&index| self.key(index) == key) {
            Some(&index) => {
                let location = incoming.sources.last().map(|s| s.location.clone()).unwrap_or_default();
                merge_into(&mut self.resources[index], incoming, &location, warnings);
                index
            }
            None => {
                let index = self.resources.len();
                self.index(key, index);
                self.resources.push(incoming);
                index
            }
        }
    }

    /// Records `key` (lowercase) as the key of the resource at `index`.
    fn index(&mut self, key: String, index: usize) {
        let hash = key_hash(&key);
        let start = self.key_text.len();
        self.key_text.push_str(&key);
        self.key_spans.push((start, self.key_text.len()));
        let (text, spans) = (&self.key_text, &self.key_spans);
        let rehash = |&i: &usize| {
            let (start, end) = spans.get(i).copied().unwrap_or_default();
            key_hash(text.get(start..end).unwrap_or_default())
        };
        self.by_key.insert_unique(hash, index, rehash);
    }

    /// The resources in a stable order: by ID, compared case-insensitively (keys are unique).
    /// Sorted in place: a second array of an estate's resources would be its largest allocation.
    pub fn into_sorted(mut self) -> Vec<Resource> {
        let mut order: Vec<usize> = (0..self.resources.len()).collect();
        order.sort_unstable_by(|&a, &b| self.key(a).cmp(self.key(b)));
        permute(&mut self.resources, order);
        self.resources
    }
}

/// How many contradictions a warning lists.
const CONTRADICTIONS_SHOWN: usize = 3;

/// Gives each resource whose resource group contradicts its ID (compared ignoring case, as Azure compares names)
/// the ID's group: the ID is where Azure keeps the resource, a resource group column only a copy of it. Returns
/// one warning for the input, with the count and the first few, or none.
fn resource_groups_from_ids(resources: &mut [Resource]) -> Option<Warning> {
    let mut count = 0usize;
    let mut first: Vec<String> = Vec::new();
    for resource in resources.iter_mut() {
        let Some(from_id) = resource_id::resource_group_of(&resource.id) else { continue };
        let Some(column) = resource.resource_group.as_deref() else { continue };
        if column.eq_ignore_ascii_case(from_id) {
            continue;
        }
        count += 1;
        let at = resource.sources.last().map(|s| s.location.clone()).unwrap_or_default();
        if first.len() < CONTRADICTIONS_SHOWN {
            first.push(format!("{at}: {} has resource group \"{column}\", its ID \"{from_id}\"", resource.name));
        }
        resource.resource_group = Some(from_id.to_string());
    }
    if count == 0 {
        return None;
    }
    let more = count.saturating_sub(first.len());
    let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
    Some(Warning {
        location: Warning::WHOLE_FILE.to_string(),
        message: format!(
            "{count} resource(s) have a resource group that contradicts their resource ID; the ID's resource group \
             is used: {}{more}",
            first.join("; ")
        ),
    })
}

/// Reorders `items` so that position `k` holds what was at `order[k]` (`order` a permutation), by following
/// its cycles with swaps.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let next = std::mem::replace(&mut order[k], DONE);
            if next == DONE || next == start {
                break;
            }
            items.swap(k, next);
            k = next;
        }
    }
}

fn merge_into(existing: &mut Resource, incoming: Resource, location: &str, warnings: &mut Vec<Warning>) {
    for flag in &incoming.flags {
        if !existing.flags.contains(flag) {
            existing.flags.push(flag.clone());
        }
    }
    let mut conflict = |field: &str, kept: &str, ignored: &str| {
        warnings.push(Warning {
            location: location.to_string(),
            message: format!(
                "{}: {field} \"{ignored}\" conflicts with \"{kept}\" from an earlier input; kept \"{kept}\"",
                incoming.id
            ),
        })
    };
    merge_text_fields(existing, &incoming, &mut conflict);
    merge_type_and_name(existing, &incoming, &mut conflict);
    if existing.sku.is_none() {
        existing.sku = incoming.sku;
    }
    if existing.plan.is_none() {
        existing.plan = incoming.plan;
    }
    if existing.tenant_id.is_none() {
        existing.tenant_id = incoming.tenant_id;
    }
    if existing.properties.is_none() {
        existing.properties = incoming.properties;
    }
    for (tag, value) in incoming.tags {
        match existing.tags.get(&tag) {
            None => existing.tags.insert(tag, value),
            Some(kept) if kept != value => conflict(&format!("tag \"{tag}\""), kept, &value),
            Some(_) => {}
        }
    }
    for meter in incoming.meters {
        if !existing.add_meter(meter) {
            warnings.push(Warning {
                location: location.to_string(),
                message: format!(
                    "{}: a meter's total overflows the decimal range; this input's rows for it were not added",
                    incoming.id
                ),
            });
        }
    }
    existing.sources.extend(incoming.sources);
}

/// The text fields: an empty one filled from the later input, a different one a conflict.
fn merge_text_fields(existing: &mut Resource, incoming: &Resource, conflict: &mut impl FnMut(&str, &str, &str)) {
    let same_text = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let same_location = |a: &str, b: &str| normalize_location(a) == normalize_location(b);

    fill(&mut existing.resource_group, incoming.resource_group.clone(), same_text, |k, i| {
        conflict("resource group", k, i)
    });
    fill(&mut existing.subscription_id, incoming.subscription_id.clone(), same_text, |k, i| {
        conflict("subscription ID", k, i)
    });
    fill(
        &mut existing.subscription_name,
        incoming.subscription_name.clone(),
        |a, b| a == b,
        |k, i| conflict("subscription name", k, i),
    );
    fill(&mut existing.location, incoming.location.clone(), same_location, |k, i| conflict("location", k, i));
    fill(&mut existing.kind, incoming.kind.clone(), same_text, |k, i| conflict("kind", k, i));
    fill(&mut existing.consumed_service, incoming.consumed_service.clone(), same_text, |k, i| {
        conflict("consumed service", k, i)
    });
}

/// The type: one read from an input beats one derived from a rule table, two read differently conflict. The name:
/// a later input's replaces one that is only the ID.
fn merge_type_and_name(existing: &mut Resource, incoming: &Resource, conflict: &mut impl FnMut(&str, &str, &str)) {
    let same_text = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if !same_text(&existing.resource_type, &incoming.resource_type) {
        // A type read from the input beats one derived from a rule table.
        if existing.type_source.is_some() && incoming.type_source.is_none() {
            existing.resource_type = incoming.resource_type.clone();
            existing.deployment_model = incoming.deployment_model;
            existing.type_source = None;
        } else if incoming.type_source.is_none() || existing.type_source.is_none() {
            conflict("type", &existing.resource_type.clone(), &incoming.resource_type);
        }
    }
    if !same_text(&existing.name, &incoming.name) && existing.name.eq_ignore_ascii_case(&existing.id) {
        existing.name = incoming.name.clone();
    }
}

/// Fills an empty field from the later input, or reports a disagreement.
fn fill(
    existing: &mut Option<String>,
    incoming: Option<String>,
    same: impl Fn(&str, &str) -> bool,
    mut on_conflict: impl FnMut(&str, &str),
) {
    match (existing.as_deref(), incoming) {
        (None, incoming) => *existing = incoming,
        (Some(kept), Some(other)) if !same(kept, &other) => on_conflict(kept, &other),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn permutes_in_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        super::permute(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c']);
    }
}
