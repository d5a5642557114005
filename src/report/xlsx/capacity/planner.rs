//! The *Capacity Planner* sheet: the seed's INPUTS and OUTPUT blocks with its row labels (seed 002
//! L13509-L13575, as `src/report/capacity_table.rs` prints them), label in column A and value in column B;
//! then the working cells (unrounded figures) and the constants of rules/asr-planner.toml, each named.

use std::io;

use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, DataValidationRule};

use super::cells::{Cached, Sheet, Styles};
use super::formulas::Working;
use crate::capacity::quick::{PlannerConstants, RULE_FILE};
use crate::report::xlsx::io_error;

pub const TITLE: &str = "Capacity Planner";
const LABEL: u16 = 0;
const VALUE: u16 = 1;
const SOURCE: u16 = 2;

/// A value typed into an input cell.
pub enum Typed {
    Number(Decimal),
    Text(String),
}

/// One row of the INPUTS and OUTPUT blocks.
pub enum Line {
    Heading(&'static str),
    /// A yellow, unlocked input cell, named `name`.
    Input {
        label: &'static str,
        name: &'static str,
        value: Typed,
        rule: DataValidation,
        note: String,
    },
    /// A locked value the workbook cannot change (e.g. the era: the sizing tables are those of one era).
    Fixed {
        label: &'static str,
        name: Option<&'static str>,
        value: Typed,
        note: String,
    },
    /// A formula; its cached value is csp-planner's result.
    Output {
        label: &'static str,
        formula: String,
        cached: Cached,
        note: &'static str,
    },
}

/// Every formula written, for the Getting Started sheet: (label, formula, source).
pub type Written = Vec<(String, String, String)>;

pub fn whole(minimum: i32) -> DataValidation {
    DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(minimum))
}

pub fn percent() -> DataValidation {
    DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
}

pub fn above_zero() -> DataValidation {
    DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThan(0.0))
}

pub fn at_least_zero() -> DataValidation {
    DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
}

/// The values quick.rs accepts for `--scenario` and `--gb-base`.
pub fn list(values: &[&str]) -> io::Result<DataValidation> {
    DataValidation::new().allow_list_strings(values).map_err(io_error)
}

fn typed(sheet: &mut Sheet, row: u32, value: &Typed, format: &rust_xlsxwriter::Format) -> io::Result<()> {
    match value {
        Typed::Number(number) => sheet.number(row, VALUE, *number, format),
        Typed::Text(text) => sheet.text(row, VALUE, text, format),
    }
}

fn line(sheet: &mut Sheet, styles: &Styles, row: u32, line: &Line, written: &mut Written) -> io::Result<()> {
    match line {
        Line::Heading(title) => sheet.text(row, LABEL, title, &styles.heading),
        Line::Input { label, name, value, rule, note } => {
            sheet.text(row, LABEL, label, &styles.label)?;
            typed(sheet, row, value, &styles.input)?;
            sheet.validate(row, VALUE, rule)?;
            sheet.name(name, row, VALUE, None);
            sheet.text(row, SOURCE, &format!("input `{name}`. {note}"), &styles.note)
        }
        Line::Fixed { label, name, value, note } => {
            sheet.text(row, LABEL, label, &styles.label)?;
            typed(sheet, row, value, &styles.value)?;
            if let Some(name) = name {
                sheet.name(name, row, VALUE, None);
            }
            sheet.text(row, SOURCE, note, &styles.note)
        }
        Line::Output { label, formula, cached, note } => {
            sheet.text(row, LABEL, label, &styles.label)?;
            sheet.formula(row, VALUE, formula, cached, &styles.formula)?;
            written.push((label.to_string(), format!("={formula}"), note.to_string()));
            sheet.text(row, SOURCE, note, &styles.note)
        }
    }
}

/// Writes `lines` from `row` on; returns the next free row.
pub fn lines(sheet: &mut Sheet, styles: &Styles, row: u32, all: &[Line], written: &mut Written) -> io::Result<u32> {
    let mut row = row;
    for each in all {
        line(sheet, styles, row, each, written)?;
        row += 1;
    }
    Ok(row + 1)
}

/// The working cells: label, the named formula, its source and the formula's text.
pub fn working(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    cells: &[Working],
    written: &mut Written,
) -> io::Result<u32> {
    sheet.text(row, LABEL, "Working figures (unrounded; the OUTPUT cells round them for display)", &styles.heading)?;
    let mut row = row + 1;
    for cell in cells {
        sheet.text(row, LABEL, cell.label, &styles.label)?;
        sheet.formula(row, VALUE, &cell.formula, &cell.cached, &styles.formula)?;
        sheet.name(cell.name, row, VALUE, None);
        let note = format!("`{}` = {}. {}", cell.name, cell.formula, cell.source);
        sheet.text(row, SOURCE, &note, &styles.note)?;
        written.push((cell.name.to_string(), format!("={}", cell.formula), cell.source.to_string()));
        row += 1;
    }
    Ok(row + 1)
}

/// Every constant of rules/asr-planner.toml in a labelled, named cell with its unit and source: formulas
/// reference these names, never a typed number the rules file defines.
pub fn constants(sheet: &mut Sheet, styles: &Styles, row: u32, constants: &PlannerConstants) -> io::Result<u32> {
    let heading = format!("Constants (rules/{RULE_FILE}; change them there or with --rules DIR)");
    sheet.text(row, LABEL, &heading, &styles.heading)?;
    let mut row = row + 1;
    for name in constants.names() {
        sheet.text(row, LABEL, name, &styles.label)?;
        sheet.number(row, VALUE, constants.value(name), &styles.value)?;
        sheet.name(name, row, VALUE, None);
        let note = format!("{} — rules/{RULE_FILE} `{name}`: {}", constants.unit(name), constants.source(name));
        sheet.text(row, SOURCE, &note, &styles.note)?;
        row += 1;
    }
    Ok(row + 1)
}

/// A new Capacity Planner sheet with its title, column widths and how-to line.
pub fn sheet(styles: &Styles, title: &str) -> io::Result<Sheet> {
    let mut sheet = Sheet::new(TITLE)?;
    sheet.widths(&[92.0, 18.0, 110.0])?;
    sheet.sheet.set_row_height(0, 22).map_err(io_error)?;
    sheet.text(0, LABEL, title, &styles.title)?;
    sheet.text(
        1,
        LABEL,
        "Change the yellow input cells: every green formula cell recomputes. The cached values are csp-planner's own results.",
        &styles.note,
    )?;
    Ok(sheet)
}

/// Locks the sheet (no password): only the unlocked (yellow) input cells can be edited. Prints the INPUTS and
/// OUTPUT blocks (labels and values, rows up to `last_row`: the seed's report) on one page.
pub fn finish(sheet: &mut Sheet, last_row: u32) -> io::Result<()> {
    sheet.sheet.protect();
    sheet.sheet.set_print_fit_to_pages(1, 1);
    sheet.sheet.set_print_area(0, LABEL, last_row, VALUE).map(|_| ()).map_err(io_error)
}
