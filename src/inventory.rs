//! The inventory: every input read and merged into one list of resources — the result of
//! `csp-planner inventory` and the first stage of every later command.
//!
//! JSON contract (schema_version 1; later versions extend it, never rename):
//! `{ schema_version, tool, inputs: [...], resources: [...], summary: {resources, subscriptions, classic, usage_rows} }`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::model::{DeploymentModel, Inventory, Resource};
use crate::read::{InputSummary, ReadOptions, Source, read_input};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub fn current() -> Self {
        Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub resources: usize,
    pub subscriptions: usize,
    pub classic: usize,
    pub usage_rows: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Vec<InputSummary>,
    pub resources: Vec<Resource>,
    /// Reservations, savings plans, Marketplace purchases and purchase rows: billed, but not resources.
    pub commitments: Vec<crate::model::Commitment>,
    pub summary: Summary,
    /// What the usage exports say about each subscription's billing (the transfer path's facts); not in the
    /// JSON contract.
    #[serde(skip)]
    pub billing: crate::model::billing::BillingFacts,
}

impl InventoryReport {
    /// Reads every input in order (earlier inputs win conflicts) and merges them.
    pub fn read(sources: &[Source], options: &ReadOptions) -> Result<Self> {
        let mut inventory = Inventory::default();
        let mut inputs = Vec::with_capacity(sources.len());
        for source in sources {
            inputs.push(read_input(source, options, &mut inventory)?);
        }
        let commitments = std::mem::take(&mut inventory.commitments).into_vec();
        let billing = std::mem::take(&mut inventory.billing);
        let mut resources = inventory.into_sorted();
        fill_subscription_names(&mut resources);
        let summary = Summary {
            resources: resources.len(),
            subscriptions: resources
                .iter()
                .filter_map(|r| r.subscription_id.as_deref().map(str::to_ascii_lowercase))
                .collect::<BTreeSet<_>>()
                .len(),
            classic: resources.iter().filter(|r| r.deployment_model == DeploymentModel::Classic).count(),
            usage_rows: inputs.iter().filter(|i| i.reads_usage).map(|i| i.rows).sum(),
        };
        Ok(InventoryReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            inputs,
            resources,
            commitments,
            summary,
            billing,
        })
    }

    /// `properties` stay out of the output unless asked for (`--with-properties`).
    pub fn drop_properties(&mut self) {
        for resource in &mut self.resources {
            resource.properties = None;
            resource.plan = None;
        }
    }
}

/// Resource Graph and `az` exports carry no subscription names; usage exports and the portal do.
/// A name learnt for a subscription ID is given to every resource of that subscription.
fn fill_subscription_names(resources: &mut [Resource]) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for resource in resources.iter() {
        if let (Some(id), Some(name)) = (&resource.subscription_id, &resource.subscription_name) {
            names.entry(id.to_ascii_lowercase()).or_insert_with(|| name.clone());
        }
    }
    for resource in resources.iter_mut().filter(|r| r.subscription_name.is_none()) {
        let id = resource.subscription_id.as_deref().map(str::to_ascii_lowercase);
        resource.subscription_name = id.and_then(|id| names.get(&id).cloned());
    }
}
