//! The CSP Cost Assessment (seed 002 L14858–L14935; seed-digest-migration §3.3–§3.4): per resource × meter, the
//! current (EA) rate and cost beside the CSP rate and cost, and the difference; totals per subscription and
//! overall. Everything is exact (rust_decimal) and unrounded; renderers round for display only.
//!
//! Method (README "csp-planner cost"):
//! - **EA cost** = the usage file's cost column, summed (what was billed). **EA rate** = the rows' rate
//!   (`ResourceRate` / `EffectivePrice`); when the rows of a line have different rates, the quantity-weighted
//!   average Σ(quantity × rate) / Σ quantity, with a note.
//! - **CSP rate**, without a price list = EA rate × (1 − discount) — the seed's own method (digest §3.4 rule 1:
//!   0.095 × 0.85 = 0.08075, shown 0.0808). With a price list: its price for the meter (tiers applied to the
//!   meter's quantity over the whole usage, offer-term discount except its excluded meters), × (1 − discount)
//!   when `--discount` is given too. Reservation, savings-plan and purchase lines keep their EA rate.
//! - **CSP cost** = quantity × unrounded CSP rate (digest §3.4 rule 2, proved by the seed's row 1), **Cost Diff** =
//!   EA cost − CSP cost, unrounded (rule 3, proved by rows 3 and 5).
//! - With `--markup`: **Customer Price** = CSP cost × (1 + markup), **Partner Margin** = Customer Price − CSP cost.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::prices::{MeterQuery, PriceBook};
use super::usage::{CostUsage, UsageLine};
use crate::error::{Error, InputError, Result};
use crate::inventory::Tool;
use crate::model::checked::{self, Overflow};
use crate::model::{SourceRef, Warning};
use crate::read::InputSummary;
use crate::rules::cost::CostRules;

pub const SCHEMA_VERSION: u32 = 1;

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct CostOptions {
    /// The CSP discount in percent (`--discount 15`); 0 when not given.
    pub discount_pct: Decimal,
    pub discount_given: bool,
    pub markup_pct: Option<Decimal>,
    /// `--currency`, used when the usage names none.
    pub currency: Option<String>,
    /// The customer file's `currency`: used when the usage names none and `--currency` is not given.
    pub customer_currency: Option<String>,
    /// `--period-days N`: rescale the usage period to N days.
    pub period_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostRow {
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
    pub resource_id: String,
    pub consumed_service: Option<String>,
    pub meter_id: Option<String>,
    pub meter_name: Option<String>,
    pub consumed_quantity: Decimal,
    pub ea_rate: Option<Decimal>,
    pub list_rate: Option<Decimal>,
    pub ea_cost: Decimal,
    /// The amortized cost (FOCUS `EffectiveCost`), when the usage has that column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amortized_cost: Option<Decimal>,
    pub csp_rate: Option<Decimal>,
    pub csp_cost: Option<Decimal>,
    pub cost_diff: Option<Decimal>,
    pub customer_price: Option<Decimal>,
    pub partner_margin: Option<Decimal>,
    pub notes: Vec<String>,
    /// Usage a reservation or savings plan covers (`covered-by-commitment`).
    #[serde(skip)]
    pub covered: bool,
    /// The usage line's first row: where an overflow of a figure of the row, or of a total it enters, is reported.
    #[serde(skip)]
    pub first_row: SourceRef,
}

/// Totals of a set of rows: EA cost over all of them, CSP cost and the difference over the priced ones.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub ea_cost: Decimal,
    pub csp_cost: Decimal,
    pub cost_diff: Decimal,
    /// cost_diff / EA cost of the priced rows × 100; `None` when that EA cost is 0.
    pub savings_pct: Option<Decimal>,
    pub customer_price: Option<Decimal>,
    pub partner_margin: Option<Decimal>,
    /// EA cost of the rows without a CSP price (left out of csp_cost, cost_diff and savings_pct).
    pub unpriced_ea_cost: Decimal,
    /// EA cost of the usage a reservation or savings plan covers (no CSP price either; not in unpriced_ea_cost).
    pub covered_ea_cost: Decimal,
    /// The amortized cost of the rows that have one (FOCUS `EffectiveCost`); absent when no row has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amortized_cost: Option<Decimal>,
    #[serde(skip)]
    priced_ea_cost: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionTotals {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(flatten)]
    pub totals: Totals,
}

