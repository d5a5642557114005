//! A CSV file's blocks parsed by two threads and consumed in order, records cut by a block's end read again.

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use csv::ByteRecord;

use super::super::row_shape::{Repeated, RowCheck};
use super::Prepared;
use super::batch::{Batch, lock, receive};
use super::block_reader::{BlockReader, Item};
use super::splitter::{BLOCKS_AHEAD, Block, BlockInfo, Ended, PRIMER, SENTINEL, Splitter};
use crate::error::{InputError, Result};

/// A CSV file from some row on, read in blocks by two threads.
pub struct Blocks {
    pub(super) splitter: Splitter,
    pub(super) builder: csv::ReaderBuilder,
    pub(super) delimiter: u8,
    pub(super) check: Option<Arc<RowCheck>>,
    /// Where the header rows skipped are counted.
    pub(super) repeated: Arc<Mutex<Repeated>>,
}

/// A block parsed ahead, on its way to the consumer: its rows, how its reading ended, and its text
/// (kept in case it must be read again, see [`BlockConsumer::consume`]). `block` is `None` when the
/// text could not be read; `ended` then holds the error.
struct Parsed<P> {
    index: usize,
    batch: Batch<P>,
    ended: Ended,
    block: Option<Block>,
}

/// What the two threads of [`Blocks::stream`] share.
struct Shared<'f, P, F> {
    splitter: Mutex<Splitter>,
    spare: Mutex<Vec<Batch<P>>>,
    prepare: &'f F,
}

impl<P: Prepared, F: Fn(&ByteRecord, u64, &mut P) -> Result<()>> Shared<'_, P, F> {
    /// Takes the next block and parses it with `reader`; `None` when there are no more.
    fn parse_next(&self, reader: &mut BlockReader) -> Option<Parsed<P>> {
        let mut batch = lock(&self.spare).pop().unwrap_or_default();
        let (index, block) = {
            let mut splitter = lock(&self.splitter);
            (splitter.next_index, splitter.next_block())
        };
        batch.clear();
        match block {
            Ok(Some(block)) => {
                let (ended, block) = parse_block(block, reader, self.prepare, &mut batch);
                Some(Parsed { index: block.info.index, batch, ended, block: Some(block) })
            }
            Ok(None) => None,
            Err(error) => Some(Parsed { index, batch, ended: Ended::Failed(error), block: None }),
        }
    }

    /// Takes back what a consumed block used.
    fn recycle(&self, batch: Batch<P>, block: Option<Block>) {
        lock(&self.spare).push(batch);
        if let Some(block) = block {
            lock(&self.splitter).recycle(block.bytes);
        }
    }
}

impl Blocks {
    /// Parses blocks on a helper thread and on this one, and consumes them here in order. This
    /// thread consumes whatever is ready and parses a block itself when nothing is, so the two
    /// threads share the parsing however long consuming takes.
    pub(super) fn stream<P: Prepared>(
        self,
        prepare: &(impl Fn(&ByteRecord, u64, &mut P) -> Result<()> + Sync),
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<()> {
        let Blocks { splitter, builder, delimiter, check, repeated } = self;
        let (path, first) = (splitter.path.clone(), splitter.next_index);
        let shared = Shared { splitter: Mutex::new(splitter), spare: Mutex::new(Vec::new()), prepare };
        let (parsed_tx, parsed_rx) = std::sync::mpsc::sync_channel::<Parsed<P>>(BLOCKS_AHEAD / 2);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let parsed_tx = parsed_tx;
                let mut reader = BlockReader::new(&builder, delimiter, check.clone());
                while let Some(parsed) = shared.parse_next(&mut reader) {
                    if parsed_tx.send(parsed).is_err() {
                        return; // the consumer stopped
                    }
                }
            });
            let reader = BlockReader::new(&builder, delimiter, check.clone());
            let mut consumer =
                BlockConsumer { path, reader, next: first, pending: Vec::new(), carry: None, repeated: &repeated };
            // Takes the receiver, so that an early return also stops the helper.
            consumer.run(parsed_rx, &shared, consume)
        })
    }
}
/// Reads every record of a block into `batch`, preparing each; gives the block back.
fn parse_block<P: Prepared>(
    block: Block,
    reader: &mut BlockReader,
    prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
    batch: &mut Batch<P>,
) -> (Ended, Block) {
    reader.load(block);
    let ended = loop {
        match reader.read(batch.next_slot()) {
            Item::Row(row) => {
                if let Err(error) = batch.keep(row, prepare) {
                    break Ended::Failed(error);
                }
            }
            Item::RepeatedHeader(line) => batch.repeated.note(line),
            Item::Ended(ended) => break ended,
        }
    };
    (ended, reader.unload())
}

