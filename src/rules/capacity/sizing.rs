//! `rules/asr-sizing.toml`: the configuration and process server sizing tables of each era, deserialised and
//! validated with every problem reported at once (file, line). The sizing itself is `capacity::sizing`.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::ByEra;
use crate::error::RuleProblem;
use crate::model::{Cited, Era};
use crate::rules::RuleFile;
use crate::rules::spans::{Entry, Problems, toml_entries, toml_entries_among};

/// The rule file this module reads.
pub const FILE: &str = "asr-sizing.toml";

/// One row of a sizing table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizingRow {
    pub vcpus: u32,
    pub memory_gb: u32,
    pub cache_disk_gb: u32,
    pub max_machines: u32,
    pub max_change_gb_per_day: Decimal,
    pub source: Cited,
    /// `rules/asr-sizing.toml line N`.
    pub rule: String,
}

impl SizingRow {
    /// True when the row's maxima cover both (each row covers up to and including its maxima).
    pub fn covers(&self, machines: u32, change_gb_per_day: Decimal) -> bool {
        machines <= self.max_machines && change_gb_per_day <= self.max_change_gb_per_day
    }
}

/// A process-server row with the configuration server deployed with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessServerRow {
    pub server: SizingRow,
    pub configuration_server: SizingRow,
}

/// The sizing tables of one era.
#[derive(Debug, Clone)]
pub struct SizingTables {
    pub era: Era,
    /// Configuration server with its built-in process server, smallest first.
    pub configuration_servers: Vec<SizingRow>,
    /// Additional process servers, smallest first.
    pub process_servers: Vec<ProcessServerRow>,
    pub built_in_max_machines: u32,
    pub built_in_max_change_gb_per_day: Decimal,
    /// The most servers one option lists (csp-planner's own limit).
    pub max_servers_per_option: u32,
    /// Threshold name → (source, optional note).
    pub threshold_sources: BTreeMap<String, (String, Option<String>)>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    era: String,
    vcpus: u32,
    memory_gb: u32,
    cache_disk_gb: u32,
    max_machines: u32,
    max_change_gb_per_day: toml::Value,
    /// Process servers only: the configuration server their row names.
    configuration_server_vcpus: Option<u32>,
    configuration_server_memory_gb: Option<u32>,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    era: String,
    name: String,
    value: toml::Value,
    source: String,
    note: Option<String>,
}

const KEYS: [&str; 3] = ["configuration_server", "process_server", "threshold"];
pub const MACHINES: &str = "built_in_max_machines";
pub const CHANGE: &str = "built_in_max_change_gb_per_day";
pub const MAX_SERVERS: &str = "max_servers_per_option";
const THRESHOLDS: [&str; 3] = [MACHINES, CHANGE, MAX_SERVERS];

/// An integer or a quoted decimal; TOML floats are refused (binary fractions are not exact).
fn decimal(value: &toml::Value) -> std::result::Result<Decimal, String> {
    match value {
        toml::Value::Integer(i) => Ok(Decimal::from(*i)),
        toml::Value::String(s) => Decimal::from_str(s.trim())
            .map_err(|_| format!("`{s}` is not a decimal number (e.g. \"1024\" or \"1000.5\")")),
        toml::Value::Float(f) => Err(format!("{f} is a TOML float; write an integer or a quoted decimal (\"{f}\")")),
        other => Err(format!("expected an integer or a quoted decimal, found a {}", other.type_str())),
    }
}

/// Tables of every era found in the file, before the per-era checks.
#[derive(Default)]
struct EraRows {
    configuration_servers: Vec<(u64, SizingRow)>,
    process_servers: Vec<(u64, SizingRow, u32, u32)>,
    thresholds: BTreeMap<String, (u64, Decimal, String, Option<String>)>,
}

impl SizingTables {
    fn empty(era: Era) -> Self {
        SizingTables {
            era,
            configuration_servers: Vec::new(),
            process_servers: Vec::new(),
            built_in_max_machines: 0,
            built_in_max_change_gb_per_day: Decimal::ZERO,
            max_servers_per_option: 0,
            threshold_sources: BTreeMap::new(),
        }
    }

    /// Parses and validates the tables of both eras, adding every problem (once, with its line) to `problems`.
    /// Rows of every era are checked, so a broken row is always reported.
    pub fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> ByEra<SizingTables> {
        let mut problems = Problems { file, list: problems };
        let Ok(table) = toml::from_str::<toml::Table>(&file.text) else {
            // Reported once, with line and column, by the shared helper.
            toml_entries::<toml::Value>(file, KEYS[0], &mut problems);
            return ByEra::new(Self::empty);
        };
        for other in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            problems.at(
                None,
                format!("unknown top-level key `{other}`: the file holds `[[configuration_server]]`, `[[process_server]]` and `[[threshold]]` entries only"),
            );
        }
        let mut eras: BTreeMap<&'static str, EraRows> = BTreeMap::new();
        read_server_rows(&mut problems, &mut eras);
        read_thresholds(&mut problems, &mut eras);

