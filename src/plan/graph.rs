//! The dependency graph of the move plan: `rules/dependencies.toml` (which property of a resource names which
//! other resource, and whether the two must move together) applied to the resources' `properties`, plus the
//! built-in child → parent rule from the resource ID path (anchors.md §2.1).
//!
//! Node `i` of the graph is resource `i` of the slice it was built from. IDs match case-insensitively; a target
//! that is a child path (`…/virtualNetworks/v/subnets/s`) resolves to the nearest ancestor in the inventory; a
//! blob URI resolves to the storage account (classic or Resource Manager) named by the host's first label. A
//! target not in the inventory is an [`ExternalDependency`], never an error.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::model::Resource;
use crate::model::resource_id;
use crate::rules::path_set::PathSet;
use crate::rules::predicate::{collect, split_wildcard};

/// The rule reference of the built-in child → parent edge.
pub const CHILD_RULE: &str = "built-in: child resource → parent (Microsoft Learn, Move operation support for resources: 'a child resource can't be moved independently from its parent resource', https://learn.microsoft.com/azure/azure-resource-manager/management/move-support-resources)";
pub const CHILD_KIND: &str = "parent";

use crate::rules::dependencies::type_matches;
pub use crate::rules::dependencies::{
    DependencyRules, EdgeRule, ExceptionKind, ExceptionRule, RULE_FILE, ValueKind, WholeGroupRule,
};

impl DependencyRules {
    /// What the rules say about one resource type, worked out once per type of an estate.
    fn for_type(&self, resource_type: &str) -> TypeRules {
        let edges = self.edge_indexes(resource_type);
        let mut paths = PathSet::default();
        for &i in &edges {
            let mut segments = self.edges[i].path.split('.');
            let (_, root_wildcard) = split_wildcard(segments.next().unwrap_or_default());
            paths.insert(root_wildcard, &segments.collect::<Vec<_>>());
        }
        let facts = NodeFacts {
            shared_global: exception_index(self, ExceptionKind::SharedGlobal, resource_type),
            may_stay_in_group: exception_index(self, ExceptionKind::MayStayInGroup, resource_type),
            whole_group: self.whole_group(resource_type),
        };
        TypeRules { facts, edges, paths }
    }
}

/// One dependency, as the plan reports it (`edges` of the JSON contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub must_move_together: bool,
    /// The rule line that made the edge (or [`CHILD_RULE`]); not in the JSON contract.
    #[serde(skip)]
    pub rule: String,
}

/// A reference to something that is not in the inventory (`external_dependencies` of the JSON contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalDependency {
    pub from: String,
    /// The top-level resource ID of the target as the reference spells it, or the blob endpoint of a storage
    /// account (`https://name.blob.core.windows.net/`), or the value as read when it is neither.
    pub to: String,
    pub kind: String,
    #[serde(skip)]
    pub must_move_together: bool,
    #[serde(skip)]
    pub rule: String,
}

/// The weight of a graph edge: which rule made it (index into the rules' edges, or the built-in rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeWeight {
    /// `None` for the built-in child → parent rule.
    pub rule: Option<u32>,
    pub must_move_together: bool,
}

/// Per-resource facts the batching needs from the rules.
#[derive(Debug, Clone, Default)]
pub struct NodeFacts {
    /// The `shared-global` exception that matches the resource's type.
    pub shared_global: Option<usize>,
    /// The `may-stay-in-group` exception that matches the resource's type.
    pub may_stay_in_group: Option<usize>,
    /// The whole-group rule that matches the resource's type.
    pub whole_group: Option<usize>,
}

/// What the rules say about one resource type.
struct TypeRules {
    facts: NodeFacts,
    /// Its edge rules (indexes into the rules' edges, in file order).
    edges: Vec<usize>,
    /// What those rules read below `properties`.
    paths: PathSet,
}

