//! The command line: clap definitions and dispatch. Every command follows the same conventions
//! (README "CLI conventions"): `--format` with the formats the command writes, `-o FILE`, exit codes 0 / 2 / 1.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use rust_decimal::Decimal;

#[derive(Debug, Parser)]
#[command(
    name = "csp-planner",
    version,
    about = "Assess, plan and size Azure estates and on-premises servers for a move into Azure CSP"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read resource lists and usage exports into one normalised inventory
    Inventory(EstateArgs<InventoryFormatArg, NoHtml>),
    /// Classify every resource: CSP Status, Suggested Approach, reasons and sources
    Assess(EstateArgs<FormatArg, TemplatesArg>),
    /// Group resources into batches that must move together, with their status and the steps that unblock them
    Plan(PlanArgs),
    /// What the usage costs today (EA) and in CSP, per resource × meter, per subscription and overall
    Cost(CostArgs),
    /// Classify servers and applications green / yellow / red, with reasons, groups and overrides
    Workloads(WorkloadsArgs),
    /// How each subscription reaches the partner's Azure plan (billing transfer, resource move, partner transfer or
    /// redeploy), who acts, and what does not carry over
    Transfer(TransferArgs),
    /// The main job: everything the inputs allow, into a folder (workbooks, report.json, runbooks)
    Report(ReportArgs),
    /// Check, explain and export the rule files
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Export the embedded report.html templates (to brand them; use them with --templates DIR)
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Size an Azure Site Recovery migration: bandwidth, storage, IOPS, configuration and process servers
    #[command(subcommand)]
    Capacity(CapacityCommand),
}

/// Where the result goes; shared by every command that writes one result. `F`: the command's `--format` values,
/// exactly the formats it writes, so that `--help` lists those and clap refuses the others.
#[derive(Debug, Args)]
pub struct OutputArgs<F: clap::ValueEnum + Clone + Send + Sync + 'static> {
    /// Output format; default: from the extension of -o, else a table
    #[arg(long, value_enum)]
    pub format: Option<F>,
    #[command(flatten)]
    pub output: OutputFileArg,
}

