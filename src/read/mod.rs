//! Readers: input files → resources with source locations.
//!
//! One entry point, [`read_input`], detects what a file is (workbook or text; JSON by content; CSV
//! kinds by the header signatures of `rules/input-kinds.toml`), decodes it, and hands it to the reader
//! of its kind. `--input-format` overrides detection.
//!
//! How a file is packed is found first, from its content ([`container`]): a gzip stream is decoded and read
//! as the text it holds, a Parquet file is read as records with a header ([`parquet`]), and a partitioned
//! export's folder or manifest is read as one input made of its part files ([`partitioned`]). The kind is
//! then detected from the header exactly as for a plain CSV file, so `--input-format` names a kind, never a
//! container.

pub mod aggregate;
pub mod blank;
pub mod cells;
pub mod container;
pub mod csv_syntax;
pub mod customer;
pub mod decode;
pub mod duplicate_columns;
pub mod empty;
pub mod gzip;
pub mod header_checks;
pub mod json;
pub mod kind_rows;
pub mod locations;
pub mod number;
pub mod parquet;
pub mod parquet_text;
pub mod partitioned;
pub mod portal;
pub mod row_shape;
pub mod table;
pub mod usage;
pub mod workbook;
pub mod xlsx;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{InputError, Result};
use crate::model::{Inventory, Resource, SourceRef, Warning};
use crate::rules::path_set::PathSet;
use crate::rules::{InputKind, InputKinds, ReadRules};
use container::Container;
use decode::TextEncoding;
use table::{CsvRecords, Detection, Header, Records, detect_header};

/// The kinds of input csp-planner reads (`--input-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Azure Resource Graph JSON (`az graph query`, `Search-AzGraph`): `{"data": [...]}` or an array
    ArgJson,
    /// `az resource list -o json` (an array), or ARM REST pages (`{"value": [...], "nextLink": …}`)
    AzJson,
    /// `Get-AzResource | ConvertTo-Json`: PascalCase keys (`ResourceId`, `ResourceType`, `ResourceGroupName`)
    PowershellJson,
    /// JSON Lines (`.jsonl`, `.ndjson`): one resource object per line
    JsonLines,
    /// The Azure portal's "All resources" CSV export
    PortalCsv,
    /// A usage-detail export (EA portal old spelling, Cost Management new spelling)
    UsageCsv,
    /// A FOCUS cost and usage export (FinOps Open Cost and Usage Specification)
    FocusCsv,
}

impl InputFormat {
    pub fn id(self) -> &'static str {
        match self {
            InputFormat::ArgJson => "arg-json",
            InputFormat::AzJson => "az-json",
            InputFormat::PowershellJson => "powershell-json",
            InputFormat::JsonLines => "json-lines",
            InputFormat::PortalCsv => "portal-csv",
            InputFormat::UsageCsv => "usage-csv",
            InputFormat::FocusCsv => "focus-csv",
        }
    }

    fn is_json(self) -> bool {
        matches!(
            self,
            InputFormat::ArgJson | InputFormat::AzJson | InputFormat::PowershellJson | InputFormat::JsonLines
        )
    }
}

/// An input: a file, or one of the sample files compiled into the binary.
#[derive(Debug, Clone)]
pub struct Source {
    pub display: String,
    pub data: SourceData,
}

#[derive(Debug, Clone)]
pub enum SourceData {
    Path(PathBuf),
    Bundled(&'static [u8]),
}

impl Source {
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Source { display: path.display().to_string(), data: SourceData::Path(path) }
    }
}

pub struct ReadOptions<'a> {
    pub rules: &'a ReadRules,
    pub forced: Option<InputFormat>,
    pub sheet: Option<&'a str>,
    /// Draw a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// Keep only these paths of each resource's `properties` (the ones the command's rules read), or all of
    /// them (`None`: `--with-properties`, and commands that do not read rules).
    pub keep_properties: Option<&'a PathSet>,
}

