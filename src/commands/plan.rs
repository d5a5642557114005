//! `csp-planner plan [INPUT]... [--target-subscription ID] [--target-resource-group NAME] [--scripts DIR]`

use std::path::Path;

use crate::assess::AssessmentReport;
use crate::cli::{InputArgs, PlanArgs};
use crate::error::{Error, Result};
use crate::output::set::{OutputSet, RUNBOOKS};
use crate::output::{Destination, PlanFormat, RunInputs, comparable, write_atomically};
use crate::plan::{PlanReport, PlanTarget, Runbook};
use crate::report;
use crate::report::html::Parts;
use crate::report::runbook::{bash::Bash, powershell::PowerShell};
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{RulePack, Rules};

pub fn run(args: &PlanArgs) -> Result<()> {
    let inputs = super::run_inputs(&args.input.inputs, &[args.input.rules.as_ref(), args.templates.as_ref()]);
    let destination = Destination::<PlanFormat>::resolve(args.format.map(Into::into), args.output.as_deref(), &inputs)?;
    let scripts = match &args.scripts {
        Some(dir) => Some(scripts_folder(dir, args.output.as_deref(), &inputs)?),
        None => None,
    };
    let html = super::HtmlOutput::load(destination.format == PlanFormat::Html, args.templates.as_deref())?;
    // Rules first: a broken rule file is reported before a long read.
    let rules = Rules::load(&RulePack::load(args.input.rules.as_deref())?)?;
    let target = PlanTarget::from(&args.target);
    let (plan, assessment) = build(&args.input, &rules, target)?;
    super::print_warnings(None, &plan.warnings, super::Shown::All);
    if let Some(scripts) = &scripts {
        write_scripts(&plan, scripts)?;
    }
    let written = match destination.format {
        PlanFormat::Xlsx => destination.write_workbook(|out| {
            let book = AssessmentBook {
                assessment: Some(&assessment),
                plan: Some(&plan),
                cost: None,
                workloads: None,
                transfer: None,
            };
            report::xlsx::assessment::write(&book, out)
        }),
        PlanFormat::Html => {
            let parts = Parts { assessment: Some(&assessment), plan: Some(&plan), ..Parts::default() };
            destination.write_page(&html.page(parts)?)
        }
        _ => destination.write(|out| match destination.format {
            PlanFormat::Json => report::json(&plan, out),
            PlanFormat::Dot => report::plan_graph::render_dot(&plan, out),
            PlanFormat::Mermaid => report::plan_graph::render_mermaid(&plan, out),
            _ => report::plan_table::render(&plan, destination.colour, out),
        }),
    };
    // See commands::inventory: nothing to free at exit.
    std::mem::forget((plan, assessment));
    written
}

/// Reads and assesses the inputs (or the bundled sample) and plans them; the assessment comes back whole.
pub(crate) fn build(input: &InputArgs, rules: &Rules, target: PlanTarget) -> Result<(PlanReport, AssessmentReport)> {
    build_from(input, &super::sources(input), rules, target, &[])
}

/// [`build`] over the given sources (`input` gives the reading options); `others`: what the command's other
/// inputs yielded (see `commands::inventory::read_sources`).
pub(crate) fn build_from(
    input: &InputArgs,
    sources: &[crate::read::Source],
    all: &Rules,
    target: PlanTarget,
    others: &[crate::read::empty::Yielded],
) -> Result<(PlanReport, AssessmentReport)> {
    let (rules, dependencies) = (&all.assess, &all.dependencies);
    // The rules and the plan read a few paths of `properties`; only those are kept.
    let keep = crate::plan::property_paths(rules, dependencies);
    let inventory = super::inventory::read_sources(sources, input, all, Some(&keep), others)?;
    // Classify with the properties (conditions read them); the graph reads them too.
    let assessment = AssessmentReport::build(inventory, rules);
    Ok(PlanReport::build_keeping(assessment, dependencies, target))
}

/// `--scripts DIR`, checked before any work (`output::set`); `-o FILE` may not be inside it (the folder is
/// replaced whole).
fn scripts_folder(dir: &Path, output: Option<&Path>, inputs: &[std::path::PathBuf]) -> Result<OutputSet> {
    let set = OutputSet::check(dir, RUNBOOKS, &RunInputs::new(inputs.iter().map(|p| p.as_path())))?;
    if let Some(output) = output
        && comparable(output).starts_with(comparable(dir))
    {
        return Err(Error::usage(format!(
            "-o {} is inside --scripts {}, which is replaced whole by the runbooks: give a path outside it",
            output.display(),
            dir.display()
        )));
    }
    Ok(set)
}

/// The runbooks into `--scripts DIR`, all or nothing: staged beside it, then swapped in.
fn write_scripts(plan: &PlanReport, set: &OutputSet) -> Result<()> {
    let staging = set.stage()?;
    write_runbooks(plan, staging.path())?;
    staging.commit()
}

/// `DIR/<subscription>/runbook.sh`, `DIR/<subscription>/runbook.ps1` and `DIR/README.md` into a folder of a
/// staged set.
pub(crate) fn write_runbooks(plan: &PlanReport, dir: &Path) -> Result<()> {
    let runbooks = Runbook::all(plan);
    let create = |path: &Path| {
        std::fs::create_dir_all(path).map_err(|source| Error::Output { path: path.display().to_string(), source })
    };
    create(dir)?;
    for runbook in &runbooks {
        let folder = dir.join(runbook.folder());
        create(&folder)?;
        for shell in [&Bash as &dyn report::runbook::Shell, &PowerShell] {
            write_atomically(&folder.join(shell.file_name()), |out| {
                report::runbook::render(runbook, &plan.tool, shell, out)
            })?;
        }
    }
    write_atomically(&dir.join("README.md"), |out| report::runbook::readme::render(plan, &runbooks, out))
}
