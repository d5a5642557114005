//! `capacity-planner.xlsx` (issue 7): the Site Recovery Capacity Planner's sheets with live Excel formulas.

use std::io::{self, Write};

use crate::capacity::detailed::DetailedPlan;
use crate::capacity::quick::QuickPlan;

pub fn write_quick(_plan: &QuickPlan, _out: &mut (dyn Write + Send)) -> io::Result<()> {
    Err(io::Error::other("the capacity planner workbook is not written yet (issue 7)"))
}

pub fn write_detailed(_plan: &DetailedPlan, _out: &mut (dyn Write + Send)) -> io::Result<()> {
    Err(io::Error::other("the capacity planner workbook is not written yet (issue 7)"))
}