        let mut found = ByEra::new(Self::empty);
        for (name, rows) in eras {
            let tables = check_era(&mut problems, name, rows);
            let era = tables.era;
            *found.get_mut(era) = tables;
        }
        for era in Era::ALL {
            let tables = found.get(era);
            if tables.configuration_servers.is_empty() && tables.process_servers.is_empty() {
                problems.at(None, format!("no sizing rows for era {}", era.as_str()));
            }
        }
        found
    }

    /// The smallest configuration-server row whose maxima cover both machines and change (every row covers
    /// up to and including its maxima).
    pub fn configuration_server_row(&self, machines: u32, change_gb_per_day: Decimal) -> Option<&SizingRow> {
        self.configuration_servers.iter().find(|r| r.covers(machines, change_gb_per_day))
    }

    /// The smallest process-server row whose maxima cover both machines and change.
    pub fn process_server_row(&self, machines: u32, change_gb_per_day: Decimal) -> Option<&ProcessServerRow> {
        self.process_servers.iter().find(|r| r.server.covers(machines, change_gb_per_day))
    }
}

/// The `[[configuration_server]]` and `[[process_server]]` rows, filed by era.
fn read_server_rows(problems: &mut Problems, eras: &mut BTreeMap<&'static str, EraRows>) {
    let file = problems.file;
    for Entry { line, value: raw } in toml_entries_among::<RawRow>(file, KEYS[0], problems) {
        if raw.configuration_server_vcpus.is_some() || raw.configuration_server_memory_gb.is_some() {
            problems.line(line, "only `[[process_server]]` rows name a configuration server");
        }
        let Some((era, row)) = read_row(problems, line, &raw) else { continue };
        eras.entry(era).or_default().configuration_servers.push((line, row));
    }
    for Entry { line, value: raw } in toml_entries_among::<RawRow>(file, KEYS[1], problems) {
        let (Some(cs_vcpus), Some(cs_memory)) = (raw.configuration_server_vcpus, raw.configuration_server_memory_gb)
        else {
            problems.line(
                line,
                "a `[[process_server]]` row needs `configuration_server_vcpus` and `configuration_server_memory_gb`",
            );
            continue;
        };
        let Some((era, row)) = read_row(problems, line, &raw) else { continue };
        eras.entry(era).or_default().process_servers.push((line, row, cs_vcpus, cs_memory));
    }
}

/// What both tables' rows share: era, size, capacity and source, checked the same way.
fn read_row(problems: &mut Problems, line: u64, raw: &RawRow) -> Option<(&'static str, SizingRow)> {
    let era = era_of(problems, line, &raw.era)?;
    let max_change = max_change(problems, line, &raw.max_change_gb_per_day)?;
    let row = SizingRow {
        vcpus: raw.vcpus,
        memory_gb: raw.memory_gb,
        cache_disk_gb: raw.cache_disk_gb,
        max_machines: raw.max_machines,
        max_change_gb_per_day: max_change,
        source: problems.file.cited(&raw.source),
        rule: format!("rules/{} line {line}", problems.file.name),
    };
    if row.vcpus == 0 || row.memory_gb == 0 || row.cache_disk_gb == 0 || row.max_machines == 0 {
        problems.line(line, "`vcpus`, `memory_gb`, `cache_disk_gb` and `max_machines` must be greater than 0");
    }
    if row.source.trim().is_empty() {
        problems.line(line, "`source` must not be empty");
    }
    Some((era, row))
}

fn era_of(problems: &mut Problems, line: u64, text: &str) -> Option<&'static str> {
    match Era::parse(text) {
        Some(era) => Some(era.as_str()),
        None => {
            problems.line(line, format!("unknown era `{text}`: expected \"current\" or \"2017\""));
            None
        }
    }
}

fn max_change(problems: &mut Problems, line: u64, value: &toml::Value) -> Option<Decimal> {
    match decimal(value) {
        Ok(d) if d > Decimal::ZERO => Some(d),
        Ok(d) => {
            problems.line(line, format!("`max_change_gb_per_day` must be greater than 0, not {d}"));
            None
        }
        Err(message) => {
            problems.line(line, format!("`max_change_gb_per_day`: {message}"));
            None
        }
    }
}

