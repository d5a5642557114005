//! One file per command: turn parsed arguments into a result and hand it to a renderer.

pub mod assess;
pub mod capacity;
pub mod codes;
pub mod cost;
pub mod inventory;
pub mod plan;
pub mod report;
pub mod rules;
pub mod templates;
pub mod transfer;
pub mod workloads;

use std::io::Write;

use crate::cli::{Cli, Command, InputArgs, OutputArgs};
use crate::error::{Error, Result};
use crate::output::{Destination, Format};
use crate::read::Source;

/// Runs the command the line names.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Inventory(args) => inventory::run(&args),
        Command::Assess(args) => assess::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Transfer(args) => transfer::run(&args),
        Command::Workloads(args) => workloads::run(&args),
        Command::Templates(command) => templates::run(&command),
        Command::Rules(command) => rules::run(&command),
        Command::Capacity(command) => capacity::run(&command),
    }
}

/// The inputs named on the command line, or the bundled sample when there are none.
pub(crate) fn sources(args: &InputArgs) -> Vec<Source> {
    if args.inputs.is_empty() {
        crate::sample::resource_sources()
    } else {
        args.inputs.iter().map(Source::path).collect()
    }
}

/// Where `command`'s result goes. `F`, its `--format` values, are the formats it writes: clap refuses any other
/// `--format`, and this refuses an `-o FILE` whose extension means another one (`inventory -o x.xlsx`) before any
/// work, rather than writing it in some other format.
pub(crate) fn destination<F>(command: &str, args: &OutputArgs<F>, inputs: &[std::path::PathBuf]) -> Result<Destination>
where
    F: clap::ValueEnum + Clone + Send + Sync + Into<Format> + 'static,
{
    let output = args.output.as_deref();
    if let Some(path) = output {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let implied = extension.as_deref().and_then(<Format as crate::output::OutputFormat>::from_extension);
        if let (Some(extension), Some(implied)) = (extension, implied)
            && !F::value_variants().iter().any(|format| format.clone().into() == implied)
        {
            return Err(Error::usage(format!(
                "-o {}: {command} does not write .{extension} files; it writes {}",
                path.display(),
                format_names::<F>()
            )));
        }
    }
    Destination::resolve(args.format.clone().map(Into::into), output, inputs)
}

/// `table, json or csv`: the `--format` values of a command, as `--help` lists them.
fn format_names<F: clap::ValueEnum>() -> String {
    let names: Vec<String> = F::value_variants()
        .iter()
        .filter_map(|format| format.to_possible_value().map(|value| value.get_name().to_string()))
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Which warnings of a list [`print_warnings`] shows.
pub(crate) enum Shown<'a> {
    All,
    /// The first ten, then one line that counts the rest and names where the JSON output has them all.
    FirstFew {
        all_in: &'a str,
    },
}

/// Warnings go to stderr in every format (they are also in the JSON output): `warning: LOCATION: MESSAGE`, or
/// `warning: FILE, LOCATION: MESSAGE` for the warnings of one input `file`.
pub(crate) fn print_warnings(file: Option<&str>, warnings: &[crate::model::Warning], shown: Shown) {
    const FIRST_FEW: usize = 10;
    let mut stderr = std::io::stderr().lock();
    let limit = match shown {
        Shown::All => warnings.len(),
        Shown::FirstFew { .. } => FIRST_FEW,
    };
    for warning in warnings.iter().take(limit) {
        let _ = match file {
            Some(file) => writeln!(stderr, "warning: {file}, {}: {}", warning.location, warning.message),
            None => writeln!(stderr, "warning: {}: {}", warning.location, warning.message),
        };
    }
    if let Shown::FirstFew { all_in } = shown
        && warnings.len() > limit
    {
        let file = file.map(|file| format!("{file}: ")).unwrap_or_default();
        let more = warnings.len() - limit;
        let _ = writeln!(stderr, "warning: {file}{more} more warning(s); all are in the JSON output ({all_in})");
    }
}

/// Writes embedded files into DIR (created if missing) without overwriting any file there, naming each one
/// written (`output::export`).
pub(crate) fn export_files<'a>(
    dir: &std::path::Path,
    command: &str,
    files: impl Iterator<Item = (&'a str, &'a str)>,
) -> crate::error::Result<()> {
    let files: Vec<(&str, &str)> = files.collect();
    let mut stdout = std::io::stdout().lock();
    for exported in crate::output::export::export(dir, command, &files)? {
        let path = exported.path.display();
        let _ = match exported.written {
            true => writeln!(stdout, "wrote {path}"),
            false => writeln!(stdout, "kept {path} (already the embedded text)"),
        };
    }
    Ok(())
}

/// Every input of a run, for the outputs to refuse: the files and folders named on the command line (`--rules`,
/// `--templates` and the other options that name something read).
pub(crate) fn run_inputs(
    files: &[std::path::PathBuf],
    options: &[Option<&std::path::PathBuf>],
) -> Vec<std::path::PathBuf> {
    files.iter().chain(options.iter().flatten().copied()).cloned().collect()
}

/// HTML output's templates: loaded and checked before the inputs are read (a broken template fails fast), and
/// only when the output is HTML.
pub(crate) struct HtmlOutput(Option<crate::report::html::Templates>);

impl HtmlOutput {
    pub fn load(html: bool, dir: Option<&std::path::Path>) -> crate::error::Result<Self> {
        if !html && dir.is_some() {
            return Err(crate::error::Error::usage(
                "--templates applies to HTML output (-o FILE.html or --format html)",
            ));
        }
        Ok(HtmlOutput(if html { Some(crate::report::html::Templates::load(dir)?) } else { None }))
    }

    /// The page of `parts`, dated by [`crate::report::html::report_date`].
    pub fn page(&self, mut parts: crate::report::html::Parts) -> crate::error::Result<String> {
        let embedded;
        let templates = match &self.0 {
            Some(templates) => templates,
            None => {
                embedded = crate::report::html::Templates::load(None)?;
                &embedded
            }
        };
        parts.date = crate::report::html::report_date()?;
        crate::report::html::render(&parts, templates)
    }
}

/// The bundled sample's servers, copied to a scratch folder because the workbook readers read files; the copy
/// lives as long as this value.
pub(crate) struct BundledServers {
    pub path: std::path::PathBuf,
    pub name: String,
    _scratch: tempfile::TempDir,
}

pub(crate) fn bundled_servers() -> crate::error::Result<BundledServers> {
    use crate::error::Error;
    let scratch = tempfile::tempdir().map_err(|e| Error::Internal(format!("cannot make a scratch folder: {e}")))?;
    let path = scratch.path().join("servers-rvtools.xlsx");
    std::fs::write(&path, crate::sample::SERVERS)
        .map_err(|e| Error::Internal(format!("cannot copy the bundled servers sample: {e}")))?;
    Ok(BundledServers { path, name: crate::sample::SERVERS_NAME.to_string(), _scratch: scratch })
}
