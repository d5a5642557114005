//! `rules/dependencies.toml`: the edges between resources that the move plan follows, the exceptions and the
//! whole-group rules, deserialised and validated with every problem reported at once (file, line). The graph
//! built from them is `plan::graph`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::rules::RuleFile;
use crate::rules::path_set::PathSet;
use crate::rules::spans::{Problems, toml_entries, toml_entries_among};

pub const RULE_FILE: &str = "dependencies.toml";

/// How the value at an edge's path names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    #[default]
    ResourceId,
    BlobUri,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdge {
    from_type: String,
    path: String,
    #[serde(default)]
    value_kind: ValueKind,
    kind: String,
    must_move_together: bool,
    source: String,
}

/// What an `[[exception]]` lets a resource do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionKind {
    /// Moves with its batch but need not be consolidated into the batch's resource group.
    MayStayInGroup,
    /// A shared global service: must-move-together edges with other resources do not pull it into their batch.
    SharedGlobal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    kind: ExceptionKind,
    types: Vec<String>,
    message: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWholeGroup {
    types: Vec<String>,
    message: String,
    source: String,
}

/// One `[[edge]]` of `rules/dependencies.toml`.
#[derive(Debug, Clone)]
pub struct EdgeRule {
    /// `rules/dependencies.toml line N`.
    pub rule: String,
    pub from_type: String,
    pub path: String,
    pub value_kind: ValueKind,
    pub kind: String,
    pub must_move_together: bool,
    pub source: String,
}

/// One `[[exception]]`.
#[derive(Debug, Clone)]
pub struct ExceptionRule {
    pub rule: String,
    pub kind: ExceptionKind,
    pub types: Vec<String>,
    pub message: String,
    pub source: String,
}

/// One `[[whole_group]]`: every resource of its types in one resource group is in one batch.
#[derive(Debug, Clone)]
pub struct WholeGroupRule {
    pub rule: String,
    pub types: Vec<String>,
    pub message: String,
    pub source: String,
}

/// The validated `rules/dependencies.toml`.
#[derive(Debug, Clone, Default)]
pub struct DependencyRules {
    pub edges: Vec<EdgeRule>,
    pub exceptions: Vec<ExceptionRule>,
    pub whole_groups: Vec<WholeGroupRule>,
    /// Lowercase type, or `namespace/*`, → indexes into `edges`, in file order.
    by_type: HashMap<String, Vec<usize>>,
    /// The pack's sources registry, for the citations the plan makes in code (its remediation steps).
    pub sources: std::sync::Arc<super::sources::Sources>,
    pub move_request: MoveRequestLimit,
}

const KEYS: [&str; 4] = ["edge", "exception", "whole_group", "move_request"];

/// `[move_request]`: the most resources one move request carries, and its source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoveRequest {
    max_resources: u32,
    source: String,
}

/// The most resources one move request may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveRequestLimit {
    pub max_resources: usize,
    pub source: crate::model::Cited,
}

impl DependencyRules {
    /// Parses and validates the file, adding each problem (with its line) to `problems`.
    pub fn parse(file: &RuleFile, problems: &mut Problems) -> Self {
        let mut rules = DependencyRules { sources: file.sources.clone(), ..DependencyRules::default() };
        // `toml_entries` reads one key per file; this file has three, so its "unknown top-level key" reports
        // are dropped and the top-level keys are checked here. A syntax error is reported once.
        match toml::from_str::<toml::Table>(&file.text) {
            Err(_) => {
                toml_entries::<RawEdge>(file, "edge", problems);
                return rules;
            }
            Ok(table) => {
                for other in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                    problems.at(
                        None,
                        format!("unknown top-level key `{other}`: the file holds `[[edge]]`, `[[exception]]` and `[[whole_group]]` entries and `[move_request]` only"),
                    );
                }
                match table.get("move_request").cloned().map(|v| v.try_into::<RawMoveRequest>()) {
                    Some(Ok(raw)) if raw.max_resources > 0 => {
                        let source = file.cited(&raw.source);
                        rules.move_request = MoveRequestLimit { max_resources: raw.max_resources as usize, source };
                    }
                    Some(Ok(_)) => problems.at(Some("[move_request]".to_string()), "`max_resources` must be above 0"),
                    Some(Err(e)) => problems.at(Some("[move_request]".to_string()), e.message().to_string()),
                    None => problems.at(None, "no `[move_request]`: the most resources one move request carries"),
                }
            }
        }
        let edges = toml_entries_among::<RawEdge>(file, "edge", problems);
        let exceptions = toml_entries_among::<RawException>(file, "exception", problems);
        let whole_groups = toml_entries_among::<RawWholeGroup>(file, "whole_group", problems);
        let rule = |line: u64| format!("rules/{} line {line}", file.name);

