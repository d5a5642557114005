//! What usage exports say about each subscription's billing (offer, billing account, reseller, tenant,
//! currency): the facts the transfer path is decided from. Each distinct value is kept with the first row that
//! showed it, so that a fact can say where it came from.

use std::collections::BTreeMap;

/// One value of a billing fact and where it was first seen (`<file>, line N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub value: String,
    pub at: String,
}

/// The billing facts of one subscription. `has_reseller_column`: the export had a reseller column (so an empty
/// reseller means a direct agreement).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionBilling {
    pub offer_ids: Vec<Seen>,
    pub billing_accounts: Vec<Seen>,
    pub resellers: Vec<Seen>,
    pub tenants: Vec<Seen>,
    pub currencies: Vec<Seen>,
    pub has_reseller_column: Option<String>,
}

/// The fields of a usage row that are billing facts, already trimmed; `None` for an absent or empty cell.
#[derive(Debug, Clone, Default)]
pub struct BillingRow<'a> {
    pub offer_id: Option<&'a str>,
    pub billing_account: Option<&'a str>,
    pub reseller: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub reseller_column: bool,
}

/// The billing facts of every subscription, by lowercase subscription ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingFacts {
    by_subscription: BTreeMap<String, SubscriptionBilling>,
}

/// Few distinct values are expected per subscription; more are not kept (an export is not a fact list).
const MAX_VALUES: usize = 16;

fn note(values: &mut Vec<Seen>, value: Option<&str>, at: &dyn Fn() -> String) {
    let Some(value) = value else { return };
    if values.len() < MAX_VALUES && !values.iter().any(|seen| seen.value.eq_ignore_ascii_case(value)) {
        values.push(Seen { value: value.to_string(), at: at() });
    }
}

impl BillingFacts {
    /// Notes one row's facts; `at` names the row, called only for a value not seen before.
    pub fn add(&mut self, subscription_id: &str, row: &BillingRow, at: &dyn Fn() -> String) {
        let facts = match self.by_subscription.get_mut(subscription_id) {
            Some(facts) => facts,
            None => self.by_subscription.entry(subscription_id.to_ascii_lowercase()).or_default(),
        };
        note(&mut facts.offer_ids, row.offer_id, at);
        note(&mut facts.billing_accounts, row.billing_account, at);
        note(&mut facts.resellers, row.reseller, at);
        note(&mut facts.tenants, row.tenant, at);
        note(&mut facts.currencies, row.currency, at);
        if row.reseller_column && facts.has_reseller_column.is_none() {
            facts.has_reseller_column = Some(at());
        }
    }

    /// Adds every fact of `other` (a later input), keeping what was seen first.
    pub fn merge(&mut self, other: BillingFacts) {
        for (subscription, theirs) in other.by_subscription {
            let mine = self.by_subscription.entry(subscription).or_default();
            for (list, more) in [
                (&mut mine.offer_ids, theirs.offer_ids),
                (&mut mine.billing_accounts, theirs.billing_accounts),
                (&mut mine.resellers, theirs.resellers),
                (&mut mine.tenants, theirs.tenants),
                (&mut mine.currencies, theirs.currencies),
            ] {
                for seen in more {
                    note(list, Some(&seen.value), &|| seen.at.clone());
                }
            }
            mine.has_reseller_column = mine.has_reseller_column.take().or(theirs.has_reseller_column);
        }
    }

    pub fn get(&self, subscription_id: &str) -> Option<&SubscriptionBilling> {
        self.by_subscription.get(&subscription_id.to_ascii_lowercase())
    }

    pub fn subscriptions(&self) -> impl Iterator<Item = (&String, &SubscriptionBilling)> {
        self.by_subscription.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.by_subscription.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_each_distinct_value_with_its_first_row() {
        let mut facts = BillingFacts::default();
        let row = |offer| BillingRow { offer_id: Some(offer), reseller_column: true, ..BillingRow::default() };
        facts.add("ABC", &row("MS-AZR-0017P"), &|| "usage.csv, line 2".to_string());
        facts.add("abc", &row("ms-azr-0017p"), &|| "usage.csv, line 3".to_string());
        facts.add("abc", &row("MS-AZR-0148P"), &|| "usage.csv, line 4".to_string());
        let abc = facts.get("Abc").unwrap();
        let offers: Vec<(&str, &str)> = abc.offer_ids.iter().map(|s| (s.value.as_str(), s.at.as_str())).collect();
        assert_eq!(offers, [("MS-AZR-0017P", "usage.csv, line 2"), ("MS-AZR-0148P", "usage.csv, line 4")]);
        assert_eq!(abc.has_reseller_column.as_deref(), Some("usage.csv, line 2"));
    }
}
