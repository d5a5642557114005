//! `csp-planner report [INPUT]... --out-dir DIR`: the main job (issue 7). Detects what each input is and runs
//! what the inputs allow — the assessment and the move plan from resource inventories and usage exports, the
//! cost assessment from usage exports, the Site Recovery capacity plan and the workloads (issue 9, with the side
//! files `--applications`, `--dependencies`, `--overrides`) from server inventories — and writes into DIR:
//! `assessment.xlsx`, `capacity-planner.xlsx` (with servers), `report.json`, `report.html` (issue 8) (every
//! result under its key, in the contracts of the earlier commands) and `runbooks/`. The set is written into a staging
//! folder and swapped in whole (`output::set`): a failed run leaves the previous report as it was; inputs are never
//! touched. With no input: the bundled sample estate, its usage and its servers.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::assess::AssessmentReport;
use crate::capacity::detailed::DetailedPlan;
use crate::cli::{InputArgs, ReportArgs};
use crate::cost::CostReport;
use crate::error::{Error, Result};
use crate::inventory::Tool;
use crate::output::set::{OutputSet, REPORT};
use crate::output::{RunInputs, write_atomically};
use crate::plan::{PlanReport, PlanTarget};
use crate::read::Source;
use crate::read::empty::{self, Yielded};
use crate::report;
use crate::report::html::{CapacityPart, Parts};
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{Origin, RulePack, Rules};
use crate::transfer::TransferReport;
use crate::workloads::WorkloadReport;

/// `report.json`: every result under its key, in the contract of the command that makes it.
#[derive(Serialize)]
struct ReportDocument<'a> {
    schema_version: u32,
    tool: Tool,
    inputs: Vec<ReportInput>,
    rules: Vec<RuleFileUsed>,
    assessment: Option<&'a AssessmentReport>,
    plan: Option<&'a PlanReport>,
    capacity: Option<&'a DetailedPlan>,
    cost: Option<&'a CostReport>,
    /// Reservations, savings plans, Marketplace purchases and purchase rows of the usage exports.
    commitments: &'a [crate::model::Commitment],
    /// `workloads`'s result over the same server inventories and the side files.
    workloads: Option<&'a WorkloadReport>,
    /// `transfer`'s result over the same estate: each subscription's way into the partner's Azure plan.
    transfer: Option<&'a TransferReport>,
}

impl crate::report::Json for ReportDocument<'_> {}

/// One input and what it was read as.
#[derive(Serialize)]
struct ReportInput {
    path: String,
    /// `estate` (resources: JSON, portal CSV), `usage` (usage export: resources and cost), `servers`, or a
    /// workloads side file: `applications`, `dependencies`, `overrides`.
    role: &'static str,
}

#[derive(Serialize)]
struct RuleFileUsed {
    name: String,
    /// `embedded`, or the override file's path.
    origin: String,
}

/// What the inputs are, sorted by what reads them.
#[derive(Default)]
struct Inputs {
    /// Resource inventories and usage exports: the assessment and the plan read them all.
    estate: Vec<Source>,
    /// Usage exports: the cost assessment reads them.
    usage: Vec<Source>,
    /// Server inventories: the capacity planner reads them (path, name to show).
    servers: Vec<(PathBuf, String)>,
    listed: Vec<ReportInput>,
    /// Keeps the bundled server sample's copy alive while it is read.
    _scratch: Option<super::BundledServers>,
}

