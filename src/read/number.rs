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

/// Parses one cell. `Ok(None)` for an empty cell; `Err` names what was found.
pub fn parse_decimal(text: &str, separator: DecimalSeparator) -> Result<Option<Decimal>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let normalized;
    let text = if separator == DecimalSeparator::Comma && text.contains(',') {
        normalized = text
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect::<String>();
        normalized.as_str()
    } else {
        text
    };
    let parsed = if text.contains(['e', 'E']) { Decimal::from_scientific(text) } else { Decimal::from_str(text) };
    parsed.map(Some).map_err(|_| format!("expected a decimal number, found \"{text}\""))
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
