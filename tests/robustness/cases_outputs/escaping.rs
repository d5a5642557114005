//! Checks of the outputs written for hostile names: the workbook cell is a text cell, the HTML is escaped, the
//! CSV neutralised, the runbook quoted (and parses).

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

/// Names that are formulas, markup, template syntax or shell code somewhere.
pub const HOSTILE: [&str; 10] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "<script>alert(1)</script>",
    "{{x}}",
    "\"; rm -rf ~; echo \"",
    "$(touch pwned)",
    "`id`",
    "a\ntouch pwned",
];

/// The hostile names that can be a resource group: those without a `/` (a resource ID's separator).
pub fn group_names() -> impl Iterator<Item = &'static str> {
    HOSTILE.into_iter().filter(|name| !name.contains('/'))
}

/// A resource list of one subscription: one VM per hostile name, each in a resource group of a hostile name,
/// with hostile tags.
pub fn hostile_estate() -> String {
    let groups: Vec<&str> = group_names().collect();
    let resources: Vec<serde_json::Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let group = groups[i % groups.len()];
            serde_json::json!({
                "id": format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/vm{i}"),
                "name": name,
                "type": "Microsoft.Compute/virtualMachines",
                "location": "westeurope",
                "resourceGroup": group,
                "subscriptionId": SUBSCRIPTION,
                "tags": { "owner": name },
            })
        })
        .collect();
    serde_json::to_string_pretty(&resources).unwrap()
}

pub const SUBSCRIPTION: &str = "11111111-2222-3333-4444-555555555555";

/// A planner server table: one server per hostile name.
pub fn hostile_servers() -> String {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["*Server name", "*Cores", "*Memory (In MB)", "*OS name"]).unwrap();
    for name in HOSTILE {
        csv.write_record([name, "2", "4096", "Windows Server 2019"]).unwrap();
    }
    String::from_utf8(csv.into_inner().unwrap()).unwrap()
}

/// Every hostile name (of `names`) is a string cell somewhere in the workbook, and no formula holds one.
pub fn workbook_text(path: &Path, names: &[&str]) -> Result<(), String> {
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut strings = Vec::new();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).map_err(|e| format!("{sheet}: {e}"))?;
        strings.extend(range.used_cells().filter_map(|(_, _, cell)| match cell {
            Data::String(text) => Some(text.clone()),
            _ => None,
        }));
        let formulas = book.worksheet_formula(&sheet).map_err(|e| format!("{sheet}: {e}"))?;
        for (_, _, formula) in formulas.used_cells() {
            if ["HYPERLINK", "SUM(A1)", "1+1", "2+3"].iter().any(|marker| formula.contains(marker)) {
                return Err(format!("{}: sheet {sheet} has the formula {formula:?} from a name", path.display()));
            }
        }
    }
    for name in names {
        if !strings.iter().any(|cell| cell == name) {
            return Err(format!("{}: no text cell is exactly {name:?}", path.display()));
        }
    }
    Ok(())
}

/// No hostile markup or quote breaks out: the page's own two script elements only.
pub fn html_escaped(path: &Path) -> Result<(), String> {
    let page = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for raw in ["<script>alert(1)</script>", "\"; rm -rf ~; echo \"", "=HYPERLINK(\"http"] {
        if page.contains(raw) {
            return Err(format!("{} holds {raw:?} unescaped", path.display()));
        }
    }
    let scripts = page.matches("<script").count();
    if scripts != 2 {
        return Err(format!("{} has {scripts} <script elements, the page has 2 of its own", path.display()));
    }
    if !page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") {
        return Err(format!("{} does not show the escaped name", path.display()));
    }
    Ok(())
}

/// No field a spreadsheet would run: nothing starts with `=`, `+`, `@`, a tab or a carriage return, nor with `-`
/// unless it is a number; the neutralised `'=HYPERLINK(…)` is there.
pub fn csv_neutralised(path: &Path) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut neutralised = false;
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        for field in record.iter() {
            let runs = match field.chars().next() {
                Some('=' | '+' | '@' | '\t' | '\r') => true,
                Some('-') => field.parse::<f64>().is_err(),
                _ => false,
            };
            if runs {
                return Err(format!("{}: the field {field:?} would run as a formula", path.display()));
            }
            neutralised |= field == format!("'{}", HOSTILE[0]);
        }
    }
    if neutralised { Ok(()) } else { Err(format!("{}: no neutralised {:?}", path.display(), HOSTILE[0])) }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Single,
    Double,
    Comment,
}

