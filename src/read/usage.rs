//! Usage-detail exports (EA portal old spelling, Cost Management new spelling), read as a stream and
//! aggregated per resource × meter: memory grows with the number of resources and meters, never with
//! the number of rows.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::aggregate::{Aggregates, MeterSum};
use super::decode::field_text;
use super::number::parse_decimal;
use super::table::{Header, Records, stream};
use super::{Outcome, ReadContext};
use crate::error::{InputError, Result};
use crate::model::resource::normalize_location;
use crate::model::{DeploymentModel, Meter, Resource, TypeSource, Warning, resource_id};

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
    quantity: usize,
    cost: Option<usize>,
    unit: Option<usize>,
    currency: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    fn from_header(header: &Header) -> Self {
        let col = |field: &str| header.column(field);
        Columns {
            // Both are signature fields, so the header has them.
            resource_id: col("resource_id").unwrap_or(0),
            quantity: col("quantity").unwrap_or(0),
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
        }
    }
}

/// One usage row's cells, read as text only when a field is needed.
struct Row<'a> {
    record: &'a ByteRecord,
    /// Set when a cell was not UTF-8 and was read as Windows-1252.
    decoded_1252: std::cell::Cell<bool>,
}

impl<'a> Row<'a> {
    fn new(record: &'a ByteRecord) -> Self {
        Row { record, decoded_1252: std::cell::Cell::new(false) }
    }

    fn text(&self, column: Option<usize>) -> Cow<'a, str> {
        let Some(bytes) = column.and_then(|c| self.record.get(c)) else {
            return Cow::Borrowed("");
        };
        match field_text(bytes) {
            (Cow::Borrowed(text), _) => Cow::Borrowed(text.trim()),
            (Cow::Owned(text), _) => {
                self.decoded_1252.set(true);
                Cow::Owned(text.trim().to_string())
            }
        }
    }

    fn owned(&self, column: Option<usize>) -> Option<String> {
        non_empty(self.text(column))
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
}

/// What the reading thread works out for each row before the row is aggregated.
enum Prepared {
    Blank,
    Usage { quantity: Decimal, cost: Decimal, quantity_empty: bool, meter: usize, windows_1252: bool },
}

pub fn read(records: &mut dyn Records, header: &Header, ctx: &ReadContext, outcome: &mut Outcome) -> Result<()> {
    let columns = Columns::from_header(header);
    let separator = records.decimal_separator();
    let locator = records.locator();
    let mut resources: Vec<Resource> = Vec::new();
    // Parallel to `resources`: the row where each was first seen, and its usage.
    let mut first_rows: Vec<u64> = Vec::new();
    let mut aggregates = Aggregates::default();
    let mut meters = MeterTable::default();
    let mut tally = Tally::default();

    // Runs on the reading thread: everything a row needs that does not depend on the resource table.
    let prepare = |record: &ByteRecord, row: u64| -> Result<Prepared> {
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            return Ok(Prepared::Blank);
        }
        let number = |column: usize| -> Result<Decimal> {
            let cell = Row::new(record).text(Some(column));
            match parse_decimal(&cell, separator) {
                Ok(value) => Ok(value.unwrap_or_default()),
                Err(message) => Err(InputError::new(&ctx.path, message)
                    .at(locator.locate(row, Some(column)))
                    .column(header.name(column))
                    .into()),
            }
        };
        let quantity_empty = record.get(columns.quantity).is_none_or(|q| q.trim_ascii().is_empty());
        let quantity = number(columns.quantity)?;
        let cost = columns.cost.map(number).transpose()?.unwrap_or_default();
        let cells = Row::new(record);
        let meter = meters.number(&cells, &columns);
        let windows_1252 = cells.decoded_1252.get();
        Ok(Prepared::Usage { quantity, cost, quantity_empty, meter, windows_1252 })
    };

    // Runs on this thread, in row order: the resource table.
    let consume = |record: &ByteRecord, row: u64, prepared: Prepared| -> Result<()> {
        let Prepared::Usage { quantity, cost, quantity_empty, meter, windows_1252 } = prepared else {
            return Ok(());
        };
        outcome.rows += 1;
        tally.empty_quantity += u64::from(quantity_empty);
        tally.windows_1252_fields += u64::from(windows_1252);
        let cells = Row::new(record);
        let raw_id = id_bytes(record, &columns);
        if raw_id.is_empty() {
            tally.rows_without_id += 1;
            let total = tally.cost_without_id.entry(cells.text(columns.currency).into_owned()).or_default();
            *total = total.checked_add(cost).unwrap_or(*total);
            return Ok(());
        }
        let Some((position, inserted)) = aggregates.find_or_insert(raw_id) else {
            return Err(InputError::new(&ctx.path, "too many distinct resource IDs to aggregate (over 4 GiB of IDs)")
                .at(locator.locate(row, None))
                .into());
        };
        if inserted {
            let id = cells.text(Some(columns.resource_id));
            resources.push(new_resource(&id, &cells, &columns, ctx, &mut tally, outcome));
            first_rows.push(row);
        }
        if !aggregates.add(position, meter, quantity, cost) {
            return Err(InputError::new(
                &ctx.path,
                "the sum of a meter's quantity or cost overflows the decimal range",
            )
            .at(locator.locate(row, None))
            .into());
        }
        Ok(())
    };

    stream(records, prepare, consume)?;
    for ((mut resource, row), usage) in resources.into_iter().zip(first_rows).zip(aggregates.into_sums()) {
        resource.meters = usage.into_iter().map(|sum| meters.meter(sum)).collect();
        outcome.push(resource, locator.locate(row, None), &ctx.display);
    }
    tally.report(outcome);
    Ok(())
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
    by_key: FxHashMap<String, usize>,
    meters: Vec<Meter>,
    key: String,
}

