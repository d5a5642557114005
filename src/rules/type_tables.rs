//! The resource-type lookup tables kept as CSV in `rules/`:
//! - `portal-types.csv`: the portal's display type names ("Virtual machine") → resource types;
//! - `classic-usage-types.csv`: (consumed service, meter category) of a usage row whose ID is not a
//!   Resource Manager path → the classic resource type it bills.
//!
//! Every row carries a `source`; a row without one is a validation problem.

use crate::model::Cited;
use std::collections::HashMap;

use super::{RuleFile, normalize_key};
use crate::error::RuleProblem;

/// A resource type found in a table, with where it came from so the output can cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMatch {
    pub resource_type: String,
    pub rule: String,
    pub source: Cited,
}

/// Reads a rule CSV with the expected header; returns the data rows with their 1-based line numbers.
pub(crate) fn read_table(file: &RuleFile, header: &[&str], problems: &mut Vec<RuleProblem>) -> Vec<(u64, Vec<String>)> {
    read_table_allowing_empty(file, header, &[], problems)
}

/// As [`read_table`], but the columns at `optional` may be empty.
pub(crate) fn read_table_allowing_empty(
    file: &RuleFile,
    header: &[&str],
    optional: &[usize],
    problems: &mut Vec<RuleProblem>,
) -> Vec<(u64, Vec<String>)> {
    let mut problem =
        |line: Option<u64>, message: String| problems.push(file.problem(line.map(|l| format!("line {l}")), message));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(file.text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problem(Some(line), e.to_string());
                continue;
            }
        };
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if index == 0 {
            if cells != header {
                problem(Some(1), format!("expected the header `{}`, found `{}`", header.join(","), cells.join(",")));
                return rows;
            }
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() != header.len() {
            problem(Some(line), format!("expected {} cells, found {}", header.len(), cells.len()));
            continue;
        }
        let empty =
            header.iter().zip(&cells).enumerate().find(|(i, (_, cell))| cell.is_empty() && !optional.contains(i));
        if let Some((_, (name, _))) = empty {
            problem(Some(line), format!("`{name}` is empty"));
            continue;
        }
        rows.push((line, cells));
    }
    rows
}

#[derive(Debug, Clone, Default)]
pub struct PortalTypes {
    by_display_name: HashMap<String, TypeMatch>,
}

impl PortalTypes {
    pub(super) fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Self {
        let mut by_display_name = HashMap::new();
        for (line, cells) in read_table(file, &["display_name", "resource_type", "source"], problems) {
            let entry = TypeMatch {
                resource_type: cells[1].clone(),
                rule: format!("rules/{} line {line}", file.name),
                source: file.cited(&cells[2]),
            };
            if by_display_name.insert(normalize_key(&cells[0]), entry).is_some() {
                problems.push(
                    file.problem(
                        Some(format!("line {line}")),
                        format!("display name \"{}\" is listed twice", cells[0]),
                    ),
                );
            }
        }
        PortalTypes { by_display_name }
    }

    pub fn lookup(&self, display_name: &str) -> Option<&TypeMatch> {
        self.by_display_name.get(&normalize_key(display_name))
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClassicUsageTypes {
    /// (consumed service, meter category or "*") → type, in file order; first match wins.
    rows: Vec<(String, String, TypeMatch)>,
}

impl ClassicUsageTypes {
    pub(super) fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> Self {
        let header = ["consumed_service", "meter_category", "resource_type", "source"];
        let rows = read_table(file, &header, problems)
            .into_iter()
            .map(|(line, cells)| {
                let category = if cells[1] == "*" { "*".to_string() } else { normalize_key(&cells[1]) };
                let entry = TypeMatch {
                    resource_type: cells[2].clone(),
                    rule: format!("rules/{} line {line}", file.name),
                    source: file.cited(&cells[3]),
                };
                (normalize_key(&cells[0]), category, entry)
            })
            .collect();
        ClassicUsageTypes { rows }
    }

    /// The first row whose consumed service matches and whose meter category matches or is `*`.
    pub fn lookup(&self, consumed_service: &str, meter_category: &str) -> Option<&TypeMatch> {
        let service = normalize_key(consumed_service);
        let category = normalize_key(meter_category);
        self.rows.iter().find(|(s, c, _)| *s == service && (c == "*" || *c == category)).map(|(_, _, entry)| entry)
    }
}
