//! The side files of `workloads`: the application mapping, the consultant's overrides and Azure Migrate's
//! dependency export. Header spellings are data (`rules/workload-inputs.toml`); the files are read as the
//! server inventories are ([`crate::servers::grid`]): CSV of any encoding, or the first worksheet holding the
//! header. Every problem is an [`InputError`] naming the file, the line (or sheet and cell) and the column.

use std::path::Path;

use super::Color;
use crate::error::{Error, InputError, Result};
use crate::model::Warning;
use crate::read::row_shape::Repeated;
use crate::servers::columns::TableSpec;
use crate::servers::grid::{Grid, Table};

pub use crate::rules::workloads::inputs::{InputTables, RULE_FILE};

/// A CSV file, or the first worksheet of a workbook whose header holds the table's signature.
pub fn read_grid(path: &Path, spec: &TableSpec) -> Result<Grid> {
    if crate::open::check_regular(path)?.len() == 0 {
        return Err(InputError::new(path, "the file is empty").into());
    }
    if !crate::read::is_workbook(path)? {
        return Grid::from_csv(path);
    }
    let mut workbook = crate::servers::grid::open_workbook(path)?;
    let names = workbook.sheet_names();
    let mut first = None;
    for name in &names {
        let grid = Grid::from_sheet(&mut workbook, name)?;
        if grid.find_header(spec).is_ok() {
            return Ok(grid);
        }
        first.get_or_insert(grid);
    }
    // No sheet holds it: the first sheet's error names the columns expected and the headers seen.
    first.ok_or_else(|| InputError::new(path, "the workbook has no sheet").into())
}

/// The text of a mandatory field, or an error naming the cell.
pub fn required_text(table: &Table, row: &crate::servers::grid::Row, field: &str) -> Result<String> {
    row.text(field).ok_or_else(|| {
        InputError::new(&table.grid.path, format!("\"{}\" is empty; it is mandatory", table.spec.header_of(field)))
            .at(row.cell_location(field))
            .column(table.spec.header_of(field))
            .into()
    })
}

/// One row of the application mapping.
pub struct Assignment {
    pub server: String,
    pub application: String,
    pub location: String,
}

/// The warnings of a side file's table (a column there twice, the header repeated), each naming the file.
fn table_warnings(path: &Path, table: &Table) -> impl Iterator<Item = Warning> {
    let file = path.display().to_string();
    table.warnings().into_iter().map(move |w| Warning { location: format!("{file}, {}", w.location), ..w })
}

pub fn read_applications(path: &Path, tables: &InputTables, warnings: &mut Vec<Warning>) -> Result<Vec<Assignment>> {
    let grid = read_grid(path, &tables.applications)?;
    let table = grid.table(&tables.applications)?;
    warnings.extend(table_warnings(path, &table));
    let mut rows = Vec::new();
    for row in table.rows() {
        rows.push(Assignment {
            server: required_text(&table, &row, "server")?,
            application: required_text(&table, &row, "application")?,
            location: row.location(),
        });
    }
    Ok(rows)
}

/// What an override names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Application(String),
    Server(String),
}

/// One of the consultant's decisions.
#[derive(Debug, Clone)]
pub struct Override {
    pub target: Target,
    pub color: Color,
    pub reason: String,
    pub author: String,
    /// The seed's Red reasons (L13320): legal, security, regulatory, business, cost; free text is kept as is.
    pub category: Option<String>,
    /// "overrides.csv, line 3".
    pub source: String,
    /// The file, the cell naming the target and its column, for errors about what it names.
    pub path: std::path::PathBuf,
    pub location: String,
    pub column: String,
}

