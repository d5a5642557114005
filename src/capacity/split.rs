//! How a load (protected machines and their daily change) is split across process servers.
//!
//! "A protected machine can use only one process server" (Microsoft Learn, Plan capacity and scaling for VMware
//! disaster recovery to Azure, "Capacity considerations":
//! https://learn.microsoft.com/azure/site-recovery/site-recovery-plan-capacity-vmware): a server takes whole machines
//! with their change, never change without the machines that make it. Only totals are known, so every machine is
//! taken to change the average (total change ÷ machines), and a server of a row holds as many machines as both its
//! machine maximum and its change maximum allow ([`capacity`]). Servers are then filled smallest first, each up to
//! its capacity, and given the change of the machines they hold ([`fill`]).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::sizing::SizingRow;

/// The load to split: machines and their change per day (GB, after compression, as the bands are read).
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub machines: u32,
    pub change: Decimal,
}

impl Load {
    /// The machines a server of `row` can take: at most its machine maximum, and no more machines than its change
    /// maximum holds at the average change per machine. 0 when one machine changes more than the row takes.
    pub fn capacity(&self, row: &SizingRow) -> u32 {
        if self.machines == 0 || self.change <= Decimal::ZERO {
            return row.max_machines;
        }
        // max_change × machines ÷ change: machines whose change fits, without rounding the average first.
        let fit = row
            .max_change_gb_per_day
            .checked_mul(Decimal::from(self.machines))
            .and_then(|total| total.checked_div(self.change))
            .or_else(|| row.max_change_gb_per_day.checked_div(self.change / Decimal::from(self.machines)));
        let fit = fit.map_or(0, |f| f.floor().to_u32().unwrap_or(u32::MAX));
        fit.min(row.max_machines)
    }

    /// Servers of one row, each holding `capacity` machines, needed for the load; `None` when a server holds none.
    pub fn servers_needed(&self, capacity: u32) -> Option<u32> {
        (capacity > 0).then(|| self.machines.div_ceil(capacity))
    }

    /// The change of the first `machines` machines, at the scale `scale`, rounded down: the change of a server is
    /// the difference of two of these, so the servers' changes sum to the total exactly and none is more than
    /// the exact change of its machines rounded up at that scale.
    fn change_of_first(&self, machines: u32, scale: u32) -> Decimal {
        if machines >= self.machines {
            return self.change;
        }
        let share = self
            .change
            .checked_mul(Decimal::from(machines))
            .and_then(|c| c.checked_div(Decimal::from(self.machines)))
            .unwrap_or_else(|| self.change / Decimal::from(self.machines) * Decimal::from(machines));
        share.round_dp_with_strategy(scale, RoundingStrategy::ToZero)
    }
}

/// The cheapest multiset of `count` rows (indexes into `rows`, ascending) whose capacities sum to at least the
/// load's machines: fewest vCPUs, then least memory, then least spare capacity. `None` when the search would
/// visit more than its budget (then the caller falls back and says so).
pub fn cheapest_set(rows: &[&SizingRow], capacities: &[u32], count: u32, machines: u32) -> Option<Vec<usize>> {
    type Key = (u64, u64, u64);
    struct Search<'a> {
        rows: &'a [&'a SizingRow],
        capacities: &'a [u32],
        machines: u64,
        budget: u64,
        best: Option<(Key, Vec<usize>)>,
    }
    impl Search<'_> {
        /// Scores a complete set.
        fn score(&mut self, chosen: &[usize]) {
            let (mut held, mut vcpus, mut memory) = (0u64, 0u64, 0u64);
            for &i in chosen {
                held += u64::from(self.capacities[i]);
                vcpus += u64::from(self.rows[i].vcpus);
                memory += u64::from(self.rows[i].memory_gb);
            }
            let key = (vcpus, memory, held);
            if held >= self.machines && self.best.as_ref().is_none_or(|(best, _)| key < *best) {
                self.best = Some((key, chosen.to_vec()));
            }
        }

        // Chooses how many of rows[from..] to take, `left` servers still to place.
        fn go(&mut self, from: usize, left: u32, chosen: &mut Vec<usize>) -> bool {
            if self.budget == 0 {
                return false;
            }
            self.budget -= 1;
            if from + 1 == self.rows.len() || left == 0 {
                let before = chosen.len();
                chosen.extend(std::iter::repeat_n(self.rows.len() - 1, left as usize));
                self.score(chosen);
                chosen.truncate(before);
                return true;
            }
            for take in (0..=left).rev() {
                let before = chosen.len();
                chosen.extend(std::iter::repeat_n(from, take as usize));
                let ok = self.go(from + 1, left - take, chosen);
                chosen.truncate(before);
                if !ok {
                    return false;
                }
            }
            true
        }
    }
    if rows.is_empty() || rows.len() != capacities.len() {
        return None;
    }
    let mut search = Search { rows, capacities, machines: u64::from(machines), budget: 200_000, best: None };
    if !search.go(0, count, &mut Vec::new()) {
        return None;
    }
    search.best.map(|(_, set)| set)
}

