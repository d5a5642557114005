//! The cost assessment on the terminal: the seed's columns (002 L14922) for each resource × meter, then the
//! totals per subscription and overall, the notes and the warnings. Amounts are rounded for display only.

use std::borrow::Cow;
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

/// csp-planner's columns after the seed's (and the markup's), in the CSV and the workbook.
/// Amortized Cost is filled from usage that has that column (FOCUS `EffectiveCost`).
pub const EXTRA_COLUMNS: &[&str] = &["Subscription ID", "Meter ID", "List Rate", "Amortized Cost", "Notes"];

/// A cell of a cost row: customer text, or an exact amount (empty when not computed). Each output renders it
/// its own way: rounded text on the terminal and in CSV, a number in the workbook.
pub enum CostCell<'a> {
    Text(Cow<'a, str>),
    Amount(Option<Decimal>),
}

/// A row's cells in the seed's order, then Customer Price and Partner Margin with a markup.
pub fn row_cells(row: &CostRow, markup: bool) -> Vec<CostCell<'_>> {
    let mut cells = vec![
        text(row.resource_group.as_deref()),
        text(Some(&row.resource_id)),
        text(row.consumed_service.as_deref()),
        text(row.meter_name.as_deref()),
        CostCell::Amount(Some(row.consumed_quantity)),
        CostCell::Amount(row.ea_rate),
        CostCell::Amount(Some(row.ea_cost)),
        CostCell::Amount(row.csp_rate),
        CostCell::Amount(row.csp_cost),
        CostCell::Amount(row.cost_diff),
    ];
    if markup {
        cells.push(CostCell::Amount(row.customer_price));
        cells.push(CostCell::Amount(row.partner_margin));
    }
    cells
}

fn text(value: Option<&str>) -> CostCell<'_> {
    CostCell::Text(Cow::Borrowed(value.unwrap_or_default()))
}

/// The cells of [`EXTRA_COLUMNS`].
pub fn extra_cells(row: &CostRow) -> Vec<CostCell<'_>> {
    vec![
        text(row.subscription_id.as_deref()),
        text(row.meter_id.as_deref()),
        CostCell::Amount(row.list_rate),
        CostCell::Amount(row.amortized_cost),
        CostCell::Text(Cow::Owned(row.notes.join("; "))),
    ]
}

/// The header: the seed's columns, then the markup's when there is one.
pub fn header(markup: bool) -> Vec<&'static str> {
    let mut header: Vec<&str> = SEED_COLUMNS.to_vec();
    if markup {
        header.extend(MARKUP_COLUMNS);
    }
    header
}

/// A row's values in the seed's order, then Customer Price and Partner Margin with a markup, amounts rounded.
pub fn row_values(row: &CostRow, decimals: u32, markup: bool) -> Vec<String> {
    row_cells(row, markup)
        .into_iter()
        .map(|cell| match cell {
            CostCell::Text(text) => text.into_owned(),
            CostCell::Amount(amount) => display_option(amount, decimals),
        })
        .collect()
}

/// A subscription as the totals name it: "Name (ID)", the ID alone, or "(no subscription)".
pub fn subscription_label(id: Option<&str>, name: Option<&str>) -> String {
    let id = id.unwrap_or("(no subscription)");
    name.map(|n| format!("{n} ({id})")).unwrap_or_else(|| id.to_string())
}

pub fn render(report: &CostReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let decimals = report.display_decimals;
    let markup = report.markup_pct.is_some();
    let mut table = new_table(colour);
    table.set_header(header(markup));
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
        table.add_row(values(subscription_label(s.id.as_deref(), s.name.as_deref()), &s.totals));
    }
    table.add_row(values("Total".to_string(), &report.totals));
    writeln!(out, "{table}")?;
    let period =
        report.period_days.map(|d| format!("{d} day(s)")).unwrap_or_else(|| "not stated (no dates)".to_string());
    writeln!(out, "currency: {currency}; period: {period}; discount: {} %", report.discount_pct.normalize())?;
    if let (Some(price), Some(margin)) = (report.totals.customer_price, report.totals.partner_margin) {
        writeln!(out, "customer price: {}; partner margin: {}", display(price, decimals), display(margin, decimals))?;
    }
    if let Some(amortized) = report.totals.amortized_cost {
        writeln!(
            out,
            "amortized cost (commitment purchases spread over their usage): {}",
            display(amortized, decimals)
        )?;
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
