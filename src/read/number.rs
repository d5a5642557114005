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
}
