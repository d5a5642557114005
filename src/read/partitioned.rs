//! Partitioned Cost Management exports: an export run's part files (`part_0_0001.csv`, `….csv.gz`,
//! `….snappy.parquet`) beside the `manifest.json` that lists them, read as ONE export.
//!
//! Cost Management always partitions an export run and describes it in a manifest ("File partitioning for large
//! datasets", Microsoft Learn: https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-improved-exports#file-partitioning-for-large-datasets):
//! `blobs[]` lists every part in order (`blobName`, with `byteCount` and `dataRowCount`), `blobCount` and
//! `dataRowCount` sum them up, and each part has its own header row. The input is the run's folder or its
//! manifest; the parts are read in the manifest's order, each through the same container and header detection as
//! a file of its own, and must all be the same kind with the same columns. A folder without a manifest is
//! refused: which files make up the run, and in which order, is the manifest's to say.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use csv::ByteRecord;
use serde::Deserialize;

use super::number::DecimalSeparator;
use super::table::{Header, Locator, Records, RowNames};
use super::{OpenTable, PartSummary, quote_list};
use crate::error::{InputError, Result};
use crate::model::Warning;
use crate::rules::{InputKind, InputKinds};

/// A manifest is a few kilobytes per thousand parts; anything far larger is not one.
const MANIFEST_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The fields of `manifest.json` that reading needs; the others (`exportConfig`, `deliveryConfig`, `runInfo`, …)
/// are left alone, so that fields Microsoft adds later do not stop reading.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    blobs: Vec<Blob>,
    blob_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Blob {
    blob_name: String,
    data_row_count: Option<u64>,
}

/// A part file to read, and the rows the manifest says it has.
struct Part {
    path: PathBuf,
    declared_rows: Option<u64>,
}

/// The manifest of a partitioned export given as `path` (its folder, or the manifest itself); `None` when
/// `path` is neither. A folder without a manifest is an error.
pub fn manifest_of(path: &Path) -> Result<Option<PathBuf>> {
    if path.is_dir() {
        let entries =
            std::fs::read_dir(path).map_err(|e| InputError::new(path, format!("cannot list the folder: {e}")))?;
        let mut manifests: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|file| is_manifest_name(file))
            .collect();
        manifests.sort();
        // A manifest that is a FIFO or a folder is refused as such, not taken for a missing one.
        for manifest in &manifests {
            crate::open::check_regular(manifest)?;
        }
        return match manifests.len() {
            1 => Ok(manifests.pop()),
            0 => Err(InputError::new(
                path,
                "is a directory without manifest.json: a directory is read only as a partitioned Cost Management \
                 export, whose manifest.json lists its part files and their order; give the folder of the export \
                 run as Cost Management wrote it, or the export files themselves",
            )
            .into()),
            _ => Err(InputError::new(
                path,
                format!(
                    "holds more than one manifest ({}): give the folder of one export run, or its manifest",
                    quote_list(&manifests.iter().map(|m| file_name(m)).collect::<Vec<_>>())
                ),
            )
            .into()),
        };
    }
    Ok((path.is_file() && is_manifest_name(path) && reads_like_manifest(path)).then(|| path.to_path_buf()))
}

/// A file named like a manifest is taken for one when its start names a manifest's fields, so that a resource
/// export that happens to be called `manifest.json` is still read as what it is.
fn reads_like_manifest(path: &Path) -> bool {
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| file.take(64 * 1024).read_to_end(&mut head));
    let head = String::from_utf8_lossy(&head);
    read.is_ok() && (head.contains("\"manifestVersion\"") || head.contains("\"blobs\""))
}

/// `manifest.json`, and `_manifest.json` as Microsoft Learn also spells it.
fn is_manifest_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_lowercase().ends_with("manifest.json"))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads the manifest and finds its part files beside it, in its order.
fn parts(manifest_path: &Path, warnings: &mut Vec<Warning>) -> Result<Vec<Part>> {
    let error = |message: String| InputError::new(manifest_path, message);
    let text = crate::open::read_limited(manifest_path, MANIFEST_MAX_BYTES, "Cost Management export manifest")?;
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    let manifest: Manifest = serde_json::from_slice(text).map_err(|e| {
        error(format!(
            "is not a Cost Management export manifest ({e}): expected a JSON object with a \"blobs\" array of \
             {{\"blobName\": …}}"
        ))
        .at(format!("line {}", e.line()))
    })?;
    if manifest.blobs.is_empty() {
        return Err(error("lists no part files (\"blobs\" is empty)".to_string()).into());
    }
    if let Some(count) = manifest.blob_count.filter(|&count| count != manifest.blobs.len() as u64) {
        warnings.push(Warning {
            location: "manifest".to_string(),
            message: format!(
                "the manifest's blobCount is {count} but it lists {} part file(s); the listed ones were read",
                manifest.blobs.len()
            ),
        });
    }
    let folder = manifest_path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    manifest.blobs.iter().enumerate().map(|(index, blob)| part(&folder, manifest_path, index, blob)).collect()
}

