//! The partials each template includes, checked for loops before anything is rendered.
//!
//! handlebars refuses a partial that includes itself directly, but not two that include each other
//! (`{{> a}}` in `b`, `{{> b}}` in `a`): rendering them recurses until the stack overflows and the process
//! aborts. The includes are therefore read from the parsed templates and any loop is an error naming the
//! templates in it. Without loops an include chain visits each template at most once, so its depth is bounded
//! by the number of templates. A partial whose name is computed (`{{> (lookup …)}}`) cannot be checked and is
//! refused.

use std::collections::{BTreeMap, BTreeSet};

use handlebars::template::{Parameter, Template, TemplateElement};

/// handlebars' name for the block passed to a partial (`{{> @partial-block}}`): not a template of its own.
const PARTIAL_BLOCK: &str = "@partial-block";

/// Besides the partials a template names: whether it computes a partial's name, and the inline partials
/// (`{{#*inline "x"}}`) it defines with what each of those includes.
#[derive(Default)]
struct Found {
    computed: bool,
    inline: Vec<(String, BTreeSet<String>)>,
}

/// The include graph of the registered templates: name → the names it includes. Inline partials are nodes of
/// their own, named as they are called. `Err` names a template whose partial name is computed.
pub fn graph<'t>(
    templates: impl Iterator<Item = (&'t str, &'t Template)>,
) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, template) in templates {
        let (mut partials, mut found) = (BTreeSet::new(), Found::default());
        collect(template, &mut partials, &mut found);
        if found.computed {
            return Err(name.to_string());
        }
        for (inline, partials) in found.inline {
            edges.entry(inline).or_default().extend(partials);
        }
        edges.entry(name.to_string()).or_default().extend(partials);
    }
    Ok(edges)
}

/// Adds the partials `template` names to `into`; inline partials' contents go to `found.inline`.
fn collect(template: &Template, into: &mut BTreeSet<String>, found: &mut Found) {
    for element in &template.elements {
        match element {
            TemplateElement::PartialExpression(partial) | TemplateElement::PartialBlock(partial) => {
                match &partial.name {
                    Parameter::Name(_) | Parameter::Path(_) => {
                        let name = partial.name.as_name().unwrap_or_default();
                        if name != PARTIAL_BLOCK {
                            into.insert(name.to_string());
                        }
                    }
                    Parameter::Literal(value) => match value.as_str() {
                        Some(name) => drop(into.insert(name.to_string())),
                        None => found.computed = true,
                    },
                    // A subexpression, or a kind of name a later handlebars adds: not known until rendering.
                    _ => found.computed = true,
                }
                if let Some(block) = &partial.template {
                    collect(block, into, found);
                }
            }
            TemplateElement::DecoratorBlock(decorator) if decorator.name.as_name() == Some("inline") => {
                let name = decorator.params.first().and_then(|p| match p {
                    Parameter::Literal(value) => value.as_str().map(str::to_string),
                    other => other.as_name().map(str::to_string),
                });
                let mut partials = BTreeSet::new();
                if let Some(block) = &decorator.template {
                    collect(block, &mut partials, found);
                }
                found.inline.push((name.unwrap_or_default(), partials));
            }
            TemplateElement::DecoratorBlock(decorator) => {
                if let Some(block) = &decorator.template {
                    collect(block, into, found);
                }
            }
            TemplateElement::HelperBlock(helper) => {
                for block in [&helper.template, &helper.inverse].into_iter().flatten() {
                    collect(block, into, found);
                }
            }
            _ => {}
        }
    }
}

/// A loop in the graph, as the names along it from its first template back to it (`[a, b, a]`); `None`
/// when there is none. Depth-first, iterative: a long chain cannot overflow the stack either.
pub fn find_loop(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: BTreeMap<&str, State> = BTreeMap::new();
    for start in edges.keys() {
        if state.contains_key(start.as_str()) {
            continue;
        }
        // The path from `start`, each name with the includes not yet followed.
        let mut path: Vec<(&str, Vec<&str>)> = vec![(start, children(edges, start))];
        state.insert(start, State::Open);
        while let Some((_, pending)) = path.last_mut() {
            let Some(next) = pending.pop() else {
                let (done, _) = path.pop().unwrap_or_default();
                state.insert(done, State::Done);
                continue;
            };
            match state.get(next) {
                Some(State::Open) => {
                    let from = path.iter().position(|(name, _)| *name == next).unwrap_or(0);
                    let mut names: Vec<String> = path[from..].iter().map(|(name, _)| name.to_string()).collect();
                    names.push(next.to_string());
                    return Some(names);
                }
                Some(State::Done) => {}
                None => {
                    state.insert(next, State::Open);
                    path.push((next, children(edges, next)));
                }
            }
        }
    }
    None
}

fn children<'e>(edges: &'e BTreeMap<String, BTreeSet<String>>, name: &str) -> Vec<&'e str> {
    edges.get(name).map(|set| set.iter().map(String::as_str).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_of(templates: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let compiled: Vec<(&str, Template)> =
            templates.iter().map(|(name, text)| (*name, Template::compile(text).unwrap())).collect();
        graph(compiled.iter().map(|(name, template)| (*name, template))).unwrap()
    }

    #[test]
    fn two_templates_that_include_each_other_are_a_loop() {
        let edges = graph_of(&[("report", "{{> a}}"), ("a", "x{{#if y}}{{> b}}{{/if}}"), ("b", "{{> a}}")]);
        assert_eq!(find_loop(&edges), Some(vec!["a".to_string(), "b".to_string(), "a".to_string()]));
    }

    #[test]
    fn a_chain_and_a_shared_partial_are_not_a_loop() {
        let edges = graph_of(&[("report", "{{> a}}{{> b}}"), ("a", "{{> c}}"), ("b", "{{> c}}"), ("c", "end")]);
        assert_eq!(find_loop(&edges), None);
    }

    #[test]
    fn an_inline_partial_that_calls_itself_is_a_loop() {
        let edges = graph_of(&[("report", "{{#*inline \"row\"}}{{> row}}{{/inline}}{{> row}}")]);
        assert_eq!(find_loop(&edges), Some(vec!["row".to_string(), "row".to_string()]));
    }

    #[test]
    fn a_computed_partial_name_is_refused() {
        let template = Template::compile("{{> (lookup this \"name\")}}").unwrap();
        assert_eq!(graph([("summary", &template)].into_iter()).err().as_deref(), Some("summary"));
    }
}
