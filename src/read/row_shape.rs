//! Each CSV row checked against the header once it is found: as many fields as the header, not a header
//! again.
//!
//! - A row with fewer or more fields than the header is an error: its cells would be read under the wrong
//!   columns. Not errors: more fields when the extra ones are empty (some exports end every row with a
//!   delimiter), fewer when only columns without a header name are missing, a blank row (every cell empty, or
//!   a blank line; the readers skip those).
//! - A row equal to the header (its cells trimmed, a byte-order mark at its start ignored) is the header of
//!   the next export of files joined one after another (`cat jan.csv feb.csv`): it is skipped, and the skipped
//!   rows are counted for one warning ([`Repeated`]).
//! - Any other *header-like* row is an error: a header of another export kind, or of the same kind with its
//!   columns in another order, would turn the rows after it into nonsense. A row is header-like when it, read
//!   as a header, identifies a table the reader reads: the same rule that finds the header at the top of the
//!   file ([`HeaderRule::is_header`]). The rule is tried on the rows whose first non-empty cell is a column
//!   name the reader knows ([`HeaderRule::knows`]) and on every row with another number of fields.
//!
//! Workbooks are not checked here: a worksheet has cells, not delimited fields to miscount.

use std::borrow::Cow;
use std::sync::Arc;

use csv::ByteRecord;

use super::decode::field_text;
use crate::model::Warning;

/// How a reader recognises a header row: the rule it finds the header at the top of a file with.
pub trait HeaderRule: Send + Sync {
    /// Whether a header cell is a column name this reader knows (cheap: tried on most rows).
    fn knows(&self, cell: &str) -> bool;
    /// Whether a row, read as a header, identifies a table this reader reads.
    fn is_header(&self, names: &[String]) -> bool;
}

/// A row's cells, as a CSV record or cells already read into memory.
pub trait Cells {
    fn count(&self) -> usize;
    /// The cell's text, trimmed.
    fn text(&self, index: usize) -> Cow<'_, str>;
}

impl Cells for ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }

    fn text(&self, index: usize) -> Cow<'_, str> {
        match self.get(index).map(|bytes| field_text(bytes.trim_ascii()).0) {
            Some(Cow::Borrowed(text)) => Cow::Borrowed(text.trim()),
            Some(Cow::Owned(text)) => Cow::Owned(text.trim().to_string()),
            None => Cow::Borrowed(""),
        }
    }
}

impl Cells for [String] {
    fn count(&self) -> usize {
        self.len()
    }

    fn text(&self, index: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(index).map_or("", |text| text.trim()))
    }
}

