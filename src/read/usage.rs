//! Usage-detail exports (EA portal old spelling, Cost Management new spelling), read as a stream and
//! aggregated per resource × meter: memory grows with the number of resources and meters, never with
//! the number of rows.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::aggregate::{Aggregates, KeyedRows, MeterSum};
use super::cells::{CellReader, RowText};
use super::number::{self, DecimalSeparator};
use super::table::{Header, Locator, Records, stream};
use super::{Outcome, ReadContext};
use crate::error::{InputError, Result};
use crate::model::billing::BillingRow;
use crate::model::{Commitment, DeploymentModel, FirstRow, Meter, Resource, TypeSource, Warning, resource_id};
use crate::rules::commitments::{CommitmentCells, CommitmentKind, CommitmentRules, RowCommitment};

/// The flag of a resource whose usage is billed through the Azure Marketplace.
pub const MARKETPLACE_FLAG: &str = "marketplace-plan";

/// Column indexes of the fields a usage row is read from.
struct Columns {
    resource_id: usize,
    resource_name: Option<usize>,
    resource_group: Option<usize>,
    subscription_id: Option<usize>,
    subscription_name: Option<usize>,
    location: Option<usize>,
    consumed_service: Option<usize>,
    meter_id: Option<usize>,
    meter_category: Option<usize>,
    meter_subcategory: Option<usize>,
    meter_name: Option<usize>,
    /// `None`: the export has no quantity column (cost-only exports); quantities are 0, said once.
    quantity: Option<usize>,
    cost: Option<usize>,
    unit: Option<usize>,
    currency: Option<usize>,
    tags: Option<usize>,
    commitment: CommitmentColumns,
    offer_id: Option<usize>,
    billing_account: Option<usize>,
    reseller: Option<usize>,
    tenant: Option<usize>,
}

/// The columns that say whether a row is a commitment or purchase, and name it (shared with the cost reader).
pub struct CommitmentColumns {
    pub benefit_id: Option<usize>,
    pub benefit_name: Option<usize>,
    pub publisher_type: Option<usize>,
    pub charge_type: Option<usize>,
    pub pricing_model: Option<usize>,
    pub product_order_id: Option<usize>,
    pub product_order_name: Option<usize>,
}

impl CommitmentColumns {
    pub fn from_header(header: &Header) -> Self {
        let col = |field: &str| header.column(field);
        CommitmentColumns {
            benefit_id: col("benefit_id"),
            benefit_name: col("benefit_name"),
            publisher_type: col("publisher_type"),
            charge_type: col("charge_type"),
            pricing_model: col("pricing_model"),
            product_order_id: col("product_order_id"),
            product_order_name: col("product_order_name"),
        }
    }

    /// What the row is as far as commitments go.
    pub fn classify<'r>(&self, rules: &'r CommitmentRules, cells: &RowText, resource_id: &str) -> RowCommitment<'r> {
        let (benefit_id, publisher_type) = (cells.text(self.benefit_id), cells.text(self.publisher_type));
        let (charge_type, pricing_model) = (cells.text(self.charge_type), cells.text(self.pricing_model));
        rules.classify(&CommitmentCells {
            resource_id,
            benefit_id: &benefit_id,
            publisher_type: &publisher_type,
            charge_type: &charge_type,
            pricing_model: &pricing_model,
        })
    }

    /// The commitment a row of `kind` stands for: its ID is the resource ID, else the benefit ID, else the
    /// product order; the order ID is read from the ID's `…Orders/<id>` segment, else the product order.
    #[allow(clippy::too_many_arguments)]
    pub fn commitment(
        &self,
        kind: &CommitmentKind,
        cells: &RowText,
        resource_id: &str,
        subscription_id: Option<String>,
        currency: Option<String>,
        cost: Decimal,
        first: FirstRow,
    ) -> Commitment {
        let product_order = cells.owned(self.product_order_id);
        let id = [Some(resource_id.to_string()).filter(|s| !s.is_empty()), cells.owned(self.benefit_id)]
            .into_iter()
            .flatten()
            .find(|id| kind.id_prefixes.is_empty() || starts_with_prefix(kind, id))
            .or_else(|| cells.owned(self.benefit_id))
            .or_else(|| product_order.clone())
            .or_else(|| cells.owned(self.product_order_name))
            .unwrap_or_else(|| format!("{} without an ID", kind.title));
        let order_id = order_segment(&id).or(product_order);
        let name = cells
            .owned(self.benefit_name)
            .or_else(|| cells.owned(self.product_order_name))
            .or_else(|| resource_id::parse(resource_id).map(|parsed| parsed.name));
        Commitment { kind: kind.id.clone(), id, order_id, name, subscription_id, cost, currency, rows: 1, first }
    }
}

