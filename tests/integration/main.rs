//! The one integration-test binary (ripgrep/just style): every test runs the real `csp-planner`
//! binary on fixtures under `tests/fixtures/`, the bundled sample, or the public data files in
//! `../shared/data`.

mod assess;
mod assessment_workbook;
mod browser;
mod capacity;
mod capacity_detailed;
mod capacity_workbook;
mod citations;
mod codes;
mod columnar;
mod conventions;
mod cost;
mod cost_prices;
mod empty_inputs;
mod errors;
mod html_report;
mod inputs;
mod layers;
mod malformed_csv;
mod manual;
mod plan;
mod real_planning;
mod real_report;
mod real_resources;
mod real_servers;
mod real_usage;
mod report;
mod resources;
mod rules;
mod sample;
mod support;
mod transfer;
mod workloads;
mod workloads_report;
