//! Summary: what the book holds at a glance. With an assessment: the estate's counts, each subscription's CSP
//! Status (coloured, with the word; the seed's report is per subscription, 002 L14826–L14840) and status
//! counts, and a stacked column chart of resources by status per subscription. With a plan: batches per status.
//! With a cost assessment: the EA / CSP / Cost Diff totals. With workloads: applications per colour (coloured, with
//! the word), those needing review, and the servers.

use std::io;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Format, Workbook, Worksheet};

use super::AssessmentBook;
use super::cells::{amount, count};
use super::rows::add_table;
use super::styles::Styles;
use crate::assess::AssessmentReport;
use crate::cost::CostReport;
use crate::model::CspStatus;
use crate::plan::{BatchStatus, PlanReport};
use crate::report::xlsx::{io_error, text};
use crate::workloads::{Color, WorkloadReport};

const NAME: &str = "Summary";
const SUBSCRIPTIONS: &[&str] =
    &["Subscription", "Subscription ID", "CSP Status", "Resources", "NO ISSUES", "MODIFY", "BLOCKED"];
const WIDTHS: &[f64] = &[34.0, 38.0, 14.0, 11.0, 11.0, 11.0, 11.0];
/// The first column of the status counts in SUBSCRIPTIONS.
const COUNTS_COLUMN: u16 = 4;
/// The chart's size in pixels, and the rows it covers (default rows are 20 pixels high) plus a blank one.
const CHART_WIDTH: u32 = 640;
const CHART_HEIGHT: u32 = 300;
const CHART_ROWS: u32 = CHART_HEIGHT / 20 + 1;
const STATUSES: [CspStatus; 3] = [CspStatus::NoIssues, CspStatus::Modify, CspStatus::Blocked];

/// A value of a label/value block.
enum Value {
    Count(usize),
    Amount(Option<Decimal>),
    Percent(Option<Decimal>),
    Text(String),
}

/// A line of a label/value block; the label may carry a status colour.
struct Line<'a> {
    label: &'a str,
    format: Option<&'a Format>,
    value: Value,
}

fn line<'a>(label: &'a str, value: Value) -> Line<'a> {
    Line { label, format: None, value }
}

pub fn write(workbook: &mut Workbook, styles: &Styles, book: &AssessmentBook) -> io::Result<()> {
    let sheet = workbook.add_worksheet().set_name(NAME).map_err(io_error)?;
    // Printed (and rendered to PDF) one page wide.
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    for (column, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(column as u16, *width).map_err(io_error)?;
    }
    text(sheet, 0, 0, "CSP migration assessment", Some(&styles.title))?;
    let tool = [
        book.assessment.map(|a| &a.tool),
        book.plan.map(|p| &p.tool),
        book.cost.map(|c| &c.tool),
        book.workloads.map(|w| &w.tool),
    ];
    if let Some(tool) = tool.into_iter().flatten().next() {
        text(sheet, 1, 0, &format!("{} {}", tool.name, tool.version), None)?;
    }
    let mut row = 3;
    if let Some(assessment) = book.assessment {
        row = assessment_part(sheet, styles, assessment, row)?;
    }
    if let Some(plan) = book.plan {
        row = block(sheet, styles, row, "Move plan", &plan_lines(styles, plan))?;
    }
    if let Some(cost) = book.cost {
        row = block(sheet, styles, row, "Cost", &cost_lines(cost))?;
    }
    if let Some(report) = book.workloads {
        block(sheet, styles, row, "Workloads", &workload_lines(styles, report))?;
    }
    Ok(())
}

/// The estate's counts, the subscriptions table and the chart over it; returns the next free row.
fn assessment_part(sheet: &mut Worksheet, styles: &Styles, assessment: &AssessmentReport, row: u32) -> io::Result<u32> {
    let summary = &assessment.summary;
    let mut lines = vec![
        line("Resources", Value::Count(summary.resources)),
        line("Subscriptions", Value::Count(summary.subscriptions)),
    ];
    let counts = [summary.no_issues, summary.modify, summary.blocked];
    for (status, n) in STATUSES.into_iter().zip(counts) {
        lines.push(Line { label: status.as_str(), format: Some(styles.csp(status)), value: Value::Count(n) });
    }
    lines.push(line("Classic", Value::Count(summary.classic)));
    lines.push(line("Needs review", Value::Count(summary.needs_review)));
    lines.push(line("Usage rows", Value::Count(summary.usage_rows as usize)));
    let table_row = block(sheet, styles, row, "Assessment", &lines)?;
    let next = subscriptions(sheet, styles, assessment, table_row)?;
    if assessment.subscriptions.is_empty() {
        return Ok(next);
    }
    chart(sheet, table_row, assessment.subscriptions.len() as u32, next)?;
    Ok(next + CHART_ROWS)
}