/// What readers share: the input's name and the rules.
pub struct ReadContext<'a> {
    pub path: PathBuf,
    pub display: String,
    pub rules: &'a ReadRules,
    /// See [`ReadOptions::keep_properties`].
    pub keep_properties: Option<&'a PathSet>,
    /// Every reader's locations pass here: ARM short names, the unknown ones listed in one warning.
    pub locations: locations::Locations<'a>,
}

/// What one reader produced from one input.
#[derive(Default)]
pub struct Outcome {
    pub rows: u64,
    /// Each resource; its last `sources` entry names where in this input it was read.
    pub resources: Vec<Resource>,
    pub warnings: Vec<Warning>,
    /// Rows that are commitments or purchases, not resources (usage exports).
    pub commitments: crate::model::Commitments,
    /// What the usage rows say about each subscription's billing (offer, billing account, reseller, tenant).
    pub billing: crate::model::billing::BillingFacts,
}

impl Outcome {
    pub fn push(&mut self, mut resource: Resource, location: String, display: &str) {
        resource.sources.push(SourceRef { path: display.to_string(), location });
        self.resources.push(resource);
    }
}

/// One input as the `inputs` section of the JSON contract reports it.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub path: String,
    pub format: String,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    /// How the input was packed: `gzip`, `parquet`, or `partitioned` (a Cost Management export's folder or
    /// manifest); absent for a plain file or a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// A partitioned export's part files, in the manifest's order; absent for any other input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartSummary>,
    /// The rows (JSON: elements) the input held, read or skipped. 0 when it held none at all (an empty JSON
    /// list, a header without rows): see [`InputSummary::is_empty`].
    pub rows: u64,
    pub resources: usize,
    pub warnings: Vec<Warning>,
    /// Read by the usage reader (a usage or FOCUS export).
    #[serde(skip)]
    pub reads_usage: bool,
}

impl InputSummary {
    fn new(path: &str) -> Self {
        InputSummary {
            path: path.to_string(),
            format: String::new(),
            sheet: None,
            encoding: None,
            container: None,
            parts: Vec::new(),
            rows: 0,
            resources: 0,
            warnings: Vec::new(),
            reads_usage: false,
        }
    }
}

/// One part file of a partitioned export, as the input summary lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PartSummary {
    pub path: String,
    /// `gzip` or `parquet`; absent for a plain CSV part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

impl InputSummary {
    /// True when the input held no row at all (a "no resources" warning says so): not an error of the reader,
    /// but a run in which no input has a row has nothing to work on.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// What is done with an input once it is open: read as a table (its records, after the detected header) or as
/// a JSON document. The inventory reads both; other commands read only tables (see [`read_table_input`]).
trait InputReader {
    fn table(&mut self, records: &mut dyn Records, header: &Header, ctx: &ReadContext) -> Result<()>;
    fn json(
        &mut self,
        read: Box<dyn Read + Send>,
        forced: Option<InputFormat>,
        ctx: &ReadContext,
        summary: &mut InputSummary,
    ) -> Result<()>;
}

/// The inventory's reader: every kind, into one [`Outcome`].
struct InventoryReader {
    outcome: Outcome,
}

impl InputReader for InventoryReader {
    fn table(&mut self, records: &mut dyn Records, header: &Header, ctx: &ReadContext) -> Result<()> {
        read_table(records, header, ctx, &mut self.outcome)
    }

    fn json(
        &mut self,
        read: Box<dyn Read + Send>,
        forced: Option<InputFormat>,
        ctx: &ReadContext,
        summary: &mut InputSummary,
    ) -> Result<()> {
        read_json(read, forced, ctx, summary, &mut self.outcome)
    }
}

/// Reads one input and merges its resources into `inventory`.
pub fn read_input(source: &Source, options: &ReadOptions, inventory: &mut Inventory) -> Result<InputSummary> {
    let mut reader = InventoryReader { outcome: Outcome::default() };
    let mut summary = read_source(source, options, &mut reader)?;
    let outcome = reader.outcome;
    summary.rows = outcome.rows;
    // The reader's warnings first, then those about the whole input (`read_source`: the container, the rows'
    // rewriting, the locations).
    let whole_input = std::mem::replace(&mut summary.warnings, outcome.warnings);
    summary.warnings.extend(whole_input);
    summary.resources = inventory.merge_all(outcome.resources, &mut summary.warnings);
    inventory.billing.merge(outcome.billing);
    if !inventory.commitments.merge(outcome.commitments) {
        return Err(InputError::new(
            Path::new(&source.display),
            "the sum of a commitment's cost overflows the decimal range",
        )
        .into());
    }
    Ok(summary)
}

/// A reader of tables only, for commands that read one kind of table their own way (`cost` reads usage rows).
struct TableOnly<'f, F> {
    read: &'f mut F,
    what: &'static str,
}

