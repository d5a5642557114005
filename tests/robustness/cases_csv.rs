//! Hostile cases: malformed CSV in every CSV reader (resource portal CSV, usage CSV and .csv.gz, RVTools per-tab
//! CSV, Azure Migrate CSV, the planner table, price lists, the workloads side files). A quote never closed, a row
//! with fewer or more fields than the header, a file cut short and a second header of another kind are exit 2
//! naming the file, the line and the column; the header repeated (joined monthly exports), blank lines, trailing
//! empty fields, CR-only line ends and quoted line breaks read (exit 0), the repeated header with one warning.

use std::io::Write as _;

use crate::harness::Case;

const USAGE_HEADER: &str = "ResourceId,MeterCategory,MeterName,Quantity,Cost,BillingCurrency";
const PORTAL_HEADER: &str = "NAME,TYPE,RESOURCE GROUP,LOCATION,SUBSCRIPTION";
const PORTAL_ROW: &str = "vm-app-01,Virtual machine,rg-app,West Europe,Contoso Production";

const RVTOOLS_INFO: &str = include_str!("../fixtures/servers/rvtools-csv/RVTools_tabvInfo.csv");
const RVTOOLS_DISK: &str = include_str!("../fixtures/servers/rvtools-csv/RVTools_tabvDisk.csv");
const AZURE_MIGRATE: &str = include_str!("../fixtures/servers/azure-migrate.csv");
const PLANNER_TABLE: &str = include_str!("../fixtures/servers/planner-table.csv");
const PRICE_LIST: &str = include_str!("../fixtures/cost/price-list.csv");
const USAGE_FOR_PRICES: &str = include_str!("../fixtures/inputs/usage-old.csv");
const WORKLOAD_SERVERS: &str = include_str!("../fixtures/workloads/servers.csv");
const APPLICATIONS: &str = include_str!("../fixtures/workloads/applications.csv");
const OVERRIDES: &str = include_str!("../fixtures/workloads/overrides.csv");
const DEPENDENCIES: &str = include_str!("../fixtures/workloads/dependencies.csv");

/// A usage row of virtual machine `vm`.
fn usage_row(vm: u32) -> String {
    format!(
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/\
         virtualMachines/vm{vm},Virtual Machines,Compute Hours,1,2,USD"
    )
}

