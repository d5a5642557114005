//! `rules/server-inventory.toml`: which header spellings each server-inventory table accepts.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::RuleProblem;
use crate::rules::spans::{Problems, toml_entries};
use crate::rules::{RuleFile, normalize_key};

pub const RULE_FILE: &str = "server-inventory.toml";

/// The kinds of server inventory, and the fields each one's reader reads.
const KINDS: &[(&str, &[&str])] = &[
    (
        "planner-table",
        &[
            "name",
            "cores",
            "memory_mb",
            "nics",
            "total_storage_gb",
            "disks",
            "utilization_pct",
            "change_rate_pct",
            "mapped_azure_size",
            "os",
            "efi_boot",
            "application",
        ],
    ),
    (
        "azure-migrate",
        &[
            "name",
            "cores",
            "memory_mb",
            "os",
            "os_version",
            "os_architecture",
            "server_type",
            "hypervisor",
            "nics",
            "boot",
            "disks",
            "used_storage_gb",
            "disk_size_gb",
            "disk_read_ops",
            "disk_write_ops",
            "application",
        ],
    ),
    (
        "azure-migrate-discovery",
        &["name", "cores", "memory_mb", "os", "disks", "nics", "boot", "power_state", "application"],
    ),
    (
        "rvtools",
        &[
            "name",
            "power_state",
            "template",
            "cores",
            "memory_mb",
            "nics",
            "disks",
            "disk_capacity_mib",
            "provisioned_mib",
            "in_use_mib",
            "os",
            "os_config",
            "boot",
            "disk",
            "capacity_mib",
            "consumed_mib",
            "application",
        ],
    ),
];

/// Fields whose spellings hold `{n}`, a disk number.
const NUMBERED_FIELDS: &[&str] = &["disk_size_gb", "disk_read_ops", "disk_write_ops"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    kind: String,
    sheet: Option<String>,
    title: String,
    source: String,
    signature: Vec<String>,
    required: Vec<String>,
    columns: BTreeMap<String, Vec<String>>,
}

/// One spelling, normalised: a whole header, or the parts around a disk number.
#[derive(Debug, Clone)]
enum Spelling {
    Exact(String),
    Numbered { prefix: String, suffix: String },
}

impl Spelling {
    fn new(text: &str) -> Self {
        match text.split_once("{n}") {
            Some((prefix, suffix)) => {
                Spelling::Numbered { prefix: normalize_key(prefix), suffix: normalize_key(suffix) }
            }
            None => Spelling::Exact(normalize_key(text)),
        }
    }

    /// The disk number a normalised header carries for a numbered spelling.
    fn number(&self, header: &str) -> Option<u32> {
        let Spelling::Numbered { prefix, suffix } = self else { return None };
        let middle = header.strip_prefix(prefix.as_str())?.strip_suffix(suffix.as_str())?;
        if middle.is_empty() || !middle.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        middle.parse().ok()
    }
}

/// One table a server-inventory kind reads.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub kind: String,
    pub sheet: Option<String>,
    pub title: String,
    pub source: String,
    pub signature: Vec<String>,
    pub required: Vec<String>,
    /// field → spellings as written in the rule file
    pub columns: BTreeMap<String, Vec<String>>,
    normalized: BTreeMap<String, Vec<Spelling>>,
}

/// Where a table's fields are in one header row.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub columns: HashMap<String, usize>,
    /// numbered field → disk number → column
    pub numbered: HashMap<String, BTreeMap<u32, usize>>,
}

impl TableSpec {
    /// A table of another rule file with the same format (rules/workload-inputs.toml).
    pub fn new(
        kind: String,
        title: String,
        source: String,
        signature: Vec<String>,
        required: Vec<String>,
        columns: BTreeMap<String, Vec<String>>,
    ) -> Self {
        let normalized = columns
            .iter()
            .map(|(field, spellings)| (field.clone(), spellings.iter().map(|s| Spelling::new(s)).collect()))
            .collect();
        TableSpec { kind, sheet: None, title, source, signature, required, columns, normalized }
    }

