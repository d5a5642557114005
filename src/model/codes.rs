//! The registry of the stable codes csp-planner emits (cargo-deny's diagnostic codes, ruff's rule codes): one
//! enum per domain, each code with its kebab-case name (what the JSON shows), a one-sentence description and its
//! source (`<key of rules/sources.toml>: <locator>`, resolved like a rule's source). `csp-planner rules codes`
//! lists them with the codes the rule pack defines; `docs/codes.md` is generated from it.
//!
//! It sits in the model, below every domain that emits a code, so each domain names its codes without importing
//! another domain (tests/integration/layers.rs).

use serde::Serialize;

/// The part of csp-planner a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    /// `assess`: a resource's reasons (and the plan's blockers, which repeat them).
    Assess,
    /// `plan`: a batch's remediation steps.
    Plan,
    /// `capacity detailed`: the reasons a server is not qualified.
    Capacity,
    /// `workloads`: a server's or an application's reasons.
    Workloads,
    /// `transfer`: a subscription's, a commitment's or the COCP alternative's reasons.
    Transfer,
}

impl Domain {
    pub const ALL: &[Domain] = &[Domain::Assess, Domain::Plan, Domain::Capacity, Domain::Workloads, Domain::Transfer];

    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Assess => "assess",
            Domain::Plan => "plan",
            Domain::Capacity => "capacity",
            Domain::Workloads => "workloads",
            Domain::Transfer => "transfer",
        }
    }

    /// Where the domain's codes appear, as the listing shows it.
    pub fn appears_in(self) -> &'static str {
        match self {
            Domain::Assess => "`assess`: `reasons[].code`, `rules.fired[].code`; `plan`: `batches[].blockers[].code`",
            Domain::Plan => "`plan`: `batches[].remediation[].action`",
            Domain::Capacity => {
                "`capacity detailed`: one per `qualification_reasons` entry; tested by `planner` in workloads.toml"
            }
            Domain::Workloads => "`workloads`: `servers[].reasons[].code`, `applications[].reasons[].code`",
            Domain::Transfer => {
                "`transfer`: `subscriptions[].reasons[].code`, `commitments[].reasons[].code`, `partner_change.cocp.reasons[].code`, `licences[].code`; `workloads`: `servers[].licence_notes[].code`"
            }
        }
    }
}

/// One built-in code: what the registry says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    pub code: &'static str,
    pub domain: Domain,
    pub description: &'static str,
    /// `<key>: <locator>`, a key of `rules/sources.toml`.
    pub source: &'static str,
}

/// Defines one domain's enum: each variant with its code, description and source.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident in $domain:ident {
        $($(#[$variant_meta:meta])* $variant:ident = $code:literal, $description:literal, $source:literal;)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The code as the JSON writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub const fn info(self) -> CodeInfo {
                match self {
                    $($name::$variant => CodeInfo {
                        code: $code,
                        domain: Domain::$domain,
                        description: $description,
                        source: $source,
                    },)+
                }
            }

            /// The variant whose code this is.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// A resource's reason in `assess` (first matching rule wins; `csp-note` is added beside the verdict).
    AssessCode in Assess {
        NotInCsp = "not-in-csp",
            "The service is not available in Azure CSP: the resource is BLOCKED and excluded from the migration.",
            "csp-available-services: the list of Azure services available in CSP";
        ClassicNoUpgrade = "classic-no-upgrade",
            "A classic (Azure Service Management) resource with no upgrade path to Resource Manager: BLOCKED.",
            "csp-classic-upgrade: the resources the platform-supported migration upgrades";
        ClassicUpgradeFirst = "classic-upgrade-first",
            "A classic resource that moves after its upgrade to Resource Manager: NO ISSUES, ASM to CSP in two steps.",
            "csp-classic-upgrade: upgrade first, then move the Resource Manager resources";
        CannotMoveSubscription = "cannot-move-subscription",
            "The resource type (for a classic resource, the type it becomes) cannot move to another subscription: BLOCKED.",
            "move-support-resources: the Subscription column";
        MoveCondition = "move-condition",
            "The type moves only under a condition the resource must be checked against: MODIFY.",
            "move-resource-group-and-subscription: the limitations of a cross-subscription move";
        MoveConditionMet = "move-condition-met",
            "The type's condition for the move holds for this resource: NO ISSUES.",
            "move-resource-group-and-subscription: the limitations of a cross-subscription move";
        MoveSupportVariant = "move-support-variant",
            "The type moves, but an annotated row of it cannot and the type alone cannot tell which this is: MODIFY.",
            "move-support-resources: rows that name a type with an annotation";
        Movable = "movable",
            "The type can move to another subscription: NO ISSUES, ARM to CSP in one step.",
            "move-support-resources: the Subscription column";
        UnknownType = "unknown-type",
            "No rule knows the type: MODIFY and flagged for review, never silently NO ISSUES.",
            "csp-planner-choice: a type no rule knows is flagged for review";
        CspNote = "csp-note",
            "The service is available in Azure CSP with a caveat, noted beside the verdict.",
            "csp-available-services: the services available with a condition";
        ClassicRetired = "classic-retired",
            "A note on every classic resource: the classic deployment model is retired, so the platform-supported migration may no longer be available; plan a redeploy.",
            "asm-retirement: the retirement dates of the classic deployment model";
    }
}

