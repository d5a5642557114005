use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = csp_planner::cli::Cli::parse();
    match csp_planner::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
