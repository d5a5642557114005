//! The CSP cost assessment (issue 6): what the estate costs today (the usage's own cost column) and what it will
//! cost in CSP, per resource × meter, per subscription and overall, to the cent.
//!
//! ```text
//! let rules = CostRules::from_pack(&pack)?;
//! usage::read(records, header, ctx, &rules, &mut usage)?;   // per input, streamed
//! let report = CostReport::build(Costing { usage, inputs, rules: &rules, options: &options, currency, prices });
//! ```

pub mod compute;
pub mod prices;
pub mod rules;
pub mod usage;

pub use compute::{CostOptions, CostReport, CostRow, Costing, Totals};
pub use rules::CostRules;
pub use usage::CostUsage;
