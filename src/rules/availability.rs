//! Which services Azure CSP offers: the seed's availability matrix (`csp-availability.csv`, 002
//! L239–L352), its comments and exceptions (`csp-exceptions.csv`, L354–L403), and the hand-kept
//! crosswalk from service names to resource types and meter categories (`service-crosswalk.csv`).
//!
//! Only the GLOBAL column decides: csp-planner assesses moves into global Azure CSP subscriptions.
//! The seed contradicts itself on three services listed twice (StorSimple L261/L320, API Management
//! L268/L321, SQL Server Stretch Database L290/L326); their GLOBAL cells agree (available), the
//! contradictions are in the US Government and Germany columns only, so they do not change a verdict.
//! A Resource Manager type the crosswalk does not list is available (seed L233; anchors.md §2.4).

use crate::model::Cited;
use std::collections::HashMap;

use super::RuleFile;
use super::spans::{Problems, read_table};

/// Global availability of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    Yes,
    No,
    /// Available with a caveat (license-based, manual set-up after the move).
    Conditional,
}

/// What the rules say about one service a resource belongs to.
#[derive(Debug, Clone)]
pub struct ServiceRule {
    pub service: String,
    pub offered: Offered,
    pub message: String,
    pub workaround: Option<String>,
    /// The matrix or exception lines, and the crosswalk line that tied the resource to the service.
    pub source: Cited,
    pub rule: String,
}

#[derive(Debug, Clone)]
struct Service {
    offered: Offered,
    message: String,
    workaround: Option<String>,
    sources: Vec<Cited>,
}

#[derive(Debug, Clone)]
struct Link {
    service: String,
    rule: String,
    source: Cited,
}

#[derive(Debug, Clone, Default)]
pub struct Availability {
    services: HashMap<String, Service>,
    /// Matrix rows read (the seed's 92).
    pub matrix_rows: Vec<(String, String)>,
    by_type: HashMap<String, Vec<Link>>,
    by_namespace: HashMap<String, Vec<Link>>,
    by_meter_category: HashMap<String, Vec<Link>>,
}

fn offered(cell: &str) -> Option<Offered> {
    match cell {
        "yes" => Some(Offered::Yes),
        "no" => Some(Offered::No),
        "conditional" => Some(Offered::Conditional),
        _ => None,
    }
}

impl Availability {
    pub(super) fn parse(
        matrix: &RuleFile,
        exceptions: &RuleFile,
        crosswalk: &RuleFile,
        list: &mut Vec<crate::error::RuleProblem>,
    ) -> Self {
        let mut availability = Availability::default();
        availability.read_matrix(matrix, &mut Problems { file: matrix, list });
        availability.read_exceptions(exceptions, &mut Problems { file: exceptions, list });
        availability.read_crosswalk(crosswalk, &mut Problems { file: crosswalk, list });
        availability
    }

    fn read_matrix(&mut self, file: &RuleFile, problems: &mut Problems) {
        let header = ["category", "service", "global", "us_government", "germany", "source"];
        for (line, cells) in read_table(file, &header, &mut *problems.list) {
            let flags: Vec<Option<Offered>> =
                cells[2..5].iter().map(|c| offered(c).filter(|o| *o != Offered::Conditional)).collect();
            let Some(Some(global)) = flags.first().copied() else {
                problems.line(line, "global, us_government and germany must be yes or no");
                continue;
            };
            if flags.iter().any(Option::is_none) {
                problems.line(line, "global, us_government and germany must be yes or no");
            }
            self.matrix_rows.push((cells[1].clone(), file.cite(&cells[5])));
            let message = match global {
                Offered::Yes => format!("{} is available in Azure CSP", cells[1]),
                _ => format!("{} is not available in Azure CSP", cells[1]),
            };
            let service = self.services.entry(cells[1].to_ascii_lowercase()).or_insert(Service {
                offered: global,
                message,
                workaround: None,
                sources: Vec::new(),
            });
            if service.offered != global {
                problems.line(line, format!("{} is listed again with another GLOBAL value", cells[1]));
            }
            service.sources.push(file.cited(&cells[5]));
        }
    }

