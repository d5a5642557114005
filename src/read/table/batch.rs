//! Rows in batches between two threads: a worksheet's rows read on a second thread while the caller consumes them.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError};

use csv::ByteRecord;

use super::super::row_shape::Repeated;
use super::{Prepared, Records};
use crate::error::Result;

/// Rows travel between threads in batches, which are reused. A worksheet's rows are sent in batches
/// of this many; a CSV file's in blocks of about [`BLOCK_BYTES`].
const BATCH_ROWS: usize = 64;
/// How often `receive` polls before it blocks (some tens of microseconds).
const SPINS: usize = 20_000;
/// Rows read ahead, with their row numbers and what `prepare` made of them. Records are reused:
/// only the first `rows.len()` are this batch's.
#[derive(Default)]
pub(super) struct Batch<P> {
    pub(super) records: Vec<ByteRecord>,
    pub(super) rows: Vec<u64>,
    pub(super) prepared: P,
    /// Header rows skipped among these rows.
    pub(super) repeated: Repeated,
}

impl<P: Prepared> Batch<P> {
    pub(super) fn clear(&mut self) {
        self.rows.clear();
        self.prepared.clear();
        self.repeated = Repeated::default();
    }

    /// The record the next row is read into.
    pub(super) fn next_slot(&mut self) -> &mut ByteRecord {
        let filled = self.rows.len();
        if filled == self.records.len() {
            self.records.push(ByteRecord::new());
        }
        &mut self.records[filled]
    }

    /// Prepares the row just read into `next_slot` and keeps it.
    pub(super) fn keep(&mut self, row: u64, prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>) -> Result<()> {
        if let Some(record) = self.records.get(self.rows.len()) {
            prepare(record, row, &mut self.prepared)?;
            self.rows.push(row);
        }
        Ok(())
    }
}
/// Rows read one by one on a second thread, consumed on this one.
pub(super) fn stream_rows<P: Prepared>(
    records: &mut dyn Records,
    prepare: &(impl Fn(&ByteRecord, u64, &mut P) -> Result<()> + Sync),
    consume: &mut impl FnMut(&[ByteRecord], &[u64], &P) -> Result<()>,
) -> Result<()> {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch<P>>>(2);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch<P>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                let outcome = fill_batch(records, prepare, &mut batch);
                if !batch.rows.is_empty() && full_tx.send(Ok(batch)).is_err() {
                    return; // the consumer stopped
                }
                match outcome {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(error) => {
                        let _ = full_tx.send(Err(error));
                        return;
                    }
                }
            }
        });
        // Takes the receiver, so that an early return also stops the reading thread.
        let full_rx = full_rx;
        while let Some(message) = receive(&full_rx) {
            let batch = message?;
            consume(&batch.records[..batch.rows.len()], &batch.rows, &batch.prepared)?;
            let _ = empty_tx.send(batch);
        }
        Ok(())
    })
}

/// The next message, or `None` once the sender is gone. Spins a little before blocking: the other
/// thread usually sends within microseconds, and waking a blocked thread costs more than that (a
/// futex call on each side).
pub(super) fn receive<T>(channel: &Receiver<T>) -> Option<T> {
    for _ in 0..SPINS {
        match channel.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Empty) => std::hint::spin_loop(),
            Err(TryRecvError::Disconnected) => return None,
        }
    }
    channel.recv().ok()
}

/// Fills `batch` from the front, reusing its records; returns whether more rows may follow.
fn fill_batch<P: Prepared>(
    records: &mut dyn Records,
    prepare: &impl Fn(&ByteRecord, u64, &mut P) -> Result<()>,
    batch: &mut Batch<P>,
) -> Result<bool> {
    batch.clear();
    while batch.rows.len() < BATCH_ROWS {
        let Some(row) = records.next_record(batch.next_slot())? else {
            return Ok(false);
        };
        batch.keep(row, prepare)?;
    }
    Ok(true)
}
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
