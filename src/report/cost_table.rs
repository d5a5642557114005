//! The cost assessment on the terminal: the seed's columns (002 L14922) for each resource × meter, then the
//! totals per subscription and overall, the notes and the warnings. Amounts are rounded for display only.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::cost::{CostReport, CostRow, Totals};

/// The seed's columns, in its order (002 L14922).
pub const SEED_COLUMNS: &[&str] = &[
    "Resource Group",
    "Resource ID",
    "ConsumedService",
    "MeterName",
    "ConsumedQuantity",
    "EA Rate",
    "EA Cost",
    "CSP Rate",
    "CSP Cost",
    "Cost Diff",
];
pub const MARKUP_COLUMNS: &[&str] = &["Customer Price", "Partner Margin"];

/// A value as displayed: rounded to `decimals` places, half away from zero, trailing zeros dropped (the seed's
/// "0.003", "0.48", "0"; seed-digest-migration §3.4 rule 4). A value that rounds to zero shows as 0, never -0.
pub fn display(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero).normalize();
    if rounded.is_zero() { "0".to_string() } else { rounded.to_string() }
}

pub fn display_option(value: Option<Decimal>, decimals: u32) -> String {
    value.map(|v| display(v, decimals)).unwrap_or_default()
}

/// A row's values in the seed's order, then Customer Price and Partner Margin with a markup.
pub fn row_values(row: &CostRow, decimals: u32, markup: bool) -> Vec<String> {
    let mut values = vec![
        row.resource_group.clone().unwrap_or_default(),
        row.resource_id.clone(),
        row.consumed_service.clone().unwrap_or_default(),
        row.meter_name.clone().unwrap_or_default(),
        display(row.consumed_quantity, decimals),
        display_option(row.ea_rate, decimals),
        display(row.ea_cost, decimals),
        display_option(row.csp_rate, decimals),
        display_option(row.csp_cost, decimals),
        display_option(row.cost_diff, decimals),
    ];
    if markup {
        values.push(display_option(row.customer_price, decimals));
        values.push(display_option(row.partner_margin, decimals));
    }
    values
}

pub fn render(report: &CostReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let mut table = new_table(colour);
    let mut header: Vec<&str> = SEED_COLUMNS.to_vec();
    if markup {
        header.extend(MARKUP_COLUMNS);
    }
    table.set_header(header);
    for row in &report.rows {
        let cells = row_values(row, decimals, markup).into_iter().enumerate().map(|(k, value)| {
            let cell = Cell::new(value);
            if k >= 4 { cell.set_alignment(CellAlignment::Right) } else { cell }
        });
        table.add_row(cells.collect::<Vec<_>>());
    }
    writeln!(out, "{table}")?;
    render_totals(report, colour, out)?;
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

fn new_table(colour: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table
}

fn render_totals(report: &CostReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let decimals = report.display_decimals;
    let currency = report.currency.as_deref().unwrap_or("(currency not stated)");
    let mut table = new_table(colour);
    table.set_header(["Subscription", "EA Cost", "CSP Cost", "Cost Diff", "Savings %"]);
    let values = |name: String, t: &Totals| {
        vec![
            name,
            display(t.ea_cost, decimals),
            display(t.csp_cost, decimals),
            display(t.cost_diff, decimals),
            t.savings_pct.map(|p| display(p, 2)).unwrap_or_default(),
        ]
    };
    for s in &report.subscriptions {
        let id = s.id.as_deref().unwrap_or("(no subscription)");
        let name = s.name.as_deref().map(|n| format!("{n} ({id})")).unwrap_or_else(|| id.to_string());
        table.add_row(values(name, &s.totals));
    }
    table.add_row(values("Total".to_string(), &report.totals));
    writeln!(out, "{table}")?;
    let period =
        report.period_days.map(|d| format!("{d} day(s)")).unwrap_or_else(|| "not stated (no dates)".to_string());
    writeln!(out, "currency: {currency}; period: {period}; discount: {} %", report.discount_pct.normalize())?;
    if let (Some(price), Some(margin)) = (report.totals.customer_price, report.totals.partner_margin) {
        writeln!(out, "customer price: {}; partner margin: {}", display(price, decimals), display(margin, decimals))?;
    }
    if !report.totals.unpriced_ea_cost.is_zero() {
        writeln!(
            out,
            "EA cost without a CSP price (not in CSP Cost): {}",
            display(report.totals.unpriced_ea_cost, decimals)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::display;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn displays_like_the_seed() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(display(d("0.08075"), 4), "0.0808");
        assert_eq!(display(d("0.07395"), 4), "0.074");
        assert_eq!(display(d("0.0030172"), 4), "0.003");
        assert_eq!(display(d("0.480"), 4), "0.48");
        assert_eq!(display(d("-0.00001"), 4), "0");
    }
}