fn starts_with_prefix(kind: &CommitmentKind, id: &str) -> bool {
    kind.id_prefixes.iter().any(|p| id.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)))
}

/// The order's ID in `/providers/Microsoft.Capacity/reservationOrders/<order>/reservations/<id>` (and the
/// savings plans' `savingsPlanOrders/<order>`).
fn order_segment(id: &str) -> Option<String> {
    let mut parts = id.split('/');
    while let Some(part) = parts.next() {
        if part.to_ascii_lowercase().ends_with("orders") {
            return parts.next().filter(|order| !order.is_empty()).map(str::to_string);
        }
    }
    None
}

impl Columns {
    fn from_header(header: &Header) -> Self {
        let col = |field: &str| header.column(field);
        Columns {
            // A signature field, so the header has it.
            resource_id: col("resource_id").unwrap_or(0),
            quantity: col("quantity"),
            resource_name: col("resource_name"),
            resource_group: col("resource_group"),
            subscription_id: col("subscription_id"),
            subscription_name: col("subscription_name"),
            location: col("location"),
            consumed_service: col("consumed_service"),
            meter_id: col("meter_id"),
            meter_category: col("meter_category"),
            meter_subcategory: col("meter_subcategory"),
            meter_name: col("meter_name"),
            cost: col("cost"),
            unit: col("unit"),
            currency: col("currency"),
            tags: col("tags"),
            commitment: CommitmentColumns::from_header(header),
            offer_id: col("offer_id"),
            billing_account: col("billing_account_id"),
            reseller: col("reseller_name"),
            tenant: col("customer_tenant_id"),
        }
    }

    /// True when the export names any billing fact (offer, billing account, reseller, tenant).
    fn has_billing_facts(&self) -> bool {
        self.offer_id.is_some() || self.billing_account.is_some() || self.reseller.is_some() || self.tenant.is_some()
    }
}

/// Counters for things worth one warning per input rather than one per row.
#[derive(Default)]
struct Tally {
    rows_without_id: u64,
    cost_without_id: BTreeMap<String, Decimal>,
    empty_quantity: u64,
    windows_1252_fields: u64,
    unparsed_tags: u64,
    no_quantity_column: bool,
}

/// What is worked out for each row while its block is parsed, on either thread (see [`KeyedRows`]; the meter
/// keys are [`MeterTable::key`]s).
type PreparedRows = KeyedRows<PreparedRow>;

struct PreparedRow {
    /// The row's resource ID in the batch's keys; `None` when it has none.
    key: Option<usize>,
    /// `None` for a blank row.
    numbers: Option<Numbers>,
}

struct Numbers {
    quantity: Decimal,
    cost: Decimal,
    quantity_empty: bool,
    /// Where the row's meter key is in the batch's `meter_keys`.
    meter_key: std::ops::Range<usize>,
    /// A cell of the meter key was not UTF-8 (read as Windows-1252).
    windows_1252: bool,
}

