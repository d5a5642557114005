//! Per-input aggregation of usage rows by resource ID × meter, built for the per-row loop of a
//! million-row export (see `bench/README.md` for the figures).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rust_decimal::Decimal;
use rustc_hash::FxBuildHasher;

/// One resource's usage of one meter (numbered by the reader's meter table).
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

/// The usage of one resource: most resources use one to three meters, so the first sum is kept
/// inline and only further ones are allocated.
#[derive(Default)]
struct Slot {
    first: Option<MeterSum>,
    more: Vec<MeterSum>,
}

/// The per-input aggregation table, laid out for the per-row loop: resource IDs (lowercased) sit in
/// one contiguous arena and each resource's usage in one flat array, so a million-row export works
/// in a few megabytes that stay in cache instead of in allocations scattered over the heap. IDs are
/// compared exactly (ignoring ASCII case, as Azure does), never by hash alone.
#[derive(Default)]
pub struct Aggregates {
    /// Entries hold where the key is in the arena, so a lookup goes straight from the table to the
    /// key bytes: (key offset, key length, position).
    index: HashTable<(u32, u32, u32)>,
    arena: Vec<u8>,
    slots: Vec<Slot>,
    /// The current row's ID, lowercased.
    lowered: Vec<u8>,
}

impl Aggregates {
    /// The position of the resource with this ID, and whether it was just added. `None` when the
    /// table outgrows 32-bit offsets (4 GiB of IDs), which no real export reaches.
    pub fn find_or_insert(&mut self, raw_id: &[u8]) -> Option<(usize, bool)> {
        self.lowered.clear();
        self.lowered.extend_from_slice(raw_id);
        self.lowered.make_ascii_lowercase();
        let hash = FxBuildHasher.hash_one(&self.lowered[..]);
        let arena = &self.arena;
        let key_of = |&(offset, len, _): &(u32, u32, u32)| &arena[offset as usize..offset as usize + len as usize];
        if let Some(&(_, _, position)) = self.index.find(hash, |entry| key_of(entry) == &self.lowered[..]) {
            return Some((position as usize, false));
        }
        let offset = u32::try_from(self.arena.len()).ok()?;
        let len = u32::try_from(self.lowered.len()).ok()?;
        let position = u32::try_from(self.slots.len()).ok()?;
        self.arena.extend_from_slice(&self.lowered);
        self.slots.push(Slot::default());
        let arena = &self.arena;
        let rehash = |&(offset, len, _): &(u32, u32, u32)| {
            FxBuildHasher.hash_one(&arena[offset as usize..offset as usize + len as usize])
        };
        self.index.insert_unique(hash, (offset, len, position), rehash);
        Some((position as usize, true))
    }

    /// Adds one row's usage of `meter`; false if a sum would overflow.
    pub fn add(&mut self, position: usize, meter: usize, quantity: Decimal, cost: Decimal) -> bool {
        let slot = &mut self.slots[position];
        match &mut slot.first {
            None => {
                slot.first = Some(MeterSum { meter, quantity, cost, rows: 1 });
                return true;
            }
            Some(first) if first.meter == meter => return first.add(quantity, cost),
            Some(_) => {}
        }
        match slot.more.iter_mut().find(|s| s.meter == meter) {
            Some(sum) => sum.add(quantity, cost),
            None => {
                slot.more.push(MeterSum { meter, quantity, cost, rows: 1 });
                true
            }
        }
    }

    pub fn into_sums(self) -> impl Iterator<Item = Vec<MeterSum>> {
        self.slots.into_iter().map(|slot| slot.first.into_iter().chain(slot.more).collect())
    }
}
