//! The runbook as an Azure PowerShell (Az module) script (`runbook.ps1`). Every customer value is a
//! single-quoted string; PowerShell also closes such a string at the typographic quotes ‘ ’ ‚ ‛, so each of
//! them is doubled like `'` (PowerShell language specification, §2.3.5.2 "String literals"). PowerShell cannot
//! run on this project's machines: the tests check the content, not the syntax.

use std::io::{self, Write};

use super::{Shell, listed};
use crate::plan::runbook::{MoveRequest, MoveTarget, Runbook};

pub struct PowerShell;

const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// A PowerShell verbatim string that is exactly `text`.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for c in text.chars() {
        if SINGLE_QUOTES.contains(&c) {
            quoted.push(c);
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

const HELPERS: &str = r#"
# Shows what to do by hand and waits for "yes" ($env:CONFIRM_MANUAL_STEPS = 'yes' skips the question).
function Confirm-ManualStep([string]$Instructions) {
    Write-Host "MANUAL STEP: $Instructions"
    if ($env:CONFIRM_MANUAL_STEPS -ne 'yes') {
        $answer = Read-Host 'Done? Type yes to continue'
        if ($answer -ne 'yes') { throw 'runbook.ps1: stopped at a manual step' }
    }
}
"#;

impl PowerShell {
    fn target_group_id(request: &MoveRequest) -> String {
        match &request.target {
            MoveTarget::SameSubscription { resource_group } => {
                quote(&format!("/subscriptions/{}/resourceGroups/{resource_group}", request.subscription_id))
            }
            MoveTarget::Csp => "\"/subscriptions/$TargetSubscription/resourceGroups/$TargetResourceGroup\"".to_string(),
        }
    }

    fn resource_list(request: &MoveRequest) -> String {
        format!("@(\n{}\n)", listed(request, quote, "    ", "\n"))
    }
}

impl Shell for PowerShell {
    fn file_name(&self) -> &'static str {
        "runbook.ps1"
    }

    fn first_lines(&self) -> &'static str {
        "#Requires -Modules Az.Accounts, Az.Resources, Az.Compute"
    }

    fn preamble(&self, runbook: &Runbook, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "$ErrorActionPreference = 'Stop'")?;
        writeln!(out, "Set-StrictMode -Version Latest")?;
        writeln!(out)?;
        writeln!(out, "$SourceSubscription = {}", quote(&runbook.subscription_id))?;
        writeln!(out, "$TargetSubscription = {}", quote(runbook.target_subscription()))?;
        writeln!(out, "$TargetResourceGroup = {}", quote(runbook.target_resource_group()))?;
        writeln!(
            out,
            "$TargetLocation = {}",
            quote(runbook.target_location.as_deref().unwrap_or("<target-location>"))
        )?;
        writeln!(out)?;
        writeln!(out, "foreach ($value in @($TargetSubscription, $TargetResourceGroup, $TargetLocation)) {{")?;
        writeln!(
            out,
            "    if ($value.StartsWith('<')) {{ throw \"runbook.ps1: replace the placeholder $value (`$Target* at the top) first\" }}"
        )?;
        writeln!(out, "}}")?;
        write!(out, "{HELPERS}")?;
        writeln!(out)?;
        writeln!(out, "# The target resource group must exist before anything moves into it.")?;
        writeln!(out, "Set-AzContext -Subscription $TargetSubscription | Out-Null")?;
        writeln!(out, "if (-not (Get-AzResourceGroup -Name $TargetResourceGroup -ErrorAction SilentlyContinue)) {{")?;
        writeln!(out, "    New-AzResourceGroup -Name $TargetResourceGroup -Location $TargetLocation | Out-Null")?;
        writeln!(out, "}}")?;
        writeln!(out, "Set-AzContext -Subscription $SourceSubscription | Out-Null")
    }

    fn echo(&self, text: &str) -> String {
        format!("Write-Host {}", quote(text))
    }

    fn manual(&self, instructions: &str) -> String {
        format!("Confirm-ManualStep {}", quote(&super::comment_safe(instructions)))
    }

    fn remove_secrets(&self, resource_group: &str, vm: &str) -> String {
        // The seed's PowerShell (002 L14988-L14991), in today's Az module (Get-AzVM / Update-AzVM replace
        // Get-AzureRmVM / Update-AzureRmVM).
        format!(
            "$vm = Get-AzVM -ResourceGroupName {group} -Name {name}\n\
             $vm.OSProfile.Secrets = New-Object -TypeName 'System.Collections.Generic.List[Microsoft.Azure.Management.Compute.Models.VaultSecretGroup]'\n\
             Update-AzVM -ResourceGroupName {group} -VM $vm",
            group = quote(resource_group),
            name = quote(vm)
        )
    }

    fn validate(&self, request: &MoveRequest) -> String {
        format!(
            "Invoke-AzResourceAction -Action validateMoveResources -ResourceId {} -Force -Parameters @{{\n    \
             resources = {}\n    targetResourceGroup = {}\n}}",
            quote(&request.source_group_id()),
            Self::resource_list(request).replace('\n', "\n    "),
            Self::target_group_id(request)
        )
    }

    fn move_resources(&self, request: &MoveRequest) -> String {
        let destination = match &request.target {
            MoveTarget::SameSubscription { resource_group } => {
                format!("-DestinationResourceGroupName {}", quote(resource_group))
            }
            MoveTarget::Csp => {
                "-DestinationSubscriptionId $TargetSubscription -DestinationResourceGroupName $TargetResourceGroup"
                    .to_string()
            }
        };
        format!("Move-AzResource {destination} -Force -ResourceId {}", Self::resource_list(request))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_double_every_kind_of_single_quote() {
        assert_eq!(quote("it's ‘x’ $y"), "'it''s ‘‘x’’ $y'");
    }
}