pub fn read(records: &mut dyn Records, header: &Header, ctx: &ReadContext, outcome: &mut Outcome) -> Result<()> {
    let columns = Columns::from_header(header);
    let locator = records.locator();
    let preparer =
        RowPreparer { columns: &columns, separator: records.decimal_separator(), locator: &locator, header, ctx };
    let mut reader = UsageReader {
        columns: &columns,
        locator: &locator,
        ctx,
        aggregates: Aggregates::default(),
        meters: MeterTable::default(),
        resources: Vec::new(),
        first_rows: Vec::new(),
        marketplace: Default::default(),
        tally: Tally::default(),
        last_billing: Vec::new(),
    };
    let prepare = |record: &ByteRecord, row: u64, prepared: &mut PreparedRows| preparer.prepare(record, row, prepared);
    let consume = |records: &[ByteRecord], rows: &[u64], prepared: &PreparedRows| -> Result<()> {
        reader.consume(records, rows, prepared, outcome)
    };
    stream(records, prepare, consume)?;
    reader.tally.no_quantity_column = columns.quantity.is_none();
    reader.finish(outcome);
    Ok(())
}

/// The per-row work that needs nothing but the row: its numbers and its resource ID. Runs on
/// whichever thread parses the row, so it is shared by both (see `table::stream`).
struct RowPreparer<'a> {
    columns: &'a Columns,
    separator: DecimalSeparator,
    locator: &'a Locator,
    header: &'a Header<'a>,
    ctx: &'a ReadContext<'a>,
}

impl RowPreparer<'_> {
    /// Adds a row to `prepared`, or nothing when a number cell is not a number.
    fn prepare(&self, record: &ByteRecord, row: u64, prepared: &mut PreparedRows) -> Result<()> {
        if super::blank::is_blank_usage_row(record) {
            prepared.rows.push(PreparedRow { key: None, numbers: None });
            return Ok(());
        }
        let columns = self.columns;
        let quantity_empty = columns.quantity.is_some_and(|c| record.get(c).is_none_or(|q| q.trim_ascii().is_empty()));
        let quantity = columns.quantity.map(|c| self.number(record, row, c)).transpose()?.unwrap_or_default();
        let cost = columns.cost.map(|column| self.number(record, row, column)).transpose()?.unwrap_or_default();
        let cells = RowText::new(record);
        let start = prepared.meter_keys.len();
        MeterTable::key(&cells, columns, &mut prepared.meter_keys);
        let meter_key = start..prepared.meter_keys.len();
        let windows_1252 = cells.decoded_1252.get();
        let raw_id = id_bytes(record, columns);
        let key = (!raw_id.is_empty()).then(|| prepared.keys.push(raw_id));
        let numbers = Numbers { quantity, cost, quantity_empty, meter_key, windows_1252 };
        prepared.rows.push(PreparedRow { key, numbers: Some(numbers) });
        Ok(())
    }

    /// A decimal cell; empty counts as 0.
    fn number(&self, record: &ByteRecord, row: u64, column: usize) -> Result<Decimal> {
        let cells =
            CellReader { path: &self.ctx.path, locator: self.locator, header: self.header, separator: self.separator };
        Ok(cells.decimal(record, row, column)?.unwrap_or_default())
    }
}

/// Reading one usage export, on the caller's thread and in row order: the meter table and the
/// resource table.
struct UsageReader<'a> {
    columns: &'a Columns,
    locator: &'a Locator,
    ctx: &'a ReadContext<'a>,
    aggregates: Aggregates,
    meters: MeterTable,
    resources: Vec<Resource>,
    /// Parallel to `resources`: the row where each was first seen.
    first_rows: Vec<u64>,
    /// Positions of the resources billed through the Marketplace.
    marketplace: rustc_hash::FxHashSet<usize>,
    tally: Tally,
    /// The previous row's billing cells: most rows repeat them, and are then skipped.
    last_billing: Vec<u8>,
}

