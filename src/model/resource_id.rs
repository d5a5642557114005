//! Azure Resource Manager resource IDs:
//! `/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{child type}/{child name}]…`
//! (Azure Resource Manager docs, "Resource ID"; extension resources repeat `/providers/…`).
//! IDs are compared case-insensitively, as Azure does.

/// The parts of a Resource Manager ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmId {
    pub subscription_id: Option<String>,
    pub resource_group: Option<String>,
    /// `Namespace/type[/childType…]`, as spelled in the ID.
    pub resource_type: String,
    pub name: String,
}

/// Parses a Resource Manager ID; `None` when `id` is not one (a bare GUID from a classic usage
/// row, for example).
pub fn parse(id: &str) -> Option<ArmId> {
    let segments: Vec<&str> = id.trim().trim_end_matches('/').split('/').collect();
    if segments.first() != Some(&"") || segments.len() < 3 {
        return None;
    }
    let segments = &segments[1..];
    if segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    let mut subscription_id = None;
    let mut resource_group = None;
    let mut index = 0;
    if segments[0].eq_ignore_ascii_case("subscriptions") {
        subscription_id = Some(segments[1].to_string());
        index = 2;
        if segments.len() >= 4 && segments[2].eq_ignore_ascii_case("resourceGroups") {
            resource_group = Some(segments[3].to_string());
            index = 4;
        }
    }
    let rest = &segments[index..];
    // The type is read from the last `providers` segment (extension resources nest them).
    let Some(last_provider) = rest.iter().rposition(|s| s.eq_ignore_ascii_case("providers")) else {
        return scope_only(subscription_id, resource_group, rest);
    };
    let typed = &rest[last_provider + 1..];
    // namespace, then (type, name) pairs
    if typed.len() < 3 || typed.len().is_multiple_of(2) {
        return None;
    }
    let namespace = typed[0];
    let pairs = &typed[1..];
    let mut resource_type = namespace.to_string();
    for pair in pairs.chunks(2) {
        resource_type.push('/');
        resource_type.push_str(pair[0]);
    }
    let name = pairs[pairs.len() - 1].to_string();
    Some(ArmId { subscription_id, resource_group, resource_type, name })
}

/// `/subscriptions/{id}` and `/subscriptions/{id}/resourceGroups/{name}` are resources too.
fn scope_only(subscription_id: Option<String>, resource_group: Option<String>, rest: &[&str]) -> Option<ArmId> {
    if !rest.is_empty() {
        return None;
    }
    match (&subscription_id, &resource_group) {
        (Some(_), Some(group)) => Some(ArmId {
            name: group.clone(),
            resource_type: "Microsoft.Resources/resourceGroups".to_string(),
            subscription_id,
            resource_group,
        }),
        (Some(subscription), None) => Some(ArmId {
            name: subscription.clone(),
            resource_type: "Microsoft.Resources/subscriptions".to_string(),
            subscription_id,
            resource_group,
        }),
        _ => None,
    }
}

/// The ID the portal would show for a resource, built from its parts (used when an export has no ID
/// column). Child types (`Microsoft.Sql/servers/databases`) need the parent's name, which a portal
/// row does not carry, so for them the name is used as given (`server/db`).
pub fn build(subscription: &str, resource_group: &str, resource_type: &str, name: &str) -> String {
    format!("/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{resource_type}/{name}")
}

/// The resource group an ID names (`/subscriptions/{sub}/resourceGroups/{rg}/…`), borrowed from it; `None`
/// when the ID names none (a subscription, a tenant-level resource, a classic GUID).
pub fn resource_group_of(id: &str) -> Option<&str> {
    let mut segments = id.trim().strip_prefix('/')?.split('/');
    let subscriptions = segments.next()?;
    let _subscription = segments.next()?;
    let groups = segments.next()?;
    let group = segments.next()?;
    let scoped = subscriptions.eq_ignore_ascii_case("subscriptions") && groups.eq_ignore_ascii_case("resourceGroups");
    (scoped && !group.is_empty()).then_some(group)
}

/// The key under which IDs are compared: Azure treats IDs case-insensitively.
pub fn key(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_nested_id() {
        let id = parse("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Sql/servers/srv/databases/db").unwrap();
        assert_eq!(id.subscription_id.as_deref(), Some("S"));
        assert_eq!(id.resource_group.as_deref(), Some("RG"));
        assert_eq!(id.resource_type, "Microsoft.Sql/servers/databases");
        assert_eq!(id.name, "db");
    }

    #[test]
    fn parses_an_extension_resource_and_scopes() {
        let id = parse("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Insights/diagnosticSettings/d").unwrap();
        assert_eq!(id.resource_type, "Microsoft.Insights/diagnosticSettings");
        assert_eq!(
            parse("/subscriptions/S/resourceGroups/RG").unwrap().resource_type,
            "Microsoft.Resources/resourceGroups"
        );
        assert_eq!(parse("/providers/Microsoft.Capacity/reservationOrders/o").unwrap().subscription_id, None);
    }

    #[test]
    fn finds_the_resource_group_of_an_id() {
        assert_eq!(resource_group_of("/subscriptions/S/resourcegroups/RG/providers/Microsoft.Web/sites/a"), Some("RG"));
        assert_eq!(resource_group_of("/subscriptions/S/resourceGroups/RG"), Some("RG"));
        assert_eq!(resource_group_of("/subscriptions/S"), None);
        assert_eq!(resource_group_of("0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4"), None);
    }

    #[test]
    fn rejects_what_is_not_an_arm_id() {
        assert_eq!(parse("0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4"), None);
        assert_eq!(parse("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines"), None);
        assert_eq!(parse(""), None);
    }
}