/// `-o FILE` (`OutputArgs`, `plan`).
#[derive(Debug, Clone, Default, Args)]
pub struct OutputFileArg {
    /// Write the result to FILE (atomically) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--templates DIR`: the commands that write HTML.
#[derive(Debug, Clone, Default, Args)]
pub struct TemplatesArg {
    /// With HTML output: use the templates of DIR in place of the embedded ones of the same name
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

/// `--rules DIR`: every command that reads the rule files.
#[derive(Debug, Clone, Default, Args)]
pub struct RulesArg {
    /// Lay the rule files of DIR over the embedded ones (same name replaces, new names add)
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// `--sheet NAME`: the commands that read workbooks of resources or usage.
#[derive(Debug, Clone, Default, Args)]
pub struct SheetArg {
    /// In workbooks, read this sheet instead of the first one whose header is recognised
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

/// The one-option groups read like the `Option` they hold (`args.rules.as_deref()`), so the commands need not
/// know they are groups. `as_ref` for the folders the outputs must not replace (`commands::run_inputs`).
macro_rules! optional_value {
    ($group:ident, $field:ident: $borrowed:ty) => {
        impl $group {
            pub fn as_deref(&self) -> Option<&$borrowed> {
                self.$field.as_deref()
            }
        }
    };
    ($group:ident, $field:ident: $borrowed:ty, as_ref) => {
        optional_value!($group, $field: $borrowed);
        impl $group {
            pub fn as_ref(&self) -> Option<&PathBuf> {
                self.$field.as_ref()
            }
        }
    };
}
optional_value!(OutputFileArg, output: std::path::Path);
optional_value!(TemplatesArg, templates: std::path::Path, as_ref);
optional_value!(RulesArg, rules: std::path::Path, as_ref);
optional_value!(SheetArg, sheet: str);

/// The Site Recovery planners' settings that `capacity quick` and `capacity detailed` share.
/// Percentages may be written `35` or `35%`.
#[derive(Debug, Args)]
pub struct PlannerArgs {
    /// Compression (%); default 30 for vmware, 0 for physical and hyperv
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub compression: Option<Decimal>,
    /// Retention in days (vmware, physical); default 3
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true, value_parser = parse_number)]
    pub retention_days: Option<Decimal>,
    /// Number of recovery points (hyperv; each counts as one hour of retention); default 16
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub recovery_points: Option<i64>,
    /// Hours in which initial replication of a batch should complete; default 16
    #[arg(long, value_name = "HOURS", allow_negative_numbers = true, value_parser = parse_number)]
    pub initial_replication_hours: Option<Decimal>,
    /// Megabytes per gigabyte (and kilobytes per megabyte); default 1024
    #[arg(long, value_enum, value_name = "BASE")]
    pub gb_base: Option<GbBaseArg>,
}

/// How inputs are read; shared by every command that reads inventories.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files: az / Resource Graph JSON, portal CSV, usage CSV, or XLSX holding one of them.
    /// With none, the bundled sample estate is read.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Skip detection and read every input as this kind
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputFormatArg>,
    #[command(flatten)]
    pub sheet: SheetArg,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// What the commands that read an estate take: inputs, output, and whether to keep `properties`. `F`: the
/// command's formats; `H`: its HTML options ([`TemplatesArg`], or [`NoHtml`]).
#[derive(Debug, Args)]
pub struct EstateArgs<F: clap::ValueEnum + Clone + Send + Sync + 'static, H: Args> {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs<F>,
    #[command(flatten)]
    pub templates: H,
    /// Keep each resource's `properties` in the JSON output
    #[arg(long)]
    pub with_properties: bool,
}

/// The HTML options of a command that writes no HTML: none.
#[derive(Debug, Args)]
pub struct NoHtml {}

/// `plan`: the inputs, the output, and where the batches go.
#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format (dot and mermaid draw the dependency graph, batches as clusters coloured by status; html is
    /// report.html's assessment and move plan); default: from the extension of -o (.json, .dot/.gv, .mmd, .xlsx,
    /// .html), else a table
    #[arg(long, value_enum)]
    pub format: Option<PlanFormatArg>,
    #[command(flatten)]
    pub output: OutputFileArg,
    /// Also write the move runbooks into DIR: DIR/<subscription-id>/runbook.sh (Azure CLI) and runbook.ps1
    /// (Azure PowerShell), and DIR/README.md, replacing a previous set whole (a folder holding other files is
    /// refused). They are never run by csp-planner.
    #[arg(long, value_name = "DIR")]
    pub scripts: Option<PathBuf>,
    #[command(flatten)]
    pub templates: TemplatesArg,
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Where the move plan's batches go (`plan`, `report`).
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The CSP subscription the batches move to (recorded in the plan and the runbooks)
    #[arg(long, value_name = "ID")]
    pub target_subscription: Option<String>,
    /// The resource group in the CSP subscription the batches move to; default: a placeholder
    #[arg(long, value_name = "NAME")]
    pub target_resource_group: Option<String>,
}

/// The command line converts to the plan's type: the plan knows nothing of clap.
impl From<&TargetArgs> for crate::plan::PlanTarget {
    fn from(args: &TargetArgs) -> Self {
        crate::plan::PlanTarget {
            subscription_id: args.target_subscription.clone(),
            resource_group: args.target_resource_group.clone(),
        }
    }
}

/// The CSP price source and the partner's terms (`cost`, `report`).
#[derive(Debug, Args)]
pub struct CostTermsArgs {
    /// The CSP prices: a price list in the layout of the Azure CSP Migration Assessment Tool's CSP Cost Assessment (XLSX or CSV, one column per currency) or a Partner
    /// Center rate-card JSON. Without it, CSP rate = EA rate × (1 − discount)
    #[arg(long, value_name = "FILE")]
    pub price_list: Option<PathBuf>,
    /// The CSP discount in percent (the CSP Cost Assessment's "CSP discount [%]"); with a price list it applies on top of it
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub discount: Option<Decimal>,
    /// The partner's markup in percent: adds Customer Price and Partner Margin
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub markup: Option<Decimal>,
    /// The currency (ISO code) when the usage names none (BillingCurrency); must match it when it does
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Rescale the costs to a period of N days (e.g. 30); default: the period the usage covers
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub period_days: Option<i64>,
}

