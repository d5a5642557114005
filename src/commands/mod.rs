//! One file per command: turn parsed arguments into a result and hand it to a renderer.

pub mod assess;
pub mod capacity;
pub mod cost;
pub mod inventory;
pub mod plan;
pub mod report;
pub mod rules;
pub mod templates;
pub mod workloads;

use crate::cli::InputArgs;
use crate::read::Source;

/// The inputs named on the command line, or the bundled sample when there are none.
pub(crate) fn sources(args: &InputArgs) -> Vec<Source> {
    if args.inputs.is_empty() {
        crate::sample::resource_sources()
    } else {
        args.inputs.iter().map(Source::path).collect()
    }
}

/// Writes embedded files into DIR (created if missing), each atomically, naming each one written.
pub(crate) fn export_files<'a>(
    dir: &std::path::Path,
    files: impl Iterator<Item = (&'a str, &'a str)>,
) -> crate::error::Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|source| crate::error::Error::Output { path: dir.display().to_string(), source })?;
    for (name, text) in files {
        let path = dir.join(name);
        crate::output::write_atomically(&path, |out| out.write_all(text.as_bytes()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
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
