//! The cost assessment's rule files: `rules/cost.toml` (constants: the check tolerance, display decimals, the
//! month) and `rules/cost-undiscounted.csv` (the pricing models and charge types the CSP discount never applies
//! to), each entry with its source.

use rust_decimal::Decimal;

use crate::error::RuleProblem;
use crate::rules::RuleFile;
use crate::rules::constants::{Constants, Expected};
use crate::rules::type_tables::read_table;

pub const CONSTANTS_FILE: &str = "cost.toml";
pub const UNDISCOUNTED_FILE: &str = "cost-undiscounted.csv";

const CONSTANT_NAMES: &[&str] =
    &["check_tolerance_abs", "check_tolerance_rel", "display_decimals", "month_days", "max_listed_warnings"];
const POSITIVE: &[&str] = &["month_days"];
const UNDISCOUNTED_HEADER: &[&str] = &["field", "value", "note", "source"];

/// Which column an undiscounted value is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndiscountedField {
    PricingModel,
    ChargeType,
}

/// A pricing model or charge type whose rows keep their EA rate in CSP.
#[derive(Debug, Clone)]
pub struct Undiscounted {
    pub field: UndiscountedField,
    /// Compared ignoring case.
    pub value: String,
    pub note: String,
    pub source: String,
    pub rule: String,
}

#[derive(Debug, Clone)]
pub struct CostRules {
    pub constants: Constants,
    pub undiscounted: Vec<Undiscounted>,
}

impl CostRules {
    /// Parses and validates `cost.toml` and `cost-undiscounted.csv`, adding every problem to `list`.
    pub fn parse(constants: &RuleFile, undiscounted: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let constants = Constants::parse(constants, &Expected { names: CONSTANT_NAMES, positive: POSITIVE }, list);
        CostRules { constants, undiscounted: parse_undiscounted(undiscounted, list) }
    }

    pub fn tolerance(&self) -> (Decimal, Decimal) {
        (self.constants.value("check_tolerance_abs"), self.constants.value("check_tolerance_rel"))
    }

    pub fn display_decimals(&self) -> u32 {
        u32::try_from(self.constants.value("display_decimals").trunc().mantissa()).unwrap_or(4).min(28)
    }

    pub fn max_listed_warnings(&self) -> usize {
        usize::try_from(self.constants.value("max_listed_warnings").trunc().mantissa()).unwrap_or(50)
    }

    /// The rule that keeps a row's EA rate, given its pricing model and charge type.
    pub fn undiscounted(&self, pricing_model: &str, charge_type: &str) -> Option<usize> {
        self.undiscounted.iter().position(|u| {
            let cell = match u.field {
                UndiscountedField::PricingModel => pricing_model,
                UndiscountedField::ChargeType => charge_type,
            };
            cell.eq_ignore_ascii_case(&u.value)
        })
    }
}

fn parse_undiscounted(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Vec<Undiscounted> {
    let mut rules = Vec::new();
    for (line, cells) in read_table(file, UNDISCOUNTED_HEADER, problems) {
        let field = match cells[0].as_str() {
            "pricing_model" => UndiscountedField::PricingModel,
            "charge_type" => UndiscountedField::ChargeType,
            other => {
                problems.push(file.problem(
                    Some(format!("line {line}")),
                    format!("`field` must be pricing_model or charge_type, found `{other}`"),
                ));
                continue;
            }
        };
        rules.push(Undiscounted {
            field,
            value: cells[1].clone(),
            note: cells[2].clone(),
            source: file.cite(&cells[3]),
            rule: format!("rules/{} line {line}", file.name),
        });
    }
    rules
}
