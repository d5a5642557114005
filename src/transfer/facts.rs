//! The facts a subscription's transfer path is decided from, each with where it came from: the customer file wins
//! over an export, a contradiction between them is a warning, and a fact nobody gives stays unknown.

use serde::Serialize;

use crate::model::billing::SubscriptionBilling;
use crate::model::transfer::{CustomerFacts, SubscriptionOverride};
use crate::rules::transfer::TransferRules;

/// One fact as the output shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub name: &'static str,
    pub value: String,
    pub from: String,
}

/// The agreement as far as the facts tell: known, an Enterprise Agreement whose channel is unknown, or unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    Known(String),
    EaChannelUnknown,
    Unknown,
}

/// What the transfer of one subscription is worked out from.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionFacts {
    pub facts: Vec<Fact>,
    pub agreement: Option<Agreement>,
    pub dev_test: Option<bool>,
    pub tenant: Option<String>,
    pub macc_active: Option<bool>,
    pub warnings: Vec<String>,
}

impl SubscriptionFacts {
    fn add(&mut self, name: &'static str, value: impl Into<String>, from: impl Into<String>) {
        self.facts.push(Fact { name, value: value.into(), from: from.into() });
    }
}

/// The agreement an export implies, with the row that says so.
fn inferred_agreement(
    billing: &SubscriptionBilling,
    rules: &TransferRules,
) -> Option<(Agreement, String, Option<bool>)> {
    if let Some(seen) = billing.offer_ids.iter().find(|s| rules.offer(&s.value).is_some()) {
        let offer = rules.offer(&seen.value)?;
        let from = format!("OfferId {} ({})", seen.value, seen.at);
        let agreement = if offer.agreement != "ea" {
            Agreement::Known(offer.agreement.clone())
        } else if let Some(reseller) = billing.resellers.first() {
            return Some((
                Agreement::Known("ea-indirect".to_string()),
                format!("{from}, reseller {} ({})", reseller.value, reseller.at),
                Some(offer.dev_test),
            ));
        } else if billing.has_reseller_column.is_some() {
            Agreement::Known("ea-direct".to_string())
        } else {
            Agreement::EaChannelUnknown
        };
        return Some((agreement, from, Some(offer.dev_test)));
    }
    // A partner's (MPA) export names the customer's tenant: the subscription is in a partner's Azure plan.
    let tenant = billing.tenants.first()?;
    Some((Agreement::Known("csp-azure-plan".to_string()), format!("CustomerTenantId ({})", tenant.at), None))
}

/// The facts of one subscription: the customer file's (per subscription, then for all), else the export's.
pub fn gather(
    billing: Option<&SubscriptionBilling>,
    listed_tenant: Option<(String, String)>,
    customer: Option<&CustomerFacts>,
    subscription_id: &str,
    rules: &TransferRules,
) -> SubscriptionFacts {
    let mut facts = SubscriptionFacts::default();
    let own: Option<&SubscriptionOverride> =
        customer.and_then(|c| c.subscriptions.get(&subscription_id.to_ascii_lowercase()));
    let file = customer.map(|c| c.file.clone()).unwrap_or_default();
    let inferred = billing.and_then(|b| inferred_agreement(b, rules));
    let given = own
        .and_then(|o| o.agreement.clone().map(|a| (a, format!("{file} [subscriptions.{subscription_id}]"))))
        .or_else(|| customer.and_then(|c| c.agreement.clone().map(|a| (a, file.clone()))));
    facts.agreement = Some(match (&given, &inferred) {
        (Some((agreement, from)), inferred) => {
            if let Some((Agreement::Known(export), export_from, _)) = inferred
                && export != agreement
            {
                facts.warnings.push(format!(
                    "subscription {subscription_id}: the customer file says agreement {agreement}, the export says \
                     {export} ({export_from}); the customer file's is used"
                ));
            }
            facts.add("agreement", agreement.clone(), from.clone());
            Agreement::Known(agreement.clone())
        }
        (None, Some((agreement, from, _))) => {
            let value = match agreement {
                Agreement::Known(id) => id.clone(),
                _ => "ea (direct or indirect unknown)".to_string(),
            };
            facts.add("agreement", value, from.clone());
            agreement.clone()
        }
        (None, None) => Agreement::Unknown,
    });
    let offer_dev_test = inferred.as_ref().and_then(|(_, from, dev_test)| dev_test.map(|d| (d, from.clone())));
    facts.dev_test = match (own.and_then(|o| o.dev_test), offer_dev_test) {
        (Some(given), offer) => {
            if let Some((offer, from)) = offer.filter(|(offer, _)| *offer != given) {
                facts.warnings.push(format!(
                    "subscription {subscription_id}: the customer file says dev_test = {given}, the export's offer says \
                     {offer} ({from}); the customer file's is used"
                ));
            }
            facts.add("dev_test", given.to_string(), format!("{file} [subscriptions.{subscription_id}]"));
            Some(given)
        }
        (None, Some((offer, from))) => {
            facts.add("dev_test", offer.to_string(), from);
            Some(offer)
        }
        (None, None) => None,
    };
    facts.tenant = match (own.and_then(|o| o.tenant_id.clone()), billing.and_then(|b| b.tenants.first())) {
        (Some(given), seen) => {
            if let Some(seen) = seen.filter(|seen| !seen.value.eq_ignore_ascii_case(&given)) {
                facts.warnings.push(format!(
                    "subscription {subscription_id}: the customer file says tenant_id {given}, the export says {} \
                     (CustomerTenantId, {}); the customer file's is used",
                    seen.value, seen.at
                ));
            }
            facts.add("tenant_id", given.clone(), format!("{file} [subscriptions.{subscription_id}]"));
            Some(given)
        }
        (None, Some(seen)) => {
            facts.add("tenant_id", seen.value.clone(), format!("CustomerTenantId ({})", seen.at));
            Some(seen.value.clone())
        }
        (None, None) => listed_tenant.map(|(tenant, file)| {
            facts.add("tenant_id", tenant.clone(), format!("tenantId ({file})"));
            tenant
        }),
    };
    facts.macc_active = own.and_then(|o| o.macc_active).or(customer.and_then(|c| c.macc_active));
    if let Some(macc) = facts.macc_active {
        facts.add("macc_active", macc.to_string(), file.clone());
    }
    if let Some(billing) = billing {
        for seen in billing.billing_accounts.iter().take(1) {
            facts.add("billing_account", seen.value.clone(), seen.at.clone());
        }
        for seen in billing.currencies.iter().take(1) {
            facts.add("currency", seen.value.clone(), seen.at.clone());
        }
    }
    facts
}
