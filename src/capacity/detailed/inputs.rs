//! The Detailed Planner's inputs: the environment options, defaulted and checked as the Quick Planner's are.

use super::*;

/// What the user gave on the command line (None = not given), beside the inventories.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub scenario: Option<Scenario>,
    pub compression_pct: Option<Decimal>,
    pub retention_days: Option<Decimal>,
    pub recovery_points: Option<i64>,
    pub initial_replication_hours: Option<Decimal>,
    pub batch_size: Option<i64>,
    pub era: Option<Era>,
    pub gb_base: Option<GbBase>,
    pub default_change_rate_pct: Option<Decimal>,
}

/// One inventory file read.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub path: String,
    pub format: String,
    pub servers: usize,
}

/// Every input, resolved: the Quick Planner's environment inputs (seed L13452-L13462) and the change rate
/// given to servers without one.
#[derive(Debug, Clone, Serialize)]
pub struct Inputs {
    pub files: Vec<InputFile>,
    pub scenario: Input<Scenario>,
    pub compression_pct: Input<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<Input<Decimal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_points: Option<Input<u32>>,
    pub initial_replication_hours: Input<Decimal>,
    pub batch_size: Input<u32>,
    pub era: Input<Era>,
    pub gb_base: Input<GbBase>,
    pub default_change_rate_pct: Input<Decimal>,
}

impl Inputs {
    pub fn defaulted(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let flags = [
            ("scenario", self.scenario.defaulted),
            ("compression_pct", self.compression_pct.defaulted),
            ("retention_days", self.retention_days.as_ref().is_some_and(|i| i.defaulted)),
            ("recovery_points", self.recovery_points.as_ref().is_some_and(|i| i.defaulted)),
            ("initial_replication_hours", self.initial_replication_hours.defaulted),
            ("batch_size", self.batch_size.defaulted),
            ("era", self.era.defaulted),
            ("gb_base", self.gb_base.defaulted),
            ("default_change_rate_pct", self.default_change_rate_pct.defaulted),
        ];
        for (name, defaulted) in flags {
            if defaulted {
                names.push(name);
            }
        }
        names
    }
}

/// `--default-change-rate`'s default: issue 4 ("default 5 %"), the seed's sample rate (002 L13519).
pub const DEFAULT_CHANGE_RATE_PCT: u32 = 5;

/// The citations of the defaults chosen here (`<key>: <locator>`, resolved with the pack's registry).
pub(super) const DEFAULT_CHANGE_RATE_SOURCE: &str =
    "csp-asr-capacity-guide: the Quick Planner's sample daily change rate, 5 % (the default of --default-change-rate)";
pub(super) const SCENARIO_VMWARE_SOURCE: &str =
    "csp-planner-choice: the scenario is VMware when every input is an RVTools export, a VMware vSphere inventory";
pub(super) const SCENARIO_PHYSICAL_SOURCE: &str = "csp-planner-choice: the inputs do not say which hypervisor; `physical` assumes no compression (the Quick Planner's Compression property), the cautious choice for bandwidth";

impl Request {
    /// Validates and defaults the inputs. The environment inputs the Quick Planner shares (compression,
    /// retention, hours, batch size, era, GB base) go through its own resolution, so their checks, defaults
    /// and sources are the same; its average-value inputs are not used here (placeholders).
    pub fn resolve(&self, constants: &PlannerConstants, files: Vec<InputFile>) -> Result<Inputs> {
        let scenario = match self.scenario {
            Some(scenario) => Input { value: scenario, defaulted: false, source: None },
            None if !files.is_empty() && files.iter().all(|f| f.format == "rvtools") => {
                Input { value: Scenario::Vmware, defaulted: true, source: Some(constants.cite(SCENARIO_VMWARE_SOURCE)) }
            }
            None => Input {
                value: Scenario::Physical,
                defaulted: true,
                source: Some(constants.cite(SCENARIO_PHYSICAL_SOURCE)),
            },
        };
        let shared = quick::Request {
            scenario: Some(scenario.value),
            vms: Some(1),
            disks_per_vm: Some(1),
            disk_size_gb: Some(Decimal::ONE),
            utilization_pct: Some(Decimal::ZERO),
            change_rate_pct: Some(Decimal::ZERO),
            compression_pct: self.compression_pct,
            retention_days: self.retention_days,
            recovery_points: self.recovery_points,
            initial_replication_hours: self.initial_replication_hours,
            batch_size: self.batch_size,
            era: self.era,
            gb_base: self.gb_base,
        }
        .resolve(constants)?;
        let default_change_rate_pct = match self.default_change_rate_pct {
            Some(value) if value.is_sign_negative() || value > Decimal::ONE_HUNDRED => {
                return Err(Error::usage(format!(
                    "--default-change-rate: the daily data change rate must be a percentage from 0 to 100, found \
                     {value}"
                )));
            }
            Some(value) => Input { value, defaulted: false, source: None },
            None => Input {
                value: Decimal::from(DEFAULT_CHANGE_RATE_PCT),
                defaulted: true,
                source: Some(constants.cite(DEFAULT_CHANGE_RATE_SOURCE)),
            },
        };
        Ok(Inputs {
            files,
            scenario,
            compression_pct: shared.compression_pct,
            retention_days: shared.retention_days,
            recovery_points: shared.recovery_points,
            initial_replication_hours: shared.initial_replication_hours,
            batch_size: shared.batch_size,
            era: shared.era,
            gb_base: shared.gb_base,
            default_change_rate_pct,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[
            DEFAULT_CHANGE_RATE_SOURCE,
            SCENARIO_VMWARE_SOURCE,
            SCENARIO_PHYSICAL_SOURCE,
        ]);
    }
}