pub fn run(args: &ReportArgs) -> Result<()> {
    let mut every_input = super::run_inputs(
        &args.inputs,
        &[
            args.terms.price_list.as_ref(),
            args.rules.as_ref(),
            args.templates.as_ref(),
            args.customer.customer.as_ref(),
        ],
    );
    every_input.extend(args.workload_files.given().map(|(_, path)| path.clone()));
    let set = OutputSet::check(&args.out_dir, REPORT, &RunInputs::new(every_input.iter().map(PathBuf::as_path)))?;
    let html = super::HtmlOutput::load(true, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.rules.as_deref())?)?;
    let mut cost_options = super::cost::options(&args.terms)?;
    let customer = super::transfer::customer(&args.customer, args.inputs.is_empty(), &rules)?;
    cost_options.customer_currency = customer.as_ref().and_then(|c| c.currency.clone());
    let mut inputs = classify(args, &rules)?;
    list_workload_files(args, &mut inputs)?;

    // The server inventories are read first and once: whether they yield rows decides whether an estate that
    // yields none is an error or a warning (`read::empty`).
    let mut inventories = crate::servers::read_all(&inputs.servers, &rules.servers)?;
    let server_yields = empty::yields(&crate::servers::server_inputs(&mut inventories));
    let estate = if inputs.estate.is_empty() { None } else { Some(plan(args, &inputs, &rules, &server_yields)?) };
    let estate_yields = estate.as_ref().map(|(_, assessment)| empty::yields(&assessment.inputs)).unwrap_or_default();
    // An estate of inputs that all yielded nothing (warned about) has no assessment to show.
    let estate = estate.filter(|_| estate_yields.iter().any(|y| y.nothing.is_none()));
    let cost = cost(args, &inputs, &estate_yields, &cost_options, &rules)?;
    let (capacity, workloads) = servers(args, &inputs, &mut inventories, &estate_yields, &rules)?;
    let transfer = estate.as_ref().map(|(_, assessment)| {
        let mut transfer = TransferReport::build(&assessment.into(), customer.as_ref(), &rules.transfer);
        if let Some(workloads) = &workloads {
            transfer.add_licences(workloads);
        }
        transfer
    });
    if let Some(transfer) = &transfer {
        super::print_warnings(None, &transfer.warnings, super::Shown::All);
    }

    // Everything is written into the staging folder and swapped in at the end (`output::set`).
    let staging = set.stage()?;
    let results = Results {
        plan: estate.as_ref().map(|(plan, _)| plan),
        assessment: estate.as_ref().map(|(_, assessment)| assessment),
        cost: cost.as_ref(),
        capacity: capacity.as_ref(),
        workloads: workloads.as_ref(),
        transfer: transfer.as_ref(),
    };
    let written = write_files(staging.path(), &html, &rules, inputs.listed, &results)?;
    staging.commit()?;
    print_written(&set, &written);
    // See commands::inventory: nothing to free at exit.
    std::mem::forget((estate, cost, capacity, workloads, transfer));
    Ok(())
}

/// The side files of the workloads (applications, dependencies, overrides) need server inventories; they are
/// listed among the report's inputs.
fn list_workload_files(args: &ReportArgs, inputs: &mut Inputs) -> Result<()> {
    if inputs.servers.is_empty()
        && let Some((option, path)) = args.workload_files.given().next()
    {
        return Err(Error::usage(format!(
            "{option} {}: the workloads need server inventories (RVTools, the planner's table, Azure Migrate CSV) \
             among the inputs, and none of them is one; give one, or no input for the bundled sample",
            path.display()
        )));
    }
    for (option, path) in args.workload_files.given() {
        inputs.listed.push(ReportInput { path: path.display().to_string(), role: option.trim_start_matches('-') });
    }
    Ok(())
}

/// The cost of the usage exports that yielded rows; the others were warned about by the estate's read.
fn cost(
    args: &ReportArgs,
    inputs: &Inputs,
    estate_yields: &[Yielded],
    options: &crate::cost::CostOptions,
    rules: &Rules,
) -> Result<Option<CostReport>> {
    let usage: Vec<Source> = inputs
        .usage
        .iter()
        .filter(|source| estate_yields.iter().any(|y| y.path == source.display && y.nothing.is_none()))
        .cloned()
        .collect();
    if usage.is_empty() {
        return Ok(None);
    }
    let input = super::cost::CostInput {
        sources: usage,
        price_list: args.terms.price_list.as_deref(),
        sheet: args.sheet.as_deref(),
    };
    let cost = super::cost::build(&input, options, rules)?;
    super::print_warnings(None, &cost.warnings, super::Shown::FirstFew { all_in: "warnings" });
    Ok(Some(cost))
}

/// What the report was able to work out from its inputs; each part is there when its inputs were.
struct Results<'a> {
    assessment: Option<&'a AssessmentReport>,
    plan: Option<&'a PlanReport>,
    cost: Option<&'a CostReport>,
    capacity: Option<&'a DetailedPlan>,
    workloads: Option<&'a WorkloadReport>,
    transfer: Option<&'a TransferReport>,
}

