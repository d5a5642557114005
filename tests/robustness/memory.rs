//! A counting allocator for the fuzz: the peak of bytes held since the last reset, so a mutation that makes a
//! reader allocate without bound is caught as a figure, not as the machine running out of memory. Above a hard
//! limit an allocation fails (the process aborts, naming the reason) rather than swapping the machine to a halt.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Far above the fuzz's cap, below what would bring the machine down.
const HARD_LIMIT: usize = 4 << 30;

pub struct Counting;

// SAFETY: every call is forwarded to the system allocator unchanged; only the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { System.alloc(layout) };
        if pointer.is_null() {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(pointer, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && !reserve(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            if new_size > layout.size() {
                HELD.fetch_sub(new_size - layout.size(), Ordering::Relaxed);
            }
        } else if new_size < layout.size() {
            HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        moved
    }
}

/// Counts `size` more bytes held; false (nothing counted) when that would pass the hard limit.
fn reserve(size: usize) -> bool {
    let held = HELD.fetch_add(size, Ordering::Relaxed).saturating_add(size);
    if held > HARD_LIMIT {
        HELD.fetch_sub(size, Ordering::Relaxed);
        return false;
    }
    PEAK.fetch_max(held, Ordering::Relaxed);
    true
}

pub fn reset_peak() {
    PEAK.store(HELD.load(Ordering::Relaxed), Ordering::Relaxed);
}

pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
