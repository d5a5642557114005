//! The Azure portal's "All resources" export: one row per resource, display type names
//! ("Virtual machine") mapped to resource types by `rules/portal-types.csv`.

use csv::ByteRecord;

use super::decode::field_text;
use super::table::{Header, Records};
use super::{Outcome, ReadContext};
use crate::error::Result;
use crate::model::{CompactJson, Resource, TypeSource, Warning, resource_id};

pub fn read(records: &mut dyn Records, header: &Header, ctx: &ReadContext, outcome: &mut Outcome) -> Result<()> {
    let column = |field: &str| header.column(field);
    let has_id = column("id").is_some();
    let has_subscription_id = column("subscription_id").is_some();
    if !has_id {
        outcome.warnings.push(Warning {
            location: "header".to_string(),
            message: if has_subscription_id {
                "no resource ID column: IDs are built from subscription ID, resource group, type and name".to_string()
            } else {
                "no resource ID column and no subscription ID column: IDs are built from the subscription NAME, \
                 resource group, type and name, so these resources will not merge with the same resources in \
                 other inputs; export the Subscription ID column too"
                    .to_string()
            },
        });
    }
    let locator = records.locator();
    let mut record = ByteRecord::new();
    let mut unknown_types = std::collections::BTreeSet::new();
    while let Some(row) = records.next_record(&mut record)? {
        let cell = |field: &str| -> Option<String> {
            let bytes = record.get(column(field)?)?;
            let text = field_text(bytes).0.trim().to_string();
            if text.is_empty() { None } else { Some(text) }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        outcome.rows += 1;
        let location = locator.locate(row, None);
        let (Some(name), Some(display_type)) = (cell("name"), cell("type")) else {
            outcome.warnings.push(Warning { location, message: "row skipped: no name or no type".to_string() });
            continue;
        };
        let (resource_type, type_source) = if display_type.contains('/') {
            (display_type.clone(), None)
        } else if let Some(found) = ctx.rules.portal_types.lookup(&display_type) {
            (found.resource_type.clone(), Some(TypeSource { rule: found.rule.clone(), source: found.source.clone() }))
        } else {
            unknown_types.insert(display_type.clone());
            (display_type.clone(), None)
        };
        let subscription_name = cell("subscription_name");
        let subscription_id = cell("subscription_id");
        let resource_group = cell("resource_group");
        let id = cell("id").unwrap_or_else(|| {
            let subscription = subscription_id.as_deref().or(subscription_name.as_deref()).unwrap_or("unknown");
            resource_id::build(subscription, resource_group.as_deref().unwrap_or("unknown"), &resource_type, &name)
        });
        let mut resource = Resource::new(id, name, resource_type);
        resource.type_source = type_source;
        resource.subscription_id = subscription_id;
        resource.subscription_name = subscription_name;
        resource.resource_group = resource_group;
        resource.location = cell("location").map(|l| ctx.locations.arm(&l));
        resource.kind = cell("kind");
        resource.sku = cell("sku").map(|sku| CompactJson::new(&serde_json::Value::String(sku)));
        if let Some(tags) = cell("tags") {
            resource.tags = parse_portal_tags(&tags);
        }
        outcome.push(resource, location, &ctx.display);
    }
    for display_type in unknown_types {
        outcome.warnings.push(Warning {
            location: "column TYPE".to_string(),
            message: format!(
                "unknown display type \"{display_type}\" kept as the type; add it to rules/portal-types.csv"
            ),
        });
    }
    Ok(())
}

/// The portal writes tags as `key : value` pairs separated by `;` or `,` (or JSON when exported by
/// script); either way they become key → value.
fn parse_portal_tags(text: &str) -> crate::model::Tags {
    if let Ok(map) = serde_json::from_str::<std::collections::BTreeMap<String, String>>(text) {
        return map.into_iter().collect();
    }
    text.split([';', ','])
        .filter_map(|pair| {
            let (key, value) = pair.split_once(':')?;
            Some((key.trim().to_string(), value.trim().to_string()))
        })
        .filter(|(key, _)| !key.is_empty())
        .collect()
}