impl<F: FnMut(&mut dyn Records, &Header, &ReadContext) -> Result<()>> InputReader for TableOnly<'_, F> {
    fn table(&mut self, records: &mut dyn Records, header: &Header, ctx: &ReadContext) -> Result<()> {
        (self.read)(records, header, ctx)
    }

    fn json(
        &mut self,
        _: Box<dyn Read + Send>,
        _: Option<InputFormat>,
        ctx: &ReadContext,
        _: &mut InputSummary,
    ) -> Result<()> {
        Err(InputError::new(&ctx.path, format!("is JSON; this command reads {}", self.what)).into())
    }
}

/// The reader of the table an input is (`usage`, `portal`: from its detected header's kind), `None` for JSON; reads the
/// header only. Errors are those of reading it (no such file, an unknown header).
pub fn table_kind(source: &Source, rules: &ReadRules, sheet: Option<&str>) -> Result<Option<String>> {
    struct Kind(Option<String>);
    impl InputReader for Kind {
        fn table(&mut self, _: &mut dyn Records, header: &Header, _: &ReadContext) -> Result<()> {
            self.0 = Some(header.kind.reader.clone());
            Ok(())
        }
        fn json(
            &mut self,
            _: Box<dyn Read + Send>,
            _: Option<InputFormat>,
            _: &ReadContext,
            _: &mut InputSummary,
        ) -> Result<()> {
            Ok(())
        }
    }
    let options = ReadOptions { rules, forced: None, sheet, progress: false, keep_properties: None };
    let mut kind = Kind(None);
    read_source(source, &options, &mut kind)?;
    Ok(kind.0)
}

/// Opens one input as a table (CSV or workbook, header detected as for the inventory) and hands its records to
/// `read`. `what` names what the command reads, for the error when the input is JSON. The summary's format,
/// sheet and encoding are filled in; rows, resources and warnings are the caller's.
pub fn read_table_input(
    source: &Source,
    options: &ReadOptions,
    what: &'static str,
    mut read: impl FnMut(&mut dyn Records, &Header, &ReadContext) -> Result<()>,
) -> Result<InputSummary> {
    read_source(source, options, &mut TableOnly { read: &mut read, what })
}

fn read_source(source: &Source, options: &ReadOptions, reader: &mut dyn InputReader) -> Result<InputSummary> {
    let path = PathBuf::from(&source.display);
    let ctx = ReadContext {
        path: path.clone(),
        display: source.display.clone(),
        rules: options.rules,
        keep_properties: options.keep_properties,
        locations: locations::Locations::new(&options.rules.regions),
    };
    let mut summary = InputSummary::new(&source.display);
    if let SourceData::Path(given) = &source.data
        && let Some(manifest) = partitioned::manifest_of(given)?
    {
        read_partitioned(&manifest, options, &ctx, &mut summary, reader)?;
        return Ok(summary);
    }
    let (read, progress) = open(source, options.progress)?;
    let container = match &source.data {
        SourceData::Path(p) => container::of_file(p)?,
        SourceData::Bundled(bytes) => Container::of_head(bytes),
    };
    summary.container = container.label().map(str::to_string);
    match container {
        Container::Workbook => {
            drop(read);
            read_workbook(&path, options, &ctx, &mut summary, reader)?;
        }
        Container::Parquet => {
            drop(read);
            read_parquet(&path, options, &ctx, &mut summary, reader)?;
        }
        Container::Gzip => read_text(gzip::decode(read), options, &ctx, &mut summary, reader)?,
        Container::Text => read_text(read, options, &ctx, &mut summary, reader)?,
    }
    if let Some(progress) = progress {
        progress.finish_and_clear();
    }
    summary.warnings.extend(ctx.locations.warning());
    Ok(summary)
}

