//! `move-support.csv`: whether a Resource Manager type can move to another resource group and to
//! another subscription — every row of Microsoft's move-support-resources.csv, with its line.
//!
//! The source lists four types twice. Same flags: the first row is used. Conflicting flags
//! (`Microsoft.Maintenance/maintenanceconfigurations`: 1,1 on line 402 and 0,0 on line 405): the
//! more restrictive flags are used and both lines are cited, because a move that fails in front of the
//! customer costs more than a resource wrongly held back for review.
//!
//! Some rows qualify their type with a note in parentheses (`Microsoft.Network/vpngateways(VirtualWAN)`,
//! `Microsoft.Web/certificates(managed)`): the row is about the type before the parenthesis, and the note says
//! which resources of it the row means. A resource's type never carries the note, so the row is filed under
//! the plain type ([`annotated_type`]):
//! - no plain row for the type (`vpngateways(VirtualWAN)`): the annotated row is the type's row, and its note
//!   is shown with the verdict;
//! - a plain row as well (`Microsoft.Web/certificates` 0,1 and `certificates(managed)` 0,0): the plain row
//!   decides, and the annotated row is kept as a [`Variant`] the verdict names (the assessment cannot tell
//!   from the type which of the two a resource is).

use crate::model::Cited;
use std::collections::HashMap;

use super::RuleFile;
use super::spans::{Problems, read_table};

#[derive(Debug, Clone)]
pub struct MoveSupport {
    /// The type as the file spells it, without its note (`Microsoft.Network/vpngateways`).
    pub resource_type: String,
    /// The cell as the file spells it, with its note (`Microsoft.Network/vpngateways(VirtualWAN)`).
    pub listed_as: String,
    pub resource_group: bool,
    pub subscription: bool,
    pub rule: String,
    pub source: Cited,
    /// The note of an annotated row (`VirtualWAN`), when the type's row is one.
    pub note: Option<String>,
    /// Annotated rows of the same type beside its plain row.
    pub variants: Vec<Variant>,
}

/// An annotated row of a type that also has a plain row (`Microsoft.Web/certificates(managed)`).
#[derive(Debug, Clone)]
pub struct Variant {
    /// The cell as the file spells it (`Microsoft.Web/certificates(managed)`).
    pub listed_as: String,
    pub note: String,
    pub resource_group: bool,
    pub subscription: bool,
    pub rule: String,
    pub source: Cited,
}

/// `Namespace/type(note)` → (`Namespace/type`, `Some("note")`); a cell without a note → (cell, `None`).
/// `None` when the cell is not a type with at most one trailing note in parentheses.
pub fn annotated_type(cell: &str) -> Option<(&str, Option<&str>)> {
    let (resource_type, note) = match cell.split_once('(') {
        None => (cell, None),
        Some((resource_type, rest)) => {
            let note = rest.strip_suffix(')')?.trim();
            if note.is_empty() || note.contains(['(', ')']) {
                return None;
            }
            (resource_type.trim_end(), Some(note))
        }
    };
    let mut parts = resource_type.split('/');
    let namespace_and_type = parts.next().is_some_and(|ns| !ns.is_empty()) && parts.next().is_some();
    let clean = resource_type.split('/').all(|p| !p.is_empty() && !p.contains([' ', ')']));
    (namespace_and_type && clean).then_some((resource_type, note))
}

#[derive(Debug, Clone, Default)]
pub struct MoveSupportTable {
    by_type: HashMap<String, MoveSupport>,
    /// Data rows, for reports.
    pub rows: usize,
}

impl MoveSupportTable {
    pub(super) fn parse(file: &RuleFile, problems: &mut Problems) -> Self {
        let header = ["resource_type", "move_resource_group", "move_subscription", "source"];
        let mut table = MoveSupportTable::default();
        for (line, cells) in read_table(file, &header, &mut *problems.list) {
            let flag = |cell: &str| match cell {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            };
            let (Some(resource_group), Some(subscription)) = (flag(&cells[1]), flag(&cells[2])) else {
                problems.line(line, "move_resource_group and move_subscription must be 0 or 1");
                continue;
            };
            let Some((resource_type, note)) = annotated_type(&cells[0]) else {
                problems.line(
                    line,
                    format!(
                        "`{}` is not a resource type: expected `Namespace/type`, optionally followed by one note in parentheses (`Microsoft.Network/vpngateways(VirtualWAN)`)",
                        cells[0]
                    ),
                );
                continue;
            };
            table.rows += 1;
            let entry = MoveSupport {
                resource_type: resource_type.to_string(),
                listed_as: cells[0].clone(),
                resource_group,
                subscription,
                rule: format!("rules/{} line {line}", file.name),
                source: file.cited(&cells[3]),
                note: note.map(str::to_string),
                variants: Vec::new(),
            };
            table.add(entry, line);
        }
        table
    }