/// The dependency graph over a slice of resources: node `i` is resource `i`.
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    pub graph: DiGraph<usize, EdgeWeight>,
    pub external_dependencies: Vec<ExternalDependency>,
    /// Indexes of the resources without `properties`: no dependency data was available for them (the caller
    /// warns). Their child → parent edge (from the ID) is still made.
    pub without_properties: Vec<usize>,
    /// Child resources whose parent is not in the inventory: (resource index, the parent's ID), by index. Such a
    /// resource cannot move on its own (the caller plans it with a step that names the parent).
    pub missing_parents: Vec<(usize, String)>,
    pub facts: Vec<NodeFacts>,
    pub rules: DependencyRules,
}

impl DependencyGraph {
    /// Builds the graph of `resources` with `rules` (the rules are kept, so the graph can name each edge's rule).
    pub fn build(resources: &[Resource], rules: &DependencyRules) -> Self {
        let index = Index::new(resources);
        let mut graph = DiGraph::with_capacity(resources.len(), resources.len() * 2);
        for i in 0..resources.len() {
            graph.add_node(i);
        }
        let mut built = DependencyGraph {
            graph,
            external_dependencies: Vec::new(),
            without_properties: Vec::new(),
            missing_parents: Vec::new(),
            facts: Vec::with_capacity(resources.len()),
            rules: rules.clone(),
        };
        // (target, kind): two paths to the same target with the same kind (a classic VHD URI and its
        // `storageAccount.id`) make one edge.
        let mut made: HashSet<(usize, &str)> = HashSet::new();
        // Rules match types case-insensitively: what they say is worked out once per lowercase type.
        let mut by_type: HashMap<String, TypeRules> = HashMap::new();
        for (from, resource) in resources.iter().enumerate() {
            let type_rules = by_type
                .entry(resource.resource_type.to_ascii_lowercase())
                .or_insert_with(|| rules.for_type(&resource.resource_type));
            built.facts.push(type_rules.facts.clone());
            made.clear();
            built.add_parent_edge(from, resource, &index);
            let Some(properties) = resource.properties.as_ref().filter(|p| !p.is_null()) else {
                built.without_properties.push(from);
                continue;
            };
            if type_rules.edges.is_empty() {
                continue;
            }
            // Only what the type's edge rules read is parsed (see `PathSet`).
            let properties = type_rules.paths.value_of(properties);
            for &index_of_rule in &type_rules.edges {
                let rule = &rules.edges[index_of_rule];
                let mut values = Vec::new();
                let mut segments = rule.path.split('.');
                let (_, root_wildcard) = split_wildcard(segments.next().unwrap_or_default());
                collect(&properties, root_wildcard, &segments.collect::<Vec<_>>(), &mut values);
                for text in values.iter().filter_map(|v| v.as_str().map(str::trim)).filter(|t| !t.is_empty()) {
                    let target = match rule.value_kind {
                        ValueKind::ResourceId => index.resolve_id(text),
                        ValueKind::BlobUri => index.resolve_blob(text, resource.subscription_id.as_deref()),
                    };
                    built.add_rule_edge(from, resource, (index_of_rule, rule), target, &mut made);
                }
            }
        }
        built
    }

    /// Built-in: child → nearest parent in the inventory; a parent that is not there is an external dependency.
    fn add_parent_edge(&mut self, from: usize, resource: &Resource, index: &Index) {
        let own_key = resource_id::key(&resource.id);
        let Some(top) = child_parent_prefix(&own_key) else { return };
        match index.ancestor(&own_key, true) {
            Some(parent) if parent != from => {
                self.graph.add_edge(
                    NodeIndex::new(from),
                    NodeIndex::new(parent),
                    EdgeWeight { rule: None, must_move_together: true },
                );
            }
            Some(_) => {}
            None => {
                let parent = resource.id.trim()[..top].to_string();
                self.missing_parents.push((from, parent.clone()));
                self.external_dependencies.push(ExternalDependency {
                    from: resource.id.clone(),
                    to: parent,
                    kind: CHILD_KIND.to_string(),
                    must_move_together: true,
                    rule: CHILD_RULE.to_string(),
                });
            }
        }
    }