    /// Field → column for a header row; for each field the first spelling the header holds.
    pub fn resolve(&self, headers: &[String]) -> Resolved {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_key(h)).collect();
        let mut resolved = Resolved::default();
        for (field, spellings) in &self.normalized {
            for spelling in spellings {
                match spelling {
                    Spelling::Exact(key) => {
                        if let Some(column) = normalized.iter().position(|h| h == key) {
                            resolved.columns.insert(field.clone(), column);
                            break;
                        }
                    }
                    Spelling::Numbered { .. } => {
                        let found: BTreeMap<u32, usize> = normalized
                            .iter()
                            .enumerate()
                            .filter_map(|(column, h)| spelling.number(h).map(|n| (n, column)))
                            .collect();
                        if !found.is_empty() {
                            let entry = resolved.numbered.entry(field.clone()).or_default();
                            for (n, column) in found {
                                entry.entry(n).or_insert(column);
                            }
                        }
                    }
                }
            }
        }
        resolved
    }

    pub fn matches(&self, resolved: &Resolved) -> bool {
        self.signature.iter().all(|field| resolved.columns.contains_key(field))
    }

    /// The first spelling of a field, for messages.
    pub fn header_of(&self, field: &str) -> String {
        self.columns.get(field).and_then(|s| s.first()).cloned().unwrap_or_else(|| field.to_string())
    }

    /// "Server Name/Hostname, Processor Cores, …": the header cells the signature needs.
    pub fn describe_signature(&self) -> String {
        self.signature.iter().map(|field| format!("\"{}\"", self.header_of(field))).collect::<Vec<_>>().join(", ")
    }
}

/// What every `[[table]]` entry of this format holds (here and in rules/workload-inputs.toml), for validation.
pub(crate) struct TableFields<'a> {
    pub kind: &'a str,
    pub source: &'a str,
    pub signature: &'a [String],
    pub required: &'a [String],
    pub columns: &'a BTreeMap<String, Vec<String>>,
}

impl TableFields<'_> {
    /// Reports every problem of the entry at `line`: an unknown kind (then false: nothing else can be checked), an
    /// empty source or signature, unknown fields, fields without spellings, `{n}` on the wrong fields, a header
    /// given for two fields, signature or required fields without spellings.
    pub fn validate(
        &self,
        kinds: &[(&str, &[&str])],
        numbered_fields: &[&str],
        line: u64,
        problems: &mut Problems,
    ) -> bool {
        let Some((_, fields)) = kinds.iter().find(|(kind, _)| *kind == self.kind) else {
            let known: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
            problems.line(line, format!("unknown kind `{}`; known kinds: {}", self.kind, known.join(", ")));
            return false;
        };
        if self.source.trim().is_empty() {
            problems.line(line, "source is empty: every entry names its source");
        }
        if self.signature.is_empty() {
            problems.line(line, "signature is empty");
        }
        let mut aliases: HashMap<String, &String> = HashMap::new();
        for (field, spellings) in self.columns {
            if !fields.contains(&field.as_str()) {
                problems.line(
                    line,
                    format!("unknown field `{field}` for kind `{}`; known fields: {}", self.kind, fields.join(", ")),
                );
            }
            if spellings.is_empty() {
                problems.line(line, format!("field `{field}` has no spelling"));
            }
            let numbered = numbered_fields.contains(&field.as_str());
            for spelling in spellings {
                if numbered != spelling.contains("{n}") {
                    let message = if numbered {
                        format!("spelling \"{spelling}\" of `{field}` needs `{{n}}` where the disk number goes")
                    } else {
                        format!("spelling \"{spelling}\" of `{field}`: `{{n}}` is only for per-disk fields")
                    };
                    problems.line(line, message);
                }
                if let Some(other) = aliases.insert(normalize_key(spelling), field)
                    && other != field
                {
                    problems.line(line, format!("header \"{spelling}\" is given for both `{other}` and `{field}`"));
                }
            }
        }
        for field in self.signature.iter().chain(self.required) {
            if !self.columns.contains_key(field) {
                problems.line(line, format!("field `{field}` (signature or required) has no entry in columns"));
            }
        }
        true
    }
}

