//! Workloads (issue 9): every server classified green / yellow / red by the rules of `rules/workloads.toml`,
//! grouped into applications, and the consultant's overrides applied — each colour with its reasons.
//!
//! The seed's three groups (002 L13316-L13320) are sorted by judgement; the rules give the first, technical
//! colour from the inventory and the Detailed Planner's qualification ([`crate::capacity::detailed`]) for the
//! era, and the overrides file carries the decisions no inventory holds (legal, security, regulatory,
//! business). Applications come from, in order, `--applications`, an application column of the inventory,
//! the connected components of `--dependencies`, else one per server ([`grouping`]).

pub mod facts;
pub mod grouping;
pub mod inputs;
pub mod overrides;
mod rules;

use std::path::PathBuf;

use serde::Serialize;

use crate::capacity::detailed::{DetailedPlan, Request, reader_warnings};
use crate::capacity::sizing::Era;
use crate::error::Result;
use crate::inventory::Tool;
use crate::model::codes::WorkloadsCode;
use crate::model::{Cited, Warning};
use crate::rules::Rules;
use crate::servers::{Server, ServerInventory};

pub use crate::rules::workloads::WorkloadRules;
pub use crate::rules::workloads::inputs::InputTables;
pub use inputs::{Override, Target};

pub use crate::rules::workloads::{Color, NEEDS_REVIEW};

/// Why a server or an application has its colour.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub code: String,
    pub color: Color,
    pub message: String,
    #[serde(flatten)]
    pub source: Cited,
    /// The consultant should look at it (Azure Migrate's "Readiness unknown", or no rule judged the server).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
    /// The server the reason is about (in an application's reasons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
}

impl Reason {
    pub fn is_override(&self) -> bool {
        WorkloadsCode::parse(&self.code).is_some_and(WorkloadsCode::is_override)
    }
}

/// One server's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ServerVerdict {
    pub name: String,
    pub application: String,
    /// `applications-file`, `inventory-column`, `dependencies` or `server` (one application per server).
    pub grouped_by: &'static str,
    pub color: Color,
    /// The rules' colour, before an override of the server.
    pub rules_color: Color,
    pub overridden: bool,
    pub needs_review: bool,
    pub reasons: Vec<Reason>,
    pub os: String,
    /// The Detailed Planner's "Is VM Qualified?" for the era (seed L13477).
    pub qualified: bool,
    /// The inventory file and the line or sheet row the server was read from.
    pub source: String,
    /// What the move means for the server's licences (Azure Hybrid Benefit, MAK activation, cancellation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licence_notes: Vec<LicenceNote>,
}

/// A licence note of rules/transfer-paths.toml about one server.
#[derive(Debug, Clone, Serialize)]
pub struct LicenceNote {
    pub code: String,
    pub message: String,
    #[serde(flatten)]
    pub source: Cited,
}

/// Servers per colour.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
}

impl Counts {
    fn add(&mut self, color: Color) {
        match color {
            Color::Green => self.green += 1,
            Color::Yellow => self.yellow += 1,
            Color::Red => self.red += 1,
        }
    }
}

/// One application's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationVerdict {
    pub name: String,
    pub color: Color,
    /// The worst of its servers' colours, before an override of the application.
    pub rules_color: Color,
    pub overridden: bool,
    pub needs_review: bool,
    pub servers: Vec<String>,
    pub counts: Counts,
    /// Servers of the application whose colour an override of the server decided.
    pub overridden_servers: usize,
    /// The application's override first, then its servers' reasons, worst first.
    pub reasons: Vec<Reason>,
}

/// Applications per colour (`green`, `yellow`, `red`, `needs_review`), and servers per colour.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    /// Applications with a server whose verdict needs review and no override of the application.
    pub needs_review: usize,
    pub applications: usize,
    pub servers: usize,
    pub server_colors: Counts,
    pub servers_needing_review: usize,
    pub overridden_applications: usize,
    pub overridden_servers: usize,
}

/// How the applications were formed: servers grouped by each source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupingSummary {
    pub applications_file: usize,
    pub inventory_column: usize,
    pub dependencies: usize,
    pub server: usize,
    /// Connections of the dependency export left out: infrastructure ports, servers not in the inventory, a
    /// server talking to itself, servers already grouped by an earlier source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections: Option<grouping::ConnectionCounts>,
}

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub path: String,
    /// `servers` (with its format), `applications`, `dependencies` or `overrides`.
    pub role: String,
}

