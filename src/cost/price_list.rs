//! The Partner Center price list (digest §3.2; seed 002 L2564–L2611): an Excel workbook, or a CSV saved
//! from it, with a header row `Meter Category, Meter Subcategory, Region, Name, Resource ID` and one price
//! column per currency (`AUD`, `CAD`, `CHF`, …). The header may sit below title rows, on any sheet ("The
//! first worksheet tab of the Excel file describes how to work with the price list", L2611); other
//! columns are ignored.

use std::path::Path;

use rust_decimal::Decimal;

use super::prices::{Entry, Price, PriceBook, PriceSourceKind, Tier, file_label};
use super::regions::RegionAliases;
use crate::error::{InputError, Result};
use crate::read::number::{DecimalSeparator, parse_decimal};
use crate::read::workbook::{Value, Workbook};
use crate::read::xlsx::column_letters;
use crate::rules::normalize_key;

/// How far down a sheet the header is searched for (inference: title and notes rows above the header of
/// a downloaded list are a handful; 20 leaves room without reading data rows as headers).
const HEADER_SEARCH_ROWS: usize = 20;

/// The most cells a price list sheet may hold (counting the empty cells before each row's last value): a list of
/// 50,000 meters with 30 currency columns holds 2,000,000.
const MAX_CELLS: usize = 5_000_000;

/// The fields read, each with its header spellings (compared by `normalize_key`). The first spelling is
/// the seed's (002 L2567); the others are the usage exports' names for the same field (inference).
const FIELDS: [(&str, &[&str]); 5] = [
    ("Meter Category", &["metercategory"]),
    ("Meter Subcategory", &["metersubcategory"]),
    ("Region", &["region", "meterregion"]),
    ("Name", &["name", "metername"]),
    ("Resource ID", &["resourceid", "meterid"]),
];

/// A row of the table: its number in the file (line or sheet row) and its cells as text.
type Row = (u64, Vec<String>);

/// Where the rows come from, to name rows and cells in locations and errors.
enum Place {
    Csv,
    Sheet { name: String, first_column: usize },
}

impl Place {
    fn row(&self, number: u64) -> String {
        match self {
            Place::Csv => format!("line {number}"),
            Place::Sheet { name, .. } => format!("sheet \"{name}\", row {number}"),
        }
    }

    fn cell(&self, number: u64, column: usize) -> String {
        match self {
            Place::Csv => format!("line {number}"),
            Place::Sheet { name, first_column } => {
                format!("sheet \"{name}\", cell {}{number}", column_letters(first_column + column))
            }
        }
    }
}

/// The header row: where each field is, and the currency columns.
struct Header {
    number: u64,
    fields: [usize; 5],
    currencies: Vec<(usize, String)>,
}

/// Reads a price list saved as CSV (comma-separated, UTF-8; the BOM is already removed).
pub(crate) fn read_csv(path: &Path, text: &str, currency: Option<&str>, regions: &RegionAliases) -> Result<PriceBook> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(String::new(), |p| format!("line {}", p.line()));
            InputError::new(path, format!("not a readable CSV: {e}")).at(line)
        })?;
        let line = record.position().map_or(rows.len() as u64 + 1, |p| p.line());
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    let header = find_header(&rows).ok_or_else(|| no_header(path, "the first lines"))?;
    parse_table(path, &rows, header, &Place::Csv, currency, regions)
}

/// Reads a price list workbook: the first sheet whose first rows hold the header.
pub(crate) fn read_workbook(path: &Path, currency: Option<&str>, regions: &RegionAliases) -> Result<PriceBook> {
    let mut workbook = Workbook::open(path)?;
    for name in workbook.sheet_names() {
        let rows: Vec<Row> = workbook.rows(&name, MAX_CELLS, |_, value| cell_text(value))?;
        if let Some(header) = find_header(&rows) {
            let place = Place::Sheet { name, first_column: 0 };
            return parse_table(path, &rows, header, &place, currency, regions);
        }
    }
    Err(no_header(path, "the first rows of any sheet"))
}

