//! The cost command's price sources on the fixtures of `tests/fixtures/cost/` (see its README for the
//! expected values): the price list as CSV and as a workbook generated here, and the rate card.

use std::path::Path;
use std::str::FromStr;

use csp_planner::cost::prices::{MeterQuery, PriceBook, PriceSourceKind};
use csp_planner::cost::regions::RegionAliases;
use rust_decimal::Decimal;

use crate::support::fixture;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn regions() -> RegionAliases {
    csp_planner::rules::Rules::embedded().read.regions.clone()
}

fn load(path: &Path, currency: Option<&str>) -> Result<PriceBook, String> {
    PriceBook::load(path, currency, &regions()).map_err(|e| e.to_string())
}

/// The seed's cost sample (002 L14923–L14928): meter name, the usage file's meter ID, its CSP Rate.
const SEED_SAMPLE: [(&str, &str, &str); 6] = [
    ("Standard IO - Page Blob/Disk (GB)", "ca7431db-57d1-4fb8-b1e3-1fbb32fc5706", "0.0808"),
    ("Data Transfer In (GB)", "35921e20-82c0-408e-bf49-0b4952398d90", "0"),
    ("Data Transfer Out (GB)", "834de953-d940-4233-910b-4d35bb309772", "0.0739"),
    ("Compute Hours", "f730511a-d669-413d-88ed-3107755b4bec", "0.017"),
    ("Standard IO-Block Blob Delete Operation Units", "fc8e2179-469c-4e35-a30d-40ec311fd092", "0.0003"),
    ("Standard IO-Table Write Operation Units", "d0258b59-856d-40ad-b4be-c89b3be6a77f", "0.0003"),
];

fn by_id<'b>(book: &'b PriceBook, id: &str) -> &'b csp_planner::cost::prices::Price {
    book.lookup(&MeterQuery { meter_id: Some(id), ..MeterQuery::default() }).map(|(_, p)| p).unwrap()
}

fn assert_seed_rates(book: &PriceBook) {
    for (name, id, rate) in SEED_SAMPLE {
        assert_eq!(by_id(book, &id.to_uppercase()).flat_rate(), Some(dec(rate)), "{name}");
    }
}

#[test]
fn price_list_csv_gives_the_seed_rates_in_usd() {
    let book = load(&fixture("cost/price-list.csv"), Some("usd")).unwrap();
    assert_eq!((book.kind(), book.currency(), book.len()), (PriceSourceKind::PriceList, "USD", 8));
    assert_seed_rates(&book);
    assert_eq!(by_id(&book, SEED_SAMPLE[0].1).location, "price-list.csv, line 5");
    assert!(book.warnings().is_empty(), "{:?}", book.warnings());
}

#[test]
fn price_list_skips_a_meter_without_a_price_in_the_currency() {
    let book = load(&fixture("cost/price-list.csv"), Some("EUR")).unwrap();
    assert_eq!(book.len(), 7);
    assert_eq!(book.warnings().len(), 1);
    assert!(book.warnings()[0].message.contains("1 meter(s) have no EUR price"));
}

#[test]
fn price_list_without_the_usage_currency_names_file_and_currencies() {
    let message = load(&fixture("cost/price-list.csv"), Some("GBP")).unwrap_err();
    assert!(
        message.ends_with(
            "price-list.csv, line 4: no price column for currency GBP; the price list has: AUD, CAD, CHF, EUR, USD"
        ),
        "{message}"
    );
    let message = load(&fixture("cost/price-list.csv"), None).unwrap_err();
    assert!(message.contains("the price list has: AUD, CAD, CHF, EUR, USD"), "{message}");
}

#[test]
fn lookup_by_name_goes_through_the_region_aliases_and_the_id_wins() {
    let book = load(&fixture("cost/price-list.csv"), Some("USD")).unwrap();
    let query = |meter_id, region| MeterQuery {
        meter_id,
        category: Some("Virtual Machines"),
        subcategory: Some("A0 VM (Windows)"),
        name: Some("Compute Hours"),
        region: Some(region),
    };
    for region in ["EU West", "West Europe", "westeurope"] {
        assert_eq!(book.lookup(&query(None, region)).and_then(|(_, p)| p.flat_rate()), Some(dec("0.017")));
    }
    // The AU East meter's ID with an EU West name: the ID decides.
    let au_east = query(Some("0e59ad56-03e5-4c3d-90d4-6670874d7e29"), "West Europe");
    assert_eq!(book.lookup(&au_east).and_then(|(_, p)| p.flat_rate()), Some(dec("0.022")));
}

