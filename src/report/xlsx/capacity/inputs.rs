//! The INPUTS block of each planner (seed 002 L13509-L13527): yellow input cells with data validation, in
//! the seed's order and with its labels.

use std::io;

use rust_decimal::Decimal;

use super::outputs::{Totals, data};
use super::planner::{Line, Typed, above_zero, at_least_zero, list, percent, whole};
use crate::capacity::detailed::Inputs as DetailedInputs;
use crate::capacity::quick::{GbBase, Input, Inputs as QuickInputs, PlannerConstants, RULE_FILE, Scenario};
use crate::capacity::sizing::Era;

/// The environment inputs both planners have (seed L13452-L13462).
pub struct Environment<'a> {
    pub scenario: &'a Input<Scenario>,
    pub compression_pct: &'a Input<Decimal>,
    pub retention_days: Option<&'a Input<Decimal>>,
    pub recovery_points: Option<&'a Input<u32>>,
    pub initial_replication_hours: &'a Input<Decimal>,
    pub batch_size: &'a Input<u32>,
    pub era: &'a Input<Era>,
    pub gb_base: &'a Input<GbBase>,
}

macro_rules! environment_of {
    ($inputs:expr) => {
        Environment {
            scenario: &$inputs.scenario,
            compression_pct: &$inputs.compression_pct,
            retention_days: $inputs.retention_days.as_ref(),
            recovery_points: $inputs.recovery_points.as_ref(),
            initial_replication_hours: &$inputs.initial_replication_hours,
            batch_size: &$inputs.batch_size,
            era: &$inputs.era,
            gb_base: &$inputs.gb_base,
        }
    };
}

impl<'a> Environment<'a> {
    pub fn quick(inputs: &'a QuickInputs) -> Self {
        environment_of!(inputs)
    }

    pub fn detailed(inputs: &'a DetailedInputs) -> Self {
        environment_of!(inputs)
    }
}

/// Whether the value was given or defaulted, and the default's source.
fn given<T>(input: &Input<T>, meaning: &str) -> String {
    match (&input.source, input.defaulted) {
        (Some(source), true) => format!("{meaning} Default: {source}."),
        _ => format!("{meaning} Given on the command line."),
    }
}

fn number(value: impl Into<Decimal>) -> Typed {
    Typed::Number(value.into())
}

fn scenario(env: &Environment) -> io::Result<Line> {
    Ok(Line::Input {
        label: "Select your scenario",
        name: "scenario",
        value: Typed::Text(env.scenario.value.as_str().to_string()),
        rule: list(&["vmware", "physical", "hyperv"])?,
        note: given(
            env.scenario,
            "vmware or physical: \"VMware/Physical to Azure\"; hyperv: \"Hyper-V to Azure\" (the Quick Planner's \"Select your scenario\").",
        ),
    })
}

fn compression(env: &Environment) -> Line {
    Line::Input {
        label: "Compression",
        name: "compression_pct",
        value: number(env.compression_pct.value),
        rule: percent(),
        note: given(env.compression_pct, "WAN compression in %."),
    }
}

/// Retention: days (VMware/physical) and recovery points (Hyper-V) both have a cell, so that changing the
/// scenario works; the one the scenario does not use holds its rules-file default.
fn retention(env: &Environment, c: &PlannerConstants) -> Vec<Line> {
    let days = env.retention_days.map_or(c.value("default_retention_days"), |i| i.value);
    let points = env.recovery_points.map_or(c.value("default_recovery_points"), |i| Decimal::from(i.value));
    let note = |input: Option<String>, name: &str, meaning: &str| {
        input.unwrap_or_else(|| format!("{meaning} Not used by this run's scenario: rules/{RULE_FILE} `{name}`."))
    };
    vec![
        Line::Heading("Retention Inputs"),
        Line::Input {
            label: "Retention in days",
            name: "retention_days",
            value: number(days),
            rule: at_least_zero(),
            note: note(
                env.retention_days.map(|i| given(i, "VMware/physical.")),
                "default_retention_days",
                "VMware/physical.",
            ),
        },
        Line::Input {
            label: "Number of recovery points",
            name: "recovery_points",
            value: number(points),
            rule: whole(0),
            note: note(
                env.recovery_points.map(|i| given(i, "Hyper-V; each counts as hours_per_recovery_point.")),
                "default_recovery_points",
                "Hyper-V; each counts as hours_per_recovery_point.",
            ),
        },
    ]
}

