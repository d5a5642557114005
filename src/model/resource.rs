//! One Azure resource, as csp-planner knows it after reading the inputs.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::{Cited, CompactJson};

/// Classic (Azure Service Management) or Resource Manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeploymentModel {
    Classic,
    Arm,
}

impl DeploymentModel {
    /// `Microsoft.Classic*` namespaces are the classic deployment model (anchors.md §2.3: the classic
    /// resource-type namespaces ClassicCompute, ClassicStorage, ClassicNetwork, …).
    pub fn of_type(resource_type: &str) -> Self {
        let prefix = "microsoft.classic";
        let is_classic = resource_type.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
        if is_classic { DeploymentModel::Classic } else { DeploymentModel::Arm }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentModel::Classic => "classic",
            DeploymentModel::Arm => "arm",
        }
    }
}

/// Where a fact came from: an input file and a line, cell or JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub path: String,
    pub location: String,
}

/// A read warning: something was read, but not exactly as the file said, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub location: String,
    pub message: String,
}

impl Warning {
    /// The location of a warning about an input as a whole (a summary of several places, which it lists).
    pub const WHOLE_FILE: &'static str = "whole file";
}

/// Which rule table gave a resource its type, when the input did not say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeSource {
    pub rule: String,
    #[serde(flatten)]
    pub source: Cited,
}

/// The usage of one meter by one resource, summed over the usage rows read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meter {
    pub meter_id: Option<String>,
    pub meter_category: Option<String>,
    pub meter_subcategory: Option<String>,
    pub meter_name: Option<String>,
    pub unit: Option<String>,
    pub quantity: Decimal,
    pub cost: Decimal,
    pub currency: Option<String>,
    /// How many usage rows were summed into this meter.
    pub rows: u64,
}

impl Meter {
    /// Meters are the same when their meter ID is (when both have one), else when category,
    /// subcategory, name and unit are. Currency is part of the key: amounts in two currencies
    /// must never be added.
    pub fn same_meter(&self, other: &Meter) -> bool {
        let ids_match = match (&self.meter_id, &other.meter_id) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => {
                self.meter_category == other.meter_category
                    && self.meter_subcategory == other.meter_subcategory
                    && self.meter_name == other.meter_name
            }
        };
        ids_match && self.unit == other.unit && self.currency == other.currency
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub resource_group: Option<String>,
    pub subscription_id: Option<String>,
    pub subscription_name: Option<String>,
    pub location: Option<String>,
    pub kind: Option<String>,
    /// Kept as text, as `properties` are (see [`CompactJson`]).
    pub sku: Option<CompactJson>,
    pub tags: super::Tags,
    pub deployment_model: DeploymentModel,
    pub consumed_service: Option<String>,
    /// Set when the type was derived from a rule table rather than read from the input.
    pub type_source: Option<TypeSource>,
    pub meters: Vec<Meter>,
    pub sources: Vec<SourceRef>,
    /// The resource's `properties` from Resource Graph / az JSON; in JSON output only with
    /// `--with-properties` (the move plan reads dependencies from them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<CompactJson>,
    /// Facts about the resource worth a flag (`marketplace-plan`: its usage is billed through the Marketplace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// A Marketplace plan (Resource Graph / az `plan`), kept with `properties`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<CompactJson>,
    /// The Microsoft Entra tenant the resource list names (Resource Graph's `tenantId`): a fact of `transfer`,
    /// not in the JSON contract.
    #[serde(skip)]
    pub tenant_id: Option<String>,
}

impl Resource {
    /// A resource with only an ID, a name and a type; readers fill in the rest.
    pub fn new(id: String, name: String, resource_type: String) -> Self {
        let deployment_model = DeploymentModel::of_type(&resource_type);
        Resource {
            id,
            name,
            resource_type,
            resource_group: None,
            subscription_id: None,
            subscription_name: None,
            location: None,
            kind: None,
            sku: None,
            tags: super::Tags::default(),
            deployment_model,
            consumed_service: None,
            type_source: None,
            meters: Vec::new(),
            sources: Vec::new(),
            properties: None,
            flags: Vec::new(),
            plan: None,
            tenant_id: None,
        }
    }

    /// Adds a meter's usage, summing into the matching meter if there is one.
    /// Returns false if the sum would overflow the decimal range.
    pub fn add_meter(&mut self, meter: Meter) -> bool {
        match self.meters.iter_mut().find(|m| m.same_meter(&meter)) {
            Some(existing) => {
                let (Some(quantity), Some(cost)) =
                    (existing.quantity.checked_add(meter.quantity), existing.cost.checked_add(meter.cost))
                else {
                    return false;
                };
                existing.quantity = quantity;
                existing.cost = cost;
                existing.rows += meter.rows;
                true
            }
            None => {
                self.meters.push(meter);
                true
            }
        }
    }

    /// The SKU's name for tables and CSV: Resource Graph gives an object, the portal a string.
    pub fn sku_name(&self) -> Option<String> {
        match self.sku.as_ref()?.value() {
            Value::String(name) => Some(name),
            Value::Object(map) => map.get("name").and_then(Value::as_str).map(str::to_string),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// A location lowercased without spaces ("West Europe" → "westeurope"): what a name the region table
/// (`rules/regions.csv`) does not know becomes, so two such spellings match when they differ only in case and
/// spacing. Readers resolve known names through the table first (`read::locations`).
pub fn normalize_location(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}