/// The price source, when one was given.
#[derive(Debug, Clone, Serialize)]
pub struct PriceSource {
    pub path: String,
    pub kind: String,
    pub currency: String,
    pub prices: usize,
    /// Lines priced from it.
    pub matched: usize,
    pub unmatched: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Vec<InputSummary>,
    pub rows: Vec<CostRow>,
    pub subscriptions: Vec<SubscriptionTotals>,
    pub totals: Totals,
    pub currency: Option<String>,
    /// Days the usage covers (first to last usage date), or the rescaled period with `--period-days`.
    pub period_days: Option<i64>,
    /// The period the usage itself covers, when it was rescaled.
    pub usage_period_days: Option<i64>,
    pub discount_pct: Decimal,
    pub markup_pct: Option<Decimal>,
    pub price_list: Option<PriceSource>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    /// Reservations, savings plans, Marketplace purchases and purchase rows among the usage (their rows are cost
    /// rows too).
    pub commitments: Vec<crate::model::Commitment>,
    /// Decimals for display (rules/cost.toml `display_decimals`).
    #[serde(skip)]
    pub display_decimals: u32,
}

impl crate::output::Json for CostReport {}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The inputs of one computation.
pub struct Costing<'a> {
    pub usage: CostUsage,
    pub inputs: Vec<InputSummary>,
    pub rules: &'a CostRules,
    pub options: &'a CostOptions,
    pub currency: Option<String>,
    pub prices: Option<(&'a PriceBook, String)>,
}

impl CostReport {
    /// The report; an amount beyond the decimal range (a huge quantity, rate or cost, or one scaled by
    /// `--period-days` or `--markup`) is an error naming the usage line, the option, or the total.
    pub fn build(costing: Costing) -> Result<Self> {
        let Costing { mut usage, inputs, rules, options, currency, prices } = costing;
        let mut notes = method_notes(options, prices.as_ref().map(|(book, path)| (*book, path.as_str())));
        let mut warnings = std::mem::take(&mut usage.warnings);
        let commitments = std::mem::take(&mut usage.commitments).into_vec();
        let usage_period = usage.first_day.zip(usage.last_day).map(|(first, last)| i64::from(last - first) + 1);
        let period_days = rescale(&mut usage, usage_period, options, rules, &mut notes)?;
        mismatch_warnings(&usage, &mut warnings);
        let priced = price_lines(&usage.lines, prices.as_ref().map(|(book, _)| *book))?;
        let factor = Decimal::ONE - options.discount_pct / HUNDRED;
        let names = subscription_names(&usage.lines);
        let price_list = prices.as_ref().map(|(book, path)| price_source(book, path, &priced));
        let mut rows: Vec<CostRow> = std::mem::take(&mut usage.lines)
            .into_iter()
            .zip(priced)
            .map(|(line, price)| cost_row(line, &price, factor, options.markup_pct, rules))
            .collect::<Result<_>>()?;
        rows.sort_by_cached_key(row_order);
        if let Some(source) = &price_list
            && source.unmatched > 0
        {
            warnings.push(Warning {
                location: source.path.clone(),
                message: format!(
                    "{} line(s) have no price in this price list (matched by meter ID, else by category, \
                     subcategory, name and region): their CSP rate and cost are empty and they are left out of the \
                     CSP totals (see totals.unpriced_ea_cost)",
                    source.unmatched
                ),
            });
        }
        if let Some((book, _)) = &prices {
            warnings.extend(book.warnings().iter().cloned());
        }
        let (subscriptions, totals) = totals(&rows, &names, options.markup_pct.is_some())?;
        Ok(CostReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            inputs,
            rows,
            subscriptions,
            totals,
            currency,
            period_days: period_days.or(usage_period),
            usage_period_days: period_days.and(usage_period),
            discount_pct: options.discount_pct,
            markup_pct: options.markup_pct,
            price_list,
            warnings,
            notes,
            commitments,
            display_decimals: rules.display_decimals(),
        })
    }
}

