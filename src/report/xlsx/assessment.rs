//! `assessment.xlsx` (issue 7): Summary, Resources, Move Batches, Remediation, Cost and Rules sheets, from
//! whichever results the command has.

use std::io::{self, Write};

use crate::assess::AssessmentReport;
use crate::cost::CostReport;
use crate::plan::PlanReport;

/// What the assessment workbook shows; each part is optional (`cost -o x.xlsx` has no assessment).
pub struct AssessmentBook<'a> {
    pub assessment: Option<&'a AssessmentReport>,
    pub plan: Option<&'a PlanReport>,
    pub cost: Option<&'a CostReport>,
}

pub fn write(_book: &AssessmentBook, _out: &mut (dyn Write + Send)) -> io::Result<()> {
    Err(io::Error::other("the assessment workbook is not written yet (issue 7)"))
}
