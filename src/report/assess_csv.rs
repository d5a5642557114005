//! The assessment as CSV: one row per resource × meter, starting with the seed's report columns in
//! order (002 L14848), then the reasons and the rest. Customer text is neutralised.

use std::io::Write;

use crate::assess::{AssessedResource, AssessmentReport};
use crate::model::Meter;
use crate::output::csv_safe;

/// The seed's columns (002 L14848), then csp-planner's.
const HEADER: &[&str] = &[
    "Resource Group",
    "Resource ID",
    "Resource Name",
    "Consumed Service",
    "Meter Category",
    "Meter Sub-Category",
    "Meter Name",
    "CSP Status",
    "Suggested Approach",
    "Reasons",
    "Type",
    "Subscription ID",
    "Subscription Name",
    "Location",
    "Deployment Model",
    "Needs Review",
    "Rule Sources",
];

pub fn render(report: &AssessmentReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for assessed in &report.resources {
        if assessed.resource.meters.is_empty() {
            writer.write_record(row(assessed, None))?;
        }
        for meter in &assessed.resource.meters {
            writer.write_record(row(assessed, Some(meter)))?;
        }
    }
    writer.flush()
}

fn row(assessed: &AssessedResource, meter: Option<&Meter>) -> Vec<String> {
    let resource = &assessed.resource;
    let text = |value: Option<&str>| csv_safe::text(value.unwrap_or("")).into_owned();
    let reasons: Vec<String> = assessed.reasons.iter().map(|r| format!("{}: {}", r.code, r.message)).collect();
    let sources: Vec<&str> = assessed.reasons.iter().map(|r| r.source.as_str()).collect();
    vec![
        text(resource.resource_group.as_deref()),
        text(Some(&resource.id)),
        text(Some(&resource.name)),
        text(resource.consumed_service.as_deref()),
        text(meter.and_then(|m| m.meter_category.as_deref())),
        text(meter.and_then(|m| m.meter_subcategory.as_deref())),
        text(meter.and_then(|m| m.meter_name.as_deref())),
        assessed.csp_status.as_str().to_string(),
        assessed.suggested_approach.as_str().to_string(),
        text(Some(&reasons.join("; "))),
        text(Some(&resource.resource_type)),
        text(resource.subscription_id.as_deref()),
        text(resource.subscription_name.as_deref()),
        text(resource.location.as_deref()),
        resource.deployment_model.as_str().to_string(),
        if assessed.needs_review { "yes" } else { "no" }.to_string(),
        text(Some(&sources.join("; "))),
    ]
}
