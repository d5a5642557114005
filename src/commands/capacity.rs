//! `csp-planner capacity quick | detailed | change-rate` (issue 4): the Site Recovery Capacity Planner's Quick and
//! Detailed Planners and its change-rate procedure.

use crate::capacity::quick::{PlannerConstants, QuickPlan, Request};

use crate::capacity::change_rate::megabytes_to_gigabytes;
use crate::capacity::sizing::SizingTables;
use crate::cli::{CapacityCommand, ChangeRateArgs, DetailedArgs, QuickArgs};
use crate::error::Result;
use crate::output::{Destination, Format};
use crate::report;
use crate::report::xlsx::capacity::PlannerRules;
use crate::rules::RulePack;

pub fn run(command: &CapacityCommand) -> Result<()> {
    match command {
        CapacityCommand::Quick(args) => quick(args),
        CapacityCommand::Detailed(args) => detailed(args),
        CapacityCommand::ChangeRate(args) => change_rate(args),
    }
}

fn change_rate(args: &ChangeRateArgs) -> Result<()> {
    let destination = Destination::resolve(args.output.format, args.output.output.as_deref(), &[])?;
    let delta_gb = match (args.delta_gb, args.delta_mb) {
        (Some(gb), _) => gb,
        (None, Some(mb)) => megabytes_to_gigabytes(mb, args.mb_per_gb)?,
        (None, None) => return Err(crate::error::Error::usage("give --delta-gb (Hyper-V) or --delta-mb (vSphere)")),
    };
    let rate = crate::capacity::change_rate::change_rate(delta_gb, args.total_storage_gb)?;
    if destination.format == Format::Xlsx {
        return Err(destination.unsupported("capacity change-rate", "a table, JSON or CSV"));
    }
    destination.write(|out| match destination.format {
        Format::Json => report::json(&rate, out),
        _ => {
            writeln!(out, "Daily data change rate (%): {}", rate.change_rate_pct)?;
            writeln!(out, "Value the seed enters (truncated to 3 decimals): {}", rate.seed_entry_pct)?;
            writeln!(out, "Value the planner workbook uses (below 1 % becomes 0): {}", rate.planner_value_pct)?;
            for note in &rate.notes {
                writeln!(out, "note: {note}")?;
            }
            Ok(())
        }
    })
}

fn quick(args: &QuickArgs) -> Result<()> {
    let destination = Destination::resolve(args.output.format, args.output.output.as_deref(), &[])?;
    let pack = RulePack::load(args.rules.as_deref())?;
    let constants = PlannerConstants::from_pack(&pack)?;
    let request = Request {
        scenario: args.scenario,
        vms: args.vms,
        disks_per_vm: args.disks_per_vm,
        disk_size_gb: args.disk_size_gb,
        utilization_pct: args.utilization,
        change_rate_pct: args.change_rate,
        compression_pct: args.compression,
        retention_days: args.retention_days,
        recovery_points: args.recovery_points,
        initial_replication_hours: args.initial_replication_hours,
        batch_size: args.batch_size,
        era: args.era,
        gb_base: args.gb_base,
    };
    let inputs = request.resolve(&constants)?;
    let plan = QuickPlan::build(inputs, &constants, &pack)?;
    match destination.format {
        Format::Xlsx => {
            let sizing = SizingTables::from_pack(&pack, plan.inputs.era.value)?;
            let rules = PlannerRules { constants: &constants, sizing: &sizing };
            destination.write_workbook(|out| report::xlsx::capacity::write_quick(&plan, &rules, out))
        }
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&plan, out),
            Format::Csv => report::capacity_table::render_csv(&plan, out),
            _ => report::capacity_table::render(&plan, destination.colour, out),
        }),
    }
}

fn detailed(args: &DetailedArgs) -> Result<()> {
    use crate::capacity::detailed::{DetailedPlan, InputFile, Request as DetailedRequest};

    let destination = Destination::resolve(args.output.format, args.output.output.as_deref(), &args.servers)?;
    let pack = RulePack::load(args.rules.as_deref())?;
    let constants = PlannerConstants::from_pack(&pack)?;
    let rules = crate::servers::ServerRules::from_pack(&pack)?;
    let mut inventories = Vec::new();
    for path in &args.servers {
        let inventory = crate::servers::read_with(path, &rules)?;
        inventories.push((path.display().to_string(), inventory));
    }
    let files = inventories
        .iter()
        .map(|(path, inventory)| InputFile {
            path: path.clone(),
            format: inventory.format.clone(),
            servers: inventory.servers.len(),
        })
        .collect();
    let request = DetailedRequest {
        scenario: args.scenario,
        compression_pct: args.compression,
        retention_days: args.retention_days,
        recovery_points: args.recovery_points,
        initial_replication_hours: args.initial_replication_hours,
        batch_size: args.batch_size,
        era: args.era,
        gb_base: args.gb_base,
        default_change_rate_pct: args.default_change_rate,
    };
    let inputs = request.resolve(&constants, files)?;
    let plan = DetailedPlan::build(inventories, inputs, &constants, &pack)?;
    match destination.format {
        Format::Xlsx => {
            let sizing = SizingTables::from_pack(&pack, plan.inputs.era.value)?;
            let rules = PlannerRules { constants: &constants, sizing: &sizing };
            destination.write_workbook(|out| report::xlsx::capacity::write_detailed(&plan, &rules, out))
        }
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&plan, out),
            Format::Csv => report::capacity_detailed::render_csv(&plan, out),
            _ => report::capacity_detailed::render(&plan, destination.colour, out),
        }),
    }
}
