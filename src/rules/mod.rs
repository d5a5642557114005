//! The rule pack: human-readable files under `rules/`, embedded in the binary and overridable file by
//! file with `--rules DIR` (a file of the same name replaces the embedded one; new files are added).
//!
//! Loading is two steps, after cargo-deny: the files are read as text here, then each typed loader
//! (`input_kinds`, `type_tables`) parses and validates its file, collecting every problem before failing.

pub mod availability;
pub mod capacity;
pub mod classic;
pub mod commitments;
pub mod conditions;
pub mod constants;
pub mod cost;
pub mod dependencies;
pub mod input_kinds;
pub mod json_kinds;
pub mod move_support;
pub mod path_set;
pub mod predicate;
pub mod regions;
pub mod servers;
pub mod set;
pub mod sources;
pub mod spans;
pub mod transfer;
pub mod type_tables;
pub mod workloads;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, InputError, Result, RuleProblem};

pub use input_kinds::{InputKind, InputKinds};
pub use set::Rules;
pub use type_tables::{ClassicUsageTypes, PortalTypes};

/// The files shipped in `rules/`, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    ("input-kinds.toml", include_str!("../../rules/input-kinds.toml")),
    ("portal-types.csv", include_str!("../../rules/portal-types.csv")),
    ("classic-usage-types.csv", include_str!("../../rules/classic-usage-types.csv")),
    ("csp-availability.csv", include_str!("../../rules/csp-availability.csv")),
    ("csp-exceptions.csv", include_str!("../../rules/csp-exceptions.csv")),
    ("service-crosswalk.csv", include_str!("../../rules/service-crosswalk.csv")),
    ("move-support.csv", include_str!("../../rules/move-support.csv")),
    ("move-conditions.toml", include_str!("../../rules/move-conditions.toml")),
    ("classic-upgrade.toml", include_str!("../../rules/classic-upgrade.toml")),
    ("asr-planner.toml", include_str!("../../rules/asr-planner.toml")),
    ("asr-sizing.toml", include_str!("../../rules/asr-sizing.toml")),
    ("azure-vm-sizes.csv", include_str!("../../rules/azure-vm-sizes.csv")),
    ("azure-limits.toml", include_str!("../../rules/azure-limits.toml")),
    ("server-inventory.toml", include_str!("../../rules/server-inventory.toml")),
    ("workloads.toml", include_str!("../../rules/workloads.toml")),
    ("workload-inputs.toml", include_str!("../../rules/workload-inputs.toml")),
    ("dependencies.toml", include_str!("../../rules/dependencies.toml")),
    ("cost.toml", include_str!("../../rules/cost.toml")),
    ("cost-undiscounted.csv", include_str!("../../rules/cost-undiscounted.csv")),
    ("regions.csv", include_str!("../../rules/regions.csv")),
    ("commitments.toml", include_str!("../../rules/commitments.toml")),
    ("transfer-paths.toml", include_str!("../../rules/transfer-paths.toml")),
    ("offers.csv", include_str!("../../rules/offers.csv")),
    ("reservation-markets.csv", include_str!("../../rules/reservation-markets.csv")),
    ("sources.toml", include_str!("../../rules/sources.toml")),
    ("README.md", include_str!("../../rules/README.md")),
];

/// Where a rule file came from, so diagnostics and reports can say which one was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Override(PathBuf),
}

#[derive(Debug, Clone)]
pub struct RuleFile {
    pub name: String,
    pub origin: Origin,
    pub text: String,
    /// The registry of `sources.toml` of the same pack, to resolve this file's sources with.
    pub sources: Arc<sources::Sources>,
}

impl RuleFile {
    /// A file outside a pack (tests): its sources resolve to themselves.
    pub fn new(name: impl Into<String>, origin: Origin, text: impl Into<String>) -> Self {
        RuleFile { name: name.into(), origin, text: text.into(), sources: Arc::default() }
    }

    /// A rule's `source` text as users see it (see [`sources::Sources::resolve`]).
    pub fn cite(&self, source: &str) -> String {
        self.sources.resolve(source)
    }

    /// The same, with the registry entries it cites (for the JSON outputs' `source_key` and `sources`).
    pub fn cited(&self, source: &str) -> crate::model::Cited {
        self.sources.cited(source)
    }

