//! The zip archive of an xlsx, xlsm, xlsb or ods workbook, inspected before the workbook library reads a byte of
//! it: each part's declared uncompressed size and compression ratio are checked against limits no real export
//! reaches, so a zip bomb is refused naming its part instead of filling memory.
//!
//! The declared sizes are binding: the zip reader stops any part whose data grows past the size its central
//! directory declares ("larger than its declared uncompressed size"), so a part that lies about its size fails
//! while it is read, within the limits checked here. Such a failure, or a damaged part, is named by
//! [`diagnose`], which reads the parts again (on the error path only) to find which one fails.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;

use crate::error::{InputError, Result};

/// A worksheet is streamed cell by cell, so its size costs time, not memory: 1,000,000 usage rows of 16 columns are
/// some 950 MB of XML, a full sheet (1,048,576 rows) of 100 columns 4 GB or more. 8 GiB.
pub const MAX_STREAMED_PART_BYTES: u64 = 8 << 30;
/// A part the workbook library reads whole into memory (shared strings, styles, the workbook, an ods
/// content.xml): 256 MiB.
pub const MAX_WHOLE_PART_BYTES: u64 = 256 << 20;
/// Parts over this size must not compress better than [`MAX_RATIO`]: 10 MiB.
pub const RATIO_FLOOR_BYTES: u64 = 10 << 20;
/// Real workbooks compress 5 to 30 times (XML of repeated cells); a zip bomb compresses 1,000 times.
pub const MAX_RATIO: u64 = 100;
/// At most this many parts in one archive (a workbook has tens).
pub const MAX_PARTS: usize = 100_000;
/// The shared-strings part declares how many strings it holds and the library reserves room for all of them at
/// once; a string takes at least this many bytes of XML (`<si/>`), so a count over size ÷ 5 is a lie.
const SMALLEST_SHARED_STRING_BYTES: u64 = 5;

/// Whether a part is a worksheet, which the readers stream.
fn is_streamed(name: &str) -> bool {
    name.starts_with("xl/worksheets/") && !name.starts_with("xl/worksheets/_rels/")
}

/// Whether the workbook library reads a part whole (XML and binary parts; pictures and media are not read).
fn is_read_whole(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !is_streamed(name) && (lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".bin"))
}

fn open_archive(path: &Path) -> Result<ZipArchive<BufReader<File>>> {
    let (file, _) = crate::open::regular_file(path)?;
    ZipArchive::new(BufReader::new(file)).map_err(|e| {
        InputError::new(path, format!("not a readable workbook (a damaged or truncated zip archive: {e})")).into()
    })
}

/// Refuses an archive holding a part over the limits above, naming the part.
pub fn check(path: &Path) -> Result<()> {
    let archive = open_archive(path)?;
    if archive.len() > MAX_PARTS {
        return Err(InputError::new(
            path,
            format!(
                "the workbook's archive holds {} parts, more than the {MAX_PARTS} a workbook may have",
                archive.len()
            ),
        )
        .into());
    }
    let mut shared_strings = None;
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index).map_err(|e| damaged(path, &e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("part {index}"));
        let size = entry.size();
        let compressed = entry.compressed_size().max(1);
        let limit = if is_read_whole(&name) { MAX_WHOLE_PART_BYTES } else { MAX_STREAMED_PART_BYTES };
        if size > limit {
            return Err(part_error(
                path,
                &name,
                format!("declares {size} bytes uncompressed, over the {limit}-byte limit"),
            ));
        }
        if size > RATIO_FLOOR_BYTES && size / compressed > MAX_RATIO {
            return Err(part_error(
                path,
                &name,
                format!(
                    "compresses {} times ({compressed} bytes holding {size}), over the limit of {MAX_RATIO} for parts \
                     over {RATIO_FLOOR_BYTES} bytes: a zip bomb, not a workbook",
                    size / compressed
                ),
            ));
        }
        if name.ends_with("sharedStrings.xml") {
            shared_strings = Some((index, name, size));
        }
    }
    if let Some((index, name, size)) = shared_strings {
        check_shared_string_count(path, archive, index, &name, size)?;
    }
    Ok(())
}

/// The shared-strings part's `uniqueCount`, which the library reserves memory for before reading a string.
fn check_shared_string_count(
    path: &Path,
    mut archive: ZipArchive<BufReader<File>>,
    index: usize,
    name: &str,
    size: u64,
) -> Result<()> {
    let mut head = Vec::new();
    let part = archive.by_index(index).map_err(|e| part_error(path, name, e.to_string()))?;
    // The count is an attribute of the first element; an error here is left for the library to report.
    let _ = part.take(64 * 1024).read_to_end(&mut head);
    let Some(count) = unique_count(&head) else { return Ok(()) };
    let most = size / SMALLEST_SHARED_STRING_BYTES + 1;
    if count > most {
        return Err(part_error(
            path,
            name,
            format!("declares {count} shared strings, more than its {size} bytes can hold (at most {most})"),
        ));
    }
    Ok(())
}

/// The `uniqueCount="N"` of the `<sst>` element at the start of a shared-strings part.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("<sst")?;
    let element = &text[sst..text[sst..].find('>').map_or(text.len(), |end| sst + end)];
    let at = element.find("uniqueCount=")? + "uniqueCount=".len();
    let value = element[at..].trim_start_matches(['"', '\'']);
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    // More digits than a u64 holds is a count no part can hold either.
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// The part that fails to decompress whole (a size its header lies about, a checksum, damaged data), and why:
/// called after the library failed, to say where. Every part is within the limits [`check`] enforced.
pub fn diagnose(path: &Path) -> Option<(String, String)> {
    let mut archive = open_archive(path).ok()?;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).ok()?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("part {index}"));
        if let Err(e) = std::io::copy(&mut part, &mut std::io::sink()) {
            return Some((name, e.to_string()));
        }
    }
    None
}

fn part_error(path: &Path, part: &str, problem: String) -> crate::error::Error {
    InputError::new(path, format!("this part of the workbook {problem}")).at(format!("part {part}")).into()
}

fn damaged(path: &Path, problem: &str) -> crate::error::Error {
    InputError::new(path, format!("not a readable workbook (a damaged zip archive: {problem})")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shared_string_count() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="12345"><si>"#;
        assert_eq!(unique_count(head), Some(12345));
        assert_eq!(unique_count(br#"<sst uniqueCount="99999999999999999999999">"#), Some(u64::MAX));
        assert_eq!(unique_count(br#"<sst count="3">"#), None);
    }

    #[test]
    fn worksheets_are_streamed_other_xml_is_read_whole() {
        assert!(is_streamed("xl/worksheets/sheet1.xml"));
        assert!(is_read_whole("xl/sharedStrings.xml"));
        assert!(is_read_whole("xl/worksheets/_rels/sheet1.xml.rels"));
        assert!(!is_read_whole("xl/media/image1.png"));
    }
}
