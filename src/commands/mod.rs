//! One file per command: turn parsed arguments into a result and hand it to a renderer.

pub mod inventory;

use crate::cli::InputArgs;
use crate::error::Result;
use crate::read::Source;
use crate::rules::{ReadRules, RulePack};

/// The inputs named on the command line, or the bundled sample when there are none.
pub(crate) fn sources(args: &InputArgs) -> Vec<Source> {
    if args.inputs.is_empty() {
        crate::sample::resource_sources()
    } else {
        args.inputs.iter().map(Source::path).collect()
    }
}

pub(crate) fn read_rules(args: &InputArgs) -> Result<ReadRules> {
    ReadRules::from_pack(&RulePack::load(args.rules.as_deref())?)
}
