//! The Quick Planner (issue 4): the Site Recovery Capacity Planner's "Capacity Planner" sheet from
//! average values (seed 002 L13497–L13599).
//!
//! The workbook's formulas were never published (anchors.md §1.1); the ones below are this tool's,
//! reconstructed in the digest (`seed-digest-migration.md` §4.8, F1–F14) and named next to each step.
//! Every constant and default comes from `rules/asr-planner.toml`, with its source. All arithmetic is
//! exact (rust_decimal); rounding happens once, for display, in [`QuickPlan`].

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::sizing::{self, Era, ServerSpec};
use crate::error::{Error, Result, RuleProblem};
use crate::inventory::Tool;
use crate::model::Cited;
use crate::rules::Rules;

pub use crate::model::{GbBase, Scenario};

// ------------------------------------------------------------------------------------------ constants

pub use crate::rules::capacity::planner::{PlannerConstants, RULE_FILE};

// ------------------------------------------------------------------------------------------ inputs

/// What the user gave on the command line (None = not given).
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub scenario: Option<Scenario>,
    pub vms: Option<i64>,
    pub disks_per_vm: Option<i64>,
    pub disk_size_gb: Option<Decimal>,
    pub utilization_pct: Option<Decimal>,
    pub change_rate_pct: Option<Decimal>,
    pub compression_pct: Option<Decimal>,
    pub retention_days: Option<Decimal>,
    pub recovery_points: Option<i64>,
    pub initial_replication_hours: Option<Decimal>,
    pub batch_size: Option<i64>,
    pub era: Option<Era>,
    pub gb_base: Option<GbBase>,
}

/// One input as used: its value and whether it is a default (and the default's source).
#[derive(Debug, Clone, Serialize)]
pub struct Input<T> {
    pub value: T,
    pub defaulted: bool,
    /// Written as `source` and `source_key` when the value is a default.
    #[serde(flatten)]
    pub source: Option<Cited>,
}

impl<T> Input<T> {
    fn given(value: T) -> Self {
        Input { value, defaulted: false, source: None }
    }

    pub(crate) fn default(value: T, source: Cited) -> Self {
        Input { value, defaulted: true, source: Some(source) }
    }
}

/// Every input, resolved and validated. `retention_days` (VMware/physical) and `recovery_points`
/// (Hyper-V) exclude each other.
#[derive(Debug, Clone, Serialize)]
pub struct Inputs {
    pub scenario: Input<Scenario>,
    pub vms: Input<u32>,
    pub disks_per_vm: Input<u32>,
    pub disk_size_gb: Input<Decimal>,
    pub utilization_pct: Input<Decimal>,
    pub change_rate_pct: Input<Decimal>,
    pub compression_pct: Input<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<Input<Decimal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_points: Option<Input<u32>>,
    pub initial_replication_hours: Input<Decimal>,
    pub batch_size: Input<u32>,
    pub era: Input<Era>,
    pub gb_base: Input<GbBase>,
}

impl Inputs {
    /// The overflow of a figure computed from these inputs, naming the options and their values: each is
    /// within its range, so it is their product that is too large.
    fn too_large(&self) -> Error {
        let mut given = vec![
            format!("--vms {}", self.vms.value),
            format!("--disks-per-vm {}", self.disks_per_vm.value),
            format!("--disk-size-gb {}", self.disk_size_gb.value),
            format!("--utilization {}", self.utilization_pct.value),
            format!("--change-rate {}", self.change_rate_pct.value),
            format!("--initial-replication-hours {}", self.initial_replication_hours.value),
        ];
        given.extend(self.retention_days.as_ref().map(|days| format!("--retention-days {}", days.value)));
        let figures = format!("a figure computed from {}", given.join(", "));
        Error::usage(format!("{}; check these averages", crate::model::checked::too_large(figures)))
    }

    /// The names of the inputs that were defaulted, in output order.
    pub fn defaulted(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut push = |name, defaulted| {
            if defaulted {
                names.push(name)
            }
        };
        push("compression_pct", self.compression_pct.defaulted);
        push("retention_days", self.retention_days.as_ref().is_some_and(|i| i.defaulted));
        push("recovery_points", self.recovery_points.as_ref().is_some_and(|i| i.defaulted));
        push("initial_replication_hours", self.initial_replication_hours.defaulted);
        push("batch_size", self.batch_size.defaulted);
        push("era", self.era.defaulted);
        push("gb_base", self.gb_base.defaulted);
        names
    }
}

fn required<T>(value: Option<T>, flag: &str, what: &str) -> Result<T> {
    value.ok_or_else(|| {
        Error::usage(format!("{flag} is required: {what} (the Quick Planner needs every average value)"))
    })
}