impl AssessCode {
    /// The code a move condition of `move-conditions.toml` must carry for its status.
    pub const fn for_condition(status: super::CspStatus) -> Self {
        match status {
            super::CspStatus::Blocked => AssessCode::CannotMoveSubscription,
            super::CspStatus::Modify => AssessCode::MoveCondition,
            super::CspStatus::NoIssues => AssessCode::MoveConditionMet,
        }
    }
}

codes! {
    /// A remediation step's `action` in `plan`.
    PlanCode in Plan {
        UpgradeClassic = "upgrade-classic",
            "Upgrade the batch's classic resources to Resource Manager before the move.",
            "csp-classic-upgrade: the migration process and the resource groups it creates";
        RemoveSecretsDependency = "remove-secrets-dependency",
            "After the upgrade, remove the WinRM secrets dependency of the former classic VMs.",
            "csp-classic-upgrade: section \"Remove the secrets dependency\"";
        Resolve = "resolve",
            "A MODIFY member: resolve what its assessment says before the batch moves.",
            "csp-planner-choice: a MODIFY resource's condition is resolved before its batch moves";
        MoveWithParent = "move-with-parent",
            "A child resource whose parent is not in the inventory: it moves with its parent, never on its own.",
            "move-support-resources: a child resource cannot move independently from its parent";
        ConsolidateResourceGroup = "consolidate-resource-group",
            "Move the batch's resources into one resource group, as a cross-subscription move needs.",
            "csp-resource-move: first move all dependent resources to a single resource group";
        MoveStorageSeparately = "move-storage-separately",
            "Move a storage account in another region in a step of its own, before the batch.",
            "csp-resource-move: Known errors, \"Storage account-location errors\"";
    }
}

codes! {
    /// A reason the Detailed Planner gives a server that is not qualified (`Is VM Qualified?` = No); what
    /// `workloads.toml` tests with `planner`.
    CapacityCode in Capacity {
        InventoryIncomplete = "inventory-incomplete",
            "The inventory row leaves cells empty that the planner needs; they are named.",
            "csp-asr-capacity-guide: section \"Detailed Planner\", the mandatory inputs";
        MandatoryInputMissing = "mandatory-input-missing",
            "A mandatory input of the Detailed Planner is missing or 0 (cores, memory, disks, storage, utilization).",
            "csp-asr-capacity-guide: section \"Detailed Planner\", the mandatory inputs";
        NoDisk = "no-disk",
            "The server has no disk attached: there is nothing to replicate.",
            "csp-planner-choice: a server without a disk has nothing to replicate";
        TooManyDataDisks = "too-many-data-disks",
            "The server has more data disks than an Azure VM, or any size of the era, may have.",
            "csp-asr-capacity-guide: section \"Detailed Planner\", Is VM Qualified?";
        NoVmSize = "no-vm-size",
            "No Azure VM size of the era fits the server's cores, memory, NICs and data disks.",
            "csp-asr-capacity-guide: section \"Detailed Planner\", Mapping Azure VM";
        DiskTooLarge = "disk-too-large",
            "A disk is larger than the largest OS or data disk Azure allows.",
            "asr-vmware-support-matrix: the disk size limits";
        DiskTooSmall = "disk-too-small",
            "A disk is smaller than the smallest disk Site Recovery replicates.",
            "asr-vmware-support-matrix: the disk size limits";
        Os32Bit = "os-32-bit",
            "The guest OS is 32-bit; Site Recovery replicates 64-bit guests.",
            "asr-vmware-support-matrix: Guest operating system architecture";
        OsUnsupported = "os-unsupported",
            "The guest OS is not one the era's supported guest OS list names.",
            "asr-vmware-support-matrix: the supported guest operating systems";
        UefiUnsupported = "uefi-unsupported",
            "The server boots with EFI (UEFI), which the era does not support.",
            "asr-vmware-support-matrix: UEFI boot";
        UefiWindowsServer2008 = "uefi-windows-server-2008",
            "The server boots Windows Server 2008 or 2008 R2 with UEFI, which is not supported.",
            "asr-vmware-support-matrix: UEFI boot";
    }
}

