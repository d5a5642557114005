//! Per-input aggregation of usage rows by resource ID × meter, built for the per-row loop of a
//! million-row export (see `bench/README.md` for the figures).
//!
//! The loop is bound by memory latency, not by arithmetic: each row needs a table bucket, the key
//! it points to and the resource's sums, all at random places. So keys are lowercased and hashed
//! while the rows are parsed ([`BatchKeys`]), and the aggregating thread looks a whole batch up in passes
//! ([`Aggregates::look_ahead`]) whose loads do not depend on one another, so their cache misses
//! overlap instead of being waited for one at a time.

use std::hash::BuildHasher;

use rust_decimal::Decimal;
use rustc_hash::FxBuildHasher;

/// What the parsing threads work out for one batch of usage rows (see `table::stream`): the rows' resource IDs
/// (lowercased and hashed for [`Aggregates`]), their meter keys one after the other, and each row's own figures.
pub struct KeyedRows<R> {
    pub keys: BatchKeys,
    pub meter_keys: Vec<u8>,
    pub rows: Vec<R>,
}

impl<R> Default for KeyedRows<R> {
    fn default() -> Self {
        KeyedRows { keys: BatchKeys::default(), meter_keys: Vec::new(), rows: Vec::new() }
    }
}

impl<R: Send> super::table::Prepared for KeyedRows<R> {
    fn clear(&mut self) {
        self.keys.clear();
        self.meter_keys.clear();
        self.rows.clear();
    }
}

/// The resource IDs of one batch of rows, lowercased and hashed, in one contiguous buffer.
#[derive(Default)]
pub struct BatchKeys {
    bytes: Vec<u8>,
    spans: Vec<KeySpan>,
}

#[derive(Clone, Copy)]
struct KeySpan {
    hash: u64,
    start: usize,
    end: usize,
}

impl BatchKeys {
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// Adds a row's resource ID; returns its number in the batch.
    pub fn push(&mut self, raw_id: &[u8]) -> usize {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(raw_id);
        let key = &mut self.bytes[start..];
        key.make_ascii_lowercase();
        let hash = key_hash(key);
        self.spans.push(KeySpan { hash, start, end: self.bytes.len() });
        self.spans.len() - 1
    }

    /// The hash and bytes of key `n` (an empty key if there is none).
    fn key(&self, n: usize) -> (u64, &[u8]) {
        match self.spans.get(n) {
            Some(span) => (span.hash, self.bytes.get(span.start..span.end).unwrap_or_default()),
            None => (0, &[]),
        }
    }
}

/// The hash of a lowercased key; its low bits pick the bucket, its high bits are the entry's tag.
fn key_hash(key: &[u8]) -> u64 {
    // Fx is fast but weak in the low bits; a final multiply-xorshift spreads every input bit.
    let hash = FxBuildHasher.hash_one(key).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    hash ^ (hash >> 29)
}

/// One resource's usage of one meter (numbered by the reader's meter table). `rows == 0` marks an
/// unused inline place in a [`Slot`].
#[derive(Default)]
pub struct MeterSum {
    pub meter: usize,
    pub quantity: Decimal,
    pub cost: Decimal,
    pub rows: u64,
}

impl MeterSum {
    /// Adds one row; false if a sum would overflow.
    fn add(&mut self, quantity: Decimal, cost: Decimal) -> bool {
        match (self.quantity.checked_add(quantity), self.cost.checked_add(cost)) {
            (Some(q), Some(c)) => {
                self.quantity = q;
                self.cost = c;
                self.rows += 1;
                true
            }
            _ => false,
        }
    }
}

/// Meters kept inline per resource: most resources use one to three meters, and the first two
/// take over nine rows in ten of a typical export.
const INLINE_METERS: usize = 2;

/// The usage of one resource, in exactly two cache lines: the first meters inline, further ones
/// allocated.
#[derive(Default)]
#[repr(align(64))]
struct Slot {
    inline: [MeterSum; INLINE_METERS],
    more: Vec<MeterSum>,
}

/// An entry of the open-addressing index: where a key is in the arena and its resource's position.
/// `tag` holds the high half of the key's hash, so most mismatches are rejected without touching
/// the key. 16 bytes, four to a cache line, so a probe rarely leaves the first line it loads.
#[derive(Clone, Copy)]
struct Entry {
    tag: u32,
    position: u32,
    offset: u32,
    len: u32,
}

/// `position` of a free entry (positions stop below it).
const FREE: u32 = u32::MAX;
const FREE_ENTRY: Entry = Entry { tag: 0, position: FREE, offset: 0, len: 0 };
/// Entries in a new index; a power of two, as every index size is.
const FIRST_CAPACITY: usize = 1024;

fn tag_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The per-input aggregation table, laid out for the per-row loop: resource IDs (lowercased) sit in
/// one contiguous arena and each resource's usage in one flat array of two-line slots. The index is
/// a linear-probing table kept at most half full, so a lookup usually reads one bucket line. IDs
/// are compared exactly (ignoring ASCII case, as Azure does), never by hash alone.
pub struct Aggregates {
    index: Vec<Entry>,
    arena: Vec<u8>,
    slots: Vec<Slot>,
    /// Per key of the batch last passed to `look_ahead`: the entry whose tag matched, if any. A
    /// guess only; `find_or_insert` compares the key before trusting it.
    guesses: Vec<Option<Entry>>,
}

impl Default for Aggregates {
    fn default() -> Self {
        Aggregates {
            index: vec![FREE_ENTRY; FIRST_CAPACITY],
            arena: Vec::new(),
            slots: Vec::new(),
            guesses: Vec::new(),
        }
    }
}