fn count(value: i64, flag: &str, what: &str) -> Result<u32> {
    u32::try_from(value).ok().filter(|count| *count >= 1).ok_or_else(|| {
        Error::usage(format!("{flag}: {what} must be a whole number from 1 to {}, found {value}", u32::MAX))
    })
}

fn percent(value: Decimal, flag: &str, what: &str) -> Result<Decimal> {
    if value.is_sign_negative() || value > Decimal::ONE_HUNDRED {
        return Err(Error::usage(format!("{flag}: {what} must be a percentage from 0 to 100, found {value}")));
    }
    Ok(value)
}

fn positive(value: Decimal, flag: &str, what: &str) -> Result<Decimal> {
    if value <= Decimal::ZERO {
        return Err(Error::usage(format!("{flag}: {what} must be above 0, found {value}")));
    }
    Ok(value)
}

/// A whole-number default from the rule file.
fn whole(constants: &PlannerConstants, name: &str) -> Result<u32> {
    let value = constants.value(name);
    if value.fract() != Decimal::ZERO {
        return Err(Error::Rules(vec![RuleProblem {
            file: RULE_FILE.to_string(),
            read_from: None,
            location: None,
            message: format!("constant `{name}`: expected a whole number, found {value}"),
        }]));
    }
    value.to_u32().ok_or_else(|| Error::usage(format!("constant `{name}` is too large")))
}

fn defaulted(constants: &PlannerConstants, name: &str) -> Input<Decimal> {
    Input::default(constants.value(name), default_source(constants, name))
}

/// The source of a default taken from the planner's constants: the constant's name and its citation.
pub(crate) fn default_source(constants: &PlannerConstants, name: &str) -> Cited {
    let source = constants.source(name);
    source.with_text(format!("rules/{RULE_FILE} `{name}`: {source}"))
}

/// The default era's citation.
const DEFAULT_ERA_SOURCE: &str = "csp-planner-choice: the default era is today's published sizing tables";
/// The default conversion's citation.
const DEFAULT_GB_BASE_SOURCE: &str =
    "csp-planner-choice: 1 GB = 1024 MB by default, since the planner's conversion is not published";

impl Request {
    /// Defaults from the rule file, then every check of the issue: counts of at least 1, percentages
    /// from 0 to 100, hours above 0, and the retention input that fits the scenario.
    pub fn resolve(&self, constants: &PlannerConstants) -> Result<Inputs> {
        let scenario = required(self.scenario, "--scenario", "vmware, physical or hyperv")?;
        let hyperv = scenario == Scenario::Hyperv;
        self.check_retention_applies(scenario)?;
        let vms =
            count(required(self.vms, "--vms", "the total number of virtual machines")?, "--vms", "the number of VMs")?;
        let disks_per_vm = count(
            required(self.disks_per_vm, "--disks-per-vm", "the average number of VHDs per virtual machine")?,
            "--disks-per-vm",
            "the number of disks per VM",
        )?;
        let disk_size_gb = positive(
            required(self.disk_size_gb, "--disk-size-gb", "the average size of VHD (in GBs)")?,
            "--disk-size-gb",
            "the average disk size",
        )?;
        let utilization_pct = percent(
            required(self.utilization_pct, "--utilization", "the average utilization per disk (%)")?,
            "--utilization",
            "the disk utilization",
        )?;
        let change_rate_pct = percent(
            required(self.change_rate_pct, "--change-rate", "the average daily data change rate (%)")?,
            "--change-rate",
            "the daily data change rate",
        )?;
        let compression_pct = match self.compression_pct {
            Some(value) => Input::given(percent(value, "--compression", "the compression")?),
            None => defaulted(
                constants,
                match scenario {
                    Scenario::Vmware => "default_compression_pct_vmware",
                    Scenario::Physical => "default_compression_pct_physical",
                    Scenario::Hyperv => "default_compression_pct_hyperv",
                },
            ),
        };
        let (retention_days, recovery_points) = self.retention(hyperv, constants)?;
        let initial_replication_hours = match self.initial_replication_hours {
            Some(value) => {
                Input::given(positive(value, "--initial-replication-hours", "the initial replication window")?)
            }
            None => defaulted(constants, "default_initial_replication_hours"),
        };
        let batch_size = match self.batch_size {
            Some(value) => {
                Input::given(count(value, "--batch-size", "the number of VMs per initial replication batch")?)
            }
            None => {
                let name = "default_batch_size";
                Input::default(whole(constants, name)?, default_source(constants, name))
            }
        };
        let era = match self.era {
            Some(era) => Input::given(era),
            None => Input::default(Era::Current, constants.cite(DEFAULT_ERA_SOURCE)),
        };
        let gb_base = match self.gb_base {
            Some(base) => Input::given(base),
            None => Input::default(GbBase::Binary, constants.cite(DEFAULT_GB_BASE_SOURCE)),
        };
        Ok(Inputs {
            scenario: Input::given(scenario),
            vms: Input::given(vms),
            disks_per_vm: Input::given(disks_per_vm),
            disk_size_gb: Input::given(disk_size_gb),
            utilization_pct: Input::given(utilization_pct),
            change_rate_pct: Input::given(change_rate_pct),
            compression_pct,
            retention_days,
            recovery_points,
            initial_replication_hours,
            batch_size,
            era,
            gb_base,
        })
    }