codes! {
    /// The reasons `workloads` gives besides those of the rules of `workloads.toml` (which define their own codes).
    WorkloadsCode in Workloads {
        NeedsReview = "needs-review",
            "No rule of workloads.toml judged the server: yellow and to review, never green by default.",
            "csp-planner-choice: a server no rule judges is reviewed, never silently green";
        Override = "override",
            "The consultant's decision from the overrides file, without one of the Red categories.",
            "csp-migrate-additional-workloads: the consultant confirms or changes each application's colour";
        OverrideLegal = "override-legal",
            "The consultant's decision for a legal reason.",
            "csp-migrate-additional-workloads: the Red reasons (legal, security, regulatory, business, cost)";
        OverrideSecurity = "override-security",
            "The consultant's decision for a security reason.",
            "csp-migrate-additional-workloads: the Red reasons (legal, security, regulatory, business, cost)";
        OverrideRegulatory = "override-regulatory",
            "The consultant's decision for a regulatory reason.",
            "csp-migrate-additional-workloads: the Red reasons (legal, security, regulatory, business, cost)";
        OverrideBusiness = "override-business",
            "The consultant's decision for a business reason.",
            "csp-migrate-additional-workloads: the Red reasons (legal, security, regulatory, business, cost)";
        OverrideCost = "override-cost",
            "The consultant's decision for the high cost of re-engineering.",
            "csp-migrate-additional-workloads: the Red reasons (legal, security, regulatory, business, cost)";
    }
}

impl WorkloadsCode {
    /// The consultant's decision, not a rule's verdict.
    pub fn is_override(self) -> bool {
        self != WorkloadsCode::NeedsReview
    }

    /// An override's code: `override-<category>` for the Red categories, else `override`.
    pub fn for_override(category: Option<&str>) -> Self {
        match category {
            Some("legal") => WorkloadsCode::OverrideLegal,
            Some("security") => WorkloadsCode::OverrideSecurity,
            Some("regulatory") => WorkloadsCode::OverrideRegulatory,
            Some("business") => WorkloadsCode::OverrideBusiness,
            Some("cost") => WorkloadsCode::OverrideCost,
            _ => WorkloadsCode::Override,
        }
    }
}

