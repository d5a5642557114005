//! The *Getting Started* sheet: what the workbook is, the planner mode and era, how to use the live sheet, and
//! the source of every formula written.

use std::io;

use super::cells::{Sheet, Styles};
use super::planner::Written;
use crate::capacity::quick::RULE_FILE;

pub const TITLE: &str = "Getting Started";

/// What the guide says about the run.
pub struct About<'a> {
    pub mode: &'static str,
    pub era: &'a str,
    pub sheets: &'a [&'a str],
}

fn paragraphs(about: &About) -> Vec<String> {
    vec![
        format!(
            "This is the Azure Site Recovery Capacity Planner, as described in the capacity-planning guide (Microsoft's \
             Azure CSP documentation, \"Azure Site Recovery capacity-planning guide for migrations\", sections \
             \"Azure Site Recovery Capacity Planner tool\" to \"Azure Site Recovery Capacity Planning report\"), \
             written by csp-planner, {mode} mode, era {era} (the sizing tables, and in Detailed mode the Azure limits \
             and VM sizes, of that era). Its formulas were never published; these are csp-planner's reconstruction \
             (numbered F1-F14 in the Source column), the same as `csp-planner capacity` computes.",
            mode = about.mode,
            era = about.era
        ),
        format!("Sheets: {}.", about.sheets.join(", ")),
        "How to use it: on the Capacity Planner sheet, change the yellow input cells (the sheet is protected \
         without a password: only the inputs can be edited; data validation keeps them in range). Every green \
         cell is a formula and recomputes: the OUTPUT block, the working figures and the Sizing sheet's counts."
            .to_string(),
        "The cached value of every formula is csp-planner's own exact result, so viewers that do not recalculate \
         show the right figures. LibreOffice users who change nothing may need recalculation on load: Tools ▸ \
         Options ▸ LibreOffice Calc ▸ Formula ▸ Recalculation on file load."
            .to_string(),
        format!(
            "Every constant is a named cell of the Constants block (rules/{RULE_FILE}, each with its source); change \
             it in the rules file (csp-planner --rules DIR) and re-run, or in the cell for a what-if. The server \
             sizing tables are on the Sizing sheet (rules/asr-sizing.toml). Percentages are typed as numbers (35 \
             for 35 %)."
        ),
        "Values, not formulas: the Workload Qualification rows (VM size mapping, qualification, storage-account \
         packing — csp-planner's rules, not arithmetic), the era, and the sizing options' server lists (a search \
         for the cheapest set, not a lookup)."
            .to_string(),
    ]
}

pub fn sheet(styles: &Styles, about: &About, written: &Written) -> io::Result<Sheet> {
    let mut sheet = Sheet::new(TITLE)?;
    sheet.widths(&[40.0, 70.0, 90.0])?;
    sheet.text(0, 0, "Azure Site Recovery Capacity Planner (csp-planner)", &styles.title)?;
    let mut row = 2;
    for paragraph in paragraphs(about) {
        sheet.sheet.merge_range(row, 0, row, 2, &paragraph, &styles.label).map_err(crate::report::xlsx::io_error)?;
        sheet.sheet.set_row_height(row, 48).map_err(crate::report::xlsx::io_error)?;
        row += 1;
    }
    row += 1;
    sheet.text(row, 0, "The formulas and their sources", &styles.heading)?;
    row += 1;
    for (column, header) in ["Cell (label or name)", "Formula", "Source"].iter().enumerate() {
        sheet.text(row, column as u16, header, &styles.header)?;
    }
    for (label, formula, source) in written {
        row += 1;
        sheet.text(row, 0, label, &styles.label)?;
        sheet.text(row, 1, formula, &styles.label)?;
        sheet.text(row, 2, source, &styles.note)?;
    }
    Ok(sheet)
}
