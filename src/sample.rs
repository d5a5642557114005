//! The bundled sample estate (`samples/`), compiled into the binary so that every command can run
//! with no input on any machine. `samples/README.md` says what each command should conclude from it.

use crate::read::{Source, SourceData};

const ESTATE: &[u8] = include_bytes!("../samples/estate.json");
const USAGE: &[u8] = include_bytes!("../samples/usage-ea-2017.csv");
/// The sample's on-premises servers, an RVTools-style workbook (`examples/make_sample_servers.rs`).
pub const SERVERS: &[u8] = include_bytes!("../samples/servers-rvtools.xlsx");
pub const SERVERS_NAME: &str = "samples/servers-rvtools.xlsx (bundled)";

/// The sample customer's facts no export gives (`transfer`, `report`): read when a command has no input and no
/// `--customer`.
pub const CUSTOMER: &str = include_str!("../samples/customer.toml");
pub const CUSTOMER_NAME: &str = "samples/customer.toml (bundled)";

/// The sample's usage export alone (what `cost` reads with no input).
pub fn usage_sources() -> Vec<Source> {
    vec![Source { display: "samples/usage-ea-2017.csv (bundled)".to_string(), data: SourceData::Bundled(USAGE) }]
}

/// The sample's resource inventory and usage export, in that order.
pub fn resource_sources() -> Vec<Source> {
    vec![
        Source { display: "samples/estate.json (bundled)".to_string(), data: SourceData::Bundled(ESTATE) },
        Source { display: "samples/usage-ea-2017.csv (bundled)".to_string(), data: SourceData::Bundled(USAGE) },
    ]
}