/// An amount of one usage line beyond the decimal range, at the line's first row.
fn line_too_large(first_row: &SourceRef, what: impl std::fmt::Display) -> Error {
    let SourceRef { path, location } = first_row.clone();
    InputError { path, location: Some(location), column: None, message: checked::too_large(what) }.into()
}

fn method_notes(options: &CostOptions, prices: Option<(&PriceBook, &str)>) -> Vec<String> {
    let discount = options.discount_pct.normalize();
    let mut notes = Vec::new();
    match prices {
        None => notes.push(format!(
            "CSP rate = EA rate × (1 − {discount} %), the CSP Cost Assessment's own method \
             (Microsoft's Azure CSP documentation, \"Assessment tool for migrating an existing Azure subscription to Azure CSP\": \"Enter your CSP discount [%]\")"
        )),
        Some((_, path)) => {
            notes.push(format!("CSP rate from the price list {path}, matched by meter ID, else by category, subcategory, name and region"));
            if options.discount_given {
                notes.push(format!("the discount of {discount} % applies on top of the price list's prices"));
            }
        }
    }
    notes.push(
        "EA cost is the usage file's cost column (what was billed), summed exactly; CSP cost = quantity × unrounded \
         CSP rate; Cost Diff = EA cost − CSP cost, unrounded (csp-planner's reading of the CSP Cost Assessment's sample)"
            .to_string(),
    );
    notes.push(
        "amounts are exact decimals (rust_decimal) and rounded only for display: 4 decimals, half away from zero, \
         trailing zeros dropped (0.08075 shows as 0.0808); JSON carries the unrounded values"
            .to_string(),
    );
    notes.push(
        "the CSP Cost Assessment's sample (Microsoft's Azure CSP documentation, \"Assessment tool for migrating an \
         existing Azure subscription to Azure CSP\"), row 3, shows CSP Rate 0.0739 for 0.087 × 0.85: binary floating point (0.07394999…); the \
         exact 0.07395 shows as 0.0740 here"
            .to_string(),
    );
    if let Some(markup) = options.markup_pct {
        notes.push(format!(
            "Customer Price = CSP cost × (1 + {} %); Partner Margin = Customer Price − CSP cost",
            markup.normalize()
        ));
    }
    notes
}

/// `--period-days N`: scales quantities and costs from the usage's own period to N days; returns N.
fn rescale(
    usage: &mut CostUsage,
    usage_period: Option<i64>,
    options: &CostOptions,
    rules: &CostRules,
    notes: &mut Vec<String>,
) -> Result<Option<i64>> {
    let (Some(wanted), Some(covered)) = (options.period_days, usage_period) else { return Ok(None) };
    let factor = Decimal::from(wanted) / Decimal::from(covered);
    for line in &mut usage.lines {
        let scaled = |value: Decimal, what: &str| {
            checked::mul(value, factor).map_err(|_| {
                line_too_large(
                    &line.first_row,
                    format!("--period-days {wanted}: {what} {value} rescaled from {covered} to {wanted} day(s)"),
                )
            })
        };
        let quantity = scaled(line.quantity, "the quantity")?;
        let ea_cost = scaled(line.ea_cost, "the cost")?;
        let amortized_cost = line.amortized_cost.map(|cost| scaled(cost, "the amortized cost")).transpose()?;
        let rated = scaled(line.rated, "quantity × rate")?;
        (line.quantity, line.ea_cost, line.amortized_cost, line.rated) = (quantity, ea_cost, amortized_cost, rated);
    }
    let month = rules.constants.value("month_days");
    notes.push(format!(
        "rescaled from the {covered} day(s) the usage covers to {wanted} days (quantities and costs × {wanted}/{covered}); \
         the CSP Migration Assessment Tool used the past {month} days of usage as they were \
         (Microsoft's Azure CSP documentation, \"Assessment tool for migrating an existing Azure subscription to Azure CSP\": \"Resource costs are based on the past 30 days of usage\")"
    ));
    Ok(Some(i64::from(wanted)))
}