/// A cell as the text the CSV export would hold. A number cell is an f64 (that is how XLSX stores it);
/// its `Display` is the shortest decimal that reads back as the same f64, which is what Excel shows and
/// what the list's author typed (0.0808, not 0.08080000000000000626…), so parsing that text is exact.
/// (Not `read::xlsx`'s cell text, which goes through `Decimal::from_f64` and answers errors differently.)
fn cell_text(cell: Value<'_>) -> String {
    match cell {
        Value::Text(text) => text.to_string(),
        Value::Number(value) | Value::Date(value) => value.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Bool(value) => if value { "TRUE" } else { "FALSE" }.to_string(),
        Value::Error(error) => error.to_string(),
    }
}

fn find_header(rows: &[Row]) -> Option<Header> {
    rows.iter().take(HEADER_SEARCH_ROWS).find_map(|(number, cells)| {
        let keys: Vec<String> = cells.iter().map(|c| normalize_key(c)).collect();
        let position = |spellings: &[&str]| keys.iter().position(|k| spellings.contains(&k.as_str()));
        let [a, b, c, d, e] = FIELDS.map(|(_, spellings)| position(spellings));
        let fields = [a?, b?, c?, d?, e?];
        let currencies = cells
            .iter()
            .enumerate()
            .filter(|(_, cell)| is_currency_code(cell.trim()))
            .map(|(index, cell)| (index, cell.trim().to_string()))
            .collect();
        Some(Header { number: *number, fields, currencies })
    })
}

/// A currency column's header: a 3-letter ISO 4217 code, written in capitals as the seed does ("AUD",
/// "CAD", "CHF", 002 L2567). Inference: no other header of the list is three capital letters.
fn is_currency_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

fn no_header(path: &Path, searched: &str) -> crate::error::Error {
    let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
    InputError::new(
        path,
        format!(
            "not a price list: no header row with {} in {searched} ({HEADER_SEARCH_ROWS} rows searched)",
            names.join(", ")
        ),
    )
    .into()
}

/// The price column for the wanted currency, or the only one when none is wanted.
fn choose_currency(path: &Path, header: &Header, place: &Place, wanted: Option<&str>) -> Result<(usize, String)> {
    let found: Vec<&str> = header.currencies.iter().map(|(_, code)| code.as_str()).collect();
    let listed = if found.is_empty() { "none".to_string() } else { found.join(", ") };
    let chosen = match wanted {
        Some(wanted) => header.currencies.iter().find(|(_, code)| code.eq_ignore_ascii_case(wanted.trim())),
        None if header.currencies.len() == 1 => header.currencies.first(),
        None => None,
    };
    let message = match wanted {
        Some(wanted) => format!("no price column for currency {wanted}; the price list has: {listed}"),
        None => format!(
            "expected exactly one currency column (3 capital letters such as AUD, CAD, CHF) when the usage file \
             does not say its currency; the price list has: {listed}"
        ),
    };
    chosen.cloned().ok_or_else(|| InputError::new(path, message).at(place.row(header.number)).into())
}

fn parse_table(
    path: &Path,
    rows: &[Row],
    header: Header,
    place: &Place,
    currency: Option<&str>,
    regions: &RegionAliases,
) -> Result<PriceBook> {
    let (price_column, code) = choose_currency(path, &header, place, currency)?;
    let mut book = PriceBook::new(PriceSourceKind::PriceList, code.clone(), regions);
    let label = file_label(path);
    let (mut unpriced, mut anonymous) = (0u64, 0u64);
    for (number, cells) in rows.iter().filter(|(number, _)| *number > header.number) {
        let cell = |index: usize| cells.get(index).map_or("", |c| c.trim());
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let parsed = parse_decimal(cell(price_column), DecimalSeparator::Point);
        let rate = parsed.map_err(|message| {
            InputError::new(path, message).at(place.cell(*number, price_column)).column(code.clone())
        })?;
        let Some(rate) = rate else {
            unpriced += 1;
            continue;
        };
        let [category, subcategory, region, name, meter_id] = header.fields.map(cell);
        if name.is_empty() && meter_id.is_empty() {
            anonymous += 1;
            continue;
        }
        let location = format!("{label}, {}", place.row(*number));
        book.add(Entry {
            meter_id: Some(meter_id.to_string()).filter(|id| !id.is_empty()),
            category: category.to_string(),
            subcategory: subcategory.to_string(),
            name: name.to_string(),
            region: region.to_string(),
            price: flat_price(rate, location),
        });
    }
    warn_skipped(&mut book, &code, unpriced, anonymous);
    Ok(book)
}

