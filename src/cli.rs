//! The command line: clap definitions and dispatch. Every command follows the same conventions
//! (README "CLI conventions"): `--format table|json|csv`, `-o FILE`, exit codes 0 / 2 / 1.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::Result;
use crate::output::Format;
use crate::read::InputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "csp-planner",
    version,
    about = "Assess, plan and size Azure estates and on-premises servers for a move into Azure CSP"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read resource lists and usage exports into one normalised inventory
    Inventory(EstateArgs),
    /// Classify every resource: CSP Status, Suggested Approach, reasons and sources
    Assess(EstateArgs),
    /// Check, explain and export the rule files
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// Where the result goes; shared by every command.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format; default: from the extension of -o, else a table
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the result to FILE (atomically) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How inputs are read; shared by every command that reads inventories.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files: az / Resource Graph JSON, portal CSV, usage CSV, or XLSX holding one of them.
    /// With none, the bundled sample estate is read.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Skip detection and read every input as this kind
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputFormat>,
    /// In workbooks, read this sheet instead of the first one whose header is recognised
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Lay the rule files of DIR over the embedded ones (same name replaces, new names add)
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// What the commands that read an estate take: inputs, output, and whether to keep `properties`.
#[derive(Debug, Args)]
pub struct EstateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Keep each resource's `properties` in the JSON output
    #[arg(long)]
    pub with_properties: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Report every problem in the rule files at once (file, line, what was expected)
    Check {
        /// Lay the rule files of DIR over the embedded ones
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Print the verdict for a resource type, the rule that decided it and its source
    Explain {
        /// A resource type, e.g. Microsoft.Network/loadBalancers
        #[arg(value_name = "TYPE")]
        resource_type: String,
        /// Lay the rule files of DIR over the embedded ones
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Write the embedded rule files into DIR for editing (use them with --rules DIR)
    Export {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Inventory(args) => crate::commands::inventory::run(&args),
        Command::Assess(args) => crate::commands::assess::run(&args),
        Command::Rules(command) => crate::commands::rules::run(&command),
    }
}
