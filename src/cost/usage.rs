//! The usage rows as the cost assessment needs them, read as a stream (two threads, `read::table::stream`) and
//! summed per subscription × resource × meter × pricing (a reservation's rows are kept apart from the same
//! meter's pay-as-you-go rows: they are priced differently). Memory grows with the number of lines, never with
//! the number of rows.
//!
//! Per row: the quantity and the cost column (what was billed, summed exactly), the EA rate (`ResourceRate` /
//! `EffectivePrice`) and the list price (`UnitPrice`), the date, the currency. Quantity × rate is a check, not a
//! source: a row that disagrees with its cost column by more than the tolerance of `rules/cost.toml` is a warning.

use std::collections::BTreeSet;

use csv::ByteRecord;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::model::{Commitments, FirstRow, SourceRef, Warning, checked, resource_id};
use crate::read::ReadContext;
use crate::read::aggregate::{Aggregates, KeyedRows};
use crate::read::cells::{CellReader, RowText};
use crate::read::table::{self, Header, Records};
use crate::read::usage::CommitmentColumns;
use crate::rules::commitments::{CommitmentKind, CommitmentRules, RowCommitment};
use crate::rules::cost::CostRules;

/// Column indexes of the fields the cost assessment reads.
struct Columns {
    resource_id: usize,
    /// `None`: no quantity column (cost-only exports): quantities are 0.
    quantity: Option<usize>,
    cost: Option<usize>,
    /// FOCUS `EffectiveCost`: the cost with commitment purchases spread over the usage they cover.
    amortized_cost: Option<usize>,
    rate: Option<usize>,
    list_rate: Option<usize>,
    currency: Option<usize>,
    date: Option<usize>,
    pricing_model: Option<usize>,
    charge_type: Option<usize>,
    subscription_id: Option<usize>,
    subscription_name: Option<usize>,
    resource_group: Option<usize>,
    consumed_service: Option<usize>,
    meter_id: Option<usize>,
    meter_category: Option<usize>,
    meter_subcategory: Option<usize>,
    meter_name: Option<usize>,
    meter_region: Option<usize>,
    unit: Option<usize>,
    commitment: CommitmentColumns,
}

impl Columns {
    fn from_header(header: &Header) -> Self {
        let col = |field: &str| header.column(field);
        Columns {
            // Both are signature fields of the usage kind, so the header has them.
            resource_id: col("resource_id").unwrap_or(0),
            quantity: col("quantity"),
            cost: col("cost"),
            amortized_cost: col("amortized_cost"),
            rate: col("rate"),
            list_rate: col("list_rate"),
            currency: col("currency"),
            date: col("date"),
            pricing_model: col("pricing_model"),
            charge_type: col("charge_type"),
            subscription_id: col("subscription_id"),
            subscription_name: col("subscription_name"),
            resource_group: col("resource_group"),
            consumed_service: col("consumed_service"),
            meter_id: col("meter_id"),
            meter_category: col("meter_category"),
            meter_subcategory: col("meter_subcategory"),
            meter_name: col("meter_name"),
            meter_region: col("meter_region"),
            unit: col("unit"),
            commitment: CommitmentColumns::from_header(header),
        }
    }
}

fn is_negative(value: Decimal) -> bool {
    value.is_sign_negative() && !value.is_zero()
}

/// A rate seen on the rows of a line: the first row's, and whether every row had that same rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateSeen {
    pub first: Option<Decimal>,
    pub uniform: bool,
    seen: bool,
}

impl RateSeen {
    fn see(&mut self, rate: Option<Decimal>) {
        if !self.seen {
            *self = RateSeen { first: rate, uniform: rate.is_some(), seen: true };
        } else if rate.is_none() || rate != self.first {
            self.uniform = false;
        }
    }

    /// The rate when every row had the same one.
    pub fn uniform_rate(&self) -> Option<Decimal> {
        self.first.filter(|_| self.uniform)
    }
}

/// What the rows of a line add up to, while reading.
#[derive(Debug, Clone, Copy, Default)]
struct LineSums {
    quantity: Decimal,
    ea_cost: Decimal,
    amortized_cost: Option<Decimal>,
    rated: Decimal,
    rated_rows: u64,
    rows: u64,
    rate: RateSeen,
    list_rate: RateSeen,
}

