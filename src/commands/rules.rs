//! `csp-planner rules check | explain TYPE | export DIR | codes`

use std::io::Write;

use crate::assess::classify;
use crate::cli::RulesCommand;
use crate::error::{Error, Result};
use crate::model::Resource;
use crate::rules::{AssessRules, RulePack, Rules};

pub fn run(command: &RulesCommand) -> Result<()> {
    match command {
        RulesCommand::Check { rules } => check(&RulePack::load(rules.as_deref())?),
        RulesCommand::Explain { resource_type, rules } => explain(resource_type, &RulePack::load(rules.as_deref())?),
        RulesCommand::Export { dir } => export(dir),
        RulesCommand::Codes { format, rules } => super::codes::run(*format, &RulePack::load(rules.as_deref())?),
    }
}

/// Every problem of every rule file at once; exit code 2 when there is one.
fn check(pack: &RulePack) -> Result<()> {
    let rules = Rules::check(pack)?;
    let assess = &rules.assess;
    let files: Vec<String> = rules.files().map(|f| f.name.clone()).collect();
    println!(
        "rules ok: {} files ({}); {} services, {} move-support types ({} rows), {} move conditions, {} classic rules",
        files.len(),
        files.join(", "),
        assess.availability.service_count(),
        assess.move_support.types(),
        assess.move_support.rows,
        assess.conditions.conditions.len(),
        assess.classic.rules.len()
    );
    Ok(())
}

/// The verdict for a bare resource of this type (no SKU, no properties: conditions that need them
/// fall to the type's catch-all entry), with the rule and source.
fn explain(resource_type: &str, pack: &RulePack) -> Result<()> {
    let all = Rules::load(pack)?;
    let rules = &all.assess;
    let resource =
        Resource::new(format!("(a resource of type {resource_type})"), String::new(), resource_type.to_string());
    let verdict = classify(&resource, rules);
    let mut out = String::new();
    out.push_str(&format!("type:               {resource_type}\n"));
    out.push_str(&format!("deployment model:   {}\n", resource.deployment_model.as_str()));
    out.push_str(&format!("CSP Status:         {}\n", verdict.csp_status.as_str()));
    out.push_str(&format!("Suggested Approach: {}\n", verdict.suggested_approach.as_str()));
    out.push_str(&format!("needs review:       {}\n", if verdict.needs_review { "yes" } else { "no" }));
    for reason in &verdict.reasons {
        out.push_str(&format!(
            "reason [{}]: {}\n  rule:   {}\n  source: {}\n",
            reason.code, reason.message, reason.rule, reason.source
        ));
    }
    for (when, outcome, rule) in conditional_entries(resource_type, rules) {
        out.push_str(&format!("with {when}: {outcome} [{rule}]\n"));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).map_err(|source| Error::Output { path: "stdout".to_string(), source })
}

/// Writes the embedded pack into `dir` (created if missing), never over a file there.
fn export(dir: &std::path::Path) -> Result<()> {
    let pack = RulePack::embedded();
    super::export_files(dir, "rules export", pack.files().map(|file| (file.name.as_str(), file.text.as_ref())))
}

/// The entries with `when` that apply to this type (move conditions, classic upgrade paths) and
/// what each would decide, so the reader sees what would change the verdict.
fn conditional_entries(resource_type: &str, rules: &AssessRules) -> Vec<(String, String, String)> {
    let namespace = resource_type.split('/').next().map(|ns| format!("{ns}/*")).unwrap_or_default();
    let applies = |t: &str| t.eq_ignore_ascii_case(resource_type) || t.eq_ignore_ascii_case(&namespace);
    let conditions = rules.conditions.conditions.iter().filter(|c| applies(&c.resource_type)).filter_map(|c| {
        let when = c.when.as_ref()?;
        Some((describe(when), format!("{} ({})", c.status.as_str(), c.code), c.rule.clone()))
    });
    let classic = rules.classic.rules.iter().filter(|c| applies(&c.resource_type)).filter_map(|c| {
        let when = c.when.as_ref()?;
        let outcome = match &c.becomes {
            Some(becomes) if c.upgrade => {
                format!("upgrade, becomes {becomes} (classic-upgrade-first unless it cannot move)")
            }
            _ => "BLOCKED (classic-no-upgrade)".to_string(),
        };
        Some((describe(when), outcome, c.rule.clone()))
    });
    conditions.chain(classic).collect()
}

fn describe(when: &crate::rules::predicate::When) -> String {
    let test = match (&when.equals, &when.not_equals) {
        (Some(value), _) => format!("= {value}"),
        (_, Some(value)) => format!("!= {value}"),
        _ => "exists".to_string(),
    };
    format!("{} {test}", when.path)
}