/// `workloads`'s result.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadReport {
    pub tool: Tool,
    pub era: Era,
    pub inputs: Vec<InputFile>,
    pub summary: Summary,
    pub applications: Vec<ApplicationVerdict>,
    pub servers: Vec<ServerVerdict>,
    pub grouping: GroupingSummary,
    /// Codes of rules that matched no server (cargo-deny's "never matched"): a rule to check or retire.
    pub unmatched_rules: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl crate::output::Json for WorkloadReport {}

impl ApplicationVerdict {
    /// Who decided the colour (the table's, workbook's and page's "Decided by"): `override` (the consultant),
    /// `rules, N server override(s)` when the consultant decided some of its servers, `rules (review)` when a
    /// server's verdict needs the consultant's review, else `rules`.
    pub fn decided_by(&self) -> String {
        if self.overridden {
            "override".to_string()
        } else if self.overridden_servers > 0 {
            format!("rules, {} server override(s)", self.overridden_servers)
        } else if self.needs_review {
            "rules (review)".to_string()
        } else {
            "rules".to_string()
        }
    }
}

/// What `workloads` reads: server inventories `(path, name to show)` and the optional side files.
#[derive(Debug, Clone, Default)]
pub struct WorkloadInput {
    pub servers: Vec<(PathBuf, String)>,
    pub applications: Option<PathBuf>,
    pub dependencies: Option<PathBuf>,
    pub overrides: Option<PathBuf>,
    pub era: Option<Era>,
}

/// Reads the inventories and side files, classifies and groups.
pub fn assess(input: &WorkloadInput, rules: &Rules) -> Result<WorkloadReport> {
    let inventories = crate::servers::read_all(&input.servers, &rules.servers)?;
    let plan = DetailedPlan::from_inventories(&inventories, planner_request(input.era), rules)?;
    assess_planned(&inventories, &plan, input, rules)
}

/// The Detailed Planner's request the workloads are judged with: its defaults, in the era.
pub fn planner_request(era: Option<Era>) -> Request {
    Request { era, ..Request::default() }
}

/// [`assess`] over inventories already read and the Detailed Planner's plan of them (made with
/// [`planner_request`]), as `report` has them for its capacity plan; `input.servers` is not read again.
pub fn assess_planned(
    inventories: &[(String, ServerInventory)],
    plan: &DetailedPlan,
    input: &WorkloadInput,
    all_rules: &Rules,
) -> Result<WorkloadReport> {
    let (rules, tables) = (&all_rules.workloads, &all_rules.workload_inputs);
    let mut files: Vec<InputFile> = inventories
        .iter()
        .map(|(path, inventory)| InputFile { path: path.clone(), role: format!("servers ({})", inventory.format) })
        .collect();
    let servers: Vec<&Server> = inventories.iter().flat_map(|(_, i)| &i.servers).collect();
    // The readers' warnings (the planner's own, about change rates, do not concern workloads).
    let mut warnings: Vec<Warning> =
        inventories.iter().flat_map(|(path, inventory)| reader_warnings(path, inventory)).collect();

    let side = |path: &Option<PathBuf>, role: &str| {
        path.as_ref().map(|p| InputFile { path: p.display().to_string(), role: role.to_string() })
    };
    files.extend(side(&input.applications, "applications"));
    files.extend(side(&input.dependencies, "dependencies"));
    files.extend(side(&input.overrides, "overrides"));
    let applications =
        input.applications.as_deref().map(|p| inputs::read_applications(p, tables, &mut warnings)).transpose()?;
    let dependencies =
        input.dependencies.as_deref().map(|p| inputs::read_dependencies(p, tables, &mut warnings)).transpose()?;
    let sources = grouping::Sources {
        applications,
        applications_path: input.applications.clone(),
        dependencies_path: input.dependencies.clone(),
        dependencies,
        ignore_ports: &tables.ignore_ports,
    };
    let overrides = match &input.overrides {
        Some(path) => inputs::read_overrides(path, &path.display().to_string(), tables, &mut warnings)?,
        None => Vec::new(),
    };
    let groups = grouping::group(&servers, &sources, &mut warnings)?;

    let era = plan.inputs.era.value.as_str();
    let mut matched = vec![false; rules.rules.len()];
    let mut verdicts: Vec<ServerVerdict> = Vec::with_capacity(servers.len());
    for (index, (server, row)) in servers.iter().zip(&plan.servers).enumerate() {
        let facts = facts::Facts { server, row, era };
        let reasons = classify(&facts, rules, &mut matched);
        let color = reasons.iter().map(|r| r.color).max().unwrap_or(Color::Yellow);
        verdicts.push(ServerVerdict {
            name: server.name.clone(),
            application: groups.application[index].clone(),
            grouped_by: groups.grouped_by[index],
            color,
            rules_color: color,
            overridden: false,
            needs_review: reasons.iter().any(|r| r.review),
            reasons,
            os: server.os.clone(),
            qualified: row.qualified,
            source: format!("{}, {}", server.source.path, server.source.location),
            licence_notes: all_rules
                .transfer
                .licence_notes(&server.os)
                .map(|rule| LicenceNote {
                    code: rule.id.clone(),
                    message: rule.message.clone(),
                    source: rule.source.clone(),
                })
                .collect(),
        });
    }
    let applications = overrides::apply_overrides(&mut verdicts, &overrides)?;
    let unmatched_rules = rules.rules.iter().zip(&matched).filter(|(_, m)| !**m).map(|(r, _)| r.code.clone()).collect();
    let summary = summarise(&applications, &verdicts);
    Ok(WorkloadReport {
        tool: Tool::current(),
        era: plan.inputs.era.value,
        inputs: files,
        summary,
        applications,
        servers: verdicts,
        grouping: groups.summary,
        unmatched_rules,
        warnings,
    })
}