/// Writes the CSV fixture as a workbook: a "Read me" sheet first (as the seed's list has, 002 L2611),
/// then "Prices" with numbers as number cells. `replace` puts a text into one price cell.
fn write_workbook(dir: &Path, replace: Option<(u32, u16, &str)>) -> std::path::PathBuf {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Read me").unwrap().write_string(0, 0, "How to read the price list").unwrap();
    let sheet = workbook.add_worksheet().set_name("Prices").unwrap();
    let text = std::fs::read_to_string(fixture("cost/price-list.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for (row, record) in reader.records().enumerate() {
        for (column, cell) in record.unwrap().iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            match (replace, f64::from_str(cell)) {
                (Some((r, c, value)), _) if (r, c) == (row, column) => sheet.write_string(row, column, value),
                (_, Ok(number)) if row > 3 => sheet.write_number(row, column, number),
                _ if cell.is_empty() => continue,
                _ => sheet.write_string(row, column, cell),
            }
            .unwrap();
        }
    }
    let path = dir.join("prices.xlsx");
    workbook.save(&path).unwrap();
    path
}

#[test]
fn price_list_workbook_reads_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let book = load(&write_workbook(dir.path(), None), Some("USD")).unwrap();
    assert_eq!(book.len(), 8);
    assert_seed_rates(&book);
    assert_eq!(by_id(&book, SEED_SAMPLE[3].1).location, "prices.xlsx, sheet \"Prices\", row 8");
}

#[test]
fn a_non_numeric_workbook_price_names_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    // Row 8 (index 7), column N (index 13): the USD price of Compute Hours.
    let path = write_workbook(dir.path(), Some((7, 13, "call us")));
    let message = load(&path, Some("USD")).unwrap_err();
    assert!(
        message.ends_with(
            "prices.xlsx, sheet \"Prices\", cell N8, column \"USD\": expected a decimal number, found \"call us\""
        ),
        "{message}"
    );
}

#[test]
fn rate_card_tiers_included_quantity_and_offer_term() {
    let book = load(&fixture("cost/ratecard.json"), Some("USD")).unwrap();
    assert_eq!((book.kind(), book.len()), (PriceSourceKind::RateCard, 7));
    let tiered = by_id(&book, "834de953-d940-4233-910b-4d35bb309772");
    for (total, cost) in [("100", "6.2815"), ("10240", "643.2256"), ("20000", "1227.264"), ("60000", "3591.692")] {
        assert_eq!(tiered.cost_of_total(dec(total)), Some(dec(cost)), "{total}");
    }
    assert_eq!(tiered.flat_rate(), None);
    let included = by_id(&book, "ca7431db-57d1-4fb8-b1e3-1fbb32fc5706");
    assert_eq!(included.cost_of_total(dec("0.7829")), Some(dec("0")));
    assert_eq!(included.cost_of_total(dec("3.5")), Some(dec("0.1717")));
    let excluded = by_id(&book, "f730511a-d669-413d-88ed-3107755b4bec");
    assert!(excluded.excluded_from_offer);
    assert_eq!(excluded.cost_of_total(dec("24")), Some(dec("0.408")));
    let seed_meter = by_id(&book, "7a2639ce-ae47-4413-9837-6b4f4b78be3d");
    assert_eq!(seed_meter.flat_rate(), Some(dec("0.09537")));
    assert_eq!(seed_meter.location, "ratecard.json, meters[2]");
}

#[test]
fn rate_card_in_another_currency_is_refused() {
    let message = load(&fixture("cost/ratecard.json"), Some("EUR")).unwrap_err();
    assert!(message.contains("ratecard.json, /currency: the rate card is in USD, the usage file in EUR"), "{message}");
}