/// A resource's lines by meter number: the first few inline (most resources bill one to three meters), so
/// finding the line costs one cache line.
#[derive(Debug, Clone, Default)]
struct LineSlots {
    inline: [(u32, u32); 3],
    len: u8,
    more: Vec<(u32, u32)>,
}

impl LineSlots {
    fn find(&self, meter: u32) -> Option<u32> {
        let inline = self.inline.get(..usize::from(self.len)).unwrap_or_default();
        inline.iter().chain(&self.more).find(|(m, _)| *m == meter).map(|&(_, line)| line)
    }

    fn push(&mut self, meter: u32, line: u32) {
        match self.inline.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = (meter, line);
                self.len += 1;
            }
            None => self.more.push((meter, line)),
        }
    }
}

/// One resource × meter × pricing, summed over its rows.
#[derive(Debug, Clone)]
pub struct UsageLine {
    pub subscription_id: Option<String>,
    pub subscription_name: Option<String>,
    pub resource_group: Option<String>,
    /// As first spelled; empty for rows that name no resource (purchases, support).
    pub resource_id: String,
    pub consumed_service: Option<String>,
    pub meter_id: Option<String>,
    pub meter_category: Option<String>,
    pub meter_subcategory: Option<String>,
    pub meter_name: Option<String>,
    pub meter_region: Option<String>,
    pub unit: Option<String>,
    /// The `rules/cost-undiscounted.csv` entry that keeps the EA rate (reservation, savings plan, purchase).
    pub undiscounted: Option<usize>,
    /// Usage a reservation or savings plan covers: no CSP rate or cost (rules/commitments.toml `[covered]`).
    pub covered: bool,
    pub quantity: Decimal,
    /// The cost column, summed: what was billed.
    pub ea_cost: Decimal,
    /// The amortized cost column (FOCUS `EffectiveCost`), summed, when the input has one.
    pub amortized_cost: Option<Decimal>,
    /// Σ quantity × EA rate over the rows that have a rate.
    pub rated: Decimal,
    /// Rows with an EA rate.
    pub rated_rows: u64,
    pub rate: RateSeen,
    pub list_rate: RateSeen,
    pub rows: u64,
    /// The file and place of the line's first row ("line 12", "sheet \"Usage\", row 12"): where an overflow
    /// of a figure of the line is reported.
    pub first_row: SourceRef,
}

/// A row whose quantity × rate disagrees with its cost column.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub location: String,
    pub quantity: Decimal,
    pub rate: Decimal,
    pub cost: Decimal,
}

/// Everything read from the usage inputs.
#[derive(Default)]
pub struct CostUsage {
    pub lines: Vec<UsageLine>,
    /// Currencies seen, with one row location each.
    pub currencies: Vec<(String, String)>,
    /// First and last usage day (Julian day numbers), when the rows carry dates.
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
    pub rows: u64,
    pub mismatches: Vec<Mismatch>,
    pub mismatch_count: u64,
    pub warnings: Vec<Warning>,
    /// Whether any input had a rate column (the check needs one).
    pub had_rate_column: bool,
    pub had_list_rate_column: bool,
    /// Rows with a negative quantity (corrections).
    correction_rows: u64,
    /// The commitments and purchases among the rows (they stay cost lines too).
    pub commitments: Commitments,
    /// While reading: the resources (the inventory's tuned index, `read::aggregate`), the meters (meter
    /// identity, unit and pricing: a small hot table) and each resource's lines by meter number.
    resources: Aggregates,
    meters: FxHashMap<Box<[u8]>, u32>,
    lines_of: Vec<LineSlots>,
    /// Each line's sums while reading, parallel to `lines` and small, so the per-row update touches little
    /// memory; moved into the lines by `finish`.
    sums: Vec<LineSums>,
    /// Per row of the batch being consumed: its resource's position, then its line.
    batch_positions: Vec<usize>,
    batch_lines: Vec<usize>,
    /// The last currency cell seen (rows of an export are almost always in one currency).
    last_currency: Vec<u8>,
    rows_without_date: u64,
    rows_without_rate: u64,
    /// Dates that could not be read, with the first place.
    unreadable_dates: Option<(String, String)>,
}

/// What the parsing threads work out per row (see [`KeyedRows`]: the resource keys, the meter keys).
type PreparedRows = KeyedRows<PreparedRow>;

