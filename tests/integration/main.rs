//! The one integration-test binary (ripgrep/just style): every test runs the real `csp-planner`
//! binary on fixtures under `tests/fixtures/`, the bundled sample, or the public data files in
//! `../shared/data`.

mod conventions;
mod errors;
mod inputs;
mod sample;
mod support;