/// A usage export: the header, then `rows` as given (each ends with LF unless it holds its own line end).
fn usage(rows: &[&str]) -> String {
    let mut text = format!("{USAGE_HEADER}\n");
    for row in rows {
        text.push_str(row);
        if !row.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

/// A case of `cost u.csv` with the usage export `text`.
fn usage_case(name: &str, text: impl AsRef<[u8]>) -> Case {
    Case::new("usage CSV", name).file("u.csv", text).args(&["cost", "u.csv"]).names("u.csv")
}

/// The inventory's JSON of `out.json`, for cases that must read.
fn inventory_rows(dir: &std::path::Path) -> Result<(u64, serde_json::Value), String> {
    let text = std::fs::read_to_string(dir.join("out.json")).map_err(|e| format!("no out.json: {e}"))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok((json["inputs"][0]["rows"].as_u64().unwrap_or(0), json))
}

/// An `inventory … --format json -o out.json` case whose input must read as `rows` rows.
fn reads_rows(area: &'static str, name: &str, file: &str, bytes: impl AsRef<[u8]>, rows: u64) -> Case {
    Case::new(area, name)
        .file(file, bytes)
        .args(&["inventory", file, "--format", "json", "-o", "out.json"])
        .code(0)
        .output("out.json")
        .check(move |dir| match inventory_rows(dir)? {
            (found, _) if found == rows => Ok(()),
            (found, _) => Err(format!("read {found} rows, expected {rows}")),
        })
}

/// The warnings of a capacity plan written to `out.json`, for the server readers' warnings (the table format
/// prints them on standard output).
fn plan_warns(text: &'static str) -> impl Fn(&std::path::Path) -> Result<(), String> {
    move |dir| {
        let json = std::fs::read_to_string(dir.join("out.json")).map_err(|e| format!("no out.json: {e}"))?;
        json.contains(text).then_some(()).ok_or_else(|| format!("no warning \"{text}\" in out.json"))
    }
}

/// `text` with line `number` (1-based) replaced by `line`.
fn replace_line(text: &str, number: usize, line: &str) -> String {
    text.lines().enumerate().map(|(i, l)| if i + 1 == number { line } else { l }).collect::<Vec<_>>().join("\n") + "\n"
}

fn usage_cases() -> Vec<Case> {
    let (one, two) = (usage_row(1), usage_row(2));
    let broken_at_start = format!("\"{two}");
    let broken_in_middle = two.replace("Virtual Machines", "\"Virtual Machines");
    let broken_at_end = two.replace("USD", "\"USD");
    vec![
        usage_case("a quote opened at the start of a row and never closed", usage(&[&one, &broken_at_start, &one]))
            .names("line 3")
            .names("column \"ResourceId\"")
            .names("opens a quote that is never closed"),
        usage_case("a quote opened in the middle of a row and never closed", usage(&[&one, &broken_in_middle, &one]))
            .names("line 3")
            .names("column \"MeterCategory\""),
        usage_case("a quote opened in the last field of the last row", usage(&[&one, &two, &broken_at_end]))
            .names("line 4")
            .names("column \"BillingCurrency\""),
        usage_case("a row with fewer fields than the header", usage(&[&one, "/x,Virtual Machines,Compute Hours,1"]))
            .names("line 3")
            .names("column \"Cost\"")
            .names("expected 6 fields as in the header, found 4"),
        usage_case("a row with more fields than the header", usage(&[&one, &format!("{two},extra"), &one]))
            .names("line 3")
            .names("expected 6 fields as in the header, found 7: field 7 (\"extra\")"),
        usage_case("a file cut in the middle of its last row", format!("{}{}", usage(&[&one]), &two[..120]))
            .names("line 3")
            .names("the file ends inside this row: it may have been cut short"),
        usage_case("a file cut inside a quoted field", format!("{}{}", usage(&[&one]), &broken_in_middle[..130]))
            .names("line 3")
            .names("never closed"),
        usage_case(
            "text after the closing quote of a field",
            usage(&[&one, &two.replace("Virtual Machines", "\"Virtual\" Machines")]),
        )
        .names("line 3")
        .names("text after its closing quote"),
        usage_case(
            "the header repeated (monthly exports joined with cat)",
            usage(&[&one, USAGE_HEADER, &two, "", USAGE_HEADER, &one]),
        )
        .code(0)
        .names("the header row (line 1) is repeated 2 time(s), first on line 3"),
        usage_case(
            "a second header of another order",
            usage(&[&one, "MeterCategory,ResourceId,MeterName,Quantity,Cost,BillingCurrency", &two]),
        )
        .names("line 3")
        .names("a second header row, not the same as the header on line 1"),
        usage_case(
            "a second header of another kind (a portal export joined on)",
            usage(&[&one, PORTAL_HEADER, PORTAL_ROW]),
        )
        .names("line 3")
        .names("a second header row"),
        usage_case(
            "a column read twice (ResourceId at the start and the end)",
            format!("{USAGE_HEADER},ResourceId\n{one},/x\n"),
        )
        .names("line 1")
        .names("column \"ResourceId\"")
        .names("more than once (columns 1 and 7)"),
        usage_case(
            "a localised header holding a read column twice",
            "SubscriptionGuid,Abonnement-GUID (SubscriptionGuid),InstanceId,MeterCategory,Quantity\n1,1,/x,VM,1\n",
        )
        .names("column \"SubscriptionGuid\"")
        .names("columns 1 and 2"),
        usage_case("a column not read, twice", format!("{USAGE_HEADER},Note,note\n{one},a,b\n"))
            .code(0)
            .names("the header has the column \"Note\" more than once (columns 7 and 8); csp-planner does not read it"),
        usage_case("a NUL byte in a field", usage(&[&one, &two.replace("Compute Hours", "Compute\0Hours")]))
            .names("line 3")
            .names("column \"MeterName\"")
            .names("NUL byte"),
        usage_case("a byte-order mark inside a number", usage(&[&one, &two.replace(",1,2,", ",\u{feff}1,2,")]))
            .names("line 3")
            .names("column \"Quantity\""),
        reads_rows(
            "usage CSV",
            "blank lines, CRLF and trailing empty fields",
            "u.csv",
            format!("{USAGE_HEADER}\r\n\r\n{one},,\r\n\n{two}\r\n\r\n"),
            2,
        ),
        reads_rows(
            "usage CSV",
            "a complete last row without a final line end",
            "u.csv",
            format!("{USAGE_HEADER}\n{one}\n{two}"),
            2,
        ),
        reads_rows(
            "usage CSV",
            "lines ending with CR alone (CSV for Macintosh)",
            "u.csv",
            format!("{USAGE_HEADER}\r{one}\r{two}\r"),
            2,
        ),
        reads_rows(
            "usage CSV",
            "a quoted field holding line breaks",
            "u.csv",
            format!("{USAGE_HEADER},Tags\n{one},\"{{\"\"env\"\":\n\"\"prod\"\"}}\"\n{two},\n"),
            2,
        ),
        reads_rows(
            "usage CSV",
            "joined exports, each with its byte-order mark",
            "u.csv",
            format!("\u{feff}{USAGE_HEADER}\n{one}\n\u{feff}{USAGE_HEADER}\n{two}\n"),
            2,
        ),
        // Invalid UTF-8 past the first 64 KiB (the encoding is sniffed there): the cell is read as Windows-1252.
        Case::new("usage CSV", "a byte that is not UTF-8 far down the file")
            .file("u.csv", {
                let rows: Vec<String> = (0..700).map(usage_row).collect();
                let mut bytes = usage(&rows.iter().map(String::as_str).collect::<Vec<_>>()).into_bytes();
                bytes.extend_from_slice(b"/x,Virtual Machines,Caf\xe9,1,2,USD\n");
                bytes
            })
            .args(&["inventory", "u.csv"])
            .code(0)
            .names("1 row(s) hold bytes that are not UTF-8; those cells were read as Windows-1252"),
        large_file_case(),
        Case::new("usage CSV.gz", "a gzip export with a quote never closed")
            .file("u.csv.gz", gzip(&usage(&[&one, &broken_in_middle, &one])))
            .args(&["cost", "u.csv.gz"])
            .names("u.csv.gz")
            .names("line 3")
            .names("never closed"),
        Case::new("usage CSV.gz", "a gzip export with a short row")
            .file("u.csv.gz", gzip(&usage(&[&one, "/x,VM"])))
            .args(&["cost", "u.csv.gz"])
            .names("u.csv.gz")
            .names("line 3")
            .names("found 2"),
        Case::new("usage CSV.gz", "gzip exports joined (header repeated)")
            .file("u.csv.gz", gzip(&usage(&[&one, USAGE_HEADER, &two])))
            .args(&["cost", "u.csv.gz"])
            .code(0)
            .names("repeated 1 time(s), first on line 3"),
    ]
}

/// A file of several parsing blocks (128 KiB each) with quoted line breaks and blank lines throughout and a
/// short row deep in it: the line named is the row's own, whatever block it falls in.
fn large_file_case() -> Case {
    let mut text = format!("{USAGE_HEADER},Tags\n");
    let mut line = 2u32;
    let mut bad_line = 0;
    for row in 0..9_000u32 {
        if row == 7_777 {
            bad_line = line;
            text.push_str("/x,Virtual Machines,Compute Hours\n");
            line += 1;
        }
        if row % 5 == 0 {
            text.push_str(&format!("{},\"two\nlines\"\n", usage_row(row % 40)));
            line += 2;
        } else {
            text.push_str(&format!("{},\n", usage_row(row % 40)));
            line += 1;
        }
        if row % 333 == 0 {
            text.push('\n');
            line += 1;
        }
    }
    assert!(text.len() > 4 * 128 * 1024, "the file spans several blocks");
    let at = format!("line {bad_line}");
    usage_case("a short row deep in a file of several parsing blocks", text).names(&at).names("found 3")
}

fn portal_cases() -> Vec<Case> {
    let portal = |rows: &[&str]| format!("{PORTAL_HEADER}\n{}\n", rows.join("\n"));
    let case = |name: &str, text: String| {
        Case::new("portal CSV", name).file("p.csv", text).args(&["inventory", "p.csv"]).names("p.csv")
    };
    vec![
        case("a portal row with fewer fields", portal(&[PORTAL_ROW, "vm-2,Virtual machine,rg"]))
            .names("line 3")
            .names("column \"LOCATION\"")
            .names("expected 5 fields as in the header, found 3"),
        case(
            "a portal quote never closed",
            portal(&[PORTAL_ROW, "\"vm-2,Virtual machine,rg,West Europe,Sub", PORTAL_ROW]),
        )
        .names("line 3")
        .names("column \"NAME\""),
        case("a portal export with NAME twice", format!("{PORTAL_HEADER},Name\n{PORTAL_ROW},x\n"))
            .names("column \"NAME\"")
            .names("columns 1 and 6"),
        case("portal exports joined", portal(&[PORTAL_ROW, PORTAL_HEADER, "vm-2,Virtual machine,rg,West Europe,Sub"]))
            .code(0)
            .names("line 3: the header row (line 1) is repeated 1 time(s)"),
    ]
}

fn server_cases() -> Vec<Case> {
    let rvtools =
        |name: &str, info: String, disk: String| {
            Case::new("RVTools CSV", name)
                .file("RVTools_tabvInfo.csv", info)
                .file("RVTools_tabvDisk.csv", disk)
                .args(&["capacity", "detailed", "RVTools_tabvInfo.csv", "--format", "json", "-o", "out.json"])
        };
    let capacity = |area: &'static str, name: &str, file: &str, text: String| {
        Case::new(area, name).file(file, text).args(&["capacity", "detailed", file]).names(file)
    };
    let migrate_row = AZURE_MIGRATE.lines().nth(1).unwrap();
    let migrate_header = AZURE_MIGRATE.lines().next().unwrap();
    let planner_header = PLANNER_TABLE.lines().next().unwrap();
    let reordered: Vec<&str> = {
        let mut cells: Vec<&str> = planner_header.split(',').collect();
        cells.swap(0, 1);
        cells
    };
    vec![
        rvtools("a vInfo row cut short", RVTOOLS_INFO.replacen(",bios\r\n", "\r\n", 1), RVTOOLS_DISK.to_string())
            .names("RVTools_tabvInfo.csv")
            .names("line 3")
            .names("column \"Firmware\""),
        rvtools(
            "a vDisk tab with a quote never closed",
            RVTOOLS_INFO.to_string(),
            format!("{RVTOOLS_DISK}FILE-01,\"Hard disk 3,1024\n"),
        )
        .names("RVTools_tabvDisk.csv")
        .names("never closed"),
        rvtools(
            "RVTools vDisk tabs joined (header repeated)",
            RVTOOLS_INFO.to_string(),
            format!("{RVTOOLS_DISK}VM,Disk,Capacity MiB\nFILE-01,Hard disk 3,1024\n"),
        )
        .code(0)
        .output("out.json")
        .check(plan_warns("the header row (line 1) is repeated 1 time(s)")),
        capacity(
            "Azure Migrate CSV",
            "an Azure Migrate row with a field too many",
            "am.csv",
            format!("{AZURE_MIGRATE}{migrate_row},9\n"),
        )
        .names("line 4")
        .names("found"),
        Case::new("Azure Migrate CSV", "Azure Migrate exports joined (header repeated)")
            .file(
                "am.csv",
                format!(
                    "{AZURE_MIGRATE}{migrate_header}\n{}",
                    AZURE_MIGRATE.lines().nth(2).unwrap().replace("web01", "web09")
                ),
            )
            .args(&["capacity", "detailed", "am.csv", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json")
            .check(plan_warns("repeated 1 time(s), first on line 4")),
        capacity(
            "planner table CSV",
            "a planner table with a second header of another order",
            "pt.csv",
            format!("{PLANNER_TABLE}{}\n", reordered.join(",")),
        )
        .names("a second header row"),
        capacity(
            "planner table CSV",
            "a planner table with Processor Cores twice",
            "pt.csv",
            replace_line(PLANNER_TABLE, 1, &format!("{planner_header},Processor Cores")),
        )
        .names("line 1")
        .names("column \"Processor Cores\""),
    ]
}

fn price_list_cases() -> Vec<Case> {
    let case = |name: &str, list: String| {
        Case::new("price list CSV", name)
            .file("u.csv", USAGE_FOR_PRICES)
            .file("pl.csv", list)
            .args(&["cost", "u.csv", "--price-list", "pl.csv", "--currency", "EUR"])
            .names("pl.csv")
    };
    let header = PRICE_LIST.lines().nth(3).unwrap();
    let last = PRICE_LIST.lines().last().unwrap();
    vec![
        case("a price list with a quote never closed", format!("{PRICE_LIST}CSP,Storage,\"Geo Redundant,EU West\n"))
            .names("line 13")
            .names("never closed"),
        case("a price list with the EUR column twice", replace_line(PRICE_LIST, 4, &header.replace(",USD", ",EUR")))
            .names("line 4")
            .names("column \"EUR\""),
        case(
            "a price list with a column not read twice",
            replace_line(PRICE_LIST, 4, &header.replace(",Notes,", ",AUD,")),
        )
        .code(0)
        .names("the header has the column \"AUD\" more than once"),
        case("price lists joined", format!("{PRICE_LIST}{header}\n{last}\n"))
            .code(0)
            .names("the header row (line 4) is repeated 1 time(s), first on line 13"),
        case("a price list row with fields missing", format!("{PRICE_LIST}CSP,Storage,Geo Redundant\n"))
            .names("line 13")
            .names("found 3"),
    ]
}

fn workloads_cases() -> Vec<Case> {
    let case = |name: &str, option: &str, file: &str, text: String| {
        Case::new("workloads CSV", name)
            .file("servers.csv", WORKLOAD_SERVERS)
            .file(file, text)
            .args(&["workloads", "servers.csv", option, file])
            .names(file)
    };
    vec![
        case(
            "an applications row without its application",
            "--applications",
            "a.csv",
            format!("{APPLICATIONS}web09\n"),
        )
        .names("column \"Application\"")
        .names("expected 2 fields as in the header, found 1"),
        case(
            "an overrides row with a quote never closed",
            "--overrides",
            "o.csv",
            format!("{OVERRIDES},desk01,green,\"unclosed,A,\n"),
        )
        .names("line 4")
        .names("never closed"),
        case(
            "an overrides file with Color twice",
            "--overrides",
            "o.csv",
            replace_line(OVERRIDES, 1, "Application,Server,Color,Reason,Author,Category,Color"),
        )
        .names("line 1")
        .names("column \"Color\""),
        case(
            "dependency exports joined (header repeated)",
            "--dependencies",
            "d.csv",
            format!(
                "{DEPENDENCIES}{}\n{}\n",
                DEPENDENCIES.lines().next().unwrap(),
                DEPENDENCIES.lines().nth(1).unwrap()
            ),
        )
        .code(0)
        .names("repeated 1 time(s)"),
        case(
            "a dependency row with a field too many",
            "--dependencies",
            "d.csv",
            format!("{DEPENDENCIES}web01,a,b,c,db01,1.2.3.4,x,y,1433,extra\n"),
        )
        .names("found 10"),
    ]
}

pub fn cases() -> Vec<Case> {
    [usage_cases(), portal_cases(), server_cases(), price_list_cases(), workloads_cases()]
        .into_iter()
        .flatten()
        .collect()
}
