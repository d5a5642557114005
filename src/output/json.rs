//! `--format json`: the one way results become JSON. A result type opts in with `impl Json for …` (the domain
//! owns the result and its serde shape; writing it belongs here, beside the other output formats).

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