fn mismatch_warnings(usage: &CostUsage, warnings: &mut Vec<Warning>) {
    for m in &usage.mismatches {
        warnings.push(Warning {
            location: m.location.clone(),
            message: format!(
                "quantity × rate = {} × {} = {} differs from the cost column {} by more than half a cent or 0.1 %; \
                 the cost column is used",
                m.quantity,
                m.rate,
                m.quantity.checked_mul(m.rate).unwrap_or_default().normalize(),
                m.cost
            ),
        });
    }
    let unlisted = usage.mismatch_count.saturating_sub(usage.mismatches.len() as u64);
    if unlisted > 0 {
        warnings.push(Warning {
            location: "usage".to_string(),
            message: format!("{unlisted} more row(s) fail the quantity × rate check (not listed)"),
        });
    }
}

/// A line's CSP price from the price book, before the discount: the rate and where it came from.
#[derive(Debug, Clone)]
struct LinePrice {
    rate: Decimal,
    location: String,
    tiered: bool,
}

/// Each line's price-book price (`None` without a book, for undiscounted lines and for unmatched meters),
/// with tiers applied to the quantity of the meter over all lines.
fn price_lines(lines: &[UsageLine], book: Option<&PriceBook>) -> Result<Vec<Option<Option<LinePrice>>>> {
    let Some(book) = book else { return Ok(vec![None; lines.len()]) };
    let keys: Vec<Option<usize>> = lines
        .iter()
        .map(|line| {
            if line.undiscounted.is_some() {
                return None;
            }
            let query = MeterQuery {
                meter_id: line.meter_id.as_deref(),
                category: line.meter_category.as_deref(),
                subcategory: line.meter_subcategory.as_deref(),
                name: line.meter_name.as_deref(),
                region: line.meter_region.as_deref(),
            };
            book.lookup(&query).map(|(key, _)| key)
        })
        .collect();
    let mut totals: BTreeMap<usize, Decimal> = BTreeMap::new();
    for (line, key) in lines.iter().zip(&keys) {
        if let Some(key) = key {
            let total = totals.entry(*key).or_default();
            *total = checked::add(*total, line.quantity).map_err(|_| {
                line_too_large(&line.first_row, "the quantity of this meter over the whole usage (for its price tiers)")
            })?;
        }
    }
    let mut rates: BTreeMap<usize, Option<(Decimal, bool)>> = BTreeMap::new();
    for (&key, &total) in &totals {
        let price = book.price(key);
        let rate = match price.flat_rate() {
            Some(rate) => Some((rate, false)),
            None if total.is_zero() => price.tiers.first().map(|t| (t.rate, true)),
            None => {
                let rate = price.cost_of_total(total).and_then(|cost| cost.checked_div(total));
                let what = format!("the cost of {total} units of this meter at its price tiers");
                let message = checked::too_large(what);
                Some((
                    rate.ok_or_else(|| InputError {
                        path: price.location.clone(),
                        location: None,
                        column: None,
                        message,
                    })?,
                    true,
                ))
            }
        };
        rates.insert(key, rate);
    }
    Ok(lines
        .iter()
        .zip(&keys)
        .map(|(line, key)| {
            if line.undiscounted.is_some() {
                return None;
            }
            Some(key.and_then(|key| {
                let (rate, tiered) = rates.get(&key).copied().flatten()?;
                Some(LinePrice { rate, location: book.price(key).location.clone(), tiered })
            }))
        })
        .collect())
}

