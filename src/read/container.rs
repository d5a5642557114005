//! How an input file is packed, found from its first bytes (and, for workbooks, its extension): plain text, a
//! gzip stream (Cost Management's "Gzip" compression of CSV exports), a Parquet file (its "Parquet" format), or
//! a workbook. What the file holds (usage, portal list, JSON) is decided afterwards, from its header or shape,
//! exactly as for a plain file: the container and the kind are independent.

use std::io::Read;
use std::path::Path;

use crate::error::{InputError, Result};

/// The first bytes of a gzip stream (RFC 1952, section 2.3.1: ID1 ID2).
const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];
/// A Parquet file starts (and ends) with these four bytes (Apache Parquet format specification, "File Format").
const PARQUET_MAGIC: [u8; 4] = *b"PAR1";
/// Office Open XML workbooks are zip archives; legacy `.xls` files are OLE compound documents.
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";
const OLE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Text,
    Gzip,
    Parquet,
    Workbook,
}

impl Container {
    /// The name the input summary reports (`container`); `None` for a plain text file or a workbook, whose
    /// summaries are as they always were.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Container::Gzip => Some("gzip"),
            Container::Parquet => Some("parquet"),
            Container::Text | Container::Workbook => None,
        }
    }

    /// The container of bytes that start with `head`.
    pub fn of_head(head: &[u8]) -> Container {
        if head.starts_with(&GZIP_MAGIC) {
            Container::Gzip
        } else if head.starts_with(&PARQUET_MAGIC) {
            Container::Parquet
        } else if head.starts_with(&ZIP_MAGIC) || head.starts_with(&OLE_MAGIC) {
            Container::Workbook
        } else {
            Container::Text
        }
    }
}

/// The container of a file: a workbook by its extension (calamine needs to know which kind), anything else
/// by its first bytes, whatever its name (a `.csv` that is gzip is read as gzip).
pub fn of_file(path: &Path) -> Result<Container> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if matches!(extension.as_deref(), Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")) {
        // The workbook library opens the path itself (and would block on a FIFO): checked here for it.
        crate::open::check_regular(path)?;
        return Ok(Container::Workbook);
    }
    let mut head = [0u8; 4];
    // Through the gate: a FIFO would block here, before any reader sees the path.
    let (mut file, _) = crate::open::regular_file(path)?;
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(InputError::new(path, format!("cannot read: {e}")).into()),
        }
    }
    Ok(Container::of_head(&head[..filled]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_containers_by_their_first_bytes() {
        assert_eq!(Container::of_head(&[0x1F, 0x8B, 8, 0]), Container::Gzip);
        assert_eq!(Container::of_head(b"PAR1\x15\x04"), Container::Parquet);
        assert_eq!(Container::of_head(b"PK\x03\x04"), Container::Workbook);
        assert_eq!(Container::of_head(b"SubscriptionId,"), Container::Text);
        assert_eq!(Container::of_head(b"\x1F"), Container::Text);
    }
}
