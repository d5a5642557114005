//! Renderers: finished results → bytes written to an output. They only render; every figure is
//! computed before.

pub mod inventory_csv;
pub mod inventory_table;

use std::io::Write;

use serde::Serialize;

/// Pretty JSON with a trailing newline; Decimals are strings (rust_decimal's serde default).
pub fn json<T: Serialize>(value: &T, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}
