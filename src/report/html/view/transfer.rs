//! The Transfer section: each subscription's path and verdict, who acts and what does not carry over, the
//! commitments' fates and the COCP alternative.

use serde::Serialize;

use crate::transfer::{Item, TransferReason, TransferReport};

#[derive(Serialize)]
pub struct TransferView {
    customer: Option<String>,
    subscriptions: Vec<SubscriptionView>,
    commitments: Vec<CommitmentView>,
    cocp: Option<CocpView>,
    multichannel: String,
    partner_of_record: String,
    licences: Vec<LicenceView>,
}

#[derive(Serialize)]
struct LicenceView {
    message: String,
    servers: String,
    source: String,
}

#[derive(Serialize)]
struct SubscriptionView {
    id: String,
    name: String,
    path: &'static str,
    verdict: &'static str,
    facts: Vec<String>,
    reasons: Vec<ReasonView>,
    actions: Vec<String>,
    does_not_carry_over: Vec<String>,
}

#[derive(Serialize)]
struct ReasonView {
    code: String,
    message: String,
    source: String,
}

#[derive(Serialize)]
struct CommitmentView {
    kind: String,
    name: String,
    subscription: String,
    fate: &'static str,
    reasons: String,
}

#[derive(Serialize)]
struct CocpView {
    verdict: &'static str,
    who: String,
    deadline_days: u32,
    effective_days: u32,
    reasons: Vec<ReasonView>,
}

fn reasons(list: &[TransferReason]) -> Vec<ReasonView> {
    list.iter()
        .map(|r| ReasonView { code: r.code.clone(), message: r.message.clone(), source: r.source.to_string() })
        .collect()
}

fn texts(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i.text.clone()).collect()
}

pub fn transfer_view(report: &TransferReport) -> TransferView {
    let subscriptions = report
        .subscriptions
        .iter()
        .map(|s| SubscriptionView {
            id: s.subscription_id.clone(),
            name: s.name.clone().unwrap_or_default(),
            path: s.path.as_str(),
            verdict: s.verdict.as_str(),
            facts: s.facts.iter().map(|f| format!("{} = {} (from {})", f.name, f.value, f.from)).collect(),
            reasons: reasons(&s.reasons),
            actions: s
                .actions
                .iter()
                .map(|a| match a.deadline_days {
                    Some(days) => format!("{}: {} (within {days} days)", a.who, a.what),
                    None => format!("{}: {}", a.who, a.what),
                })
                .collect(),
            does_not_carry_over: texts(&s.does_not_carry_over),
        })
        .collect();
    let commitments = report
        .commitments
        .iter()
        .map(|c| CommitmentView {
            kind: c.kind.clone(),
            name: c.name.clone().unwrap_or_else(|| c.id.clone()),
            subscription: c.subscription_id.clone().unwrap_or_default(),
            fate: c.fate.as_str(),
            reasons: c.reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join(" "),
        })
        .collect();
    let cocp = report.partner_change.cocp.as_ref().map(|c| CocpView {
        verdict: c.verdict.as_str(),
        who: c.who.clone(),
        deadline_days: c.deadline_days,
        effective_days: c.effective_days,
        reasons: reasons(&c.reasons),
    });
    TransferView {
        customer: report.customer.as_ref().and_then(|c| c.name.clone()),
        subscriptions,
        commitments,
        cocp,
        multichannel: report.partner_change.multichannel.message.clone(),
        partner_of_record: report.partner_change.partner_of_record.message.clone(),
        licences: report
            .licences
            .iter()
            .map(|g| LicenceView {
                message: g.message.clone(),
                servers: g.servers.join(", "),
                source: g.source.to_string(),
            })
            .collect(),
    }
}