struct PreparedRow {
    /// `None` for a blank row.
    numbers: Option<RowNumbers>,
}

struct RowNumbers {
    /// The row's resource key in the batch's `resources`.
    resource: usize,
    /// Where the row's meter key is in the batch's `meters`.
    meter: std::ops::Range<usize>,
    quantity: Decimal,
    cost: Decimal,
    /// `None` when the input has no amortized cost column.
    amortized_cost: Option<Decimal>,
    rate: Option<Decimal>,
    /// quantity × rate, when the row has a rate.
    rated: Option<Decimal>,
    list_rate: Option<Decimal>,
    day: DateCell,
    undiscounted: Option<usize>,
    /// Usage a reservation or savings plan covers.
    covered: bool,
    /// The commitment kind (index in the rules) of a commitment or purchase row.
    commitment: Option<usize>,
    /// quantity × rate is off the cost column by more than the tolerance.
    mismatch: bool,
}

enum DateCell {
    Missing,
    Day(i32),
    Unreadable,
}

/// Reads one usage table into `usage`.
pub fn read(
    records: &mut dyn Records,
    header: &Header,
    ctx: &ReadContext,
    rules: &CostRules,
    usage: &mut CostUsage,
) -> Result<()> {
    let columns = Columns::from_header(header);
    usage.had_rate_column |= columns.rate.is_some();
    usage.had_list_rate_column |= columns.list_rate.is_some();
    let locator = records.locator();
    let cells = CellReader { path: &ctx.path, locator: &locator, header, separator: records.decimal_separator() };
    let (tolerance_abs, tolerance_rel) = rules.tolerance();
    let commitments = &ctx.rules.commitments;
    let preparer = Preparer { columns: &columns, cells: &cells, rules, commitments, tolerance_abs, tolerance_rel };
    let prepare = |record: &ByteRecord, row: u64, prepared: &mut PreparedRows| preparer.prepare(record, row, prepared);
    let consume = |records: &[ByteRecord], rows: &[u64], prepared: &PreparedRows| -> Result<()> {
        usage.resolve_lines(records, rows, prepared, &columns, &cells)?;
        let lines = std::mem::take(&mut usage.batch_lines);
        for ((record, row, numbers), &line) in numbered_rows(records, rows, prepared).zip(&lines) {
            usage.add(record, row, numbers, line, &columns, &cells, rules)?;
            if let Some(kind) = numbers.commitment.and_then(|k| commitments.kinds.get(k)) {
                usage.list_commitment(kind, record, row, numbers.cost, &columns, &cells, &ctx.display)?;
            }
        }
        usage.batch_lines = lines;
        Ok(())
    };
    table::stream(records, prepare, consume)
}

/// The non-blank rows of a batch: record, row number and what was prepared for it.
fn numbered_rows<'a>(
    records: &'a [ByteRecord],
    rows: &'a [u64],
    prepared: &'a PreparedRows,
) -> impl Iterator<Item = (&'a ByteRecord, u64, &'a RowNumbers)> {
    records
        .iter()
        .zip(rows)
        .zip(&prepared.rows)
        .filter_map(|((record, &row), p)| p.numbers.as_ref().map(|n| (record, row, n)))
}

/// The per-row work that needs nothing but the row; runs on whichever thread parses it.
struct Preparer<'a> {
    columns: &'a Columns,
    cells: &'a CellReader<'a>,
    rules: &'a CostRules,
    commitments: &'a CommitmentRules,
    tolerance_abs: Decimal,
    tolerance_rel: Decimal,
}

