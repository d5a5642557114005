//! The shared types of the CSP price sources and the loader that picks the reader: a [`Price`] per meter, a
//! [`PriceBook`] of them for one currency, and the lookup a usage row uses to find its meter's price.
//!
//! Two sources (digest §3.2, §3.3): the Partner Center price list (an Excel workbook, or a CSV saved from it,
//! read by `price_list`) and the Partner Center rate card JSON (read by `rate_card`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use rust_decimal::Decimal;

use super::regions::RegionAliases;
use crate::error::{InputError, Result};
use crate::model::Warning;

/// One price: tiers (`from` = the quantity where a tier starts, ascending, first from = 0), the free
/// quantity before the first tier (rate card `includedQuantity`, 0 for a price list), the offer-term
/// discount that applies to it (a fraction: 0.15 = 15 %; 0 for the price list, 0 for a meter listed in
/// the offer term's excludedMeterIds), and where it came from ("prices.xlsx, sheet \"Prices\", row
/// 7410" / "ratecard.json, meters[3]").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub tiers: Vec<Tier>,
    pub included_quantity: Decimal,
    pub offer_discount: Decimal,
    pub excluded_from_offer: bool,
    pub location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub from: Decimal,
    pub rate: Decimal,
}

impl Price {
    /// The cost of `total` units of this meter over the whole usage file: included quantity free, then
    /// each tier's rate on the part of the quantity inside it, then × (1 − offer_discount). Exact
    /// rust_decimal; None on overflow.
    ///
    /// Tier starts count from the first unit of the total, included units too (the rate card documents
    /// the `rates` key as "the meter quantity"): with 5 included and tiers 0 → 1.00, 100 → 0.50, a total
    /// of 150 costs 95 × 1.00 + 50 × 0.50. A negative total (a credit row) costs its quantity at the first
    /// tier's rate, as the usage file would bill it.
    pub fn cost_of_total(&self, total: Decimal) -> Option<Decimal> {
        let gross = if total.is_sign_negative() {
            total.checked_mul(self.tiers.first()?.rate)?
        } else {
            self.tiered_cost(total)?
        };
        gross.checked_mul(Decimal::ONE.checked_sub(self.offer_discount)?)
    }

    /// Σ over tiers of rate × (the part of `[included, total)` inside the tier).
    fn tiered_cost(&self, total: Decimal) -> Option<Decimal> {
        let mut cost = Decimal::ZERO;
        for (index, tier) in self.tiers.iter().enumerate() {
            let end = self.tiers.get(index + 1).map_or(total, |next| next.from.min(total));
            let start = tier.from.max(self.included_quantity);
            if end > start {
                cost = cost.checked_add(end.checked_sub(start)?.checked_mul(tier.rate)?)?;
            }
        }
        Some(cost)
    }

    /// The flat rate when there is a single tier from 0 and no included quantity (after the offer
    /// discount), else None.
    pub fn flat_rate(&self) -> Option<Decimal> {
        match self.tiers.as_slice() {
            [tier] if tier.from.is_zero() && self.included_quantity.is_zero() => {
                tier.rate.checked_mul(Decimal::ONE.checked_sub(self.offer_discount)?)
            }
            _ => None,
        }
    }
}

/// What a usage row knows of its meter.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeterQuery<'a> {
    pub meter_id: Option<&'a str>,
    pub category: Option<&'a str>,
    pub subcategory: Option<&'a str>,
    pub name: Option<&'a str>,
    pub region: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSourceKind {
    PriceList,
    RateCard,
}

/// A loaded price source, for one currency.
#[derive(Debug, Clone)]
pub struct PriceBook {
    kind: PriceSourceKind,
    currency: String,
    prices: Vec<Price>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<NameKey, usize>,
    regions: RegionAliases,
    warnings: Vec<Warning>,
}

/// category, subcategory, name (trimmed, lowercase) and the canonical region.
type NameKey = (String, String, String, String);