pub fn read_overrides(
    path: &Path,
    display: &str,
    tables: &InputTables,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Override>> {
    let spec = &tables.overrides;
    let grid = read_grid(path, spec)?;
    let table = grid.table(spec)?;
    warnings.extend(table_warnings(path, &table));
    if !table.has("application") && !table.has("server") {
        return Err(InputError::new(
            path,
            format!(
                "no \"{}\" or \"{}\" column: each override names an application or a server",
                spec.header_of("application"),
                spec.header_of("server")
            ),
        )
        .at(grid.place())
        .into());
    }
    let mut rows = Vec::new();
    for row in table.rows() {
        let cell_error = |field: &str, message: String| -> Error {
            InputError::new(path, message).at(row.cell_location(field)).column(spec.header_of(field)).into()
        };
        let (target, target_field) = match (row.text("application"), row.text("server")) {
            (Some(application), None) => (Target::Application(application), "application"),
            (None, Some(server)) => (Target::Server(server), "server"),
            (Some(_), Some(_)) => {
                return Err(cell_error(
                    "server",
                    "both an application and a server: an override names one of them (one row each)".to_string(),
                ));
            }
            (None, None) => {
                return Err(cell_error("application", "names neither an application nor a server".to_string()));
            }
        };
        let color_text = required_text(&table, &row, "color")?;
        let color = Color::parse(&color_text).ok_or_else(|| {
            cell_error("color", format!("unknown color \"{color_text}\": expected green, yellow or red"))
        })?;
        rows.push(Override {
            target,
            color,
            reason: required_text(&table, &row, "reason")?,
            author: required_text(&table, &row, "author")?,
            category: row.text("category"),
            source: format!("{display}, {}", row.location()),
            path: path.to_path_buf(),
            location: row.cell_location(target_field),
            column: spec.header_of(target_field),
        });
    }
    Ok(rows)
}

/// One connection of the dependency export.
pub struct Connection {
    pub source: String,
    pub destination: String,
    pub port: Option<u16>,
}

/// The distinct connections of a dependency export, and how many rows repeated one (the export has a row per
/// connection per 6-hour time slot).
pub struct Dependencies {
    pub connections: Vec<Connection>,
    pub repeated_rows: usize,
}

/// Data rows per chunk when a CSV export is streamed.
const CHUNK_ROWS: usize = 50_000;

/// Reads the export: a CSV file is streamed in chunks (it can hold millions of rows), a workbook read whole; only
/// distinct (source, destination, port) connections are kept, so memory follows the estate, not the export.
pub fn read_dependencies(path: &Path, tables: &InputTables, warnings: &mut Vec<Warning>) -> Result<Dependencies> {
    let spec = &tables.dependencies;
    let mut seen = std::collections::HashSet::new();
    let mut found = Dependencies { connections: Vec::new(), repeated_rows: 0 };
    // A CSV export is read in chunks: the header's warnings are the first chunk's, its repeats summed.
    let (mut header_warnings, mut repeated, mut header_line) = (None, Repeated::default(), 1);
    let mut add = |table: &Table| -> Result<()> {
        if header_warnings.is_none() {
            header_warnings = Some(table.header_warnings.clone());
            header_line = table.header_line();
        }
        repeated.merge(table.repeated);
        for row in table.rows() {
            let Some(connection) = connection(path, spec, &row)? else { continue };
            let key = (connection.source.to_lowercase(), connection.destination.to_lowercase(), connection.port);
            if seen.insert(key) {
                found.connections.push(connection);
            } else {
                found.repeated_rows += 1;
            }
        }
        Ok(())
    };
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Err(InputError::new(path, "the file is empty").into());
    }
    if crate::read::is_workbook(path)? {
        let grid = read_grid(path, spec)?;
        add(&grid.table(spec)?)?;
    } else {
        Grid::for_each_csv_chunk(path, spec, CHUNK_ROWS, add)?;
    }
    let file = path.display().to_string();
    let all = header_warnings.unwrap_or_default().into_iter().chain(repeated.warning(header_line));
    warnings.extend(all.map(|w| Warning { location: format!("{file}, {}", w.location), ..w }));
    Ok(found)
}

/// One row's connection; `None` for a row without both server names (a connection to an address outside the
/// discovered estate joins nothing).
fn connection(path: &Path, spec: &TableSpec, row: &crate::servers::grid::Row) -> Result<Option<Connection>> {
    let (Some(source), Some(destination)) = (row.text("source_server"), row.text("destination_server")) else {
        return Ok(None);
    };
    let port = match row.count("destination_port", false)? {
        Some(port) if port <= u32::from(u16::MAX) => Some(port as u16),
        Some(port) => {
            return Err(InputError::new(path, format!("port {port} is not a TCP port (0-65535)"))
                .at(row.cell_location("destination_port"))
                .column(spec.header_of("destination_port"))
                .into());
        }
        None => None,
    };
    Ok(Some(Connection { source, destination, port }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    #[test]
    fn every_problem_of_the_side_file_rules_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[[table]]\nkind = \"applications\"\ntitle = \"t\"\nsource = \"\"\nsignature = [\"server\"]\n\
                    required = [\"application\"]\nignore_ports = [53]\n[table.columns]\nserver = [\"Server\"]\n\
                    shoe = [\"Shoe\", \"server\"]\n\n[[table]]\nkind = \"bogus\"\ntitle = \"t\"\nsource = \"s\"\n\
                    signature = []\nrequired = []\n[table.columns]\n";
        std::fs::write(dir.path().join(RULE_FILE), text).unwrap();
        let pack = RulePack::with_overrides(dir.path()).unwrap();
        let mut list = Vec::new();
        assert!(InputTables::parse(pack.file(RULE_FILE).unwrap(), &mut list).is_none());
        let all = list.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
        for expected in [
            "line 1: source is empty",
            "unknown field `shoe`",
            "header \"server\" is given for both",
            "`application` (signature or required) has no entry",
            "ignore_ports is for the `dependencies` table only",
            "line 12: unknown kind `bogus`",
            "no [[table]] of kind `overrides`",
        ] {
            assert!(all.contains(expected), "{expected} in:\n{all}");
        }
    }

    #[test]
    fn the_embedded_tables_are_valid() {
        let tables = crate::rules::Rules::embedded().workload_inputs.clone();
        assert!(tables.ignore_ports.contains(&53) && !tables.ignore_ports.contains(&445));
        assert_eq!(tables.dependencies.required.len(), 3);
    }
}
