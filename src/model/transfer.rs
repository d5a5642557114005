//! The words of a transfer verdict: the four paths into a partner's Azure plan, how sure the verdict is, the fate
//! of a commitment, the checks that block or condition a path, and the customer file's facts.

use std::collections::BTreeMap;

use serde::Serialize;

macro_rules! kebab_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// Every value, for messages (`a, b or c`).
            pub fn listed() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                names.join(", ")
            }
        }
    };
}

kebab_enum! {
    /// How a subscription reaches the partner's Azure plan.
    TransferPath {
        /// Billing ownership moves to the partner's Microsoft Partner Agreement: nothing is moved.
        BillingTransfer = "billing-transfer",
        /// New CSP subscriptions, then the resources move.
        ResourceMove = "resource-move",
        /// Another partner's CSP subscription moves to this partner in Partner Center.
        PartnerTransfer = "partner-transfer",
        /// Nothing transfers or moves: the workloads are deployed again.
        Redeploy = "redeploy",
    }
}

kebab_enum! {
    /// How sure the verdict is: `conditional` when a fact is missing or a page disagrees.
    TransferVerdict {
        Eligible = "eligible",
        Conditional = "conditional",
        Blocked = "blocked",
    }
}

kebab_enum! {
    /// What happens to a reservation, savings plan, Marketplace item or purchase.
    Fate {
        Transfers = "transfers",
        StaysAtSource = "stays-at-source",
        Cancelled = "cancelled",
        Conditional = "conditional",
    }
}

kebab_enum! {
    /// The facts that block or condition a path (their texts are in rules/transfer-paths.toml).
    CheckId {
        MaccActive = "macc-active",
        TenantDiffers = "tenant-differs",
        DevTest = "dev-test",
        CountryDiffers = "country-differs",
        AgreementUnknown = "agreement-unknown",
        EaChannelUnknown = "ea-channel-unknown",
        PartnerUnknown = "partner-unknown",
        ClassicResources = "classic-resources",
    }
}

impl TransferVerdict {
    /// The less certain of two verdicts (blocked over conditional over eligible).
    pub fn worst(self, other: TransferVerdict) -> TransferVerdict {
        self.max(other)
    }
}

/// The partner the customer moves to (the customer file's `[partner]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerFacts {
    pub direct_bill: Option<bool>,
    pub azure_expert_msp: Option<bool>,
    pub country: Option<String>,
}

/// Facts the customer file gives about one subscription (`[subscriptions.<id>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionOverride {
    pub agreement: Option<String>,
    pub dev_test: Option<bool>,
    pub tenant_id: Option<String>,
    pub macc_active: Option<bool>,
    pub name: Option<String>,
}

/// What no export says, from `--customer FILE`; `file` names it in each fact's `from`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFacts {
    pub file: String,
    pub name: Option<String>,
    pub currency: Option<String>,
    pub agreement: Option<String>,
    pub billing_country: Option<String>,
    pub tenant_id: Option<String>,
    pub macc_active: Option<bool>,
    pub ea_anniversary: Option<String>,
    /// The customer's licensing program when it is not an Enterprise Agreement (Select, Open Value…): COCP is out
    /// of scope for it.
    pub program: Option<String>,
    /// `active`, `expired` or `ended`: COCP needs an active agreement.
    pub ea_status: Option<String>,
    /// Microsoft Enterprise Direct Support is the Bill-to or Software Advisor: COCP is out of scope.
    pub mseds: Option<bool>,
    /// The date the COCP request would be initiated (`YYYY-MM-DD`): before the anniversary, it is early.
    pub cocp_date: Option<String>,
    pub partner: PartnerFacts,
    /// By lowercase subscription ID.
    pub subscriptions: BTreeMap<String, SubscriptionOverride>,
}
