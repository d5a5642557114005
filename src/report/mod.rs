//! Renderers: finished results → bytes written to an output. They only render; every figure is
//! computed before.

pub mod assess_csv;
pub mod assess_table;
pub mod capacity_detailed;
pub mod capacity_table;
pub mod cost_csv;
pub mod cost_table;
pub mod html;
pub mod inventory_csv;
pub mod inventory_json;
pub mod inventory_table;
pub mod plan_graph;
pub mod plan_table;
pub mod runbook;
pub mod workloads_table;
pub mod xlsx;

use std::io::{BufWriter, Write};

use serde::Serialize;

/// Pretty JSON with a trailing newline; Decimals are strings (rust_decimal's serde default).
pub fn json<T: Json>(value: &T, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    value.write_pretty(&mut out)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A value rendered by [`json`]: exactly `serde_json::to_writer_pretty`'s bytes, however they are
/// produced.
pub trait Json: Serialize {
    fn write_pretty(&self, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}

/// Who decided an application's colour (the table's, workbook's and page's "Decided by"): `override` (the
/// consultant), `rules, N server override(s)` when the consultant decided some of its servers, `rules (review)` when
/// a server's verdict needs the consultant's review, else `rules`.
pub fn decided_by(app: &crate::workloads::ApplicationVerdict) -> String {
    if app.overridden {
        "override".to_string()
    } else if app.overridden_servers > 0 {
        format!("rules, {} server override(s)", app.overridden_servers)
    } else if app.needs_review {
        "rules (review)".to_string()
    } else {
        "rules".to_string()
    }
}
