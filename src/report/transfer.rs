//! The transfer paths as a terminal table and as CSV (one row per subscription, then one per commitment).
//! Customer text in CSV is neutralised against formula injection (`output::csv_safe`).

use std::io::Write;

use crate::output::csv_safe;
use crate::transfer::TransferReport;

pub fn table(report: &TransferReport, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(customer) = &report.customer {
        writeln!(out, "Customer: {} ({})", customer.name.as_deref().unwrap_or("unnamed"), customer.file)?;
    }
    for s in &report.subscriptions {
        let name = s.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        writeln!(out, "\n{}{name}: {} — {}", s.subscription_id, s.path.as_str(), s.verdict.as_str())?;
        for fact in &s.facts {
            writeln!(out, "  fact {} = {} (from {})", fact.name, fact.value, fact.from)?;
        }
        for reason in &s.reasons {
            writeln!(out, "  {}: {}", reason.code, reason.message)?;
        }
        for action in &s.actions {
            let deadline = action.deadline_days.map(|d| format!(" (within {d} days)")).unwrap_or_default();
            writeln!(out, "  do: {}: {}{deadline}", action.who, action.what)?;
        }
        for item in &s.does_not_carry_over {
            writeln!(out, "  does not carry over: {}", item.text)?;
        }
    }
    if !report.commitments.is_empty() {
        writeln!(out, "\nCommitments")?;
    }
    for c in &report.commitments {
        let reasons: Vec<&str> = c.reasons.iter().map(|r| r.message.as_str()).collect();
        writeln!(
            out,
            "  {} {}: {} — {}",
            c.kind,
            c.name.as_deref().unwrap_or(&c.id),
            c.fate.as_str(),
            reasons.join(" ")
        )?;
    }
    if let Some(cocp) = &report.partner_change.cocp {
        writeln!(
            out,
            "\nChange of channel partner only (COCP): {} — {} within {} days",
            cocp.verdict.as_str(),
            cocp.who,
            cocp.deadline_days
        )?;
        for reason in &cocp.reasons {
            writeln!(out, "  {}: {}", reason.code, reason.message)?;
        }
    }
    if !report.licences.is_empty() {
        writeln!(out, "\nLicences")?;
    }
    for group in &report.licences {
        writeln!(out, "  {} ({}): {}", group.code, group.servers.join(", "), group.message)?;
    }
    let s = &report.summary;
    let paths: Vec<String> = s.by_path.iter().map(|(path, n)| format!("{n} {path}")).collect();
    let verdicts: Vec<String> = s.by_verdict.iter().map(|(verdict, n)| format!("{n} {verdict}")).collect();
    writeln!(out, "\n{} subscription(s): {}; {}", s.subscriptions, paths.join(", "), verdicts.join(", "))
}

const HEADER: &[&str] =
    &["record", "subscription_id", "name", "path_or_kind", "verdict_or_fate", "deadline_days", "reasons", "sources"];

pub fn csv(report: &TransferReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for s in &report.subscriptions {
        let deadline =
            s.actions.iter().filter_map(|a| a.deadline_days).min().map(|d| d.to_string()).unwrap_or_default();
        let reasons: Vec<&str> = s.reasons.iter().map(|r| r.message.as_str()).collect();
        let sources: Vec<&str> = s.reasons.iter().map(|r| r.source.as_str()).collect();
        writer.write_record([
            "subscription".to_string(),
            csv_safe::text(&s.subscription_id).into_owned(),
            csv_safe::text(s.name.as_deref().unwrap_or_default()).into_owned(),
            s.path.as_str().to_string(),
            s.verdict.as_str().to_string(),
            deadline,
            csv_safe::text(&reasons.join(" | ")).into_owned(),
            csv_safe::text(&sources.join(" | ")).into_owned(),
        ])?;
    }
    for c in &report.commitments {
        let reasons: Vec<&str> = c.reasons.iter().map(|r| r.message.as_str()).collect();
        let sources: Vec<&str> = c.reasons.iter().map(|r| r.source.as_str()).collect();
        writer.write_record([
            "commitment".to_string(),
            csv_safe::text(c.subscription_id.as_deref().unwrap_or_default()).into_owned(),
            csv_safe::text(c.name.as_deref().unwrap_or(&c.id)).into_owned(),
            c.kind.clone(),
            c.fate.as_str().to_string(),
            String::new(),
            csv_safe::text(&reasons.join(" | ")).into_owned(),
            csv_safe::text(&sources.join(" | ")).into_owned(),
        ])?;
    }
    writer.flush()
}
