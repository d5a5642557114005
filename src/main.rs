//! The `csp-planner` binary: the command line (`cli`: clap's arguments; `commands`: one file per command) over the
//! library's pipeline.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;

// The command line names the pipeline's modules as `crate::…`, as it did inside the library.
use csp_planner::{
    assess, capacity, cost, error, inventory, model, output, plan, progress, read, report, rules, sample, servers,
    transfer, workloads,
};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
