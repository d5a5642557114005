//! `--customer FILE`: what no export says about the customer (TOML). Every key is known, every value checked;
//! a problem names the file, its line and column, the key and what was expected.
//!
//! ```toml
//! name = "Contoso"
//! currency = "EUR"
//! agreement = "ea-direct"
//! billing_country = "Germany"
//! [partner]
//! direct_bill = true
//! azure_expert_msp = false
//! [subscriptions."2b8f4c61-93d7-4e0a-a5c2-7f1d6e9b3a48"]
//! dev_test = true
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{InputError, Result};
use crate::model::transfer::{CustomerFacts, PartnerFacts, SubscriptionOverride};
use crate::rules::input_kinds::line_col;
use crate::rules::transfer::TransferRules;

/// A customer file is a few dozen lines; more than this is not one.
const LIMIT: u64 = 1 << 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustomer {
    name: Option<String>,
    currency: Option<String>,
    agreement: Option<String>,
    billing_country: Option<String>,
    tenant_id: Option<String>,
    macc_active: Option<bool>,
    ea_anniversary: Option<toml::value::Datetime>,
    program: Option<String>,
    ea_status: Option<String>,
    mseds: Option<bool>,
    cocp_date: Option<toml::value::Datetime>,
    #[serde(default)]
    partner: RawPartner,
    #[serde(default)]
    subscriptions: BTreeMap<String, RawSubscription>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    direct_bill: Option<bool>,
    azure_expert_msp: Option<bool>,
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscription {
    agreement: Option<String>,
    dev_test: Option<bool>,
    tenant_id: Option<String>,
    macc_active: Option<bool>,
    name: Option<String>,
}

/// Reads and checks the customer file; `display` is how outputs name it.
pub fn read(path: &Path, display: &str, rules: &TransferRules) -> Result<CustomerFacts> {
    let bytes = crate::open::read_limited(path, LIMIT, "customer file")?;
    let text = String::from_utf8(bytes).map_err(|_| InputError::new(path, "is not UTF-8 text"))?;
    parse(&text, path, display, rules)
}

/// Checks a customer file's text; errors name `path`.
pub fn parse(text: &str, path: &Path, display: &str, rules: &TransferRules) -> Result<CustomerFacts> {
    let raw: RawCustomer = toml::from_str(text).map_err(|e| {
        let error =
            InputError::new(path, format!("{} (see the customer file's keys in docs/transfer.md)", e.message().trim()));
        match e.span() {
            Some(span) => error.at(line_col(text, span.start)),
            None => error,
        }
    })?;
    let place = |key: &str| match text.lines().position(|line| line.trim_start().starts_with(key)) {
        Some(index) => format!("line {}", index + 1),
        None => "whole file".to_string(),
    };
    let check_agreement = |value: &Option<String>, key: &str| -> Result<Option<String>> {
        let Some(value) = value else { return Ok(None) };
        let value = value.trim().to_ascii_lowercase();
        if rules.agreement(&value).is_none() {
            let known: Vec<&str> = rules.agreements.iter().map(|a| a.id.as_str()).collect();
            return Err(InputError::new(
                path,
                format!("unknown agreement \"{value}\": expected one of {}", known.join(", ")),
            )
            .at(place(key))
            .column(key)
            .into());
        }
        Ok(Some(value))
    };
    let currency = match raw.currency.as_deref().map(str::trim) {
        Some(code) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(code.to_ascii_uppercase())
        }
        Some(other) => {
            return Err(InputError::new(
                path,
                format!("currency \"{other}\": expected a three-letter ISO 4217 code (EUR, USD)"),
            )
            .at(place("currency"))
            .column("currency")
            .into());
        }
        None => None,
    };
    let ea_status = match raw.ea_status.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
        Some(status) if ["active", "expired", "ended"].contains(&status.as_str()) => Some(status),
        Some(other) => {
            return Err(InputError::new(path, format!("ea_status \"{other}\": expected active, expired or ended"))
                .at(place("ea_status"))
                .column("ea_status")
                .into());
        }
        None => None,
    };
    let mut subscriptions = BTreeMap::new();
    for (id, sub) in raw.subscriptions {
        let key = format!("[subscriptions.{id}]");
        let agreement = check_agreement(&sub.agreement, &key)?;
        let facts = SubscriptionOverride {
            agreement,
            dev_test: sub.dev_test,
            tenant_id: sub.tenant_id.map(|t| t.trim().to_string()),
            macc_active: sub.macc_active,
            name: sub.name,
        };
        subscriptions.insert(id.trim().to_ascii_lowercase(), facts);
    }
    Ok(CustomerFacts {
        file: display.to_string(),
        agreement: check_agreement(&raw.agreement, "agreement")?,
        name: raw.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        currency,
        billing_country: raw.billing_country.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        tenant_id: raw.tenant_id.map(|t| t.trim().to_string()),
        macc_active: raw.macc_active,
        ea_anniversary: raw.ea_anniversary.map(|d| d.to_string()),
        program: raw.program.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
        ea_status,
        mseds: raw.mseds,
        cocp_date: raw.cocp_date.map(|d| d.to_string()),
        partner: PartnerFacts {
            direct_bill: raw.partner.direct_bill,
            azure_expert_msp: raw.partner.azure_expert_msp,
            country: raw.partner.country.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        },
        subscriptions,
    })
}
