//! `csp-planner capacity quick` (issue 4): the Site Recovery Capacity Planner's Quick Planner.

use crate::capacity::quick::{PlannerConstants, QuickPlan, Request};

use crate::capacity::change_rate::megabytes_to_gigabytes;
use crate::cli::{CapacityCommand, ChangeRateArgs, QuickArgs};
use crate::error::Result;
use crate::output::{Destination, Format};
use crate::report;
use crate::rules::RulePack;

pub fn run(command: &CapacityCommand) -> Result<()> {
    match command {
        CapacityCommand::Quick(args) => quick(args),
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
    destination.write(|out| match destination.format {
        Format::Json => report::json(&rate, out),
        Format::Csv | Format::Table => {
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
    destination.write(|out| match destination.format {
        Format::Json => report::json(&plan, out),
        Format::Csv => report::capacity_table::render_csv(&plan, out),
        Format::Table => report::capacity_table::render(&plan, destination.colour, out),
    })
}