impl UsageReader<'_> {
    /// One batch of rows, in order.
    fn consume(
        &mut self,
        records: &[ByteRecord],
        rows: &[u64],
        prepared: &PreparedRows,
        outcome: &mut Outcome,
    ) -> Result<()> {
        self.aggregates.look_ahead(&prepared.keys);
        for ((record, &row), prepared_row) in records.iter().zip(rows).zip(&prepared.rows) {
            self.row(record, row, prepared_row, prepared, outcome)?;
        }
        Ok(())
    }

    /// One row of a batch, with what was prepared for it.
    fn row(
        &mut self,
        record: &ByteRecord,
        row: u64,
        prepared_row: &PreparedRow,
        prepared: &PreparedRows,
        outcome: &mut Outcome,
    ) -> Result<()> {
        let Some(numbers) = &prepared_row.numbers else {
            return Ok(()); // blank
        };
        let meter_key = prepared.meter_keys.get(numbers.meter_key.clone()).unwrap_or_default();
        let &Numbers { quantity, cost, quantity_empty, windows_1252, .. } = numbers;
        outcome.rows += 1;
        self.tally.empty_quantity += u64::from(quantity_empty);
        let cells = RowText::new(record);
        let id_text = cells.text(Some(self.columns.resource_id));
        if self.columns.has_billing_facts() {
            self.note_billing(record, &cells, &id_text, row, outcome);
        }
        let marketplace = match self.columns.commitment.classify(&self.ctx.rules.commitments, &cells, &id_text) {
            RowCommitment::Commitment(kind) => return self.list_commitment(kind, &cells, &id_text, cost, row, outcome),
            RowCommitment::MarketplaceResource(kind) => {
                self.list_commitment(kind, &cells, &id_text, cost, row, outcome)?;
                true
            }
            RowCommitment::Covered | RowCommitment::Usage => false,
        };
        let meter = self.meters.number(meter_key, &cells, self.columns);
        // A new meter's other cells count too.
        if windows_1252 || cells.decoded_1252.get() {
            self.tally.windows_1252_fields += 1;
        }
        let Some(key) = prepared_row.key else {
            self.tally.rows_without_id += 1;
            let total = self.tally.cost_without_id.entry(cells.text(self.columns.currency).into_owned()).or_default();
            *total = total.checked_add(cost).unwrap_or(*total);
            return Ok(());
        };
        let Some((position, inserted)) = self.aggregates.find_or_insert(&prepared.keys, key) else {
            return Err(self.error(row, "too many distinct resource IDs to aggregate (over 4 GiB of IDs)"));
        };
        if inserted {
            let id = cells.text(Some(self.columns.resource_id));
            let location = self.locator.locate(row, None);
            let resource = new_resource(&id, &location, &cells, self.columns, self.ctx, &mut self.tally, outcome);
            self.resources.push(resource);
            self.first_rows.push(row);
        }
        if marketplace {
            self.marketplace.insert(position);
        }
        if !self.aggregates.add(position, meter, quantity, cost) {
            let sum = format!(
                "the sum of a meter's quantity or cost over the rows of this resource (this row adds quantity {}, cost \
                 {})",
                number::as_written(&cells.text(self.columns.quantity)),
                number::as_written(&cells.text(self.columns.cost))
            );
            return Err(self.error(row, &crate::model::checked::too_large(sum)));
        }
        Ok(())
    }

    /// Lists a commitment or purchase row (see rules/commitments.toml).
    fn list_commitment(
        &mut self,
        kind: &CommitmentKind,
        cells: &RowText,
        id: &str,
        cost: Decimal,
        row: u64,
        outcome: &mut Outcome,
    ) -> Result<()> {
        let columns = self.columns;
        let subscription =
            resource_id::parse(id).and_then(|p| p.subscription_id).or_else(|| cells.owned(columns.subscription_id));
        let first = FirstRow { path: self.ctx.display.clone(), line: row };
        let commitment =
            columns.commitment.commitment(kind, cells, id, subscription, cells.owned(columns.currency), cost, first);
        if !outcome.commitments.add(commitment) {
            return Err(self.error(row, "the sum of a commitment's cost overflows the decimal range"));
        }
        Ok(())
    }

    /// Notes the row's billing facts under its subscription (when the row names one and they differ from the
    /// previous row's).
    fn note_billing(&mut self, record: &ByteRecord, cells: &RowText, id: &str, row: u64, outcome: &mut Outcome) {
        let columns = self.columns;
        let fields = [columns.subscription_id, columns.offer_id, columns.billing_account, columns.reseller];
        let fields = fields.into_iter().chain([columns.tenant, columns.currency]);
        let mut key = Vec::with_capacity(self.last_billing.len().max(64));
        for column in fields {
            key.extend_from_slice(column.and_then(|c| record.get(c)).unwrap_or_default());
            key.push(0);
        }
        key.extend_from_slice(subscription_in_id(id).unwrap_or_default().as_bytes());
        if key == self.last_billing {
            return;
        }
        self.last_billing = key;
        let subscription_cell = cells.text(columns.subscription_id);
        let subscription = subscription_in_id(id)
            .or_else(|| subscription_in_id(&subscription_cell))
            .or(Some(subscription_cell.as_ref()).filter(|s| !s.is_empty()));
        let Some(subscription) = subscription else { return };
        let text = |column: Option<usize>| Some(cells.text(column)).filter(|t| !t.is_empty());
        let (offer, account, reseller) =
            (text(columns.offer_id), text(columns.billing_account), text(columns.reseller));
        let (tenant, currency) = (text(columns.tenant), text(columns.currency));
        let facts = BillingRow {
            offer_id: offer.as_deref(),
            billing_account: account.as_deref(),
            reseller: reseller.as_deref(),
            tenant: tenant.as_deref(),
            currency: currency.as_deref(),
            reseller_column: columns.reseller.is_some(),
        };
        let at = || format!("{}, {}", self.ctx.display, self.locator.locate(row, None));
        outcome.billing.add(subscription, &facts, &at);
    }

    fn error(&self, row: u64, message: &str) -> crate::error::Error {
        InputError::new(&self.ctx.path, message).at(self.locator.locate(row, None)).into()
    }

    /// Puts the sums into the resources and hands them over.
    fn finish(mut self, outcome: &mut Outcome) {
        outcome.resources.reserve(self.resources.len());
        let usage = self.aggregates.into_sums();
        for &position in &self.marketplace {
            if let Some(resource) = self.resources.get_mut(position) {
                resource.flags.push(MARKETPLACE_FLAG.to_string());
            }
        }
        for ((mut resource, row), sums) in self.resources.into_iter().zip(self.first_rows).zip(usage) {
            resource.meters = sums.into_iter().map(|sum| self.meters.meter(sum)).collect();
            outcome.push(resource, self.locator.locate(row, None), &self.ctx.display);
        }
        self.tally.report(outcome);
    }
}

