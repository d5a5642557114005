//! Malformed CSV is an error, not data: the exact messages of each kind of fault, in the resource and usage
//! readers (two threads over blocks of the file), the server readers and the price list; what is not a fault
//! (the header repeated, blank lines, trailing empty fields) reads.

use crate::support::{assert_matches_file, command_fails, inventory_json, path_arg, warnings};

const HEADER: &str = "ResourceId,MeterCategory,MeterName,Quantity,Cost,BillingCurrency";

fn row(vm: u32) -> String {
    format!(
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/\
         virtualMachines/vm{vm},Virtual Machines,Compute Hours,1,2,USD"
    )
}

/// Writes `text` as `name` in a fresh folder; returns the folder (kept alive) and the path.
fn file(name: &str, text: impl AsRef<[u8]>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path_arg(&path))
}

/// The stderr of a failing `cost FILE`, and the file's path.
fn cost_stderr(name: &str, text: impl AsRef<[u8]>) -> (String, String) {
    let (_dir, path) = file(name, text);
    (command_fails("cost", &[&path]), path)
}

/// The first line of stderr of a failing `cost FILE`.
fn cost_error(name: &str, text: impl AsRef<[u8]>) -> (String, String) {
    let (stderr, path) = cost_stderr(name, text);
    (stderr.lines().next().unwrap_or_default().to_string(), path)
}

#[test]
fn a_short_row_names_the_line_the_column_and_both_counts() {
    let (error, path) = cost_error("u.csv", format!("{HEADER}\n{}\n/x,Virtual Machines,Compute Hours,1\n", row(1)));
    assert_eq!(
        error,
        format!(
            "error: {path}, line 3, column \"Cost\": expected 6 fields as in the header, found 4: the row ends \
             before column \"Cost\" (field 5)"
        )
    );
}

#[test]
fn a_long_row_names_the_first_field_past_the_header() {
    let (error, path) = cost_error("u.csv", format!("{HEADER}\n{}\n{},extra\n", row(1), row(2)));
    assert_eq!(
        error,
        format!(
            "error: {path}, line 3: expected 6 fields as in the header, found 7: field 7 (\"extra\") is past the \
             header's last column (a delimiter inside a value that is not quoted?)"
        )
    );
}

#[test]
fn a_quote_never_closed_is_named_where_it_opens() {
    let broken = row(2).replace("Virtual Machines", "\"Virtual Machines");
    let (stderr, path) = cost_stderr("u.csv", format!("{HEADER}\n{}\n{broken}\n{}\n{}\n", row(1), row(3), row(4)));
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "malformed-csv/quote-never-closed.expected.stderr");
}

#[test]
fn a_file_cut_inside_its_last_row_says_so() {
    let (stderr, path) = cost_stderr("u.csv", format!("{HEADER}\n{}\n{}", row(1), &row(2)[..120]));
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "malformed-csv/cut-inside-last-row.expected.stderr");
}

#[test]
fn a_quote_closed_lines_later_by_another_field_is_named_where_it_opened() {
    let broken = row(2).replace("Virtual Machines", "\"Virtual Machines");
    let text = format!("{HEADER},Tags\n{},\n{broken},\n{},\"x\"\n", row(1), row(3));
    let (stderr, path) = cost_stderr("u.csv", text);
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "malformed-csv/quote-closed-lines-later.expected.stderr");
}

#[test]
fn a_nul_byte_is_damage_not_text() {
    let (error, path) = cost_error("u.csv", format!("{HEADER}\n{}\n", row(1).replace("Compute Hours", "Com\0pute")));
    assert_eq!(
        error,
        format!(
            "error: {path}, line 2, column \"MeterName\": field 3 holds a NUL byte (0x00): the file is damaged, or is \
             not text in the encoding it was read as; export it again"
        )
    );
}

#[test]
fn another_header_in_the_middle_is_refused() {
    let other = "MeterCategory,ResourceId,MeterName,Quantity,Cost,BillingCurrency";
    let (stderr, path) = cost_stderr("u.csv", format!("{HEADER}\n{}\n{other}\n{}\n", row(1), row(2)));
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "malformed-csv/another-header.expected.stderr");
}

