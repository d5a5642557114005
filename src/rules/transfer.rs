//! The transfer rules: `rules/transfer-paths.toml` (what each path means, the agreements' paths, the checks, the
//! fates of commitments, the partner-change checks), `rules/offers.csv` (offer IDs → agreement) and
//! `rules/reservation-markets.csv` (the markets where CSP sells no reservations). Parsed and validated at once,
//! every problem to the same list.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::RuleFile;
use super::input_kinds::line_col;
use super::type_tables::read_table;
use crate::error::RuleProblem;
use crate::model::Cited;
use crate::model::transfer::{CheckId, Fate, TransferPath, TransferVerdict};

pub const PATHS_FILE: &str = "transfer-paths.toml";
pub const OFFERS_FILE: &str = "offers.csv";
pub const MARKETS_FILE: &str = "reservation-markets.csv";

/// The commitment kinds a fate is given for (rules/commitments.toml's kinds).
pub const COMMITMENT_KINDS: [&str; 4] = ["reservation", "savings-plan", "marketplace", "purchase"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    route: BTreeMap<String, RawRoute>,
    agreement: Vec<RawAgreement>,
    check: Vec<RawCheck>,
    fate: Vec<RawFate>,
    reservations_market: RawMessage,
    cocp: RawCocp,
    multichannel: RawNote,
    dpor: RawNote,
    licence: Vec<RawLicence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicence {
    id: String,
    os: Vec<String>,
    message: String,
    source: String,
}

/// A licence note for the servers whose operating system names one of `os` (lowercase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRule {
    pub id: String,
    pub os: Vec<String>,
    pub message: String,
    pub source: Cited,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    title: String,
    keeps: String,
    source: String,
    deadline_days: Option<u32>,
    deadline_source: Option<String>,
    actions: Vec<RawAction>,
    prerequisites: Vec<RawText>,
    does_not_carry_over: Vec<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    who: String,
    what: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    text: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: String,
    title: String,
    path: String,
    #[serde(default)]
    requires_partner: Vec<String>,
    otherwise: Option<String>,
    message: String,
    source: String,
    #[serde(default)]
    statements: Vec<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    paths: Vec<String>,
    verdict: String,
    message: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFate {
    kind: String,
    path: String,
    fate: String,
    message: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMessage {
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNote {
    message: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCocp {
    agreements: Vec<String>,
    who: String,
    accept_days: u32,
    accept_source: String,
    expire_days: u32,
    expire_source: String,
    effective_days: u32,
    effective_source: String,
    message: String,
    source: String,
    out_of_scope_programs: Vec<String>,
    out_of_scope_source: String,
}

/// Someone who must act, and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub who: String,
    pub what: String,
    pub source: Cited,
}

/// A sentence with its source (a prerequisite, something that does not carry over).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced {
    pub text: String,
    pub source: Cited,
}

/// What one path means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub title: String,
    pub keeps: String,
    pub source: Cited,
    pub deadline: Option<(u32, Cited)>,
    pub actions: Vec<Action>,
    pub prerequisites: Vec<Sourced>,
    pub does_not_carry_over: Vec<Sourced>,
}

/// A partner fact a path needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerRequirement {
    DirectBill,
    AzureExpertMsp,
}

impl PartnerRequirement {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRequirement::DirectBill => "direct_bill",
            PartnerRequirement::AzureExpertMsp => "azure_expert_msp",
        }
    }
}

/// An agreement's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRule {
    pub id: String,
    pub title: String,
    pub path: TransferPath,
    pub requires_partner: Vec<PartnerRequirement>,
    pub otherwise: Option<TransferPath>,
    pub message: String,
    pub source: Cited,
    /// Pages that disagree about this agreement, each quoted: the verdict is conditional.
    pub statements: Vec<Sourced>,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRule {
    pub paths: Vec<TransferPath>,
    pub verdict: TransferVerdict,
    pub message: String,
    pub source: Cited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FateRule {
    pub fate: Fate,
    pub message: String,
    pub source: Cited,
}

/// An offer ID's agreement (`ea` when the offer does not say direct or indirect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub offer_id: String,
    pub agreement: String,
    pub dev_test: bool,
    pub cloud: String,
    pub source: Cited,
}

