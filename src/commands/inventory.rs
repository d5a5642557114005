//! `csp-planner inventory [INPUT]...`

use crate::cli::{EstateArgs, InputArgs, InventoryFormatArg, NoHtml};
use crate::error::Result;
use crate::inventory::InventoryReport;
use crate::output::Format;
use crate::read::empty::{self, Yielded};
use crate::read::{ReadOptions, Source};
use crate::report;
use crate::rules::path_set::PathSet;
use crate::rules::{RulePack, Rules};

pub fn run(args: &EstateArgs<InventoryFormatArg, NoHtml>) -> Result<()> {
    let inputs = super::run_inputs(&args.input.inputs, &[args.input.rules.as_ref()]);
    let destination = super::destination("inventory", &args.output, &inputs)?;
    let rules = Rules::load(&RulePack::load(args.input.rules.as_deref())?)?;
    let mut inventory = read(&args.input, &rules, None)?;
    if !args.with_properties {
        inventory.drop_properties();
    }
    let written = destination.write(|out| match destination.format {
        Format::Json => report::json(&inventory, out),
        Format::Csv => report::inventory_csv::render(&inventory, out),
        Format::Table | Format::Xlsx | Format::Html => {
            report::inventory_table::render(&inventory, destination.colour, out)
        }
    });
    // The process ends right after this; freeing a million-row inventory piece by piece would only
    // add time (the same reason rustc leaks its arenas at exit).
    std::mem::forget(inventory);
    written
}

/// Reads the inputs (or the bundled sample) into an inventory and prints its read warnings.
/// `keep_properties`: the paths of `properties` to keep (see [`ReadOptions::keep_properties`]).
pub(crate) fn read(args: &InputArgs, rules: &Rules, keep_properties: Option<&PathSet>) -> Result<InventoryReport> {
    read_sources(&super::sources(args), args, rules, keep_properties, &[])
}

/// [`read`] over the given sources (`args` gives the reading options). Inputs that yield nothing are warnings,
/// or the error when neither they nor `others` (the command's inputs read elsewhere) yield a row
/// ([`empty::check`]).
pub(crate) fn read_sources(
    sources: &[Source],
    args: &InputArgs,
    rules: &Rules,
    keep_properties: Option<&PathSet>,
    others: &[Yielded],
) -> Result<InventoryReport> {
    let options = ReadOptions {
        rules: &rules.read,
        forced: args.input_format.map(Into::into),
        sheet: args.sheet.as_deref(),
        progress: crate::progress::wanted(),
        keep_properties,
    };
    let mut inventory = InventoryReport::read(sources, &options)?;
    empty::check(&mut inventory.inputs, others)?;
    for input in &inventory.inputs {
        super::print_warnings(
            Some(&input.path),
            &input.warnings,
            super::Shown::FirstFew { all_in: "inputs[].warnings" },
        );
    }
    Ok(inventory)
}
