//! Worksheets as records (calamine). A workbook may hold any tabular kind; the first sheet whose
//! header identifies a kind is read, or the sheet named with `--sheet`.

use std::path::Path;

use calamine::{Data, Range, Reader};
use csv::ByteRecord;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::number::DecimalSeparator;
use super::table::{Detection, Header, Locator, Records, detect_header};
use crate::error::{InputError, Result};
use crate::rules::{InputKind, InputKinds};

pub struct SheetRecords {
    sheet: String,
    range: Range<Data>,
    next: usize,
}

impl Records for SheetRecords {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        let Some(row) = self.range.rows().nth(self.next) else {
            return Ok(None);
        };
        record.clear();
        for cell in row {
            record.push_field(cell_text(cell).as_bytes());
        }
        let first_row = self.range.start().map_or(0, |(row, _)| row) as u64;
        let number = first_row + self.next as u64 + 1;
        self.next += 1;
        Ok(Some(number))
    }

    fn locator(&self) -> Locator {
        let first_column = self.range.start().map_or(0, |(_, col)| col) as usize;
        Locator::Sheet { sheet: self.sheet.clone(), first_column }
    }

    /// Workbook numbers are numbers; text cells that hold numbers follow the point convention.
    fn decimal_separator(&self) -> DecimalSeparator {
        DecimalSeparator::Point
    }
}

/// A cell as the text a CSV export would hold. Numbers go through `Decimal::from_f64`, which keeps
/// the shortest decimal that round-trips (what Excel shows), never the binary noise of the float.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Float(value) => {
            Decimal::from_f64(*value).map(|d| d.normalize().to_string()).unwrap_or_else(|| value.to_string())
        }
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(value) => value.as_f64().to_string(),
        Data::Error(error) => error.to_string(),
    }
}

/// 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The sheet to read, its records positioned after the header, and the header.
pub struct SheetTable<'k> {
    pub sheet: String,
    pub records: SheetRecords,
    pub header: Header<'k>,
}

/// Opens a workbook and finds the sheet to read.
pub fn open<'k>(
    path: &Path,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
    sheet: Option<&str>,
) -> Result<SheetTable<'k>> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| InputError::new(path, format!("not a readable workbook: {e}")))?;
    let names = workbook.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(sheet) => {
            if !names.iter().any(|n| n == sheet) {
                return Err(InputError::new(
                    path,
                    format!("no sheet named \"{sheet}\"; the workbook has: {}", names.join(", ")),
                )
                .into());
            }
            vec![sheet.to_string()]
        }
        None => names,
    };
    let mut seen = Vec::new();
    for name in wanted {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| InputError::new(path, format!("cannot read sheet \"{name}\": {e}")))?;
        let mut records = SheetRecords { sheet: name.clone(), range, next: 0 };
        match detect_header(&mut records, kinds, forced)? {
            Detection::Found(header) => return Ok(SheetTable { sheet: name, records, header }),
            Detection::Ambiguous(candidates, headers) => {
                return Err(super::ambiguous(path, &candidates, &headers).at(format!("sheet \"{name}\"")).into());
            }
            Detection::NoMatch(headers) => seen.push(format!("sheet \"{name}\": {}", super::quote_list(&headers))),
        }
    }
    let expected = super::expected_kinds(kinds, forced);
    Err(InputError::new(
        path,
        format!(
            "no sheet has a header csp-planner recognises ({expected}); headers seen: {}",
            if seen.is_empty() { "none (the workbook is empty)".to_string() } else { seen.join("; ") }
        ),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::column_letters;

    #[test]
    fn names_columns_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27 * 26), "AAA");
    }
}
