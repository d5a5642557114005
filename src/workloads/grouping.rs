//! Which application each server belongs to. Per server, the first source that names one wins:
//! 1. `--applications` (server, application);
//! 2. the inventory's application column (`application` in rules/server-inventory.toml);
//! 3. `--dependencies` (Azure Migrate's export): the connected components (petgraph's union-find) of the
//!    servers not grouped by 1 or 2, over connections between two inventory servers on a port that is not an
//!    infrastructure service's (rules/workload-inputs.toml `ignore_ports`); a component of two or more servers
//!    is one application, named after its first server in input order ("web01 group");
//! 4. else one application per server, named after it.
//!
//! Application names that differ only in case are one application, spelled as first written. Server names are
//! matched ignoring case, and a dependency export's FQDN ("web01.contoso.local") matches an
//! inventory's short name ("web01") when only one server has it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use petgraph::unionfind::UnionFind;
use serde::Serialize;

use super::GroupingSummary;
use super::inputs::{Assignment, Connection, Dependencies};
use crate::error::{InputError, Result};
use crate::model::Warning;
use crate::servers::Server;

/// The side files that group servers.
pub struct Sources<'a> {
    pub applications: Option<Vec<Assignment>>,
    pub applications_path: Option<PathBuf>,
    pub dependencies: Option<Dependencies>,
    pub dependencies_path: Option<PathBuf>,
    pub ignore_ports: &'a [u16],
}

/// What happened to the dependency export's connections.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConnectionCounts {
    /// Distinct (source, destination, port) connections with both server names.
    pub rows: usize,
    /// Rows that repeat a connection already read (the export has one per 6-hour time slot).
    pub repeated_rows: usize,
    pub used: usize,
    pub infrastructure_port: usize,
    pub outside_inventory: usize,
    pub same_server: usize,
    pub already_grouped: usize,
}

/// Per server (input order): its application and the source that gave it.
pub struct Groups {
    pub application: Vec<String>,
    pub grouped_by: Vec<&'static str>,
    pub summary: GroupingSummary,
}

/// Server name → index, by full name and by the first label of a dotted name (when unique).
struct NameIndex {
    full: HashMap<String, usize>,
    short: HashMap<String, Option<usize>>,
}

impl NameIndex {
    fn new(servers: &[&Server]) -> Self {
        let mut full = HashMap::new();
        let mut short: HashMap<String, Option<usize>> = HashMap::new();
        for (index, server) in servers.iter().enumerate() {
            let name = server.name.to_lowercase();
            let label = name.split('.').next().unwrap_or(&name).to_string();
            full.entry(name).or_insert(index);
            short.entry(label).and_modify(|seen| *seen = None).or_insert(Some(index));
        }
        NameIndex { full, short }
    }

    fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim().to_lowercase();
        if let Some(index) = self.full.get(&name) {
            return Some(*index);
        }
        let label = name.split('.').next().unwrap_or(&name);
        self.full.get(label).copied().or_else(|| self.short.get(label).copied().flatten())
    }
}

pub fn group(servers: &[&Server], sources: &Sources, warnings: &mut Vec<Warning>) -> Result<Groups> {
    let index = NameIndex::new(servers);
    let mut application: Vec<Option<String>> = vec![None; servers.len()];
    let mut grouped_by: Vec<&'static str> = vec!["server"; servers.len()];
    let mut summary = GroupingSummary::default();

    if let Some(assignments) = &sources.applications {
        let path = sources.applications_path.clone().unwrap_or_default();
        let grouped = (&mut application[..], &mut grouped_by[..]);
        from_applications_file(assignments, &path, &index, grouped, &mut summary, warnings)?;
    }
    from_inventory_column(servers, &mut application, &mut grouped_by, &mut summary);
    if let Some(dependencies) = &sources.dependencies {
        let grouped = (&mut application[..], &mut grouped_by[..]);
        from_dependencies(servers, dependencies, sources, &index, grouped, &mut summary, warnings);
    }

    let application = spelled_as_first_written(application, servers);
    summary.server = grouped_by.iter().filter(|g| **g == "server").count();
    Ok(Groups { application, grouped_by, summary })
}

