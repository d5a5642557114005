//! Cost: the seed's CSP Cost Assessment columns in order (002 L14922), Customer Price and Partner Margin with a
//! markup, then csp-planner's (the CSV's columns, `report::cost_table`); amounts are numbers with 4 decimals
//! shown. Currency, period and terms are noted above the table, the totals per subscription and overall under it.

use std::io;

use rust_xlsxwriter::{Workbook, Worksheet};

use super::cells::amount;
use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::cost::{CostReport, Totals};
use crate::report::cost_table::{CostCell, EXTRA_COLUMNS, extra_cells, header, row_cells, subscription_label};
use crate::report::xlsx::{io_error, text};

const WIDTHS: &[f64] = &[18.0, 60.0, 18.0, 36.0, 14.0, 12.0, 12.0, 12.0, 12.0, 12.0];
const TOTALS: &[&str] = &["Subscription", "EA Cost", "CSP Cost", "Cost Diff", "Savings %"];
const MARKUP_TOTALS: &[&str] = &["Customer Price", "Partner Margin"];

pub fn write(workbook: &mut Workbook, styles: &Styles, cost: &CostReport) -> io::Result<()> {
    let markup = cost.markup_pct.is_some();
    let mut columns = header(markup);
    columns.extend(EXTRA_COLUMNS);
    let preamble = preamble(cost);
    // Blank row, header, one row per subscription, the total.
    let reserve = cost.subscriptions.len() as u32 + 3;
    let spec = RowSheet { name: "Cost", columns: &columns, widths: WIDTHS, preamble: &preamble, reserve };
    let placed = rows::write(workbook, &spec, cost.rows.len(), cost.rows.iter(), |sheet, row, cost_row| {
        let cells = row_cells(cost_row, markup).into_iter().chain(extra_cells(cost_row));
        for (column, cell) in cells.enumerate() {
            match cell {
                CostCell::Text(value) => text(sheet, row, column as u16, &value, None)?,
                CostCell::Amount(value) => amount(sheet, row, column as u16, value, &styles.amount)?,
            }
        }
        Ok(())
    })?;
    let sheet = workbook.worksheet_from_name(&placed.sheet).map_err(io_error)?;
    totals(sheet, styles, cost, placed.next_row + 1)
}

fn preamble(cost: &CostReport) -> Vec<String> {
    let period = match (cost.period_days, cost.usage_period_days) {
        (Some(days), Some(usage)) => format!("{days} day(s), rescaled from the usage's {usage} day(s)"),
        (Some(days), None) => format!("{days} day(s)"),
        (None, _) => "not stated (no dates)".to_string(),
    };
    let mut lines = vec![
        format!("Currency: {}", cost.currency.as_deref().unwrap_or("not stated")),
        format!("Period: {period}"),
        format!("CSP discount: {} %", cost.discount_pct.normalize()),
    ];
    if let Some(markup) = cost.markup_pct {
        lines.push(format!("Markup: {} %", markup.normalize()));
    }
    lines
}

/// The totals block: a row per subscription, then the overall total in bold.
fn totals(sheet: &mut Worksheet, styles: &Styles, cost: &CostReport, first: u32) -> io::Result<()> {
    let markup = cost.markup_pct.is_some();
    let headings = TOTALS.iter().chain(if markup { MARKUP_TOTALS } else { &[] });
    for (column, heading) in headings.enumerate() {
        text(sheet, first, column as u16, heading, Some(&styles.bold))?;
    }
    let mut row = first + 1;
    for subscription in &cost.subscriptions {
        let label = subscription_label(subscription.id.as_deref(), subscription.name.as_deref());
        totals_row(sheet, styles, row, &label, &subscription.totals, markup, false)?;
        row += 1;
    }
    totals_row(sheet, styles, row, "Total", &cost.totals, markup, true)
}

fn totals_row(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    label: &str,
    totals: &Totals,
    markup: bool,
    bold: bool,
) -> io::Result<()> {
    let format = if bold { &styles.amount_bold } else { &styles.amount };
    text(sheet, row, 0, label, bold.then_some(&styles.bold))?;
    let mut amounts = vec![Some(totals.ea_cost), Some(totals.csp_cost), Some(totals.cost_diff)];
    amounts.extend(markup.then_some([totals.customer_price, totals.partner_margin]).into_iter().flatten());
    for (k, value) in amounts.into_iter().enumerate() {
        // Savings % sits in column 4, between Cost Diff and the markup columns.
        let column = if k < 3 { 1 + k } else { 2 + k } as u16;
        amount(sheet, row, column, value, format)?;
    }
    amount(sheet, row, 4, totals.savings_pct, &styles.percent)
}
