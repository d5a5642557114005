//! `csp-planner plan [INPUT]... [--target-subscription ID] [--target-resource-group NAME]`

use std::io::Write;

use crate::assess::AssessmentReport;
use crate::cli::PlanArgs;
use crate::error::{Error, Result};
use crate::output::{Destination, Format};
use crate::plan::{DependencyRules, PlanReport, PlanTarget};
use crate::report;
use crate::rules::{AssessRules, RulePack};

pub fn run(args: &PlanArgs) -> Result<()> {
    let destination = Destination::resolve(args.output.format, args.output.output.as_deref(), &args.input.inputs)?;
    if destination.format == Format::Csv {
        return Err(Error::usage("plan writes a table or JSON (--format table|json); CSV is not available for plan"));
    }
    let pack = RulePack::load(args.input.rules.as_deref())?;
    // Rules first: a broken rule file is reported before a long read.
    let rules = AssessRules::from_pack(&pack)?;
    let dependencies = DependencyRules::from_pack(&pack)?;
    let inventory = super::inventory::read(&args.input, &pack)?;
    // Classify with the properties (conditions read them); the graph reads them too.
    let assessment = AssessmentReport::build(inventory, &rules);
    let target = PlanTarget {
        subscription_id: args.target_subscription.clone(),
        resource_group: args.target_resource_group.clone(),
    };
    let plan = PlanReport::build(assessment, &dependencies, target);
    print_warnings(&plan);
    let written = destination.write(|out| match destination.format {
        Format::Json => report::json(&plan, out),
        Format::Table | Format::Csv => report::plan_table::render(&plan, destination.colour, out),
    });
    // See commands::inventory: nothing to free at exit.
    std::mem::forget(plan);
    written
}

/// Plan warnings go to stderr in every format (they are also in the JSON, `warnings`).
fn print_warnings(plan: &PlanReport) {
    let mut stderr = std::io::stderr().lock();
    for warning in &plan.warnings {
        let _ = writeln!(stderr, "warning: {}: {}", warning.location, warning.message);
    }
}