/// One meter as a reader found it, before it joins the book.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub meter_id: Option<String>,
    pub category: String,
    pub subcategory: String,
    pub name: String,
    pub region: String,
    pub price: Price,
}

impl PriceBook {
    /// Loads a price list (XLSX or CSV in the seed's layout) or a Partner Center rate-card JSON, detected
    /// by content (JSON object with "meters" → rate card). `currency`: the usage file's currency (ISO
    /// code, compared ignoring case). A price list must have a column for it; a rate card's `currency`
    /// must equal it. None = the source must be unambiguous (a price list with exactly one currency
    /// column, or a rate card), else an error that lists the currencies found. Errors are
    /// `Error::Input` naming the file, the row/line (sheet and cell for workbooks, JSON pointer for
    /// JSON), the column and what was expected — exit code 2, never a panic.
    pub fn load(path: &Path, currency: Option<&str>, regions: &RegionAliases) -> Result<PriceBook> {
        if crate::read::is_workbook(path)? {
            return super::price_list::read_workbook(path, currency, regions);
        }
        let bytes = read_file(path)?;
        let text = text_of(path, &bytes)?;
        // JSON by its first character; an array is JSON too, and the rate-card reader says it is not a card.
        if text.trim_start().starts_with(['{', '[']) {
            super::rate_card::read(path, text, currency, regions)
        } else {
            super::price_list::read_csv(path, text, currency, regions)
        }
    }

    /// An empty book; readers add their entries with [`PriceBook::add`].
    pub(crate) fn new(kind: PriceSourceKind, currency: String, regions: &RegionAliases) -> Self {
        PriceBook {
            kind,
            currency,
            prices: Vec::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            regions: regions.clone(),
            warnings: Vec::new(),
        }
    }