impl Preparer<'_> {
    fn prepare(&self, record: &ByteRecord, row: u64, prepared: &mut PreparedRows) -> Result<()> {
        if crate::read::blank::is_blank_usage_row(record) {
            prepared.rows.push(PreparedRow { numbers: None });
            return Ok(());
        }
        let c = self.columns;
        let optional = |column: Option<usize>| column.map(|col| self.cells.decimal(record, row, col)).transpose();
        let quantity = optional(c.quantity)?.flatten().unwrap_or_default();
        let cost = optional(c.cost)?.flatten().unwrap_or_default();
        // A negative quantity is a correction of an earlier charge (FOCUS and Cost Management write them with a
        // negative cost); with a positive cost it is not consumption of any kind.
        if is_negative(quantity) && !is_negative(cost) && !cost.is_zero() {
            return Err(self.cells.error(
                row,
                c.quantity,
                format!(
                    "expected a quantity of 0 or more, found {quantity} with a cost of {cost} (a negative quantity \
                     is read only as a correction, with a negative cost)"
                ),
            ));
        }
        // With the column present, an empty cell amortizes to 0 (FOCUS leaves it empty on rows it does not cost).
        let amortized_cost = optional(c.amortized_cost)?.map(Option::unwrap_or_default);
        let rate = optional(c.rate)?.flatten();
        let list_rate = optional(c.list_rate)?.flatten();
        let text = RowText::new(record);
        let undiscounted = self.rules.undiscounted(&text.text(c.pricing_model), &text.text(c.charge_type));
        let id_text = text.text(Some(c.resource_id));
        let (commitment, covered) = match c.commitment.classify(self.commitments, &text, &id_text) {
            RowCommitment::Commitment(kind) | RowCommitment::MarketplaceResource(kind) => {
                (self.commitments.kinds.iter().position(|k| std::ptr::eq(k, kind)), false)
            }
            RowCommitment::Covered => (None, true),
            RowCommitment::Usage => (None, false),
        };
        let id = record.get(c.resource_id).map_or(&[][..], <[u8]>::trim_ascii);
        let resource =
            if id.is_empty() { prepared.keys.push(&no_resource_key(record, c)) } else { prepared.keys.push(id) };
        let start = prepared.meter_keys.len();
        meter_key(&text, c, undiscounted, covered, &mut prepared.meter_keys);
        let meter = start..prepared.meter_keys.len();
        let rated = rate.map(|rate| quantity.checked_mul(rate));
        let mismatch = rated.is_some_and(|expected| {
            let tolerance = self.tolerance_abs.max(cost.abs() * self.tolerance_rel);
            expected.and_then(|e| e.checked_sub(cost)).is_none_or(|difference| difference.abs() > tolerance)
        });
        let rated = match rated {
            Some(None) => {
                let product =
                    format!("quantity × rate ({} × {})", written(record, c.quantity), written(record, c.rate));
                return Err(self.cells.error(row, c.rate, checked::too_large(product)));
            }
            Some(Some(rated)) => Some(rated),
            None => None,
        };
        let numbers = RowNumbers {
            resource,
            meter,
            quantity,
            cost,
            amortized_cost,
            rate,
            rated,
            list_rate,
            day: date_cell(&text.text(c.date)),
            undiscounted,
            covered,
            commitment,
            mismatch,
        };
        prepared.rows.push(PreparedRow { numbers: Some(numbers) });
        Ok(())
    }
}

/// The resource part of a line's identity is the resource ID (the index compares it ignoring case, as Azure
/// does). Rows without one (purchases, support) are one resource per subscription, under a key no ID can have.
fn no_resource_key(record: &ByteRecord, c: &Columns) -> Vec<u8> {
    let subscription = c.subscription_id.and_then(|col| record.get(col)).map_or(&[][..], <[u8]>::trim_ascii);
    [b"\x1f(no resource)\x1f".as_slice(), subscription].concat()
}

/// The rest of a line's identity: the meter (its ID, else category, subcategory and name), the unit and the
/// undiscounted rule, all ignoring case.
fn meter_key(text: &RowText, c: &Columns, undiscounted: Option<usize>, covered: bool, key: &mut Vec<u8>) {
    const SEPARATOR: u8 = 0x1f;
    let push_lower = |text: &str, key: &mut Vec<u8>| {
        let start = key.len();
        key.extend_from_slice(text.as_bytes());
        key[start..].make_ascii_lowercase();
        key.push(SEPARATOR);
    };
    let meter_id = text.text(c.meter_id);
    if meter_id.is_empty() {
        for column in [c.meter_category, c.meter_subcategory, c.meter_name] {
            push_lower(&text.text(column), key);
        }
    } else {
        push_lower(&meter_id, key);
    }
    push_lower(&text.text(c.unit), key);
    key.extend_from_slice(&undiscounted.map_or(u32::MAX, |u| u as u32).to_le_bytes());
    key.push(u8::from(covered));
}