    /// `--retention-days` and `--recovery-points` each belong to their scenarios.
    fn check_retention_applies(&self, scenario: Scenario) -> Result<()> {
        let hyperv = scenario == Scenario::Hyperv;
        if hyperv && self.retention_days.is_some() {
            return Err(Error::usage(
                "--retention-days does not apply to --scenario hyperv: Hyper-V retention is a number of recovery \
                 points (the Quick Planner's Retention Inputs: \"Retention in days ... N/A\" for Hyper-V); use --recovery-points",
            ));
        }
        if !hyperv && self.recovery_points.is_some() {
            return Err(Error::usage(format!(
                "--recovery-points applies to --scenario hyperv only; --scenario {} keeps recovery points for a number \
                 of days (the Quick Planner's Retention Inputs); use --retention-days",
                scenario.as_str()
            )));
        }
        Ok(())
    }

    /// The retention input that fits the scenario: recovery points for Hyper-V, days otherwise.
    #[allow(clippy::type_complexity)]
    fn retention(
        &self,
        hyperv: bool,
        constants: &PlannerConstants,
    ) -> Result<(Option<Input<Decimal>>, Option<Input<u32>>)> {
        Ok(if hyperv {
            let points = match self.recovery_points {
                Some(value) => Input::given(u32::try_from(value).map_err(|_| {
                    Error::usage(format!(
                        "--recovery-points: the number of recovery points must be a whole number from 0 to {}, found \
                         {value}",
                        u32::MAX
                    ))
                })?),
                None => {
                    let name = "default_recovery_points";
                    Input::default(whole(constants, name)?, default_source(constants, name))
                }
            };
            (None, Some(points))
        } else {
            let days = match self.retention_days {
                Some(value) if value.is_sign_negative() && !value.is_zero() => {
                    return Err(Error::usage(format!(
                        "--retention-days: the retention must be 0 days or more, found {value}"
                    )));
                }
                Some(value) => Input::given(value),
                None => defaulted(constants, "default_retention_days"),
            };
            (Some(days), None)
        })
    }
}

// ------------------------------------------------------------------------------------------ arithmetic

/// Checked arithmetic: averages the size of a country would overflow a Decimal; that is bad input, not
/// a panic. [`QuickPlan::build`] names the options the figures come from ([`Inputs::too_large`]).
fn too_large() -> Error {
    Error::usage(crate::model::checked::too_large("a figure of the plan"))
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(too_large)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_div(b).ok_or_else(too_large)
}

fn pct(value: Decimal) -> Decimal {
    value / Decimal::ONE_HUNDRED
}

/// Up to the next whole number, as a count.
pub fn ceil_count(value: Decimal) -> Result<u64> {
    value.ceil().to_u64().ok_or_else(too_large)
}

/// Up to the next multiple of `step` (this tool's bandwidth convention, `bandwidth_step_mbps`).
fn ceil_to(value: Decimal, step: Decimal) -> Result<Decimal> {
    mul(div(value, step)?.ceil(), step)
}

// The formulas the Detailed Planner shares (issue 4: its totals are the Quick Planner's outputs).

/// F3: data after WAN compression, GB × (1 − compression %).
pub fn after_compression(gb: Decimal, compression_pct: Decimal) -> Result<Decimal> {
    mul(gb, Decimal::ONE - pct(compression_pct))
}

/// F4-F5: `gb` sent in `seconds`, in megabits per second (1 GB = `base` MB × `bits_per_byte`).
pub fn megabits_per_second(gb: Decimal, seconds: Decimal, base: GbBase, c: &PlannerConstants) -> Result<Decimal> {
    let gb_to_megabits = mul(Decimal::from(base.value()), c.value("bits_per_byte"))?;
    div(mul(gb, gb_to_megabits)?, seconds)
}

/// The provisioning bandwidth: up to the next multiple of `bandwidth_step_mbps` (this tool's convention).
pub fn provisioning_mbps(raw: Decimal, c: &PlannerConstants) -> Result<Decimal> {
    ceil_to(raw, c.value("bandwidth_step_mbps"))
}