/// `workloads`: server inventories, the side files that group and decide, and the era of the limits.
#[derive(Debug, Args)]
pub struct WorkloadsArgs {
    /// Server inventories: RVTools exports (xlsx, or the RVTools_tabvInfo.csv of a CSV export), the planner's
    /// server table (CSV/XLSX), Azure Migrate import CSV, Azure Migrate Export discovery report.
    /// With none, the bundled sample's servers.
    #[arg(value_name = "SERVERS")]
    pub servers: Vec<PathBuf>,
    #[command(flatten)]
    pub files: WorkloadFileArgs,
    /// Limits, VM sizes and supported operating systems: today's (default) or the 2017 ones of Microsoft's Azure CSP documentation
    #[arg(long, value_enum)]
    pub era: Option<EraArg>,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub output: OutputArgs<FormatArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
}

/// The side files of the workloads (`workloads`; in `report` they need server inventories among the inputs, or no
/// input at all for the bundled sample's servers).
#[derive(Debug, Args)]
pub struct WorkloadFileArgs {
    /// Workloads: server-to-application mapping (CSV/XLSX with the columns Server, Application)
    #[arg(long, value_name = "FILE")]
    pub applications: Option<PathBuf>,
    /// Workloads: Azure Migrate dependency export (CSV/XLSX: Source server name, Destination server name,
    /// Destination port): servers not otherwise grouped form applications by connected components
    #[arg(long, value_name = "FILE")]
    pub dependencies: Option<PathBuf>,
    /// Workloads: the consultant's decisions (CSV/XLSX: Application or Server, Color, Reason, Author, optional
    /// Category)
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
}

impl WorkloadFileArgs {
    /// The side files given, with their option names.
    pub fn given(&self) -> impl Iterator<Item = (&'static str, &PathBuf)> {
        [
            ("--applications", &self.applications),
            ("--dependencies", &self.dependencies),
            ("--overrides", &self.overrides),
        ]
        .into_iter()
        .filter_map(|(option, path)| path.as_ref().map(|p| (option, p)))
    }
}

/// `report`: any inputs, the folder to write into, and the terms of the plan and the cost.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Resource inventories (az / Resource Graph JSON, portal CSV), usage exports and server inventories
    /// (RVTools, the planner's table, Azure Migrate CSV or discovery report), detected by content. With none, the
    /// bundled sample.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The folder to write into (created if missing). A previous report there is replaced whole, once the new one
    /// is complete; a folder holding other files is refused (they are never deleted)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    #[command(flatten)]
    pub terms: CostTermsArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub sheet: SheetArg,
    #[command(flatten)]
    pub rules: RulesArg,
    /// The workloads' side files; they need server inventories among the inputs (or no input: the sample's servers)
    #[command(flatten)]
    pub workload_files: WorkloadFileArgs,
    /// Limits, VM sizes and supported operating systems of the workloads and the capacity plan: today's (default)
    /// or the 2017 ones of Microsoft's Azure CSP documentation
    #[arg(long, value_enum)]
    pub era: Option<EraArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
    #[command(flatten)]
    pub customer: CustomerArg,
}