/// Whether `text`, compared as header names are (ignoring case, spaces and punctuation), is one of `keys`
/// (normalised the same way). Allocates nothing for a short ASCII text, as most cells are.
pub fn is_key_of(text: &str, keys: &rustc_hash::FxHashSet<String>) -> bool {
    const SHORT: usize = 96;
    if !text.is_ascii() || text.len() > SHORT {
        return keys.contains(&crate::rules::normalize_key(text));
    }
    let mut key = [0u8; SHORT];
    let mut len = 0;
    for byte in text.bytes().filter(u8::is_ascii_alphanumeric) {
        key[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    std::str::from_utf8(&key[..len]).is_ok_and(|key| keys.contains(key))
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A data row (or a blank one, which the readers skip).
    Data,
    /// The header again: skip it.
    RepeatedHeader,
}

/// Why a row is refused: the message, and the header name of the column it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeFault {
    pub column: Option<String>,
    pub message: String,
    /// The row has too few fields: when it is the file's last, the file may be cut short.
    pub short: bool,
}

/// The header a file's rows are checked against.
pub struct RowCheck {
    /// The header's line.
    line: u64,
    names: Vec<String>,
    /// The header's first non-empty cell: a row starting with it may be the header again.
    first_name: String,
    /// The fields up to the last one with a name.
    named: usize,
    rule: Arc<dyn HeaderRule>,
}

/// A UTF-8 byte-order mark, as it appears at the start of a file joined after another one.
const BOM: char = '\u{feff}';

impl RowCheck {
    /// `names`: the header's cells, trimmed; `line`: its line.
    pub fn new(names: &[String], line: u64, rule: Arc<dyn HeaderRule>) -> Self {
        let named = names.iter().rposition(|name| !name.is_empty()).map_or(0, |last| last + 1);
        let first_name = names.iter().find(|name| !name.is_empty()).cloned().unwrap_or_default();
        RowCheck { line, names: names.to_vec(), first_name, named, rule }
    }

    /// The header's line.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The header name of a field, when it has one.
    pub fn column_name(&self, field: usize) -> Option<String> {
        self.names.get(field).filter(|name| !name.is_empty()).cloned()
    }

    /// What `row` is, or why it is refused.
    pub fn check<C: Cells + ?Sized>(&self, row: &C) -> Result<Shape, ShapeFault> {
        let fields = row.count();
        if fields == self.names.len() && !self.might_be_header(row) {
            return Ok(Shape::Data);
        }
        if (0..fields).all(|i| row.text(i).is_empty()) {
            return Ok(Shape::Data);
        }
        let cells: Vec<String> = (0..fields).map(|i| row.text(i).trim_start_matches(BOM).trim().to_string()).collect();
        if self.is_the_header(&cells) {
            return Ok(Shape::RepeatedHeader);
        }
        if self.rule.is_header(&cells) {
            return Err(self.other_header(&cells));
        }
        if fields > self.names.len() {
            return match cells.iter().skip(self.names.len()).position(|cell| !cell.is_empty()) {
                None => Ok(Shape::Data),
                Some(extra) => Err(self.long(fields, self.names.len() + extra, &cells)),
            };
        }
        if fields < self.named {
            return Err(self.short(fields));
        }
        Ok(Shape::Data)
    }

    /// Whether the row's first non-empty cell is a column name: only then can a row of the right length be a
    /// header.
    fn might_be_header<C: Cells + ?Sized>(&self, row: &C) -> bool {
        let Some(first) = (0..row.count()).map(|i| row.text(i)).find(|cell| !cell.is_empty()) else {
            return false;
        };
        let first = first.trim_start_matches(BOM).trim();
        first == self.first_name || self.rule.knows(first)
    }

    /// Equal to the header, cell by cell; empty cells past the end count as absent on either side.
    fn is_the_header(&self, cells: &[String]) -> bool {
        let width = cells.len().max(self.names.len());
        (0..width).all(|i| cells.get(i).map_or("", String::as_str) == self.names.get(i).map_or("", String::as_str))
    }

    fn other_header(&self, cells: &[String]) -> ShapeFault {
        let differs = (0..cells.len().max(self.names.len())).find(|&i| cells.get(i) != self.names.get(i)).unwrap_or(0);
        let shown = |cells: &[String]| cells.get(differs).map_or("nothing".to_string(), |c| format!("\"{c}\""));
        ShapeFault {
            column: None,
            message: format!(
                "a second header row, not the same as the header on line {}: field {} is {} here and {} there \
                 (two different exports joined into one file?); give each export as an input of its own",
                self.line,
                differs + 1,
                shown(cells),
                shown(&self.names)
            ),
            short: false,
        }
    }

    fn long(&self, fields: usize, extra: usize, cells: &[String]) -> ShapeFault {
        let text: String = cells.get(extra).map_or("", String::as_str).chars().take(40).collect();
        ShapeFault {
            column: None,
            message: format!(
                "expected {} fields as in the header, found {fields}: field {} (\"{text}\") is past the header's \
                 last column (a delimiter inside a value that is not quoted?)",
                self.names.len(),
                extra + 1
            ),
            short: false,
        }
    }

    fn short(&self, fields: usize) -> ShapeFault {
        let missing = self.names.get(fields).cloned().unwrap_or_default();
        ShapeFault {
            column: Some(missing.clone()),
            message: format!(
                "expected {} fields as in the header, found {fields}: the row ends before column \"{missing}\" \
                 (field {})",
                self.names.len(),
                fields + 1
            ),
            short: true,
        }
    }
}

/// The repeated header rows skipped in one file: how many, and the first one's line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repeated {
    pub count: u64,
    pub first: Option<u64>,
}