    /// Files a row under its plain type (see the module documentation for how rows of one type combine).
    fn add(&mut self, entry: MoveSupport, line: u64) {
        let key = entry.resource_type.to_ascii_lowercase();
        let Some(kept) = self.by_type.get_mut(&key) else {
            self.by_type.insert(key, entry);
            return;
        };
        match (&kept.note, &entry.note) {
            // A plain row after annotated ones: it decides, and the annotated row becomes a variant.
            (Some(_), None) => {
                let mut annotated = std::mem::replace(kept, entry);
                kept.variants = std::mem::take(&mut annotated.variants);
                kept.variants.insert(0, Variant::from(annotated));
            }
            (_, Some(_)) => kept.variants.push(Variant::from(entry)),
            (None, None) => kept.merge_duplicate(entry, line),
        }
    }

    pub fn get(&self, resource_type: &str) -> Option<&MoveSupport> {
        self.by_type.get(&resource_type.to_ascii_lowercase())
    }

    /// Distinct types (case-insensitive, notes removed).
    pub fn types(&self) -> usize {
        self.by_type.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &MoveSupport> {
        self.by_type.values()
    }
}

impl MoveSupport {
    /// A second plain row of the same type: same flags, the first is kept; conflicting flags, the more
    /// restrictive are used and both lines cited.
    fn merge_duplicate(&mut self, entry: MoveSupport, line: u64) {
        if self.resource_group == entry.resource_group && self.subscription == entry.subscription {
            return;
        }
        self.resource_group &= entry.resource_group;
        self.subscription &= entry.subscription;
        let joined = self.source.and(&entry.source);
        self.source =
            joined.with_text(format!("{joined} (listed twice with conflicting flags: the more restrictive are used)"));
        self.rule = format!("{} and line {line}", self.rule);
    }
}

impl From<MoveSupport> for Variant {
    fn from(entry: MoveSupport) -> Self {
        Variant {
            listed_as: entry.listed_as,
            note: entry.note.unwrap_or_default(),
            resource_group: entry.resource_group,
            subscription: entry.subscription,
            rule: entry.rule,
            source: entry.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Origin;

    #[test]
    fn notes_in_parentheses_are_split_from_the_type() {
        assert_eq!(
            annotated_type("Microsoft.Network/vpngateways(VirtualWAN)"),
            Some(("Microsoft.Network/vpngateways", Some("VirtualWAN")))
        );
        assert_eq!(
            annotated_type("Microsoft.Web/certificates (managed)"),
            Some(("Microsoft.Web/certificates", Some("managed")))
        );
        assert_eq!(annotated_type("Microsoft.Sql/servers/databases"), Some(("Microsoft.Sql/servers/databases", None)));
        for bad in ["Microsoft.Web", "Microsoft.Web/certificates(", "Microsoft.Web/a()", "A/b(c)(d)", "A/b(c)x", "A//b"]
        {
            assert_eq!(annotated_type(bad), None, "{bad}");
        }
    }

    fn parse(text: &str) -> (MoveSupportTable, Vec<crate::error::RuleProblem>) {
        let file = RuleFile::new("move-support.csv", Origin::Embedded, text);
        let mut list = Vec::new();
        let table = MoveSupportTable::parse(&file, &mut Problems { file: &file, list: &mut list });
        (table, list)
    }

    #[test]
    fn annotated_rows_are_filed_under_their_type_in_either_order() {
        let header = "resource_type,move_resource_group,move_subscription,source\n";
        for rows in ["A.B/c,0,1,s2\nA.B/c(managed),0,0,s3\n", "A.B/c(managed),0,0,s3\nA.B/c,0,1,s2\n"] {
            let (table, problems) = parse(&format!("{header}A.B/v(VirtualWAN),0,0,s1\n{rows}A.B/(x),1,1,s4\n"));
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].message.contains("`A.B/(x)` is not a resource type"), "{problems:?}");
            assert_eq!((table.rows, table.types()), (3, 2));
            let only = table.get("a.b/V").unwrap();
            assert_eq!((only.note.as_deref(), only.subscription, only.variants.len()), (Some("VirtualWAN"), false, 0));
            let both = table.get("A.B/c").unwrap();
            assert_eq!((both.note.as_deref(), both.subscription, both.source.as_str()), (None, true, "s2"));
            let variant = &both.variants[0];
            assert_eq!((variant.listed_as.as_str(), variant.note.as_str()), ("A.B/c(managed)", "managed"));
            assert_eq!((variant.subscription, variant.source.as_str()), (false, "s3"));
        }
    }
}