/// A record cut by the end of a block, read again with the blocks after it.
struct Carry {
    text: Vec<u8>,
    line: u64,
    read_at: usize,
}

/// The consuming side of [`Blocks::stream`]: puts parsed blocks back in order and reads again the
/// records that a block ended inside of.
struct BlockConsumer<'r, P> {
    path: String,
    /// Where the header rows skipped are counted, as blocks are consumed (a block read again counts once).
    repeated: &'r Mutex<Repeated>,
    /// This thread's parser.
    reader: BlockReader,
    /// The index of the next block to consume.
    next: usize,
    /// Blocks parsed ahead of it.
    pending: Vec<Parsed<P>>,
    /// A record the previous block ended inside of: its text (with the blocks put aside since), its line, and
    /// how long its text was when it was last read.
    carry: Option<Carry>,
}

impl<P: Prepared> BlockConsumer<'_, P> {
    fn run<F: Fn(&ByteRecord, u64, &mut P) -> Result<()>>(
        &mut self,
        parsed: Receiver<Parsed<P>>,
        shared: &Shared<P, F>,
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<()> {
        let (mut helper_done, mut splitter_done) = (false, false);
        loop {
            if let Some(at) = self.pending.iter().position(|p| p.index == self.next) {
                let block = self.pending.swap_remove(at);
                let (batch, block) = self.consume(block, shared.prepare, consume)?;
                shared.recycle(batch, block);
                self.next += 1;
                continue;
            }
            match parsed.try_recv() {
                Ok(block) => {
                    self.pending.push(block);
                    continue;
                }
                Err(TryRecvError::Disconnected) => helper_done = true,
                Err(TryRecvError::Empty) => {}
            }
            if !splitter_done && self.pending.len() < BLOCKS_AHEAD {
                match shared.parse_next(&mut self.reader) {
                    Some(block) => self.pending.push(block),
                    None => splitter_done = true,
                }
            } else if helper_done {
                return match self.pending.is_empty() {
                    true => Ok(()),
                    false => {
                        Err(InputError::new(Path::new(&self.path), "internal error: a block of the file was lost")
                            .into())
                    }
                };
            } else if let Some(block) = receive(&parsed) {
                self.pending.push(block);
            }
        }
    }

    /// Consumes the next block; returns what it used, for reuse.
    fn consume(
        &mut self,
        parsed: Parsed<P>,
        prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
        consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
    ) -> Result<(Batch<P>, Option<Block>)> {
        let Parsed { mut batch, mut ended, block, .. } = parsed;
        let Some(mut block) = block else {
            return match ended {
                Ended::Failed(error) => Err(error),
                _ => Ok((batch, None)),
            };
        };
        if let Some(mut carry) = self.carry.take() {
            // The block was parsed as if a record started at its beginning, but the previous one ended inside a
            // record: that record's text and this block's are read again, together. Blocks are put aside until the
            // text has doubled since it was last read, so a long record costs a few readings, not one per block.
            carry
                .text
                .extend_from_slice(block.bytes.get(block.info.text_start()..block.info.text_end()).unwrap_or_default());
            if let Some(malformed) = self.reader.too_long(&carry.text, carry.line) {
                return Err(malformed.error(&self.path));
            }
            if !block.info.last && carry.text.len() < carry.read_at.saturating_mul(2) {
                self.carry = Some(carry);
                batch.clear();
                return Ok((batch, Some(block)));
            }
            let mut bytes = PRIMER.to_vec();
            bytes.extend_from_slice(&carry.text);
            if !block.info.last {
                bytes.extend_from_slice(SENTINEL);
            }
            let info = BlockInfo { primed: true, first_line: carry.line, len: bytes.len(), ..block.info };
            batch.clear();
            (ended, block) = parse_block(Block { bytes, info }, &mut self.reader, prepare, &mut batch);
        }
        consume(&batch.records[..batch.rows.len()], &batch.rows, &batch.prepared)?;
        lock(self.repeated).merge(batch.repeated);
        match ended {
            Ended::Complete => {}
            Ended::Inside { from, line } => {
                let start = block.info.text_start() + from;
                let text = block.bytes.get(start..block.info.text_end()).unwrap_or_default();
                if let Some(malformed) = self.reader.too_long(text, line) {
                    return Err(malformed.error(&self.path));
                }
                self.carry = Some(Carry { text: text.to_vec(), line, read_at: text.len() });
            }
            Ended::Failed(error) => return Err(error),
            Ended::Unreadable(message) => return Err(InputError::new(Path::new(&self.path), message).into()),
            Ended::Malformed(malformed) => return Err(malformed.error(&self.path)),
        }
        Ok((batch, Some(block)))
    }
}