fn open(source: &Source, progress: bool) -> Result<(Box<dyn Read + Send>, Option<indicatif::ProgressBar>)> {
    match &source.data {
        SourceData::Bundled(bytes) => Ok((Box::new(Cursor::new(*bytes)), None)),
        SourceData::Path(path) => {
            let (file, metadata) = crate::open::regular_file(path)?;
            if metadata.len() == 0 {
                return Err(InputError::new(path, "the file is empty").into());
            }
            if progress {
                let bar = crate::progress::bytes_bar(metadata.len(), &source.display);
                Ok((Box::new(bar.wrap_read(file)), Some(bar)))
            } else {
                Ok((Box::new(file), None))
            }
        }
    }
}

/// Workbooks are recognised by extension or by their zip / OLE signature.
pub fn is_workbook(path: &Path) -> Result<bool> {
    Ok(container::of_file(path)? == Container::Workbook)
}

/// One table opened from a file of its own (a part of a partitioned export): its records after the header.
pub struct OpenTable<'k> {
    pub records: Box<dyn Records>,
    pub header: Header<'k>,
    pub container: Container,
    pub encoding: Option<TextEncoding>,
}

/// Opens a file as a table, whatever its container (text, gzip, Parquet, workbook), and finds its header as
/// [`read_input`] does. JSON is refused: the parts of an export are tables.
fn open_table<'k>(path: &Path, kinds: &'k InputKinds, forced: Option<&'k InputKind>) -> Result<OpenTable<'k>> {
    let (read, _) = open(&Source::path(path), false)?;
    let container = container::of_file(path)?;
    match container {
        Container::Workbook => {
            drop(read);
            let mut table = xlsx::open(path, kinds, forced, None)?;
            header_checks::check(&mut table.records, &mut table.header, kinds, path)?;
            Ok(OpenTable { records: Box::new(table.records), header: table.header, container, encoding: None })
        }
        Container::Parquet => {
            drop(read);
            let mut records = parquet::open(path)?;
            let header = find_header(&mut records, kinds, forced, path)?;
            Ok(OpenTable { records: Box::new(records), header, container, encoding: None })
        }
        Container::Gzip | Container::Text => {
            let read = if container == Container::Gzip { gzip::decode(read) } else { read };
            let (encoding, head, rest) = decoded_text(read, path)?;
            if head.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|&b| b == b'[' || b == b'{') {
                return Err(InputError::new(path, "is JSON; the part files of an export are CSV or Parquet").into());
            }
            let mut records = CsvRecords::new(path, &head, rest);
            let header = find_header(&mut records, kinds, forced, path)?;
            Ok(OpenTable { records: Box::new(records), header, container, encoding: Some(encoding) })
        }
    }
}

