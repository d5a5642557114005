//! The resource model every command works on: resources merged from all inputs, their usage meters,
//! and where each fact came from.

pub mod billing;
pub mod capacity;
pub mod checked;
pub mod cited;
pub mod codes;
pub mod commitment;
pub mod compact_json;
pub mod inventory;
pub mod json_scalars;
pub mod resource;
pub mod resource_id;
pub mod tags;
pub mod transfer;
pub mod verdict;

pub use capacity::{Era, GbBase, Scenario};
pub use cited::{Cited, CitedSources, SourceEntry};
pub use commitment::{Commitment, Commitments, FirstRow};
pub use compact_json::CompactJson;
pub use inventory::Inventory;
pub use resource::{DeploymentModel, Meter, Resource, SourceRef, TypeSource, Warning};
pub use tags::Tags;
pub use verdict::{CspStatus, Reason, SuggestedApproach};
