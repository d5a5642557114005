//! The CSP cost assessment (issue 6): what the estate costs today (the usage's own cost column) and what it will
//! cost in CSP, per resource × meter, per subscription and overall, to the cent. The CSP prices come from a price
//! list or a Partner Center rate card (`prices`, `price_list`, `rate_card`), joined to the usage through the
//! region aliases (`regions`), or from the EA rate and the partner's discount.
//!
//! ```text
//! let rules = &Rules::load(&pack)?.cost;
//! usage::read(records, header, ctx, &rules, &mut usage)?;   // per input, streamed
//! let book = PriceBook::load(path, currency, &regions)?;    // optional
//! let report = CostReport::build(Costing { usage, inputs, rules: &rules, options: &options, currency, prices });
//! ```

pub mod compute;
pub mod price_list;
pub mod prices;
pub mod rate_card;
/// The region table is a rule file the readers use too; kept reachable here for the price readers.
pub use crate::rules::regions;

pub mod usage;

pub use crate::rules::cost::CostRules;
pub use compute::{CostOptions, CostReport, CostRow, Costing, Totals};
pub use usage::CostUsage;
