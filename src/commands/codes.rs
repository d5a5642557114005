//! `csp-planner rules codes`: every code the commands emit — the built-in ones of the registry
//! ([`crate::model::codes`]) and the ones the loaded rule pack defines (`workloads.toml`'s rule codes) — each with
//! its domain, description and source, and the rule files that name it.

use crate::cli::CodesFormat;
use crate::error::{Error, Result};
use crate::inventory::Tool;
use crate::model::codes::{self, Domain};
use crate::report::codes::{CodeEntry, CodeListing, Origin};
use crate::rules::{RulePack, Rules};

pub fn run(format: CodesFormat, pack: &RulePack) -> Result<()> {
    let listing = listing(pack)?;
    let mut text = Vec::new();
    let written = match format {
        CodesFormat::Json => crate::output::json::json(&listing, &mut text),
        CodesFormat::Table => {
            text.extend(crate::report::codes::table(&listing.codes).as_bytes());
            Ok(())
        }
        CodesFormat::Markdown => {
            text.extend(crate::report::codes::markdown(&listing.codes).as_bytes());
            Ok(())
        }
    };
    let output = |source| Error::Output { path: "stdout".to_string(), source };
    written.map_err(output)?;
    std::io::Write::write_all(&mut std::io::stdout().lock(), &text).map_err(output)
}

/// The registry's codes, then the rule pack's own, each with the rule files naming it.
pub fn listing(pack: &RulePack) -> Result<CodeListing> {
    let rules = Rules::load(pack)?;
    let (assess, workloads) = (&rules.assess, &rules.workloads);
    let conditions_file = "move-conditions.toml";
    let workloads_file = crate::rules::workloads::RULE_FILE;
    let sources = pack.sources();
    let mut codes: Vec<CodeEntry> = codes::all()
        .into_iter()
        .map(|info| {
            let mut named_in = Vec::new();
            let by_condition = assess.conditions.conditions.iter().any(|c| c.code == info.code);
            if info.domain == Domain::Assess && by_condition {
                named_in.push(conditions_file.to_string());
            }
            let by_planner_test = workloads.rules.iter().any(|r| r.planner_codes.iter().any(|c| c == info.code));
            if info.domain == Domain::Capacity && by_planner_test {
                named_in.push(workloads_file.to_string());
            }
            CodeEntry {
                code: info.code.to_string(),
                domain: info.domain,
                origin: Origin::BuiltIn,
                description: info.description.to_string(),
                source: sources.resolve(info.source),
                rule_file: None,
                named_in,
            }
        })
        .collect();
    codes.extend(workloads.rules.iter().map(|rule| {
        let review = if rule.review { ", to review" } else { "" };
        CodeEntry {
            code: rule.code.clone(),
            domain: Domain::Workloads,
            origin: Origin::RuleFile,
            description: format!("A {} verdict{review}: {}", rule.color.as_str(), rule.message),
            source: rule.source.clone(),
            rule_file: Some(format!("{workloads_file} line {}", rule.line)),
            named_in: Vec::new(),
        }
    }));
    let transfer_file = crate::rules::transfer::PATHS_FILE;
    codes.extend(rules.transfer.agreements.iter().map(|agreement| CodeEntry {
        code: format!("agreement-{}", agreement.id),
        domain: Domain::Transfer,
        origin: Origin::RuleFile,
        description: format!("The path of the agreement {}: {}", agreement.title, agreement.message),
        source: agreement.source.to_string(),
        rule_file: Some(agreement.rule.trim_start_matches("rules/").to_string()),
        named_in: Vec::new(),
    }));
    codes.extend(rules.transfer.licences.iter().map(|licence| CodeEntry {
        code: licence.id.clone(),
        domain: Domain::Transfer,
        origin: Origin::RuleFile,
        description: format!("A licence note: {}", licence.message),
        source: licence.source.to_string(),
        rule_file: Some(format!("{transfer_file} [[licence]] {}", licence.id)),
        named_in: Vec::new(),
    }));
    Ok(CodeListing { schema_version: 1, tool: Tool::current(), codes })
}