/// A price-list price: one rate from the first unit, nothing included, no offer term.
fn flat_price(rate: Decimal, location: String) -> Price {
    Price {
        tiers: vec![Tier { from: Decimal::ZERO, rate }],
        included_quantity: Decimal::ZERO,
        offer_discount: Decimal::ZERO,
        excluded_from_offer: false,
        location,
    }
}

fn warn_skipped(book: &mut PriceBook, code: &str, unpriced: u64, anonymous: u64) {
    if unpriced > 0 {
        book.warn("price list", format!("{unpriced} meter(s) have no {code} price (empty cell) and were skipped"));
    }
    if anonymous > 0 {
        book.warn(
            "price list",
            format!("{anonymous} priced row(s) have neither a Name nor a Resource ID and were skipped"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::rules::RulePack;

    fn regions() -> RegionAliases {
        RegionAliases::from_pack(&RulePack::embedded()).unwrap()
    }

    const LIST: &str = "Azure CSP price list\n\
        ,,,,\n\
        ,Meter Category,Meter Sub-Category,Region,Name,Resource ID,Notes,AUD,EUR\n\
        ,Virtual Machines,A0 VM,US Central,Compute Hours,5b78f2d3-3c78-4333-b6a8-7e2233433a0b,,0.02,0.017\n\
        ,Virtual Machines,A0 VM,US East,Compute Hours,8be390a3-b121-4937-bc0c-67776102ae5d,,0.02,\n";

    fn read(text: &str, currency: Option<&str>) -> Result<PriceBook> {
        read_csv(Path::new("list.csv"), text, currency, &regions())
    }

    #[test]
    fn reads_the_chosen_currency_below_title_rows() {
        let book = read(LIST, Some("eur")).unwrap();
        assert_eq!((book.currency(), book.len()), ("EUR", 1));
        assert_eq!(book.price(0).flat_rate(), Decimal::from_str("0.017").ok());
        assert_eq!(book.price(0).location, "list.csv, line 4");
        assert!(book.warnings().iter().any(|w| w.message.contains("1 meter(s) have no EUR price")));
    }

    #[test]
    fn a_missing_or_ambiguous_currency_lists_what_the_file_has() {
        let missing = read(LIST, Some("USD")).err().unwrap().to_string();
        assert_eq!(missing, "list.csv, line 3: no price column for currency USD; the price list has: AUD, EUR");
        let ambiguous = read(LIST, None).err().unwrap().to_string();
        assert!(ambiguous.contains("the price list has: AUD, EUR"), "{ambiguous}");
    }

    #[test]
    fn a_non_numeric_price_names_line_and_column() {
        let bad = LIST.replace("0.02,0.017", "0.02,n/a");
        let message = read(&bad, Some("EUR")).err().unwrap().to_string();
        assert_eq!(message, "list.csv, line 4, column \"EUR\": expected a decimal number, found \"n/a\"");
    }

    #[test]
    fn text_without_the_header_is_not_a_price_list() {
        let message = read("a,b\n1,2\n", None).err().unwrap().to_string();
        assert!(message.contains("not a price list: no header row with Meter Category"), "{message}");
    }

    #[test]
    fn workbook_cells_are_named_like_excel() {
        let place = Place::Sheet { name: "Prices".to_string(), first_column: 1 };
        assert_eq!(place.cell(7410, 8), "sheet \"Prices\", cell J7410");
        assert_eq!(cell_text(Value::Number(0.0808)), "0.0808");
        assert_eq!(cell_text(Value::Number(7395.0)), "7395");
    }
}