/// Usage dates: `MM/DD/YYYY` (EA portal, Cost Management exports in the US format; seed sample 09/15/2017,
/// finops-EA_AmortizedCost_Small.csv 09/22/2023) or ISO `YYYY-MM-DD` with an optional time (`UsageDateTime`).
fn date_cell(text: &str) -> DateCell {
    if text.is_empty() {
        return DateCell::Missing;
    }
    let date = text.split_once(['T', ' ']).map_or(text, |(date, _)| date);
    let us_order = date.contains('/');
    let mut parts = date.split(['/', '-']).map(|p| p.parse::<i32>().ok());
    let (Some(Some(a)), Some(Some(b)), Some(Some(c)), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return DateCell::Unreadable;
    };
    let (year, month, day) = if us_order { (c, a, b) } else { (a, b, c) };
    let month = u8::try_from(month).ok().and_then(|m| time::Month::try_from(m).ok());
    match (month, u8::try_from(day).ok()) {
        (Some(month), Some(day)) => time::Date::from_calendar_date(year, month, day)
            .map_or(DateCell::Unreadable, |date| DateCell::Day(date.to_julian_day())),
        _ => DateCell::Unreadable,
    }
}

impl CostUsage {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        record: &ByteRecord,
        row: u64,
        numbers: &RowNumbers,
        index: usize,
        columns: &Columns,
        cells: &CellReader,
        rules: &CostRules,
    ) -> Result<()> {
        self.rows += 1;
        self.correction_rows += u64::from(is_negative(numbers.quantity));
        let at = |column: Option<usize>| format!("{}, {}", cells.path.display(), cells.locator.locate(row, column));
        self.see_currency(record, columns.currency, || at(None));
        self.see_day(&numbers.day, || (at(columns.date), RowText::new(record).text(columns.date).into_owned()));
        if numbers.mismatch {
            self.mismatch_count += 1;
            if self.mismatches.len() < rules.max_listed_warnings() {
                self.mismatches.push(Mismatch {
                    location: at(None),
                    quantity: numbers.quantity,
                    rate: numbers.rate.unwrap_or_default(),
                    cost: numbers.cost,
                });
            }
        }
        let Some(line) = self.sums.get_mut(index) else { return Ok(()) };
        // A sum over the rows of one resource × meter that overflows names this row's cell of the column summed.
        let overflow = |column: Option<usize>, what: &str| {
            let sum = format!(
                "the sum of {what} over the rows of this resource and meter (this row adds {})",
                written(record, column)
            );
            move |_| cells.error(row, column, checked::too_large(sum))
        };
        line.quantity =
            checked::add(line.quantity, numbers.quantity).map_err(overflow(columns.quantity, "the quantity"))?;
        line.ea_cost = checked::add(line.ea_cost, numbers.cost).map_err(overflow(columns.cost, "the cost"))?;
        if let Some(amortized) = numbers.amortized_cost {
            let sum = checked::add(line.amortized_cost.unwrap_or_default(), amortized)
                .map_err(overflow(columns.amortized_cost, "the amortized cost"))?;
            line.amortized_cost = Some(sum);
        }
        if let Some(rated) = numbers.rated {
            line.rated = checked::add(line.rated, rated).map_err(overflow(columns.quantity, "quantity × rate"))?;
            line.rated_rows += 1;
        } else {
            self.rows_without_rate += 1;
        }
        line.rate.see(numbers.rate);
        line.list_rate.see(numbers.list_rate);
        line.rows += 1;
        Ok(())
    }

    /// The line of every row of a batch, into `batch_lines` (lines seen for the first time are made from their
    /// row). In passes whose memory loads do not depend on one another, so the processor overlaps their cache
    /// misses (as `read::aggregate` does for the resources): the resources' positions, touching their line slots;
    /// then the lines, touching their sums.
    fn resolve_lines(
        &mut self,
        records: &[ByteRecord],
        rows: &[u64],
        prepared: &PreparedRows,
        columns: &Columns,
        cells: &CellReader,
    ) -> Result<()> {
        self.resources.look_ahead(&prepared.keys);
        self.batch_positions.clear();
        self.batch_lines.clear();
        let mut touched = 0u8;
        for (prepared_row, &row) in prepared.rows.iter().zip(rows) {
            let Some(numbers) = &prepared_row.numbers else { continue };
            let Some((position, _)) = self.resources.find_or_insert(&prepared.keys, numbers.resource) else {
                return Err(cells.error(row, None, "too many distinct resource IDs to aggregate (over 4 GiB of IDs)"));
            };
            if position >= self.lines_of.len() {
                self.lines_of.resize_with(position + 1, LineSlots::default);
            }
            touched ^= self.lines_of.get(position).map_or(0, |slots| slots.len);
            self.batch_positions.push(position);
        }
        std::hint::black_box(touched);
        let positions = std::mem::take(&mut self.batch_positions);
        for ((record, row, numbers), &position) in numbered_rows(records, rows, prepared).zip(&positions) {
            let line = self.line_of(position, numbers, prepared, record, columns, cells, row)?;
            touched ^= self.sums.get(line).map_or(0, |s| s.rows as u8);
            self.batch_lines.push(line);
        }
        std::hint::black_box(touched);
        self.batch_positions = positions;
        Ok(())
    }

    /// The line of a resource's row, made from the row when it is the first.
    #[allow(clippy::too_many_arguments)]
    fn line_of(
        &mut self,
        position: usize,
        numbers: &RowNumbers,
        prepared: &PreparedRows,
        record: &ByteRecord,
        columns: &Columns,
        cells: &CellReader,
        row: u64,
    ) -> Result<usize> {
        let full = || cells.error(row, None, "too many distinct lines to aggregate (over 4 billion)");
        let meter_key = prepared.meter_keys.get(numbers.meter.clone()).unwrap_or_default();
        let next = u32::try_from(self.meters.len()).map_err(|_| full())?;
        let meter = *self.meters.entry(meter_key.into()).or_insert(next);
        let slots = self.lines_of.get_mut(position).ok_or_else(full)?;
        if let Some(line) = slots.find(meter) {
            return Ok(line as usize);
        }
        let index = self.lines.len();
        slots.push(meter, u32::try_from(index).map_err(|_| full())?);
        let first_row = SourceRef { path: cells.path.display().to_string(), location: cells.locator.locate(row, None) };
        let mut line = new_line(&RowText::new(record), columns, numbers.undiscounted, first_row);
        line.covered = numbers.covered;
        self.lines.push(line);
        self.sums.push(LineSums::default());
        Ok(index)
    }

    /// Lists a commitment or purchase row, as the inventory lists it.
    #[allow(clippy::too_many_arguments)]
    fn list_commitment(
        &mut self,
        kind: &CommitmentKind,
        record: &ByteRecord,
        row: u64,
        cost: Decimal,
        columns: &Columns,
        cells: &CellReader,
        display: &str,
    ) -> Result<()> {
        let text = RowText::new(record);
        let id = text.text(Some(columns.resource_id));
        let subscription =
            resource_id::parse(&id).and_then(|p| p.subscription_id).or_else(|| text.owned(columns.subscription_id));
        let first = FirstRow { path: display.to_string(), line: row };
        let commitment =
            columns.commitment.commitment(kind, &text, &id, subscription, text.owned(columns.currency), cost, first);
        if !self.commitments.add(commitment) {
            let sum = format!("the sum of a commitment's cost (this row adds {})", written(record, columns.cost));
            return Err(cells.error(row, columns.cost, checked::too_large(sum)));
        }
        Ok(())
    }

    fn see_currency(&mut self, record: &ByteRecord, column: Option<usize>, location: impl Fn() -> String) {
        let Some(bytes) = column.and_then(|c| record.get(c)).map(<[u8]>::trim_ascii) else { return };
        if bytes.is_empty() || bytes == self.last_currency.as_slice() {
            return;
        }
        self.last_currency = bytes.to_vec();
        let currency = String::from_utf8_lossy(bytes);
        if !self.currencies.iter().any(|(c, _)| c.eq_ignore_ascii_case(&currency)) {
            self.currencies.push((currency.to_ascii_uppercase(), location()));
        }
    }

    fn see_day(&mut self, day: &DateCell, unreadable: impl Fn() -> (String, String)) {
        match day {
            DateCell::Day(day) => {
                self.first_day = Some(self.first_day.map_or(*day, |d| d.min(*day)));
                self.last_day = Some(self.last_day.map_or(*day, |d| d.max(*day)));
            }
            DateCell::Missing => self.rows_without_date += 1,
            DateCell::Unreadable => {
                self.rows_without_date += 1;
                if self.unreadable_dates.is_none() {
                    self.unreadable_dates = Some(unreadable());
                }
            }
        }
    }

    /// Warnings about the whole read: rows without a rate or a date.
    pub fn finish(&mut self) {
        self.resources = Aggregates::default();
        self.meters = FxHashMap::default();
        self.lines_of = Vec::new();
        for (line, sums) in self.lines.iter_mut().zip(std::mem::take(&mut self.sums)) {
            line.quantity = sums.quantity;
            line.ea_cost = sums.ea_cost;
            line.amortized_cost = sums.amortized_cost;
            line.rated = sums.rated;
            line.rated_rows = sums.rated_rows;
            line.rows = sums.rows;
            line.rate = sums.rate;
            line.list_rate = sums.list_rate;
        }
        if self.correction_rows > 0 {
            self.warnings.push(Warning {
                location: "usage".to_string(),
                message: format!(
                    "{} row(s) have a negative quantity and cost: corrections of earlier charges, summed as billed",
                    self.correction_rows
                ),
            });
        }
        if self.rows_without_rate > 0 && self.had_rate_column {
            self.warnings.push(Warning {
                location: "usage".to_string(),
                message: format!(
                    "{} row(s) have no EA rate; their cost is taken from the cost column, and without a price list \
                     their CSP rate is that cost over their quantity",
                    self.rows_without_rate
                ),
            });
        }
        if let Some((location, text)) = &self.unreadable_dates {
            self.warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "the date \"{text}\" is neither MM/DD/YYYY nor YYYY-MM-DD; {} row(s) without a readable date are \
                     left out of the period",
                    self.rows_without_date
                ),
            });
        }
    }

    /// The subscriptions seen, in order.
    pub fn subscriptions(&self) -> BTreeSet<String> {
        self.lines.iter().filter_map(|l| l.subscription_id.as_deref().map(str::to_ascii_lowercase)).collect()
    }
}