/// A market where CSP sells no Azure reservations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Market {
    pub name: String,
    pub source: Cited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cocp {
    pub agreements: Vec<String>,
    pub who: String,
    pub accept: (u32, Cited),
    pub expire: (u32, Cited),
    pub effective: (u32, Cited),
    pub message: String,
    pub source: Cited,
    pub out_of_scope_programs: Vec<String>,
    pub out_of_scope_source: Cited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub source: Cited,
}

/// The validated transfer rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRules {
    pub routes: BTreeMap<TransferPath, Route>,
    pub agreements: Vec<AgreementRule>,
    pub checks: BTreeMap<CheckId, CheckRule>,
    pub fates: BTreeMap<(String, TransferPath), FateRule>,
    offers: HashMap<String, Offer>,
    markets: Vec<Market>,
    /// Every name and alias of a market, normalised, → its index in `markets`.
    market_names: HashMap<String, usize>,
    pub reservations_market_message: String,
    pub cocp: Cocp,
    pub multichannel: Note,
    pub dpor: Note,
    pub licences: Vec<LicenceRule>,
}

/// Problems of one file, each with its place.
struct Sink<'a> {
    file: &'a RuleFile,
    list: &'a mut Vec<RuleProblem>,
}

impl Sink<'_> {
    fn at(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.list.push(self.file.problem(Some(place.into()), message));
    }

    fn cited(&mut self, place: &str, source: &str) -> Cited {
        if source.trim().is_empty() {
            self.at(place, "`source` must not be empty");
        }
        self.file.cited(source)
    }

    fn path(&mut self, place: &str, text: &str) -> Option<TransferPath> {
        let path = TransferPath::parse(text);
        if path.is_none() {
            self.at(place, format!("unknown path `{text}`: expected one of {}", TransferPath::listed()));
        }
        path
    }
}

