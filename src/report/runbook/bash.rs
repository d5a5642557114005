//! The runbook as an Azure CLI script for bash (`runbook.sh`). Every customer value is single-quoted (a `'`
//! inside becomes `'\''`), so no name can run as a command; the script is checked with `bash -n` by the tests.

use std::io::{self, Write};

use super::{Shell, listed};
use crate::plan::runbook::{MoveRequest, MoveTarget, Runbook};

pub struct Bash;

/// A bash word that is exactly `text`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

const HELPERS: &str = r#"
# A JSON string of $1 (resource IDs carry no control characters; quotes and backslashes are escaped).
json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# validate_move SOURCE_GROUP_ID TARGET_GROUP_ID RESOURCE_ID...: validateMoveResources on the source group;
# az exits non-zero (and set -e stops the runbook) when the move would fail.
validate_move() {
    local source_group=$1 target_group=$2 resources="" id
    shift 2
    for id in "$@"; do resources+="${resources:+,}$(json_string "$id")"; done
    az resource invoke-action --action validateMoveResources --ids "$source_group" \
        --request-body "{\"resources\":[${resources}],\"targetResourceGroup\":$(json_string "$target_group")}"
}

# manual_step TEXT: shows what to do by hand and waits for "yes" (CONFIRM_MANUAL_STEPS=yes skips the question).
manual_step() {
    printf 'MANUAL STEP: %s\n' "$1"
    if [[ ${CONFIRM_MANUAL_STEPS:-} != yes ]]; then
        local answer
        read -r -p "Done? Type yes to continue: " answer
        [[ $answer == yes ]] || { echo "runbook.sh: stopped at a manual step" >&2; exit 1; }
    fi
}
"#;

impl Bash {
    fn target_group_id(target: &MoveTarget, request: &MoveRequest) -> String {
        match target {
            MoveTarget::SameSubscription { resource_group } => {
                quote(&format!("/subscriptions/{}/resourceGroups/{resource_group}", request.subscription_id))
            }
            MoveTarget::Csp => {
                "\"/subscriptions/${TARGET_SUBSCRIPTION}/resourceGroups/${TARGET_RESOURCE_GROUP}\"".to_string()
            }
        }
    }
}

impl Shell for Bash {
    fn file_name(&self) -> &'static str {
        "runbook.sh"
    }

    fn first_lines(&self) -> &'static str {
        "#!/usr/bin/env bash"
    }

    fn preamble(&self, runbook: &Runbook, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "set -euo pipefail")?;
        writeln!(out)?;
        writeln!(out, "SOURCE_SUBSCRIPTION={}", quote(&runbook.subscription_id))?;
        writeln!(out, "TARGET_SUBSCRIPTION={}", quote(runbook.target_subscription()))?;
        writeln!(out, "TARGET_RESOURCE_GROUP={}", quote(runbook.target_resource_group()))?;
        writeln!(out, "TARGET_LOCATION={}", quote(runbook.target_location.as_deref().unwrap_or("<target-location>")))?;
        writeln!(out)?;
        writeln!(out, "for value in \"$TARGET_SUBSCRIPTION\" \"$TARGET_RESOURCE_GROUP\" \"$TARGET_LOCATION\"; do")?;
        writeln!(out, "    if [[ $value == \"<\"* ]]; then")?;
        writeln!(out, "        echo \"runbook.sh: replace the placeholder $value (TARGET_* at the top) first\" >&2")?;
        writeln!(out, "        exit 2")?;
        writeln!(out, "    fi")?;
        writeln!(out, "done")?;
        writeln!(
            out,
            "command -v az > /dev/null || {{ echo \"runbook.sh: the Azure CLI (az) is required\" >&2; exit 2; }}"
        )?;
        write!(out, "{HELPERS}")?;
        writeln!(out)?;
        writeln!(out, "# The target resource group must exist before anything moves into it.")?;
        writeln!(
            out,
            "if [[ $(az group exists --subscription \"$TARGET_SUBSCRIPTION\" --name \"$TARGET_RESOURCE_GROUP\") != true ]]; then"
        )?;
        writeln!(
            out,
            "    az group create --subscription \"$TARGET_SUBSCRIPTION\" --name \"$TARGET_RESOURCE_GROUP\" --location \"$TARGET_LOCATION\""
        )?;
        writeln!(out, "fi")
    }

    fn echo(&self, text: &str) -> String {
        format!("echo {}", quote(text))
    }

    fn manual(&self, instructions: &str) -> String {
        format!("manual_step {}", quote(&super::comment_safe(instructions)))
    }

    fn remove_secrets(&self, resource_group: &str, vm: &str) -> String {
        // The seed's Azure CLI command (002 L14998; `Secrets` there, the property is `secrets`), with the subscription named.
        format!(
            "az vm update --subscription \"$SOURCE_SUBSCRIPTION\" -g {} -n {} --set osProfile.secrets=[]",
            quote(resource_group),
            quote(vm)
        )
    }

    fn validate(&self, request: &MoveRequest) -> String {
        format!(
            "validate_move {} {} \\\n{}",
            quote(&request.source_group_id()),
            Self::target_group_id(&request.target, request),
            listed(request, quote, "    ", " \\\n")
        )
    }

    fn move_resources(&self, request: &MoveRequest) -> String {
        let destination = match &request.target {
            MoveTarget::SameSubscription { resource_group } => format!("--destination-group {}", quote(resource_group)),
            MoveTarget::Csp => {
                "--destination-subscription-id \"$TARGET_SUBSCRIPTION\" --destination-group \"$TARGET_RESOURCE_GROUP\""
                    .to_string()
            }
        };
        format!("az resource move {destination} --ids \\\n{}", listed(request, quote, "    ", " \\\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_keep_a_single_quote_inside_the_word() {
        assert_eq!(quote("it's $(x)"), r"'it'\''s $(x)'");
    }
}
