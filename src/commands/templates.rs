//! `csp-planner templates export DIR`: the embedded report.html templates, to copy and brand (`--templates DIR`).

use crate::cli::TemplatesCommand;
use crate::error::Result;
use crate::report::html::templates::EMBEDDED;

pub fn run(command: &TemplatesCommand) -> Result<()> {
    match command {
        TemplatesCommand::Export { dir } => super::export_files(dir, "templates export", EMBEDDED.iter().copied()),
    }
}