/// F6's retention in days: the days given, or (Hyper-V) recovery points × hours each ÷ hours per day.
pub fn retention_in_days(
    days: Option<&Input<Decimal>>,
    points: Option<&Input<u32>>,
    c: &PlannerConstants,
) -> Result<Decimal> {
    match (days, points) {
        (Some(days), _) => Ok(days.value),
        (None, Some(points)) => {
            div(mul(Decimal::from(points.value), c.value("hours_per_recovery_point"))?, c.value("hours_per_day"))
        }
        (None, None) => Ok(Decimal::ZERO),
    }
}

/// F6: replicated data + transferred data per day × retention days.
pub fn storage_required_gb(
    total_gb: Decimal,
    transferred_per_day_gb: Decimal,
    retention_days: Decimal,
) -> Result<Decimal> {
    total_gb.checked_add(mul(transferred_per_day_gb, retention_days)?).ok_or_else(too_large)
}

/// F7: IOPS = data changed per day in KB (GB × base²) ÷ seconds per day ÷ the I/O size in KB, unrounded.
pub fn iops_at(
    changed_per_day_gb: Decimal,
    io_size_kb: Decimal,
    base: GbBase,
    c: &PlannerConstants,
) -> Result<Decimal> {
    let base = Decimal::from(base.value());
    let kb_per_day = mul(mul(changed_per_day_gb, base)?, base)?;
    div(div(kb_per_day, c.value("seconds_per_day"))?, io_size_kb)
}

/// Every figure, unrounded.
#[derive(Debug, Clone)]
pub struct Figures {
    pub total_data_gb: Decimal,
    pub changed_per_day_gb: Decimal,
    pub transferred_per_day_gb: Decimal,
    pub batch_vms: u32,
    pub initial_batch_gb: Decimal,
    pub delta_mbps_raw: Decimal,
    pub delta_mbps: Decimal,
    pub initial_mbps_raw: Decimal,
    pub initial_mbps: Decimal,
    pub retention_days: Decimal,
    pub storage_gb: Decimal,
    pub standard_iops_exact: Decimal,
    pub premium_iops_exact: Decimal,
    pub per_disk_iops: Decimal,
    pub premium: bool,
    pub standard_iops: u64,
    pub standard_accounts: u64,
    pub blob_disks: u64,
    pub premium_accounts: u64,
    pub premium_iops: u64,
    /// Hyper-V only: the source-side free space for one initial-replication batch, in GB.
    pub source_storage_gb: Option<Decimal>,
}

