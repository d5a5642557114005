//! The inventory and the assessment as JSON, fast enough for a million-row usage export: the resources array is
//! rendered in chunks on two threads by serde_json's own pretty printer and written in order, so the
//! bytes are exactly those of rendering the report in one go.

use std::io::Write;
use std::sync::mpsc::{Receiver, Sender, SyncSender};

use serde::Serialize;

use super::Json;
use crate::assess::AssessmentReport;
use crate::inventory::InventoryReport;
use crate::model::cited;

/// An inventory of a large export is tens of megabytes of JSON, nearly all of it the resources; they
/// are rendered in chunks on two threads and written in order. Every byte still comes from
/// serde_json's pretty printer, so the output is identical to rendering the report in one go.
impl Json for InventoryReport {
    fn write_pretty(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.resources.len() < 2 * CHUNK_RESOURCES {
            return serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from);
        }
        // Everything but the resources (listing the fields makes a new field a compile error here
        // rather than a silent omission).
        let envelope = InventoryReport {
            schema_version: self.schema_version,
            tool: self.tool.clone(),
            inputs: self.inputs.clone(),
            resources: Vec::new(),
            commitments: self.commitments.clone(),
            summary: self.summary.clone(),
            billing: Default::default(),
        };
        write_with_resources(self, &envelope, &self.resources, out)
    }
}

/// The same for the assessment, whose resources carry their verdicts.
impl Json for AssessmentReport {
    fn write_pretty(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.resources.len() < 2 * CHUNK_RESOURCES {
            return serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from);
        }
        let envelope = AssessmentReport {
            schema_version: self.schema_version,
            tool: self.tool.clone(),
            inputs: self.inputs.clone(),
            resources: Vec::new(),
            commitments: self.commitments.clone(),
            subscriptions: self.subscriptions.clone(),
            summary: self.summary.clone(),
            rules: self.rules.clone(),
            billing: Default::default(),
        };
        write_with_resources(self, &envelope, &self.resources, out)
    }
}

/// Writes `report` as pretty JSON: `envelope` is the report with an empty `resources` array, whose
/// elements (`resources`) are rendered in parallel and spliced in.
fn write_with_resources<R: Serialize + Sync>(
    report: &impl Serialize,
    envelope: &impl Serialize,
    resources: &[R],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(envelope)?;
    // Only the report's own field sits at this indentation with a raw newline before it (string
    // values escape their newlines).
    let marker = b"\n  \"resources\": []";
    let Some(at) = text.windows(marker.len()).position(|w| w == marker) else {
        return serde_json::to_writer_pretty(out, report).map_err(std::io::Error::from);
    };
    let open = at + marker.len() - 1; // between `[` and `]`
    out.write_all(&text[..open])?;
    write_resources(resources, out)?;
    out.write_all(b"\n  ")?;
    out.write_all(&text[open..])
}

/// Resources per chunk: a few megabytes of JSON, so the two threads take turns often and little is
/// held in memory.
const CHUNK_RESOURCES: usize = 2048;

/// Writes the elements of the report's `resources` array (without the brackets), rendering
/// alternate chunks on a helper thread.
fn write_resources<R: Serialize + Sync>(resources: &[R], out: &mut dyn Write) -> std::io::Result<()> {
    let chunks: Vec<&[R]> = resources.chunks(CHUNK_RESOURCES).collect();
    let chunks = chunks.as_slice();
    let (rendered_tx, rendered_rx) = std::sync::mpsc::sync_channel(1);
    let (spare_tx, spare_rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        // The helper's citations belong to the same document: collected there, handed to this thread's collector.
        let helper = scope.spawn(move || cited::collecting(|| render_odd_chunks(chunks, rendered_tx, spare_rx)).1);
        // Takes the receiver, so that an early return (a failed write) also stops the helper.
        let written = write_in_order(chunks, rendered_rx, spare_tx, out);
        if let Ok(sources) = helper.join() {
            cited::register_all(&sources);
        }
        written
    })
}

type Rendered = std::io::Result<Vec<u8>>;

/// The writing thread's part: renders the even chunks itself and writes every chunk in order.
fn write_in_order<R: Serialize>(
    chunks: &[&[R]],
    rendered: Receiver<Rendered>,
    spare: Sender<Vec<u8>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut own = Vec::new();
    for (index, chunk) in chunks.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        if index % 2 == 0 {
            render_chunk(chunk, &mut own)?;
            out.write_all(elements(&own))?;
        } else {
            let theirs = rendered.recv().map_err(|_| std::io::Error::other("the JSON rendering thread stopped"))??;
            out.write_all(elements(&theirs))?;
            let _ = spare.send(theirs);
        }
    }
    Ok(())
}

/// The helper thread's part: chunks 1, 3, 5…, sent in order; stops when the writer stops.
fn render_odd_chunks<R: Serialize>(chunks: &[&[R]], rendered: SyncSender<Rendered>, spare: Receiver<Vec<u8>>) {
    for chunk in chunks.iter().skip(1).step_by(2) {
        let mut buffer = spare.try_recv().unwrap_or_default();
        let result = render_chunk(chunk, &mut buffer).map(|()| buffer);
        if rendered.send(result).is_err() {
            return;
        }
    }
}

/// serde_json renders a chunk inside a one-field object, `{"resources": [...]}`, which puts the
/// elements at the depth they have in the report; [`elements`] cuts the object's own text off.
const HEAD: &[u8] = b"{\n  \"resources\": [";
const TAIL: &[u8] = b"\n  ]\n}";

fn render_chunk<R: Serialize>(chunk: &[R], buffer: &mut Vec<u8>) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Wrapper<'a, R> {
        resources: &'a [R],
    }
    buffer.clear();
    serde_json::to_writer_pretty(&mut *buffer, &Wrapper { resources: chunk })?;
    if chunk.is_empty() || !(buffer.starts_with(HEAD) && buffer.ends_with(TAIL)) {
        return Err(std::io::Error::other("unexpected JSON layout of a chunk of resources"));
    }
    Ok(())
}

/// A rendered chunk's elements as they appear inside the report's `resources` array: each on a new
/// line, indented for depth 2, separated by commas.
fn elements(rendered: &[u8]) -> &[u8] {
    let end = rendered.len().saturating_sub(TAIL.len());
    rendered.get(HEAD.len()..end).unwrap_or_default()
}