    /// One value an edge rule found: an edge to a resource of the inventory (once per target and kind), or an
    /// external dependency (once per target and kind of this resource).
    fn add_rule_edge<'r>(
        &mut self,
        from: usize,
        resource: &Resource,
        (index_of_rule, rule): (usize, &'r EdgeRule),
        target: Target,
        made: &mut HashSet<(usize, &'r str)>,
    ) {
        match target {
            Target::Found(to) if to == from => {} // a self-reference says nothing
            Target::Found(to) => {
                if made.insert((to, rule.kind.as_str())) {
                    let weight =
                        EdgeWeight { rule: Some(index_of_rule as u32), must_move_together: rule.must_move_together };
                    self.graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), weight);
                }
            }
            Target::External(to) => {
                let duplicate = self
                    .external_dependencies
                    .iter()
                    .rev()
                    .take_while(|e| e.from == resource.id)
                    .any(|e| e.to.eq_ignore_ascii_case(&to) && e.kind == rule.kind);
                if !duplicate {
                    self.external_dependencies.push(ExternalDependency {
                        from: resource.id.clone(),
                        to,
                        kind: rule.kind.clone(),
                        must_move_together: rule.must_move_together,
                        rule: rule.rule.clone(),
                    });
                }
            }
        }
    }

    /// True when no resource had `properties`: only the child → parent rule could be applied.
    pub fn no_dependency_data(&self) -> bool {
        self.without_properties.len() == self.facts.len() && !self.facts.is_empty()
    }

    /// The kind of an edge (its rule's `kind`, or `parent`).
    pub fn kind(&self, weight: &EdgeWeight) -> &str {
        weight.rule.map_or(CHILD_KIND, |i| self.rules.edges[i as usize].kind.as_str())
    }

    /// The rule reference of an edge (`rules/dependencies.toml line N`, or [`CHILD_RULE`]).
    pub fn rule(&self, weight: &EdgeWeight) -> &str {
        weight.rule.map_or(CHILD_RULE, |i| self.rules.edges[i as usize].rule.as_str())
    }

    /// The source of an edge's rule.
    pub fn source(&self, weight: &EdgeWeight) -> &str {
        weight.rule.map_or(CHILD_RULE, |i| self.rules.edges[i as usize].source.as_str())
    }

    /// One edge with the IDs of `resources` (the slice the graph was built from).
    pub fn edge(&self, resources: &[Resource], edge: EdgeIndex) -> Option<Edge> {
        let (from, to) = self.graph.edge_endpoints(edge)?;
        let weight = self.graph.edge_weight(edge)?;
        Some(Edge {
            from: resources[self.graph[from]].id.clone(),
            to: resources[self.graph[to]].id.clone(),
            kind: self.kind(weight).to_string(),
            must_move_together: weight.must_move_together,
            rule: self.rule(weight).to_string(),
        })
    }

    /// Every edge, in the order made (by source resource, then rule).
    pub fn edges(&self, resources: &[Resource]) -> Vec<Edge> {
        self.graph.edge_indices().filter_map(|e| self.edge(resources, e)).collect()
    }

    /// The edges leaving resource `i`.
    pub fn edges_from(&self, resources: &[Resource], i: usize) -> Vec<Edge> {
        let mut edges: Vec<EdgeIndex> = self.graph.edges(NodeIndex::new(i)).map(|e| e.id()).collect();
        edges.sort_unstable();
        edges.into_iter().filter_map(|e| self.edge(resources, e)).collect()
    }
}

fn exception_index(rules: &DependencyRules, kind: ExceptionKind, resource_type: &str) -> Option<usize> {
    rules.exceptions.iter().position(|e| e.kind == kind && e.types.iter().any(|t| type_matches(t, resource_type)))
}

enum Target {
    Found(usize),
    External(String),
}