/// The `[[threshold]]` entries, filed by era: a known name, a value in range, once per era.
fn read_thresholds(problems: &mut Problems, eras: &mut BTreeMap<&'static str, EraRows>) {
    for Entry { line, value: raw } in toml_entries_among::<RawThreshold>(problems.file, KEYS[2], problems) {
        let Some(era) = era_of(problems, line, &raw.era) else { continue };
        if !THRESHOLDS.contains(&raw.name.as_str()) {
            problems.line(line, format!("unknown threshold `{}`: expected one of {}", raw.name, THRESHOLDS.join(", ")));
            continue;
        }
        if raw.source.trim().is_empty() {
            problems.line(line, "`source` must not be empty");
        }
        let Some(value) = threshold_value(problems, line, &raw) else { continue };
        let thresholds = &mut eras.entry(era).or_default().thresholds;
        if let Some((first, ..)) = thresholds.get(&raw.name) {
            problems.line(line, format!("duplicate threshold `{}` for era {era} (first on line {first})", raw.name));
            continue;
        }
        thresholds.insert(raw.name, (line, value, problems.file.cite(&raw.source), raw.note));
    }
}

/// A threshold's value: above 0, and a whole `u32` except the change rate.
fn threshold_value(problems: &mut Problems, line: u64, raw: &RawThreshold) -> Option<Decimal> {
    match decimal(&raw.value) {
        Ok(v) if v <= Decimal::ZERO => {
            problems.line(line, format!("`{}` must be greater than 0, not {v}", raw.name));
            None
        }
        Ok(v) if raw.name != CHANGE && (v.fract() != Decimal::ZERO || v.to_u32().is_none()) => {
            problems.line(line, format!("`{}` must be a whole number of at most {}, not {v}", raw.name, u32::MAX));
            None
        }
        Ok(v) => Some(v),
        Err(message) => {
            problems.line(line, format!("`value`: {message}"));
            None
        }
    }
}

/// Checks one era's rows (order, pairing, thresholds) and builds its tables.
fn check_era(problems: &mut Problems, name: &str, rows: EraRows) -> SizingTables {
    let era = Era::parse(name).unwrap_or(Era::Current);
    let mut tables = SizingTables::empty(era);
    for (table, list) in [
        ("[[configuration_server]]", rows.configuration_servers.iter().map(|(l, r)| (*l, r)).collect::<Vec<_>>()),
        ("[[process_server]]", rows.process_servers.iter().map(|(l, r, ..)| (*l, r)).collect()),
    ] {
        if list.is_empty() {
            problems.at(None, format!("era {name} has no {table} rows"));
        }
        for pair in list.windows(2) {
            let ((_, a), (line, b)) = (pair[0], pair[1]);
            let grows = b.vcpus >= a.vcpus
                && b.memory_gb >= a.memory_gb
                && b.cache_disk_gb >= a.cache_disk_gb
                && b.max_machines > a.max_machines
                && b.max_change_gb_per_day > a.max_change_gb_per_day;
            if !grows {
                problems.line(
                    line,
                    format!(
                        "{table} rows of era {name} must be listed smallest first: this row must have more machines and more change than the one before, and no fewer vCPUs, memory or cache"
                    ),
                );
            }
        }
    }
    for (line, server, cs_vcpus, cs_memory) in rows.process_servers {
        let paired =
            rows.configuration_servers.iter().find(|(_, cs)| cs.vcpus == cs_vcpus && cs.memory_gb == cs_memory);
        match paired {
            Some((_, cs)) => {
                tables.process_servers.push(ProcessServerRow { server, configuration_server: cs.clone() })
            }
            None => problems.line(
                line,
                format!(
                    "no [[configuration_server]] row of era {name} has {cs_vcpus} vCPUs and {cs_memory} GB (configuration_server_vcpus, configuration_server_memory_gb)"
                ),
            ),
        }
    }
    tables.configuration_servers = rows.configuration_servers.into_iter().map(|(_, r)| r).collect();
    for threshold in THRESHOLDS {
        match rows.thresholds.get(threshold) {
            Some((line, value, source, note)) => {
                match threshold {
                    MACHINES => tables.built_in_max_machines = value.to_u32().unwrap_or(0),
                    CHANGE => tables.built_in_max_change_gb_per_day = *value,
                    _ => tables.max_servers_per_option = value.to_u32().unwrap_or(0),
                }
                let covered = tables.configuration_servers.last().is_none_or(|top| match threshold {
                    MACHINES => Decimal::from(top.max_machines) >= *value,
                    CHANGE => top.max_change_gb_per_day >= *value,
                    _ => true,
                });
                if !covered {
                    problems.line(
                        *line,
                        format!("`{threshold}` = {value} is more than the largest [[configuration_server]] row of era {name} covers"),
                    );
                }
                tables.threshold_sources.insert(threshold.to_string(), (source.clone(), note.clone()));
            }
            None => problems.at(None, format!("era {name} has no [[threshold]] `{threshold}`")),
        }
    }
    tables
}