fn initial_replication(env: &Environment) -> Vec<Line> {
    vec![
        Line::Heading("Initial Replication Inputs"),
        Line::Input {
            label: "Number of hours in which initial replication for the batch of virtual machines should complete",
            name: "initial_replication_hours",
            value: number(env.initial_replication_hours.value),
            rule: above_zero(),
            note: given(env.initial_replication_hours, "Hours."),
        },
        Line::Input {
            label: "Number of virtual machines per initial replication batch",
            name: "batch_size",
            value: number(env.batch_size.value),
            rule: whole(1),
            note: given(env.batch_size, "VMs."),
        },
    ]
}

fn era(env: &Environment) -> Line {
    Line::Fixed {
        label: "Server sizing tables (--era)",
        name: None,
        value: Typed::Text(env.era.value.as_str().to_string()),
        note: "The Sizing sheet holds this era's tables; re-run csp-planner with --era to use the other.".to_string(),
    }
}

fn quick_averages(i: &QuickInputs) -> [Line; 4] {
    let count = |label, name, value: u32, meaning: &str, input: &Input<u32>| Line::Input {
        label,
        name,
        value: number(value),
        rule: whole(1),
        note: given(input, meaning),
    };
    [
        count("Total number of virtual machines", "vms", i.vms.value, "Servers, physical or VM.", &i.vms),
        count(
            "Average number of VHDs per virtual machine",
            "disks_per_vm",
            i.disks_per_vm.value,
            "Disks per VM, on average.",
            &i.disks_per_vm,
        ),
        Line::Input {
            label: "Average size of VHD (in GBs)",
            name: "disk_size_gb",
            value: number(i.disk_size_gb.value),
            rule: above_zero(),
            note: given(&i.disk_size_gb, "In GB, on average."),
        },
        Line::Input {
            label: "Average utilization per disk (%)",
            name: "utilization_pct",
            value: number(i.utilization_pct.value),
            rule: percent(),
            note: given(&i.utilization_pct, "In %."),
        },
    ]
}

/// The Quick Planner's INPUTS block, with F1-F3 where the seed shows them.
pub fn quick(i: &QuickInputs, totals: &Totals, c: &PlannerConstants) -> io::Result<Vec<Line>> {
    let env = Environment::quick(i);
    let [total, changed, transferred] = data(totals);
    let mut lines = vec![
        Line::Heading("INPUTS"),
        Line::Fixed {
            label: "Infra Inputs source",
            name: None,
            value: Typed::Text("Manual".into()),
            note: String::new(),
        },
        scenario(&env)?,
    ];
    lines.extend(quick_averages(i));
    lines.extend([total, Line::Heading("Churn Inputs")]);
    lines.push(Line::Input {
        label: "Average daily data change rate (%)",
        name: "change_rate_pct",
        value: number(i.change_rate_pct.value),
        rule: percent(),
        note: given(&i.change_rate_pct, "In %."),
    });
    lines.extend([changed, compression(&env), transferred]);
    lines.extend(retention(&env, c));
    lines.extend(initial_replication(&env));
    lines.extend([Line::Heading("csp-planner settings"), era(&env)]);
    lines.push(Line::Input {
        label: "MB per GB (--gb-base)",
        name: "gb_base",
        value: number(env.gb_base.value.value()),
        rule: list(&["1024", "1000"])?,
        note: given(env.gb_base, "1024 or 1000 (csp-planner's own choice: the planner's conversion is not published)."),
    });
    Ok(lines)
}

/// The Detailed Planner's INPUTS block: the environment inputs; the servers are on the Workload
/// Qualification sheet.
pub fn detailed(i: &DetailedInputs, c: &PlannerConstants) -> io::Result<Vec<Line>> {
    let env = Environment::detailed(i);
    let files: Vec<&str> = i.files.iter().map(|f| f.path.as_str()).collect();
    let mut lines = vec![
        Line::Heading("INPUTS"),
        Line::Fixed {
            label: "Infra Inputs source",
            name: None,
            value: Typed::Text("Server inventory".into()),
            note: files.join(", "),
        },
        scenario(&env)?,
        Line::Heading("Churn Inputs"),
        compression(&env),
    ];
    lines.extend(retention(&env, c));
    lines.extend(initial_replication(&env));
    lines.extend([Line::Heading("csp-planner settings"), era(&env)]);
    lines.push(Line::Fixed {
        label: "MB per GB (--gb-base)",
        name: Some("gb_base"),
        value: number(env.gb_base.value.value()),
        note: "Fixed here: the per-server IOPS of the Workload Qualification sheet were computed with it; re-run csp-planner with --gb-base.".into(),
    });
    lines.push(Line::Fixed {
        label: "Daily data change rate for servers without one (--default-change-rate)",
        name: None,
        value: number(i.default_change_rate_pct.value),
        note: "Used for the Workload Qualification rows marked \"Change rate defaulted?\" (values).".into(),
    });
    Ok(lines)
}
