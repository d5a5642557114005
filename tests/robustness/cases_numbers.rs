//! Hostile cases: see each case's name for what it aims at.

use crate::harness::Case;

pub fn cases() -> Vec<Case> {
    vec![]
}
