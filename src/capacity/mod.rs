//! Azure Site Recovery capacity planning (issue 4): the Quick Planner, the Detailed Planner and server sizing.

pub use crate::rules::capacity::catalogue;
pub mod change_rate;
pub mod detailed;
pub mod quick;
pub mod sizing;
pub mod split;
