//! Renderers: finished results → bytes. They only render; every figure is computed before.

pub mod inventory_csv;
pub mod inventory_table;

use serde::Serialize;

use crate::error::{Error, Result};

/// Pretty JSON with a trailing newline; Decimals are strings (rust_decimal's serde default).
pub fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(format!("cannot render JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}
