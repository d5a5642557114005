//! The inventory as a terminal table: one line per resource, then the totals.

use std::collections::BTreeMap;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use rust_decimal::Decimal;

use crate::inventory::InventoryReport;
use crate::model::DeploymentModel;

pub fn render(report: &InventoryReport, colour: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table.set_header(["Name", "Type", "Resource group", "Subscription", "Location", "Model", "Meters", "Cost"]);
    for resource in &report.resources {
        let model = Cell::new(resource.deployment_model.as_str());
        let model = if colour && resource.deployment_model == DeploymentModel::Classic {
            model.fg(Color::Yellow)
        } else {
            model
        };
        let cost = cost_by_currency(&resource.meters);
        table.add_row(vec![
            Cell::new(&resource.name),
            Cell::new(&resource.resource_type),
            Cell::new(resource.resource_group.as_deref().unwrap_or("")),
            Cell::new(resource.subscription_name.as_deref().or(resource.subscription_id.as_deref()).unwrap_or("")),
            Cell::new(resource.location.as_deref().unwrap_or("")),
            model,
            Cell::new(resource.meters.len()),
            Cell::new(cost),
        ]);
    }
    let summary = &report.summary;
    write!(
        out,
        "{table}\n{} resources in {} subscriptions, {} classic; {} usage rows read from {} input(s)\n",
        summary.resources,
        summary.subscriptions,
        summary.classic,
        summary.usage_rows,
        report.inputs.len()
    )
}

/// "12.34 USD", or "1.00 USD + 2.00 EUR": amounts in different currencies are never added.
fn cost_by_currency(meters: &[crate::model::Meter]) -> String {
    let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
    for meter in meters {
        let total = totals.entry(meter.currency.as_deref().unwrap_or("")).or_default();
        *total = total.checked_add(meter.cost).unwrap_or(*total);
    }
    totals
        .iter()
        .map(|(currency, total)| if currency.is_empty() { total.to_string() } else { format!("{total} {currency}") })
        .collect::<Vec<_>>()
        .join(" + ")
}
