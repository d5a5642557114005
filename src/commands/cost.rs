//! `csp-planner cost [USAGE]... [--price-list FILE] [--discount PCT] [--markup PCT] [--currency CODE]
//! [--period-days N]`

use std::path::Path;

use rust_decimal::Decimal;

use crate::cli::{CostArgs, CostTermsArgs};
use crate::cost::prices::PriceBook;
use crate::cost::{CostOptions, CostReport, CostRules, CostUsage, Costing};
use crate::error::{Error, InputError, Result};
use crate::output::Format;
use crate::read::{InputSummary, ReadOptions, Source, read_table_input};
use crate::report;
use crate::report::html::Parts;
use crate::report::xlsx::assessment::AssessmentBook;
use crate::rules::{RulePack, Rules};

pub fn run(args: &CostArgs) -> Result<()> {
    let destination = super::destination("cost", &args.output, &inputs(args))?;
    let mut options = options(&args.terms)?;
    let html = super::HtmlOutput::load(destination.format == Format::Html, args.templates.as_deref())?;
    let rules = Rules::load(&RulePack::load(args.rules.as_deref())?)?;
    let customer = super::transfer::customer(&args.customer, args.usage.is_empty(), &rules)?;
    options.customer_currency = customer.and_then(|c| c.currency);
    let sources: Vec<Source> = if args.usage.is_empty() {
        crate::sample::usage_sources()
    } else {
        args.usage.iter().map(Source::path).collect()
    };
    let input = CostInput { sources, price_list: args.terms.price_list.as_deref(), sheet: args.sheet.as_deref() };
    let report = build(&input, &options, &rules)?;
    super::print_warnings(None, &report.warnings, super::Shown::FirstFew { all_in: "warnings" });
    match destination.format {
        Format::Xlsx => destination.write_workbook(|out| {
            let book =
                AssessmentBook { assessment: None, plan: None, cost: Some(&report), workloads: None, transfer: None };
            report::xlsx::assessment::write(&book, out)
        }),
        Format::Html => destination.write_page(&html.page(Parts { cost: Some(&report), ..Parts::default() })?),
        _ => destination.write(|out| match destination.format {
            Format::Json => report::json(&report, out),
            Format::Csv => report::cost_csv::render(&report, out),
            _ => report::cost_table::render(&report, destination.colour, out),
        }),
    }
}

/// The usage exports to cost and the price source.
pub(crate) struct CostInput<'a> {
    pub sources: Vec<Source>,
    pub price_list: Option<&'a Path>,
    pub sheet: Option<&'a str>,
}

/// Reads the usage (streamed), the price source, and costs it.
pub(crate) fn build(input: &CostInput, options: &CostOptions, all: &Rules) -> Result<CostReport> {
    let (read_rules, rules, regions) = (&all.read, &all.cost, &all.read.regions);
    let read_options = ReadOptions {
        rules: read_rules,
        forced: None,
        sheet: input.sheet,
        keep_properties: None,
        progress: crate::progress::wanted(),
    };
    let (usage, summaries) = read_usage(&input.sources, &read_options, rules)?;
    let currency = currency(&usage, options.currency.as_deref())?.or_else(|| options.customer_currency.clone());
    let book = match input.price_list {
        Some(path) => Some((PriceBook::load(path, currency.as_deref(), regions)?, path.display().to_string())),
        None => None,
    };
    let currency = currency.or_else(|| book.as_ref().map(|(b, _)| b.currency().to_string()));
    let costing = Costing {
        usage,
        inputs: summaries,
        rules,
        options,
        currency,
        prices: book.as_ref().map(|(b, path)| (b, path.clone())),
    };
    CostReport::build(costing)
}

fn inputs(args: &CostArgs) -> Vec<std::path::PathBuf> {
    super::run_inputs(
        &args.usage,
        &[
            args.terms.price_list.as_ref(),
            args.rules.as_ref(),
            args.templates.as_ref(),
            args.customer.customer.as_ref(),
        ],
    )
}

