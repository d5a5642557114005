//! The dependency graph of a plan, drawn: Graphviz DOT (`--format dot`) and Mermaid (`--format mermaid`).
//! Batches are clusters filled by status (green ready, amber needs-remediation, red blocked; the status is also
//! in the cluster's title, so colour is never the only sign), resources are nodes named by resource name and
//! type, must-move-together edges are solid, other edges dashed, external dependencies dashed nodes outside
//! every cluster. Both drawings come from one [`Drawing`], so they always show the same graph.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::model::resource_id;
use crate::plan::{BatchStatus, PlanReport};

/// A node of the drawing: `r<i>` for a resource, `x<i>` for an external dependency.
struct Node {
    key: String,
    name: String,
    kind: String,
}

struct Cluster {
    title: String,
    status: BatchStatus,
    nodes: Vec<usize>,
}

struct Link {
    from: usize,
    to: usize,
    kind: String,
    solid: bool,
}

/// What both renderers draw.
struct Drawing {
    title: String,
    nodes: Vec<Node>,
    clusters: Vec<Cluster>,
    externals: Vec<usize>,
    links: Vec<Link>,
}

fn node_of(id: &str, key: String) -> Node {
    let parsed = resource_id::parse(id);
    let name =
        parsed.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| id.rsplit('/').next().unwrap_or(id).to_string());
    let kind = parsed.map(|p| p.resource_type.rsplit('/').next().unwrap_or_default().to_string()).unwrap_or_default();
    Node { key, name, kind }
}

impl Drawing {
    fn of(plan: &PlanReport) -> Self {
        let mut nodes = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut clusters = Vec::new();
        for batch in &plan.batches {
            let mut members = Vec::with_capacity(batch.resources.len());
            for id in &batch.resources {
                let n = nodes.len();
                nodes.push(node_of(id, format!("r{n}")));
                index.insert(id.as_str(), n);
                members.push(n);
            }
            let group = batch.resource_group.as_deref().unwrap_or("(no resource group)");
            clusters.push(Cluster {
                title: format!("{} · {} · {group} ({})", batch.id, batch.status.as_str(), batch.resources.len()),
                status: batch.status,
                nodes: members,
            });
        }
        let mut links: Vec<Link> = plan
            .edges
            .iter()
            .filter_map(|e| {
                let (from, to) = (*index.get(e.from.as_str())?, *index.get(e.to.as_str())?);
                Some(Link { from, to, kind: e.kind.clone(), solid: e.must_move_together })
            })
            .collect();
        let mut externals = Vec::new();
        let mut external_index: HashMap<&str, usize> = HashMap::new();
        for dependency in &plan.external_dependencies {
            let Some(&from) = index.get(dependency.from.as_str()) else { continue };
            let to = *external_index.entry(dependency.to.as_str()).or_insert_with(|| {
                let n = nodes.len();
                let mut node = node_of(&dependency.to, format!("x{}", externals.len()));
                node.kind = format!("external {}", node.kind).trim_end().to_string();
                nodes.push(node);
                externals.push(n);
                n
            });
            links.push(Link { from, to, kind: dependency.kind.clone(), solid: false });
        }
        let s = &plan.summary;
        let title = format!(
            "csp-planner move plan: {} {} ({} ready, {} needs-remediation, {} blocked); solid edges must move together",
            s.batches,
            if s.batches == 1 { "batch" } else { "batches" },
            s.ready,
            s.needs_remediation,
            s.blocked
        );
        Drawing { title, nodes, clusters, externals, links }
    }
}

/// (fill, border) of a status.
fn colours(status: BatchStatus) -> (&'static str, &'static str) {
    match status {
        BatchStatus::Ready => ("#d4edda", "#2e7d32"),
        BatchStatus::NeedsRemediation => ("#fff3cd", "#b8860b"),
        BatchStatus::Blocked => ("#f8d7da", "#c62828"),
    }
}