/// A blob's file beside the manifest. `blobName` is the part's path in the storage container; once
/// downloaded, the run's files sit in one folder, so only its last segment is used (which also keeps a
/// name like `../x` from reaching outside the folder).
fn part(folder: &Path, manifest_path: &Path, index: usize, blob: &Blob) -> Result<Part> {
    let name = blob.blob_name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let at = format!("blobs[{index}]");
    if name.is_empty() || name == "." || name == ".." {
        return Err(InputError::new(manifest_path, format!("blobName \"{}\" names no file", blob.blob_name))
            .at(at)
            .into());
    }
    let path = folder.join(name);
    if !path.exists() {
        return Err(InputError::new(
            manifest_path,
            format!(
                "lists the part file \"{name}\" (blob \"{}\"), which is not in {}: copy every part file of the \
                 export run beside its manifest",
                blob.blob_name,
                folder.display()
            ),
        )
        .at(at)
        .into());
    }
    // There, but a FIFO, a device or a folder: said as such, before anything opens it.
    crate::open::check_regular(&path)?;
    Ok(Part { path, declared_rows: blob.data_row_count })
}

/// What reading a partitioned export gives the caller: its parts' records as one source, their header, and
/// what the summary reports.
pub struct Partitioned<'k> {
    pub records: PartsRecords<'k>,
    pub header: Header<'k>,
    pub encoding: Option<String>,
    pub parts: Vec<PartSummary>,
    pub warnings: Arc<Mutex<Vec<Warning>>>,
}