/// The Quick Planner's arithmetic (digest §4.8); every formula names its source.
pub fn compute(inputs: &Inputs, c: &PlannerConstants) -> Result<Figures> {
    let n = Decimal::from(inputs.vms.value);
    let d = Decimal::from(inputs.disks_per_vm.value);
    let size = inputs.disk_size_gb.value;
    let utilization = pct(inputs.utilization_pct.value);
    let change = pct(inputs.change_rate_pct.value);
    let compression = pct(inputs.compression_pct.value);

    // F1 (seed L13517 "Total data to be replicated"): VMs × disks per VM × disk size × utilization.
    let total_data_gb = mul(mul(mul(n, d)?, size)?, utilization)?;
    // F2 (seed L13520 "Amount of data changed per day"): F1 × daily change rate.
    let changed_per_day_gb = mul(total_data_gb, change)?;
    // F3 (seed L13522 "Amount of data Xfered per day"): F2 × (1 − compression); compression is WAN
    // compression (seed L13455).
    let transferred_per_day_gb = after_compression(changed_per_day_gb, inputs.compression_pct.value)?;

    // GB → megabits: --gb-base MB per GB × bits per byte (8192 by default; digest §4.8 F4-F5).
    let gb_base = inputs.gb_base.value;

    // F5 (seed L13578 "Calculated based on average daily data change rate"): a day's transferred data
    // spread over the day.
    let delta_mbps_raw = megabits_per_second(transferred_per_day_gb, c.value("seconds_per_day"), gb_base, c)?;
    // F4 (seed L13579; digest §4.8): one batch of min(batch size, VMs) average VMs, compressed like all
    // replication traffic (WAN compression, seed L13455), sent within the initial-replication window.
    let batch_vms = inputs.batch_size.value.min(inputs.vms.value);
    let initial_batch_gb = mul(mul(div(total_data_gb, n)?, Decimal::from(batch_vms))?, Decimal::ONE - compression)?;
    let window_seconds = mul(inputs.initial_replication_hours.value, c.value("seconds_per_hour"))?;
    let initial_mbps_raw = megabits_per_second(initial_batch_gb, window_seconds, gb_base, c)?;
    // Provisioning figures: up to the next multiple of `bandwidth_step_mbps` (this tool's convention,
    // chosen to match the seed's 10 and 100 Mbps, L13562-L13563).
    let delta_mbps = provisioning_mbps(delta_mbps_raw, c)?;
    let initial_mbps = provisioning_mbps(initial_mbps_raw, c)?;

    // F6 (seed L13566 "Storage required", rule not given; digest §4.8): replicated data + transferred data
    // per day × retention days. Hyper-V: recovery points × hours each ÷ hours per day.
    let retention_days = retention_in_days(inputs.retention_days.as_ref(), inputs.recovery_points.as_ref(), c)?;
    let storage_gb = storage_required_gb(total_data_gb, transferred_per_day_gb, retention_days)?;

    // F9 (seed L13569 "Number of Blob disks required"): one Azure disk per source disk.
    let blob_disks = u64::from(inputs.vms.value) * u64::from(inputs.disks_per_vm.value);

    // F7 (seed L13581, digest §4.8): IOPS = bytes changed per second ÷ I/O size. Changed, not transferred:
    // compression happens on the WAN; Azure storage writes the data uncompressed.
    // GB/day × base² KB/GB ÷ KB per I/O ÷ seconds per day.
    let standard_iops_exact = iops_at(changed_per_day_gb, c.value("standard_io_size_kb"), gb_base, c)?;
    let premium_iops_exact = iops_at(changed_per_day_gb, c.value("premium_io_size_kb"), gb_base, c)?;
    let Accounts { per_disk_iops, premium, standard_iops, standard_accounts, premium_iops, premium_accounts } =
        storage_accounts(standard_iops_exact, premium_iops_exact, blob_disks, c)?;

    // F14 (seed L13575, L13590; anchors.md §1.3): Hyper-V needs free space on the source of
    // `hyperv_source_storage_pct` % of the VHD size of the VMs being initially replicated — one batch.
    let source_storage_gb = hyperv_source_storage_gb(inputs, batch_vms, c)?;

    Ok(Figures {
        total_data_gb,
        changed_per_day_gb,
        transferred_per_day_gb,
        batch_vms,
        initial_batch_gb,
        delta_mbps_raw,
        delta_mbps,
        initial_mbps_raw,
        initial_mbps,
        retention_days,
        storage_gb,
        standard_iops_exact,
        premium_iops_exact,
        per_disk_iops,
        premium,
        standard_iops,
        standard_accounts,
        blob_disks,
        premium_accounts,
        premium_iops,
        source_storage_gb,
    })
}

/// F14: the free space a Hyper-V source needs for one initial-replication batch; `None` for other scenarios.
fn hyperv_source_storage_gb(inputs: &Inputs, batch_vms: u32, c: &PlannerConstants) -> Result<Option<Decimal>> {
    if inputs.scenario.value != Scenario::Hyperv {
        return Ok(None);
    }
    let vhd_gb =
        mul(mul(Decimal::from(batch_vms), Decimal::from(inputs.disks_per_vm.value))?, inputs.disk_size_gb.value)?;
    Ok(Some(mul(vhd_gb, pct(c.value("hyperv_source_storage_pct")))?))
}

/// The storage accounts the disks need (F8, F10-F11), standard or premium.
struct Accounts {
    per_disk_iops: Decimal,
    premium: bool,
    standard_iops: u64,
    standard_accounts: u64,
    premium_iops: u64,
    premium_accounts: u64,
}

fn storage_accounts(
    standard_iops_exact: Decimal,
    premium_iops_exact: Decimal,
    blob_disks: u64,
    c: &PlannerConstants,
) -> Result<Accounts> {
    // A standard disk serves at most `standard_disk_iops` (seed L13582); when the average disk needs more,
    // every disk goes to premium storage (the Detailed Planner's per-disk rule, anchors.md §1.1).
    let per_disk_iops = div(standard_iops_exact, Decimal::from(blob_disks))?;
    let premium = per_disk_iops > c.value("standard_disk_iops");
    let (standard_iops, standard_accounts, premium_iops, premium_accounts) = if premium {
        // F10-F11 (seed L13584-L13585): IOPS at the premium I/O size, 80,000 per premium account.
        let iops = ceil_count(premium_iops_exact)?;
        let accounts = ceil_count(div(Decimal::from(iops), c.value("premium_account_iops"))?)?.max(1);
        (0, 0, iops, accounts)
    } else {
        // F8 (seed L13582): an account holds 20,000 IOPS and each disk may use up to 500, so accounts =
        // max(ceil(IOPS ÷ 20,000), ceil(disks × 500 ÷ 20,000)) — no account can be throttled even when
        // every disk runs at its limit.
        let iops = ceil_count(standard_iops_exact)?;
        let per_account = c.value("standard_account_iops");
        let by_iops = ceil_count(div(Decimal::from(iops), per_account)?)?;
        let by_disks = ceil_count(div(mul(Decimal::from(blob_disks), c.value("standard_disk_iops"))?, per_account)?)?;
        (iops, by_iops.max(by_disks), 0, 0)
    };
    Ok(Accounts { per_disk_iops, premium, standard_iops, standard_accounts, premium_iops, premium_accounts })
}