fn new_line(text: &RowText, c: &Columns, undiscounted: Option<usize>, first_row: SourceRef) -> UsageLine {
    let resource_id = text.text(Some(c.resource_id)).into_owned();
    let parsed = resource_id::parse(&resource_id);
    let subscription_id =
        text.owned(c.subscription_id).or_else(|| parsed.as_ref().and_then(|p| p.subscription_id.clone()));
    let resource_group = text.owned(c.resource_group).or_else(|| parsed.and_then(|p| p.resource_group));
    UsageLine {
        subscription_id,
        subscription_name: text.owned(c.subscription_name),
        resource_group,
        resource_id,
        consumed_service: text.owned(c.consumed_service),
        meter_id: text.owned(c.meter_id),
        meter_category: text.owned(c.meter_category),
        meter_subcategory: text.owned(c.meter_subcategory),
        meter_name: text.owned(c.meter_name),
        meter_region: text.owned(c.meter_region),
        unit: text.owned(c.unit),
        undiscounted,
        covered: false,
        quantity: Decimal::ZERO,
        ea_cost: Decimal::ZERO,
        amortized_cost: None,
        rated: Decimal::ZERO,
        rated_rows: 0,
        rate: RateSeen::default(),
        list_rate: RateSeen::default(),
        rows: 0,
        first_row,
    }
}

/// A cell as the input wrote it, for messages.
fn written(record: &ByteRecord, column: Option<usize>) -> String {
    crate::read::number::as_written(&RowText::new(record).text(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<i32> {
        match date_cell(text) {
            DateCell::Day(d) => Some(d),
            _ => None,
        }
    }

    #[test]
    fn reads_both_date_spellings() {
        assert_eq!(day("09/15/2017"), day("2017-09-15"));
        assert_eq!(day("2023-09-22T00:00:00Z").zip(day("09/22/2023")).map(|(a, b)| a - b), Some(0));
        assert_eq!(day("09/30/2023").zip(day("09/01/2023")).map(|(a, b)| a - b), Some(29));
        assert!(day("02/30/2023").is_none());
        assert!(day("yesterday").is_none());
    }

    #[test]
    fn a_rate_is_uniform_until_another_is_seen() {
        let mut seen = RateSeen::default();
        seen.see(Some(Decimal::ONE));
        seen.see(Some(Decimal::ONE));
        assert!(seen.uniform);
        seen.see(Some(Decimal::TWO));
        assert!(!seen.uniform);
        assert_eq!(seen.first, Some(Decimal::ONE));
    }
}
