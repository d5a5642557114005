//! The capacity planner's choices that rule tables and reports share: sizing era, scenario, gigabyte base.

use serde::Serialize;

/// Which sizing tables to use: today's published ones or the seed's (2017).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    Current,
    #[serde(rename = "2017")]
    Y2017,
}

impl Era {
    pub const ALL: [Era; 2] = [Era::Current, Era::Y2017];

    /// The spelling of `era` in rules/asr-sizing.toml and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Current => "current",
            Era::Y2017 => "2017",
        }
    }

    pub fn parse(text: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|era| era.as_str() == text)
    }
}

/// The seed's two scenarios are "VMware/Physical to Azure" and "Hyper-V to Azure" (L13499, L13511);
/// `vmware` and `physical` differ only in the compression default (L13505).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    Vmware,
    Physical,
    Hyperv,
}

impl Scenario {
    /// The seed's wording of the scenario (L13511: "VMware/Physical to Azure").
    pub fn seed_label(self) -> &'static str {
        match self {
            Scenario::Vmware | Scenario::Physical => "VMware/Physical to Azure",
            Scenario::Hyperv => "Hyper-V to Azure",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Vmware => "vmware",
            Scenario::Physical => "physical",
            Scenario::Hyperv => "hyperv",
        }
    }
}

/// How many megabytes a gigabyte has (and kilobytes a megabyte): 1024 (default; digest §4.8 F4 — it fits
/// the seed's 100 Mbps better) or 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GbBase {
    Binary,
    Decimal,
}

impl GbBase {
    pub fn value(self) -> u32 {
        match self {
            GbBase::Binary => 1024,
            GbBase::Decimal => 1000,
        }
    }
}

impl Serialize for GbBase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.value())
    }
}
