//! The whole rule set, parsed and validated once (after cargo-deny's unvalidated → valid config): every rule
//! file of the pack is read into its typed table, every problem goes to one list, and loading fails with all of
//! them at once. Commands build one [`Rules`] and pass it (or the piece a step needs) down.

use std::sync::OnceLock;

use super::capacity::ByEra;
use super::capacity::catalogue::{self, Catalogue, Limits};
use super::capacity::planner::{self, PlannerConstants};
use super::capacity::sizing::{self, SizingTables};
use super::cost::{self, CostRules};
use super::dependencies::{self, DependencyRules};
use super::servers::{self, ServerRules};
use super::spans::Problems;
use super::transfer::{self, TransferRules};
use super::workloads::inputs::{self, InputTables};
use super::workloads::{self, WorkloadRules};
use super::{AssessRules, ReadRules, RuleFile, RulePack, sources};
use crate::error::{Error, Result};
use crate::model::Era;

/// Every typed rule table, validated.
#[derive(Debug, Clone)]
pub struct Rules {
    /// What the readers need (input kinds, type tables, commitments, regions).
    pub read: ReadRules,
    /// What the assessment needs (availability, move support, conditions, classic upgrades).
    pub assess: AssessRules,
    pub dependencies: DependencyRules,
    pub planner: PlannerConstants,
    sizing: ByEra<SizingTables>,
    catalogue: ByEra<Catalogue>,
    limits: ByEra<Limits>,
    pub servers: ServerRules,
    pub workloads: WorkloadRules,
    pub workload_inputs: InputTables,
    pub cost: CostRules,
    pub transfer: TransferRules,
    /// The files the rules were read from (names, origins, texts) and their sources registry.
    pack: RulePack,
}

impl Rules {
    /// Parses and validates every rule file of `pack` once; `Error::Rules` with every problem when there is any.
    pub fn load(pack: &RulePack) -> Result<Rules> {
        Self::build(pack, false)
    }

    /// [`Rules::load`], also checking that every rule's source names a document of `sources.toml` (`rules
    /// check`: a run accepts an override's free-text source, shown as written), its problems in the same list.
    pub fn check(pack: &RulePack) -> Result<Rules> {
        Self::build(pack, true)
    }

    fn build(pack: &RulePack, check_sources: bool) -> Result<Rules> {
        let mut list = Vec::new();
        let read = ReadRules::parse(pack, &mut list)?;
        let assess = AssessRules::parse(pack, &mut list)?;
        let file = pack.file(dependencies::RULE_FILE)?;
        let dependencies = DependencyRules::parse(file, &mut Problems { file, list: &mut list });
        let planner = PlannerConstants::parse(pack.file(planner::RULE_FILE)?, &mut list);
        let sizing = SizingTables::parse(pack.file(sizing::FILE)?, &mut list);
        let catalogue = Catalogue::parse(pack.file(catalogue::SIZES_FILE)?, &mut list);
        let limits = Limits::parse(pack.file(catalogue::LIMITS_FILE)?, &mut list);
        let servers = ServerRules::parse(pack.file(servers::RULE_FILE)?, &mut list);
        let workloads = WorkloadRules::parse(pack.file(workloads::RULE_FILE)?, &mut list);
        let workload_inputs = InputTables::parse(pack.file(inputs::RULE_FILE)?, &mut list);
        let cost = CostRules::parse(pack.file(cost::CONSTANTS_FILE)?, pack.file(cost::UNDISCOUNTED_FILE)?, &mut list);
        let transfer = TransferRules::parse(
            pack.file(transfer::PATHS_FILE)?,
            pack.file(transfer::OFFERS_FILE)?,
            pack.file(transfer::MARKETS_FILE)?,
            &mut list,
        );
        if check_sources {
            sources::check_pack(pack, &mut list);
        }
        // `parse` gives `None` only when it reported a missing table kind, so `list` is not empty then.
        match workload_inputs {
            Some(workload_inputs) if list.is_empty() => Ok(Rules {
                read,
                assess,
                dependencies,
                planner,
                sizing,
                catalogue,
                limits,
                servers,
                workloads,
                workload_inputs,
                cost,
                transfer,
                pack: pack.clone(),
            }),
            _ => Err(Error::Rules(list)),
        }
    }

    /// The embedded rules, loaded once (tests).
    pub fn embedded() -> &'static Rules {
        static EMBEDDED: OnceLock<Rules> = OnceLock::new();
        EMBEDDED.get_or_init(|| Rules::load(&RulePack::embedded()).expect("the embedded rules are valid"))
    }

    /// The ASR sizing tables of one era.
    pub fn sizing(&self, era: Era) -> &SizingTables {
        self.sizing.get(era)
    }

    /// The VM size catalogue of one era.
    pub fn catalogue(&self, era: Era) -> &Catalogue {
        self.catalogue.get(era)
    }

    /// The Azure limits of one era.
    pub fn limits(&self, era: Era) -> &Limits {
        self.limits.get(era)
    }

    /// The rule files read, by name.
    pub fn files(&self) -> impl Iterator<Item = &RuleFile> {
        self.pack.files()
    }

    /// The registry of documents the rules cite.
    pub fn sources(&self) -> &sources::Sources {
        self.pack.sources()
    }
}