/// A partitioned export: its parts' records as one table, read by `reader` once.
fn read_partitioned(
    manifest: &Path,
    options: &ReadOptions,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    reader: &mut dyn InputReader,
) -> Result<()> {
    if options.forced.is_some_and(InputFormat::is_json) {
        return Err(InputError::new(
            &ctx.path,
            "is a partitioned export of tables, not JSON (--input-format asks for JSON)",
        )
        .into());
    }
    let kinds = &options.rules.input_kinds;
    let forced = forced_kind(kinds, options.forced, &ctx.path)?;
    let mut export = partitioned::open(manifest, kinds, forced, open_table)?;
    summary.format = export.header.kind.id.clone();
    summary.encoding = export.encoding.take();
    summary.container = Some("partitioned".to_string());
    summary.parts = std::mem::take(&mut export.parts);
    read_kind_table(&mut export.records, &export.header, ctx, summary, reader)?;
    let warnings = std::mem::take(&mut *export.warnings.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    summary.warnings.extend(warnings);
    Ok(())
}

fn read_parquet(
    path: &Path,
    options: &ReadOptions,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    reader: &mut dyn InputReader,
) -> Result<()> {
    let (kinds, forced) = table_kinds(options, path, "a Parquet file")?;
    let mut records = parquet::open(path)?;
    let header = find_header(&mut records, kinds, forced, path)?;
    summary.format = header.kind.id.clone();
    read_kind_table(&mut records, &header, ctx, summary, reader)
}

/// The header of a table, or the error that says why none was found.
fn find_header<'k>(
    records: &mut dyn Records,
    kinds: &'k InputKinds,
    forced: Option<&'k InputKind>,
    path: &Path,
) -> Result<Header<'k>> {
    match detect_header(records, kinds, forced)? {
        Detection::Found(mut header) => {
            header_checks::check(records, &mut header, kinds, path)?;
            Ok(header)
        }
        Detection::Ambiguous(candidates, headers) => Err(ambiguous(path, &candidates, &headers).into()),
        Detection::NoMatch(headers) => {
            let expected = expected_kinds(kinds, forced);
            let at = match records.locator() {
                table::Locator::Lines => "line 1".to_string(),
                locator => locator.locate(0, None),
            };
            Err(InputError::new(
                path,
                format!("unknown header: expected {expected}; headers seen: {}", quote_list(&headers)),
            )
            .at(at)
            .into())
        }
    }
}

/// The text of a stream as UTF-8, its encoding, and its first 64 KiB (already read, and at the front of the
/// returned reader too).
fn decoded_text(read: Box<dyn Read + Send>, path: &Path) -> Result<(TextEncoding, Vec<u8>, Box<dyn Read + Send>)> {
    let (encoding, mut decoded) =
        decode::utf8_reader(read).map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    let mut head = Vec::new();
    (&mut decoded)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| InputError::new(path, format!("cannot read as {}: {e}", encoding.label())))?;
    if !head.iter().any(|b| !b.is_ascii_whitespace()) {
        return Err(InputError::new(path, "the file is empty (no text)").into());
    }
    let rest: Box<dyn Read + Send> = Box::new(Cursor::new(head.clone()).chain(decoded));
    Ok((encoding, head, rest))
}

/// The table kinds a binary table (`what`: a workbook, a Parquet file) is detected among, and the forced one;
/// an error when `--input-format` asks for JSON.
fn table_kinds<'o>(
    options: &ReadOptions<'o>,
    path: &Path,
    what: &str,
) -> Result<(&'o InputKinds, Option<&'o InputKind>)> {
    if options.forced.is_some_and(InputFormat::is_json) {
        return Err(InputError::new(path, format!("is {what}, not JSON (--input-format asks for JSON)")).into());
    }
    let kinds = &options.rules.input_kinds;
    Ok((kinds, forced_kind(kinds, options.forced, path)?))
}

fn forced_kind<'k>(kinds: &'k InputKinds, forced: Option<InputFormat>, path: &Path) -> Result<Option<&'k InputKind>> {
    match forced {
        None => Ok(None),
        Some(format) => kinds.get(format.id()).map(Some).ok_or_else(|| {
            InputError::new(path, format!("rules/input-kinds.toml has no kind \"{}\"", format.id())).into()
        }),
    }
}

fn read_workbook(
    path: &Path,
    options: &ReadOptions,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    reader: &mut dyn InputReader,
) -> Result<()> {
    let (kinds, forced) = table_kinds(options, path, "a workbook")?;
    let mut table = xlsx::open(path, kinds, forced, options.sheet)?;
    header_checks::check(&mut table.records, &mut table.header, kinds, path)?;
    summary.format = table.header.kind.id.clone();
    summary.sheet = Some(table.sheet.clone());
    read_kind_table(&mut table.records, &table.header, ctx, summary, reader)
}