/// Writes the report's files into `dir` (the staging folder); what was written, for the summary.
fn write_files(
    dir: &std::path::Path,
    html: &super::HtmlOutput,
    rules: &Rules,
    listed: Vec<ReportInput>,
    results: &Results,
) -> Result<Vec<(&'static str, String)>> {
    let Results { assessment, plan, cost, capacity, workloads, transfer } = *results;
    let mut written = Vec::new();
    if assessment.is_some() || cost.is_some() || workloads.is_some() {
        let book = AssessmentBook { assessment, plan, cost, workloads, transfer };
        write_atomically(&dir.join("assessment.xlsx"), |out| report::xlsx::assessment::write(&book, out))?;
        written.push(("assessment.xlsx", describe_assessment(assessment, plan, cost, workloads)));
    }
    if let Some(capacity) = capacity {
        write_atomically(&dir.join("capacity-planner.xlsx"), |out| {
            super::capacity::detailed_workbook(capacity, rules, out)
        })?;
        written.push(("capacity-planner.xlsx", format!("{} server(s), live formulas", capacity.servers.len())));
    }
    let document = ReportDocument {
        schema_version: 1,
        tool: Tool::current(),
        inputs: listed,
        rules: rules_used(rules),
        assessment,
        plan,
        capacity,
        cost,
        commitments: match (assessment, cost) {
            (Some(assessment), _) => &assessment.commitments,
            (None, Some(cost)) => &cost.commitments,
            (None, None) => &[],
        },
        workloads,
        transfer,
    };
    write_atomically(&dir.join("report.json"), |out| report::json(&document, out))?;
    written
        .push(("report.json", "assessment, plan, capacity, cost, workloads and transfer under their keys".to_string()));
    let parts = Parts {
        assessment,
        plan,
        capacity: capacity.map(CapacityPart::Detailed),
        cost,
        workloads,
        transfer,
        ..Parts::default()
    };
    let page = html.page(parts)?;
    write_atomically(&dir.join("report.html"), |out| out.write_all(page.as_bytes()))?;
    written.push((
        "report.html",
        "summary, resources, move plan, capacity, workloads, cost, transfer and method in one page".to_string(),
    ));
    if let Some(plan) = plan {
        super::plan::write_runbooks(plan, &dir.join("runbooks"))?;
        written.push(("runbooks", format!("move runbooks for {} batch(es)", plan.batches.len())));
    }
    Ok(written)
}

/// The assessment and the plan of the estate inputs; `servers`: what the server inventories yielded.
fn plan(
    args: &ReportArgs,
    inputs: &Inputs,
    rules: &Rules,
    servers: &[Yielded],
) -> Result<(PlanReport, AssessmentReport)> {
    let input =
        InputArgs { inputs: Vec::new(), input_format: None, sheet: args.sheet.clone(), rules: Default::default() };
    let target = PlanTarget::from(&args.target);
    let (plan, mut assessment) = super::plan::build_from(&input, &inputs.estate, rules, target, servers)?;
    super::print_warnings(None, &plan.warnings, super::Shown::All);
    // As `assess` shows it: the properties were read for the rules and the graph only.
    assessment.drop_properties();
    Ok((plan, assessment))
}

/// The capacity plan and the workloads of the server inventories read: the Detailed Planner's default request
/// in the era, which is also what the workloads are judged with. None when there are no inventories, or when
/// none has a server (each warned about; `estate`: what the estate inputs yielded).
fn servers(
    args: &ReportArgs,
    inputs: &Inputs,
    inventories: &mut [(String, crate::servers::ServerInventory)],
    estate: &[Yielded],
    rules: &Rules,
) -> Result<(Option<DetailedPlan>, Option<WorkloadReport>)> {
    if inventories.is_empty() {
        return Ok((None, None));
    }
    empty::check(&mut crate::servers::server_inputs(inventories), estate)?;
    if inventories.iter().all(|(_, inventory)| inventory.servers.is_empty()) {
        for (path, inventory) in inventories.iter() {
            for warning in crate::capacity::detailed::reader_warnings(path, inventory) {
                eprintln!("warning: {}: {}", warning.location, warning.message);
            }
        }
        return Ok((None, None));
    }
    let plan = DetailedPlan::from_inventories(
        inventories,
        crate::workloads::planner_request(args.era.map(Into::into)),
        rules,
    )?;
    let input = super::workloads::input(inputs.servers.clone(), &args.workload_files, args.era.map(Into::into));
    let result = crate::workloads::assess_planned(inventories, &plan, &input, rules)?;
    super::print_warnings(None, &result.warnings, super::Shown::All);
    Ok((Some(plan), Some(result)))
}