// ------------------------------------------------------------------------------------------ the report

/// The configuration and process servers: sized from the sizing tables for VMware and physical; Hyper-V
/// needs none (a note says why).
pub(crate) fn server_sizing(
    rules: &Rules,
    scenario: Scenario,
    era: Era,
    machines: u32,
    transferred_per_day_gb: Decimal,
    notes: &mut Vec<String>,
) -> (SizingOptions, u32, u32) {
    if scenario == Scenario::Hyperv {
        notes.push(
            "Hyper-V to Azure replicates through the Site Recovery Provider and Recovery Services agent on the \
             Hyper-V hosts; configuration and process servers belong to the VMware/physical architecture (Microsoft's \
             Azure CSP documentation, \"Azure Site Recovery setup guide for migrations\", section \"Azure Site \
             Recovery architecture\"), so none are sized."
                .to_string(),
        );
        (SizingOptions { scale_up: Vec::new(), scale_out: Vec::new() }, 0, 0)
    } else {
        let result = sizing::size(rules.sizing(era), machines, transferred_per_day_gb.normalize());
        notes.extend(result.notes.iter().cloned());
        (
            SizingOptions { scale_up: result.scale_up, scale_out: result.scale_out },
            result.configuration_servers,
            result.additional_process_servers,
        )
    }
}

/// Both sizing options for the configuration and process servers.
#[derive(Debug, Clone, Serialize)]
pub struct SizingOptions {
    pub scale_up: Vec<ServerSpec>,
    pub scale_out: Vec<ServerSpec>,
}

/// `capacity quick`'s result: the JSON contract of issue 4.
#[derive(Debug, Clone, Serialize)]
pub struct QuickPlan {
    pub schema_version: u32,
    pub tool: Tool,
    pub planner: &'static str,
    pub total_data_to_replicate_gb: Decimal,
    pub data_changed_per_day_gb: Decimal,
    pub data_transferred_per_day_gb: Decimal,
    pub delta_replication_mbps: Decimal,
    pub delta_replication_mbps_raw: Decimal,
    pub initial_replication_mbps: Decimal,
    pub initial_replication_mbps_raw: Decimal,
    pub storage_required_gb: Decimal,
    pub standard_storage_iops: u64,
    pub standard_storage_accounts: u64,
    pub blob_disks: u64,
    pub premium_storage_accounts: u64,
    pub premium_storage_iops: u64,
    pub configuration_servers: u32,
    pub additional_process_servers: u32,
    pub additional_source_storage: String,
    pub sizing: SizingOptions,
    pub inputs: Inputs,
    pub notes: Vec<String>,
}

impl crate::output::Json for QuickPlan {}

/// Display rounding: two decimals, half away from zero, trailing zeros dropped. Figures are exact
/// before this.
pub fn display(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize()
}

impl QuickPlan {
    pub fn build(inputs: Inputs, rules: &Rules) -> Result<Self> {
        let constants = &rules.planner;
        let f = compute(&inputs, constants).map_err(|_| inputs.too_large())?;
        let scenario = inputs.scenario.value;
        let mut notes = Vec::new();

        // Server sizing (F12-F13): VMware/physical architecture only.
        let (sizing_options, configuration_servers, additional_process_servers) =
            server_sizing(rules, scenario, inputs.era.value, inputs.vms.value, f.transferred_per_day_gb, &mut notes);

        notes.extend(assumption_notes(&inputs, constants, &f));

        let additional_source_storage = match f.source_storage_gb {
            Some(gb) => display(gb).to_string(),
            None => "NA".to_string(),
        };
        Ok(QuickPlan {
            schema_version: crate::inventory::SCHEMA_VERSION,
            tool: Tool::current(),
            planner: "quick",
            total_data_to_replicate_gb: display(f.total_data_gb),
            data_changed_per_day_gb: display(f.changed_per_day_gb),
            data_transferred_per_day_gb: display(f.transferred_per_day_gb),
            delta_replication_mbps: display(f.delta_mbps),
            delta_replication_mbps_raw: display(f.delta_mbps_raw),
            initial_replication_mbps: display(f.initial_mbps),
            initial_replication_mbps_raw: display(f.initial_mbps_raw),
            storage_required_gb: display(f.storage_gb),
            standard_storage_iops: f.standard_iops,
            standard_storage_accounts: f.standard_accounts,
            blob_disks: f.blob_disks,
            premium_storage_accounts: f.premium_accounts,
            premium_storage_iops: f.premium_iops,
            configuration_servers,
            additional_process_servers,
            additional_source_storage,
            sizing: sizing_options,
            inputs,
            notes,
        })
    }
}

