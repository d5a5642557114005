//! The cost comparison: the rows shown, the totals per subscription and overall.

use serde::Serialize;

use super::ROWS_SHOWN;
use crate::cost::{CostReport, Totals};
use crate::report::cost_table::{display, header, row_values, subscription_label};

#[derive(Serialize)]
pub(super) struct CostView {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    shown: usize,
    total: usize,
    truncated: bool,
    subscriptions: Vec<CostTotal>,
    totals: CostTotal,
    currency: String,
    period: String,
    discount_pct: String,
    markup_pct: Option<String>,
}

#[derive(Serialize)]
struct CostTotal {
    name: String,
    ea_cost: String,
    csp_cost: String,
    cost_diff: String,
    savings_pct: String,
    customer_price: Option<String>,
    partner_margin: Option<String>,
}

pub(super) fn cost(report: &CostReport) -> CostView {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let rows: Vec<Vec<String>> =
        report.rows.iter().take(ROWS_SHOWN).map(|row| row_values(row, decimals, markup)).collect();
    let total = |name: String, t: &Totals| CostTotal {
        name,
        ea_cost: display(t.ea_cost, decimals),
        csp_cost: display(t.csp_cost, decimals),
        cost_diff: display(t.cost_diff, decimals),
        savings_pct: t.savings_pct.map(|p| display(p, 2)).unwrap_or_default(),
        customer_price: t.customer_price.map(|v| display(v, decimals)),
        partner_margin: t.partner_margin.map(|v| display(v, decimals)),
    };
    CostView {
        header: header(markup),
        shown: rows.len(),
        total: report.rows.len(),
        truncated: report.rows.len() > rows.len(),
        rows,
        subscriptions: report
            .subscriptions
            .iter()
            .map(|s| total(subscription_label(s.id.as_deref(), s.name.as_deref()), &s.totals))
            .collect(),
        totals: total("Total".to_string(), &report.totals),
        currency: report.currency.clone().unwrap_or_else(|| "(currency not stated)".to_string()),
        period: report
            .period_days
            .map(|d| format!("{d} day(s)"))
            .unwrap_or_else(|| "not stated (no dates)".to_string()),
        discount_pct: report.discount_pct.normalize().to_string(),
        markup_pct: report.markup_pct.map(|m| m.normalize().to_string()),
    }
}
