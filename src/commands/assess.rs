//! `csp-planner assess [INPUT]...`

use crate::assess::AssessmentReport;
use crate::cli::{EstateArgs, FormatArg, TemplatesArg};
use crate::error::Result;
use crate::output::Format;
use crate::report;
use crate::report::html::Parts;
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{RulePack, Rules};

pub fn run(args: &EstateArgs<FormatArg, TemplatesArg>) -> Result<()> {
    let inputs = super::run_inputs(&args.input.inputs, &[args.input.rules.as_ref(), args.templates.as_ref()]);
    let destination = super::destination("assess", &args.output, &inputs)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let pack = RulePack::load(args.input.rules.as_deref())?;
    // Rules first: a broken rule file is reported before a long read.
    let rules = Rules::load(&pack)?;
    // The conditions read a few paths of `properties`; the rest is kept only when the output shows it.
    let keep = (!args.with_properties).then(|| rules.assess.property_paths());
    let inventory = super::inventory::read(&args.input, &rules, keep.as_ref())?;
    // Classify with the properties (conditions read them), then drop them from the output.
    let mut assessment = AssessmentReport::build(inventory, &rules.assess);
    if !args.with_properties {
        assessment.drop_properties();
    }
    let written = match destination.format {
        Format::Xlsx => destination.write_workbook(|out| {
            let book = AssessmentBook {
                assessment: Some(&assessment),
                plan: None,
                cost: None,
                workloads: None,
                transfer: None,
            };
            report::xlsx::assessment::write(&book, out)
        }),
        Format::Html => {
            destination.write_page(&html.page(Parts { assessment: Some(&assessment), ..Parts::default() })?)
        }
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&assessment, out),
            Format::Csv => report::assess_csv::render(&assessment, out),
            _ => report::assess_table::render(&assessment, destination.colour, out),
        }),
    };
    // See commands::inventory: nothing to free at exit.
    std::mem::forget(assessment);
    written
}