/// The EA rate shown for a line, and a note when it is not simply the rows' rate.
fn ea_rate(line: &UsageLine) -> (Option<Decimal>, Option<String>) {
    if let Some(rate) = line.rate.uniform_rate() {
        return (Some(rate), None);
    }
    if line.quantity.is_zero() {
        return (line.rate.first, None);
    }
    if line.rated_rows == line.rows && line.rows > 0 {
        let average = line.rated.checked_div(line.quantity);
        let note = format!(
            "the EA rate differs between the line's {} rows: shown is Σ(quantity × rate) / Σ quantity",
            line.rows
        );
        return (average, Some(note));
    }
    let average = line.ea_cost.checked_div(line.quantity);
    (average, Some("not every row has an EA rate: shown is EA cost / quantity".to_string()))
}

fn cost_row(
    line: UsageLine,
    price: &Option<Option<LinePrice>>,
    factor: Decimal,
    markup_pct: Option<Decimal>,
    rules: &CostRules,
) -> Result<CostRow> {
    let (ea_rate, rate_note) = ea_rate(&line);
    let mut notes: Vec<String> = rate_note.into_iter().collect();
    let (csp_rate, csp_cost) = csp_rate_and_cost(&line, ea_rate, price, factor, rules, &mut notes)?;
    let cost_diff = csp_cost
        .map(|csp| checked::sub(line.ea_cost, csp))
        .transpose()
        .map_err(|_| line_too_large(&line.first_row, "the cost difference (EA cost − CSP cost)"))?;
    let customer_price = customer_price(&line, csp_cost, markup_pct)?;
    // |price − cost| = |cost| × markup %, smaller than the price just computed.
    let partner_margin = customer_price.zip(csp_cost).map(|(price, csp)| price - csp);
    let list_rate = line.list_rate.uniform_rate().or(line.list_rate.first);
    Ok(CostRow {
        subscription_id: line.subscription_id,
        resource_group: line.resource_group,
        resource_id: line.resource_id,
        consumed_service: line.consumed_service,
        meter_id: line.meter_id,
        meter_name: line.meter_name,
        consumed_quantity: line.quantity,
        ea_rate,
        list_rate,
        ea_cost: line.ea_cost,
        amortized_cost: line.amortized_cost,
        csp_rate,
        csp_cost,
        cost_diff,
        customer_price,
        partner_margin,
        notes,
        covered: line.covered,
        first_row: line.first_row,
    })
}

/// The line's CSP rate and cost, with a note saying where they come from: none for a line a commitment covers or
/// a meter the price list lacks, the EA rate for a meter not discounted, the price list's, else the EA rate
/// discounted.
fn csp_rate_and_cost(
    line: &UsageLine,
    ea_rate: Option<Decimal>,
    price: &Option<Option<LinePrice>>,
    factor: Decimal,
    rules: &CostRules,
    notes: &mut Vec<String>,
) -> Result<(Option<Decimal>, Option<Decimal>)> {
    Ok(match (line.undiscounted.and_then(|u| rules.undiscounted.get(u)), price) {
        _ if line.covered => {
            notes.push(format!(
                "{COVERED_NOTE}: covered by a reservation or savings plan; kept at its EA cost, with no CSP rate or \
                 cost (what it costs after the move depends on what becomes of the commitment): see covered_ea_cost"
            ));
            (None, None)
        }
        (Some(rule), _) => {
            notes.push(format!("not discounted: {} ({})", rule.note, rule.rule));
            (ea_rate, Some(line.ea_cost))
        }
        (None, Some(None)) => {
            notes.push("no CSP price for this meter in the price list: left out of the CSP totals".to_string());
            (None, None)
        }
        (None, Some(Some(found))) => {
            let tier = if found.tiered {
                " (tiered: the effective rate for the meter's quantity over the whole usage)"
            } else {
                ""
            };
            notes.push(format!("CSP rate from {}{tier}", found.location));
            // The factor is at most 1: the discounted rate is no larger than the price.
            let rate = found.rate * factor;
            let cost = checked::mul(line.quantity, rate).map_err(|_| {
                let what = format!(
                    "the CSP cost (quantity × CSP rate: {} × {rate}, the rate from {})",
                    line.quantity, found.location
                );
                line_too_large(&line.first_row, what)
            })?;
            (Some(rate), Some(cost))
        }
        (None, None) => discounted(line, ea_rate, factor)
            .map_err(|_| line_too_large(&line.first_row, format!("the CSP cost of quantity {}", line.quantity)))?,
    })
}

