//! The move plan (issue 5): a dependency graph over the resources (`graph`, rules in
//! `rules/dependencies.toml`) and the batches of resources that must move together (`batches`).
//!
//! ```text
//! let rules = &Rules::load(&pack)?.dependencies;
//! let graph = DependencyGraph::build(&resources, &rules);   // node i = resources[i]
//! let batches = batches(&resources, &graph);                // B01, B02, …
//! ```
//! `graph.external_dependencies` lists references to resources not in the inventory; `graph.without_properties`
//! the resources that carried no dependency data (the caller warns).

pub mod batches;
pub mod graph;
pub mod report;
pub mod requests;
pub mod runbook;

pub use batches::{Batch, batches};
pub use graph::{
    DependencyGraph, DependencyRules, Edge, EdgeRule, EdgeWeight, ExceptionKind, ExceptionRule, ExternalDependency,
    NodeFacts, ValueKind, WholeGroupRule,
};
pub use report::{BatchStatus, PlanBatch, PlanReport, PlanTarget};

/// Every path of `properties` the plan reads: the assessment's conditions, the dependency rules and the plan's
/// own reads. A reader keeps only these when the output does not show the properties.
pub fn property_paths(
    assess: &crate::rules::AssessRules,
    dependencies: &DependencyRules,
) -> crate::rules::path_set::PathSet {
    let mut paths = assess.property_paths();
    dependencies.add_property_paths(&mut paths);
    for path in report::PROPERTIES_READ {
        paths.insert_dotted("properties", path);
    }
    paths
}
pub use runbook::Runbook;
