//! Charts and diagrams as inline SVG strings: no script, no external reference, every text escaped here.

use std::fmt::Write;

/// Text for SVG (XML) content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: its label, its value and its colour class (`status-…` in the stylesheet).
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: usize,
    pub class: &'a str,
}

const BAR_HEIGHT: usize = 22;
const LABEL_WIDTH: usize = 230;
const BAR_WIDTH: usize = 300;

/// A horizontal bar chart, bars scaled to the largest value, each labelled with its value.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len() * (BAR_HEIGHT + 6) + 6;
    let width = LABEL_WIDTH + BAR_WIDTH + 60;
    let mut svg = format!(
        r#"<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>{}</title>"#,
        escape_xml(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 6 + i * (BAR_HEIGHT + 6);
        let length = (bar.value * BAR_WIDTH).div_ceil(max);
        let text_y = y + BAR_HEIGHT - 6;
        let _ = write!(
            svg,
            r#"<text x="0" y="{text_y}">{label}</text><rect class="{class}" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}"/><text x="{}" y="{text_y}">{}</text>"#,
            LABEL_WIDTH + length + 6,
            bar.value,
            label = escape_xml(bar.label),
            class = escape_xml(bar.class),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A batch member in a diagram: its label and its status class.
pub struct Node<'a> {
    pub label: &'a str,
    pub class: &'a str,
}

/// Labels longer than this are cut (the full name is in the node's `<title>` tooltip and the members list).
const LABEL_CHARS: usize = 24;

/// A batch's dependency diagram: the members on a circle (readable for the up to 200 members drawn), an edge
/// from each dependent to what it depends on, a dot at the depended-on end (markers would need `url(#…)`).
pub fn batch_diagram(nodes: &[Node], edges: &[(usize, usize)]) -> String {
    let n = nodes.len().max(1);
    let radius = if n == 1 { 0.0 } else { (n as f64 * 34.0 / std::f64::consts::TAU).max(70.0) };
    let size = (2.0 * radius + 260.0).round();
    let centre = size / 2.0;
    let place = |i: usize| {
        let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        (centre + radius * angle.cos(), centre + radius * angle.sin())
    };
    let mut svg =
        format!(r#"<svg class="batch-diagram" role="img" viewBox="0 0 {size} {size}" width="{size}" height="{size}">"#);
    for &(from, to) in edges.iter().filter(|(f, t)| *f < nodes.len() && *t < nodes.len()) {
        let ((x1, y1), (x2, y2)) = (place(from), place(to));
        let _ = write!(
            svg,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/><circle class="edge-end" cx="{:.1}" cy="{:.1}" r="3"/>"#,
            x1 + (x2 - x1) * 0.85,
            y1 + (y2 - y1) * 0.85
        );
    }
    for (i, node) in nodes.iter().enumerate() {
        let (x, y) = place(i);
        let short: String = node.label.chars().take(LABEL_CHARS).collect();
        let _ = write!(
            svg,
            r#"<g><title>{full}</title><circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="7"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{short}</text></g>"#,
            y + 20.0,
            full = escape_xml(node.label),
            class = escape_xml(node.class),
            short = escape_xml(&short),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_text_is_escaped() {
        let nodes = [Node { label: "<script>alert(1)</script>", class: "status-blocked" }];
        let svg = batch_diagram(&nodes, &[]);
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"), "{svg}");
        let chart = bar_chart("\"><img src=x>", &[Bar { label: "<b>", value: 3, class: "x" }]);
        assert!(!chart.contains("<img") && !chart.contains("<b>"), "{chart}");
    }
}