/// With `--markup`: the customer price, CSP cost × (1 + markup %).
fn customer_price(line: &UsageLine, csp_cost: Option<Decimal>, markup_pct: Option<Decimal>) -> Result<Option<Decimal>> {
    markup_pct.zip(csp_cost).map(|(m, csp)| checked::mul(csp, Decimal::ONE + m / HUNDRED)).transpose().map_err(|_| {
        let markup = markup_pct.unwrap_or_default();
        let what = format!("--markup {markup}: the customer price (CSP cost × (1 + {markup} %))");
        line_too_large(&line.first_row, what)
    })
}

/// The note of a cost row that a commitment covers.
pub const COVERED_NOTE: &str = "covered-by-commitment";

/// The seed's method: CSP rate = EA rate × (1 − discount); CSP cost = quantity × CSP rate. A line whose rows have
/// different rates is discounted as a whole (Σ quantity × rate × factor), which is the same sum row by row.
/// The factor is at most 1, so only quantity × rate can overflow.
fn discounted(
    line: &UsageLine,
    ea_rate: Option<Decimal>,
    factor: Decimal,
) -> Result<(Option<Decimal>, Option<Decimal>), Overflow> {
    let csp_rate = ea_rate.map(|r| r * factor);
    let csp_cost = match line.rate.uniform_rate() {
        Some(_) => csp_rate.map(|r| checked::mul(line.quantity, r)).transpose()?,
        None if line.rated_rows == line.rows && line.rows > 0 => Some(checked::mul(line.rated, factor)?),
        None => Some(checked::mul(line.ea_cost, factor)?),
    };
    Ok((csp_rate, csp_cost))
}

/// Rows by subscription, resource group, resource ID, meter name and meter ID, ignoring ASCII case (as Azure
/// compares IDs), then as spelled, so the order is total and the same on every run.
fn row_order(row: &CostRow) -> (Vec<u8>, String, Option<String>) {
    let mut key = Vec::new();
    for field in [
        row.subscription_id.as_deref(),
        row.resource_group.as_deref(),
        Some(row.resource_id.as_str()),
        row.meter_name.as_deref(),
        row.meter_id.as_deref(),
    ] {
        key.extend(field.unwrap_or_default().bytes().map(|b| b.to_ascii_lowercase()));
        key.push(0);
    }
    (key, row.resource_id.clone(), row.meter_id.clone())
}