/// Gives whole machines to the servers of `set` (row indexes, ascending), smallest first, each up to its
/// capacity, and to each the change of its machines; returns (row index, machines, change) per server. The
/// machines and the changes sum to the load's.
pub fn fill(rows: &[&SizingRow], capacities: &[u32], set: &[usize], load: Load) -> Vec<(usize, u32, Decimal)> {
    // The change is split at its own scale or the rows' (at least hundredths), so a server whose machines fit
    // its change maximum exactly is not pushed over it by rounding.
    let scale = rows.iter().map(|r| r.max_change_gb_per_day.scale()).chain([2, load.change.scale()]).max().unwrap_or(2);
    let scale = scale.min(28);
    let (mut given, mut change_given) = (0u32, Decimal::ZERO);
    set.iter()
        .map(|&i| {
            let machines = (load.machines - given).min(capacities[i]);
            given += machines;
            let up_to_here = load.change_of_first(given, scale);
            let change = up_to_here - change_given;
            change_given = up_to_here;
            (i, machines, change)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn row(max_machines: u32, max_change: &str) -> SizingRow {
        SizingRow {
            vcpus: 1,
            memory_gb: 1,
            cache_disk_gb: 1,
            max_machines,
            max_change_gb_per_day: Decimal::from_str(max_change).unwrap(),
            source: crate::model::Cited::default(),
            rule: String::new(),
        }
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn capacity_is_bound_by_machines_and_by_change() {
        let top = row(225, "2048");
        // 2695 GB over 220 machines = 12.25 GB each; 2048 / 12.25 = 167.18 → 167 machines.
        assert_eq!(Load { machines: 220, change: d("2695") }.capacity(&top), 167);
        assert_eq!(Load { machines: 220, change: Decimal::ZERO }.capacity(&top), 225);
        // One machine changing 2048.01 GB fits no server of the row.
        let heavy = Load { machines: 1, change: d("2048.01") };
        assert_eq!(heavy.capacity(&top), 0);
        assert_eq!(heavy.servers_needed(0), None);
        assert_eq!(Load { machines: u32::MAX, change: Decimal::MAX }.capacity(&top), 0);
    }

    #[test]
    fn fill_splits_whole_machines_with_their_change_and_keeps_the_totals() {
        let top = row(225, "2048");
        let rows = [&top];
        let load = Load { machines: 220, change: d("1000") };
        let filled = fill(&rows, &[167], &[0, 0], load);
        // 1000 × 167 / 220 = 759.0909… → 759.09; the rest, 240.91, with the other 53 machines.
        assert_eq!(filled, vec![(0, 167, d("759.09")), (0, 53, d("240.91"))]);
        let machines: u32 = filled.iter().map(|f| f.1).sum();
        let change: Decimal = filled.iter().map(|f| f.2).sum();
        assert_eq!((machines, change), (220, d("1000")));
    }
}
