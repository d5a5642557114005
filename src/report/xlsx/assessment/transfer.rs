//! Transfer: one row per subscription (path, verdict, the reasons, who acts, what does not carry over), then one
//! per commitment with its fate.

use std::io;

use rust_xlsxwriter::Workbook;

use super::rows::{self, RowSheet};
use super::styles::Styles;
use crate::report::xlsx::text;
use crate::transfer::{CommitmentFate, SubscriptionTransfer, TransferReport};

const COLUMNS: &[&str] = &[
    "Record",
    "Subscription",
    "Name",
    "Path or kind",
    "Verdict or fate",
    "Reasons",
    "Who acts",
    "Does not carry over",
    "Sources",
];
const WIDTHS: &[f64] = &[12.0, 38.0, 28.0, 18.0, 16.0, 90.0, 70.0, 70.0, 80.0];

enum Row<'a> {
    Subscription(&'a SubscriptionTransfer),
    Commitment(&'a CommitmentFate),
}

pub fn write(workbook: &mut Workbook, _styles: &Styles, report: &TransferReport) -> io::Result<()> {
    let spec = RowSheet { name: "Transfer", columns: COLUMNS, widths: WIDTHS, preamble: &[], reserve: 0 };
    let subscriptions = report.subscriptions.iter().map(Row::Subscription);
    let all = subscriptions.chain(report.commitments.iter().map(Row::Commitment));
    let total = report.subscriptions.len() + report.commitments.len();
    rows::write(workbook, &spec, total, all, |sheet, row, record| {
        for (k, value) in cells(&record).iter().enumerate() {
            text(sheet, row, k as u16, value, None)?;
        }
        Ok(())
    })
    .map(|_| ())
}

fn cells(record: &Row) -> [String; 9] {
    match record {
        Row::Subscription(s) => [
            "subscription".to_string(),
            s.subscription_id.clone(),
            s.name.clone().unwrap_or_default(),
            s.path.as_str().to_string(),
            s.verdict.as_str().to_string(),
            s.reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("\n"),
            s.actions.iter().map(|a| format!("{}: {}", a.who, a.what)).collect::<Vec<_>>().join("\n"),
            s.does_not_carry_over.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("\n"),
            s.reasons.iter().map(|r| r.source.as_str()).collect::<Vec<_>>().join("\n"),
        ],
        Row::Commitment(c) => [
            "commitment".to_string(),
            c.subscription_id.clone().unwrap_or_default(),
            c.name.clone().unwrap_or_else(|| c.id.clone()),
            c.kind.clone(),
            c.fate.as_str().to_string(),
            c.reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("\n"),
            String::new(),
            String::new(),
            c.reasons.iter().map(|r| r.source.as_str()).collect::<Vec<_>>().join("\n"),
        ],
    }
}
