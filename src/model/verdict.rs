//! The assessment's vocabulary: CSP Status (seed 002 L14826–L14830), Suggested Approach (L14832,
//! L14849–L14854) and the reasons behind every verdict.

use super::Cited;
use serde::{Deserialize, Serialize};

/// Ordered from best to worst: a subscription's status is the worst of its resources'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CspStatus {
    /// "the subscription is ready to be moved to Azure CSP" (L14828)
    #[serde(rename = "NO ISSUES")]
    NoIssues,
    /// "one or more resources … need to be modified before they can be moved" (L14829)
    #[serde(rename = "MODIFY")]
    Modify,
    /// "one or more resources … cannot be moved to Azure CSP at this time" (L14830)
    #[serde(rename = "BLOCKED")]
    Blocked,
}

impl CspStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CspStatus::NoIssues => "NO ISSUES",
            CspStatus::Modify => "MODIFY",
            CspStatus::Blocked => "BLOCKED",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SuggestedApproach {
    /// The seed's own string (L14849–L14854).
    #[serde(rename = "ASM to CSP (two steps migration)")]
    TwoStep,
    /// Not in the seed; by analogy with the two-step string (seed-digest-migration §2.3).
    #[serde(rename = "ARM to CSP (one step migration)")]
    OneStep,
    /// For BLOCKED resources (issue 3 rows 1, 2, 4).
    #[serde(rename = "Exclude from migration")]
    Exclude,
}

impl SuggestedApproach {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestedApproach::TwoStep => "ASM to CSP (two steps migration)",
            SuggestedApproach::OneStep => "ARM to CSP (one step migration)",
            SuggestedApproach::Exclude => "Exclude from migration",
        }
    }
}

/// Why a resource got its verdict: a stable code, a sentence a customer can read, and the source
/// the rule rests on (with the rule file line that fired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
    #[serde(flatten)]
    pub source: Cited,
    pub rule: String,
}
