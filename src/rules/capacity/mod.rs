//! The capacity planner's rule files: the Quick Planner's constants, the ASR sizing tables, the VM catalogue
//! and the Azure limits. What uses them is `capacity`.

pub mod catalogue;
pub mod planner;
pub mod sizing;

use crate::model::Era;

/// A table of each sizing era, both validated at load.
#[derive(Debug, Clone)]
pub struct ByEra<T> {
    pub current: T,
    pub y2017: T,
}

impl<T> ByEra<T> {
    /// Each era's value, built by `make` (current first, the order problems are reported in).
    pub fn new(mut make: impl FnMut(Era) -> T) -> Self {
        let current = make(Era::Current);
        ByEra { current, y2017: make(Era::Y2017) }
    }

    pub fn get(&self, era: Era) -> &T {
        match era {
            Era::Current => &self.current,
            Era::Y2017 => &self.y2017,
        }
    }

    pub fn get_mut(&mut self, era: Era) -> &mut T {
        match era {
            Era::Current => &mut self.current,
            Era::Y2017 => &mut self.y2017,
        }
    }
}
