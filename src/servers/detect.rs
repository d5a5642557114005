//! Which kind of server inventory a file is, from its content: a workbook with a `vInfo` sheet is an
//! RVTools export; otherwise the first rows of the CSV file (or of each worksheet) are compared with the
//! signatures of the planner table, the Azure Migrate import CSV and the Azure Migrate discovery report in
//! `rules/server-inventory.toml`; a CSV file with RVTools' vInfo columns is the vInfo tab of an RVTools CSV
//! export.

use std::path::Path;

use super::columns::{ServerRules, TableSpec};
use super::grid::Grid;
use crate::error::{InputError, Result};
use crate::rules::normalize_key;

/// What a file was found to be.
pub enum Detected<'r> {
    /// An RVTools workbook (the vInfo sheet's name).
    RvTools,
    /// A table identified by its header: the grid it is in and its spec.
    Table(Grid, &'r TableSpec),
}

/// Workbooks are recognised as the resource readers recognise them.
pub use crate::read::is_workbook;

pub fn detect<'r>(path: &Path, rules: &'r ServerRules) -> Result<Detected<'r>> {
    check_file(path)?;
    if is_workbook(path)? {
        let mut workbook = super::grid::open_workbook(path)?;
        let names = workbook.sheet_names();
        let rvtools_sheet = rules.table("rvtools", None).and_then(|t| t.sheet.as_deref()).unwrap_or("vInfo");
        if super::rvtools::find_sheet(&names, rvtools_sheet).is_some() {
            return Ok(Detected::RvTools);
        }
        let mut seen = Vec::new();
        for name in &names {
            let grid = Grid::from_sheet(&mut workbook, name)?;
            match identify(&grid, rules) {
                Identified::One(spec) => return Ok(Detected::Table(grid, spec)),
                Identified::Several(kinds) => return Err(ambiguous(path, &kinds).at(grid.place()).into()),
                Identified::None(headers) => {
                    seen.push(format!("sheet \"{name}\": {}", crate::read::quote_list(&headers)))
                }
            }
        }
        return Err(InputError::new(
            path,
            format!(
                "not a server inventory: no \"{rvtools_sheet}\" sheet (RVTools) and no sheet with the header of {}; \
                 headers seen: {}",
                expected(rules),
                if seen.is_empty() { "none (the workbook is empty)".to_string() } else { seen.join("; ") }
            ),
        )
        .into());
    }
    let grid = Grid::from_csv(path)?;
    match identify(&grid, rules) {
        Identified::One(spec) => Ok(Detected::Table(grid, spec)),
        Identified::Several(kinds) => Err(ambiguous(path, &kinds).at("line 1").into()),
        Identified::None(_) if is_rvtools_vinfo(&grid, rules) => Ok(Detected::RvTools),
        Identified::None(headers) => Err(not_an_inventory_csv(path, rules, &headers)),
    }
}

/// An RVTools vInfo tab exported as CSV: its header holds every column the vInfo table requires (VM, CPUs,
/// Memory), which the tables identified by header do not.
fn is_rvtools_vinfo(grid: &Grid, rules: &ServerRules) -> bool {
    let Some(spec) = rules.table("rvtools", Some("vInfo")) else { return false };
    grid.find_header(spec).is_ok_and(|(_, _, resolved)| spec.required.iter().all(|f| resolved.columns.contains_key(f)))
}

fn not_an_inventory_csv(path: &Path, rules: &ServerRules, headers: &[String]) -> crate::error::Error {
    // Another tab of an RVTools CSV export (RVTools_tabvDisk.csv): say which file to give instead.
    if let Some(tab) = super::rvtools_tabs::tab_of(path)
        && rules
            .tables
            .iter()
            .any(|t| t.kind == "rvtools" && t.sheet.as_deref().is_some_and(|s| normalize_key(s) == normalize_key(&tab)))
    {
        return InputError::new(
            path,
            format!(
                "this is the {tab} tab of an RVTools CSV export: give the vInfo tab (RVTools_tabvInfo.csv) instead; \
                 the other tabs are read from the same folder"
            ),
        )
        .into();
    }
    InputError::new(
        path,
        format!(
            "not a server inventory: expected the header of {}, or an RVTools vInfo tab (needs \"VM\", \"CPUs\", \
             \"Memory\"); headers seen: {}",
            expected(rules),
            crate::read::quote_list(headers)
        ),
    )
    .at("line 1")
    .into()
}

enum Identified<'r> {
    One(&'r TableSpec),
    Several(Vec<&'r TableSpec>),
    None(Vec<String>),
}

fn identify<'r>(grid: &Grid, rules: &'r ServerRules) -> Identified<'r> {
    let mut found: Vec<(usize, &TableSpec)> = Vec::new();
    let mut seen = Vec::new();
    for spec in rules.header_tables() {
        match grid.find_header(spec) {
            Ok((index, _, _)) => found.push((index, spec)),
            Err(headers) => seen = headers,
        }
    }
    // The header row found first wins; two kinds on the same row are ambiguous.
    found.sort_by_key(|(index, _)| *index);
    match found.as_slice() {
        [] => Identified::None(seen),
        [(_, spec)] => Identified::One(spec),
        [(first, spec), (second, _), ..] if first < second => Identified::One(spec),
        _ => Identified::Several(found.iter().filter(|(i, _)| *i == found[0].0).map(|(_, s)| *s).collect()),
    }
}

fn ambiguous(path: &Path, kinds: &[&TableSpec]) -> InputError {
    let names: Vec<String> = kinds.iter().map(|k| format!("{} ({})", k.kind, k.title)).collect();
    InputError::new(path, format!("the header matches more than one kind of server inventory: {}", names.join(" and ")))
}

fn expected(rules: &ServerRules) -> String {
    rules
        .header_tables()
        .map(|t| format!("{} (needs {})", t.kind, t.describe_signature()))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn check_file(path: &Path) -> Result<()> {
    // A FIFO or a device is refused as such (a device reports a length of 0: never "empty").
    let metadata = crate::open::check_regular(path)?;
    if metadata.len() == 0 {
        return Err(InputError::new(path, "the file is empty").into());
    }
    Ok(())
}
