//! The daily data change rate from the seed's measuring procedures (002 L13754–L13957), for the
//! Detailed Planner's "Daily data change rate (%)" column.
//!
//! - Hyper-V (HVRCapacityPlanner report): rate = additional storage during delta replication (GB)
//!   ÷ total storage (GB) × 100 (L13812; example 0.06 / 42.1 → "0.142").
//! - vSphere (replication traffic modeler): the average daily delta size, converted from MB to GB by
//!   dividing by 1,000 (L13944), then the same formula (L13951).
//! - "Any values less than 1% are automatically converted to 0." (L13818, L13957): the planner
//!   workbook's rule, which would zero the seed's own example; both the value and that rule's effect
//!   are reported, never the zero alone.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::error::{Error, Result};

/// The seed divides MB by 1,000 in its vSphere procedure (L13944).
pub const SEED_MB_PER_GB: Decimal = Decimal::ONE_THOUSAND;

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRate {
    /// The rate in percent, exact.
    pub change_rate_pct_exact: Decimal,
    /// Rounded to 4 decimals for display.
    pub change_rate_pct: Decimal,
    /// What the seed enters in the planner: truncated to 3 decimals (its example: 0.142, L13812–L13813).
    pub seed_entry_pct: Decimal,
    /// What the planner workbook uses after its "below 1 % becomes 0" rule (L13818).
    pub planner_value_pct: Decimal,
    pub delta_gb: Decimal,
    pub total_storage_gb: Decimal,
    pub notes: Vec<String>,
}

impl crate::output::Json for ChangeRate {}

/// `delta_gb` of change per day over `total_storage_gb` of storage.
pub fn change_rate(delta_gb: Decimal, total_storage_gb: Decimal) -> Result<ChangeRate> {
    if total_storage_gb <= Decimal::ZERO {
        return Err(Error::usage(format!("--total-storage-gb must be greater than 0, found {total_storage_gb}")));
    }
    if delta_gb < Decimal::ZERO {
        return Err(Error::usage(format!("--delta-gb: the delta size must not be negative, found {delta_gb}")));
    }
    let exact = delta_gb
        .checked_div(total_storage_gb)
        .and_then(|ratio| ratio.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| {
            Error::usage(crate::model::checked::too_large(format!(
                "the change rate of a delta of {delta_gb} GB over --total-storage-gb {total_storage_gb}"
            )))
        })?;
    let below_one = exact < Decimal::ONE;
    let mut notes = vec![
        "rate = delta ÷ total storage × 100 (Microsoft's Azure CSP documentation, \"Azure Site Recovery capacity-planning guide for migrations\", section \"Calculate the daily data change rate\")".to_string(),
        "that section enters its Hyper-V example truncated to 3 decimals (0.06 / 42.1 → 0.142); 3-decimal rounding would give 0.143".to_string(),
    ];
    if below_one {
        notes.push(format!(
            "the planner workbook converts values below 1 % to 0 (section \"Calculate the daily data change rate\": \"Any values less than 1% are automatically converted to 0\"): this rate would become 0 there, and the delta bandwidth with it; csp-planner keeps {}",
            exact.round_dp(4)
        ));
    }
    Ok(ChangeRate {
        change_rate_pct_exact: exact,
        change_rate_pct: exact.round_dp(4),
        seed_entry_pct: exact.round_dp_with_strategy(3, RoundingStrategy::ToZero),
        planner_value_pct: if below_one { Decimal::ZERO } else { exact },
        delta_gb,
        total_storage_gb,
        notes,
    })
}

/// A vSphere delta size in MB, as GB by the seed's divisor (L13944) or another.
pub fn megabytes_to_gigabytes(delta_mb: Decimal, mb_per_gb: Decimal) -> Result<Decimal> {
    if mb_per_gb <= Decimal::ZERO {
        return Err(Error::usage(format!("--mb-per-gb must be greater than 0, found {mb_per_gb}")));
    }
    if delta_mb.is_sign_negative() && !delta_mb.is_zero() {
        return Err(Error::usage(format!("--delta-mb: the delta size must not be negative, found {delta_mb}")));
    }
    delta_mb.checked_div(mb_per_gb).ok_or_else(|| {
        Error::usage(crate::model::checked::too_large(format!("--delta-mb {delta_mb} ÷ --mb-per-gb {mb_per_gb}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_seeds_hyper_v_example() {
        // seed 002 L13804–L13812: BELSYSGEXCH01, 0.06 GB additional storage over 42.1 GB total
        let rate = change_rate(dec("0.06"), dec("42.1")).unwrap();
        assert_eq!(rate.change_rate_pct, dec("0.1425"));
        assert_eq!(rate.seed_entry_pct, dec("0.142"));
        assert_eq!(rate.planner_value_pct, Decimal::ZERO);
        assert!(rate.notes.iter().any(|n| n.contains("below 1 %")));
    }

    #[test]
    fn the_seeds_vsphere_conversion_divides_by_1000() {
        // seed 002 L13944: "10.78 MB = [10.78/1000]" (the seed misprints the result as 0.0178)
        assert_eq!(megabytes_to_gigabytes(dec("10.78"), SEED_MB_PER_GB).unwrap(), dec("0.01078"));
    }

    #[test]
    fn rates_of_one_percent_and_more_are_kept_by_the_planner() {
        let rate = change_rate(dec("5"), dec("100")).unwrap();
        assert_eq!(rate.planner_value_pct, dec("5"));
        assert!(change_rate(Decimal::ONE, Decimal::ZERO).is_err());
    }
}
