//! The page's templates: embedded in the binary, each replaceable by a file of the same name in `--templates DIR`
//! (git-cliff's model: copy the one to change, keep the rest).

use std::path::{Path, PathBuf};

use handlebars::{Handlebars, RenderError, TemplateError};

use crate::error::{Error, Result};

/// The page itself; the others are partials it includes by their name without `.hbs`.
pub const PAGE: &str = "report";

/// Every template: file name and embedded text.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("report.html.hbs", include_str!("../../../templates/report.html.hbs")),
    ("style.css.hbs", include_str!("../../../templates/style.css.hbs")),
    ("script.js.hbs", include_str!("../../../templates/script.js.hbs")),
    ("summary.hbs", include_str!("../../../templates/summary.hbs")),
    ("resources.hbs", include_str!("../../../templates/resources.hbs")),
    ("move-plan.hbs", include_str!("../../../templates/move-plan.hbs")),
    ("capacity.hbs", include_str!("../../../templates/capacity.hbs")),
    ("workloads.hbs", include_str!("../../../templates/workloads.hbs")),
    ("cost.hbs", include_str!("../../../templates/cost.hbs")),
    ("transfer.hbs", include_str!("../../../templates/transfer.hbs")),
    ("method.hbs", include_str!("../../../templates/method.hbs")),
];

/// One template's text and where it came from (`templates/NAME` or the override file's path), for errors.
struct Template {
    name: &'static str,
    origin: String,
    text: String,
}

pub struct Templates {
    templates: Vec<Template>,
}

impl Templates {
    /// The embedded templates, with each file of `dir` of the same name in place of its embedded one. Checked
    /// here (syntax errors name the file and line) so a broken template fails before a long read.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        if let Some(dir) = dir
            && !dir.is_dir()
        {
            return Err(Error::usage(format!("--templates {}: is not a folder", dir.display())));
        }
        let mut templates = Vec::with_capacity(EMBEDDED.len());
        for (name, embedded) in EMBEDDED {
            // Any entry of the name counts (a FIFO, a folder, a broken link): read_override refuses what is not a
            // regular file, rather than the embedded template being used in silence.
            let file = dir.map(|d| d.join(name)).filter(|p| p.symlink_metadata().is_ok());
            let template = match file {
                Some(path) => read_override(name, path)?,
                None => Template { name, origin: format!("templates/{name}"), text: embedded.to_string() },
            };
            templates.push(template);
        }
        let loaded = Templates { templates };
        let registry = loaded.registry()?;
        loaded.refuse_include_loops(&registry)?;
        Ok(loaded)
    }

    /// A registry holding every template; the page is registered as [`PAGE`], the others as partials.
    pub fn registry(&self) -> Result<Handlebars<'static>> {
        let mut registry = Handlebars::new();
        for template in &self.templates {
            let name = registered_name(template.name);
            let registered = if name == PAGE {
                registry.register_template_string(name, &template.text)
            } else {
                registry.register_partial(name, &template.text)
            };
            registered.map_err(|e| syntax_error(&template.origin, &e))?;
        }
        Ok(registry)
    }

    /// Templates that include each other would recurse until the stack overflows: a loop is an error naming
    /// the templates in it (see [`super::includes`]).
    fn refuse_include_loops(&self, registry: &Handlebars) -> Result<()> {
        let registered = registry.get_templates().iter().map(|(name, template)| (name.as_str(), template));
        let edges = super::includes::graph(registered).map_err(|name| {
            Error::Template(format!(
                "{}: includes a partial by a computed name ({{{{> (…)}}}}), which cannot be checked for templates \
                 that include each other; name the partial ({{{{> summary}}}})",
                self.origin_of(&name)
            ))
        })?;
        let Some(names) = super::includes::find_loop(&edges) else { return Ok(()) };
        let chain: Vec<String> = names.iter().map(|name| self.origin_of(name)).collect();
        Err(Error::Template(format!(
            "{}: the templates include each other ({}), which never ends; remove one of these includes",
            chain[0],
            chain.join(" includes ")
        )))
    }

    /// The file a registered name comes from (`templates/summary.hbs` or the override's path); an inline partial's
    /// name as it is.
    fn origin_of(&self, name: &str) -> String {
        self.templates
            .iter()
            .find(|t| registered_name(t.name) == name)
            .map_or_else(|| format!("partial \"{name}\""), |t| t.origin.clone())
    }

    /// A render error with the file it happened in.
    pub fn render_error(&self, error: &RenderError) -> Error {
        let origin = error
            .template_name
            .as_deref()
            .and_then(|name| self.templates.iter().find(|t| registered_name(t.name) == name))
            .map(|t| t.origin.clone())
            .unwrap_or_else(|| "templates/report.html.hbs".to_string());
        let at = position(error.line_no, error.column_no);
        Error::Template(format!("{origin}{at}: {}", error.reason()))
    }
}

/// A template's name is its file name up to the first dot: `style.css.hbs` is the partial `style`,
/// `report.html.hbs` the page `report`.
fn registered_name(file: &str) -> &str {
    file.split('.').next().unwrap_or(file)
}

/// The most one template may hold: the embedded ones are a few KiB each; reading one whole must stay bounded.
pub const TEMPLATE_MAX_BYTES: u64 = 16 * 1024 * 1024;

fn read_override(name: &'static str, path: PathBuf) -> Result<Template> {
    let bytes = crate::open::read_limited(&path, TEMPLATE_MAX_BYTES, "template")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("--templates: cannot read {}: not UTF-8 text", path.display())))?;
    Ok(Template { name, origin: path.display().to_string(), text })
}

fn syntax_error(origin: &str, error: &TemplateError) -> Error {
    let (line, column) = error.pos().unzip();
    Error::Template(format!("{origin}{}: {}", position(line, column), error.reason()))
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(", line {line}, column {column}"),
        (Some(line), None) => format!(", line {line}"),
        _ => String::new(),
    }
}