/// `cost`: usage exports, the CSP price source and the partner's terms.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Usage exports (EA / Cost Management / pay-as-you-go usage CSV, or XLSX holding one).
    /// With none, the bundled sample's usage is read.
    #[arg(value_name = "USAGE")]
    pub usage: Vec<PathBuf>,
    #[command(flatten)]
    pub terms: CostTermsArgs,
    #[command(flatten)]
    pub sheet: SheetArg,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub output: OutputArgs<FormatArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
    /// The customer file (its `currency` is used when the usage names none and --currency is not given)
    #[command(flatten)]
    pub customer: CustomerArg,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the embedded report.html templates into DIR for editing (use them with --templates DIR); a file there
    /// that differs is never overwritten
    Export {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Report every problem in the rule files at once (file, line, what was expected)
    Check {
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Print the verdict for a resource type, the rule that decided it and its source
    Explain {
        /// A resource type, e.g. Microsoft.Network/loadBalancers
        #[arg(value_name = "TYPE")]
        resource_type: String,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Write the embedded rule files into DIR for editing (use them with --rules DIR); a file there that differs is
    /// never overwritten
    Export {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// List every reason and remediation code the commands emit (description, source), and the codes the rule
    /// files define
    Codes {
        /// Output format
        #[arg(long, value_enum, default_value = "table")]
        format: CodesFormat,
        /// Lay the rule files of DIR over the embedded ones
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
}

/// `rules codes --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodesFormat {
    Table,
    Json,
    /// A Markdown page (headings and tables)
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum CapacityCommand {
    /// The Site Recovery Capacity Planner's Quick Planner, from average values (Microsoft's Azure CSP
    /// documentation, "Azure Site Recovery capacity-planning guide for migrations", section "Quick Planner")
    Quick(QuickArgs),
    /// The Detailed Planner: per-server qualification, Azure VM size, IOPS, storage account, and the
    /// Quick Planner's totals, from server inventories (Microsoft's Azure CSP documentation, "Azure Site
    /// Recovery capacity-planning guide for migrations", section "Detailed Planner")
    Detailed(DetailedArgs),
    /// The daily data change rate (%) from a Hyper-V or vSphere measurement (Microsoft's Azure CSP
    /// documentation, "Azure Site Recovery capacity-planning guide for migrations", section "Calculate the daily data
    /// change rate")
    ChangeRate(ChangeRateArgs),
}

/// The Detailed Planner's inputs: server inventories and the environment properties of the Workload
/// Qualification worksheet. Percentages may be written `35` or `35%`.
#[derive(Debug, Args)]
pub struct DetailedArgs {
    /// Server inventories: RVTools exports (xlsx, or the RVTools_tabvInfo.csv of a CSV export), the planner's
    /// server table (CSV/XLSX), Azure Migrate import CSV, Azure Migrate Export discovery report
    #[arg(value_name = "SERVERS", required = true)]
    pub servers: Vec<PathBuf>,
    /// Select your scenario; default vmware when every input is an RVTools export, else physical
    #[arg(long, value_enum)]
    pub scenario: Option<ScenarioArg>,
    /// Daily data change rate (%) for servers the inventory gives none (each is named in a warning)
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub default_change_rate: Option<Decimal>,
    #[command(flatten)]
    pub planner: PlannerArgs,
    /// Servers per initial replication batch (the ones with the most data); default 3
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub batch_size: Option<i64>,
    /// Limits, VM sizes and server sizing tables: today's (default) or the 2017 ones of Microsoft's Azure CSP documentation
    #[arg(long, value_enum)]
    pub era: Option<EraArg>,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub output: OutputArgs<FormatArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
}

/// A Hyper-V capacity-planner report's "Additional Storage during delta replication (GB)", or a
/// vSphere "average delta size" in MB, over the server's total storage.
#[derive(Debug, Args)]
pub struct ChangeRateArgs {
    /// The server's Total Storage (in GBs)
    #[arg(long, value_name = "GB", allow_negative_numbers = true, value_parser = parse_number)]
    pub total_storage_gb: Decimal,
    /// Hyper-V: Additional Storage during delta replication (GB)
    #[arg(long, value_name = "GB", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "delta_mb", required_unless_present = "delta_mb")]
    pub delta_gb: Option<Decimal>,
    /// vSphere: the average daily delta size in MB
    #[arg(long, value_name = "MB", allow_negative_numbers = true, value_parser = parse_number)]
    pub delta_mb: Option<Decimal>,
    /// Megabytes per gigabyte for --delta-mb; the Azure CSP documentation's vSphere procedure divides by 1000
    /// ("Calculate the daily data change rate", section "Azure datacenter")
    #[arg(long, value_name = "N", default_value = "1000", allow_negative_numbers = true, value_parser = parse_number)]
    pub mb_per_gb: Decimal,
    #[command(flatten)]
    pub output: OutputArgs<ChangeRateFormatArg>,
}

/// The Quick Planner's inputs (its INPUTS table). Percentages may be written `35` or `35%`.
#[derive(Debug, Args)]
pub struct QuickArgs {
    /// Select your scenario: VMware or physical servers, or Hyper-V VMs, to Azure
    #[arg(long, value_enum)]
    pub scenario: Option<ScenarioArg>,
    /// Total number of virtual machines (servers, physical or VM)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub vms: Option<i64>,
    /// Average number of VHDs (disks) per virtual machine
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub disks_per_vm: Option<i64>,
    /// Average size of VHD (in GBs)
    #[arg(long, value_name = "GB", allow_negative_numbers = true, value_parser = parse_number)]
    pub disk_size_gb: Option<Decimal>,
    /// Average utilization per disk (%)
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub utilization: Option<Decimal>,
    /// Average daily data change rate (%)
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, value_parser = parse_number)]
    pub change_rate: Option<Decimal>,
    #[command(flatten)]
    pub planner: PlannerArgs,
    /// Number of virtual machines per initial replication batch; default 3
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_whole)]
    pub batch_size: Option<i64>,
    /// Server sizing tables: today's published ones (default) or the 2017 ones of Microsoft's Azure CSP
    /// documentation
    #[arg(long, value_enum)]
    pub era: Option<EraArg>,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub output: OutputArgs<FormatArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
}

