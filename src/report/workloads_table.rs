//! `workloads` on the terminal (one row per application: the colour as a word, server counts, top reasons)
//! and as CSV (one row per server).

use std::io::Write;

use comfy_table::{Cell, Color as TermColor, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::output::csv_safe;
use crate::workloads::{Color, WorkloadReport, top_codes};

const TOP_REASONS: usize = 3;

fn color_cell(color: Color, colour: bool) -> Cell {
    let cell = Cell::new(color.word());
    if !colour {
        return cell;
    }
    cell.fg(match color {
        Color::Green => TermColor::Green,
        Color::Yellow => TermColor::Yellow,
        Color::Red => TermColor::Red,
    })
}

pub fn render(report: &WorkloadReport, colour: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !colour {
        table.force_no_tty();
    }
    table.set_header(["Application", "Color", "Servers", "Green", "Yellow", "Red", "Decided by", "Top reasons"]);
    // Worst first (red, yellow, green), input order within a colour.
    let mut applications: Vec<_> = report.applications.iter().collect();
    applications.sort_by_key(|a| std::cmp::Reverse(a.color));
    for app in applications {
        let reasons: Vec<String> = top_codes(app, TOP_REASONS)
            .into_iter()
            .map(|(code, n)| if n > 1 { format!("{code} ×{n}") } else { code })
            .collect();
        let decided = app.decided_by();
        table.add_row(vec![
            Cell::new(&app.name),
            color_cell(app.color, colour),
            Cell::new(app.servers.len()),
            Cell::new(app.counts.green),
            Cell::new(app.counts.yellow),
            Cell::new(app.counts.red),
            Cell::new(decided),
            Cell::new(reasons.join(", ")),
        ]);
    }
    writeln!(out, "{table}")?;
    let s = &report.summary;
    writeln!(
        out,
        "{} application(s): {} GREEN, {} YELLOW, {} RED, {} need review; {} server(s): {} GREEN, {} YELLOW, {} RED \
         ({} era)",
        s.applications,
        s.green,
        s.yellow,
        s.red,
        s.needs_review,
        s.servers,
        s.server_colors.green,
        s.server_colors.yellow,
        s.server_colors.red,
        report.era.as_str()
    )?;
    if !report.unmatched_rules.is_empty() {
        writeln!(out, "rules that matched no server: {}", report.unmatched_rules.join(", "))?;
    }
    Ok(())
}

pub fn render_csv(report: &WorkloadReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "server",
        "application",
        "grouped_by",
        "color",
        "rules_color",
        "overridden",
        "needs_review",
        "application_color",
        "qualified",
        "os",
        "reason_codes",
        "reasons",
        "source",
    ])?;
    let app_colors: std::collections::HashMap<&str, Color> =
        report.applications.iter().map(|a| (a.name.as_str(), a.color)).collect();
    for server in &report.servers {
        let app_color = app_colors.get(server.application.as_str()).map_or("", |c| c.as_str());
        let codes: Vec<&str> = server.reasons.iter().map(|r| r.code.as_str()).collect();
        let messages: Vec<&str> = server.reasons.iter().map(|r| r.message.as_str()).collect();
        writer.write_record([
            csv_safe::text(&server.name).as_ref(),
            csv_safe::text(&server.application).as_ref(),
            server.grouped_by,
            server.color.as_str(),
            server.rules_color.as_str(),
            yes_no(server.overridden),
            yes_no(server.needs_review),
            app_color,
            yes_no(server.qualified),
            csv_safe::text(&server.os).as_ref(),
            &codes.join("; "),
            csv_safe::text(&messages.join(" | ")).as_ref(),
            csv_safe::text(&server.source).as_ref(),
        ])?;
    }
    writer.flush()
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}
