//! What the workload rules can test about one server: the inventory's fields and the Detailed Planner's
//! verdict on it (Is VM Qualified?, the reasons by code, the OS check), for the chosen era.

use rust_decimal::Decimal;

use crate::capacity::detailed::ServerRow;
use crate::servers::{Boot, PowerState, Server};

pub use crate::rules::workloads::{FIELDS, FieldKind, PLANNER_CODES};

/// A field's value for one server.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Option<&'a str>),
    Number(Option<Decimal>),
    Flag(bool),
    Codes(&'a [&'static str]),
}

impl Value<'_> {
    pub fn is_missing(&self) -> bool {
        match self {
            Value::Text(text) => text.is_none_or(str::is_empty),
            Value::Number(number) => number.is_none(),
            Value::Flag(_) => false,
            Value::Codes(codes) => codes.is_empty(),
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Text(text) => text.unwrap_or("").to_string(),
            Value::Number(number) => number.map(|n| n.normalize().to_string()).unwrap_or_else(|| "?".to_string()),
            Value::Flag(flag) => if *flag { "yes" } else { "no" }.to_string(),
            Value::Codes(codes) => codes.join(", "),
        }
    }
}

/// One server and the planner's row for it.
pub struct Facts<'a> {
    pub server: &'a Server,
    pub row: &'a ServerRow,
    pub era: &'static str,
}

impl<'a> Facts<'a> {
    pub fn value(&self, field: &str) -> Value<'a> {
        let server = self.server;
        match field {
            "os" => Value::Text(Some(server.os.trim())),
            "os_support" => Value::Text(Some(self.row.os_support)),
            "architecture" => Value::Text(Some(self.architecture())),
            "boot" => Value::Text(match server.boot {
                Boot::Unknown => None,
                boot => Some(boot.label()),
            }),
            "power_state" => Value::Text(match server.power_state {
                PowerState::PoweredOn => Some("poweredOn"),
                PowerState::PoweredOff => Some("poweredOff"),
                PowerState::Suspended => Some("suspended"),
                PowerState::Unknown => None,
            }),
            "cores" => Value::Number(server.cores.map(Decimal::from)),
            "memory_gb" => Value::Number(server.memory_mb.map(|m| m / Decimal::from(1024))),
            "nics" => Value::Number(server.nics.map(Decimal::from)),
            "disks" => Value::Number(server.disks.map(Decimal::from)),
            "largest_disk_gb" => Value::Number(server.disk_sizes_gb().into_iter().max()),
            "total_storage_gb" => Value::Number(server.total_storage_gb),
            "qualified" => Value::Flag(self.row.qualified),
            "template" => Value::Flag(server.is_template),
            "planner" => Value::Codes(&self.row.qualification_codes),
            _ => Value::Text(None),
        }
    }

    /// `32-bit` when the planner found a 32-bit guest (OS name or Azure Migrate's OS architecture), `64-bit`
    /// when the name or the column says so, else `unknown`.
    fn architecture(&self) -> &'static str {
        if self.row.qualification_codes.contains(&"os-32-bit") {
            return "32-bit";
        }
        let name = self.server.os.to_lowercase();
        let column = self.server.os_architecture.as_deref().map(crate::rules::normalize_key).unwrap_or_default();
        let says_64 = ["64-bit", "64 bit", "x64", "amd64", "x86_64", "x86-64"].iter().any(|m| name.contains(m))
            || matches!(column.as_str(), "x64" | "amd64" | "64bit" | "64" | "x8664" | "arm64");
        if says_64 { "64-bit" } else { "unknown" }
    }

    /// A rule's message with `{field}` placeholders filled in; `{planner}` is the planner's messages for
    /// `planner_codes` (all of them when the rule tests none).
    pub fn message(&self, template: &str, planner_codes: &[String]) -> String {
        let mut text = template.to_string();
        if text.contains("{planner}") {
            let messages: Vec<&str> = self
                .row
                .qualification_codes
                .iter()
                .zip(&self.row.qualification_reasons)
                .filter(|(code, _)| planner_codes.is_empty() || planner_codes.iter().any(|c| c == *code))
                .map(|(_, message)| message.as_str())
                .collect();
            text = text.replace("{planner}", &messages.join("; "));
        }
        for field in ["os", "os_support", "boot", "power_state", "cores", "memory_gb"] {
            let placeholder = format!("{{{field}}}");
            if text.contains(&placeholder) {
                text = text.replace(&placeholder, &self.value(field).display());
            }
        }
        text.replace("{name}", &self.server.name).replace("{era}", self.era)
    }
}