/// A decimal number, optionally followed by `%` (`35`, `35%`, `0.142`); a number beyond the range csp-planner
/// computes with is named as such, so `--markup 1e30` is not called "not a number".
fn parse_number(text: &str) -> std::result::Result<Decimal, String> {
    let trimmed = text.trim();
    let number = trimmed.strip_suffix('%').unwrap_or(trimmed).trim();
    match crate::read::number::parse_decimal(number, crate::read::number::DecimalSeparator::Point) {
        Ok(Some(value)) => Ok(value),
        Err(message) if crate::read::number::looks_numeric(number) => Err(message),
        _ => Err(format!("expected a number such as 35 or 35%, found \"{text}\"")),
    }
}

/// A whole number (counts, days), signed so that a negative one reaches the option's own range check.
fn parse_whole(text: &str) -> std::result::Result<i64, String> {
    let number = text.trim();
    number.parse::<i64>().map_err(|error| match error.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            format!("{number} is too large for a whole number here (at most {})", i64::MAX)
        }
        _ => format!("expected a whole number such as 30, found \"{text}\""),
    })
}

/// The values of `--input-format`. The library's [`crate::read::InputFormat`] knows nothing of clap; the command
/// line converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormatArg {
    /// Azure Resource Graph JSON (`az graph query`, `Search-AzGraph`): `{"data": [...]}` or an array
    ArgJson,
    /// `az resource list -o json` (an array), or ARM REST pages (`{"value": [...], "nextLink": …}`)
    AzJson,
    /// `Get-AzResource | ConvertTo-Json`: PascalCase keys (`ResourceId`, `ResourceType`, `ResourceGroupName`)
    PowershellJson,
    /// JSON Lines (`.jsonl`, `.ndjson`): one resource object per line
    JsonLines,
    /// The Azure portal's "All resources" CSV export
    PortalCsv,
    /// A usage-detail export (EA portal old spelling, Cost Management new spelling)
    UsageCsv,
    /// A FOCUS cost and usage export (FinOps Open Cost and Usage Specification)
    FocusCsv,
}

impl From<InputFormatArg> for crate::read::InputFormat {
    fn from(arg: InputFormatArg) -> Self {
        use crate::read::InputFormat;
        match arg {
            InputFormatArg::ArgJson => InputFormat::ArgJson,
            InputFormatArg::AzJson => InputFormat::AzJson,
            InputFormatArg::PowershellJson => InputFormat::PowershellJson,
            InputFormatArg::JsonLines => InputFormat::JsonLines,
            InputFormatArg::PortalCsv => InputFormat::PortalCsv,
            InputFormatArg::UsageCsv => InputFormat::UsageCsv,
            InputFormatArg::FocusCsv => InputFormat::FocusCsv,
        }
    }
}

/// The values of `--era`: today's published sizing tables or the 2017 ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EraArg {
    Current,
    #[value(name = "2017")]
    Y2017,
}

impl From<EraArg> for crate::capacity::sizing::Era {
    fn from(arg: EraArg) -> Self {
        match arg {
            EraArg::Current => Self::Current,
            EraArg::Y2017 => Self::Y2017,
        }
    }
}

/// The values of `--scenario`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScenarioArg {
    Vmware,
    Physical,
    Hyperv,
}

