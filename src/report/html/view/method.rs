//! The method: the rules that fired or never matched, the notes and the inputs read.

use serde::Serialize;

use super::{CapacityPart, Parts};
use crate::assess::AssessmentReport;
use crate::read::InputSummary;
use crate::workloads::WorkloadReport;

#[derive(Serialize)]
pub(super) struct MethodView {
    rules: Vec<RuleView>,
    /// The conditions and classic rules no resource matched (cargo-deny's "never matched": check or retire them).
    never_matched: Vec<RuleView>,
    notes: Vec<NoteView>,
    inputs: Vec<InputView>,
    /// The page has the Workloads part: the method quotes the seed's three groups.
    workloads: bool,
}

#[derive(Serialize)]
struct RuleView {
    rule: String,
    code: String,
    source: String,
    count: usize,
}

#[derive(Serialize)]
struct NoteView {
    part: &'static str,
    text: String,
}

#[derive(Serialize)]
struct InputView {
    part: &'static str,
    path: String,
    format: String,
    rows: String,
    warnings: Vec<String>,
}

pub(super) fn method(parts: &Parts) -> MethodView {
    let rules = parts.assessment.map(fired_rules).unwrap_or_default();
    let never_matched = parts.assessment.map(never_matched_rules).unwrap_or_default();
    let mut notes = Vec::new();
    let mut inputs = Vec::new();
    if let Some(a) = parts.assessment {
        inputs.extend(a.inputs.iter().map(|i| input_view("assessment", i)));
    }
    if let Some(p) = parts.plan {
        notes.extend(
            p.warnings.iter().map(|w| NoteView { part: "plan", text: format!("{}: {}", w.location, w.message) }),
        );
    }
    if let Some(c) = parts.cost {
        notes.extend(c.notes.iter().map(|n| NoteView { part: "cost", text: n.clone() }));
        inputs.extend(c.inputs.iter().map(|i| input_view("cost", i)));
    }
    if let Some(part) = parts.capacity {
        capacity_notes(part, &mut notes, &mut inputs);
    }
    if let Some(w) = parts.workloads {
        workloads_notes(w, &mut notes, &mut inputs);
    }
    MethodView { rules, never_matched, notes, inputs, workloads: parts.workloads.is_some() }
}

fn fired_rules(a: &AssessmentReport) -> Vec<RuleView> {
    a.rules
        .fired
        .iter()
        .map(|r| RuleView { rule: r.rule.clone(), code: r.code.clone(), source: r.source.to_string(), count: r.count })
        .collect()
}

fn never_matched_rules(a: &AssessmentReport) -> Vec<RuleView> {
    a.rules
        .never_matched
        .iter()
        .map(|r| RuleView { rule: r.rule.clone(), code: r.code.clone(), source: r.source.to_string(), count: 0 })
        .collect()
}

/// The capacity plan's notes, and the Detailed Planner's server inventories.
fn capacity_notes(part: CapacityPart, notes: &mut Vec<NoteView>, inputs: &mut Vec<InputView>) {
    match part {
        CapacityPart::Quick(q) => notes.extend(q.notes.iter().map(|n| NoteView { part: "capacity", text: n.clone() })),
        CapacityPart::Detailed(d) => {
            notes.extend(d.notes.iter().map(|n| NoteView { part: "capacity", text: n.clone() }));
            inputs.extend(d.inputs.files.iter().map(|f| InputView {
                part: "capacity",
                path: f.path.clone(),
                format: f.format.clone(),
                rows: format!("{} server(s)", f.servers),
                warnings: d.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect(),
            }));
        }
    }
}

/// The workloads' warnings and rules that matched no server, and their inputs with the servers read from each.
fn workloads_notes(w: &WorkloadReport, notes: &mut Vec<NoteView>, inputs: &mut Vec<InputView>) {
    notes.extend(
        w.warnings.iter().map(|x| NoteView { part: "workloads", text: format!("{}: {}", x.location, x.message) }),
    );
    if !w.unmatched_rules.is_empty() {
        notes.push(NoteView {
            part: "workloads",
            text: format!("rules that matched no server: {}", w.unmatched_rules.join(", ")),
        });
    }
    inputs.extend(w.inputs.iter().map(|i| {
        let prefix = format!("{}, ", i.path);
        let servers = w.servers.iter().filter(|s| s.source.starts_with(&prefix)).count();
        InputView {
            part: "workloads",
            path: i.path.clone(),
            format: i.role.clone(),
            rows: if i.role.starts_with("servers") { format!("{servers} server(s)") } else { String::new() },
            warnings: Vec::new(),
        }
    }));
}

fn input_view(part: &'static str, input: &InputSummary) -> InputView {
    InputView {
        part,
        path: input.path.clone(),
        format: input.format.clone(),
        rows: format!("{} row(s)", input.rows),
        warnings: input.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect(),
    }
}