impl Aggregates {
    fn mask(&self) -> usize {
        self.index.len() - 1
    }

    fn key_of(&self, entry: &Entry) -> &[u8] {
        let start = entry.offset as usize;
        self.arena.get(start..start + entry.len as usize).unwrap_or_default()
    }

    /// Brings what the keys of `keys` will need into the cache, in three passes over the batch:
    /// each key's bucket, then (buckets now cached) each key's candidate entry, then the candidates'
    /// key bytes and slots. The loads of a pass do not depend on one another, so the processor
    /// overlaps their misses. Call before `find_or_insert` for the keys of this batch.
    pub fn look_ahead(&mut self, keys: &BatchKeys) {
        let mask = self.mask();
        let mut sink = 0u64;
        for span in &keys.spans {
            sink ^= u64::from(self.index[span.hash as usize & mask].tag);
        }
        let mut guesses = std::mem::take(&mut self.guesses);
        guesses.clear();
        guesses.extend(keys.spans.iter().map(|span| self.candidate(span.hash)));
        for entry in guesses.iter().flatten() {
            sink ^= self.touch(entry);
        }
        self.guesses = guesses;
        // Keeps the loads above from being optimised away; their values do not matter.
        std::hint::black_box(sink);
    }

    /// The first entry on `hash`'s probe sequence whose tag matches.
    fn candidate(&self, hash: u64) -> Option<Entry> {
        let (mask, tag) = (self.mask(), tag_of(hash));
        let mut i = hash as usize & mask;
        loop {
            let entry = self.index[i];
            if entry.position == FREE {
                return None;
            }
            if entry.tag == tag {
                return Some(entry);
            }
            i = (i + 1) & mask;
        }
    }

    /// Reads every cache line of an entry's key and slot; returns a value to keep the reads alive.
    fn touch(&self, entry: &Entry) -> u64 {
        let start = entry.offset as usize;
        let end = start + entry.len as usize;
        let mut sink = 0u64;
        for at in (start..end).step_by(64).chain([end.saturating_sub(1)]) {
            sink ^= u64::from(self.arena.get(at).copied().unwrap_or(0));
        }
        if let Some(slot) = self.slots.get(entry.position as usize) {
            sink ^= slot.inline[0].rows ^ slot.inline[INLINE_METERS - 1].rows ^ slot.more.len() as u64;
        }
        sink
    }

    /// The position of the resource with key `n` of `keys` (the batch last passed to
    /// `look_ahead`), and whether it was just added. `None` when the table outgrows 32-bit
    /// offsets (4 GiB of IDs), which no real export reaches.
    pub fn find_or_insert(&mut self, keys: &BatchKeys, n: usize) -> Option<(usize, bool)> {
        let (hash, key) = keys.key(n);
        // The guess was made before the batch's earlier rows were added; it is only a shortcut.
        if let Some(entry) = self.guesses.get(n).copied().flatten()
            && self.key_of(&entry) == key
        {
            return Some((entry.position as usize, false));
        }
        let (mask, tag) = (self.mask(), tag_of(hash));
        let mut i = hash as usize & mask;
        loop {
            let entry = self.index[i];
            if entry.position == FREE {
                break;
            }
            if entry.tag == tag && self.key_of(&entry) == key {
                return Some((entry.position as usize, false));
            }
            i = (i + 1) & mask;
        }
        self.insert(hash, key, i).map(|position| (position, true))
    }

    /// Adds a key not in the table at free index entry `free`; returns its position.
    fn insert(&mut self, hash: u64, key: &[u8], free: usize) -> Option<usize> {
        let offset = u32::try_from(self.arena.len()).ok()?;
        let len = u32::try_from(key.len()).ok()?;
        let position = u32::try_from(self.slots.len()).ok().filter(|&p| p != FREE)?;
        self.arena.extend_from_slice(key);
        self.slots.push(Slot::default());
        self.index[free] = Entry { tag: tag_of(hash), position, offset, len };
        if self.slots.len() * 2 > self.index.len() {
            self.grow();
        }
        Some(position as usize)
    }

    /// Doubles the index, placing every key again (hashes are recomputed from the arena).
    fn grow(&mut self) {
        let capacity = self.index.len() * 2;
        let old = std::mem::replace(&mut self.index, vec![FREE_ENTRY; capacity]);
        let mask = self.mask();
        for entry in old.into_iter().filter(|e| e.position != FREE) {
            let mut i = key_hash(self.key_of(&entry)) as usize & mask;
            while self.index[i].position != FREE {
                i = (i + 1) & mask;
            }
            self.index[i] = entry;
        }
    }

    /// Adds one row's usage of `meter`; false if a sum would overflow.
    pub fn add(&mut self, position: usize, meter: usize, quantity: Decimal, cost: Decimal) -> bool {
        let Some(slot) = self.slots.get_mut(position) else {
            return false;
        };
        for sum in &mut slot.inline {
            if sum.rows == 0 {
                *sum = MeterSum { meter, quantity, cost, rows: 1 };
                return true;
            }
            if sum.meter == meter {
                return sum.add(quantity, cost);
            }
        }
        match slot.more.iter_mut().find(|s| s.meter == meter) {
            Some(sum) => sum.add(quantity, cost),
            None => {
                slot.more.push(MeterSum { meter, quantity, cost, rows: 1 });
                true
            }
        }
    }

    /// Each resource's meter sums, by position, in the order the meters were first seen.
    pub fn into_sums(self) -> impl Iterator<Item = Vec<MeterSum>> {
        self.slots.into_iter().map(|slot| slot.inline.into_iter().filter(|s| s.rows > 0).chain(slot.more).collect())
    }
}
