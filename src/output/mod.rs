//! Where and how results are written: `--format table|json|csv|xlsx|html` and `-o FILE`.
//!
//! When `--format` is absent the extension of `-o` decides (`.json`, `.csv`; anything else is a
//! table); a format that contradicts the extension is a usage error. Files are written atomically:
//! into a temporary file beside the target, then renamed, so a failed run never leaves half a file. An output
//! never replaces an input ([`inputs`]) nor anything but a regular file ([`target`]); folders of outputs are
//! replaced whole ([`set`]) or, for exports, only added to ([`export`]).

pub mod csv_safe;
pub mod json;

pub use json::Json;
pub mod export;
mod folders;
pub mod inputs;
mod rename;
pub mod set;
pub mod target;

pub use inputs::RunInputs;
pub use inputs::comparable;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The output format of most commands: a table, JSON, CSV, or an Excel workbook (`assess`, `cost`, `capacity`:
/// see each command; a workbook needs `-o FILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Xlsx,
    /// A self-contained HTML page (`assess`, `cost`, `capacity quick|detailed`; see `report`'s report.html).
    Html,
}

/// The formats a command writes: what `--format` accepts and what `-o FILE`'s extension means.
pub trait OutputFormat: Copy + PartialEq {
    /// Without `--format` and without a known extension.
    const DEFAULT: Self;
    /// The format an extension (lowercase, without the dot) means for this command, if any.
    fn from_extension(extension: &str) -> Option<Self>;
    fn name(self) -> &'static str;
}

impl OutputFormat for Format {
    const DEFAULT: Self = Format::Table;

    fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// The formats of `plan`: a table, JSON, or the dependency graph drawn as Graphviz DOT or Mermaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    Table,
    Json,
    Dot,
    Mermaid,
    Xlsx,
    /// The move plan (with its assessment) as a self-contained HTML page.
    Html,
}

impl OutputFormat for PlanFormat {
    const DEFAULT: Self = PlanFormat::Table;

    fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "json" => Some(PlanFormat::Json),
            "dot" | "gv" => Some(PlanFormat::Dot),
            "mmd" => Some(PlanFormat::Mermaid),
            "xlsx" => Some(PlanFormat::Xlsx),
            "html" | "htm" => Some(PlanFormat::Html),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PlanFormat::Table => "table",
            PlanFormat::Json => "json",
            PlanFormat::Dot => "dot",
            PlanFormat::Mermaid => "mermaid",
            PlanFormat::Xlsx => "xlsx",
            PlanFormat::Html => "html",
        }
    }
}

/// Extensions some command writes: for a command that does not, `-o` with one is a usage error rather than a
/// table silently written into a file named `.xlsx`.
const KNOWN_EXTENSIONS: &[&str] = &["json", "csv", "xlsx", "html", "htm", "dot", "gv", "mmd"];

fn format_of_extension<F: OutputFormat>(path: &Path) -> Result<Option<F>> {
    let Some(extension) = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) else {
        return Ok(None);
    };
    match F::from_extension(&extension) {
        Some(format) => Ok(Some(format)),
        None if KNOWN_EXTENSIONS.contains(&extension.as_str()) => Err(Error::usage(format!(
            "-o {}: .{extension} output is not available for this command; see --help for its formats",
            path.display()
        ))),
        None => Ok(None),
    }
}

/// The resolved destination of a command's result.
#[derive(Debug, Clone)]
pub struct Destination<F = Format> {
    pub format: F,
    pub path: Option<PathBuf>,
    /// Colour only on a terminal and never with NO_COLOR.
    pub colour: bool,
}

impl<F: OutputFormat> Destination<F> {
    pub fn resolve(format: Option<F>, output: Option<&Path>, inputs: &[PathBuf]) -> Result<Self> {
        let from_extension = match output {
            Some(path) => format_of_extension::<F>(path)?,
            None => None,
        };
        let format = match (format, from_extension) {
            (Some(asked), Some(implied)) if asked != implied => {
                return Err(Error::usage(format!(
                    "--format {} conflicts with the extension of -o {} (which means {})",
                    asked.name(),
                    output.map(|p| p.display().to_string()).unwrap_or_default(),
                    implied.name()
                )));
            }
            (Some(asked), _) => asked,
            (None, Some(implied)) => implied,
            (None, None) => F::DEFAULT,
        };
        if let Some(path) = output {
            target::replaceable(path, "-o")?;
            RunInputs::new(inputs.iter().map(PathBuf::as_path)).refuse_as_file(path, "-o")?;
        }
        let colour = output.is_none()
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Ok(Destination { format, path: output.map(Path::to_path_buf), colour })
    }

    /// Streams the rendering to stdout or, atomically, to the file. `render` writes into a buffered
    /// writer, so large results are never held twice in memory.
    pub fn write(&self, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
        match &self.path {
            None => {
                let mut stdout = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
                match render(&mut stdout).and_then(|()| stdout.flush()) {
                    // A closed pipe (`| head`) is the reader's choice, not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(|source| Error::Output { path: "stdout".to_string(), source }),
                }
            }
            Some(path) => write_atomically(path, |out| render(out)),
        }
    }
}

impl<F: OutputFormat> Destination<F> {
    /// Writes a workbook: only to a file (a zip archive on a terminal helps no one), atomically.
    pub fn write_workbook(&self, render: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>) -> Result<()> {
        match &self.path {
            Some(path) => write_atomically(path, render),
            None => Err(Error::usage("--format xlsx writes a workbook: give the file with -o FILE.xlsx")),
        }
    }

    /// Writes an HTML page rendered beforehand (a template error must not leave a half-written file): to stdout
    /// or, atomically, to the file.
    pub fn write_page(&self, page: &str) -> Result<()> {
        self.write(|out| out.write_all(page.as_bytes()))
    }
}

/// Temporary file in the target's directory, then rename: readers of the target see either the old
/// file or the complete new one. A symlink is written through (the file it points at is replaced).
pub fn write_atomically(
    path: &Path,
    render: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<()> {
    let error = |source| Error::Output { path: path.display().to_string(), source };
    // Checked again here: the path may have changed since the command started, and sets and exports call this too.
    let path = &target::replaceable(path, "-o")?;
    let directory = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new().prefix(".csp-planner-").tempfile_in(directory).map_err(error)?;
    {
        let mut writer = std::io::BufWriter::with_capacity(256 * 1024, temporary.as_file_mut());
        render(&mut writer).and_then(|()| writer.flush()).map_err(error)?;
    }
    temporary.as_file().sync_all().map_err(error)?;
    keep_permissions(path, temporary.as_file()).map_err(error)?;
    temporary.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// A temporary file is created readable by its owner only; the output gets the permissions of the
/// file it replaces, or the usual rw-r--r-- for a new file.
#[cfg(unix)]
fn keep_permissions(path: &Path, temporary: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    temporary.set_permissions(permissions)
}

#[cfg(not(unix))]
fn keep_permissions(_path: &Path, _temporary: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}
