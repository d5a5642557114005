//! The assessment as CSV: one row per resource × meter, starting with the seed's report columns in
//! order (002 L14848), then the reasons and the rest. Customer text is neutralised.
//!
//! [`HEADER`], [`rows`] and [`row`] are shared with the workbook's Resources sheet, so both list the same
//! rows with the same columns.

use std::io::Write;

use crate::assess::{AssessedResource, AssessmentReport};
use crate::model::Meter;
use crate::output::csv_safe;

/// The seed's columns (002 L14848), then csp-planner's.
pub const HEADER: &[&str] = &[
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

/// The position of "CSP Status" in [`HEADER`] (the workbook colours that cell).
pub const STATUS_COLUMN: usize = 7;

pub fn render(report: &AssessmentReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for (assessed, meter) in rows(report) {
        // Every cell is neutralised: the computed ones (status, approach, yes/no) never start with a formula
        // character, so only customer text is ever changed.
        let values = row(assessed, meter);
        let cells: Vec<_> = values.iter().map(|value| csv_safe::text(value)).collect();
        writer.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
    }
    writer.flush()
}

/// One row per resource × meter; a resource without meters gets one row (with `None`).
pub fn rows(report: &AssessmentReport) -> impl Iterator<Item = (&AssessedResource, Option<&Meter>)> {
    report.resources.iter().flat_map(|assessed| {
        let meters = &assessed.resource.meters;
        let none = meters.is_empty().then_some((assessed, None));
        none.into_iter().chain(meters.iter().map(move |meter| (assessed, Some(meter))))
    })
}

/// How many rows [`rows`] yields.
pub fn row_count(report: &AssessmentReport) -> usize {
    report.resources.iter().map(|assessed| assessed.resource.meters.len().max(1)).sum()
}

/// A row's values in [`HEADER`]'s order, as they are (not neutralised: each output does its own escaping).
pub fn row(assessed: &AssessedResource, meter: Option<&Meter>) -> Vec<String> {
    let resource = &assessed.resource;
    let text = |value: Option<&str>| value.unwrap_or("").to_string();
    let reasons: Vec<String> = assessed.reasons.iter().map(|r| format!("{}: {}", r.code, r.message)).collect();
    let sources: Vec<&str> = assessed.reasons.iter().map(|r| r.source.as_str()).collect();
    vec![
        text(resource.resource_group.as_deref()),
        resource.id.clone(),
        resource.name.clone(),
        text(resource.consumed_service.as_deref()),
        text(meter.and_then(|m| m.meter_category.as_deref())),
        text(meter.and_then(|m| m.meter_subcategory.as_deref())),
        text(meter.and_then(|m| m.meter_name.as_deref())),
        assessed.csp_status.as_str().to_string(),
        assessed.suggested_approach.as_str().to_string(),
        reasons.join("; "),
        resource.resource_type.clone(),
        text(resource.subscription_id.as_deref()),
        text(resource.subscription_name.as_deref()),
        text(resource.location.as_deref()),
        resource.deployment_model.as_str().to_string(),
        if assessed.needs_review { "yes" } else { "no" }.to_string(),
        sources.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_status_column_is_csp_status() {
        assert_eq!(super::HEADER[super::STATUS_COLUMN], "CSP Status");
    }
}
