//! The Detailed Planner's Azure data (issue 4): the VM size catalogue (`rules/azure-vm-sizes.csv`) and the
//! per-era limits a server is qualified against (`rules/azure-limits.toml`), both validated with every
//! problem reported at once (file and line).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::ByEra;
use crate::error::RuleProblem;
use crate::model::Era;
use crate::rules::RuleFile;
use crate::rules::input_kinds::line_col;
use crate::rules::spans::{Problems, read_table};

pub const SIZES_FILE: &str = "azure-vm-sizes.csv";
pub const LIMITS_FILE: &str = "azure-limits.toml";

const SIZES_HEADER: &[&str] =
    &["name", "era", "cores", "memory_mb", "max_data_disks", "max_nics", "premium_storage", "source"];

/// One Azure VM size of one era.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmSize {
    pub name: String,
    pub cores: u32,
    pub memory_mb: u64,
    pub max_data_disks: u32,
    pub max_nics: u32,
    pub premium_storage: bool,
    pub source: String,
    /// `rules/azure-vm-sizes.csv line N`.
    pub rule: String,
}

/// The sizes of one era, in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub era: Era,
    pub sizes: Vec<VmSize>,
}

fn era_of(text: &str) -> Option<Era> {
    Era::parse(text)
}

impl Catalogue {
    /// Parses the sizes of both eras, adding every problem (once) to `problems`.
    pub fn parse(file: &RuleFile, problems: &mut Vec<RuleProblem>) -> ByEra<Catalogue> {
        let mut found = ByEra::new(|era| Catalogue { era, sizes: Vec::new() });
        let mut seen: BTreeMap<(String, String), u64> = BTreeMap::new();
        for (line, cells) in read_table(file, SIZES_HEADER, problems) {
            let mut problem = |message: String| problems.push(file.problem(Some(format!("line {line}")), message));
            let Some(row_era) = era_of(&cells[1]) else {
                problem(format!("`era` must be `2017` or `current`, found `{}`", cells[1]));
                continue;
            };
            let key = (cells[0].to_ascii_lowercase(), cells[1].clone());
            if let Some(first) = seen.get(&key) {
                problem(format!("size `{}` of era {} is already listed on line {first}", cells[0], cells[1]));
                continue;
            }
            seen.insert(key, line);
            let number = |index: usize| cells[index].parse::<u64>().ok().filter(|n| *n > 0 || index == 4);
            let (Some(cores), Some(memory_mb), Some(max_data_disks), Some(max_nics)) =
                (number(2), number(3), number(4), number(5))
            else {
                let bad = (2..=5).find(|i| number(*i).is_none()).unwrap_or(2);
                problem(format!(
                    "`{}` must be a whole number{}, found `{}`",
                    SIZES_HEADER[bad],
                    if bad == 4 { "" } else { " above 0" },
                    cells[bad]
                ));
                continue;
            };
            let premium_storage = match cells[6].to_ascii_lowercase().as_str() {
                "yes" => true,
                "no" => false,
                other => {
                    problem(format!("`premium_storage` must be `yes` or `no`, found `{other}`"));
                    continue;
                }
            };
            let (Ok(cores), Ok(max_data_disks), Ok(max_nics)) =
                (u32::try_from(cores), u32::try_from(max_data_disks), u32::try_from(max_nics))
            else {
                problem("a count is too large".to_string());
                continue;
            };
            found.get_mut(row_era).sizes.push(VmSize {
                name: cells[0].clone(),
                cores,
                memory_mb,
                max_data_disks,
                max_nics,
                premium_storage,
                source: file.cite(&cells[7]),
                rule: format!("rules/{} line {line}", file.name),
            });
        }
        for era in Era::ALL {
            if found.get(era).sizes.is_empty() {
                problems.push(file.problem(None, format!("no size of era {}", era.as_str())));
            }
        }
        found
    }

    /// The size with the fewest cores, then the least memory, then the first in the file, among those
    /// `fits` accepts.
    pub fn smallest(&self, fits: impl Fn(&VmSize) -> bool) -> Option<&VmSize> {
        // min_by_key keeps the first of equal keys: file order breaks ties.
        self.sizes.iter().filter(|s| fits(s)).min_by_key(|s| (s.cores, s.memory_mb))
    }

    /// The most data disks any size of the era allows.
    pub fn max_data_disks(&self) -> u32 {
        self.sizes.iter().map(|s| s.max_data_disks).max().unwrap_or(0)
    }
}

// ------------------------------------------------------------------------------------------ limits

