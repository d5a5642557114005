//! Renderers: finished results → bytes written to an output. They only render; every figure is
//! computed before.

pub mod assess_csv;
pub mod assess_table;
pub mod capacity_detailed;
pub mod capacity_table;
pub mod codes;
pub mod cost_csv;
pub mod cost_table;
pub mod html;
pub mod inventory_csv;
pub mod inventory_json;
pub mod inventory_table;
pub mod plan_graph;
pub mod plan_table;
pub mod runbook;
pub mod transfer;
pub mod workloads_table;
pub mod xlsx;

/// JSON is an output format, not a renderer of its own: kept reachable here for the renderers.
pub use crate::output::json::{Json, json};
