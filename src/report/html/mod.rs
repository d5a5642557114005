//! `report.html` (issue 8): one self-contained page from finished results. The view model ([`view`]) is built
//! first, the charts and diagrams are drawn as inline SVG ([`svg`]), then handlebars templates render it
//! ([`templates`]). Customer text reaches the page only through handlebars' HTML escaping, [`svg::escape_xml`]
//! or the `json` helper, which escapes what could end a `<script>` element.

mod includes;
pub mod svg;
pub mod templates;
pub mod view;

use std::collections::BTreeMap;

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, handlebars_helper};

use crate::error::{Error, Result};
pub use templates::Templates;
pub use view::{CapacityPart, Parts, View};

/// Renders the page. Errors name the template file and line (exit code 2: a template is the user's input).
pub fn render(parts: &Parts, templates: &Templates) -> Result<String> {
    let (view, drawings) = view::build(parts);
    let mut registry = templates.registry()?;
    registry.register_helper("json", Box::new(json));
    registry.register_helper("svg", Box::new(Drawings(drawings)));
    registry.render(templates::PAGE, &view).map_err(|e| templates.render_error(&e))
}

/// JSON for a `<script type="application/json">` element: `<`, `>` and `&` escaped so the text can neither end
/// the element nor open a comment, U+2028 and U+2029 because older script parsers end a line there.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

handlebars_helper!(json: |value: Json| script_json(value));

/// The `svg` helper writes the drawing of a key made by [`svg`] (whose text is escaped there). It looks the key
/// up instead of taking markup, so no template value — customer text included — can reach the page unescaped.
struct Drawings(BTreeMap<String, String>);

impl HelperDef for Drawings {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key = h.param(0).and_then(|p| p.value().as_str()).unwrap_or_default();
        if let Some(drawing) = self.0.get(key) {
            out.write(drawing)?;
        }
        Ok(())
    }
}

/// The report's date: `SOURCE_DATE_EPOCH` (seconds since the epoch, for reproducible pages) when set, else today,
/// as YYYY-MM-DD in UTC.
pub fn report_date() -> Result<String> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let seconds: i64 = text.trim().parse().map_err(|_| {
                Error::usage(format!("SOURCE_DATE_EPOCH={text}: expected a number of seconds since 1970-01-01"))
            })?;
            time::OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(|_| Error::usage(format!("SOURCE_DATE_EPOCH={text}: out of range")))?
        }
        Err(_) => time::OffsetDateTime::now_utc(),
    };
    Ok(format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day()))
}

#[cfg(test)]
mod tests {
    use super::script_json;

    #[test]
    fn script_json_cannot_end_the_script_element() {
        let value = serde_json::json!({ "name": "</script><!-- & \u{2028}\u{2029}" });
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
