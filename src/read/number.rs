//! Decimal numbers as exports write them, parsed exactly (never through f64).
//!
//! - `1234.5`, `-0.0001`, `1E-05` (Excel writes scientific notation for small values);
//! - in `;`-delimited files (European Excel) the decimal separator is a comma: `1234,5`, with `.`,
//!   space or no-break space as optional thousands separators (`1.234,5`). A value without a comma in
//!   such a file is read with `.` as the decimal point, as Cost Management writes it.

use std::str::FromStr;

use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalSeparator {
    Point,
    Comma,
}

/// Parses one cell. `Ok(None)` for an empty cell; `Err` names what was found, as the file wrote it.
pub fn parse_decimal(text: &str, separator: DecimalSeparator) -> Result<Option<Decimal>, String> {
    let written = text.trim();
    if written.is_empty() {
        return Ok(None);
    }
    let normalized;
    let text = if separator == DecimalSeparator::Comma && written.contains(',') {
        normalized = written
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect::<String>();
        normalized.as_str()
    } else {
        written
    };
    let parsed = if text.contains(['e', 'E']) { Decimal::from_scientific(text) } else { Decimal::from_str(text) };
    parsed.map(Some).map_err(|_| not_a_decimal(written, text))
}

/// Why `text` (as `written` in the file) is not a number csp-planner can read: out of range, or not a number.
fn not_a_decimal(written: &str, text: &str) -> String {
    let shown = as_written(written);
    if looks_numeric(text) {
        format!(
            "{shown} is outside the range of numbers csp-planner computes with (at most {} and 28 decimal \
             places)",
            crate::model::checked::DECIMAL_LIMIT
        )
    } else if separator_looks_wrong(text) {
        format!("expected a decimal number with a point as the decimal separator (1.5), found \"{shown}\"")
    } else {
        format!("expected a decimal number, found \"{shown}\"")
    }
}

/// Digits with an optional sign, point and exponent: a number, too large or too precise to hold.
pub fn looks_numeric(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let unsigned = |part: &str| part.strip_prefix(['+', '-']).unwrap_or(part).to_string();
    let mantissa = unsigned(mantissa);
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let mantissa_ok = digits > 0
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().filter(|&c| c == '.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = unsigned(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `1,5` in a file whose decimal point is `.`: the one comma of a European number.
fn separator_looks_wrong(text: &str) -> bool {
    text.matches(',').count() == 1 && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | '+'))
}

/// A number as the input wrote it, for messages; a text longer than 60 characters is cut, saying how long it is
/// (a 400-digit cell is named, not printed whole).
pub fn as_written(text: &str) -> String {
    const SHOWN: usize = 40;
    let length = text.chars().count();
    if length <= 60 {
        return text.to_string();
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head}… ({length} characters)")
}

/// The common shape of a number cell, read straight from its bytes: digits with an optional
/// fractional part (`1234`, `0.006000000468`), 19 digits at most, nothing else (no sign, space,
/// exponent or separator). `None` for anything else, which [`parse_decimal`] reads. The value and
/// its scale are the same as `parse_decimal` gives (`1.50` keeps two decimals).
pub fn parse_plain_decimal(cell: &[u8]) -> Option<Decimal> {
    const MAX_DIGITS: usize = 19; // below u64::MAX
    let (integer, fraction) = match cell.iter().position(|&b| b == b'.') {
        Some(point) => (&cell[..point], &cell[point + 1..]),
        None => (cell, &[][..]),
    };
    let all_digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    let has_fraction = cell.len() > integer.len();
    if integer.is_empty()
        || (has_fraction && fraction.is_empty())
        || integer.len() + fraction.len() > MAX_DIGITS
        || !all_digits(integer)
        || !all_digits(fraction)
    {
        return None;
    }
    let mantissa = integer.iter().chain(fraction).fold(0u64, |m, &d| m * 10 + u64::from(d - b'0'));
    Decimal::try_from_i128_with_scale(i128::from(mantissa), fraction.len() as u32).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_points_commas_and_exponents() {
        assert_eq!(parse_decimal("0.006000000468", DecimalSeparator::Point), Ok(Some(dec("0.006000000468"))));
        assert_eq!(parse_decimal("1.234,56", DecimalSeparator::Comma), Ok(Some(dec("1234.56"))));
        assert_eq!(parse_decimal("0,0744", DecimalSeparator::Comma), Ok(Some(dec("0.0744"))));
        assert_eq!(parse_decimal("0.0744", DecimalSeparator::Comma), Ok(Some(dec("0.0744"))));
        assert_eq!(parse_decimal("1E-05", DecimalSeparator::Point), Ok(Some(dec("0.00001"))));
        assert_eq!(parse_decimal("  ", DecimalSeparator::Point), Ok(None));
        assert!(parse_decimal("twelve", DecimalSeparator::Point).is_err());
    }

    #[test]
    fn numbers_out_of_range_are_named_as_written() {
        let error = |text: &str| parse_decimal(text, DecimalSeparator::Point).unwrap_err();
        for text in ["1e30", "99999999999999999999999999999", "-1E+40", "1e-30"] {
            assert_eq!(
                error(text),
                format!(
                    "{text} is outside the range of numbers csp-planner computes with (at most ±7.9 × 10^28 and 28 \
                     decimal places)"
                )
            );
        }
        assert_eq!(error("NaN"), "expected a decimal number, found \"NaN\"");
        assert_eq!(error("inf"), "expected a decimal number, found \"inf\"");
        assert_eq!(
            error("1,5"),
            "expected a decimal number with a point as the decimal separator (1.5), found \"1,5\""
        );
        let long = "9".repeat(400);
        assert_eq!(
            error(&long),
            format!(
                "{}… (400 characters) is outside the range of numbers csp-planner computes with (at most ±7.9 × \
                 10^28 and 28 decimal places)",
                "9".repeat(40)
            )
        );
        assert_eq!(
            parse_decimal("1.234.567,5e99", DecimalSeparator::Comma).unwrap_err(),
            "1.234.567,5e99 is outside the range of numbers csp-planner computes with (at most ±7.9 × 10^28 and \
             28 decimal places)"
        );
    }

    #[test]
    fn plain_numbers_read_from_bytes_as_from_text() {
        for text in ["0", "7", "007", "0.006000000468", "1.50", "122.88", "9999999999999999999", "0.000000000000000001"]
        {
            let slow = parse_decimal(text, DecimalSeparator::Point).unwrap().unwrap();
            let fast = parse_plain_decimal(text.as_bytes()).unwrap();
            assert_eq!((fast.mantissa(), fast.scale()), (slow.mantissa(), slow.scale()), "{text}");
        }
        for text in ["", ".5", "5.", "1.2.3", "-1", "+1", " 1", "1E-05", "1,5", "twelve", "12345678901234567890"] {
            assert_eq!(parse_plain_decimal(text.as_bytes()), None, "{text}");
        }
    }
}