/// A limit's value as read, before it is given its typed field.
#[derive(Debug, Clone, PartialEq)]
pub enum LimitValue {
    Number(Decimal),
    Text(String),
    List(Vec<String>),
}

/// One limit: its value, and where it comes from.
#[derive(Debug, Clone)]
pub struct Limit<T> {
    pub value: T,
    pub unit: String,
    pub source: String,
    pub note: Option<String>,
    /// `rules/azure-limits.toml [era.X] name`, for reasons and notes.
    pub citation: String,
}

impl<T> Limit<T> {
    /// How reasons and notes cite the limit: `rules/azure-limits.toml [era.X] name`.
    pub fn cite(&self) -> &str {
        &self.citation
    }

    fn with<U>(self, value: U) -> Limit<U> {
        Limit { value, unit: self.unit, source: self.source, note: self.note, citation: self.citation }
    }
}

impl Limit<LimitValue> {
    /// The stand-in for a limit the file lacks (a problem says so; the rules then fail to load).
    fn missing(era: Era, name: &str) -> Self {
        let citation = citation(era, name);
        Limit {
            value: LimitValue::Text(String::new()),
            unit: String::new(),
            source: String::new(),
            note: None,
            citation,
        }
    }

    fn number(self) -> Limit<Decimal> {
        let value = match &self.value {
            LimitValue::Number(n) => *n,
            _ => Decimal::ZERO,
        };
        self.with(value)
    }

    fn text(self) -> Limit<String> {
        let value = match &self.value {
            LimitValue::Text(t) => t.clone(),
            _ => String::new(),
        };
        self.with(value)
    }

    fn list(self) -> Limit<Vec<String>> {
        let value = match &self.value {
            LimitValue::List(items) => items.clone(),
            _ => Vec::new(),
        };
        self.with(value)
    }

    /// `yes` / `no` (checked at load).
    fn flag(self) -> Limit<bool> {
        let value = matches!(&self.value, LimitValue::Text(t) if t == "yes");
        self.with(value)
    }
}

fn citation(era: Era, name: &str) -> String {
    format!("rules/{LIMITS_FILE} [era.{}] {name}", era.as_str())
}

/// The names every era of `rules/azure-limits.toml` must define, and whether each is a number (N), a
/// yes/no or other text (T) or a list of texts (L).
const LIMIT_NAMES: &[(&str, char)] = &[
    ("max_data_disk_size_gb", 'N'),
    ("max_os_disk_size_gb", 'N'),
    ("max_os_disk_size_gb_gen1", 'N'),
    ("min_disk_size_gb", 'N'),
    ("max_data_disks_per_vm", 'N'),
    ("max_os_disks_per_vm", 'N'),
    ("standard_disk_iops", 'N'),
    ("standard_account_iops", 'N'),
    ("premium_account_iops", 'N'),
    ("standard_io_size_kb", 'N'),
    ("premium_io_size_kb", 'N'),
    ("premium_vm_series", 'L'),
    ("guest_os_architecture", 'T'),
    ("supported_guest_os", 'L'),
    ("uefi_boot_supported", 'T'),
    ("unsupported_disk_features", 'L'),
];

/// The limits of one era, one field per entry of `rules/azure-limits.toml` (each checked at load).
#[derive(Debug, Clone)]
pub struct Limits {
    pub era: Era,
    pub max_data_disk_size_gb: Limit<Decimal>,
    pub max_os_disk_size_gb: Limit<Decimal>,
    pub max_os_disk_size_gb_gen1: Limit<Decimal>,
    pub min_disk_size_gb: Limit<Decimal>,
    pub max_data_disks_per_vm: Limit<Decimal>,
    pub max_os_disks_per_vm: Limit<Decimal>,
    pub standard_disk_iops: Limit<Decimal>,
    pub standard_account_iops: Limit<Decimal>,
    pub premium_account_iops: Limit<Decimal>,
    pub standard_io_size_kb: Limit<Decimal>,
    pub premium_io_size_kb: Limit<Decimal>,
    pub premium_vm_series: Limit<Vec<String>>,
    pub guest_os_architecture: Limit<String>,
    pub supported_guest_os: Limit<Vec<String>>,
    /// `yes` in the file.
    pub uefi_boot_supported: Limit<bool>,
    pub unsupported_disk_features: Limit<Vec<String>>,
}

