//! The consultant's decisions (`--overrides`): a server override sets the server's colour, an application override
//! the application's; each is shown as the decision, with its reason, author and row, ahead of the rules' reasons
//! (which stay listed). Every override must name a server or application of the inventory, once.

use std::collections::{HashMap, HashSet};

use super::{ApplicationVerdict, Color, Counts, Override, Reason, ServerVerdict, Target};
use crate::error::{InputError, Result};
use crate::model::Cited;
use crate::model::codes::WorkloadsCode;

/// The override's reason: code `override`, or `override-<category>` for the seed's Red reasons.
fn override_reason(decision: &Override) -> Reason {
    let category = decision.category.as_deref().map(|c| c.trim().to_ascii_lowercase());
    let code = WorkloadsCode::for_override(category.as_deref()).as_str().to_string();
    let about = match &category {
        Some(c) => format!("{c}, by {}", decision.author),
        None => format!("by {}", decision.author),
    };
    Reason {
        code,
        color: decision.color,
        message: format!("Consultant's decision ({about}): {}", decision.reason),
        source: Cited::text_only(decision.source.clone()),
        review: false,
        server: None,
    }
}

fn unknown_target(decision: &Override, what: &str, name: &str, known: &[&str]) -> crate::error::Error {
    let mut listed: Vec<&str> = known.to_vec();
    listed.sort_unstable();
    listed.dedup();
    let shown = listed.iter().take(10).map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    let more = if listed.len() > 10 { format!(" and {} more", listed.len() - 10) } else { String::new() };
    InputError::new(
        &decision.path,
        format!("{what} \"{name}\" is not in the inventory ({what}s: {shown}{more}); an override must name one"),
    )
    .at(decision.location.clone())
    .column(decision.column.clone())
    .into()
}

/// Server overrides change the server; application overrides the application. Every override must name
/// something in the inventory, once. Names are matched ignoring case, through indexes built once.
pub(super) fn apply_overrides(
    verdicts: &mut [ServerVerdict],
    overrides: &[Override],
) -> Result<Vec<ApplicationVerdict>> {
    // (is an application, lower-case name) -> the decision.
    let mut decisions: HashMap<(bool, String), &Override> = HashMap::new();
    for decision in overrides {
        let (is_app, name) = match &decision.target {
            Target::Application(name) => (true, name.to_lowercase()),
            Target::Server(name) => (false, name.to_lowercase()),
        };
        if let Some(first) = decisions.insert((is_app, name), decision) {
            return Err(InputError::new(
                &decision.path,
                format!(
                    "a second override for the same {} (the first is at {})",
                    if is_app { "application" } else { "server" },
                    first.location
                ),
            )
            .at(decision.location.clone())
            .into());
        }
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, verdict) in verdicts.iter().enumerate() {
        by_name.entry(verdict.name.to_lowercase()).or_default().push(index);
    }
    for decision in overrides {
        let Target::Server(name) = &decision.target else { continue };
        let Some(matching) = by_name.get(&name.to_lowercase()) else {
            let known: Vec<&str> = verdicts.iter().map(|v| v.name.as_str()).collect();
            return Err(unknown_target(decision, "server", name, &known));
        };
        for &index in matching {
            let verdict = &mut verdicts[index];
            verdict.color = decision.color;
            verdict.overridden = true;
            verdict.needs_review = false;
            verdict.reasons.insert(0, override_reason(decision));
        }
    }

    // Applications in order of first appearance (grouping spells each one way, whatever the case in the inputs).
    let mut order: Vec<&str> = Vec::new();
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, verdict) in verdicts.iter().enumerate() {
        let entry = members.entry(verdict.application.as_str()).or_default();
        if entry.is_empty() {
            order.push(&verdict.application);
        }
        entry.push(index);
    }
    let known: HashSet<String> = order.iter().map(|a| a.to_lowercase()).collect();
    for decision in overrides {
        let Target::Application(name) = &decision.target else { continue };
        if !known.contains(&name.to_lowercase()) {
            return Err(unknown_target(decision, "application", name, &order));
        }
    }
    let applications = order
        .iter()
        .map(|name| {
            let servers: Vec<&ServerVerdict> = members[name].iter().map(|i| &verdicts[*i]).collect();
            let decision = decisions.get(&(true, name.to_lowercase())).copied();
            application(name, &servers, decision)
        })
        .collect();
    Ok(applications)
}

fn application(name: &str, servers: &[&ServerVerdict], decision: Option<&Override>) -> ApplicationVerdict {
    let mut counts = Counts::default();
    for server in servers {
        counts.add(server.color);
    }
    let rules_color = servers.iter().map(|s| s.color).max().unwrap_or(Color::Yellow);
    let mut reasons: Vec<Reason> = decision.map(override_reason).into_iter().collect();
    let mut server_reasons: Vec<Reason> = servers
        .iter()
        .flat_map(|s| s.reasons.iter().map(|r| Reason { server: Some(s.name.clone()), ..r.clone() }))
        .collect();
    // The consultant's decisions first, then worst colour first.
    server_reasons.sort_by_key(|r| (!r.is_override(), std::cmp::Reverse(r.color)));
    reasons.extend(server_reasons);
    ApplicationVerdict {
        name: name.to_string(),
        color: decision.map_or(rules_color, |d| d.color),
        rules_color,
        overridden: decision.is_some(),
        needs_review: decision.is_none() && servers.iter().any(|s| s.needs_review),
        servers: servers.iter().map(|s| s.name.clone()).collect(),
        counts,
        overridden_servers: servers.iter().filter(|s| s.overridden).count(),
        reasons,
    }
}