    /// Adds an entry. A meter ID seen before keeps its first price (warned when the prices differ); the
    /// same for a category/subcategory/name/region seen before under another meter ID.
    pub(crate) fn add(&mut self, entry: Entry) {
        let id_key = entry.meter_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).map(str::to_lowercase);
        if let Some(&first) = id_key.as_ref().and_then(|id| self.by_id.get(id)) {
            self.warn_duplicate(first, &entry.price, "meter ID", entry.meter_id.as_deref().unwrap_or_default());
            return;
        }
        let key = self.name_key(&entry.category, &entry.subcategory, &entry.name, &entry.region);
        let index = self.prices.len();
        match self.by_name.get(&key) {
            Some(&first) => self.warn_duplicate(first, &entry.price, "meter", &describe(&entry)),
            None => {
                self.by_name.insert(key, index);
            }
        }
        if let Some(id) = id_key {
            self.by_id.insert(id, index);
        }
        self.prices.push(entry.price);
    }

    fn warn_duplicate(&mut self, first: usize, price: &Price, what: &str, name: &str) {
        let Some(kept) = self.prices.get(first) else { return };
        if kept.tiers != price.tiers || kept.included_quantity != price.included_quantity {
            let message =
                format!("{what} {name} is listed again with a different price; the first ({}) is used", kept.location);
            self.warnings.push(Warning { location: price.location.clone(), message });
        }
    }

    pub(crate) fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning { location: location.into(), message: message.into() });
    }

    fn name_key(&self, category: &str, subcategory: &str, name: &str, region: &str) -> NameKey {
        let clean = |text: &str| text.trim().to_lowercase();
        (clean(category), clean(subcategory), clean(name), self.regions.canonical(region.trim()))
    }

    pub fn kind(&self) -> PriceSourceKind {
        self.kind
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Match by meter ID (case-insensitive) first, else by category + subcategory + name + region
    /// (case-insensitive, trimmed; region through the aliases so "EU West", "West Europe" and
    /// "westeurope" are the same). Returns a stable key (an index) identifying the price entry, so the
    /// caller can sum quantities per entry for tiers. A query without a meter name matches by ID only;
    /// a missing category, subcategory or region matches an empty one.
    pub fn lookup(&self, query: &MeterQuery) -> Option<(usize, &Price)> {
        let by_id = query.meter_id.map(|id| id.trim().to_lowercase()).and_then(|id| self.by_id.get(&id));
        let index = match by_id {
            Some(&index) => index,
            None => {
                let name = query.name.filter(|n| !n.trim().is_empty())?;
                let or_empty = |field: Option<&str>| field.unwrap_or_default().to_string();
                let key = self.name_key(
                    &or_empty(query.category),
                    &or_empty(query.subcategory),
                    name,
                    &or_empty(query.region),
                );
                *self.by_name.get(&key)?
            }
        };
        self.prices.get(index).map(|price| (index, price))
    }

    /// The price of a key that [`PriceBook::lookup`] returned. A key that is not this book's (a caller's
    /// bug) gets a price with no tiers, which costs nothing and whose location says why, not a panic.
    pub fn price(&self, key: usize) -> &Price {
        self.prices.get(key).unwrap_or(&NO_PRICE)
    }

    pub fn len(&self) -> usize {
        self.prices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// Warnings found while loading (duplicate meter IDs with different prices: first wins, etc.).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

/// What [`PriceBook::price`] returns for a key that is not the book's: free, and says so.
static NO_PRICE: LazyLock<Price> = LazyLock::new(|| Price {
    tiers: Vec::new(),
    included_quantity: Decimal::ZERO,
    offer_discount: Decimal::ZERO,
    excluded_from_offer: false,
    location: "no price: the key is not one this price book gave".to_string(),
});

fn describe(entry: &Entry) -> String {
    format!("\"{}\" / \"{}\" / \"{}\" / \"{}\"", entry.category, entry.subcategory, entry.name, entry.region)
}

/// The most a price list saved as CSV, or a rate card, may hold. Both are read whole (a rate card is one JSON
/// document): Partner Center's full Azure price list and rate card are some tens of MiB, so 256 MiB leaves
/// room while bounding memory (a device or a runaway file never reads without end).
pub const PRICE_LIST_MAX_BYTES: u64 = 256 * 1024 * 1024;

fn read_file(path: &Path) -> Result<Vec<u8>> {
    Ok(crate::open::read_limited(path, PRICE_LIST_MAX_BYTES, "price list or rate card")?)
}

/// The file as UTF-8 text without its BOM (price lists saved as "CSV UTF-8" by Excel have one).
fn text_of<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(path, format!("not UTF-8 text (byte {}); save the price list as CSV UTF-8", e.valid_up_to()))
    })?;
    if text.trim().is_empty() {
        return Err(InputError::new(path, "the file is empty").into());
    }
    Ok(text)
}