/// Lookups by lowercase ID, and storage accounts by lowercase name.
struct Index {
    by_id: HashMap<String, usize>,
    storage: HashMap<String, Vec<(usize, Option<String>)>>,
}

impl Index {
    fn new(resources: &[Resource]) -> Self {
        let mut by_id = HashMap::with_capacity(resources.len());
        let mut storage: HashMap<String, Vec<(usize, Option<String>)>> = HashMap::new();
        for (i, resource) in resources.iter().enumerate() {
            by_id.entry(resource_id::key(&resource.id)).or_insert(i);
            let resource_type = resource.resource_type.to_ascii_lowercase();
            if resource_type == "microsoft.storage/storageaccounts"
                || resource_type == "microsoft.classicstorage/storageaccounts"
            {
                let subscription = resource.subscription_id.as_deref().map(str::to_ascii_lowercase);
                storage.entry(resource.name.to_ascii_lowercase()).or_default().push((i, subscription));
            }
        }
        Index { by_id, storage }
    }

    /// The resource `key` names, or its nearest ancestor in the inventory (`strict`: ancestors only). Only
    /// prefixes that still name a resource (`…/providers/ns/type/name[/type/name]…`) are tried, so an extension
    /// resource (`…/vm/providers/Microsoft.Insights/diagnosticSettings/d`) resolves to its scope (`…/vm`).
    fn ancestor(&self, key: &str, strict: bool) -> Option<usize> {
        let key = key.trim_end_matches('/');
        if !strict && let Some(&i) = self.by_id.get(key) {
            return Some(i);
        }
        let mut end = key.len();
        while let Some(cut) = key[..end].rfind('/') {
            end = cut;
            let prefix = &key[..end];
            if !prefix.contains("/providers/") {
                return None;
            }
            if names_a_resource(prefix)
                && let Some(&i) = self.by_id.get(prefix)
            {
                return Some(i);
            }
        }
        None
    }

    fn resolve_id(&self, text: &str) -> Target {
        let key = resource_id::key(text);
        if !key.starts_with('/') {
            return Target::External(text.to_string());
        }
        match self.ancestor(&key, false) {
            Some(i) => Target::Found(i),
            None => {
                let trimmed = text.trim().trim_end_matches('/');
                let end = top_level_end(&key).unwrap_or(trimmed.len()).min(trimmed.len());
                Target::External(trimmed[..end].to_string())
            }
        }
    }

    /// A blob URI names a storage account by its host's first label; the account of the same subscription
    /// is preferred when the name is in several.
    fn resolve_blob(&self, text: &str, subscription: Option<&str>) -> Target {
        let Some(host) = uri_host(text) else { return Target::External(text.to_string()) };
        let account = host.split('.').next().unwrap_or_default().to_ascii_lowercase();
        let subscription = subscription.map(str::to_ascii_lowercase);
        match self.storage.get(&account).map(Vec::as_slice) {
            Some([]) | None => Target::External(format!("https://{host}/")),
            Some(candidates) => {
                let same = candidates.iter().find(|(_, s)| s.is_some() && *s == subscription);
                Target::Found(same.unwrap_or(&candidates[0]).0)
            }
        }
    }
}

/// `https://name.blob.core.windows.net/vhds/x.vhd` → `name.blob.core.windows.net` (lowercase).
fn uri_host(text: &str) -> Option<String> {
    let rest = text.trim().split_once("://").map_or(text.trim(), |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty() && host.contains('.')).then(|| host.to_ascii_lowercase())
}

/// True when a lowercase ID prefix ends at a resource name: `…/providers/ns/type/name[/type/name]…`.
fn names_a_resource(prefix: &str) -> bool {
    let segments: Vec<&str> = prefix.split('/').collect();
    let Some(p) = segments.iter().rposition(|s| *s == "providers") else { return false };
    let after = segments.len() - p - 1; // namespace + type/name pairs
    after >= 3 && after % 2 == 1
}

