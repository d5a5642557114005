//! The cells of the capacity workbook: a worksheet that remembers its defined names, its formats, and the one
//! place where a Decimal becomes an f64.

use std::io;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, DataValidation, Format, FormatBorder, Formula, Worksheet};

use crate::report::xlsx::{io_error, text};

/// A Decimal as an Excel number. csp-planner computes in exact decimals; this conversion happens only here,
/// at the cell boundary, because a spreadsheet cell holds an IEEE double. Formula results are never
/// converted: their cached value is the Decimal's own text ([`Cached`]).
pub fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

/// A formula's cached result, as the text rust_xlsxwriter stores (numbers stay exact decimal text).
pub enum Cached {
    Number(Decimal),
    Text(String),
    Bool(bool),
}

impl Cached {
    pub fn count(value: impl Into<u64>) -> Cached {
        Cached::Number(Decimal::from(value.into()))
    }

    fn text(&self) -> String {
        match self {
            Cached::Number(value) => value.normalize().to_string(),
            Cached::Text(value) => value.clone(),
            Cached::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        }
    }
}

/// The workbook's formats: yellow unlocked inputs, locked formulas and values.
pub struct Styles {
    pub title: Format,
    pub heading: Format,
    pub label: Format,
    pub input: Format,
    pub formula: Format,
    pub value: Format,
    pub note: Format,
    pub header: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(Color::Gray);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new().set_bold().set_background_color(Color::RGB(0xD9E1F2)),
            // No wrapping: row heights are not measured when the file is written, so wrapped text would
            // overlap the next row; long text overflows into the empty cell to its right instead.
            label: Format::new(),
            // Inputs: the seed's workbook had the user type into marked cells; yellow is the usual marking.
            input: border(Format::new().set_background_color(Color::RGB(0xFFF2CC)).set_unlocked()),
            formula: border(Format::new().set_bold().set_background_color(Color::RGB(0xE2EFDA))),
            value: border(Format::new()),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x595959)),
            header: Format::new().set_bold().set_text_wrap().set_background_color(Color::RGB(0xD9E1F2)),
        }
    }
}

/// A worksheet being written, with the workbook-level names its cells define (`name` → `'Sheet'!$B$5`).
pub struct Sheet {
    pub sheet: Worksheet,
    pub title: &'static str,
    pub names: Vec<(String, String)>,
}

/// A1 column letters of a zero-based column.
pub fn column_letters(column: u16) -> String {
    let mut n = u32::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

impl Sheet {
    pub fn new(title: &'static str) -> io::Result<Sheet> {
        let mut sheet = Worksheet::new();
        sheet.set_name(title).map_err(io_error)?;
        Ok(Sheet { sheet, title, names: Vec::new() })
    }

    /// The absolute reference of a cell or a column range on this sheet.
    pub fn reference(&self, row: u32, column: u16, last_row: Option<u32>) -> String {
        let letters = column_letters(column);
        let cell = format!("'{}'!${letters}${}", self.title, row + 1);
        match last_row {
            Some(last) => format!("{cell}:${letters}${}", last + 1),
            None => cell,
        }
    }

    /// Defines a workbook name for a cell (or a column range down to `last_row`), so formulas read
    /// `=vms*disks_per_vm` rather than `='Capacity Planner'!$B$6*…`.
    pub fn name(&mut self, name: &str, row: u32, column: u16, last_row: Option<u32>) {
        let reference = self.reference(row, column, last_row);
        self.names.push((name.to_string(), reference));
    }

    pub fn text(&mut self, row: u32, column: u16, value: &str, format: &Format) -> io::Result<()> {
        text(&mut self.sheet, row, column, value, Some(format))
    }

    pub fn number(&mut self, row: u32, column: u16, value: Decimal, format: &Format) -> io::Result<()> {
        self.sheet.write_number_with_format(row, column, number(value), format).map(|_| ()).map_err(io_error)
    }

    /// A formula (`=` added) with csp-planner's own result as its cached value.
    pub fn formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        cached: &Cached,
        format: &Format,
    ) -> io::Result<()> {
        let formula = Formula::new(format!("={formula}")).set_result(cached.text());
        self.sheet.write_formula_with_format(row, column, formula, format).map(|_| ()).map_err(io_error)
    }

    pub fn validate(&mut self, row: u32, column: u16, rule: &DataValidation) -> io::Result<()> {
        self.sheet.add_data_validation(row, column, row, column, rule).map(|_| ()).map_err(io_error)
    }

    pub fn widths(&mut self, widths: &[f64]) -> io::Result<()> {
        for (column, width) in widths.iter().enumerate() {
            let column = u16::try_from(column).map_err(io::Error::other)?;
            self.sheet.set_column_width(column, *width).map_err(io_error)?;
        }
        Ok(())
    }
}
