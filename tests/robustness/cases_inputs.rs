//! Hostile cases: inputs that are empty, not regular files, too large in one field, or not what they claim.

use crate::harness::Case;

pub fn cases() -> Vec<Case> {
    vec![
        Case::new("resource JSON", "a zero-byte resource list")
            .file("empty.json", b"")
            .args(&["inventory", "empty.json"])
            .names("empty.json"),
        Case::new("usage CSV", "a zero-byte usage export")
            .file("usage.csv", b"")
            .args(&["cost", "usage.csv"])
            .names("usage.csv"),
    ]
}