/// The subscription GUID of a Resource Manager path (`/subscriptions/<id>/…`, or FOCUS's `SubAccountId`).
fn subscription_in_id(text: &str) -> Option<&str> {
    let rest = text.get(..15).filter(|p| p.eq_ignore_ascii_case("/subscriptions/")).map(|_| &text[15..])?;
    let id = rest.split('/').next().filter(|id| !id.is_empty())?;
    Some(id)
}

/// The resource ID cell, trimmed, as bytes.
fn id_bytes<'r>(record: &'r ByteRecord, columns: &Columns) -> &'r [u8] {
    record.get(columns.resource_id).map_or(&[][..], <[u8]>::trim_ascii)
}

/// The distinct meters of one input. Rows name their meter by number, so the per-row work is one
/// lookup in a small, hot table instead of string comparisons against every resource's meters.
/// Identity follows `Meter::same_meter`: the meter ID when there is one (compared ignoring case),
/// else category, subcategory and name; unit and currency always.
#[derive(Default)]
struct MeterTable {
    by_key: FxHashMap<Box<[u8]>, usize>,
    meters: Vec<Meter>,
}

impl MeterTable {
    /// Appends the identity of a row's meter to `key`. Worked out while the row is prepared, so
    /// that the table itself only looks it up.
    fn key(cells: &RowText, columns: &Columns, key: &mut Vec<u8>) {
        const SEPARATOR: u8 = 0x1f;
        let meter_id = cells.text(columns.meter_id);
        if meter_id.is_empty() {
            for column in [columns.meter_category, columns.meter_subcategory, columns.meter_name] {
                key.extend_from_slice(cells.text(column).as_bytes());
                key.push(SEPARATOR);
            }
        } else {
            let start = key.len();
            key.extend_from_slice(meter_id.as_bytes());
            key[start..].make_ascii_lowercase();
            key.push(SEPARATOR);
        }
        key.extend_from_slice(cells.text(columns.unit).as_bytes());
        key.push(SEPARATOR);
        key.extend_from_slice(cells.text(columns.currency).as_bytes());
    }

