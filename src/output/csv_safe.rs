//! CSV cells that a spreadsheet cannot mistake for a formula.
//!
//! A cell of customer text starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is run as
//! a formula by Excel and LibreOffice (OWASP "CSV Injection"). Such cells get a leading `'`, which
//! spreadsheets show as text. Numbers csp-planner writes itself are not text and are left alone.

pub fn text(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn neutralises_formula_starts() {
        assert_eq!(super::text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::text("-1+2"), "'-1+2");
        assert_eq!(super::text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::text("vm-01"), "vm-01");
    }
}
