//! The formats every sheet of the assessment workbook shares: the seed's status colours (002 L14826–L14830:
//! NO ISSUES green, MODIFY yellow, BLOCKED red), applied to cells that always hold the status word too.

use rust_xlsxwriter::{Color, Format};

use crate::model::CspStatus;
use crate::plan::BatchStatus;

/// Excel's own "Good", "Neutral" and "Bad" cell styles: readable in print and for colour-blind readers, who
/// still have the word.
const GREEN: (u32, u32) = (0xC6EFCE, 0x006100);
const YELLOW: (u32, u32) = (0xFFEB9C, 0x9C5700);
const RED: (u32, u32) = (0xFFC7CE, 0x9C0006);

pub struct Styles {
    pub title: Format,
    pub bold: Format,
    /// Amounts: the exact value in the cell, 4 decimals shown (rules/cost.toml `display_decimals`).
    pub amount: Format,
    pub amount_bold: Format,
    pub percent: Format,
    green: Format,
    yellow: Format,
    red: Format,
}

impl Styles {
    pub fn new() -> Self {
        let fill = |(background, font): (u32, u32)| {
            Format::new().set_background_color(Color::RGB(background)).set_font_color(Color::RGB(font))
        };
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            amount: Format::new().set_num_format("0.0000"),
            amount_bold: Format::new().set_num_format("0.0000").set_bold(),
            percent: Format::new().set_num_format("0.00"),
            green: fill(GREEN),
            yellow: fill(YELLOW),
            red: fill(RED),
        }
    }

    pub fn csp(&self, status: CspStatus) -> &Format {
        match status {
            CspStatus::NoIssues => &self.green,
            CspStatus::Modify => &self.yellow,
            CspStatus::Blocked => &self.red,
        }
    }

    /// A batch's status in the colour of the CSP Status it follows from (blocked: a BLOCKED member).
    pub fn batch(&self, status: BatchStatus) -> &Format {
        match status {
            BatchStatus::Ready => &self.green,
            BatchStatus::NeedsRemediation => &self.yellow,
            BatchStatus::Blocked => &self.red,
        }
    }

    /// A workload colour (issue 9) in the fill of the same colour: GREEN as NO ISSUES, YELLOW as MODIFY, RED as
    /// BLOCKED; the cell always holds the word too.
    pub fn workload(&self, color: crate::workloads::Color) -> &Format {
        match color {
            crate::workloads::Color::Green => &self.green,
            crate::workloads::Color::Yellow => &self.yellow,
            crate::workloads::Color::Red => &self.red,
        }
    }

    /// The status colour for a chart series: the stronger tone of each colour (the pale cell fills fade as bars).
    pub fn chart_colour(status: CspStatus) -> Color {
        match status {
            CspStatus::NoIssues => Color::RGB(0x00B050),
            CspStatus::Modify => Color::RGB(0xFFC000),
            CspStatus::Blocked => Color::RGB(0xC00000),
        }
    }
}
