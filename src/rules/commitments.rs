//! `rules/commitments.toml`: which usage rows are commitments or purchases (not a resource's usage), and which
//! usage a commitment covers. Parsed into typed rules and validated all at once; the readers never see TOML.

use serde::Deserialize;

use super::RuleFile;
use super::input_kinds::line_col;
use crate::error::RuleProblem;

pub const RULE_FILE: &str = "commitments.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    kind: Vec<RawKind>,
    covered: RawCovered,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: String,
    title: String,
    source: String,
    #[serde(default)]
    id_prefixes: Vec<String>,
    #[serde(default)]
    publisher_types: Vec<String>,
    #[serde(default)]
    charge_types: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCovered {
    pricing_models: Vec<String>,
    source: String,
}

/// One kind of commitment and the tests that recognise its rows.
#[derive(Debug, Clone)]
pub struct CommitmentKind {
    pub id: String,
    pub title: String,
    pub source: String,
    /// Lowercased: compared with the lowercased IDs.
    pub id_prefixes: Vec<String>,
    pub publisher_types: Vec<String>,
    pub charge_types: Vec<String>,
}

/// The commitment kinds in precedence order, and what marks usage as covered by one.
#[derive(Debug, Clone, Default)]
pub struct CommitmentRules {
    pub kinds: Vec<CommitmentKind>,
    pub covered_pricing_models: Vec<String>,
    pub covered_source: String,
}

/// The cells of a usage row that say whether it is a commitment (trimmed; empty when absent).
pub struct CommitmentCells<'a> {
    pub resource_id: &'a str,
    pub benefit_id: &'a str,
    pub publisher_type: &'a str,
    pub charge_type: &'a str,
    pub pricing_model: &'a str,
}

/// What a usage row is, as far as commitments go.
#[derive(Debug, Clone, Copy)]
pub enum RowCommitment<'r> {
    /// A commitment or purchase row: not a resource's usage.
    Commitment(&'r CommitmentKind),
    /// A Marketplace row that names a resource: stays on it, and is listed.
    MarketplaceResource(&'r CommitmentKind),
    /// Usage a reservation or savings plan covers.
    Covered,
    Usage,
}

impl CommitmentRules {
    pub fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Self {
        let problem = |location: Option<String>, message: String| file.problem(location, message);
        let raw: RawFile = match toml::from_str(&file.text) {
            Ok(raw) => raw,
            Err(e) => {
                let location = e.span().map(|span| line_col(&file.text, span.start));
                problems.push(problem(location, e.message().to_string()));
                return CommitmentRules::default();
            }
        };
        let mut kinds = Vec::new();
        for (index, kind) in raw.kind.into_iter().enumerate() {
            let at = Some(format!("[[kind]] #{} ({})", index + 1, kind.id));
            if kind.id_prefixes.is_empty() && kind.publisher_types.is_empty() && kind.charge_types.is_empty() {
                problems.push(problem(at.clone(), "no test: give id_prefixes, publisher_types or charge_types".into()));
            }
            if kind.source.trim().is_empty() {
                problems.push(problem(at.clone(), "source is empty: every entry names its source".into()));
            }
            if kinds.iter().any(|k: &CommitmentKind| k.id == kind.id) {
                problems.push(problem(at, format!("kind `{}` is given twice", kind.id)));
                continue;
            }
            kinds.push(CommitmentKind {
                id: kind.id,
                title: kind.title,
                source: file.cite(&kind.source),
                id_prefixes: kind.id_prefixes.iter().map(|p| p.to_ascii_lowercase()).collect(),
                publisher_types: kind.publisher_types,
                charge_types: kind.charge_types,
            });
        }
        if raw.covered.source.trim().is_empty() {
            problems.push(problem(Some("[covered]".into()), "source is empty: every entry names its source".into()));
        }
        CommitmentRules {
            kinds,
            covered_pricing_models: raw.covered.pricing_models,
            covered_source: file.cite(&raw.covered.source),
        }
    }

    /// What a row is: the first kind whose test holds, else covered usage, else plain usage.
    pub fn classify(&self, cells: &CommitmentCells) -> RowCommitment<'_> {
        let is_purchase = self.kinds.iter().any(|k| one_of(&k.charge_types, cells.charge_type));
        for kind in &self.kinds {
            let by_id = starts_with_any(&kind.id_prefixes, cells.resource_id)
                || (is_purchase && starts_with_any(&kind.id_prefixes, cells.benefit_id));
            if by_id || one_of(&kind.charge_types, cells.charge_type) {
                return RowCommitment::Commitment(kind);
            }
            if one_of(&kind.publisher_types, cells.publisher_type) {
                return if cells.resource_id.is_empty() {
                    RowCommitment::Commitment(kind)
                } else {
                    RowCommitment::MarketplaceResource(kind)
                };
            }
        }
        if !cells.benefit_id.is_empty() || one_of(&self.covered_pricing_models, cells.pricing_model) {
            return RowCommitment::Covered;
        }
        RowCommitment::Usage
    }
}

fn one_of(values: &[String], cell: &str) -> bool {
    !cell.is_empty() && values.iter().any(|v| v.eq_ignore_ascii_case(cell))
}

fn starts_with_any(prefixes: &[String], id: &str) -> bool {
    !id.is_empty() && prefixes.iter().any(|p| id.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    fn rules() -> CommitmentRules {
        let mut problems = Vec::new();
        let rules = CommitmentRules::parse(RulePack::embedded().file(RULE_FILE).unwrap(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        rules
    }

    fn cells<'a>(resource_id: &'a str, benefit_id: &'a str, charge_type: &'a str) -> CommitmentCells<'a> {
        CommitmentCells { resource_id, benefit_id, publisher_type: "", charge_type, pricing_model: "" }
    }

    #[test]
    fn kinds_follow_the_file_order() {
        let rules = rules();
        let kind = |c: CommitmentCells| match rules.classify(&c) {
            RowCommitment::Commitment(k) | RowCommitment::MarketplaceResource(k) => k.id.clone(),
            RowCommitment::Covered => "covered".into(),
            RowCommitment::Usage => "usage".into(),
        };
        let reservation = "/providers/Microsoft.Capacity/reservationOrders/o1/reservations/r1";
        assert_eq!(kind(cells(reservation, "", "Usage")), "reservation");
        assert_eq!(kind(cells("", reservation, "Purchase")), "reservation");
        assert_eq!(kind(cells("/subscriptions/s/resourceGroups/g/providers/A.B/c/d", reservation, "Usage")), "covered");
        assert_eq!(kind(cells("", "", "Purchase")), "purchase");
        assert_eq!(kind(cells("/subscriptions/s", "", "Usage")), "usage");
    }
}
