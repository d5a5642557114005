//! The inventory as a terminal table: one line per resource, then the totals.

use comfy_table::{Cell, Color, ContentArrangement, Table};
use rust_decimal::Decimal;

use crate::inventory::InventoryReport;
use crate::model::DeploymentModel;

pub fn render(report: &InventoryReport, colour: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut table = Table::new();
    table.set_content_arrangement(ContentArrangement::Dynamic);
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
        let cost: Decimal = resource.meters.iter().map(|m| m.cost).sum();
        table.add_row(vec![
            Cell::new(&resource.name),
            Cell::new(&resource.resource_type),
            Cell::new(resource.resource_group.as_deref().unwrap_or("")),
            Cell::new(resource.subscription_name.as_deref().or(resource.subscription_id.as_deref()).unwrap_or("")),
            Cell::new(resource.location.as_deref().unwrap_or("")),
            model,
            Cell::new(resource.meters.len()),
            Cell::new(if resource.meters.is_empty() { String::new() } else { cost.to_string() }),
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
