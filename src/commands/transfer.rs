//! `csp-planner transfer [INPUT]... [--customer FILE]`

use std::path::Path;

use crate::cli::{CustomerArg, TransferArgs};
use crate::error::Result;
use crate::model::transfer::CustomerFacts;
use crate::output::Format;
use crate::report;
use crate::report::html::Parts;
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{RulePack, Rules};
use crate::transfer::TransferReport;

pub fn run(args: &TransferArgs) -> Result<()> {
    let inputs = super::run_inputs(&args.input.inputs, &[args.input.rules.as_ref(), args.customer.customer.as_ref()]);
    let destination = super::destination("transfer", &args.output, &inputs)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.input.rules.as_deref())?)?;
    let customer = customer(&args.customer, args.input.inputs.is_empty(), &rules)?;
    let inventory = super::inventory::read(&args.input, &rules, None)?;
    let transfer = TransferReport::build(&(&inventory).into(), customer.as_ref(), &rules.transfer);
    super::print_warnings(None, &transfer.warnings, super::Shown::All);
    match destination.format {
        Format::Xlsx => destination.write_workbook(|out| {
            let book =
                AssessmentBook { assessment: None, plan: None, cost: None, workloads: None, transfer: Some(&transfer) };
            report::xlsx::assessment::write(&book, out)
        }),
        Format::Html => destination.write_page(&html.page(Parts { transfer: Some(&transfer), ..Parts::default() })?),
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&transfer, out),
            Format::Csv => report::transfer::csv(&transfer, out),
            _ => report::transfer::table(&transfer, out),
        }),
    }
}

/// The customer file given, else the bundled sample's when the command reads the bundled sample, else none.
pub(crate) fn customer(arg: &CustomerArg, bundled: bool, rules: &Rules) -> Result<Option<CustomerFacts>> {
    match &arg.customer {
        Some(path) => Ok(Some(crate::read::customer::read(path, &path.display().to_string(), &rules.transfer)?)),
        None if bundled => Ok(Some(crate::read::customer::parse(
            crate::sample::CUSTOMER,
            Path::new(crate::sample::CUSTOMER_NAME),
            crate::sample::CUSTOMER_NAME,
            &rules.transfer,
        )?)),
        None => Ok(None),
    }
}
