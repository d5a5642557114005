//! `csp-planner capacity quick | detailed | change-rate` (issue 4): the Site Recovery Capacity Planner's Quick and
//! Detailed Planners and its change-rate procedure.

use std::io::Write;
use std::path::PathBuf;

use crate::capacity::detailed::{DetailedPlan, Request as DetailedRequest};
use crate::capacity::quick::{QuickPlan, Request};

use crate::capacity::change_rate::megabytes_to_gigabytes;
use crate::cli::{CapacityCommand, ChangeRateArgs, DetailedArgs, QuickArgs};
use crate::error::Result;
use crate::output::Format;
use crate::read::empty;
use crate::report;
use crate::report::html::{CapacityPart, Parts};
use crate::report::xlsx::capacity::PlannerRules;
use crate::rules::{RulePack, Rules};

pub fn run(command: &CapacityCommand) -> Result<()> {
    match command {
        CapacityCommand::Quick(args) => quick(args),
        CapacityCommand::Detailed(args) => detailed(args),
        CapacityCommand::ChangeRate(args) => change_rate(args),
    }
}

fn change_rate(args: &ChangeRateArgs) -> Result<()> {
    let destination = super::destination("capacity change-rate", &args.output, &[])?;
    let delta_gb = match (args.delta_gb, args.delta_mb) {
        (Some(gb), _) => gb,
        (None, Some(mb)) => megabytes_to_gigabytes(mb, args.mb_per_gb)?,
        (None, None) => return Err(crate::error::Error::usage("give --delta-gb (Hyper-V) or --delta-mb (vSphere)")),
    };
    let rate = crate::capacity::change_rate::change_rate(delta_gb, args.total_storage_gb)?;
    destination.write(|out| match destination.format {
        Format::Json => report::json(&rate, out),
        _ => {
            writeln!(out, "Daily data change rate (%): {}", rate.change_rate_pct)?;
            writeln!(out, "Value to enter in the planner (truncated to 3 decimals, as the capacity-planning guide's example does): {}", rate.seed_entry_pct)?;
            writeln!(out, "Value the planner workbook uses (below 1 % becomes 0): {}", rate.planner_value_pct)?;
            for note in &rate.notes {
                writeln!(out, "note: {note}")?;
            }
            Ok(())
        }
    })
}

fn quick(args: &QuickArgs) -> Result<()> {
    let inputs = super::run_inputs(&[], &[args.rules.as_ref(), args.templates.as_ref()]);
    let destination = super::destination("capacity quick", &args.output, &inputs)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.rules.as_deref())?)?;
    let constants = &rules.planner;
    let request = Request {
        scenario: args.scenario.map(Into::into),
        vms: args.vms,
        disks_per_vm: args.disks_per_vm,
        disk_size_gb: args.disk_size_gb,
        utilization_pct: args.utilization,
        change_rate_pct: args.change_rate,
        compression_pct: args.planner.compression,
        retention_days: args.planner.retention_days,
        recovery_points: args.planner.recovery_points,
        initial_replication_hours: args.planner.initial_replication_hours,
        batch_size: args.batch_size,
        era: args.era.map(Into::into),
        gb_base: args.planner.gb_base.map(Into::into),
    };
    let inputs = request.resolve(constants)?;
    let plan = QuickPlan::build(inputs, &rules)?;
    match destination.format {
        Format::Xlsx => {
            let tables = PlannerRules { constants, sizing: rules.sizing(plan.inputs.era.value) };
            destination.write_workbook(|out| report::xlsx::capacity::write_quick(&plan, &tables, out))
        }
        Format::Html => destination
            .write_page(&html.page(Parts { capacity: Some(CapacityPart::Quick(&plan)), ..Parts::default() })?),
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&plan, out),
            Format::Csv => report::capacity_table::render_csv(&plan, out),
            _ => report::capacity_table::render(&plan, destination.colour, out),
        }),
    }
}

fn detailed(args: &DetailedArgs) -> Result<()> {
    let inputs = super::run_inputs(&args.servers, &[args.rules.as_ref(), args.templates.as_ref()]);
    let destination = super::destination("capacity detailed", &args.output, &inputs)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.rules.as_deref())?)?;
    let servers: Vec<(PathBuf, String)> = args.servers.iter().map(|p| (p.clone(), p.display().to_string())).collect();
    let request = DetailedRequest {
        scenario: args.scenario.map(Into::into),
        compression_pct: args.planner.compression,
        retention_days: args.planner.retention_days,
        recovery_points: args.planner.recovery_points,
        initial_replication_hours: args.planner.initial_replication_hours,
        batch_size: args.batch_size,
        era: args.era.map(Into::into),
        gb_base: args.planner.gb_base.map(Into::into),
        default_change_rate_pct: args.default_change_rate,
    };
    let plan = detailed_plan(&servers, request, &rules)?;
    match destination.format {
        Format::Xlsx => destination.write_workbook(|out| detailed_workbook(&plan, &rules, out)),
        Format::Html => destination
            .write_page(&html.page(Parts { capacity: Some(CapacityPart::Detailed(&plan)), ..Parts::default() })?),
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&plan, out),
            Format::Csv => report::capacity_detailed::render_csv(&plan, out),
            _ => report::capacity_detailed::render(&plan, destination.colour, out),
        }),
    }
}

/// The Detailed Planner over server inventories, each `(path, name to show)`.
pub(crate) fn detailed_plan(
    servers: &[(PathBuf, String)],
    request: DetailedRequest,
    rules: &Rules,
) -> Result<DetailedPlan> {
    let mut inventories = crate::servers::read_all(servers, &rules.servers)?;
    empty::check(&mut crate::servers::server_inputs(&mut inventories), &[])?;
    DetailedPlan::from_inventories(&inventories, request, rules)
}

/// The capacity-planner workbook of a Detailed plan (its constants and the era's sizing tables from the rules).
pub(crate) fn detailed_workbook(
    plan: &DetailedPlan,
    rules: &Rules,
    out: &mut (dyn Write + Send),
) -> std::io::Result<()> {
    let tables = PlannerRules { constants: &rules.planner, sizing: rules.sizing(plan.inputs.era.value) };
    report::xlsx::capacity::write_detailed(plan, &tables, out)
}
