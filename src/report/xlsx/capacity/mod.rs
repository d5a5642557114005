//! `capacity-planner.xlsx` (issue 7): the Site Recovery Capacity Planner's sheets with live Excel formulas.
//!
//! Sheets: Getting Started ([`guide`]), Workload Qualification (Detailed mode, [`qualification`]), Capacity
//! Planner ([`planner`], [`inputs`], [`outputs`], [`formulas`]) and Sizing ([`sizing`]). Formulas use workbook
//! names (`vms`, `bits_per_byte`, `total_data_gb`, …) defined by the cells that hold them ([`cells`]).

mod cells;
mod formulas;
mod guide;
mod inputs;
mod outputs;
mod planner;
mod qualification;
mod sizing;

use std::io::{self, Write};

use rust_xlsxwriter::Workbook;

use self::cells::{Sheet, Styles};
use self::formulas::SharedFigures;
use self::outputs::Totals;
use self::planner::Written;
use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::{self, PlannerConstants, QuickPlan};
use crate::capacity::sizing::SizingTables;
use crate::report::xlsx::{io_error, save};

/// The rules the workbook lays out beside the results: the constants and the era's sizing tables.
pub struct PlannerRules<'a> {
    pub constants: &'a PlannerConstants,
    pub sizing: &'a SizingTables,
}

/// Puts the sheets into a workbook in order, defines their names, and saves it; the Capacity Planner sheet
/// is the one that opens.
fn book(sheets: Vec<Sheet>, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let mut workbook = Workbook::new();
    let mut names = Vec::new();
    for mut sheet in sheets {
        names.append(&mut sheet.names);
        if sheet.title == planner::TITLE {
            sheet.sheet.set_active(true);
        }
        workbook.push_worksheet(sheet.sheet);
    }
    for (name, reference) in names {
        workbook.define_name(&name, &format!("={reference}")).map_err(io_error)?;
    }
    save(&mut workbook, out)
}

/// The Capacity Planner sheet: INPUTS, OUTPUT, working figures, constants.
fn planner_sheet(
    styles: &Styles,
    title: &str,
    (inputs, working): (Vec<planner::Line>, Vec<formulas::Working>),
    totals: &Totals,
    rules: &PlannerRules,
    written: &mut Written,
) -> io::Result<Sheet> {
    let mut sheet = planner::sheet(styles, title)?;
    let row = planner::lines(&mut sheet, styles, 3, &inputs, written)?;
    let report_end = planner::lines(&mut sheet, styles, row, &outputs::output(totals), written)?;
    let row = planner::working(&mut sheet, styles, report_end, &working, written)?;
    planner::constants(&mut sheet, styles, row, rules.constants)?;
    planner::finish(&mut sheet, report_end - 2)?;
    Ok(sheet)
}

pub fn write_quick(plan: &QuickPlan, rules: &PlannerRules, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let styles = Styles::new();
    let figures = quick::compute(&plan.inputs, rules.constants).map_err(|e| io::Error::other(e.to_string()))?;
    let totals = Totals::of(plan)?;
    let mut working = formulas::quick(&figures, plan.inputs.vms.value);
    working.extend(formulas::shared(&SharedFigures::quick(&figures)));
    let inputs = inputs::quick(&plan.inputs, &totals, rules.constants)?;
    let mut written = Written::new();
    let title = "Site Recovery Capacity Planner: Quick Planner";
    let planner = planner_sheet(&styles, title, (inputs, working), &totals, rules, &mut written)?;
    let load = sizing::Load {
        machines: plan.inputs.vms.value,
        change_gb_per_day: figures.transferred_per_day_gb,
        configuration_servers: plan.configuration_servers,
        additional_process_servers: plan.additional_process_servers,
        options: &plan.sizing,
    };
    let sizing = sizing::sheet(&styles, rules.sizing, &load, &mut written)?;
    let titles = [guide::TITLE, planner::TITLE, sizing::TITLE];
    let about = guide::About { mode: "Quick", era: plan.inputs.era.value.as_str(), sheets: &titles };
    let guide = guide::sheet(&styles, &about, &written)?;
    book(vec![guide, planner, sizing], out)
}

pub fn write_detailed(plan: &DetailedPlan, rules: &PlannerRules, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let styles = Styles::new();
    let totals = Totals::of(plan)?;
    let mut written = Written::new();
    let qualification = qualification::sheet(&styles, plan, &mut written)?;
    let mut working = formulas::detailed(&plan.exact);
    let shared = SharedFigures::detailed(&plan.exact, plan.delta_replication_mbps, plan.initial_replication_mbps);
    working.extend(formulas::shared(&shared));
    let mut inputs = inputs::detailed(&plan.inputs, rules.constants)?;
    inputs.push(planner::Line::Heading("Totals of the Workload Qualification sheet"));
    inputs.extend(outputs::data(&totals));
    let title = "Site Recovery Capacity Planner: Detailed Planner";
    let planner = planner_sheet(&styles, title, (inputs, working), &totals, rules, &mut written)?;
    let load = sizing::Load {
        machines: u32::try_from(plan.servers_in_totals).unwrap_or(u32::MAX),
        change_gb_per_day: plan.exact.transferred_per_day_gb,
        configuration_servers: plan.configuration_servers,
        additional_process_servers: plan.additional_process_servers,
        options: &plan.sizing,
    };
    let sizing = sizing::sheet(&styles, rules.sizing, &load, &mut written)?;
    let titles = [guide::TITLE, qualification::TITLE, planner::TITLE, sizing::TITLE];
    let about = guide::About { mode: "Detailed", era: plan.inputs.era.value.as_str(), sheets: &titles };
    let guide = guide::sheet(&styles, &about, &written)?;
    book(vec![guide, qualification, planner, sizing], out)
}