/// The file name for locations ("ratecard.json, meters[3]"), the whole path when it has none.
pub(crate) fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn price(tiers: &[(&str, &str)], included: &str, discount: &str) -> Price {
        Price {
            tiers: tiers.iter().map(|(from, rate)| Tier { from: dec(from), rate: dec(rate) }).collect(),
            included_quantity: dec(included),
            offer_discount: dec(discount),
            excluded_from_offer: false,
            location: "test".to_string(),
        }
    }

    #[test]
    fn tiers_charge_each_part_at_its_rate() {
        let tiered = price(&[("0", "0.10"), ("100", "0.08"), ("1000", "0.05")], "0", "0");
        assert_eq!(tiered.cost_of_total(dec("50")), Some(dec("5.00")));
        assert_eq!(tiered.cost_of_total(dec("100")), Some(dec("10.00")));
        assert_eq!(tiered.cost_of_total(dec("250")), Some(dec("22.00")));
        assert_eq!(tiered.cost_of_total(dec("1500")), Some(dec("107.00")));
        assert_eq!(tiered.flat_rate(), None);
    }

    #[test]
    fn included_quantity_is_free_and_counts_toward_the_tiers() {
        let with_free = price(&[("0", "1.00"), ("100", "0.50")], "5", "0");
        assert_eq!(with_free.cost_of_total(dec("3")), Some(dec("0")));
        assert_eq!(with_free.cost_of_total(dec("150")), Some(dec("120.00")));
        assert_eq!(with_free.flat_rate(), None);
        let beyond_first_tier = price(&[("0", "1.00"), ("100", "0.50")], "120", "0");
        assert_eq!(beyond_first_tier.cost_of_total(dec("150")), Some(dec("15.00")));
    }

    #[test]
    fn offer_discount_applies_after_the_tiers() {
        let discounted = price(&[("0", "0.1122")], "0", "0.15");
        assert_eq!(discounted.cost_of_total(dec("744")), Some(dec("70.95528")));
        assert_eq!(discounted.flat_rate(), Some(dec("0.09537")));
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        let huge = price(&[("0", "79228162514264337593543950335")], "0", "0");
        assert_eq!(huge.cost_of_total(dec("2")), None);
        assert_eq!(huge.cost_of_total(dec("-2")), None);
        let empty = price(&[], "0", "0");
        assert_eq!(empty.cost_of_total(dec("-1")), None);
        assert_eq!(empty.cost_of_total(dec("1")), Some(dec("0")));
    }

    fn entry(id: &str, name: &str, region: &str, rate: &str) -> Entry {
        Entry {
            meter_id: Some(id.to_string()),
            category: "Virtual Machines".to_string(),
            subcategory: "A0 VM".to_string(),
            name: name.to_string(),
            region: region.to_string(),
            price: price(&[("0", rate)], "0", "0"),
        }
    }

    fn book() -> PriceBook {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        let mut book = PriceBook::new(PriceSourceKind::PriceList, "EUR".to_string(), &regions);
        book.add(entry("AAAA", "Compute Hours", "EU West", "0.02"));
        book.add(entry("BBBB", "Compute Hours", "EU North", "0.03"));
        book
    }

    #[test]
    fn lookup_by_id_beats_the_name_and_regions_are_aliases() {
        let book = book();
        let query = |id, region| MeterQuery {
            meter_id: id,
            category: Some(" virtual machines "),
            subcategory: Some("a0 vm"),
            name: Some("COMPUTE HOURS"),
            region: Some(region),
        };
        // The name says EU West, the ID says EU North: the ID wins.
        assert_eq!(book.lookup(&query(Some("bbbb"), "West Europe")).map(|(k, _)| k), Some(1));
        for region in ["EU West", "West Europe", "westeurope"] {
            assert_eq!(book.lookup(&query(Some("unknown-id"), region)).map(|(k, _)| k), Some(0), "{region}");
        }
        assert!(book.lookup(&query(None, "Japan East")).is_none());
        assert!(book.lookup(&MeterQuery::default()).is_none());
    }

    #[test]
    fn text_loses_its_bom_and_must_be_utf8() {
        let path = Path::new("list.csv");
        assert_eq!(text_of(path, b"\xEF\xBB\xBFMeter Category").ok(), Some("Meter Category"));
        let message = text_of(path, b"Meter \xE9").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("not UTF-8 text (byte 6)"), "{message}");
        assert!(text_of(path, b"\xEF\xBB\xBF  \n").is_err());
    }

    #[test]
    fn a_duplicate_meter_id_keeps_the_first_price_and_warns() {
        let mut book = book();
        book.add(entry("aaaa", "Compute Hours", "EU West", "0.99"));
        book.add(entry("AAAA", "Compute Hours", "EU West", "0.02"));
        assert_eq!(book.len(), 2);
        assert_eq!(book.warnings().len(), 1);
        assert_eq!(book.price(0).flat_rate(), Some(dec("0.02")));
        assert!(book.price(99).location.starts_with("no price"));
    }
}