    /// The number of the meter with this key; a meter seen for the first time is described from
    /// the row's cells.
    fn number(&mut self, key: &[u8], cells: &RowText, columns: &Columns) -> usize {
        if let Some(&number) = self.by_key.get(key) {
            return number;
        }
        let meter = Meter {
            meter_id: cells.owned(columns.meter_id),
            meter_category: cells.owned(columns.meter_category),
            meter_subcategory: cells.owned(columns.meter_subcategory),
            meter_name: cells.owned(columns.meter_name),
            unit: cells.owned(columns.unit),
            quantity: Decimal::ZERO,
            cost: Decimal::ZERO,
            currency: cells.owned(columns.currency),
            rows: 0,
        };
        self.meters.push(meter);
        self.by_key.insert(key.into(), self.meters.len() - 1);
        self.meters.len() - 1
    }

    fn meter(&self, sum: MeterSum) -> Meter {
        Meter { quantity: sum.quantity, cost: sum.cost, rows: sum.rows, ..self.meters[sum.meter].clone() }
    }
}

/// Builds the resource a usage row belongs to, the first time its ID is seen in this input.
fn new_resource(
    id: &str,
    location: &str,
    cells: &RowText,
    columns: &Columns,
    ctx: &ReadContext,
    tally: &mut Tally,
    outcome: &mut Outcome,
) -> Resource {
    let consumed_service = cells.owned(columns.consumed_service);
    let mut resource = match resource_id::parse(id) {
        Some(arm) => {
            // The ID names the resource exactly; ResourceName is sometimes the parent's name.
            let mut resource = Resource::new(id.to_string(), arm.name, arm.resource_type);
            resource.subscription_id = arm.subscription_id;
            resource.resource_group = arm.resource_group;
            resource
        }
        None => classic_resource(id, location, cells, columns, ctx, outcome),
    };
    if resource.subscription_id.is_none() {
        resource.subscription_id = cells.owned(columns.subscription_id);
    }
    if resource.resource_group.is_none() {
        resource.resource_group = cells.owned(columns.resource_group);
    }
    resource.subscription_name = cells.owned(columns.subscription_name);
    resource.location = cells.owned(columns.location).map(|l| ctx.locations.arm(&l));
    resource.consumed_service = consumed_service;
    let tags = cells.text(columns.tags);
    if !tags.is_empty() {
        match parse_tags(&tags) {
            Some(parsed) => resource.tags = parsed,
            None => tally.unparsed_tags += 1,
        }
    }
    resource
}