/// Adds `value` into `total`, naming the total when the sum leaves the range.
fn add_to(total: &mut Decimal, value: Decimal, name: &'static str) -> Result<(), &'static str> {
    *total = checked::add(*total, value).map_err(|_| name)?;
    Ok(())
}

impl Totals {
    /// Adds one row; `Err` names the total that overflowed.
    fn add(&mut self, row: &CostRow, markup: bool) -> Result<(), &'static str> {
        add_to(&mut self.ea_cost, row.ea_cost, "EA cost")?;
        if let Some(amortized) = row.amortized_cost {
            add_to(self.amortized_cost.get_or_insert_default(), amortized, "amortized cost")?;
        }
        match row.csp_cost {
            Some(csp) => {
                add_to(&mut self.priced_ea_cost, row.ea_cost, "EA cost of the priced lines")?;
                add_to(&mut self.csp_cost, csp, "CSP cost")?;
            }
            None if row.covered => add_to(&mut self.covered_ea_cost, row.ea_cost, "covered EA cost")?,
            None => add_to(&mut self.unpriced_ea_cost, row.ea_cost, "unpriced EA cost")?,
        }
        if markup {
            let price = row.customer_price.unwrap_or_default();
            add_to(self.customer_price.get_or_insert_default(), price, "customer price")?;
            let margin = row.partner_margin.unwrap_or_default();
            add_to(self.partner_margin.get_or_insert_default(), margin, "partner margin")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), &'static str> {
        self.cost_diff = checked::sub(self.priced_ea_cost, self.csp_cost).map_err(|_| "cost difference")?;
        self.savings_pct = self.cost_diff.checked_mul(HUNDRED).and_then(|d| d.checked_div(self.priced_ea_cost));
        Ok(())
    }
}

/// A total beyond the decimal range: which total, of which subscription or overall, and the row that took it
/// over (its file and line).
fn total_too_large(name: &str, scope: &str, row: &CostRow) -> Error {
    line_too_large(&row.first_row, format!("the total {name} {scope}, with this line's amounts added,"))
}

/// Each subscription's name (lowercased ID → the first name seen).
fn subscription_names(lines: &[UsageLine]) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        if let (Some(id), Some(name)) = (&line.subscription_id, &line.subscription_name) {
            names.entry(id.to_ascii_lowercase()).or_insert_with(|| name.clone());
        }
    }
    names
}

fn totals(
    rows: &[CostRow],
    names: &BTreeMap<String, String>,
    markup: bool,
) -> Result<(Vec<SubscriptionTotals>, Totals)> {
    let mut by_subscription: BTreeMap<String, SubscriptionTotals> = BTreeMap::new();
    let mut overall = Totals::default();
    for row in rows {
        let key = row.subscription_id.as_deref().unwrap_or_default().to_ascii_lowercase();
        let entry = by_subscription.entry(key.clone()).or_insert_with(|| SubscriptionTotals {
            id: row.subscription_id.clone(),
            name: names.get(&key).cloned(),
            totals: Totals::default(),
        });
        let scope = format!("of subscription {}", row.subscription_id.as_deref().unwrap_or("(none)"));
        entry.totals.add(row, markup).map_err(|name| total_too_large(name, &scope, row))?;
        overall.add(row, markup).map_err(|name| total_too_large(name, "over all subscriptions", row))?;
    }
    // The differences of totals that fit: a subscription's last row is named when one overflows.
    let mut subscriptions: Vec<SubscriptionTotals> = by_subscription.into_values().collect();
    for s in &mut subscriptions {
        let scope = format!("of subscription {}", s.id.as_deref().unwrap_or("(none)"));
        let last = rows.iter().rev().find(|r| r.subscription_id == s.id);
        s.totals.finish().map_err(|name| total_too_large(name, &scope, last.unwrap_or(&rows[0])))?;
    }
    if let Some(last) = rows.last() {
        overall.finish().map_err(|name| total_too_large(name, "over all subscriptions", last))?;
    }
    Ok((subscriptions, overall))
}

fn price_source(book: &PriceBook, path: &str, priced: &[Option<Option<LinePrice>>]) -> PriceSource {
    let kind = match book.kind() {
        super::prices::PriceSourceKind::PriceList => "price-list",
        super::prices::PriceSourceKind::RateCard => "rate-card",
    };
    PriceSource {
        path: path.to_string(),
        kind: kind.to_string(),
        currency: book.currency().to_string(),
        prices: book.len(),
        matched: priced.iter().filter(|p| matches!(p, Some(Some(_)))).count(),
        unmatched: priced.iter().filter(|p| matches!(p, Some(None))).count(),
    }
}
