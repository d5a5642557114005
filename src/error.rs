//! One error type for the whole tool, and the exit code each kind of error maps to.
//!
//! Exit codes (README "CLI conventions"): 0 success, 2 bad input or usage, 1 internal error.

use std::fmt;
use std::path::Path;

/// Where in an input a problem was found: a line of a text file, a cell of a workbook, or a
/// JSON pointer. Kept as display text because every reader has its own notion of position.
pub type Location = String;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file that cannot be read as what it claims to be.
    #[error("{0}")]
    Input(#[from] InputError),
    /// A command line that cannot be honoured (conflicting flags, output path is an input, …).
    #[error("{0}")]
    Usage(String),
    /// Rule files that failed validation; every problem is listed, not only the first.
    #[error("{} problem(s) in the rule files:\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Rules(Vec<RuleProblem>),
    /// A report template (embedded or from `--templates DIR`) that does not parse or render: file, line, what.
    #[error("template {0}")]
    Template(String),
    /// Writing an output failed (disk full, permissions): not the user's input, so exit 1.
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Every input was read and none yielded a single row (a header only, an empty list): there is nothing to
    /// assess, which an empty result would hide. The inputs, each with what it held.
    #[error(
        "no input yielded a single row: {0}. Export again with rows (check the date range and scope of the \
         export), or give another input"
    )]
    NothingRead(String),
    /// A bug in csp-planner.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::Usage(_) | Error::Rules(_) | Error::Template(_) | Error::NothingRead(_) => 2,
            Error::Output { .. } | Error::Internal(_) => 1,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input: the file, where in it, which column, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub location: Option<Location>,
    pub column: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        InputError { path: path.display().to_string(), location: None, column: None, message: message.into() }
    }

    pub fn at(mut self, location: impl Into<Location>) -> Self {
        self.location = Some(location.into());
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(location) = &self.location {
            write!(f, ", {location}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// One problem found while validating the rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// The rule file's name (`cost.toml`).
    pub file: String,
    /// The path actually read when the file came from `--rules DIR` (`r/cost.toml`); `None` for the embedded one.
    pub read_from: Option<String>,
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.read_from {
            Some(path) => write!(f, "{path}")?,
            None => write!(f, "rules/{} (embedded)", self.file)?,
        }
        match &self.location {
            Some(location) => write!(f, ", {location}: {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}