/// Opens the manifest and the first part. `open` opens one part file as a table (container and header
/// detection as for a file of its own).
pub fn open<'k>(
    manifest_path: &Path,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
    open: fn(&Path, &'k InputKinds, Option<&'k InputKind>) -> Result<OpenTable<'k>>,
) -> Result<Partitioned<'k>> {
    let mut warnings = Vec::new();
    let parts = parts(manifest_path, &mut warnings)?;
    let parts_read = parts
        .iter()
        .map(|part| {
            let container = super::container::of_file(&part.path)?.label().map(str::to_string);
            Ok(PartSummary { path: part.path.display().to_string(), container })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut queue: VecDeque<Part> = parts.into();
    let first = queue.pop_front().ok_or_else(|| InputError::new(manifest_path, "lists no part files"))?;
    let table = open(&first.path, kinds, forced)?;
    let encoding = table.encoding.map(|e| e.label().to_string());
    let names = Arc::new(PartNames::default());
    let warnings = Arc::new(Mutex::new(warnings));
    let header = Header {
        kind: table.header.kind,
        columns: table.header.columns.clone(),
        names: table.header.names.clone(),
        skipped: table.header.skipped,
        row: table.header.row,
        warnings: table.header.warnings.clone(),
    };
    let mut records = PartsRecords {
        queue,
        kinds,
        forced,
        open,
        first_kind: table.header.kind,
        first_names: table.header.names.clone(),
        first_part: file_name(&first.path),
        current: None,
        offset: 0,
        last_row: 0,
        names: names.clone(),
        warnings: warnings.clone(),
        started: 0,
    };
    records.start(first, table);
    Ok(Partitioned { records, header, encoding, parts: parts_read, warnings })
}

/// The part files' row numbers, made one sequence: part k's rows are numbered after part k−1's last one,
/// and named back as `part "part_0_0002.csv", line 7`.
#[derive(Debug, Default)]
struct PartNames {
    spans: Mutex<Vec<PartSpan>>,
}

#[derive(Debug)]
struct PartSpan {
    /// Added to the part's own row numbers.
    offset: u64,
    name: String,
    locator: Locator,
}

impl RowNames for PartNames {
    fn locate(&self, row: u64, column: Option<usize>) -> String {
        let spans = self.spans.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The last part that starts at or before `row` (a part's first record, its header, is offset + 0..).
        match spans.iter().rev().find(|span| span.offset <= row) {
            Some(span) => format!("part \"{}\", {}", span.name, span.locator.locate(row - span.offset, column)),
            None => format!("row {row}"),
        }
    }
}

/// The current part: its records, and how many rows it gave against what the manifest said.
struct Current {
    records: Box<dyn Records>,
    name: String,
    rows: u64,
    declared_rows: Option<u64>,
}

/// The records of every part in the manifest's order, as one source.
pub struct PartsRecords<'k> {
    queue: VecDeque<Part>,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
    open: fn(&Path, &'k InputKinds, Option<&'k InputKind>) -> Result<OpenTable<'k>>,
    first_kind: &'k InputKind,
    first_names: Vec<String>,
    first_part: String,
    current: Option<Current>,
    offset: u64,
    last_row: u64,
    names: Arc<PartNames>,
    warnings: Arc<Mutex<Vec<Warning>>>,
    /// How many parts were started.
    started: usize,
}

impl PartsRecords<'_> {
    /// Makes `table` (opened from `part`, its header read) the current part.
    fn start(&mut self, part: Part, table: OpenTable) {
        let name = file_name(&part.path);
        // Numbers after the previous part's last row; the part's own numbers start at 0 (a Parquet header) or 1.
        self.offset = if self.started == 0 { 0 } else { self.last_row.saturating_add(1) };
        self.started += 1;
        let locator = table.records.locator();
        self.names.spans.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(PartSpan {
            offset: self.offset,
            name: name.clone(),
            locator,
        });
        self.current = Some(Current { records: table.records, name, rows: 0, declared_rows: part.declared_rows });
    }

    /// Opens the next part and checks that its header is the first part's.
    fn next_part(&mut self) -> Result<bool> {
        let Some(part) = self.queue.pop_front() else {
            return Ok(false);
        };
        let table = (self.open)(&part.path, self.kinds, self.forced)?;
        let name = file_name(&part.path);
        if table.header.kind.id != self.first_kind.id {
            return Err(InputError::new(
                &part.path,
                format!(
                    "is a {} but the first part, \"{}\", is a {}: the parts of one export are one kind",
                    table.header.kind.id, self.first_part, self.first_kind.id
                ),
            )
            .into());
        }
        if table.header.names != self.first_names {
            let differs = (0..table.header.names.len().max(self.first_names.len()))
                .find(|&i| table.header.names.get(i) != self.first_names.get(i))
                .unwrap_or(0);
            let shown = |names: &[String]| names.get(differs).map_or("none".to_string(), |n| format!("\"{n}\""));
            return Err(InputError::new(
                &part.path,
                format!(
                    "has other columns than the first part, \"{}\": column {} is {} here and {} there; the parts \
                     of one export have the same header",
                    self.first_part,
                    differs + 1,
                    shown(&table.header.names),
                    shown(&self.first_names)
                ),
            )
            .at(name)
            .into());
        }
        self.start(part, table);
        Ok(true)
    }

    /// Warns when a part gave another number of rows than the manifest lists for it (a part file cut short,
    /// or one of another run).
    fn finish_part(&mut self) {
        let Some(mut current) = self.current.take() else {
            return;
        };
        for warning in current.records.take_warnings() {
            let location = format!("part \"{}\", {}", current.name, warning.location);
            self.warnings
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(Warning { location, ..warning });
        }
        if let Some(declared) = current.declared_rows.filter(|&declared| declared != current.rows) {
            self.warnings.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(Warning {
                location: format!("part \"{}\"", current.name),
                message: format!(
                    "has {} data row(s), the manifest lists {declared} (dataRowCount): the part file may be \
                     incomplete or from another export run",
                    current.rows
                ),
            });
        }
    }
}

impl Records for PartsRecords<'_> {
    fn next_record(&mut self, record: &mut ByteRecord) -> Result<Option<u64>> {
        loop {
            if let Some(current) = self.current.as_mut() {
                if let Some(row) = current.records.next_record(record)? {
                    if !record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                        current.rows += 1;
                    }
                    let row = row.saturating_add(self.offset);
                    self.last_row = row;
                    return Ok(Some(row));
                }
                self.finish_part();
            }
            if !self.next_part()? {
                return Ok(None);
            }
        }
    }

    fn locator(&self) -> Locator {
        Locator::Rows(self.names.clone())
    }

    /// Every part of one export is written alike; the first part's convention stands for all.
    fn decimal_separator(&self) -> DecimalSeparator {
        self.current.as_ref().map_or(DecimalSeparator::Point, |current| current.records.decimal_separator())
    }
}