/// Each input sorted by what it is: a usage export (read by the estate and the cost), a resource inventory, or
/// a server inventory (RVTools, the planner's table, Azure Migrate CSV).
fn classify(args: &ReportArgs, rules: &Rules) -> Result<Inputs> {
    if args.inputs.is_empty() {
        return bundled_sample();
    }
    let (server_rules, read_rules) = (&rules.servers, &rules.read);
    let mut inputs = Inputs::default();
    for path in &args.inputs {
        let display = path.display().to_string();
        // The resource readers' header detection first: it reads a few rows, where the server readers' detection
        // loads a CSV whole (a usage export can be gigabytes). What it does not recognise may be servers.
        let kind = crate::read::table_kind(&Source::path(path), read_rules, args.sheet.as_deref());
        let role = match kind {
            Ok(Some(reader)) if reader == "usage" => {
                inputs.usage.push(Source::path(path));
                inputs.estate.push(Source::path(path));
                "usage"
            }
            Ok(_) => {
                inputs.estate.push(Source::path(path));
                "estate"
            }
            Err(_) if crate::servers::detect::detect(path, server_rules).is_ok() => {
                inputs.servers.push((path.clone(), display.clone()));
                "servers"
            }
            // Neither: the resource readers' error names the file and what was expected.
            Err(error) => return Err(error),
        };
        inputs.listed.push(ReportInput { path: display, role });
    }
    Ok(inputs)
}

/// The bundled sample: its estate and usage (as `plan` and `cost` read them with no input) and its servers,
/// copied to a scratch folder because the workbook readers read files.
fn bundled_sample() -> Result<Inputs> {
    let estate = crate::sample::resource_sources();
    let usage = crate::sample::usage_sources();
    let bundled = super::bundled_servers()?;
    let servers_name = bundled.name.clone();
    let mut listed: Vec<ReportInput> = estate
        .iter()
        .map(|s| ReportInput {
            path: s.display.clone(),
            role: if usage.iter().any(|u| u.display == s.display) { "usage" } else { "estate" },
        })
        .collect();
    listed.push(ReportInput { path: servers_name.clone(), role: "servers" });
    Ok(Inputs { estate, usage, servers: vec![(bundled.path.clone(), servers_name)], listed, _scratch: Some(bundled) })
}

fn rules_used(rules: &Rules) -> Vec<RuleFileUsed> {
    rules
        .files()
        .map(|f| RuleFileUsed {
            name: f.name.clone(),
            origin: match &f.origin {
                Origin::Embedded => "embedded".to_string(),
                Origin::Override(path) => path.display().to_string(),
            },
        })
        .collect()
}

fn describe_assessment(
    assessment: Option<&AssessmentReport>,
    plan: Option<&PlanReport>,
    cost: Option<&CostReport>,
    workloads: Option<&WorkloadReport>,
) -> String {
    let mut parts = Vec::new();
    if let Some(a) = assessment {
        parts.push(format!(
            "{} resource(s): {} NO ISSUES, {} MODIFY, {} BLOCKED",
            a.summary.resources, a.summary.no_issues, a.summary.modify, a.summary.blocked
        ));
    }
    if let Some(p) = plan {
        parts.push(format!(
            "{} batch(es): {} ready, {} needs-remediation, {} blocked",
            p.summary.batches, p.summary.ready, p.summary.needs_remediation, p.summary.blocked
        ));
    }
    if let Some(c) = cost {
        parts.push(format!("{} cost row(s)", c.rows.len()));
    }
    if let Some(w) = workloads {
        let s = &w.summary;
        parts.push(format!(
            "{} application(s): {} GREEN, {} YELLOW, {} RED, {} need review",
            s.applications, s.green, s.yellow, s.red, s.needs_review
        ));
    }
    parts.join("; ")
}

fn print_written(set: &OutputSet, written: &[(&str, String)]) {
    let mut stdout = std::io::stdout().lock();
    for (name, what) in written {
        let _ = writeln!(stdout, "wrote {}: {what}", set.shown(name).display());
    }
}