/// The applications file's assignments, first: a server given two applications is an error, a server not in the
/// inventory a warning.
fn from_applications_file(
    assignments: &[Assignment],
    path: &std::path::Path,
    index: &NameIndex,
    (application, grouped_by): (&mut [Option<String>], &mut [&'static str]),
    summary: &mut GroupingSummary,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let mut first_at: HashMap<usize, &Assignment> = HashMap::new();
    let mut unknown = Vec::new();
    for assignment in assignments {
        let Some(server) = index.find(&assignment.server) else {
            unknown.push(assignment.server.clone());
            continue;
        };
        if let Some(first) = first_at.get(&server) {
            if !first.application.eq_ignore_ascii_case(&assignment.application) {
                return Err(InputError::new(
                    path,
                    format!(
                        "server \"{}\" is given application \"{}\" here and \"{}\" at {}; a server belongs to one \
                         application",
                        assignment.server, assignment.application, first.application, first.location
                    ),
                )
                .at(assignment.location.clone())
                .into());
            }
            continue;
        }
        first_at.insert(server, assignment);
        application[server] = Some(assignment.application.clone());
        grouped_by[server] = "applications-file";
        summary.applications_file += 1;
    }
    if !unknown.is_empty() {
        warnings.push(Warning {
            location: path.display().to_string(),
            message: format!(
                "{} server(s) of the applications file are not in the inventory, ignored: {}",
                unknown.len(),
                shorten(&unknown)
            ),
        });
    }
    Ok(())
}

/// Then the inventory's own application column, for the servers the file did not group.
fn from_inventory_column(
    servers: &[&Server],
    application: &mut [Option<String>],
    grouped_by: &mut [&'static str],
    summary: &mut GroupingSummary,
) {
    for (i, server) in servers.iter().enumerate() {
        if application[i].is_none()
            && let Some(name) = server.application.as_deref().filter(|n| !n.trim().is_empty())
        {
            application[i] = Some(name.trim().to_string());
            grouped_by[i] = "inventory-column";
            summary.inventory_column += 1;
        }
    }
}

/// Then the dependency export's connected components, for the servers still not grouped.
fn from_dependencies(
    servers: &[&Server],
    dependencies: &Dependencies,
    sources: &Sources,
    index: &NameIndex,
    (application, grouped_by): (&mut [Option<String>], &mut [&'static str]),
    summary: &mut GroupingSummary,
    warnings: &mut Vec<Warning>,
) {
    let connections = &dependencies.connections;
    let mut counts = components(servers, connections, index, sources.ignore_ports, application, grouped_by);
    counts.repeated_rows = dependencies.repeated_rows;
    summary.dependencies = grouped_by.iter().filter(|g| **g == "dependencies").count();
    if counts.outside_inventory > 0 {
        warnings.push(Warning {
            location: sources
                .dependencies_path
                .as_deref()
                .unwrap_or(std::path::Path::new("dependencies"))
                .display()
                .to_string(),
            message: format!(
                "{} connection(s) name a server that is not in the inventory: left out of the grouping",
                counts.outside_inventory
            ),
        });
    }
    summary.connections = Some(counts);
}

/// Each server's application, its own name when none grouped it. Names that differ only in case are one
/// application, spelled as first written (input order).
fn spelled_as_first_written(application: Vec<Option<String>>, servers: &[&Server]) -> Vec<String> {
    let mut spelling: HashMap<String, String> = HashMap::new();
    application
        .into_iter()
        .zip(servers)
        .map(|(app, server)| {
            let name = app.unwrap_or_else(|| server.name.clone());
            spelling.entry(name.to_lowercase()).or_insert(name).clone()
        })
        .collect()
}

/// Connected components of the servers not yet grouped; each of two or more servers becomes an application.
fn components(
    servers: &[&Server],
    connections: &[Connection],
    index: &NameIndex,
    ignore_ports: &[u16],
    application: &mut [Option<String>],
    grouped_by: &mut [&'static str],
) -> ConnectionCounts {
    let mut counts = ConnectionCounts { rows: connections.len(), ..ConnectionCounts::default() };
    let mut sets = UnionFind::<usize>::new(servers.len());
    for connection in connections {
        if connection.port.is_some_and(|p| ignore_ports.contains(&p)) {
            counts.infrastructure_port += 1;
            continue;
        }
        let (Some(a), Some(b)) = (index.find(&connection.source), index.find(&connection.destination)) else {
            counts.outside_inventory += 1;
            continue;
        };
        if a == b {
            counts.same_server += 1;
        } else if application[a].is_some() || application[b].is_some() {
            counts.already_grouped += 1;
        } else {
            sets.union(a, b);
            counts.used += 1;
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..servers.len()).filter(|i| application[*i].is_none()) {
        members.entry(sets.find(i)).or_default().push(i);
    }
    let taken: std::collections::HashSet<String> = application.iter().flatten().map(|a| a.to_lowercase()).collect();
    for group in members.values().filter(|m| m.len() > 1) {
        // Members are in input order: the first names the group.
        let mut name = format!("{} group", servers[group[0]].name);
        if taken.contains(&name.to_lowercase()) {
            name = format!("{name} (dependencies)");
        }
        for &i in group {
            application[i] = Some(name.clone());
            grouped_by[i] = "dependencies";
        }
    }
    counts
}

fn shorten(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(10).map(|n| format!("\"{n}\"")).collect();
    if names.len() > 10 { format!("{} and {} more", shown.join(", "), names.len() - 10) } else { shown.join(", ") }
}