impl From<ScenarioArg> for crate::capacity::quick::Scenario {
    fn from(arg: ScenarioArg) -> Self {
        match arg {
            ScenarioArg::Vmware => Self::Vmware,
            ScenarioArg::Physical => Self::Physical,
            ScenarioArg::Hyperv => Self::Hyperv,
        }
    }
}

/// The values of `--gb-base`: megabytes per gigabyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GbBaseArg {
    #[value(name = "1024")]
    Binary,
    #[value(name = "1000")]
    Decimal,
}

impl From<GbBaseArg> for crate::capacity::quick::GbBase {
    fn from(arg: GbBaseArg) -> Self {
        match arg {
            GbBaseArg::Binary => Self::Binary,
            GbBaseArg::Decimal => Self::Decimal,
        }
    }
}

/// The values of `inventory --format`: a table, JSON or CSV (the library's [`crate::output::Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormatArg {
    Table,
    Json,
    Csv,
}

impl From<InventoryFormatArg> for crate::output::Format {
    fn from(arg: InventoryFormatArg) -> Self {
        match arg {
            InventoryFormatArg::Table => Self::Table,
            InventoryFormatArg::Json => Self::Json,
            InventoryFormatArg::Csv => Self::Csv,
        }
    }
}

/// `transfer`: the estate's inputs, the customer file, and the output.
#[derive(Debug, Args)]
pub struct TransferArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub customer: CustomerArg,
    #[command(flatten)]
    pub output: OutputArgs<TransferFormatArg>,
    #[command(flatten)]
    pub templates: TemplatesArg,
}

/// `--customer FILE` (`transfer`, `report`).
#[derive(Debug, Clone, Default, Args)]
pub struct CustomerArg {
    /// What no export says about the customer (TOML: name, currency, agreement, billing_country, tenant_id,
    /// macc_active, [partner] direct_bill / azure_expert_msp / country, [subscriptions.<id>]); with no input,
    /// the bundled sample's
    #[arg(long, value_name = "FILE")]
    pub customer: Option<PathBuf>,
}

/// The values of `transfer --format`: a table, JSON or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransferFormatArg {
    Table,
    Json,
    Csv,
    /// The Summary and Transfer sheets of assessment.xlsx
    Xlsx,
    /// report.html's Transfer section as a page
    Html,
}

impl From<TransferFormatArg> for crate::output::Format {
    fn from(arg: TransferFormatArg) -> Self {
        match arg {
            TransferFormatArg::Table => Self::Table,
            TransferFormatArg::Json => Self::Json,
            TransferFormatArg::Csv => Self::Csv,
            TransferFormatArg::Xlsx => Self::Xlsx,
            TransferFormatArg::Html => Self::Html,
        }
    }
}

/// The values of `capacity change-rate --format`: three lines of text, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChangeRateFormatArg {
    Table,
    Json,
}

impl From<ChangeRateFormatArg> for crate::output::Format {
    fn from(arg: ChangeRateFormatArg) -> Self {
        match arg {
            ChangeRateFormatArg::Table => Self::Table,
            ChangeRateFormatArg::Json => Self::Json,
        }
    }
}

/// The values of `--format` of `assess`, `cost`, `workloads` and `capacity quick|detailed` (the library's
/// [`crate::output::Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Xlsx,
    /// A self-contained HTML page (see `report`'s report.html).
    Html,
}

impl From<FormatArg> for crate::output::Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Table => Self::Table,
            FormatArg::Json => Self::Json,
            FormatArg::Csv => Self::Csv,
            FormatArg::Xlsx => Self::Xlsx,
            FormatArg::Html => Self::Html,
        }
    }
}

/// The values of `plan --format` (the library's [`crate::output::PlanFormat`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormatArg {
    Table,
    Json,
    Dot,
    Mermaid,
    Xlsx,
    /// The move plan (with its assessment) as a self-contained HTML page.
    Html,
}

impl From<PlanFormatArg> for crate::output::PlanFormat {
    fn from(arg: PlanFormatArg) -> Self {
        match arg {
            PlanFormatArg::Table => Self::Table,
            PlanFormatArg::Json => Self::Json,
            PlanFormatArg::Dot => Self::Dot,
            PlanFormatArg::Mermaid => Self::Mermaid,
            PlanFormatArg::Xlsx => Self::Xlsx,
            PlanFormatArg::Html => Self::Html,
        }
    }
}
