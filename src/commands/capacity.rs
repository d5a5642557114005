//! `csp-planner capacity quick` (issue 4): the Site Recovery Capacity Planner's Quick Planner.

use crate::capacity::quick::{PlannerConstants, QuickPlan, Request};
use crate::cli::{CapacityCommand, QuickArgs};
use crate::error::Result;
use crate::output::{Destination, Format};
use crate::report;
use crate::rules::RulePack;

pub fn run(command: &CapacityCommand) -> Result<()> {
    match command {
        CapacityCommand::Quick(args) => quick(args),
    }
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
