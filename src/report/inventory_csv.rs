//! The inventory as CSV: one row per resource × meter (a resource with no meters gets one row).
//! Customer text is neutralised against formula injection (`output::csv_safe`).

use std::io::Write;

use crate::inventory::InventoryReport;
use crate::model::{Meter, Resource};
use crate::output::csv_safe;

const HEADER: &[&str] = &[
    "id",
    "name",
    "type",
    "resource_group",
    "subscription_id",
    "subscription_name",
    "location",
    "kind",
    "sku",
    "tags",
    "deployment_model",
    "consumed_service",
    "meter_id",
    "meter_category",
    "meter_subcategory",
    "meter_name",
    "unit",
    "quantity",
    "cost",
    "currency",
    "sources",
];

pub fn render(report: &InventoryReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for resource in &report.resources {
        if resource.meters.is_empty() {
            writer.write_record(row(resource, None))?;
        }
        for meter in &resource.meters {
            writer.write_record(row(resource, Some(meter)))?;
        }
    }
    writer.flush()
}

fn row(resource: &Resource, meter: Option<&Meter>) -> Vec<String> {
    let text = |value: Option<&str>| csv_safe::text(value.unwrap_or("")).into_owned();
    let tags = if resource.tags.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&resource.tags).unwrap_or_default()
    };
    let sources: Vec<String> = resource.sources.iter().map(|s| format!("{} {}", s.path, s.location)).collect();
    vec![
        text(Some(&resource.id)),
        text(Some(&resource.name)),
        text(Some(&resource.resource_type)),
        text(resource.resource_group.as_deref()),
        text(resource.subscription_id.as_deref()),
        text(resource.subscription_name.as_deref()),
        text(resource.location.as_deref()),
        text(resource.kind.as_deref()),
        text(resource.sku_name().as_deref()),
        text(Some(&tags)),
        resource.deployment_model.as_str().to_string(),
        text(resource.consumed_service.as_deref()),
        text(meter.and_then(|m| m.meter_id.as_deref())),
        text(meter.and_then(|m| m.meter_category.as_deref())),
        text(meter.and_then(|m| m.meter_subcategory.as_deref())),
        text(meter.and_then(|m| m.meter_name.as_deref())),
        text(meter.and_then(|m| m.unit.as_deref())),
        meter.map(|m| m.quantity.to_string()).unwrap_or_default(),
        meter.map(|m| m.cost.to_string()).unwrap_or_default(),
        text(meter.and_then(|m| m.currency.as_deref())),
        text(Some(&sources.join("; "))),
    ]
}
