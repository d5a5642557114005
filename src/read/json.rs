//! Resource lists as JSON: `az resource list -o json` (an array) and Azure Resource Graph
//! (`az graph query` output: an object with a `data` array, or a plain array). Also accepted: an ARM
//! REST list response (`{"value": [...]}`).

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::{Outcome, ReadContext};
use crate::error::{InputError, Result};
use crate::model::resource::normalize_location;
use crate::model::{Resource, Warning, resource_id};

/// Which JSON shape a document is: `arg-json` for Resource Graph, `az-json` for `az resource list`.
pub fn detect(document: &Value) -> Option<&'static str> {
    match document {
        Value::Object(map) if map.get("data").is_some_and(Value::is_array) => Some("arg-json"),
        Value::Object(map) if map.get("value").is_some_and(Value::is_array) => Some("az-json"),
        // Resource Graph results carry tenantId and subscriptionId on every row; az resource list does not.
        Value::Array(items)
            if items.iter().any(|i| i.get("tenantId").is_some() || i.get("subscriptionId").is_some()) =>
        {
            Some("arg-json")
        }
        Value::Array(_) => Some("az-json"),
        _ => None,
    }
}

/// Parses the whole document (resource lists are small next to usage exports: 50,000 resources
/// is tens of megabytes) and reports a syntax error with its line and column.
pub fn parse(path: &Path, mut reader: Box<dyn Read + Send>) -> Result<Value> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| InputError::new(path, format!("cannot read as text: {e}")))?;
    serde_json::from_str(&text).map_err(|e| {
        InputError::new(path, format!("malformed JSON: {e}"))
            .at(format!("line {}, column {}", e.line(), e.column()))
            .into()
    })
}

pub fn read(document: Value, ctx: &ReadContext, outcome: &mut Outcome) -> Result<()> {
    let (pointer, items) = match document {
        Value::Array(items) => (String::new(), items),
        Value::Object(mut map) => match (map.remove("data"), map.remove("value")) {
            (Some(Value::Array(items)), _) => ("/data".to_string(), items),
            (_, Some(Value::Array(items))) => ("/value".to_string(), items),
            _ => return Err(not_a_list(ctx)),
        },
        _ => return Err(not_a_list(ctx)),
    };
    for (index, item) in items.into_iter().enumerate() {
        let location = format!("element {pointer}/{index}");
        outcome.rows += 1;
        match resource_from(item) {
            Ok(resource) => outcome.push(resource, location, &ctx.display),
            Err(message) => outcome.warnings.push(Warning { location, message: format!("skipped: {message}") }),
        }
    }
    Ok(())
}

fn not_a_list(ctx: &ReadContext) -> crate::error::Error {
    InputError::new(
        &ctx.path,
        "expected a JSON array of resources (az resource list), or an object with a \"data\" array (Resource Graph) or a \"value\" array (ARM REST)",
    )
    .into()
}

fn resource_from(item: Value) -> Result<Resource, String> {
    let Value::Object(mut map) = item else {
        return Err("not a JSON object".to_string());
    };
    let mut text = |key: &str| match map.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
    let id = text("id").ok_or("no \"id\" string")?;
    let parsed = resource_id::parse(&id);
    let resource_type = text("type")
        .or_else(|| parsed.as_ref().map(|p| p.resource_type.clone()))
        .ok_or("no \"type\" string and the id is not a Resource Manager ID")?;
    let name = text("name").or_else(|| parsed.as_ref().map(|p| p.name.clone())).unwrap_or_else(|| id.clone());
    let mut resource = Resource::new(id, name, resource_type);
    resource.resource_group = text("resourceGroup").or_else(|| parsed.as_ref().and_then(|p| p.resource_group.clone()));
    resource.subscription_id =
        text("subscriptionId").or_else(|| parsed.as_ref().and_then(|p| p.subscription_id.clone()));
    resource.location = text("location").map(|l| normalize_location(&l));
    resource.kind = text("kind");
    resource.sku = map.remove("sku").filter(|v| !v.is_null());
    resource.tags = match map.remove("tags") {
        Some(Value::Object(tags)) => tags
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Default::default(),
    };
    resource.properties = map.remove("properties").filter(|v| !v.is_null());
    resource.plan = map.remove("plan").filter(|v| !v.is_null());
    Ok(resource)
}