/// The assumptions and the seed's contradictions that affect these numbers.
fn assumption_notes(inputs: &Inputs, c: &PlannerConstants, f: &Figures) -> Vec<String> {
    let base = inputs.gb_base.value.value();
    let step = c.value("bandwidth_step_mbps");
    let mut notes = Vec::new();
    let defaulted = inputs.defaulted();
    if !defaulted.is_empty() {
        notes.push(format!(
            "Defaulted inputs: {}; `inputs` gives each value and the source of its default (rules/{RULE_FILE}, from \
             the Quick Planner's and the Detailed Planner's property tables in the capacity-planning guide of Microsoft's Azure CSP documentation).",
            defaulted.join(", ")
        ));
    }
    notes.push(format!(
        "Bandwidth: the raw figures are averages (delta: a day's transferred data over 86,400 s; initial: one batch \
         of {} VM(s) = min(batch size, VMs) over the initial-replication window), with 1 GB = {base} MB × {} bits. \
         The provisioning figures round them up to the next multiple of {} Mbps: this is csp-planner's convention, \
         chosen to match the sample Capacity Planning report of the capacity-planning guide of Microsoft's Azure CSP documentation (10 and 100 Mbps), which states no rounding rule.",
        f.batch_vms,
        c.value("bits_per_byte"),
        step.normalize()
    ));
    if !inputs.compression_pct.value.is_zero() {
        notes.push(format!(
            "Compression ({} %) is applied to both the daily transfer and the initial replication: the capacity-planning guide of Microsoft's Azure CSP documentation calls it \
             WAN compression, which acts on all replication traffic. Storage IOPS use the \
             uncompressed change, which is what Azure storage writes.",
            inputs.compression_pct.value.normalize()
        ));
    } else {
        notes.push(
            "Compression, when given, is applied to both the daily transfer and the initial replication (WAN \
             compression in the capacity-planning guide of Microsoft's Azure CSP documentation); its sample has 0 %, \
             so it cannot tell."
                .to_string(),
        );
    }
    notes.push(format!(
        "Storage required = total data to replicate + data transferred per day × {} retention day(s) = {} GB. The \
         sample Capacity Planning report of the capacity-planning guide of Microsoft's Azure CSP documentation prints 781.67 GB (781.6666667) for 700 GB and 35 GB/day over 3 \
         days, which no stated rule yields; this figure is the documented rule, not the workbook's.",
        display(f.retention_days),
        display(f.storage_gb)
    ));
    if let Some(points) = &inputs.recovery_points {
        notes.push(format!(
            "Hyper-V retention: each of the {} recovery point(s) counts as {} hour(s) of retention (csp-planner's own \
             choice: the capacity-planning guide of Microsoft's Azure CSP documentation gives Hyper-V retention in hours in the Quick Planner's property table, and as recovery \
             points in the Detailed Planner's).",
            points.value,
            c.value("hours_per_recovery_point").normalize()
        ));
    }
    notes.extend(storage_notes(inputs, c, f));
    if inputs.change_rate_pct.value < Decimal::ONE && !inputs.change_rate_pct.value.is_zero() {
        notes.push(
            "The capacity-planning guide of Microsoft's Azure CSP documentation says change rates below 1 % are \
             \"automatically converted to 0\" by the workbook (section \"Calculate the daily data change rate\"); \
             csp-planner keeps the value given."
                .to_string(),
        );
    }
    notes
}