impl Limits {
    /// Parses and validates the limits of both eras, adding every problem (once) to `list`.
    pub fn parse(file: &RuleFile, list: &mut Vec<RuleProblem>) -> ByEra<Limits> {
        let mut problems = Problems { file, list };
        let empty = ByEra::new(|era| Limits::typed(era, BTreeMap::new()));
        // Parsed once with spans, so every entry's problem names its line.
        let document = match toml::de::DeTable::parse(&file.text) {
            Ok(document) => document.into_inner(),
            Err(e) => {
                problems.at(e.span().map(|s| line_col(&file.text, s.start)), e.message().to_string());
                return empty;
            }
        };
        for key in document.keys().map(|k| k.get_ref()).filter(|k| *k != "era") {
            problems
                .at(None, format!("unknown top-level key `{key}`: the file holds `[era.2017]` and `[era.current]`"));
        }
        let Some(eras) = document.iter().find(|(k, _)| k.get_ref() == "era").and_then(|(_, v)| v.get_ref().as_table())
        else {
            problems.at(None, "no `[era.2017]` / `[era.current]` tables");
            return empty;
        };
        for name in eras.keys().map(|k| k.get_ref()).filter(|k| era_of(k).is_none()) {
            problems.at(None, format!("unknown era `{name}` (known: 2017, current)"));
        }
        ByEra::new(|era| {
            let found = eras.iter().find(|(k, _)| k.get_ref() == era.as_str());
            match found.and_then(|(k, v)| Some((k, v.get_ref().as_table()?))) {
                Some((header, table)) => Self::parse_era(era, header.span().start, table, &mut problems),
                None => {
                    problems.at(None, format!("the table `[era.{}]` is missing", era.as_str()));
                    Limits::typed(era, BTreeMap::new())
                }
            }
        })
    }

    /// One era's `[era.X]` table (its name at `header`, a byte offset).
    fn parse_era(era: Era, header: usize, table: &toml::de::DeTable, problems: &mut Problems) -> Self {
        let file = problems.file;
        let mut values = BTreeMap::new();
        let line_at = |offset: usize| Some(format!("line {}", file.text[..offset].matches('\n').count() + 1));
        for (key, spanned) in table {
            let (name, at) = (&key.get_ref().to_string(), line_at(key.span().start));
            // The entry as a plain TOML value, for the checks below (a value the parser accepted always converts).
            let Ok(entry) = toml::Value::deserialize(toml::de::ValueDeserializer::from(spanned.clone())) else {
                continue;
            };
            let Some(&(_, kind)) = LIMIT_NAMES.iter().find(|(n, _)| n == name) else {
                let known: Vec<&str> = LIMIT_NAMES.iter().map(|(n, _)| *n).collect();
                problems.at(at, format!("unknown limit `{name}` (known: {})", known.join(", ")));
                continue;
            };
            let Some(entry) = entry.as_table() else {
                problems.at(at, format!("`{name}` must be `{{ value = ..., unit = \"...\", source = \"...\" }}`"));
                continue;
            };
            if let Some(other) = entry.keys().find(|k| !["value", "unit", "source", "note"].contains(&k.as_str())) {
                problems.at(at.clone(), format!("`{name}`: unknown key `{other}` (known: value, unit, source, note)"));
            }
            let text = |key: &str| entry.get(key).and_then(toml::Value::as_str).map(str::to_string);
            let source = text("source").unwrap_or_default();
            let source = problems.file.cite(&source);
            if source.trim().is_empty() {
                problems.at(at.clone(), format!("`{name}`: `source` is missing or empty"));
            }
            let value = match (kind, entry.get("value")) {
                ('N', Some(toml::Value::Integer(i))) if *i >= 0 => Some(LimitValue::Number(Decimal::from(*i))),
                ('T', Some(toml::Value::String(s))) => Some(LimitValue::Text(s.clone())),
                ('L', Some(toml::Value::Array(items))) => {
                    let texts: Option<Vec<String>> = items.iter().map(|v| v.as_str().map(str::to_string)).collect();
                    texts.map(LimitValue::List)
                }
                _ => None,
            };
            let Some(value) = value else {
                let expected = match kind {
                    'N' => "a whole number, 0 or more",
                    'T' => "a string",
                    _ => "an array of strings",
                };
                problems.at(at, format!("`{name}`: `value` must be {expected}"));
                continue;
            };
            if name == "uefi_boot_supported" && !matches!(&value, LimitValue::Text(t) if t == "yes" || t == "no") {
                problems.at(at, "`uefi_boot_supported`: `value` must be \"yes\" or \"no\"");
                continue;
            }
            let unit = text("unit").unwrap_or_default();
            let citation = citation(era, name);
            values.insert(name.clone(), Limit { value, unit, source, note: text("note"), citation });
        }
        // A missing limit is named at its era's header, where it belongs.
        let header_line = line_at(header);
        for (name, _) in LIMIT_NAMES {
            if !values.contains_key(*name) && !table.keys().any(|k| k.get_ref() == *name) {
                problems.at(header_line.clone(), format!("`[era.{}]`: the limit `{name}` is missing", era.as_str()));
            }
        }
        Limits::typed(era, values)
    }

