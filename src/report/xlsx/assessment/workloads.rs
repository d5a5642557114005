//! Workloads (issue 9): one row per application ("Workloads") and one per server ("Workload Servers"), each
//! colour as the word GREEN / YELLOW / RED in a fill of that colour (as the CSP Status cells), with the reasons.

use std::io;

use rust_xlsxwriter::Workbook;

use super::cells::{count, joined};
use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::report::xlsx::text;
use crate::workloads::{Reason, ServerVerdict, WorkloadReport, top_reasons};

const APPLICATIONS: &[&str] =
    &["Application", "Color", "Decided by", "Servers", "Green", "Yellow", "Red", "Top reasons", "Reasons"];
const APPLICATION_WIDTHS: &[f64] = &[32.0, 10.0, 16.0, 9.0, 8.0, 8.0, 8.0, 40.0, 100.0];
const SERVERS: &[&str] = &[
    "Server",
    "Application",
    "Grouped by",
    "Color",
    "Rules color",
    "Overridden",
    "Needs review",
    "Is VM Qualified?",
    "OS",
    "Reason codes",
    "Reasons",
    "Source",
];
const SERVER_WIDTHS: &[f64] = &[30.0, 30.0, 18.0, 10.0, 12.0, 11.0, 13.0, 16.0, 32.0, 40.0, 100.0, 50.0];
/// Reason codes shown in "Top reasons".
const TOP_CODES: usize = 5;

pub fn write(workbook: &mut Workbook, styles: &Styles, report: &WorkloadReport) -> io::Result<()> {
    let spec =
        RowSheet { name: "Workloads", columns: APPLICATIONS, widths: APPLICATION_WIDTHS, preamble: &[], reserve: 0 };
    rows::write(workbook, &spec, report.applications.len(), report.applications.iter(), |sheet, row, app| {
        text(sheet, row, 0, &app.name, None)?;
        text(sheet, row, 1, app.color.word(), Some(styles.workload(app.color)))?;
        text(sheet, row, 2, &app.decided_by(), None)?;
        count(sheet, row, 3, app.servers.len())?;
        count(sheet, row, 4, app.counts.green)?;
        count(sheet, row, 5, app.counts.yellow)?;
        count(sheet, row, 6, app.counts.red)?;
        text(sheet, row, 7, &joined(&top_reasons(app, TOP_CODES), "; "), None)?;
        text(sheet, row, 8, &messages(&app.reasons), None)
    })?;
    let spec =
        RowSheet { name: "Workload Servers", columns: SERVERS, widths: SERVER_WIDTHS, preamble: &[], reserve: 0 };
    rows::write(workbook, &spec, report.servers.len(), report.servers.iter(), |sheet, row, server| {
        server_row(sheet, styles, row, server)
    })
    .map(|_| ())
}

fn server_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    styles: &Styles,
    row: u32,
    server: &ServerVerdict,
) -> io::Result<()> {
    let yes_no = |value: bool| if value { "Yes" } else { "No" };
    text(sheet, row, 0, &server.name, None)?;
    text(sheet, row, 1, &server.application, None)?;
    text(sheet, row, 2, server.grouped_by, None)?;
    text(sheet, row, 3, server.color.word(), Some(styles.workload(server.color)))?;
    text(sheet, row, 4, server.rules_color.word(), Some(styles.workload(server.rules_color)))?;
    text(sheet, row, 5, yes_no(server.overridden), None)?;
    text(sheet, row, 6, yes_no(server.needs_review), None)?;
    text(sheet, row, 7, yes_no(server.qualified), None)?;
    text(sheet, row, 8, &server.os, None)?;
    let codes: Vec<&str> = server.reasons.iter().map(|r| r.code.as_str()).collect();
    text(sheet, row, 9, &joined(&codes, "; "), None)?;
    text(sheet, row, 10, &messages(&server.reasons), None)?;
    text(sheet, row, 11, &server.source, None)
}

/// The reasons' messages joined; a server's reason prefixed with the server's name ("server: message").
fn messages(reasons: &[Reason]) -> String {
    let messages: Vec<String> = reasons
        .iter()
        .map(|r| match &r.server {
            Some(server) => format!("{server}: {}", r.message),
            None => r.message.clone(),
        })
        .collect();
    joined(&messages, "; ")
}