    /// A problem in this file, named by the path it was read from (see [`RuleProblem`]).
    pub fn problem(&self, location: Option<String>, message: impl Into<String>) -> RuleProblem {
        RuleProblem { file: self.name.clone(), read_from: self.read_from(), location, message: message.into() }
    }

    /// The path read for an override file; `None` for the embedded one.
    pub fn read_from(&self) -> Option<String> {
        match &self.origin {
            Origin::Embedded => None,
            Origin::Override(path) => Some(path.display().to_string()),
        }
    }
}

/// The raw rule files, by file name.
#[derive(Debug, Clone)]
pub struct RulePack {
    files: BTreeMap<String, RuleFile>,
    sources: Arc<sources::Sources>,
    /// The problems of `sources.toml` itself, reported by `rules check` (see [`sources::check_pack`]).
    source_problems: Vec<RuleProblem>,
}

impl RulePack {
    pub fn embedded() -> Self {
        let files = EMBEDDED
            .iter()
            .map(|(name, text)| (name.to_string(), RuleFile::new(*name, Origin::Embedded, *text)))
            .collect();
        let mut pack = RulePack { files, sources: Arc::default(), source_problems: Vec::new() };
        pack.link_sources();
        pack
    }

    /// Parses `sources.toml` and gives its registry to every file, so each loader resolves its sources.
    fn link_sources(&mut self) {
        let mut problems = Vec::new();
        let registry = match self.files.get(sources::RULE_FILE) {
            Some(file) => sources::Sources::parse(file, &mut problems),
            None => sources::Sources::default(),
        };
        self.sources = Arc::new(registry);
        self.source_problems = problems;
        for file in self.files.values_mut() {
            file.sources = Arc::clone(&self.sources);
        }
    }

    /// The registry of documents the rules cite.
    pub fn sources(&self) -> &sources::Sources {
        &self.sources
    }

    /// The problems of `sources.toml` itself.
    pub fn source_problems(&self) -> &[RuleProblem] {
        &self.source_problems
    }

    /// The embedded pack with the files of `dir` laid over it. `dir` must be a folder; every entry of it (but
    /// the hidden ones) must be a regular file: a FIFO would block the run, a device never end, and a folder or
    /// a broken link would be silently left out, so each is an error naming it.
    pub fn with_overrides(dir: &Path) -> Result<Self> {
        let mut pack = Self::embedded();
        for path in override_paths(dir)? {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                continue;
            };
            let bytes = crate::open::read_limited(&path, RULE_FILE_MAX_BYTES, "rule file")?;
            let text = String::from_utf8(bytes)
                .map_err(|_| InputError::new(&path, "cannot read rule file: not UTF-8 text"))?;
            let origin = Origin::Override(path);
            pack.files.insert(name.clone(), RuleFile::new(name, origin, text));
        }
        pack.link_sources();
        Ok(pack)
    }

    pub fn load(dir: Option<&Path>) -> Result<Self> {
        match dir {
            Some(dir) => {
                let pack = Self::with_overrides(dir)?;
                pack.warn_unknown_overrides();
                Ok(pack)
            }
            None => Ok(Self::embedded()),
        }
    }

    pub fn file(&self, name: &str) -> Result<&RuleFile> {
        self.files.get(name).ok_or_else(|| {
            Error::Rules(vec![RuleProblem {
                file: name.to_string(),
                read_from: None,
                location: None,
                message: "the rule file is missing".to_string(),
            }])
        })
    }

    pub fn files(&self) -> impl Iterator<Item = &RuleFile> {
        self.files.values()
    }

    /// Override files whose name no embedded file has: added on purpose, or a misspelling
    /// (`move-condition.toml`) that would otherwise be silently ignored.
    pub fn unknown_overrides(&self) -> Vec<&RuleFile> {
        self.files
            .values()
            .filter(|f| matches!(f.origin, Origin::Override(_)) && !EMBEDDED.iter().any(|(name, _)| *name == f.name))
            .collect()
    }

    /// Warns on stderr about [`Self::unknown_overrides`].
    pub fn warn_unknown_overrides(&self) {
        for file in self.unknown_overrides() {
            let known: Vec<&str> = EMBEDDED.iter().map(|(name, _)| *name).collect();
            eprintln!(
                "warning: {}: no rule file of this name is read by csp-planner (known: {}); check its name",
                file.read_from().unwrap_or_else(|| format!("rules/{}", file.name)),
                known.join(", ")
            );
        }
    }
}