impl Repeated {
    pub fn note(&mut self, line: u64) {
        self.count = self.count.saturating_add(1);
        self.first = Some(self.first.map_or(line, |first| first.min(line)));
    }

    pub fn merge(&mut self, other: Repeated) {
        self.count = self.count.saturating_add(other.count);
        if let Some(line) = other.first {
            self.first = Some(self.first.map_or(line, |first| first.min(line)));
        }
    }

    /// The one warning about them, if any were skipped; `header_line` is the file's header.
    pub fn warning(&self, header_line: u64) -> Option<Warning> {
        let first = self.first?;
        Some(Warning {
            location: format!("line {first}"),
            message: format!(
                "the header row (line {header_line}) is repeated {} time(s), first on line {first} (exports joined \
                 one after another): those rows were skipped",
                self.count
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known;
    impl HeaderRule for Known {
        fn knows(&self, cell: &str) -> bool {
            ["Name", "Type", "Cost"].contains(&cell)
        }
        fn is_header(&self, names: &[String]) -> bool {
            names.iter().any(|n| n == "Name") && names.iter().any(|n| n == "Type")
        }
    }

    fn check(row: &[&str]) -> Result<Shape, ShapeFault> {
        let names: Vec<String> = ["Name", "Type", "Cost", ""].iter().map(|s| s.to_string()).collect();
        let row: Vec<String> = row.iter().map(|s| s.to_string()).collect();
        RowCheck::new(&names, 1, Arc::new(Known)).check(row.as_slice())
    }

    #[test]
    fn rows_as_wide_as_the_header_are_data() {
        assert_eq!(check(&["vm1", "VM", "3", ""]), Ok(Shape::Data));
        assert_eq!(check(&["vm1", "VM", "3"]), Ok(Shape::Data), "only the unnamed column is missing");
        assert_eq!(check(&["vm1", "VM", "3", "", "", " "]), Ok(Shape::Data), "trailing empty fields");
        assert_eq!(check(&["", ""]), Ok(Shape::Data), "a blank row");
    }

    #[test]
    fn short_and_long_rows_name_the_column_and_the_counts() {
        let short = check(&["vm1", "VM"]).unwrap_err();
        assert_eq!(short.column.as_deref(), Some("Cost"));
        assert_eq!(
            short.message,
            "expected 4 fields as in the header, found 2: the row ends before column \"Cost\" (field 3)"
        );
        let long = check(&["vm1", "VM", "3", "", "x"]).unwrap_err();
        assert!(long.message.starts_with("expected 4 fields as in the header, found 5: field 5 (\"x\")"));
    }

    #[test]
    fn the_header_again_is_skipped_another_header_refused() {
        assert_eq!(check(&["\u{feff}Name", "Type ", "Cost", ""]), Ok(Shape::RepeatedHeader));
        assert_eq!(check(&["Name", "Type", "Cost"]), Ok(Shape::RepeatedHeader));
        let other = check(&["Type", "Name", "Cost", ""]).unwrap_err();
        assert!(other.message.contains("field 1 is \"Type\" here and \"Name\" there"), "{}", other.message);
        // A data row whose first cell happens to be a column name is still data.
        assert_eq!(check(&["Cost", "VM", "3", ""]), Ok(Shape::Data));
    }

    #[test]
    fn one_count_and_the_first_line_for_all_repeats() {
        let mut repeated = Repeated::default();
        repeated.note(40);
        let mut other = Repeated::default();
        other.note(9);
        repeated.merge(other);
        let warning = repeated.warning(1).unwrap();
        assert_eq!(warning.location, "line 9");
        assert!(warning.message.starts_with("the header row (line 1) is repeated 2 time(s), first on line 9"));
    }
}