impl MeterTable {
    fn number(&mut self, cells: &Row, columns: &Columns) -> usize {
        let meter_id = cells.text(columns.meter_id);
        self.key.clear();
        if meter_id.is_empty() {
            for column in [columns.meter_category, columns.meter_subcategory, columns.meter_name] {
                self.key.push_str(&cells.text(column));
                self.key.push('\u{1f}');
            }
        } else {
            self.key.push_str(&meter_id);
            self.key.make_ascii_lowercase();
            self.key.push('\u{1f}');
        }
        self.key.push_str(&cells.text(columns.unit));
        self.key.push('\u{1f}');
        self.key.push_str(&cells.text(columns.currency));
        if let Some(&number) = self.by_key.get(self.key.as_str()) {
            return number;
        }
        let meter = Meter {
            meter_id: non_empty(meter_id),
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
        self.by_key.insert(self.key.clone(), self.meters.len() - 1);
        self.meters.len() - 1
    }

    fn meter(&self, sum: MeterSum) -> Meter {
        Meter { quantity: sum.quantity, cost: sum.cost, rows: sum.rows, ..self.meters[sum.meter].clone() }
    }
}

fn non_empty(text: Cow<'_, str>) -> Option<String> {
    if text.is_empty() { None } else { Some(text.into_owned()) }
}

/// Builds the resource a usage row belongs to, the first time its ID is seen in this input.
fn new_resource(
    id: &str,
    cells: &Row,
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
        None => classic_resource(id, cells, columns, ctx, outcome),
    };
    if resource.subscription_id.is_none() {
        resource.subscription_id = cells.owned(columns.subscription_id);
    }
    if resource.resource_group.is_none() {
        resource.resource_group = cells.owned(columns.resource_group);
    }
    resource.subscription_name = cells.owned(columns.subscription_name);
    resource.location = cells.owned(columns.location).map(|l| normalize_location(&l));
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
fn classic_resource(id: &str, cells: &Row, columns: &Columns, ctx: &ReadContext, outcome: &mut Outcome) -> Resource {
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
            location: id.to_string(),
            message: format!(
                "not a Resource Manager ID, so read as a classic resource, but no rule in rules/classic-usage-types.csv gives a type for consumed service \"{service}\" and meter category \"{category}\": type \"unknown\""
            ),
        }),
    }
    if !is_guid(id) {
        outcome.warnings.push(Warning {
            location: id.to_string(),
            message: "instance ID is neither a Resource Manager ID nor a well-formed GUID; kept as given (the seed's own sample IDs are malformed the same way, seed-digest-migration §3.5)".to_string(),
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
fn parse_tags(text: &str) -> Option<BTreeMap<String, String>> {
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
        assert_eq!(tags.get("org").map(String::as_str), Some("trey"));
        assert_eq!(parse_tags(r#"{"n": 1}"#).unwrap().get("n").map(String::as_str), Some("1"));
        assert_eq!(parse_tags("not tags"), None);
    }

    #[test]
    fn knows_a_guid() {
        assert!(is_guid("0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4"));
        assert!(!is_guid("32c3ebec-1646-49e3-8127-2cafbcd3a04d8"));
    }
}