    /// Each limit in its field; a name the file lacks (already a problem) gets a stand-in.
    fn typed(era: Era, mut values: BTreeMap<String, Limit<LimitValue>>) -> Self {
        let mut take = |name: &str| values.remove(name).unwrap_or_else(|| Limit::missing(era, name));
        Limits {
            era,
            max_data_disk_size_gb: take("max_data_disk_size_gb").number(),
            max_os_disk_size_gb: take("max_os_disk_size_gb").number(),
            max_os_disk_size_gb_gen1: take("max_os_disk_size_gb_gen1").number(),
            min_disk_size_gb: take("min_disk_size_gb").number(),
            max_data_disks_per_vm: take("max_data_disks_per_vm").number(),
            max_os_disks_per_vm: take("max_os_disks_per_vm").number(),
            standard_disk_iops: take("standard_disk_iops").number(),
            standard_account_iops: take("standard_account_iops").number(),
            premium_account_iops: take("premium_account_iops").number(),
            standard_io_size_kb: take("standard_io_size_kb").number(),
            premium_io_size_kb: take("premium_io_size_kb").number(),
            premium_vm_series: take("premium_vm_series").list(),
            guest_os_architecture: take("guest_os_architecture").text(),
            supported_guest_os: take("supported_guest_os").list(),
            uefi_boot_supported: take("uefi_boot_supported").flag(),
            unsupported_disk_features: take("unsupported_disk_features").list(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Origin;

    fn file(name: &str, text: &str) -> RuleFile {
        RuleFile::new(name.to_string(), Origin::Embedded, text.to_string())
    }

    #[test]
    fn the_embedded_files_load_for_both_eras() {
        let rules = crate::rules::Rules::embedded();
        for era in Era::ALL {
            let (catalogue, limits) = (rules.catalogue(era), rules.limits(era));
            assert!(!catalogue.sizes.is_empty());
            assert_eq!(catalogue.max_data_disks(), 64);
            assert_eq!(limits.standard_account_iops.value, Decimal::from(20000));
        }
        let limits = rules.limits(Era::Y2017);
        assert_eq!(limits.max_data_disk_size_gb.value, Decimal::from(1023));
        assert!(!limits.uefi_boot_supported.value);
    }

    #[test]
    fn size_problems_name_their_line() {
        let text = "name,era,cores,memory_mb,max_data_disks,max_nics,premium_storage,source\n\
                    A,current,2,4096,4,2,yes,doc\n\
                    A,current,2,4096,4,2,yes,doc\n\
                    B,1999,2,4096,4,2,yes,doc\n\
                    C,current,two,4096,4,2,yes,doc\n\
                    D,current,2,4096,4,2,maybe,doc\n";
        let mut problems = Vec::new();
        let catalogue = Catalogue::parse(&file(SIZES_FILE, text), &mut problems).current;
        let found: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(catalogue.sizes.len(), 1);
        // The four bad rows, and the era with no size (both eras are read at once).
        assert_eq!(problems.len(), 5, "{found:?}");
        assert!(found[4].contains("no size of era 2017"), "{found:?}");
        assert!(found[0].contains("line 3") && found[0].contains("already listed on line 2"), "{found:?}");
        assert!(found[2].contains("line 5") && found[2].contains("`cores`"), "{found:?}");
    }

    #[test]
    fn limit_problems_name_their_line() {
        let text = "[era.current]\nmax_data_disk_size_gb = { value = \"big\", unit = \"GB\", source = \"x\" }\n\
                    bogus = { value = 1, unit = \"x\", source = \"x\" }\n";
        let mut problems = Vec::new();
        Limits::parse(&file(LIMITS_FILE, text), &mut problems);
        let found: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(found.iter().any(|p| p.contains("line 2") && p.contains("max_data_disk_size_gb")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("line 3") && p.contains("unknown limit `bogus`")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("`min_disk_size_gb` is missing")), "{found:?}");
    }
}
