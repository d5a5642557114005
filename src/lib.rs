//! csp-planner: assess, plan and size Azure estates and on-premises servers for a move into the
//! Azure Cloud Solution Provider (CSP) program.
//!
//! Pipeline by types: `read` (CSV/JSON/XLSX → resources with source locations) → `model`
//! (merged inventory) → … → `report` (renderers). `rules` holds the embedded, overridable rule
//! files. The command line (`cli`, `commands`) is the binary's: this library knows nothing of clap.

pub mod assess;
pub mod capacity;
pub mod cost;
pub mod error;
pub mod inventory;
pub mod model;
pub mod open;
pub mod output;
pub mod plan;
pub mod progress;
pub mod read;
pub mod report;
pub mod rules;
pub mod sample;
pub mod servers;
pub mod transfer;
pub mod workloads;

pub use error::{Error, Result};