/// Every rule that holds gives a reason, worst first; none holding is `needs-review`.
fn classify(facts: &facts::Facts, rules: &WorkloadRules, matched: &mut [bool]) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (rule, matched) in rules.rules.iter().zip(matched.iter_mut()) {
        if rule.matches(facts) {
            *matched = true;
            reasons.push(Reason {
                code: rule.code.clone(),
                color: rule.color,
                message: facts.message(&rule.message, &rule.planner_codes),
                source: rule.citation.clone(),
                review: rule.review,
                server: None,
            });
        }
    }
    if reasons.is_empty() {
        reasons.push(Reason {
            code: NEEDS_REVIEW.to_string(),
            color: Color::Yellow,
            message: format!(
                "No rule judged this server (OS \"{}\", OS check: {}, Is VM Qualified? {}): review it; it is never \
                 green by default.",
                facts.server.os.trim(),
                facts.row.os_support,
                if facts.row.qualified { "Yes" } else { "No" }
            ),
            source: rules.no_rule_matched.clone(),
            review: true,
            server: None,
        });
    }
    // Stable: worst colour first, file order within a colour.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.color));
    reasons
}

fn summarise(applications: &[ApplicationVerdict], servers: &[ServerVerdict]) -> Summary {
    let mut summary = Summary { applications: applications.len(), servers: servers.len(), ..Summary::default() };
    for app in applications {
        match app.color {
            Color::Green => summary.green += 1,
            Color::Yellow => summary.yellow += 1,
            Color::Red => summary.red += 1,
        }
        summary.needs_review += usize::from(app.needs_review);
        summary.overridden_applications += usize::from(app.overridden);
    }
    for server in servers {
        summary.server_colors.add(server.color);
        summary.servers_needing_review += usize::from(server.needs_review);
        summary.overridden_servers += usize::from(server.overridden);
    }
    summary
}

/// [`top_codes`] written `code (n)`, as the workbook and the page show them.
pub fn top_reasons(app: &ApplicationVerdict, limit: usize) -> Vec<String> {
    top_codes(app, limit).into_iter().map(|(code, n)| format!("{code} ({n})")).collect()
}

/// The top reason codes of an application, with how many of its reasons carry each, worst first.
pub fn top_codes(app: &ApplicationVerdict, limit: usize) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, bool, Color, usize)> = Vec::new();
    for reason in &app.reasons {
        match counts.iter_mut().find(|(code, ..)| *code == reason.code) {
            Some(entry) => entry.3 += 1,
            None => counts.push((reason.code.clone(), reason.is_override(), reason.color, 1)),
        }
    }
    // Decisions first, then worst colour, then the most frequent.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(b.3.cmp(&a.3)));
    counts.into_iter().take(limit).map(|(code, _, _, n)| (code, n)).collect()
}
