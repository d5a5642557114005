//! `rules/workload-inputs.toml`: the header spellings of the workload side files (application mapping,
//! overrides, dependency export), validated with every problem reported at once. Their readers are
//! `workloads::inputs`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::RuleProblem;
use crate::rules::RuleFile;
use crate::rules::servers::{TableFields, TableSpec};
use crate::rules::spans::{Problems, toml_entries};

pub const RULE_FILE: &str = "workload-inputs.toml";

/// The kinds of side file and the fields each one's reader reads.
const KINDS: &[(&str, &[&str])] = &[
    ("applications", &["server", "application"]),
    ("overrides", &["application", "server", "color", "reason", "author", "category"]),
    ("dependencies", &["source_server", "destination_server", "destination_port"]),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    kind: String,
    title: String,
    source: String,
    signature: Vec<String>,
    required: Vec<String>,
    columns: BTreeMap<String, Vec<String>>,
    ignore_ports: Option<Vec<u16>>,
    ignore_ports_source: Option<String>,
}

/// The three tables, validated.
#[derive(Debug, Clone)]
pub struct InputTables {
    pub applications: TableSpec,
    pub overrides: TableSpec,
    pub dependencies: TableSpec,
    /// Destination ports that do not join two servers (infrastructure services), and their source.
    pub ignore_ports: Vec<u16>,
    pub ignore_ports_source: String,
}

impl InputTables {
    /// Parses and validates the file, adding every problem to `list`; `None` when a kind is missing (a
    /// problem then says so).
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> Option<Self> {
        let mut problems = Problems { file, list };
        let mut found: BTreeMap<String, TableSpec> = BTreeMap::new();
        let mut ports = None;
        for entry in toml_entries::<RawTable>(file, "table", &mut problems) {
            let (raw, line) = (entry.value, entry.line);
            let fields = TableFields {
                kind: &raw.kind,
                source: &raw.source,
                signature: &raw.signature,
                required: &raw.required,
                columns: &raw.columns,
            };
            // No side file has per-disk (`{n}`) fields.
            if !fields.validate(KINDS, &[], line, &mut problems) {
                continue;
            }
            match (&raw.ignore_ports, raw.kind.as_str()) {
                (Some(list), "dependencies") => {
                    let source = raw.ignore_ports_source.clone().unwrap_or_default();
                    if source.trim().is_empty() {
                        problems.line(line, "ignore_ports needs its ignore_ports_source");
                    }
                    ports = Some((list.clone(), file.cite(&source)));
                }
                (Some(_), _) => problems.line(line, "ignore_ports is for the `dependencies` table only"),
                (None, _) => {}
            }
            if found.contains_key(&raw.kind) {
                problems.line(line, format!("a second [[table]] of kind `{}`", raw.kind));
                continue;
            }
            let spec = TableSpec::new(
                raw.kind.clone(),
                raw.title,
                file.cite(&raw.source),
                raw.signature,
                raw.required,
                raw.columns,
            );
            found.insert(raw.kind, spec);
        }
        for (kind, _) in KINDS {
            if !found.contains_key(*kind) {
                problems.at(None, format!("no [[table]] of kind `{kind}`"));
            }
        }
        let (Some(applications), Some(overrides), Some(dependencies)) =
            (found.remove("applications"), found.remove("overrides"), found.remove("dependencies"))
        else {
            return None;
        };
        let (ignore_ports, ignore_ports_source) = ports.unwrap_or_default();
        Some(InputTables { applications, overrides, dependencies, ignore_ports, ignore_ports_source })
    }
}
