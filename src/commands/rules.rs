//! `csp-planner rules check | explain TYPE | export DIR`

use std::io::Write;

use crate::assess::classify;
use crate::cli::RulesCommand;
use crate::error::{Error, Result};
use crate::model::Resource;
use crate::output::write_atomically;
use crate::rules::{AssessRules, ReadRules, RulePack};

pub fn run(command: &RulesCommand) -> Result<()> {
    match command {
        RulesCommand::Check { rules } => check(&RulePack::load(rules.as_deref())?),
        RulesCommand::Explain { resource_type, rules } => explain(resource_type, &RulePack::load(rules.as_deref())?),
        RulesCommand::Export { dir } => export(dir),
    }
}

/// Every problem of every rule file at once; exit code 2 when there is one.
fn check(pack: &RulePack) -> Result<()> {
    let mut problems = Vec::new();
    if let Err(Error::Rules(found)) = ReadRules::from_pack(pack) {
        problems.extend(found);
    }
    let rules = AssessRules::parse(pack, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Rules(problems));
    }
    let files: Vec<String> = pack.files().map(|f| f.name.clone()).collect();
    println!(
        "rules ok: {} files ({}); {} services, {} move-support types ({} rows), {} move conditions, {} classic rules",
        files.len(),
        files.join(", "),
        rules.availability.service_count(),
        rules.move_support.types(),
        rules.move_support.rows,
        rules.conditions.conditions.len(),
        rules.classic.rules.len()
    );
    Ok(())
}

/// The verdict for a bare resource of this type (no SKU, no properties: conditions that need them
/// fall to the type's catch-all entry), with the rule and source.
fn explain(resource_type: &str, pack: &RulePack) -> Result<()> {
    let rules = AssessRules::from_pack(pack)?;
    let resource =
        Resource::new(format!("(a resource of type {resource_type})"), String::new(), resource_type.to_string());
    let verdict = classify(&resource, &rules);
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
    let conditional = rules
        .conditions
        .conditions
        .iter()
        .filter(|c| c.resource_type.eq_ignore_ascii_case(resource_type) && c.when.is_some());
    for condition in conditional {
        if let Some(when) = &condition.when {
            out.push_str(&format!(
                "with {} ({}): {} [{}]\n",
                when.path,
                when.equals
                    .as_deref()
                    .map(|v| format!("= {v}"))
                    .or(when.not_equals.as_deref().map(|v| format!("!= {v}")))
                    .unwrap_or_else(|| "exists".to_string()),
                condition.status.as_str(),
                condition.rule
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).map_err(|source| Error::Output { path: "stdout".to_string(), source })
}

/// Writes the embedded pack into `dir` (created if missing), each file atomically.
fn export(dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output { path: dir.display().to_string(), source })?;
    let pack = RulePack::embedded();
    for file in pack.files() {
        let path = dir.join(&file.name);
        write_atomically(&path, |out| out.write_all(file.text.as_bytes()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