/// A usage row whose ID is not a Resource Manager path (the bare GUIDs of the seed's sample rows,
/// 002 L14849–L14854): a classic resource, typed from its consumed service and meter category.
fn classic_resource(
    id: &str,
    location: &str,
    cells: &RowText,
    columns: &Columns,
    ctx: &ReadContext,
    outcome: &mut Outcome,
) -> Resource {
    let service = cells.text(columns.consumed_service);
    let category = cells.text(columns.meter_category);
    let name = cells.owned(columns.resource_name).unwrap_or_else(|| id.to_string());
    let found = ctx.rules.classic_usage_types.lookup(&service, &category);
    let resource_type = found.map_or_else(|| "unknown".to_string(), |m| m.resource_type.clone());
    let mut resource = Resource::new(id.to_string(), name, resource_type);
    resource.deployment_model = DeploymentModel::Classic;
    match found {
        Some(m) => {
            resource.type_source = Some(TypeSource { rule: m.rule.clone(), source: m.source.clone() });
        }
        None => outcome.warnings.push(Warning {
            location: location.to_string(),
            message: format!(
                "{id}: not a Resource Manager ID, so read as a classic resource, but no rule in rules/classic-usage-types.csv gives a type for consumed service \"{service}\" and meter category \"{category}\": type \"unknown\""
            ),
        }),
    }
    if !is_guid(id) {
        outcome.warnings.push(Warning {
            location: location.to_string(),
            message: format!("instance ID \"{id}\" is neither a Resource Manager ID nor a well-formed GUID; kept as given (the sample usage rows of Microsoft's Azure CSP documentation, \"Assessment tool for migrating an existing Azure subscription to Azure CSP\", are malformed the same way)"),
        });
    }
    resource
}

/// 8-4-4-4-12 hexadecimal digits.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Usage exports write tags as a JSON object (`{"env":"prod"}`) or, in the new spelling, as the
/// object's members without braces (`"env": "prod","org": "trey"`, anchors.md §4).
fn parse_tags(text: &str) -> Option<crate::model::Tags> {
    let trimmed = text.trim();
    let object = if trimmed.starts_with('{') { trimmed.to_string() } else { format!("{{{trimmed}}}") };
    let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&object).ok()?;
    Some(
        value
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
    )
}

impl Tally {
    fn report(self, outcome: &mut Outcome) {
        let mut warn = |message: String| outcome.warnings.push(Warning { location: "whole file".to_string(), message });
        if self.rows_without_id > 0 {
            let costs: Vec<String> = self
                .cost_without_id
                .iter()
                .map(
                    |(currency, cost)| {
                        if currency.is_empty() { cost.to_string() } else { format!("{cost} {currency}") }
                    },
                )
                .collect();
            warn(format!(
                "{} row(s) have no resource ID (purchases, support, marketplace charges); they belong to no resource and are not in the inventory (cost {})",
                self.rows_without_id,
                costs.join(" + ")
            ));
        }
        if self.no_quantity_column {
            warn(
                "the export has no quantity column (Quantity, UsageQuantity, ConsumedQuantity): quantities are 0; \
                  costs are read as billed"
                    .to_string(),
            );
        }
        if self.empty_quantity > 0 {
            warn(format!("{} row(s) have an empty quantity, counted as 0", self.empty_quantity));
        }
        if self.windows_1252_fields > 0 {
            warn(format!(
                "{} row(s) hold bytes that are not UTF-8; those cells were read as Windows-1252",
                self.windows_1252_fields
            ));
        }
        if self.unparsed_tags > 0 {
            warn(format!(
                "{} resource(s) have a Tags cell that is not a JSON object; their tags were not read",
                self.unparsed_tags
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_tag_shapes() {
        let tags = parse_tags(r#""env": "prod","org": "trey""#).unwrap();
        assert_eq!(tags.get("org"), Some("trey"));
        assert_eq!(parse_tags(r#"{"n": 1}"#).unwrap().get("n"), Some("1"));
        assert_eq!(parse_tags("not tags"), None);
    }

    #[test]
    fn knows_a_guid() {
        assert!(is_guid("0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4"));
        assert!(!is_guid("32c3ebec-1646-49e3-8127-2cafbcd3a04d8"));
    }
}
