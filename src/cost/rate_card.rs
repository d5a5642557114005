//! The Partner Center rate card (digest §3.3; seed 002 L2869–L2924): `GET /v1/ratecards/azure` as JSON,
//! `{ "currency", "isTaxIncluded", "meters": [{ "id", "name", "rates": {"0": 7395.0}, "category",
//! "subcategory", "region", "includedQuantity", … }], "offerTerms": [{ "name", "discount",
//! "excludedMeterIds" }] }`. `rates` is keyed by the quantity where each tier starts.
//!
//! Numbers are exact: serde_json (without `arbitrary_precision`, which the crate does not enable) keeps a
//! float as the f64 nearest to its text and prints it back as the shortest text that reads back as that
//! f64 — the text of the file for every price with up to 15 significant digits — and that text is parsed
//! as a decimal, never the f64 itself.

use std::collections::HashSet;
use std::path::Path;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::prices::{Entry, Price, PriceBook, PriceSourceKind, Tier, file_label};
use super::regions::RegionAliases;
use crate::error::{Error, InputError, Result};
use crate::read::number::{DecimalSeparator, parse_decimal};

/// Reads a rate card; `text` starts with `{`.
pub(crate) fn read(path: &Path, text: &str, currency: Option<&str>, regions: &RegionAliases) -> Result<PriceBook> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        InputError::new(path, format!("not valid JSON: {e}")).at(format!("line {}, column {}", e.line(), e.column()))
    })?;
    let Some(meters) = root.get("meters").and_then(Value::as_array) else {
        return Err(
            InputError::new(path, "JSON, but not a rate card: expected an object with a \"meters\" array").into()
        );
    };
    let card = Card { path, root: &root };
    let code = card.currency(currency)?;
    let mut book = PriceBook::new(PriceSourceKind::RateCard, code, regions);
    if card.optional_bool("isTaxIncluded")? == Some(true) {
        // Australia and Brazil prices include tax (004 L65); the costs then do too.
        book.warn("/isTaxIncluded", "the rate card's prices include tax, so the costs computed from it do too");
    }
    let offer = card.offer_term(&mut book)?;
    let label = file_label(path);
    for (index, meter) in meters.iter().enumerate() {
        let pointer = format!("/meters/{index}");
        let entry = card.meter(meter, &pointer, &offer, format!("{label}, meters[{index}]"), &mut book)?;
        book.add(entry);
    }
    Ok(book)
}

/// The one offer term applied: its discount and the meters it excludes.
#[derive(Default)]
struct OfferTerm {
    discount: Decimal,
    excluded: HashSet<String>,
}

struct Card<'a> {
    path: &'a Path,
    root: &'a Value,
}

