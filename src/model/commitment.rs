//! Commitments and purchases read from usage exports: reservations, savings plans, Marketplace purchases and
//! purchase rows. They are not resources; each is listed once, its rows summed, with where it was first seen.

use rust_decimal::Decimal;
use serde::Serialize;

/// Where a commitment's first row is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstRow {
    pub path: String,
    /// The line (CSV) or sheet row (workbook).
    pub line: u64,
}

/// One commitment or purchase, its rows summed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commitment {
    /// `reservation`, `savings-plan`, `marketplace` or `purchase` (rules/commitments.toml).
    pub kind: String,
    pub id: String,
    pub order_id: Option<String>,
    pub name: Option<String>,
    pub subscription_id: Option<String>,
    pub cost: Decimal,
    pub currency: Option<String>,
    pub rows: u64,
    pub first: FirstRow,
}

impl Commitment {
    /// Two rows are the same commitment when kind, ID (ignoring case) and currency are.
    fn same(&self, other: &Commitment) -> bool {
        self.kind == other.kind && self.id.eq_ignore_ascii_case(&other.id) && self.currency == other.currency
    }
}

/// The commitments of one or more inputs, in the order they were first seen.
#[derive(Debug, Clone, Default)]
pub struct Commitments {
    list: Vec<Commitment>,
    index: std::collections::HashMap<(String, String, Option<String>), usize>,
}

impl Commitments {
    /// Adds a commitment's rows, summing into the same commitment when it is known; `false` when the cost sum
    /// overflows the decimal range.
    pub fn add(&mut self, commitment: Commitment) -> bool {
        let key = (commitment.kind.clone(), commitment.id.to_ascii_lowercase(), commitment.currency.clone());
        match self.index.get(&key) {
            Some(&position) => {
                let known = &mut self.list[position];
                debug_assert!(known.same(&commitment));
                let Some(cost) = known.cost.checked_add(commitment.cost) else { return false };
                known.cost = cost;
                known.rows = known.rows.saturating_add(commitment.rows);
                known.order_id = known.order_id.take().or(commitment.order_id);
                known.name = known.name.take().or(commitment.name);
                known.subscription_id = known.subscription_id.take().or(commitment.subscription_id);
                true
            }
            None => {
                self.index.insert(key, self.list.len());
                self.list.push(commitment);
                true
            }
        }
    }

    /// Adds every commitment of `other`; `false` on an overflow.
    pub fn merge(&mut self, other: Commitments) -> bool {
        other.list.into_iter().all(|c| self.add(c))
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_vec(self) -> Vec<Commitment> {
        self.list
    }

    pub fn as_slice(&self) -> &[Commitment] {
        &self.list
    }
}
