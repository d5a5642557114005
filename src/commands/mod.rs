//! One file per command: turn parsed arguments into a result and hand it to a renderer.

pub mod assess;
pub mod capacity;
pub mod cost;
pub mod inventory;
pub mod plan;
pub mod report;
pub mod rules;

use crate::cli::InputArgs;
use crate::read::Source;

/// The inputs named on the command line, or the bundled sample when there are none.
pub(crate) fn sources(args: &InputArgs) -> Vec<Source> {
    if args.inputs.is_empty() {
        crate::sample::resource_sources()
    } else {
        args.inputs.iter().map(Source::path).collect()
    }
}
