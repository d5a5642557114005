//! Excel's date serials as ISO dates. A workbook stores a date as a number of days since its epoch: 1900-01-00 in
//! the 1900 date system (Excel for Windows), which counts the nonexistent 1900-02-29 as day 60, or 1904-01-01 in
//! the 1904 date system (older Excel for Mac; the workbook says which). The time of day is the fraction.

use time::{Date, Month};

/// The last day Excel can show, 9999-12-31, in the 1900 system.
const LAST_SERIAL: f64 = 2_958_465.0;
/// Excel's phantom 1900-02-29 (kept for Lotus 1-2-3 compatibility): no real date.
const PHANTOM_LEAP_DAY: f64 = 60.0;

/// Column headers whose cells are dates (usage exports, FOCUS, RVTools vInfo), compared ignoring case, spaces
/// and punctuation: a number in one of them is a serial date; anywhere else it stays a number.
pub const DATE_COLUMNS: &[&str] = &[
    "date",
    "usagedate",
    "usagedatetime",
    "billingperiodstartdate",
    "billingperiodenddate",
    "billingperiodstart",
    "billingperiodend",
    "chargeperiodstart",
    "chargeperiodend",
    "creationdate",
    "poweron",
];

/// Whether a header names a date column.
pub fn is_date_column(header: &str) -> bool {
    DATE_COLUMNS.contains(&crate::rules::normalize_key(header).as_str())
}

/// `serial` as `YYYY-MM-DD`, with `THH:MM:SS` when it holds a time of day; `None` when it is no date Excel shows
/// (negative, past 9999-12-31, the phantom 1900-02-29, not a number).
pub fn iso(serial: f64, is_1904: bool) -> Option<String> {
    if !(0.0..=LAST_SERIAL).contains(&serial) {
        return None;
    }
    let mut days = serial.trunc();
    let mut seconds = ((serial - days) * 86_400.0).round() as u32;
    if seconds >= 86_400 {
        days += 1.0;
        seconds = 0;
    }
    let date = date_of(days as i32, is_1904)?;
    let day = format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day());
    if seconds == 0 {
        return Some(day);
    }
    Some(format!("{day}T{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60))
}

fn date_of(days: i32, is_1904: bool) -> Option<Date> {
    let (epoch, offset) = if is_1904 {
        (Date::from_calendar_date(1904, Month::January, 1).ok()?, days)
    } else if f64::from(days) == PHANTOM_LEAP_DAY || days < 1 {
        return None;
    } else if f64::from(days) < PHANTOM_LEAP_DAY {
        // Before the phantom day, serial 1 is 1900-01-01.
        (Date::from_calendar_date(1899, Month::December, 31).ok()?, days)
    } else {
        (Date::from_calendar_date(1899, Month::December, 30).ok()?, days)
    };
    Date::from_julian_day(epoch.to_julian_day().checked_add(offset)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_dates_in_both_systems() {
        assert_eq!(iso(45292.0, false).as_deref(), Some("2024-01-01"));
        assert_eq!(iso(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(iso(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(iso(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(iso(60.0, false), None);
        // The same day in the 1904 system is 1,462 days fewer.
        assert_eq!(iso(45292.0 - 1462.0, true).as_deref(), Some("2024-01-01"));
        assert_eq!(iso(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(iso(45292.5, false).as_deref(), Some("2024-01-01T12:00:00"));
        assert_eq!(iso(-1.0, false), None);
        assert_eq!(iso(3e6, false), None);
        assert_eq!(iso(LAST_SERIAL, false).as_deref(), Some("9999-12-31"));
    }

    #[test]
    fn knows_date_columns_by_header() {
        assert!(is_date_column("UsageDateTime"));
        assert!(is_date_column("Creation date"));
        assert!(is_date_column("BillingPeriodStartDate"));
        assert!(!is_date_column("Cost"));
    }
}