/// A DOT quoted string: `\` and `"` escaped, control characters as spaces; `\n` only where we break lines.
fn dot_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            c if c.is_control() => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn dot_label(node: &Node) -> String {
    let mut label = dot_string(&node.name);
    if !node.kind.is_empty() {
        label.pop();
        label.push_str("\\n");
        label.push_str(&dot_string(&node.kind)[1..]);
    }
    label
}

pub fn render_dot(plan: &PlanReport, out: &mut dyn Write) -> io::Result<()> {
    let drawing = Drawing::of(plan);
    writeln!(out, "digraph plan {{")?;
    writeln!(out, "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];", dot_string(&drawing.title))?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=8];")?;
    for (k, cluster) in drawing.clusters.iter().enumerate() {
        let (fill, border) = colours(cluster.status);
        writeln!(out, "  subgraph cluster_{k} {{")?;
        writeln!(
            out,
            "    label={}; style=\"filled,rounded\"; fillcolor=\"{fill}\"; color=\"{border}\";",
            dot_string(&cluster.title)
        )?;
        for &n in &cluster.nodes {
            writeln!(out, "    {} [label={}];", drawing.nodes[n].key, dot_label(&drawing.nodes[n]))?;
        }
        writeln!(out, "  }}")?;
    }
    for &n in &drawing.externals {
        let node = &drawing.nodes[n];
        writeln!(out, "  {} [label={}, style=\"rounded,dashed\"];", node.key, dot_label(node))?;
    }
    for link in &drawing.links {
        let style = if link.solid { "" } else { ", style=dashed" };
        writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            drawing.nodes[link.from].key,
            drawing.nodes[link.to].key,
            dot_string(&link.kind)
        )?;
    }
    writeln!(out, "}}")
}

/// Mermaid label text: the characters that would end the label or start markup become Mermaid entity codes
/// (`#quot;`, `#35;`, …; Mermaid docs, "Flowcharts: Entity codes to escape characters").
fn mermaid_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("#quot;"),
            '#' => escaped.push_str("#35;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '&' => escaped.push_str("#amp;"),
            '`' => escaped.push_str("#96;"),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

fn mermaid_label(node: &Node) -> String {
    if node.kind.is_empty() {
        format!("\"{}\"", mermaid_text(&node.name))
    } else {
        format!("\"{}<br/>{}\"", mermaid_text(&node.name), mermaid_text(&node.kind))
    }
}

pub fn render_mermaid(plan: &PlanReport, out: &mut dyn Write) -> io::Result<()> {
    let drawing = Drawing::of(plan);
    writeln!(out, "---")?;
    writeln!(out, "title: \"{}\"", mermaid_text(&drawing.title))?;
    writeln!(out, "---")?;
    writeln!(out, "flowchart LR")?;
    for (k, cluster) in drawing.clusters.iter().enumerate() {
        writeln!(out, "  subgraph b{k}[\"{}\"]", mermaid_text(&cluster.title))?;
        for &n in &cluster.nodes {
            writeln!(out, "    {}[{}]", drawing.nodes[n].key, mermaid_label(&drawing.nodes[n]))?;
        }
        writeln!(out, "  end")?;
    }
    for &n in &drawing.externals {
        let node = &drawing.nodes[n];
        writeln!(out, "  {}[{}]:::external", node.key, mermaid_label(node))?;
    }
    for link in &drawing.links {
        let arrow = if link.solid { "-->" } else { "-.->" };
        writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            drawing.nodes[link.from].key,
            mermaid_text(&link.kind),
            drawing.nodes[link.to].key
        )?;
    }
    writeln!(out, "  classDef external stroke-dasharray: 4 3")?;
    for (k, cluster) in drawing.clusters.iter().enumerate() {
        let (fill, border) = colours(cluster.status);
        writeln!(out, "  style b{k} fill:{fill},stroke:{border}")?;
    }
    Ok(())
}