/// The most one rule file may hold: the largest shipped one is about 100 KiB; a file far larger is not a rule
/// file, and reading it whole must stay bounded.
pub const RULE_FILE_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The entries of `--rules DIR` to read, sorted, hidden ones left out; an error when DIR is not a folder or an
/// entry is not a regular file (symlinks are followed).
fn override_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let metadata =
        std::fs::metadata(dir).map_err(|e| InputError::new(dir, format!("cannot read the rules directory: {e}")))?;
    if !metadata.is_dir() {
        let kind = crate::open::kind_of(&metadata).unwrap_or("a file");
        return Err(Error::usage(format!(
            "--rules {}: is {kind}, not a folder; give the folder that holds the rule files",
            dir.display()
        )));
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| InputError::new(dir, format!("cannot read the rules directory: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| InputError::new(dir, format!("cannot read the rules directory: {e}")))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        crate::open::check_regular(&path)?;
        paths.push(path);
    }
    paths.sort();
    Ok(paths)
}

/// The typed rules the readers need, validated together so every problem is reported at once.
#[derive(Debug, Clone)]
pub struct ReadRules {
    pub input_kinds: InputKinds,
    pub portal_types: PortalTypes,
    pub classic_usage_types: ClassicUsageTypes,
    pub commitments: commitments::CommitmentRules,
    /// Every spelling of a region (`US East`, `East US`, `eastus`) → its ARM location, for the readers'
    /// locations to join across inputs.
    pub regions: regions::RegionAliases,
}

impl ReadRules {
    /// Parses every file the readers need, adding problems to `problems`; an error only for a missing file.
    pub fn parse(pack: &RulePack, problems: &mut Vec<RuleProblem>) -> Result<Self> {
        let input_kinds = InputKinds::parse(pack.file("input-kinds.toml")?, problems);
        let portal_types = PortalTypes::parse(pack.file("portal-types.csv")?, problems);
        let classic_usage_types = ClassicUsageTypes::parse(pack.file("classic-usage-types.csv")?, problems);
        let commitments = commitments::CommitmentRules::parse(pack.file(commitments::RULE_FILE)?, problems);
        let regions = regions::RegionAliases::parse(pack.file(regions::RULE_FILE)?, problems);
        Ok(ReadRules { input_kinds, portal_types, classic_usage_types, commitments, regions })
    }
}

/// The typed rules the assessment needs, validated together so every problem is reported at once.
#[derive(Debug, Clone)]
pub struct AssessRules {
    pub availability: availability::Availability,
    pub move_support: move_support::MoveSupportTable,
    pub conditions: conditions::Conditions,
    pub classic: classic::ClassicRules,
    /// The pack's sources registry, for the citations the assessment makes in code (the child-resource rule).
    pub sources: Arc<sources::Sources>,
}

impl AssessRules {
    /// The paths of `properties` the assessment's conditions read (move conditions, classic rules): all a
    /// reader needs to keep of them when the output does not show them.
    pub fn property_paths(&self) -> path_set::PathSet {
        let mut paths = path_set::PathSet::default();
        let conditions = self.conditions.conditions.iter().filter_map(|c| c.when.as_ref());
        let classic = self.classic.rules.iter().filter_map(|r| r.when.as_ref());
        for when in conditions.chain(classic) {
            paths.insert_dotted("properties", &when.path);
        }
        paths
    }

    /// Parses every assessment rule file, adding problems to `list`.
    pub fn parse(pack: &RulePack, list: &mut Vec<RuleProblem>) -> Result<Self> {
        let availability = availability::Availability::parse(
            pack.file("csp-availability.csv")?,
            pack.file("csp-exceptions.csv")?,
            pack.file("service-crosswalk.csv")?,
            list,
        );
        let file = pack.file("move-support.csv")?;
        let move_support = move_support::MoveSupportTable::parse(file, &mut spans::Problems { file, list });
        let file = pack.file("move-conditions.toml")?;
        let conditions = conditions::Conditions::parse(file, &mut spans::Problems { file, list });
        let file = pack.file("classic-upgrade.toml")?;
        let classic = classic::ClassicRules::parse(file, &mut spans::Problems { file, list });
        let sources = file.sources.clone();
        Ok(AssessRules { availability, move_support, conditions, classic, sources })
    }
}

/// Header and lookup keys are compared ignoring case, spaces and punctuation
/// ("Meter Sub-Category" = "MeterSubCategory" = "meter_subcategory").
pub fn normalize_key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}
