//! When the customer only wants a new partner: a change of channel partner (COCP) keeps an Enterprise Agreement
//! customer on its agreement; the multichannel and partner-of-record rules that apply to every path.

use serde::Serialize;

use super::{SubscriptionTransfer, TransferReason, reason};
use crate::model::codes::TransferCode;
use crate::model::transfer::{CustomerFacts, TransferVerdict};
use crate::rules::transfer::TransferRules;

/// The COCP alternative, when a subscription is on an Enterprise Agreement.
#[derive(Debug, Clone, Serialize)]
pub struct Cocp {
    pub verdict: TransferVerdict,
    pub who: String,
    /// The shorter of the two acceptance periods the page gives (the reasons quote both).
    pub deadline_days: u32,
    pub effective_days: u32,
    pub reasons: Vec<TransferReason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub message: String,
    #[serde(flatten)]
    pub source: crate::model::Cited,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerChange {
    /// `null` when no subscription is on an Enterprise Agreement.
    pub cocp: Option<Cocp>,
    pub multichannel: Note,
    pub partner_of_record: Note,
}

impl PartnerChange {
    pub fn build(planned: &[SubscriptionTransfer], customer: Option<&CustomerFacts>, rules: &TransferRules) -> Self {
        let on_ea = planned.iter().any(|s| {
            s.facts.iter().any(|f| {
                f.name == "agreement" && (rules.cocp.agreements.contains(&f.value) || f.value.starts_with("ea ("))
            })
        });
        PartnerChange {
            cocp: on_ea.then(|| cocp(customer, rules)),
            multichannel: Note {
                message: rules.multichannel.message.clone(),
                source: rules.multichannel.source.clone(),
            },
            partner_of_record: Note { message: rules.dpor.message.clone(), source: rules.dpor.source.clone() },
        }
    }
}

/// COCP's eligibility: out-of-scope programs, MSEDS, an agreement that is not active, an early request.
fn cocp(customer: Option<&CustomerFacts>, rules: &TransferRules) -> Cocp {
    let rule = &rules.cocp;
    let mut reasons = vec![reason(TransferCode::Cocp.as_str(), rule.message.clone(), &rule.source)];
    let (accept, accept_source) = &rule.accept;
    let (expire, expire_source) = &rule.expire;
    let (effective, effective_source) = &rule.effective;
    let timing = format!(
        "The new partner must accept within {accept} days (the same page also says a request expires after {expire} \
         days: plan on {}); the effective date defaults to {effective} days after the request.",
        accept.min(expire)
    );
    reasons.push(reason(
        TransferCode::CocpDeadline.as_str(),
        timing,
        &accept_source.and(expire_source).and(effective_source),
    ));
    let mut verdict = TransferVerdict::Eligible;
    let mut exclude = |code: &str, message: String, reasons: &mut Vec<TransferReason>| {
        reasons.push(reason(code, message, &rule.out_of_scope_source));
        verdict = TransferVerdict::Blocked;
    };
    let customer = customer.cloned().unwrap_or_default();
    if let Some(program) = &customer.program
        && rule.out_of_scope_programs.iter().any(|p| p.eq_ignore_ascii_case(program))
    {
        exclude(
            "cocp-program",
            format!("{program} is not an Enterprise Agreement program: self-service COCP does not apply."),
            &mut reasons,
        );
    }
    if customer.mseds == Some(true) {
        exclude(
            "cocp-mseds",
            "Microsoft Enterprise Direct Support is the Bill-to or Software Advisor: self-service COCP does not apply."
                .to_string(),
            &mut reasons,
        );
    }
    if let Some(status) = customer.ea_status.as_deref().filter(|s| *s != "active") {
        exclude(
            "cocp-agreement-status",
            format!("The Enterprise Agreement is {status}: COCP needs an active agreement."),
            &mut reasons,
        );
    }
    if let (Some(date), Some(anniversary)) = (&customer.cocp_date, &customer.ea_anniversary)
        && date < anniversary
    {
        exclude(
            "cocp-early",
            format!(
                "A request on {date} initiates before the anniversary date {anniversary}: early (and backdated) COCP requests are out of scope."
            ),
            &mut reasons,
        );
    }
    if verdict == TransferVerdict::Eligible && customer.ea_status.is_none() {
        reasons.push(reason(
            "cocp-confirm",
            "Confirm that the agreement is active, that MSEDS is not its Bill-to or Software Advisor and that the request is not early: give ea_status, mseds and cocp_date in the customer file.",
            &rule.out_of_scope_source,
        ));
        verdict = TransferVerdict::Conditional;
    }
    Cocp { verdict, who: rule.who.clone(), deadline_days: (*accept).min(*expire), effective_days: *effective, reasons }
}