/// Market names compare ignoring case, accents of the common letters and punctuation.
pub fn normalize_market(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'Å' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'î' | 'ï' => 'i',
            'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ç' => 'c',
            'ñ' => 'n',
            'ú' | 'ü' => 'u',
            other => other,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl TransferRules {
    pub fn parse(paths: &RuleFile, offers: &RuleFile, markets: &RuleFile, list: &mut Vec<RuleProblem>) -> Self {
        let raw: Option<RawFile> = match toml::from_str(&paths.text) {
            Ok(raw) => Some(raw),
            Err(e) => {
                let location = e.span().map(|span| line_col(&paths.text, span.start));
                list.push(paths.problem(location, e.message().to_string()));
                None
            }
        };
        let mut rules = raw.map(|raw| Self::from_raw(raw, &mut Sink { file: paths, list })).unwrap_or_else(Self::empty);
        rules.read_offers(offers, list);
        rules.read_markets(markets, list);
        rules
    }

    fn empty() -> Self {
        let note = || Note { message: String::new(), source: Cited::default() };
        TransferRules {
            routes: BTreeMap::new(),
            agreements: Vec::new(),
            checks: BTreeMap::new(),
            fates: BTreeMap::new(),
            offers: HashMap::new(),
            markets: Vec::new(),
            market_names: HashMap::new(),
            reservations_market_message: String::new(),
            cocp: Cocp {
                agreements: Vec::new(),
                who: String::new(),
                accept: (0, Cited::default()),
                expire: (0, Cited::default()),
                effective: (0, Cited::default()),
                message: String::new(),
                source: Cited::default(),
                out_of_scope_programs: Vec::new(),
                out_of_scope_source: Cited::default(),
            },
            multichannel: note(),
            dpor: note(),
            licences: Vec::new(),
        }
    }

    fn from_raw(raw: RawFile, sink: &mut Sink) -> Self {
        let mut rules = Self::empty();
        for (name, route) in raw.route {
            let place = format!("[route.{name}]");
            let Some(path) = sink.path(&place, &name) else { continue };
            let parsed = read_route(route, &place, sink);
            rules.routes.insert(path, parsed);
        }
        for path in TransferPath::ALL.iter().filter(|p| !rules.routes.contains_key(p)) {
            sink.at("[route]", format!("no [route.{}]: every path needs its table", path.as_str()));
        }
        for (index, agreement) in raw.agreement.into_iter().enumerate() {
            let place = format!("[[agreement]] #{} ({})", index + 1, agreement.id);
            if let Some(parsed) = read_agreement(agreement, &place, sink) {
                if rules.agreements.iter().any(|a| a.id == parsed.id) {
                    sink.at(&place, format!("agreement `{}` is listed twice", parsed.id));
                }
                rules.agreements.push(parsed);
            }
        }
        rules.read_checks(raw.check, sink);
        rules.read_fates(raw.fate, sink);
        if !raw.reservations_market.message.contains("{country}") {
            sink.at("[reservations_market]", "`message` must name the billing country as {country}");
        }
        rules.reservations_market_message = raw.reservations_market.message;
        rules.cocp = read_cocp(raw.cocp, sink);
        for id in rules.cocp.agreements.iter().filter(|id| !rules.agreements.iter().any(|a| &a.id == *id)) {
            sink.at("[cocp]", format!("`agreements` names `{id}`, which no [[agreement]] defines"));
        }
        rules.multichannel =
            Note { source: sink.cited("[multichannel]", &raw.multichannel.source), message: raw.multichannel.message };
        rules.dpor = Note { source: sink.cited("[dpor]", &raw.dpor.source), message: raw.dpor.message };
        for licence in raw.licence {
            let place = format!("[[licence]] {}", licence.id);
            if licence.os.iter().all(|w| w.trim().is_empty()) {
                sink.at(&place, "`os` names no operating system");
            }
            let source = sink.cited(&place, &licence.source);
            let os = licence.os.iter().map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
            rules.licences.push(LicenceRule { id: licence.id, os, message: licence.message, source });
        }
        rules
    }

    fn read_checks(&mut self, raw: Vec<RawCheck>, sink: &mut Sink) {
        for check in raw {
            let place = format!("[[check]] {}", check.id);
            let Some(id) = CheckId::parse(&check.id) else {
                sink.at(&place, format!("unknown check `{}`: expected one of {}", check.id, CheckId::listed()));
                continue;
            };
            let Some(verdict) = TransferVerdict::parse(&check.verdict).filter(|v| *v != TransferVerdict::Eligible)
            else {
                sink.at(&place, "`verdict` must be conditional or blocked");
                continue;
            };
            let paths = check.paths.iter().filter_map(|p| sink.path(&place, p)).collect();
            let source = sink.cited(&place, &check.source);
            if self.checks.insert(id, CheckRule { paths, verdict, message: check.message, source }).is_some() {
                sink.at(&place, "listed twice");
            }
        }
        for id in CheckId::ALL.iter().filter(|id| !self.checks.contains_key(id)) {
            sink.at("[[check]]", format!("no [[check]] `{}`: every check needs its text and source", id.as_str()));
        }
    }

    fn read_fates(&mut self, raw: Vec<RawFate>, sink: &mut Sink) {
        for fate in raw {
            let place = format!("[[fate]] {} on {}", fate.kind, fate.path);
            if !COMMITMENT_KINDS.contains(&fate.kind.as_str()) {
                sink.at(
                    &place,
                    format!("unknown kind `{}`: expected one of {}", fate.kind, COMMITMENT_KINDS.join(", ")),
                );
                continue;
            }
            let Some(path) = sink.path(&place, &fate.path) else { continue };
            let Some(parsed) = Fate::parse(&fate.fate) else {
                sink.at(&place, format!("unknown fate `{}`: expected one of {}", fate.fate, Fate::listed()));
                continue;
            };
            let source = sink.cited(&place, &fate.source);
            let rule = FateRule { fate: parsed, message: fate.message, source };
            if self.fates.insert((fate.kind.clone(), path), rule).is_some() {
                sink.at(&place, "listed twice");
            }
        }
        for kind in COMMITMENT_KINDS {
            for path in TransferPath::ALL.iter().filter(|p| !self.fates.contains_key(&(kind.to_string(), **p))) {
                sink.at("[[fate]]", format!("no [[fate]] for {kind} on {}", path.as_str()));
            }
        }
    }

    fn read_offers(&mut self, file: &RuleFile, list: &mut Vec<RuleProblem>) {
        let header = ["offer_id", "agreement", "dev_test", "cloud", "source"];
        let rows = read_table(file, &header, list);
        let mut sink = Sink { file, list };
        for (line, cells) in rows {
            let place = format!("line {line}");
            let known = cells[1] == "ea" || self.agreements.iter().any(|a| a.id == cells[1]);
            if !known {
                sink.at(
                    &place,
                    format!("agreement `{}` is neither `ea` nor an [[agreement]] of {PATHS_FILE}", cells[1]),
                );
                continue;
            }
            let dev_test = match cells[2].as_str() {
                "0" => false,
                "1" => true,
                _ => {
                    sink.at(&place, "dev_test must be 0 or 1");
                    continue;
                }
            };
            if !["public", "government", "china"].contains(&cells[3].as_str()) {
                sink.at(&place, "cloud must be public, government or china");
                continue;
            }
            let offer = Offer {
                offer_id: cells[0].clone(),
                agreement: cells[1].clone(),
                dev_test,
                cloud: cells[3].clone(),
                source: sink.cited(&place, &cells[4]),
            };
            if self.offers.insert(cells[0].to_ascii_uppercase(), offer).is_some() {
                sink.at(&place, format!("offer `{}` is listed twice", cells[0]));
            }
        }
    }

    fn read_markets(&mut self, file: &RuleFile, list: &mut Vec<RuleProblem>) {
        let header = ["market", "aliases", "source"];
        let rows = super::type_tables::read_table_allowing_empty(file, &header, &[1], list);
        let mut sink = Sink { file, list };
        for (line, cells) in rows {
            let index = self.markets.len();
            let names = std::iter::once(cells[0].as_str()).chain(cells[1].split('|').map(str::trim));
            for name in names.filter(|n| !n.is_empty()) {
                if let Some(&other) = self.market_names.get(&normalize_market(name)).filter(|&&i| i != index) {
                    let first = &self.markets[other].name;
                    sink.at(format!("line {line}"), format!("\"{name}\" already names {first}"));
                }
                self.market_names.insert(normalize_market(name), index);
            }
            let source = sink.cited(&format!("line {line}"), &cells[2]);
            self.markets.push(Market { name: cells[0].clone(), source });
        }
        if self.markets.is_empty() {
            sink.at("line 1", "no markets: the file lists the markets where CSP sells no reservations");
        }
    }

    /// The licence notes of a server's operating system.
    pub fn licence_notes(&self, os: &str) -> impl Iterator<Item = &LicenceRule> {
        let os = os.to_lowercase();
        self.licences.iter().filter(move |rule| rule.os.iter().any(|word| os.contains(word.as_str())))
    }

    pub fn agreement(&self, id: &str) -> Option<&AgreementRule> {
        self.agreements.iter().find(|a| a.id == id)
    }

    pub fn offer(&self, offer_id: &str) -> Option<&Offer> {
        self.offers.get(&offer_id.trim().to_ascii_uppercase())
    }

    /// The market a billing country names (by its name, an alias or its ISO code), when CSP sells no reservations
    /// there.
    pub fn reservation_market(&self, country: &str) -> Option<&Market> {
        self.market_names.get(&normalize_market(country)).map(|&i| &self.markets[i])
    }

    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    pub fn route(&self, path: TransferPath) -> &Route {
        // Every path's route is checked at load.
        &self.routes[&path]
    }

    pub fn check(&self, id: CheckId) -> &CheckRule {
        &self.checks[&id]
    }

    pub fn fate(&self, kind: &str, path: TransferPath) -> Option<&FateRule> {
        self.fates.get(&(kind.to_string(), path))
    }
}

fn read_route(raw: RawRoute, place: &str, sink: &mut Sink) -> Route {
    let deadline = match (raw.deadline_days, raw.deadline_source) {
        (Some(days), Some(source)) => Some((days, sink.cited(place, &source))),
        (None, None) => None,
        _ => {
            sink.at(place, "`deadline_days` and `deadline_source` go together");
            None
        }
    };
    let actions = raw
        .actions
        .into_iter()
        .map(|a| Action { source: sink.cited(place, &a.source), who: a.who, what: a.what })
        .collect();
    let mut texts = |list: Vec<RawText>| -> Vec<Sourced> {
        list.into_iter().map(|t| Sourced { source: sink.cited(place, &t.source), text: t.text }).collect()
    };
    let prerequisites = texts(raw.prerequisites);
    let does_not_carry_over = texts(raw.does_not_carry_over);
    Route {
        title: raw.title,
        keeps: raw.keeps,
        source: sink.cited(place, &raw.source),
        deadline,
        actions,
        prerequisites,
        does_not_carry_over,
    }
}

fn read_agreement(raw: RawAgreement, place: &str, sink: &mut Sink) -> Option<AgreementRule> {
    let path = sink.path(place, &raw.path)?;
    let otherwise = raw.otherwise.as_deref().and_then(|p| sink.path(place, p));
    let mut requires_partner = Vec::new();
    for name in &raw.requires_partner {
        match name.as_str() {
            "direct_bill" => requires_partner.push(PartnerRequirement::DirectBill),
            "azure_expert_msp" => requires_partner.push(PartnerRequirement::AzureExpertMsp),
            other => {
                sink.at(place, format!("unknown partner fact `{other}`: expected direct_bill or azure_expert_msp"))
            }
        }
    }
    if requires_partner.is_empty() != otherwise.is_none() {
        sink.at(place, "`requires_partner` and `otherwise` go together");
    }
    let statements =
        raw.statements.into_iter().map(|t| Sourced { source: sink.cited(place, &t.source), text: t.text }).collect();
    Some(AgreementRule {
        source: sink.cited(place, &raw.source),
        id: raw.id,
        title: raw.title,
        path,
        requires_partner,
        otherwise,
        message: raw.message,
        statements,
        rule: format!("rules/{PATHS_FILE} {place}"),
    })
}

fn read_cocp(raw: RawCocp, sink: &mut Sink) -> Cocp {
    let place = "[cocp]";
    Cocp {
        accept: (raw.accept_days, sink.cited(place, &raw.accept_source)),
        expire: (raw.expire_days, sink.cited(place, &raw.expire_source)),
        effective: (raw.effective_days, sink.cited(place, &raw.effective_source)),
        source: sink.cited(place, &raw.source),
        out_of_scope_source: sink.cited(place, &raw.out_of_scope_source),
        agreements: raw.agreements,
        who: raw.who,
        message: raw.message,
        out_of_scope_programs: raw.out_of_scope_programs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    #[test]
    fn the_embedded_rules_know_every_path_check_fate_and_market() {
        let rules = &Rules::embedded().transfer;
        assert_eq!(rules.routes.len(), 4);
        assert_eq!(rules.markets().len(), 109);
        assert_eq!(rules.reservation_market("Eswatini").unwrap().name, "Swaziland");
        assert_eq!(rules.reservation_market("sz").unwrap().name, "Swaziland");
        assert_eq!(rules.reservation_market("Sao Tome and Principe").unwrap().name, "São Tomé and Príncipe");
        assert!(rules.reservation_market("Germany").is_none());
        assert_eq!(rules.offer("ms-azr-0017p").unwrap().agreement, "ea");
        assert_eq!(rules.route(TransferPath::PartnerTransfer).deadline.as_ref().unwrap().0, 30);
    }
}