/// The longest period `--period-days` rescales to: a century, far beyond any plan, and small enough that no
/// rescaled figure of a readable usage export reaches the decimal limit by the period alone.
pub const MAX_PERIOD_DAYS: i64 = 36_600;

/// The command line's terms, checked: a discount between 0 and 100 %, a markup of 0 or more, a period from a
/// day to [`MAX_PERIOD_DAYS`].
pub(crate) fn options(terms: &CostTermsArgs) -> Result<CostOptions> {
    let discount = terms.discount.unwrap_or_default();
    if discount.is_sign_negative() && !discount.is_zero() || discount > Decimal::ONE_HUNDRED {
        return Err(Error::usage(format!("--discount: expected a percentage from 0 to 100, found {discount}")));
    }
    if let Some(markup) = terms.markup
        && markup.is_sign_negative()
        && !markup.is_zero()
    {
        return Err(Error::usage(format!("--markup: expected a percentage of 0 or more, found {markup}")));
    }
    let period_days = match terms.period_days {
        None => None,
        Some(days) => Some(
            u32::try_from(days).ok().filter(|d| (1..=MAX_PERIOD_DAYS).contains(&i64::from(*d))).ok_or_else(|| {
                Error::usage(format!(
                    "--period-days: expected a number of days from 1 to {MAX_PERIOD_DAYS}, found {days}"
                ))
            })?,
        ),
    };
    Ok(CostOptions {
        discount_pct: discount,
        discount_given: terms.discount.is_some(),
        markup_pct: terms.markup,
        currency: terms.currency.clone(),
        customer_currency: None,
        period_days,
    })
}

fn read_usage(sources: &[Source], options: &ReadOptions, rules: &CostRules) -> Result<(CostUsage, Vec<InputSummary>)> {
    let mut usage = CostUsage::default();
    let mut summaries = Vec::new();
    for source in sources {
        let before = usage.rows;
        let what = "usage exports (usage-detail CSV, or a workbook holding one)";
        let mut summary = read_table_input(source, options, what, |records, header, ctx| {
            if header.kind.reader != "usage" {
                return Err(InputError::new(
                    &ctx.path,
                    format!("is a {} ({}); cost reads {what}", header.kind.id, header.kind.title),
                )
                .into());
            }
            crate::cost::usage::read(records, header, ctx, rules, &mut usage)
        })?;
        summary.rows = usage.rows - before;
        // What reading the rows noted (another cloud's rows left out) is shown with the cost's warnings.
        for warning in std::mem::take(&mut summary.warnings) {
            let location = format!("{}, {}", source.display, warning.location);
            usage.warnings.push(crate::model::Warning { location, ..warning });
        }
        summaries.push(summary);
    }
    crate::read::empty::check(&mut summaries, &[])?;
    // The cost's warnings are its report's (the inputs' own are not shown), each naming its file.
    for summary in &mut summaries {
        for warning in summary.warnings.drain(..) {
            let location = format!("{}, {}", summary.path, warning.location);
            usage.warnings.push(crate::model::Warning { location, ..warning });
        }
    }
    usage.finish();
    Ok((usage, summaries))
}

/// The usage's currency (`BillingCurrency`), else `--currency`; two currencies, or a `--currency` that
/// contradicts the usage, are errors: amounts are never converted or added across currencies.
fn currency(usage: &CostUsage, asked: Option<&str>) -> Result<Option<String>> {
    match (usage.currencies.as_slice(), asked) {
        ([], asked) => Ok(asked.map(str::to_ascii_uppercase)),
        ([(found, _)], Some(asked)) if !found.eq_ignore_ascii_case(asked) => Err(Error::usage(format!(
            "--currency {asked}: the usage is billed in {found} (BillingCurrency); csp-planner never converts currencies"
        ))),
        ([(found, _)], _) => Ok(Some(found.clone())),
        ([(first, at), (second, second_at), ..], _) => Err(Error::usage(format!(
            "the usage is billed in more than one currency ({first} at {at}, {second} at {second_at}): cost one \
             currency at a time; csp-planner never adds or converts amounts across currencies"
        ))),
    }
}
