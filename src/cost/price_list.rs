//! The Partner Center price list (digest §3.2; seed 002 L2564–L2611): an Excel workbook, or a CSV saved
//! from it, with a header row `Meter Category, Meter Subcategory, Region, Name, Resource ID` and one price
//! column per currency (`AUD`, `CAD`, `CHF`, …). The header may sit below title rows, on any sheet ("The
//! first worksheet tab of the Excel file describes how to work with the price list", L2611); other
//! columns are ignored.

use std::path::Path;
use std::sync::Arc;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::prices::{Entry, Price, PriceBook, PriceSourceKind, Tier, file_label};
use super::regions::RegionAliases;
use crate::error::{InputError, Result};
use crate::read::decode::field_text;
use crate::read::duplicate_columns::{self, Positions};
use crate::read::number::{DecimalSeparator, parse_decimal};
use crate::read::row_shape::{HeaderRule, Repeated, RowCheck, Shape, is_key_of};
use crate::read::table::{CsvRecords, Records};
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

    fn positions(&self) -> Positions {
        match self {
            Place::Csv => Positions::Fields,
            Place::Sheet { first_column, .. } => Positions::Letters(*first_column),
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

/// Reads a price list saved as CSV (comma-separated, UTF-8; the BOM is already removed), its quoting checked
/// as every CSV input's is.
pub(crate) fn read_csv(path: &Path, text: &str, currency: Option<&str>, regions: &RegionAliases) -> Result<PriceBook> {
    let bytes = text.as_bytes().to_vec();
    let head = bytes[..bytes.len().min(64 * 1024)].to_vec();
    let mut records = CsvRecords::with_delimiter(path, b',', &head, Box::new(std::io::Cursor::new(bytes)));
    let mut record = ByteRecord::new();
    let mut rows: Vec<Row> = Vec::new();
    while let Some(line) = records.next_record(&mut record)? {
        rows.push((line, record.iter().map(|field| field_text(field).0.into_owned()).collect()));
    }
    let header = find_header(&rows).ok_or_else(|| no_header(path, "the first lines"))?;
    let repeated = check_rows(path, &mut rows, &header)?;
    let mut book = parse_table(path, &rows, header, &Place::Csv, currency, regions)?;
    if let Some(warning) = repeated {
        book.warn(format!("{}, {}", file_label(path), warning.location), warning.message);
    }
    Ok(book)
}

/// Every row after the header checked against it (see [`crate::read::row_shape`]); the rows that are the
/// header again (price lists joined one after another) are left out, for one warning.
fn check_rows(path: &Path, rows: &mut Vec<Row>, header: &Header) -> Result<Option<crate::model::Warning>> {
    let Some((_, names)) = rows.iter().find(|(number, _)| *number == header.number) else { return Ok(None) };
    let names: Vec<String> = names.iter().map(|name| name.trim().to_string()).collect();
    let check = RowCheck::new(&names, header.number, Arc::new(PriceHeaders::new()));
    let mut repeated = Repeated::default();
    for (number, cells) in rows.iter().filter(|(number, _)| *number > header.number) {
        match check.check(cells.as_slice()) {
            Ok(Shape::Data) => {}
            Ok(Shape::RepeatedHeader) => repeated.note(*number),
            Err(fault) => {
                let mut error = InputError::new(path, fault.message).at(Place::Csv.row(*number));
                if let Some(column) = fault.column {
                    error = error.column(column);
                }
                return Err(error.into());
            }
        }
    }
    if repeated.count > 0 {
        rows.retain(|(number, cells)| {
            *number <= header.number || check.check(cells.as_slice()) != Ok(Shape::RepeatedHeader)
        });
    }
    Ok(repeated.warning(header.number))
}

/// A header-like row of a price list: one holding the five columns the header is found by.
struct PriceHeaders {
    names: rustc_hash::FxHashSet<String>,
}

impl PriceHeaders {
    fn new() -> Self {
        PriceHeaders {
            names: FIELDS.iter().flat_map(|(_, spellings)| spellings.iter().map(|s| s.to_string())).collect(),
        }
    }
}

impl HeaderRule for PriceHeaders {
    fn knows(&self, cell: &str) -> bool {
        is_key_of(cell, &self.names)
    }

    fn is_header(&self, names: &[String]) -> bool {
        find_header(&[(0, names.to_vec())]).is_some()
    }
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
    let duplicates = check_columns(path, rows, &header, place, price_column)?;
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
        if rate.is_sign_negative() && !rate.is_zero() {
            let message = format!("expected a price of 0 or more, found {}", cell(price_column));
            return Err(InputError::new(path, message)
                .at(place.cell(*number, price_column))
                .column(code.clone())
                .into());
        }
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
    for warning in duplicates {
        book.warn(format!("{label}, {}", warning.location), warning.message);
    }
    Ok(book)
}

/// A column read (the five fields, the chosen currency) that the header holds twice is an error; another
/// column there twice, a warning (see [`duplicate_columns`]).
fn check_columns(
    path: &Path,
    rows: &[Row],
    header: &Header,
    place: &Place,
    price_column: usize,
) -> Result<Vec<crate::model::Warning>> {
    let Some((_, cells)) = rows.iter().find(|(number, _)| *number == header.number) else { return Ok(Vec::new()) };
    let names: Vec<String> = cells.iter().map(|cell| cell.trim().to_string()).collect();
    let mut used: Vec<usize> = header.fields.iter().copied().chain([price_column]).collect();
    used.sort_unstable();
    let at = place.row(header.number);
    for &column in &used {
        let others = duplicate_columns::same_name(&names, column);
        if !others.is_empty() {
            return Err(duplicate_columns::used_twice(path, at, &names, column, &others, place.positions()));
        }
    }
    Ok(duplicate_columns::unused_twice(&names, &used, &at, place.positions()))
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

    fn regions() -> RegionAliases {
        crate::rules::Rules::embedded().read.regions.clone()
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