/// For a child resource's lowercase key, the byte length of its parent's top-level ID (`…/providers/ns/type/name`);
/// `None` when the ID is not a child path (top-level resource, bare GUID, scope).
fn child_parent_prefix(key: &str) -> Option<usize> {
    let segments: Vec<&str> = key.split('/').collect();
    let p = segments.iter().rposition(|s| *s == "providers")?;
    let after = segments.len() - p - 1;
    if after >= 5 && after % 2 == 1 {
        return top_level_end(key);
    }
    // An extension resource (`…/vm/providers/Microsoft.Insights/diagnosticSettings/d`) is a child of its scope.
    if after == 3 && segments[..p].contains(&"providers") {
        return Some(segments[..p].join("/").len());
    }
    None
}

/// The byte length of the top-level resource ID inside a lowercase key: up to the first `providers/ns/type/name`.
fn top_level_end(key: &str) -> Option<usize> {
    let segments: Vec<&str> = key.split('/').collect();
    let p = segments.iter().position(|s| *s == "providers")?;
    if segments.len() < p + 4 {
        return None;
    }
    Some(segments[..p + 4].join("/").len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RuleProblem;
    use crate::rules::spans::Problems;
    use crate::rules::{Origin, RuleFile};

    fn file(text: &str) -> RuleFile {
        RuleFile::new(RULE_FILE.to_string(), Origin::Embedded, text.to_string())
    }

    fn parse(text: &str) -> (DependencyRules, Vec<RuleProblem>) {
        let file = file(text);
        let mut list = Vec::new();
        let rules = DependencyRules::parse(&file, &mut Problems { file: &file, list: &mut list });
        (rules, list)
    }

    #[test]
    fn the_embedded_rules_are_valid() {
        let rules = crate::rules::Rules::embedded().dependencies.clone();
        assert!(rules.edges.len() >= 40, "{} edges", rules.edges.len());
        assert!(rules.exception(ExceptionKind::MayStayInGroup, "microsoft.network/localnetworkgateways").is_some());
        assert!(rules.exception(ExceptionKind::SharedGlobal, "Microsoft.Network/privateDnsZones").is_some());
        assert!(
            rules
                .exception(ExceptionKind::SharedGlobal, "Microsoft.Network/privateDnsZones/virtualNetworkLinks")
                .is_some()
        );
        assert!(rules.exception(ExceptionKind::SharedGlobal, "Microsoft.Network/privateEndpoints").is_none());
        assert_eq!(rules.whole_group("microsoft.web/serverfarms"), Some(0));
        assert!(rules.edges.iter().all(|e| e.rule.starts_with("rules/dependencies.toml line ")));
    }

    #[test]
    fn problems_name_file_and_line() {
        let text = "\
[[edge]]
from_type = \"Microsoft.Compute/virtualMachines\"
path = \"properties.a.b\"
kind = \"nic\"
must_move_together = true
source = \"s\"

[[edge]]
from_type = \"virtualMachines\"
path = \"storageProfile..x\"
kind = \"Bad Kind\"
must_move_together = true
source = \"\"

[[edge]]
from_type = \"microsoft.compute/VIRTUALMACHINES\"
path = \"properties.a.b\"
kind = \"nic\"
must_move_together = true
colour = \"red\"
source = \"s\"

[[exception]]
kind = \"may-stay\"
types = []
message = \"m\"
source = \"s\"

[[whole_group]]
types = []
message = \"\"
source = \"s\"

[[other]]
x = 1
";
        let (rules, problems) = parse(text);
        assert_eq!(rules.edges.len(), 1);
        let at = |line: &str| problems.iter().filter(|p| p.location.as_deref() == Some(line)).count();
        assert_eq!(at("line 8"), 4, "{problems:?}"); // type, path, kind, source
        assert_eq!(at("line 20"), 1, "{problems:?}"); // unknown field `colour`
        assert_eq!(at("line 24"), 1, "{problems:?}"); // unknown exception kind, on its line
        assert_eq!(at("line 29"), 2, "{problems:?}"); // empty types, empty message
        assert!(problems.iter().any(|p| p.location.is_none() && p.message.contains("`other`")), "{problems:?}");
        assert!(problems.iter().all(|p| p.file == RULE_FILE));
        assert!(!problems.iter().any(|p| p.message.contains("`exception`") || p.message.contains("`edge`")));
        // Duplicate: same type and path, ignoring case.
        let dup = format!(
            "{}\n{}",
            &text[..text.find("\n[[edge]]\nfrom_type = \"virtual").unwrap()],
            &text[..text.find("\n\n").unwrap()]
        );
        let (rules, problems) = parse(&dup);
        assert_eq!(rules.edges.len(), 1);
        assert!(problems.iter().any(|p| p.message.starts_with("duplicate edge")), "{problems:?}");
    }

    #[test]
    fn a_syntax_error_is_reported_once() {
        let (_, problems) = parse("[[edge]\nfrom_type = 1\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].location.is_some());
    }

    #[test]
    fn ids_and_uris_resolve() {
        let mut vnet = Resource::new(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNet".into(),
            "VNet".into(),
            "Microsoft.Network/virtualNetworks".into(),
        );
        vnet.subscription_id = Some("S".into());
        let stor = Resource::new(
            "/subscriptions/S/resourceGroups/RG2/providers/Microsoft.ClassicStorage/storageAccounts/Disks1".into(),
            "Disks1".into(),
            "Microsoft.ClassicStorage/storageAccounts".into(),
        );
        let resources = [vnet, stor];
        let index = Index::new(&resources);
        let found = |t: Target| match t {
            Target::Found(i) => Some(i),
            Target::External(_) => None,
        };
        assert_eq!(
            found(index.resolve_id(
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet/subnets/a"
            )),
            Some(0)
        );
        assert_eq!(
            found(
                index
                    .resolve_id("/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/VIRTUALNETWORKS/VNET/")
            ),
            Some(0)
        );
        assert_eq!(found(index.resolve_blob("https://disks1.blob.core.windows.net/vhds/a.vhd", Some("S"))), Some(1));
        match index.resolve_id(
            "/subscriptions/X/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub/subnets/GatewaySubnet",
        ) {
            Target::External(to) => {
                assert_eq!(to, "/subscriptions/X/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub")
            }
            Target::Found(i) => panic!("found {i}"),
        }
        match index.resolve_blob("https://other.blob.core.windows.net/", None) {
            Target::External(to) => assert_eq!(to, "https://other.blob.core.windows.net/"),
            Target::Found(i) => panic!("found {i}"),
        }
        assert!(matches!(index.resolve_id("not an id"), Target::External(_)));
        assert_eq!(uri_host("HTTPS://Acct.Blob.Core.Windows.Net:443/x?y"), Some("acct.blob.core.windows.net".into()));
    }

    #[test]
    fn child_paths_and_extension_resources() {
        let key = "/subscriptions/s/resourcegroups/rg/providers/microsoft.sql/servers/srv/databases/db";
        assert_eq!(
            &key[..child_parent_prefix(key).unwrap()],
            "/subscriptions/s/resourcegroups/rg/providers/microsoft.sql/servers/srv"
        );
        assert_eq!(child_parent_prefix("/subscriptions/s/resourcegroups/rg/providers/microsoft.sql/servers/srv"), None);
        let ext = "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm/providers/microsoft.insights/diagnosticsettings/d";
        assert_eq!(
            &ext[..child_parent_prefix(ext).unwrap()],
            "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm"
        );
        assert_eq!(child_parent_prefix("0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4"), None);
        assert!(type_matches("Microsoft.Web/*", "microsoft.web/sites/slots"));
        assert!(type_matches("Microsoft.Network/dnsZones", "microsoft.network/dnszones/a"));
        assert!(!type_matches("Microsoft.Network/dnsZones", "microsoft.network/dnszonesx"));
    }
}