fn read_text(
    read: Box<dyn Read + Send>,
    options: &ReadOptions,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    reader: &mut dyn InputReader,
) -> Result<()> {
    let path = ctx.path.as_path();
    let (encoding, head, rest) = decoded_text(read, path)?;
    summary.encoding = Some(encoding.label().to_string());
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let looks_like_json = first == Some(b'[') || first == Some(b'{');
    match options.forced {
        Some(format) if format.is_json() => reader.json(rest, Some(format), ctx, summary),
        None if looks_like_json => reader.json(rest, None, ctx, summary),
        _ => {
            let kinds = &options.rules.input_kinds;
            let forced = forced_kind(kinds, options.forced, path)?;
            let mut records = CsvRecords::new(path, &head, rest);
            let header = find_header(&mut records, kinds, forced, path)?;
            summary.format = header.kind.id.clone();
            read_kind_table(&mut records, &header, ctx, summary, reader)
        }
    }
}

/// Hands a table's records to `reader`, rewritten first when the kind's rules say so (see [`kind_rows`]); the
/// rewriting's warnings go to the summary.
fn read_kind_table(
    records: &mut dyn Records,
    header: &Header,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    reader: &mut dyn InputReader,
) -> Result<()> {
    summary.reads_usage = header.kind.reader == "usage";
    summary.warnings.extend(header.warnings.iter().cloned());
    if kind_rows::needs_rewriting(header) {
        let mut rows = kind_rows::KindRows::new(records, header);
        reader.table(&mut rows, header, ctx)?;
        summary.warnings.extend(rows.finish());
    } else {
        reader.table(records, header, ctx)?;
    }
    // The rows' own warnings (header rows repeated in the file) once every row is read.
    summary.warnings.extend(records.take_warnings());
    Ok(())
}

fn read_json(
    read: Box<dyn Read + Send>,
    forced: Option<InputFormat>,
    ctx: &ReadContext,
    summary: &mut InputSummary,
    outcome: &mut Outcome,
) -> Result<()> {
    // Streams the resource arrays; the kind comes from the document's shape and keys (see `json::read`).
    let detected = json::read(read, ctx, outcome)?;
    summary.format = match (forced, detected) {
        (Some(format), Some(_)) => format.id().to_string(),
        (Some(_), None) => return Err(json::not_a_list(&ctx.path)),
        (None, Some(found)) => found,
        (None, None) => return Err(InputError::new(&ctx.path, "JSON, but not a list of resources: expected an array (az resource list, Get-AzResource | ConvertTo-Json), or an object with a \"data\" array (Resource Graph) or a \"value\" array (ARM REST)").into()),
    };
    Ok(())
}

fn read_table(records: &mut dyn Records, header: &Header, ctx: &ReadContext, outcome: &mut Outcome) -> Result<()> {
    if header.skipped > 0 {
        outcome.warnings.push(Warning {
            location: "header".to_string(),
            message: format!("{} line(s) before the header row were skipped", header.skipped),
        });
    }
    match header.kind.reader.as_str() {
        "usage" => usage::read(records, header, ctx, outcome),
        "portal" => portal::read(records, header, ctx, outcome),
        other => Err(InputError::new(
            &ctx.path,
            format!(
                "input kind \"{}\" (from rules/input-kinds.toml) names reader \"{other}\", which this version of csp-planner does not have",
                header.kind.id
            ),
        )
        .into()),
    }
}

/// The error for a header that identifies two kinds.
pub(crate) fn ambiguous(path: &Path, candidates: &[&InputKind], headers: &[String]) -> InputError {
    let names: Vec<String> = candidates.iter().map(|k| format!("{} ({})", k.id, k.title)).collect();
    InputError::new(
        path,
        format!(
            "the header matches more than one kind of input: {}; choose one with --input-format. Headers seen: {}",
            names.join(" and "),
            quote_list(headers)
        ),
    )
}

pub(crate) fn quote_list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "none".to_string();
    }
    headers.iter().map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", ")
}

/// "a usage-csv header (ResourceId/Instance ID, …) or a portal-csv header (…)", for messages.
pub(crate) fn expected_kinds(kinds: &InputKinds, forced: Option<&InputKind>) -> String {
    let describe = |kind: &InputKind| format!("{} (needs {})", kind.id, kind.describe_signature());
    match forced {
        Some(kind) => describe(kind),
        None => kinds.kinds.iter().map(describe).collect::<Vec<_>>().join(", or "),
    }
}
