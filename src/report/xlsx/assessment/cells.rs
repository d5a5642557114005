//! Cell writers the sheets share: numbers from exact decimals, lists joined within Excel's cell limit, and
//! names from resource IDs.

use std::io;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Worksheet};

use crate::report::xlsx::{CELL_LIMIT, io_error};

/// An amount as a NUMBER cell. Excel holds f64, so the value is converted at the cell boundary only; the JSON
/// keeps the exact decimals. `None` (not computed) leaves the cell empty.
pub fn amount(sheet: &mut Worksheet, row: u32, column: u16, value: Option<Decimal>, format: &Format) -> io::Result<()> {
    match value.and_then(|v| v.to_f64()) {
        Some(number) => sheet.write_number_with_format(row, column, number, format).map(|_| ()).map_err(io_error),
        None => Ok(()),
    }
}

/// A count as a NUMBER cell.
pub fn count(sheet: &mut Worksheet, row: u32, column: u16, value: usize) -> io::Result<()> {
    // Counts of resources and rows stay far below 2^53: exact as f64.
    sheet.write_number(row, column, value as f64).map(|_| ()).map_err(io_error)
}

/// The items joined with `separator`, cut before Excel's 32,767-character cell limit with an explicit
/// "… (N more)" marker, never silently.
pub fn joined<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    joined_within(items, separator, CELL_LIMIT)
}

/// Room for "; … (N more)" with any N.
const MARKER_ROOM: usize = 32;

fn joined_within<S: AsRef<str>>(items: &[S], separator: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for (k, item) in items.iter().enumerate() {
        let item = item.as_ref();
        let separator = if k == 0 { "" } else { separator };
        let length = separator.chars().count() + item.chars().count();
        // Before the last item, keep room for the marker in case a later item does not fit.
        let room = if k + 1 == items.len() { 0 } else { MARKER_ROOM };
        if used + length + room > limit {
            out.push_str(separator);
            out.push_str(&format!("… ({} more)", items.len() - k));
            return out;
        }
        out.push_str(separator);
        out.push_str(item);
        used += length;
    }
    out
}

/// A resource's name: the last segment of its ID (the plan carries IDs).
pub fn name_of(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_with_an_explicit_marker() {
        let items: Vec<String> = (0..100).map(|k| format!("vm-{k:02}")).collect();
        let cell = joined_within(&items, "; ", 80);
        assert!(cell.chars().count() <= 80, "{cell}");
        assert!(cell.starts_with("vm-00; vm-01; "), "{cell}");
        let kept = cell.matches("vm-").count();
        assert!(cell.ends_with(&format!("; … ({} more)", 100 - kept)), "{cell}");
        assert_eq!(joined_within(&["a", "b"], "; ", 80), "a; b");
        assert_eq!(joined_within::<&str>(&[], "; ", 80), "");
    }

    #[test]
    fn the_full_limit_holds_whole_lists_up_to_it() {
        let items = vec!["x".repeat(10_000); 4];
        let cell = joined(&items, "; ");
        assert!(cell.chars().count() <= CELL_LIMIT);
        assert!(cell.ends_with("; … (1 more)"), "{}", &cell[cell.len() - 20..]);
    }

    #[test]
    fn names_are_the_last_segment() {
        assert_eq!(
            name_of("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1"),
            "vm-1"
        );
        assert_eq!(name_of("bare"), "bare");
    }
}
