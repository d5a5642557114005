//! Azure Site Recovery capacity planning (issue 4): the Quick Planner and server sizing.

pub mod change_rate;
pub mod quick;
pub mod sizing;
