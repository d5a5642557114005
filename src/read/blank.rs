//! Which usage rows are blank: every cell empty, or the only cells filled are dates. Exports write such rows
//! (a pay-as-you-go download with a row holding only its usage date under the header): they name no resource,
//! no meter and no quantity, so they are not usage — a file of nothing else yields no row.

use csv::ByteRecord;

/// Whether a usage row holds nothing but empty cells and dates.
pub fn is_blank_usage_row(record: &ByteRecord) -> bool {
    record.iter().map(<[u8]>::trim_ascii).all(|cell| cell.is_empty() || is_date(cell))
}

/// A date as usage exports write it — `2022-11-03`, `11/03/2022`, `03.11.2022`, optionally followed by a time
/// (`2022-11-03T00:00:00Z`, `11/3/2022 12:00:00 AM`). A bare number is not a date: it could be a quantity.
fn is_date(cell: &[u8]) -> bool {
    let split = cell.iter().position(|&b| b == b'T' || b == b' ').unwrap_or(cell.len());
    let (date, time) = cell.split_at(split);
    is_day(date) && time.iter().all(|&b| b.is_ascii_digit() || b" T:.+-ZAPMapm".contains(&b))
}

/// Three groups of digits joined by one of `-`, `/`, `.`, one of them a four-digit year.
fn is_day(text: &[u8]) -> bool {
    let Some(&separator) = text.iter().find(|b| matches!(b, b'-' | b'/' | b'.')) else {
        return false;
    };
    let groups: Vec<&[u8]> = text.split(|&b| b == separator).collect();
    let digits = |g: &&[u8]| !g.is_empty() && g.len() <= 4 && g.iter().all(u8::is_ascii_digit);
    groups.len() == 3 && groups.iter().all(digits) && groups.iter().any(|g| g.len() == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> ByteRecord {
        ByteRecord::from(cells.to_vec())
    }

    #[test]
    fn empty_cells_and_dates_are_blank() {
        assert!(is_blank_usage_row(&row(&["", " ", ""])));
        assert!(is_blank_usage_row(&row(&["", "", "2022-11-03", ""])));
        assert!(is_blank_usage_row(&row(&["11/03/2022", "", "2022-11-03T00:00:00Z"])));
        assert!(is_blank_usage_row(&row(&["3.11.2022", "11/3/2022 12:00:00 AM"])));
    }

    #[test]
    fn any_other_cell_makes_a_row() {
        assert!(!is_blank_usage_row(&row(&["", "2022-11-03", "3"])));
        assert!(!is_blank_usage_row(&row(&["2022-11-03", "Virtual Machines"])));
        assert!(!is_blank_usage_row(&row(&["2022-11-03", "0.5"])));
        assert!(!is_blank_usage_row(&row(&["1-2-3"])));
        assert!(!is_blank_usage_row(&row(&["2022-11-03 then"])));
    }
}