/// How IOPS, the storage accounts and (Hyper-V) the source's free space are worked out.
fn storage_notes(inputs: &Inputs, c: &PlannerConstants, f: &Figures) -> Vec<String> {
    let mut notes = Vec::new();
    notes.push(format!(
        "IOPS at the standard I/O size = data changed per day in bytes ÷ 86,400 s ÷ the {} KB I/O size = {} (rounded up). The \
         output field descriptions of the capacity-planning guide of Microsoft's Azure CSP documentation write \"8,000 ... unit size\", read as the 8 KB I/O size of the \
         published planner documentation; its sample report prints 342 IOPS, which no stated rule yields.",
        c.value("standard_io_size_kb").normalize(),
        f.standard_iops_exact.ceil()
    ));
    if f.premium {
        notes.push(format!(
            "The average disk needs {} IOPS at the 8 KB I/O size, above the {} IOPS a standard disk serves (the \
             output field descriptions of the capacity-planning guide of Microsoft's Azure CSP documentation): every disk is placed on premium storage, at the {} KB I/O size and \
             {} IOPS per premium account.",
            display(f.per_disk_iops),
            c.value("standard_disk_iops").normalize(),
            c.value("premium_io_size_kb").normalize(),
            c.value("premium_account_iops").normalize()
        ));
    } else {
        notes.push(format!(
            "Standard storage accounts = max(IOPS ÷ {a}, disks × {d} ÷ {a}), each rounded up: an account holds {a} \
             IOPS and each disk may use up to {d} (the output field descriptions of the capacity-planning guide of Microsoft's Azure CSP documentation). Premium storage is used only when the average \
             disk needs more than {d} IOPS (here {}); the Quick Planner has no per-VM mapping to premium (DS/GS) \
             sizes, so premium accounts and IOPS are 0.",
            display(f.per_disk_iops),
            a = c.value("standard_account_iops").normalize(),
            d = c.value("standard_disk_iops").normalize()
        ));
    }
    if inputs.scenario.value == Scenario::Hyperv {
        notes.push(format!(
            "100% additional storage on the Source: {} % of the VHD size of one initial-replication batch ({} VM(s) × \
             {} disk(s) × {} GB) must be free on the Hyper-V source during initial replication (Microsoft Learn, \
             Hyper-V Deployment Planner report: \"100 percent additional free space of the VHD size for initial \
             replication\", https://learn.microsoft.com/azure/site-recovery/hyper-v-deployment-planner-analyze-report); the space is reused from batch to batch.",
            c.value("hyperv_source_storage_pct").normalize(),
            f.batch_vms,
            inputs.disks_per_vm.value,
            inputs.disk_size_gb.value.normalize()
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    #[test]
    fn its_own_citations_name_registry_entries() {
        crate::rules::sources::assert_names_registry_entries(&[DEFAULT_ERA_SOURCE, DEFAULT_GB_BASE_SOURCE]);
    }

    use super::*;

    fn sample() -> Request {
        Request {
            scenario: Some(Scenario::Vmware),
            vms: Some(2),
            disks_per_vm: Some(2),
            disk_size_gb: Some(Decimal::from(500)),
            utilization_pct: Some(Decimal::from(35)),
            change_rate_pct: Some(Decimal::from(5)),
            compression_pct: Some(Decimal::ZERO),
            ..Request::default()
        }
    }

    #[test]
    fn the_seed_sample_from_the_embedded_constants() {
        let constants = crate::rules::Rules::embedded().planner.clone();
        let inputs = sample().resolve(&constants).unwrap();
        let f = compute(&inputs, &constants).unwrap();
        assert_eq!(f.total_data_gb, Decimal::from(700));
        assert_eq!(f.changed_per_day_gb, Decimal::from(35));
        assert_eq!(f.transferred_per_day_gb, Decimal::from(35));
        assert_eq!(display(f.delta_mbps_raw).to_string(), "3.32");
        assert_eq!(display(f.initial_mbps_raw).to_string(), "99.56");
        assert_eq!(f.delta_mbps, Decimal::from(10));
        assert_eq!(f.initial_mbps, Decimal::from(100));
        assert_eq!(f.storage_gb, Decimal::from(805));
        assert_eq!((f.standard_accounts, f.blob_disks, f.premium_accounts, f.premium_iops), (1, 4, 0, 0));
    }

    #[test]
    fn heavy_change_goes_to_premium() {
        let constants = crate::rules::Rules::embedded().planner.clone();
        let mut request = sample();
        request.disk_size_gb = Some(Decimal::from(4000));
        request.utilization_pct = Some(Decimal::from(100));
        request.change_rate_pct = Some(Decimal::from(100));
        let f = compute(&request.resolve(&constants).unwrap(), &constants).unwrap();
        assert!(f.premium);
        assert_eq!((f.standard_iops, f.standard_accounts), (0, 0));
        assert!(f.premium_accounts >= 1 && f.premium_iops > 0);
    }

    #[test]
    fn huge_inputs_are_an_error_not_a_panic() {
        let constants = crate::rules::Rules::embedded().planner.clone();
        let mut request = sample();
        request.vms = Some(i64::from(u32::MAX));
        request.disks_per_vm = Some(i64::from(u32::MAX));
        request.disk_size_gb = Some(Decimal::MAX);
        let error = compute(&request.resolve(&constants).unwrap(), &constants).unwrap_err();
        assert_eq!(error.exit_code(), 2);
    }
}