/// One row per subscription under SUBSCRIPTIONS; returns the next free row.
fn subscriptions(
    sheet: &mut Worksheet,
    styles: &Styles,
    assessment: &AssessmentReport,
    header: u32,
) -> io::Result<u32> {
    add_table(sheet, header, SUBSCRIPTIONS, assessment.subscriptions.len())?;
    for (k, subscription) in assessment.subscriptions.iter().enumerate() {
        let row = header + 1 + k as u32;
        let id = subscription.id.as_deref().unwrap_or("(no subscription)");
        text(sheet, row, 0, subscription.name.as_deref().unwrap_or(id), None)?;
        text(sheet, row, 1, id, None)?;
        text(sheet, row, 2, subscription.csp_status.as_str(), Some(styles.csp(subscription.csp_status)))?;
        count(sheet, row, 3, subscription.resources)?;
        let counts = [subscription.no_issues, subscription.modify, subscription.blocked];
        for (offset, n) in counts.into_iter().enumerate() {
            count(sheet, row, COUNTS_COLUMN + offset as u16, n)?;
        }
    }
    Ok(header + 2 + assessment.subscriptions.len().max(1) as u32)
}

/// Resources by status per subscription: a stacked column over the table's count cells, in the status colours,
/// placed at `at` under the table (beside it, the sheet would print too wide to read).
fn chart(sheet: &mut Worksheet, header: u32, subscriptions: u32, at: u32) -> io::Result<()> {
    let (first, last) = (header + 1, header + subscriptions);
    let mut chart = Chart::new(ChartType::ColumnStacked);
    for (offset, status) in STATUSES.into_iter().enumerate() {
        let column = COUNTS_COLUMN + offset as u16;
        let mut fill = ChartSolidFill::new();
        fill.set_color(Styles::chart_colour(status));
        chart
            .add_series()
            .set_name((NAME, header, column))
            .set_categories((NAME, first, 0, last, 0))
            .set_values((NAME, first, column, last, column))
            .set_format(ChartFormat::new().set_solid_fill(&fill));
    }
    chart.title().set_name("Resources by CSP Status");
    chart.y_axis().set_name("Resources");
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    sheet.insert_chart(at, 0, &chart).map(|_| ()).map_err(io_error)
}

fn plan_lines<'a>(styles: &'a Styles, plan: &PlanReport) -> Vec<Line<'a>> {
    let summary = &plan.summary;
    let mut lines = vec![line("Batches", Value::Count(summary.batches))];
    let statuses = [BatchStatus::Ready, BatchStatus::NeedsRemediation, BatchStatus::Blocked];
    let counts = [summary.ready, summary.needs_remediation, summary.blocked];
    for (status, n) in statuses.into_iter().zip(counts) {
        lines.push(Line { label: status.as_str(), format: Some(styles.batch(status)), value: Value::Count(n) });
    }
    lines.push(line("Resources", Value::Count(summary.resources)));
    lines
}

fn cost_lines(cost: &CostReport) -> Vec<Line<'static>> {
    let totals = &cost.totals;
    let mut lines = vec![
        line("Currency", Value::Text(cost.currency.clone().unwrap_or_else(|| "not stated".to_string()))),
        line(
            "Period (days)",
            cost.period_days.map_or(Value::Text("not stated".into()), |d| Value::Text(d.to_string())),
        ),
        line("CSP discount %", Value::Percent(Some(cost.discount_pct))),
        line("EA Cost", Value::Amount(Some(totals.ea_cost))),
        line("CSP Cost", Value::Amount(Some(totals.csp_cost))),
        line("Cost Diff", Value::Amount(Some(totals.cost_diff))),
        line("Savings %", Value::Percent(totals.savings_pct)),
    ];
    if cost.markup_pct.is_some() {
        lines.push(line("Customer Price", Value::Amount(totals.customer_price)));
        lines.push(line("Partner Margin", Value::Amount(totals.partner_margin)));
    }
    if !totals.unpriced_ea_cost.is_zero() {
        lines.push(line("EA cost without a CSP price", Value::Amount(Some(totals.unpriced_ea_cost))));
    }
    lines
}

/// Applications per colour (each label in its colour), those needing review, the overridden ones and the servers.
fn workload_lines<'a>(styles: &'a Styles, report: &WorkloadReport) -> Vec<Line<'a>> {
    let s = &report.summary;
    let mut lines = vec![line("Applications", Value::Count(s.applications))];
    for (color, n) in [(Color::Green, s.green), (Color::Yellow, s.yellow), (Color::Red, s.red)] {
        lines.push(Line { label: color.word(), format: Some(styles.workload(color)), value: Value::Count(n) });
    }
    lines.push(line("Applications needing review", Value::Count(s.needs_review)));
    lines.push(line("Overridden applications", Value::Count(s.overridden_applications)));
    lines.push(line("Servers", Value::Count(s.servers)));
    lines.push(line("Era", Value::Text(report.era.as_str().to_string())));
    lines
}

/// A bold title, then a label and a value per line; returns the row after a blank one.
fn block(sheet: &mut Worksheet, styles: &Styles, first: u32, title: &str, lines: &[Line]) -> io::Result<u32> {
    text(sheet, first, 0, title, Some(&styles.bold))?;
    for (k, line) in lines.iter().enumerate() {
        let row = first + 1 + k as u32;
        text(sheet, row, 0, line.label, line.format)?;
        match &line.value {
            Value::Count(n) => count(sheet, row, 1, *n)?,
            Value::Amount(value) => amount(sheet, row, 1, *value, &styles.amount)?,
            Value::Percent(value) => amount(sheet, row, 1, *value, &styles.percent)?,
            Value::Text(value) => text(sheet, row, 1, value, None)?,
        }
    }
    Ok(first + 2 + lines.len() as u32)
}