codes! {
    /// A reason of `transfer` (the agreements' codes, `agreement-<id>`, and the licence notes' are the rule file's).
    TransferCode in Transfer {
        MaccActive = "macc-active",
            "An active Microsoft Azure Consumption Commitment blocks the billing transfer.",
            "subscription-transfer-hub-dec-2025: the MACC rule";
        TenantDiffers = "tenant-differs",
            "The subscription's tenant is not the customer's tenant of the CSP relationship: the billing transfer is blocked.",
            "subscription-transfer-hub-dec-2025: the tenant of the CSP relationship";
        DevTest = "dev-test",
            "A Dev/Test offer is converted before a billing transfer: conditional.",
            "mpa-request-ownership: Dev/Test subscriptions are converted before the transfer";
        CountryDiffers = "country-differs",
            "The customer's billing country is not the new partner's: the partner-to-partner transfer is blocked.",
            "partner-center-switch-partner: the same country or region";
        AgreementUnknown = "agreement-unknown",
            "No fact says the subscription's agreement: the resource move is shown, conditional.",
            "csp-planner-choice: a missing fact makes the verdict conditional, never a guess";
        EaChannelUnknown = "ea-channel-unknown",
            "An Enterprise Agreement whose channel (direct or indirect) no fact says: conditional.",
            "csp-planner-choice: a missing fact makes the verdict conditional, never a guess";
        PartnerUnknown = "partner-unknown",
            "The path depends on partner facts the customer file does not give: conditional.",
            "mpa-request-ownership: the partner's direct-bill and Azure Expert MSP status";
        ClassicResources = "classic-resources",
            "The subscription holds classic resources, retired since 2023-2024: conditional, plan their redeploy.",
            "asm-retirement: the retirement dates of the classic deployment model";
        PartnerNotEligible = "partner-not-eligible",
            "The partner lacks a status the billing transfer needs: the agreement's other path is taken.",
            "mpa-request-ownership: \"This feature is available only for CSP Direct Bill Partners certified as Azure Expert MSP.\"";
        PagesDisagree = "pages-disagree",
            "Microsoft's pages disagree about the agreement's path: each text is quoted, the verdict is conditional.",
            "subscription-transfer-hub-oct-2025: the EA to CSP row; subscription-transfer-hub-dec-2025: the EA to CSP row";
        FateTransfers = "fate-transfers",
            "The commitment transfers with its subscription (when selected).",
            "subscription-transfer-hub-dec-2025: reservation and savings plan transfers";
        FateStaysAtSource = "fate-stays-at-source",
            "The commitment stays with the source billing.",
            "reservations-exchange-refund: exchanges and refunds";
        FateCancelled = "fate-cancelled",
            "The commitment does not move: it is bought again in the target and cancelled at the source.",
            "virtual-machines-move-limitations: Marketplace plans";
        FateConditional = "fate-conditional",
            "The commitment's fate depends on a condition its reason names.",
            "mpa-request-ownership: Marketplace products must be available in CSP";
        SubscriptionUnknown = "subscription-unknown",
            "The commitment names no subscription of the inventory: its fate is conditional.",
            "csp-planner-choice: a missing fact makes the verdict conditional, never a guess";
        ReservationsUnavailableMarket = "reservations-unavailable-market",
            "The billing country is a market where CSP sells no Azure reservations.",
            "csp-software-subscriptions: section \"Azure reservations unavailable markets\"";
        Cocp = "cocp",
            "Only a new partner: a change of channel partner keeps the customer on its Enterprise Agreement.",
            "csp-cocp: \"Only enterprise admins can initiate COCP requests via the Azure portal.\"";
        CocpDeadline = "cocp-deadline",
            "The COCP's acceptance period (the page's two figures) and default effective date.",
            "csp-cocp: the 10-day acceptance, the 30-day expiry and the 90-day effective date";
        CocpProgram = "cocp-program",
            "A program that is not an Enterprise Agreement: COCP is out of scope.",
            "csp-cocp: \"Non-Enterprise Agreement programs\"";
        CocpMseds = "cocp-mseds",
            "MSEDS is the Bill-to or Software Advisor: COCP is out of scope.",
            "csp-cocp: \"EAs with Microsoft Enterprise Direct Support (MSEDS) as the Bill to or Software Advisor\"";
        CocpAgreementStatus = "cocp-agreement-status",
            "An expired or ended agreement: COCP is out of scope.",
            "csp-cocp: \"EAs with expired or ended status\"";
        CocpEarly = "cocp-early",
            "A request before the anniversary date (early or backdated): COCP is out of scope.",
            "csp-cocp: \"Backdated COCP requests or early COCP requests that initiate before the anniversary date\"";
        CocpConfirm = "cocp-confirm",
            "The facts COCP's exclusions need are not given: conditional.",
            "csp-cocp: the situations out of scope for self-service COCP";
    }
}

/// Every built-in code of every domain, domain by domain.
pub fn all() -> Vec<CodeInfo> {
    let assess = AssessCode::ALL.iter().map(|c| c.info());
    let plan = PlanCode::ALL.iter().map(|c| c.info());
    let capacity = CapacityCode::ALL.iter().map(|c| c.info());
    let workloads = WorkloadsCode::ALL.iter().map(|c| c.info());
    let transfer = TransferCode::ALL.iter().map(|c| c.info());
    assess.chain(plan).chain(capacity).chain(workloads).chain(transfer).collect()
}

/// A code a rule file defines must look like the built-in ones: lower-case words (letters, digits) joined by `-`.
pub fn is_well_formed(code: &str) -> bool {
    !code.is_empty()
        && code.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_writes_the_code() {
        for info in all() {
            let json = match info.domain {
                Domain::Assess => serde_json::to_string(&AssessCode::parse(info.code).unwrap()),
                Domain::Plan => serde_json::to_string(&PlanCode::parse(info.code).unwrap()),
                Domain::Capacity => serde_json::to_string(&CapacityCode::parse(info.code).unwrap()),
                Domain::Workloads => serde_json::to_string(&WorkloadsCode::parse(info.code).unwrap()),
                Domain::Transfer => serde_json::to_string(&TransferCode::parse(info.code).unwrap()),
            };
            assert_eq!(json.unwrap(), format!("\"{}\"", info.code));
            assert!(is_well_formed(info.code), "{}", info.code);
        }
    }

    #[test]
    fn well_formed_codes() {
        assert!(is_well_formed("os-32-bit"));
        assert!(!is_well_formed("Bad Code"));
        assert!(!is_well_formed("trailing-"));
        assert!(!is_well_formed(""));
    }
}