    fn read_exceptions(&mut self, file: &RuleFile, problems: &mut Problems) {
        let header = ["item", "global", "message", "workaround", "source"];
        let mut seen = std::collections::HashSet::new();
        // `workaround` may be empty: read_table rejects empty cells, so it is read leniently here.
        for (line, cells) in super::type_tables::read_table_allowing_empty(file, &header, &[3], &mut *problems.list) {
            let Some(offered) = offered(&cells[1]) else {
                problems.line(line, format!("global must be yes, no or conditional, found \"{}\"", cells[1]));
                continue;
            };
            let key = cells[0].to_ascii_lowercase();
            if !seen.insert(key.clone()) {
                problems.line(line, format!("\"{}\" is listed twice", cells[0]));
                continue;
            }
            let workaround = Some(cells[3].clone()).filter(|w| !w.is_empty());
            // An exception refines the matrix row of the same service (Key Vault: available, but
            // its access policies must be set up by hand).
            let sources = match self.services.remove(&key) {
                Some(matrix) => [matrix.sources, vec![file.cited(&cells[4])]].concat(),
                None => vec![file.cited(&cells[4])],
            };
            self.services.insert(key, Service { offered, message: cells[2].clone(), workaround, sources });
        }
    }

    fn read_crosswalk(&mut self, file: &RuleFile, problems: &mut Problems) {
        let header = ["service", "match", "pattern", "source"];
        for (line, cells) in super::type_tables::read_table_allowing_empty(file, &header, &[2], &mut *problems.list) {
            if !self.services.contains_key(&cells[0].to_ascii_lowercase()) {
                problems.line(
                    line,
                    format!("service \"{}\" is neither in csp-availability.csv nor in csp-exceptions.csv", cells[0]),
                );
                continue;
            }
            let link = Link {
                service: cells[0].clone(),
                rule: format!("rules/{} line {line}", file.name),
                source: file.cited(&cells[3]),
            };
            let pattern = cells[2].to_ascii_lowercase();
            match (cells[1].as_str(), pattern.strip_suffix("/*")) {
                ("type", Some(namespace)) => self.by_namespace.entry(namespace.to_string()).or_default().push(link),
                ("type", None) if pattern.contains('/') => self.by_type.entry(pattern).or_default().push(link),
                ("meter_category", _) if !pattern.is_empty() => {
                    self.by_meter_category.entry(pattern).or_default().push(link)
                }
                ("none", _) => {}
                _ => problems.line(
                    line,
                    "match must be type (with a Namespace/type pattern), meter_category (with a category) or none",
                ),
            }
        }
    }

    /// The services a resource belongs to, by its type and by the meter categories of its usage.
    pub fn services_of<'a>(
        &self,
        resource_type: &str,
        meter_categories: impl Iterator<Item = &'a str>,
    ) -> Vec<ServiceRule> {
        let resource_type = resource_type.to_ascii_lowercase();
        let namespace = resource_type.split('/').next().unwrap_or_default().to_string();
        let mut links: Vec<&Link> = Vec::new();
        links.extend(self.by_type.get(&resource_type).into_iter().flatten());
        links.extend(self.by_namespace.get(&namespace).into_iter().flatten());
        for category in meter_categories {
            links.extend(self.by_meter_category.get(&category.to_ascii_lowercase()).into_iter().flatten());
        }
        let mut rules: Vec<ServiceRule> = Vec::new();
        for link in links {
            if rules.iter().any(|r| r.service == link.service) {
                continue;
            }
            let Some(service) = self.services.get(&link.service.to_ascii_lowercase()) else { continue };
            rules.push(ServiceRule {
                service: link.service.clone(),
                offered: service.offered,
                message: service.message.clone(),
                workaround: service.workaround.clone(),
                source: Cited::join(service.sources.iter().chain([&link.source])),
                rule: link.rule.clone(),
            });
        }
        rules
    }

    pub fn service_count(&self) -> usize {
        self.services.len()
    }
}