/// Where each byte of a script is: code, a single- or double-quoted string, a comment (bash, or PowerShell with
/// its doubled quotes and backtick escapes).
fn states(script: &str, powershell: bool) -> Vec<State> {
    let bytes = script.as_bytes();
    let mut states = vec![State::Code; bytes.len()];
    let (mut state, mut i) = (State::Code, 0);
    let escape = if powershell { b'`' } else { b'\\' };
    while i < bytes.len() {
        let c = bytes[i];
        states[i] = state;
        let word_start = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(');
        match state {
            State::Code if c == b'#' && word_start => state = State::Comment,
            State::Code if c == b'\'' => state = State::Single,
            State::Code if c == b'"' => state = State::Double,
            State::Code | State::Double if c == escape => {
                i += 1;
                if i < bytes.len() {
                    states[i] = state;
                }
            }
            State::Double if c == b'"' => state = State::Code,
            State::Single if c == b'\'' && powershell && bytes.get(i + 1) == Some(&b'\'') => {
                i += 1;
                states[i] = state;
            }
            State::Single if c == b'\'' => state = State::Code,
            State::Comment if c == b'\n' => state = State::Code,
            _ => {}
        }
        // The quote that opens a string belongs to it.
        if states[i] == State::Code && state == State::Single {
            states[i] = State::Single;
        }
        i += 1;
    }
    states
}

/// Every occurrence of each hostile group name in the script is inside single quotes or a comment, and at least
/// one is inside single quotes (the name reaches a command, quoted).
pub fn runbook_quoted(path: &Path, powershell: bool) -> Result<(), String> {
    let script = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let states = states(&script, powershell);
    for name in group_names().filter(|name| !name.contains('\n')) {
        let mut quoted = false;
        for (start, _) in script.match_indices(name) {
            let span = &states[start..start + name.len()];
            if span.iter().any(|s| matches!(s, State::Code | State::Double)) {
                return Err(format!("{}: {name:?} at byte {start} is outside single quotes", path.display()));
            }
            quoted |= span.iter().all(|s| *s == State::Single);
        }
        if !quoted {
            return Err(format!("{}: {name:?} is never in a single-quoted string", path.display()));
        }
    }
    Ok(())
}

/// `bash -n` accepts the script (skipped where bash is missing).
pub fn bash_parses(path: &Path) -> Result<(), String> {
    match std::process::Command::new("bash").arg("-n").arg(path).output() {
        Ok(output) if !output.status.success() => {
            Err(format!("bash -n {}: {}", path.display(), String::from_utf8_lossy(&output.stderr)))
        }
        _ => Ok(()),
    }
}

/// The runbooks of the hostile estate's subscription under `folder`: quoted, parsed, and nothing ran.
pub fn runbooks_safe(dir: &Path, folder: &str) -> Result<(), String> {
    let runbooks = dir.join(folder).join(SUBSCRIPTION);
    runbook_quoted(&runbooks.join("runbook.sh"), false)?;
    runbook_quoted(&runbooks.join("runbook.ps1"), true)?;
    bash_parses(&runbooks.join("runbook.sh"))?;
    if dir.join("pwned").exists() {
        return Err("a name ran as a command: pwned exists".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks catch what they look for: an unquoted name, a formula-like CSV field.
    #[test]
    fn the_checks_refuse_an_unquoted_name_and_a_live_csv_field() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("runbook.sh");
        let name = "$(touch pwned)";
        std::fs::write(&script, format!("# {name}\necho '{name}'\n")).unwrap();
        let only = |script: &Path| {
            let text = std::fs::read_to_string(script).unwrap();
            let states = states(&text, false);
            text.match_indices(name).all(|(at, _)| states[at..at + name.len()].iter().all(|s| *s != State::Code))
        };
        assert!(only(&script));
        std::fs::write(&script, format!("echo {name}\n")).unwrap();
        assert!(!only(&script));
        std::fs::write(&script, format!("echo \"{name}\"\n")).unwrap();
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(states(&text, false)[6..6 + name.len()].iter().all(|s| *s == State::Double));
        let csv = dir.path().join("out.csv");
        std::fs::write(&csv, "name\n=HYPERLINK(\"x\")\n").unwrap();
        assert!(csv_neutralised(&csv).is_err());
        std::fs::write(&csv, "name,cost\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1.5\n").unwrap();
        assert!(csv_neutralised(&csv).is_ok(), "{:?}", csv_neutralised(&csv));
    }
}
