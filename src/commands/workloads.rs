//! `csp-planner workloads [SERVERS]...` (issue 9): servers and applications green / yellow / red, with reasons,
//! groups and overrides, as a table, JSON, CSV, a workbook (`-o x.xlsx`: Summary, Workloads, Workload Servers) or
//! report.html's Workloads part (`-o x.html`). With no input: the bundled sample's servers.

use crate::capacity::detailed::DetailedPlan;
use crate::cli::WorkloadsArgs;
use crate::error::Result;
use crate::output::Format;
use crate::read::empty;
use crate::report;
use crate::report::html::Parts;
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{RulePack, Rules};
use crate::workloads::WorkloadInput;

pub fn run(args: &WorkloadsArgs) -> Result<()> {
    let mut inputs: Vec<std::path::PathBuf> = args.servers.clone();
    inputs.extend(args.files.given().map(|(_, path)| path.clone()));
    inputs.extend(super::run_inputs(&[], &[args.rules.as_ref(), args.templates.as_ref()]));
    let destination = super::destination("workloads", &args.output, &inputs)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.rules.as_deref())?)?;
    let bundled = if args.servers.is_empty() { Some(super::bundled_servers()?) } else { None };
    let servers = match &bundled {
        Some(sample) => vec![(sample.path.clone(), sample.name.clone())],
        None => args.servers.iter().map(|p| (p.clone(), p.display().to_string())).collect(),
    };
    let input = input(servers, &args.files, args.era.map(Into::into));
    let mut inventories = crate::servers::read_all(&input.servers, &rules.servers)?;
    empty::check(&mut crate::servers::server_inputs(&mut inventories), &[])?;
    let plan = DetailedPlan::from_inventories(
        &inventories,
        crate::workloads::planner_request(args.era.map(Into::into)),
        &rules,
    )?;
    let result = crate::workloads::assess_planned(&inventories, &plan, &input, &rules)?;
    super::print_warnings(None, &result.warnings, super::Shown::All);
    match destination.format {
        Format::Xlsx => {
            let book =
                AssessmentBook { assessment: None, plan: None, cost: None, workloads: Some(&result), transfer: None };
            destination.write_workbook(|out| report::xlsx::assessment::write(&book, out))
        }
        Format::Html => destination.write_page(&html.page(Parts { workloads: Some(&result), ..Parts::default() })?),
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&result, out),
            Format::Csv => report::workloads_table::render_csv(&result, out),
            _ => report::workloads_table::render(&result, destination.colour, out),
        }),
    }
}

/// What `workloads::assess` reads: the server inventories `(path, name to show)` and the side files.
pub(crate) fn input(
    servers: Vec<(std::path::PathBuf, String)>,
    files: &crate::cli::WorkloadFileArgs,
    era: Option<crate::capacity::sizing::Era>,
) -> WorkloadInput {
    WorkloadInput {
        servers,
        applications: files.applications.clone(),
        dependencies: files.dependencies.clone(),
        overrides: files.overrides.clone(),
        era,
    }
}