/// The whole rule file.
#[derive(Debug, Clone)]
pub struct ServerRules {
    pub tables: Vec<TableSpec>,
}

impl ServerRules {
    /// Parses and validates the rule file, adding every problem to `list`.
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let mut problems = Problems { file, list };
        let mut tables = Vec::new();
        for entry in toml_entries::<RawTable>(file, "table", &mut problems) {
            let raw = entry.value;
            let line = entry.line;
            let fields = TableFields {
                kind: &raw.kind,
                source: &raw.source,
                signature: &raw.signature,
                required: &raw.required,
                columns: &raw.columns,
            };
            if !fields.validate(KINDS, NUMBERED_FIELDS, line, &mut problems) {
                continue;
            }
            if raw.kind == "rvtools" && raw.sheet.is_none() {
                problems.line(line, "an `rvtools` table names its `sheet`");
            }
            let mut table =
                TableSpec::new(raw.kind, raw.title, file.cite(&raw.source), raw.signature, raw.required, raw.columns);
            table.sheet = raw.sheet;
            tables.push(table);
        }
        for (kind, _) in KINDS {
            if !tables.iter().any(|t| t.kind == *kind) {
                problems.at(None, format!("no [[table]] for kind `{kind}`"));
            }
        }
        ServerRules { tables }
    }

    /// The table of a kind (and sheet, for RVTools).
    pub fn table(&self, kind: &str, sheet: Option<&str>) -> Option<&TableSpec> {
        self.tables.iter().find(|t| {
            t.kind == kind
                && match (sheet, &t.sheet) {
                    (None, _) => true,
                    (Some(wanted), Some(have)) => normalize_key(wanted) == normalize_key(have),
                    (Some(_), None) => false,
                }
        })
    }

    /// Tables identified by a header row (no sheet of their own).
    pub fn header_tables(&self) -> impl Iterator<Item = &TableSpec> {
        self.tables.iter().filter(|t| t.sheet.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    #[test]
    fn embedded_rule_file_is_valid() {
        let rules = crate::rules::Rules::embedded().servers.clone();
        assert!(rules.table("rvtools", Some("vinfo")).is_some());
        assert!(rules.table("planner-table", None).is_some());
    }

    #[test]
    fn numbered_spellings_find_every_disk() {
        let rules = crate::rules::Rules::embedded().servers.clone();
        let table = rules.table("azure-migrate", None).unwrap();
        let headers: Vec<String> =
            ["*Server name", "*Cores", "*Memory (In MB)", "Disk 1 size (In GB)", "Disk 12 size (In GB)", "Disk x size"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let resolved = table.resolve(&headers);
        assert!(table.matches(&resolved));
        let sizes = &resolved.numbered["disk_size_gb"];
        assert_eq!(sizes.iter().map(|(n, c)| (*n, *c)).collect::<Vec<_>>(), vec![(1, 3), (12, 4)]);
    }

    #[test]
    fn rule_problems_name_the_line() {
        let mut pack = RulePack::embedded();
        let text = "[[table]]\nkind = \"planner-table\"\ntitle = \"t\"\nsource = \"s\"\nsignature = [\"name\"]\n\
                    required = [\"name\"]\n[table.columns]\nname = [\"A\"]\nbogus = [\"B\"]\n";
        pack = pack_with(pack, text);
        let mut list = Vec::new();
        ServerRules::parse(pack.file(RULE_FILE).unwrap(), &mut list);
        let all = list.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
        assert!(all.contains("line 1") && all.contains("unknown field `bogus`"), "{all}");
        assert!(all.contains("no [[table]] for kind `rvtools`"), "{all}");
    }

    fn pack_with(_pack: RulePack, text: &str) -> RulePack {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(RULE_FILE), text).unwrap();
        RulePack::with_overrides(dir.path()).unwrap()
    }
}
