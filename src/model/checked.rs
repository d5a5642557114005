//! Checked arithmetic on figures that come from an input (a cell, a row, a command-line option).
//!
//! `rust_decimal` panics when a sum or product leaves its range (±79,228,162,514,264,337,593,543,950,335, about
//! 7.9 × 10^28) and integers wrap or panic: a customer's file must never do that. Every sum or product of input
//! values goes through these functions; an [`Overflow`] is then turned, where the figure is computed, into an
//! error that names the file, the cell or the option and the value as the input wrote it ([`too_large`]).

use rust_decimal::Decimal;

/// The largest magnitude a figure may have, as messages state it.
pub const DECIMAL_LIMIT: &str = "±7.9 × 10^28";

/// A sum or product beyond the range of the numbers csp-planner computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}

pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// `a ÷ b`; dividing by 0 is an overflow too (the callers check for 0 where it means something else).
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow)
}

/// The sum of `values`, or [`Overflow`] as soon as a partial sum leaves the range.
pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, Overflow> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// The sum of whole-number figures (IOPS, disks), or [`Overflow`] beyond `u64`.
pub fn sum_u64(values: impl IntoIterator<Item = u64>) -> Result<u64, Overflow> {
    values.into_iter().try_fold(0u64, |total, value| total.checked_add(value).ok_or(Overflow))
}

/// The words of an overflow: `"{what} is too large to compute with (figures stop at ±7.9 × 10^28)"`.
pub fn too_large(what: impl std::fmt::Display) -> String {
    format!("{what} is too large to compute with (figures stop at {DECIMAL_LIMIT})")
}

/// The words of a count beyond `u64` (IOPS, disks): `"{what} is too large to count (counts stop at …)"`.
pub fn too_many(what: impl std::fmt::Display) -> String {
    format!("{what} is too large to count (counts stop at {})", u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_products_beyond_the_range_are_overflows_not_panics() {
        assert_eq!(sum([Decimal::MAX, Decimal::ONE]), Err(Overflow));
        assert_eq!(sum([Decimal::MAX, Decimal::NEGATIVE_ONE]), Ok(Decimal::MAX - Decimal::ONE));
        assert_eq!(mul(Decimal::MAX, Decimal::TWO), Err(Overflow));
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), Err(Overflow));
        assert_eq!(sub(Decimal::MIN, Decimal::ONE), Err(Overflow));
        assert_eq!(sum_u64([u64::MAX, 1]), Err(Overflow));
        assert_eq!(sum_u64([2, 3]), Ok(5));
    }
}