        let mut seen = HashSet::new();
        for entry in edges {
            let (line, raw) = (entry.line, entry.value);
            let mut ok = check_type(problems, line, "from_type", &raw.from_type);
            if let Some(problem) = path_problem(&raw.path) {
                problems.line(line, problem);
                ok = false;
            }
            if !is_kind_name(&raw.kind) {
                problems
                    .line(line, format!("`kind` \"{}\" must be a short lowercase name (letters, digits, -)", raw.kind));
                ok = false;
            }
            if raw.source.trim().is_empty() {
                problems.line(line, "`source` must not be empty");
                ok = false;
            }
            if !seen.insert((raw.from_type.to_ascii_lowercase(), raw.path.to_ascii_lowercase())) {
                problems.line(line, format!("duplicate edge: `{}` `{}` is already listed", raw.from_type, raw.path));
                ok = false;
            }
            if !ok {
                continue;
            }
            rules.by_type.entry(raw.from_type.to_ascii_lowercase()).or_default().push(rules.edges.len());
            rules.edges.push(EdgeRule {
                rule: rule(line),
                from_type: raw.from_type,
                path: raw.path,
                value_kind: raw.value_kind,
                kind: raw.kind,
                must_move_together: raw.must_move_together,
                source: problems.file.cite(&raw.source),
            });
        }
        for entry in exceptions {
            let (line, raw) = (entry.line, entry.value);
            if check_entry(problems, line, &raw.types, &raw.message, &raw.source) {
                let (kind, types, message, source) =
                    (raw.kind, raw.types, raw.message, problems.file.cite(&raw.source));
                rules.exceptions.push(ExceptionRule { rule: rule(line), kind, types, message, source });
            }
        }
        for entry in whole_groups {
            let (line, raw) = (entry.line, entry.value);
            if check_entry(problems, line, &raw.types, &raw.message, &raw.source) {
                let (types, message, source) = (raw.types, raw.message, problems.file.cite(&raw.source));
                rules.whole_groups.push(WholeGroupRule { rule: rule(line), types, message, source });
            }
        }
        rules
    }

    /// Adds the paths of `properties` the edge rules read.
    pub fn add_property_paths(&self, paths: &mut PathSet) {
        for edge in &self.edges {
            paths.insert_dotted("properties", &edge.path);
        }
    }

    /// The edge rules for a resource type (exact type and `Namespace/*`), in file order.
    pub fn edges_for(&self, resource_type: &str) -> Vec<&EdgeRule> {
        self.edge_indexes(resource_type).into_iter().map(|i| &self.edges[i]).collect()
    }

    /// The indexes into `edges` of the rules for a resource type (exact type and `Namespace/*`), in file order.
    pub fn edge_indexes(&self, resource_type: &str) -> Vec<usize> {
        let resource_type = resource_type.to_ascii_lowercase();
        let mut indexes: Vec<usize> = self.by_type.get(&resource_type).cloned().unwrap_or_default();
        if let Some(namespace) = resource_type.split('/').next()
            && let Some(more) = self.by_type.get(&format!("{namespace}/*"))
        {
            indexes.extend(more);
            indexes.sort_unstable();
        }
        indexes
    }

    /// The first exception of `kind` whose types match `resource_type`.
    pub fn exception(&self, kind: ExceptionKind, resource_type: &str) -> Option<&ExceptionRule> {
        self.exceptions.iter().find(|e| e.kind == kind && e.types.iter().any(|t| type_matches(t, resource_type)))
    }

    /// The index of the first whole-group rule whose types match `resource_type`.
    pub fn whole_group(&self, resource_type: &str) -> Option<usize> {
        self.whole_groups.iter().position(|g| g.types.iter().any(|t| type_matches(t, resource_type)))
    }
}

fn check_type(problems: &mut Problems, line: u64, field: &str, resource_type: &str) -> bool {
    let parts: Vec<&str> = resource_type.split('/').collect();
    let ok = parts.len() >= 2 && parts.iter().all(|p| !p.trim().is_empty() && !p.contains(' '));
    if !ok {
        problems.line(
            line,
            format!("`{field}` \"{resource_type}\" is not a resource type (`Namespace/type` or `Namespace/*`)"),
        );
    }
    ok
}

fn check_entry(problems: &mut Problems, line: u64, types: &[String], message: &str, source: &str) -> bool {
    let mut ok = true;
    if types.is_empty() {
        problems.line(line, "`types` must list at least one resource type");
        ok = false;
    }
    for resource_type in types {
        ok &= check_type(problems, line, "types", resource_type);
    }
    if message.trim().is_empty() || source.trim().is_empty() {
        problems.line(line, "`message` and `source` must not be empty");
        ok = false;
    }
    ok
}

fn path_problem(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.first().map(|s| s.trim_end_matches("[*]")) != Some("properties") || segments.len() < 2 {
        return Some(format!("`path` \"{path}\" must be a dot path starting with `properties.`"));
    }
    let bad = segments.iter().any(|s| {
        let name = s.strip_suffix("[*]").unwrap_or(s);
        name.is_empty() || name.contains(['[', ']', ' '])
    });
    bad.then(|| format!("`path` \"{path}\" is not a dot path (names separated by `.`, `[*]` after an array name)"))
}

fn is_kind_name(kind: &str) -> bool {
    !kind.is_empty() && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `Microsoft.Web/*` matches the namespace; `A/b` matches `A/b` and its child types `A/b/c`; case-insensitive.
pub fn type_matches(pattern: &str, resource_type: &str) -> bool {
    let (pattern, resource_type) = (pattern.to_ascii_lowercase(), resource_type.to_ascii_lowercase());
    if let Some(namespace) = pattern.strip_suffix("/*") {
        return resource_type.split('/').next() == Some(namespace);
    }
    resource_type == pattern || resource_type.strip_prefix(&pattern).is_some_and(|rest| rest.starts_with('/'))
}