#[test]
fn a_column_read_twice_is_refused_naming_both_positions() {
    let (stderr, path) = cost_stderr("u.csv", format!("{HEADER},ResourceId\n{},/x\n", row(1)));
    assert_matches_file(&stderr.replace(&path, "<INPUT>"), "malformed-csv/column-twice.expected.stderr");
}

#[test]
fn joined_exports_read_once_with_one_warning_and_exact_lines() {
    let text = format!("\u{feff}{HEADER}\n{}\n\n\u{feff}{HEADER}\n{}\n{HEADER}\n{},,\n", row(1), row(2), row(3));
    let (_dir, path) = file("u.csv", text);
    let inventory = inventory_json(&[&path]);
    assert_eq!(inventory["inputs"][0]["rows"], 3);
    let found = warnings(&inventory);
    let repeated: Vec<&String> = found.iter().filter(|w| w.contains("repeated")).collect();
    assert_eq!(
        repeated,
        ["line 4: the header row (line 1) is repeated 2 time(s), first on line 4 (exports joined one after another): \
          those rows were skipped"]
    );
    let vm3 = crate::support::resource(&inventory, "vm3");
    assert_eq!(vm3["sources"][0]["location"], "line 7");
}

#[test]
fn an_unused_column_twice_is_a_warning() {
    let (_dir, path) = file("u.csv", format!("{HEADER},Note,note\n{},a,b\n", row(1)));
    let inventory = inventory_json(&[&path]);
    assert!(
        warnings(&inventory).contains(
            &"line 1: the header has the column \"Note\" more than once (columns 7 and 8); csp-planner does not read it"
                .to_string()
        ),
        "{:?}",
        warnings(&inventory)
    );
}

/// Whatever parsing block a fault falls in (the file is cut into blocks of 128 KiB that two threads parse), the
/// line named is the row's own: faults at rows on either side of several block boundaries, with quoted line
/// breaks and blank lines before them.
#[test]
fn faults_are_named_at_their_line_whatever_block_they_fall_in() {
    let body = |fault_at: u32, fault: &str| {
        let mut text = format!("{HEADER},Tags\n");
        let (mut line, mut fault_line) = (2u32, 0);
        for i in 0..6_000u32 {
            if i == fault_at {
                fault_line = line;
                text.push_str(fault);
                line += 1;
            }
            if i % 3 == 0 {
                text.push_str(&format!("{},\"a\nb\"\n", row(i % 30)));
                line += 2;
            } else {
                text.push_str(&format!("{},\n", row(i % 30)));
                line += 1;
            }
            if i % 250 == 0 {
                text.push('\n');
                line += 1;
            }
        }
        (text, fault_line)
    };
    let short = "/x,Virtual Machines\n".to_string();
    let quote = format!("{},\"never closed\n", row(1).replace("Virtual Machines", "\"Virtual Machines"));
    for fault_at in [700, 701, 1_500, 2_222, 4_000, 5_999] {
        for (fault, what) in [(&short, "found 2"), (&quote, "is quoted and has text after its closing quote")] {
            let (text, line) = body(fault_at, fault);
            assert!(text.len() > 6 * 128 * 1024);
            let (error, _) = cost_error("u.csv", text);
            assert!(error.contains(&format!(", line {line}")), "row {fault_at}: {error}");
            assert!(error.contains(what), "{error}");
        }
    }
}

#[test]
fn the_server_readers_and_the_price_list_name_the_line() {
    let planner = std::fs::read_to_string(crate::support::fixture("servers/planner-table.csv")).unwrap();
    let (_dir, path) = file("pt.csv", format!("{planner}X,2,1024\n"));
    let stderr = command_fails("capacity", &["detailed", &path]);
    assert!(
        stderr.contains(&format!(
            "{path}, line 5, column \"Number of NICs\": expected 11 fields as in the header, found 3"
        )),
        "{stderr}"
    );
    let list = std::fs::read_to_string(crate::support::fixture("cost/price-list.csv")).unwrap();
    let (_list_dir, list_path) = file("pl.csv", format!("{list}CSP,Storage,\"Geo Redundant,EU West\n"));
    let usage = path_arg(&crate::support::fixture("inputs/usage-old.csv"));
    let stderr = command_fails("cost", &[&usage, "--price-list", &list_path, "--currency", "EUR"]);
    assert!(stderr.contains(&format!("{list_path}, line 13: field 3 opens a quote that is never closed")), "{stderr}");
}