impl Card<'_> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        InputError::new(self.path, message).at(pointer.to_string()).into()
    }

    /// The card's currency, which must be the usage file's when that is known.
    fn currency(&self, wanted: Option<&str>) -> Result<String> {
        let code = self.root.get("currency").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Err(self.error("/currency", "expected the rate card's currency (a 3-letter ISO code such as USD)"));
        }
        match wanted {
            Some(wanted) if !wanted.trim().eq_ignore_ascii_case(code) => Err(self.error(
                "/currency",
                format!("the rate card is in {code}, the usage file in {wanted}; the rate card has: {code}"),
            )),
            _ => Ok(code.to_string()),
        }
    }

    fn optional_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.root.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(_) => Err(self.error(&format!("/{key}"), "expected true or false")),
        }
    }

    /// The offer term named "Overage discount" (the seed's, 002 L2915), else the first; several terms warn,
    /// because only one is applied.
    fn offer_term(&self, book: &mut PriceBook) -> Result<OfferTerm> {
        let terms = match self.root.get("offerTerms") {
            None | Some(Value::Null) => return Ok(OfferTerm::default()),
            Some(Value::Array(terms)) => terms,
            Some(_) => return Err(self.error("/offerTerms", "expected an array of offer terms")),
        };
        let is_overage = |term: &Value| {
            term.get("name").and_then(Value::as_str).is_some_and(|n| n.trim().eq_ignore_ascii_case("overage discount"))
        };
        let Some(index) = terms.iter().position(is_overage).or(if terms.is_empty() { None } else { Some(0) }) else {
            return Ok(OfferTerm::default());
        };
        let pointer = format!("/offerTerms/{index}");
        if terms.len() > 1 {
            book.warn("/offerTerms", format!("{} offer terms are listed; only {pointer} is applied", terms.len()));
        }
        let term =
            terms.get(index).and_then(Value::as_object).ok_or_else(|| self.error(&pointer, "expected an object"))?;
        self.parse_offer_term(term, &pointer)
    }

    fn parse_offer_term(&self, term: &Map<String, Value>, pointer: &str) -> Result<OfferTerm> {
        let discount_pointer = format!("{pointer}/discount");
        let discount = match term.get("discount") {
            None | Some(Value::Null) => Decimal::ZERO,
            Some(value) => self.number(value, &discount_pointer)?,
        };
        if discount < Decimal::ZERO || discount > Decimal::ONE {
            return Err(self
                .error(&discount_pointer, format!("expected a fraction from 0 to 1 (0.15 = 15 %), found {discount}")));
        }
        let mut excluded = HashSet::new();
        let ids = match term.get("excludedMeterIds") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(ids)) => ids,
            Some(_) => return Err(self.error(&format!("{pointer}/excludedMeterIds"), "expected an array of meter IDs")),
        };
        for (i, id) in ids.iter().enumerate() {
            let id = id.as_str().ok_or_else(|| {
                self.error(&format!("{pointer}/excludedMeterIds/{i}"), "expected a meter ID (a string)")
            })?;
            excluded.insert(id.trim().to_lowercase());
        }
        Ok(OfferTerm { discount, excluded })
    }

    fn meter(
        &self,
        meter: &Value,
        pointer: &str,
        offer: &OfferTerm,
        location: String,
        book: &mut PriceBook,
    ) -> Result<Entry> {
        let meter = meter.as_object().ok_or_else(|| self.error(pointer, "expected a meter object"))?;
        let text = |key: &str| self.optional_str(meter, key, pointer);
        let id = text("id")?.unwrap_or_default();
        if id.is_empty() {
            return Err(self.error(&format!("{pointer}/id"), "expected the meter's ID (a GUID)"));
        }
        let included_quantity = match meter.get("includedQuantity") {
            None | Some(Value::Null) => Decimal::ZERO,
            Some(value) => self.non_negative(value, &format!("{pointer}/includedQuantity"))?,
        };
        let tiers = self.tiers(meter, pointer, book)?;
        let excluded_from_offer = offer.excluded.contains(&id.to_lowercase());
        let offer_discount = if excluded_from_offer { Decimal::ZERO } else { offer.discount };
        Ok(Entry {
            meter_id: Some(id.to_string()),
            category: text("category")?.unwrap_or_default().to_string(),
            subcategory: text("subcategory")?.unwrap_or_default().to_string(),
            name: text("name")?.unwrap_or_default().to_string(),
            region: text("region")?.unwrap_or_default().to_string(),
            price: Price { tiers, included_quantity, offer_discount, excluded_from_offer, location },
        })
    }

    fn optional_str<'m>(&self, object: &'m Map<String, Value>, key: &str, pointer: &str) -> Result<Option<&'m str>> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim())),
            Some(_) => Err(self.error(&format!("{pointer}/{key}"), "expected a string")),
        }
    }

    /// `rates`: tier start (a number as text) → rate, ascending. A card whose lowest tier starts above 0
    /// leaves the first units unpriced; they are read as free (with a warning) so tiers start at 0.
    fn tiers(&self, meter: &Map<String, Value>, pointer: &str, book: &mut PriceBook) -> Result<Vec<Tier>> {
        let pointer = format!("{pointer}/rates");
        let rates = meter.get("rates").and_then(Value::as_object).filter(|r| !r.is_empty());
        let rates = rates.ok_or_else(|| self.error(&pointer, "expected an object of rates such as {\"0\": 0.1122}"))?;
        let mut tiers = Vec::with_capacity(rates.len());
        for (key, value) in rates {
            let at = format!("{pointer}/{key}");
            let from = parse_decimal(key, DecimalSeparator::Point).ok().flatten().filter(|f| !f.is_sign_negative());
            let from = from
                .ok_or_else(|| self.error(&at, format!("expected a tier start (a quantity ≥ 0), found \"{key}\"")))?;
            let rate = self.number(value, &at)?;
            if rate.is_sign_negative() && !rate.is_zero() {
                return Err(self.error(&at, format!("expected a rate of 0 or more, found {value}")));
            }
            tiers.push(Tier { from, rate });
        }
        tiers.sort_by_key(|tier| tier.from);
        if tiers.windows(2).any(|pair| matches!(pair, [a, b] if a.from == b.from)) {
            return Err(self.error(&pointer, "two rates start at the same quantity"));
        }
        if tiers.first().is_some_and(|tier| !tier.from.is_zero()) {
            book.warn(pointer, "the first tier does not start at 0; the quantity below it is priced at 0");
            tiers.insert(0, Tier { from: Decimal::ZERO, rate: Decimal::ZERO });
        }
        Ok(tiers)
    }

    /// A JSON number as an exact decimal; one beyond the decimal range (`1e30`) is named as such.
    fn number(&self, value: &Value, pointer: &str) -> Result<Decimal> {
        match value {
            Value::Number(number) => match parse_decimal(&number.to_string(), DecimalSeparator::Point) {
                Ok(Some(decimal)) => Ok(decimal),
                Ok(None) => Err(self.error(pointer, format!("expected a number, found {value}"))),
                Err(message) => Err(self.error(pointer, message)),
            },
            _ => Err(self.error(pointer, format!("expected a number, found {value}"))),
        }
    }

    fn non_negative(&self, value: &Value, pointer: &str) -> Result<Decimal> {
        let number = self.number(value, pointer)?;
        if number.is_sign_negative() {
            return Err(self.error(pointer, format!("expected a quantity ≥ 0, found {number}")));
        }
        Ok(number)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn read_card(text: &str, currency: Option<&str>) -> Result<PriceBook> {
        let regions = crate::rules::Rules::embedded().read.regions.clone();
        read(Path::new("ratecard.json"), text, currency, &regions)
    }

    const CARD: &str = r#"{"currency": "USD", "isTaxIncluded": false,
      "meters": [
        {"id": "A", "name": "Data Transfer Out (GB)", "rates": {"0": 0.087, "10240": 0.083, "5.0": 0.087},
         "category": "Networking", "subcategory": "", "region": "Zone 1", "includedQuantity": 5.0},
        {"id": "B", "name": "Compute Hours", "rates": {"0": 0.1122}, "category": "Virtual Machines",
         "subcategory": "Standard_D1_v2 VM (Windows)", "region": "BR South", "includedQuantity": 0.0}],
      "offerTerms": [{"name": "Overage discount", "discount": 0.15, "excludedMeterIds": ["a"]}]}"#;

    #[test]
    fn reads_tiers_included_quantity_and_the_offer_term() {
        let book = read_card(CARD, Some("usd")).unwrap();
        let transfer = book.price(0);
        assert_eq!(transfer.tiers.iter().map(|t| t.from).collect::<Vec<_>>(), [dec("0"), dec("5"), dec("10240")]);
        assert_eq!(transfer.included_quantity, dec("5"));
        assert!(transfer.excluded_from_offer);
        assert_eq!(transfer.offer_discount, Decimal::ZERO);
        assert_eq!(book.price(1).flat_rate(), Some(dec("0.09537")));
        assert_eq!(book.price(1).location, "ratecard.json, meters[1]");
    }

    #[test]
    fn another_currency_is_an_error_naming_both() {
        let message = read_card(CARD, Some("EUR")).err().unwrap().to_string();
        assert!(message.starts_with("ratecard.json, /currency: the rate card is in USD, the usage file in EUR"));
    }

    #[test]
    fn bad_values_are_named_by_json_pointer() {
        let bad = CARD.replace("\"0\": 0.1122", "\"0\": \"cheap\"");
        let message = read_card(&bad, None).err().unwrap().to_string();
        assert_eq!(message, "ratecard.json, /meters/1/rates/0: expected a number, found \"cheap\"");
        let bad = CARD.replace("0.15", "15");
        assert!(read_card(&bad, None).err().unwrap().to_string().contains("/offerTerms/0/discount"));
        let message = read_card("{\"meters\": [}", None).err().unwrap().to_string();
        assert!(message.contains("not valid JSON"), "{message}");
    }

    #[test]
    fn odd_documents_are_errors_not_panics() {
        for (text, expected) in [
            ("[1, 2]", "not a rate card"),
            ("{\"meters\": []}", "/currency"),
            ("{\"currency\": \"USD\", \"meters\": [1]}", "/meters/0: expected a meter object"),
            ("{\"currency\": \"USD\", \"meters\": [{\"id\": \"x\", \"rates\": {\"-1\": 1}}]}", "/meters/0/rates/-1"),
            ("{\"currency\": \"USD\", \"meters\": [{\"id\": \"x\", \"rates\": {}}]}", "/meters/0/rates"),
            ("{\"currency\": \"USD\", \"meters\": [{\"id\": 7, \"rates\": {\"0\": 1}}]}", "/meters/0/id"),
            ("{\"currency\": \"USD\", \"meters\": [], \"offerTerms\": {}}", "/offerTerms"),
        ] {
            let message = read_card(text, None).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn a_first_tier_above_zero_is_free_below_it() {
        let text = r#"{"currency": "USD", "meters": [{"id": "x", "rates": {"5": 1.0}}]}"#;
        let book = read_card(text, None).unwrap();
        assert_eq!(book.price(0).cost_of_total(dec("7")), Some(dec("2")));
        assert_eq!(book.warnings().len(), 1);
    }

    #[test]
    fn tax_included_and_several_offer_terms_warn() {
        let card = CARD
            .replace("\"isTaxIncluded\": false", "\"isTaxIncluded\": true")
            .replace("\"offerTerms\": [", "\"offerTerms\": [{\"name\": \"Other\", \"discount\": 0.5},");
        let book = read_card(&card, None).unwrap();
        assert_eq!(book.warnings().len(), 2, "{:?}", book.warnings());
        assert_eq!(book.price(1).offer_discount, dec("0.15"));
    }
}
