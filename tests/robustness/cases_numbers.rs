//! Hostile numbers: values beyond the decimal range (±7.9 × 10^28), negative where a size or price cannot be,
//! `NaN`, `inf`, a European `1,5`, a 400-digit cell, and sums and products of valid cells that overflow — in every
//! reader that reads numbers, and in the numeric options. Each must be exit 2 naming the file, the line or cell,
//! the column (or the option) and the value as the input wrote it; never a panic.

use rust_xlsxwriter::Workbook;

use crate::harness::Case;

/// One past the largest decimal's digits: 29 nines.
const TWENTY_NINE_NINES: &str = "99999999999999999999999999999";
/// `Decimal::MAX`: valid alone, overflows in any sum with a positive value.
const DECIMAL_MAX: &str = "79228162514264337593543950335";
/// A tenth of `Decimal::MAX`: valid alone, overflows in a product with 10 or a sum of ten.
const TENTH_OF_MAX: &str = "7922816251426433759354395033";

pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(usage_cases());
    cases.extend(price_cases());
    cases.extend(rvtools_cases());
    cases.extend(azure_migrate_cases());
    cases.extend(planner_table_cases());
    cases.extend(option_cases());
    cases.extend(warning_cases());
    cases
}

// ------------------------------------------------------------------------------------------------ usage

const USAGE: &str = include_str!("../../samples/usage-ea-2017.csv");

/// An EA usage export: the sample's header, then one row per entry, each the sample's Compute Hours row (24 hours
/// at 0.02 = 0.48, meter f730511a…) with the cells `(column, value)` replaced.
fn usage(rows: &[&[(&str, &str)]]) -> String {
    let mut lines = USAGE.lines();
    let header = lines.next().unwrap();
    let base = lines.nth(3).unwrap();
    let names: Vec<&str> = header.split(',').collect();
    let mut text = format!("{header}\n");
    for edits in rows {
        let mut cells: Vec<String> = base.split(',').map(str::to_string).collect();
        for (column, value) in *edits {
            let index = names.iter().position(|n| n == column).unwrap_or_else(|| panic!("no column {column}"));
            cells[index] = if value.contains(',') { format!("\"{value}\"") } else { value.to_string() };
        }
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

fn usage_cases() -> Vec<Case> {
    let long = "9".repeat(400);
    let huge_cost: &[(&str, &str)] = &[("ExtendedCost", TENTH_OF_MAX)];
    let huge_costs = usage(&[huge_cost; 11]);
    let max_quantity: &[(&str, &str)] = &[("Consumed Quantity", DECIMAL_MAX), ("ResourceRate", "")];
    let max_cost: &[(&str, &str)] = &[("ExtendedCost", DECIMAL_MAX)];
    vec![
        Case::new("usage numbers", "Consumed Quantity 1e30 (cost)")
            .file("u.csv", usage(&[&[("Consumed Quantity", "1e30")]]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"Consumed Quantity\"")
            .names("1e30 is outside the range"),
        Case::new("usage numbers", "Consumed Quantity of 29 nines (assess)")
            .file("u.csv", usage(&[&[("Consumed Quantity", TWENTY_NINE_NINES)]]))
            .args(&["assess", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"Consumed Quantity\"")
            .names(TWENTY_NINE_NINES),
        Case::new("usage numbers", "a 400-digit quantity is named, cut, with its length")
            .file("u.csv", usage(&[&[("Consumed Quantity", &long)]]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"Consumed Quantity\"")
            .names("(400 characters)"),
        Case::new("usage numbers", "NaN quantity (assess)")
            .file("u.csv", usage(&[&[("Consumed Quantity", "NaN")]]))
            .args(&["assess", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"Consumed Quantity\"")
            .names("\"NaN\""),
        Case::new("usage numbers", "inf rate (cost)")
            .file("u.csv", usage(&[&[("ResourceRate", "inf")]]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"ResourceRate\"")
            .names("\"inf\""),
        Case::new("usage numbers", "a European 1,5 in a comma-separated file")
            .file("u.csv", usage(&[&[("ExtendedCost", "1,5")]]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"ExtendedCost\"")
            .names("a point as the decimal separator (1.5), found \"1,5\""),
        Case::new("usage numbers", "quantity × rate beyond the range")
            .file("u.csv", usage(&[&[("ResourceRate", DECIMAL_MAX)]]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 2")
            .names("column \"ResourceRate\"")
            .names(&format!("24 × {DECIMAL_MAX}")),
        Case::new("usage numbers", "a resource's quantity summed over two rows overflows (cost)")
            .file("u.csv", usage(&[max_quantity; 2]))
            .args(&["cost", "u.csv"])
            .names("u.csv, line 3")
            .names("column \"Consumed Quantity\"")
            .names(&format!("this row adds {DECIMAL_MAX}")),
        Case::new("usage numbers", "a meter's cost summed over two rows overflows (assess)")
            .file("u.csv", usage(&[max_cost; 2]))
            .args(&["assess", "u.csv"])
            .names("u.csv, line 3")
            .names(&format!("cost {DECIMAL_MAX}")),
        Case::new("usage numbers", "the EA cost total over eleven resources overflows")
            .file("u.csv", distinct_resources(&huge_costs))
            .args(&["cost", "u.csv"])
            .names("u.csv, line")
            .names("the total EA cost of subscription"),
        Case::new("usage numbers", "--period-days scales a valid cost beyond the range")
            .file(
                "u.csv",
                usage(&[&[("ExtendedCost", TENTH_OF_MAX), ("Date", "09/01/2017")], &[("Date", "09/02/2017")]]),
            )
            .args(&["cost", "u.csv", "--period-days", "3000"])
            .names("u.csv, line 2")
            .names("--period-days 3000"),
    ]
}

/// Each row with an Instance ID of its own, so the rows are separate lines and only the totals add them.
fn distinct_resources(csv: &str) -> String {
    let base = "ec2457ae-8775-48bf-8bdc-f1c94e96eb56";
    csv.lines()
        .enumerate()
        .map(|(n, line)| if n == 0 { line.to_string() } else { line.replace(base, &format!("{base}-{n}")) })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------------------------------------------ prices

const PRICE_LIST: &str = include_str!("../fixtures/cost/price-list.csv");

/// The fixture's price list (header on line 4) with one meter on line 5: the sample's Compute Hours, priced
/// `usd` in the USD column.
fn price_list(usd: &str) -> String {
    let lines: Vec<&str> = PRICE_LIST.lines().collect();
    let meter = lines[7].rsplit_once(',').unwrap().0;
    format!("{}\n{meter},{usd}\n", lines[..4].join("\n"))
}

fn rate_card(rate: &str) -> String {
    format!(
        r#"{{"currency": "USD", "isTaxIncluded": false, "meters": [{{"id": "f730511a-d669-413d-88ed-3107755b4bec",
        "name": "Compute Hours", "rates": {{"0": {rate}}}, "category": "Virtual Machines",
        "subcategory": "A0 VM (Windows)", "region": "EU West", "unit": "Hours", "includedQuantity": 0.0}}]}}"#
    )
}

fn price_cases() -> Vec<Case> {
    let one_row = usage(&[&[]]);
    let cost = |name: &str, list: &str, price_list: String, extra: &[&str]| {
        let mut args = vec!["cost", "u.csv", "--price-list", list, "--currency", "USD"];
        args.extend_from_slice(extra);
        Case::new("price numbers", name).file("u.csv", one_row.clone()).file(list, price_list).args(&args)
    };
    vec![
        cost("a price of 1e30", "p.csv", price_list("1e30"), &[])
            .names("p.csv, line 5")
            .names("column \"USD\"")
            .names("1e30 is outside the range"),
        cost("a negative price", "p.csv", price_list("-5"), &[])
            .names("p.csv, line 5")
            .names("column \"USD\"")
            .names("expected a price of 0 or more, found -5"),
        cost("a price that overflows quantity × price", "p.csv", price_list(DECIMAL_MAX), &[])
            .names("u.csv, line 2")
            .names("p.csv, line 5")
            .names(&format!("24 × {DECIMAL_MAX}")),
        cost("--markup takes a valid CSP cost beyond the range", "p.csv", price_list("1e26"), &["--markup", "10000"])
            .names("u.csv, line 2")
            .names("--markup 10000"),
        cost("a rate card rate of 1e30", "rc.json", rate_card("1e30"), &[])
            .names("rc.json")
            .names("/meters/0/rates/0")
            .names("is outside the range"),
        cost("a negative rate card rate", "rc.json", rate_card("-5"), &[])
            .names("rc.json")
            .names("/meters/0/rates/0")
            .names("expected a rate of 0 or more, found -5"),
    ]
}

// ------------------------------------------------------------------------------------------------ RVTools

const VINFO_HEADER: [&str; 12] = [
    "VM",
    "Powerstate",
    "Template",
    "CPUs",
    "Memory",
    "NICs",
    "Disks",
    "Provisioned MiB",
    "In Use MiB",
    "OS according to the configuration file",
    "OS according to the VMware Tools",
    "Firmware",
];
const VINFO_ROW: [&str; 12] = [
    "FILE-01",
    "poweredOn",
    "False",
    "2",
    "8192",
    "1",
    "1",
    "153600",
    "76800",
    "Microsoft Windows Server 2022 (64-bit)",
    "Microsoft Windows Server 2022 (64-bit)",
    "efi",
];

/// An RVTools workbook: a vInfo tab with one VM (the cell `column` replaced by `value`), and a vDisk tab when
/// `disk_mib` is given. A value that reads as a number is written as a number cell, as RVTools does.
fn rvtools(column: &str, value: &str, disk_mib: Option<&str>) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let mut row = VINFO_ROW;
    if let Some(index) = VINFO_HEADER.iter().position(|h| *h == column) {
        row[index] = value;
    }
    write_sheet(&mut workbook, "vInfo", &[&VINFO_HEADER, &row]);
    if let Some(mib) = disk_mib {
        write_sheet(&mut workbook, "vDisk", &[&["VM", "Disk", "Capacity MiB"], &["FILE-01", "Hard disk 1", mib]]);
    }
    workbook.save_to_buffer().unwrap()
}

fn write_sheet(workbook: &mut Workbook, name: &str, rows: &[&[&str]]) {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(number) if number.is_finite() => sheet.write_number(r as u32, c as u16, number).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
}

fn rvtools_cases() -> Vec<Case> {
    let detailed = |name: &str, workbook: Vec<u8>| {
        Case::new("RVTools numbers", name).file("r.xlsx", workbook).args(&["capacity", "detailed", "r.xlsx"])
    };
    vec![
        detailed("vInfo CPUs 1e30 (a number cell)", rvtools("CPUs", "1e30", None))
            .names("r.xlsx, sheet \"vInfo\", cell D2")
            .names("column \"CPUs\"")
            .names("1e30 is outside the range"),
        // A number cell holds a binary float: 29 nines are 1e29 there, and named so.
        detailed("vInfo CPUs of 29 nines (a number cell)", rvtools("CPUs", TWENTY_NINE_NINES, None))
            .names("cell D2")
            .names("column \"CPUs\"")
            .names("1e29 is outside the range"),
        detailed("vInfo CPUs of 5 billion is too large for a count", rvtools("CPUs", "5000000000", None))
            .names("cell D2")
            .names("column \"CPUs\"")
            .names("5000000000 is too large for a count"),
        detailed("vInfo Memory NaN", rvtools("Memory", "NaN", None))
            .names("r.xlsx, sheet \"vInfo\", cell E2")
            .names("column \"Memory\"")
            .names("\"NaN\""),
        detailed("vInfo Provisioned MiB negative", rvtools("Provisioned MiB", "-5", None))
            .names("cell H2")
            .names("column \"Provisioned MiB\"")
            .names("negative value -5"),
        detailed("vInfo In Use MiB as a 400-digit text", rvtools("In Use MiB", &"9".repeat(400), None))
            .names("cell I2")
            .names("column \"In Use MiB\"")
            .names("(400 characters)"),
        detailed("vDisk Capacity MiB 1e30", rvtools("", "", Some("1e30")))
            .names("r.xlsx, sheet \"vDisk\", cell C2")
            .names("column \"Capacity MiB\"")
            .names("1e30"),
        Case::new("RVTools numbers", "RVTools CSV export: vInfo CPUs negative")
            .file("RVTools_tabvInfo.csv", format!("{}\n{}\n", VINFO_HEADER.join(","), rvtools_csv_row("CPUs", "-2")))
            .args(&["workloads", "RVTools_tabvInfo.csv"])
            .names("RVTools_tabvInfo.csv, line 2")
            .names("column \"CPUs\"")
            .names("negative value -2"),
    ]
}

fn rvtools_csv_row(column: &str, value: &str) -> String {
    let mut row = VINFO_ROW;
    row[VINFO_HEADER.iter().position(|h| *h == column).unwrap()] = value;
    row.join(",")
}

// ------------------------------------------------------------------------------------------------ Azure Migrate

const AZURE_MIGRATE: &str = include_str!("../fixtures/servers/azure-migrate.csv");

/// The fixture's header and first server (4 cores, 16384 MB, disks of 128 and 512 GB, 300 GB in use, disk 1 at
/// 120 read + 80 write ops) with the cells `(column, value)` replaced.
fn azure_migrate(edits: &[(&str, &str)]) -> String {
    let mut lines = AZURE_MIGRATE.lines();
    let header = lines.next().unwrap();
    let names: Vec<&str> = header.split(',').collect();
    let mut cells: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    for (column, value) in edits {
        cells[names.iter().position(|n| n == column).unwrap()] = value.to_string();
    }
    format!("{header}\n{}\n", cells.join(","))
}

fn azure_migrate_cases() -> Vec<Case> {
    let case = |name: &str, command: &str, edits: &[(&str, &str)]| {
        let args: Vec<&str> = command.split(' ').chain(["m.csv"]).collect();
        Case::new("Azure Migrate numbers", name).file("m.csv", azure_migrate(edits)).args(&args)
    };
    vec![
        case("*Cores at the decimal maximum", "workloads", &[("*Cores", DECIMAL_MAX)])
            .names("m.csv, line 2")
            .names("column \"*Cores\"")
            .names(&format!("{DECIMAL_MAX} is too large for a count")),
        case("*Memory (In MB) 1e30", "capacity detailed", &[("*Memory (In MB)", "1e30")])
            .names("m.csv, line 2")
            .names("column \"*Memory (In MB)\"")
            .names("1e30 is outside the range"),
        case(
            "storage in use so large the utilization overflows",
            "capacity detailed",
            &[("Storage in use (In GB)", DECIMAL_MAX), ("Disk 1 size (In GB)", "0.001"), ("Disk 2 size (In GB)", "")],
        )
        .names("m.csv, line 2")
        .names("column \"Storage in use (In GB)\"")
        .names(DECIMAL_MAX),
        case(
            "storage in use that overflows the bandwidth total",
            "capacity detailed",
            &[("Storage in use (In GB)", DECIMAL_MAX)],
        )
        .names("m.csv: the delta replication bandwidth")
        .names("too large to compute"),
        case("the disk sizes' total overflows", "workloads", &[("Disk 1 size (In GB)", DECIMAL_MAX)])
            .names("m.csv, line 2")
            .names("column \"Disk 1 size (In GB)\"")
            .names("the total of the disk sizes"),
        case(
            "read + write ops overflow",
            "capacity detailed",
            &[("Disk 1 read ops (operations per second)", DECIMAL_MAX)],
        )
        .names("m.csv, line 2")
        .names("column \"Disk 1 read ops (operations per second)\"")
        .names(DECIMAL_MAX),
        case(
            "IOPS beyond any count",
            "capacity detailed",
            &[("Disk 1 read ops (operations per second)", TENTH_OF_MAX)],
        )
        .names("m.csv, line 2")
        .names("app01.contoso.local: the IOPS")
        .names("too large to count"),
        case("negative disk size", "workloads", &[("Disk 2 size (In GB)", "-512")])
            .names("m.csv, line 2")
            .names("column \"Disk 2 size (In GB)\"")
            .names("negative value -512"),
    ]
}

// ------------------------------------------------------------------------------------------------ planner table

const PLANNER_TABLE: &str = include_str!("../fixtures/servers/planner-table.csv");

/// The fixture's header and second server (1000 GB, 35 %, 5 %) with the cells `(column, value)` replaced.
fn planner_table(edits: &[(&str, &str)]) -> String {
    let mut lines = PLANNER_TABLE.lines();
    let header = lines.next().unwrap();
    let names: Vec<&str> = header.split(',').collect();
    let mut cells: Vec<String> = lines.nth(1).unwrap().split(',').map(str::to_string).collect();
    for (column, value) in edits {
        cells[names.iter().position(|n| n == column).unwrap()] = value.to_string();
    }
    format!("{header}\n{}\n", cells.join(","))
}

fn planner_table_cases() -> Vec<Case> {
    let case = |name: &str, edits: &[(&str, &str)]| {
        Case::new("planner table numbers", name)
            .file("t.csv", planner_table(edits))
            .args(&["capacity", "detailed", "t.csv"])
    };
    vec![
        case("Total Storage 1e30", &[("Total Storage (in GBs)", "1e30")])
            .names("t.csv, line 2")
            .names("column \"Total Storage (in GBs)\"")
            .names("1e30 is outside the range"),
        case("Number of NICs beyond a count", &[("Number of NICs", "4294967296")])
            .names("t.csv, line 2")
            .names("column \"Number of NICs\"")
            .names("4294967296 is too large for a count"),
        case("Processor Cores 1.5", &[("Processor Cores", "1.5")])
            .names("t.csv, line 2")
            .names("column \"Processor Cores\"")
            .names("expected a whole number, found 1.5"),
        case("negative utilization", &[("Disk capacity utilization (%)", "-5%")])
            .names("t.csv, line 2")
            .names("column \"Disk capacity utilization (%)\"")
            .names("negative percentage -5%"),
        case("a change rate of inf", &[("Daily data change rate (%)", "inf")])
            .names("t.csv, line 2")
            .names("column \"Daily data change rate (%)\"")
            .names("\"inf\""),
        case(
            "data changed per day beyond the range in the totals",
            &[
                ("Total Storage (in GBs)", TENTH_OF_MAX),
                ("Disk capacity utilization (%)", "100%"),
                ("Daily data change rate (%)", "100%"),
            ],
        )
        .names("t.csv, line 2")
        .names("BELSYSGLABVM01: the IOPS of the data changed per day"),
    ]
}

// ------------------------------------------------------------------------------------------------ options

fn option_cases() -> Vec<Case> {
    let quick = |name: &str, option: &str, value: &str| {
        let mut args = vec![
            "capacity",
            "quick",
            "--scenario",
            "vmware",
            "--vms",
            "10",
            "--disks-per-vm",
            "2",
            "--disk-size-gb",
            "100",
            "--utilization",
            "50",
            "--change-rate",
            "5",
        ];
        match args.iter().position(|a| *a == option) {
            Some(at) => args[at + 1] = value,
            None => args.extend([option, value]),
        }
        Case::new("option numbers", name).args(&args).names(option)
    };
    let cost = |name: &str, option: &str, value: &str| {
        Case::new("option numbers", name).args(&["cost", option, value]).names(option)
    };
    vec![
        cost("--discount -5", "--discount", "-5").names("--discount: expected a percentage from 0 to 100, found -5"),
        cost("--discount 1e30", "--discount", "1e30").names("1e30 is outside the range"),
        cost("--markup -5", "--markup", "-5").names("--markup: expected a percentage of 0 or more, found -5"),
        cost("--markup of 29 nines", "--markup", TWENTY_NINE_NINES).names(TWENTY_NINE_NINES),
        cost("--period-days -5", "--period-days", "-5").names("expected a number of days from 1 to 36600, found -5"),
        cost("--period-days 99999999999", "--period-days", "99999999999").names("found 99999999999"),
        cost("--period-days beyond i64", "--period-days", "99999999999999999999999").names("is too large"),
        quick("--vms -5", "--vms", "-5").names("found -5"),
        quick("--vms 99999999999999999999", "--vms", "99999999999999999999").names("is too large"),
        quick("--disks-per-vm beyond u32", "--disks-per-vm", "4294967296").names("from 1 to 4294967295"),
        quick("--disk-size-gb whose product overflows", "--disk-size-gb", TENTH_OF_MAX)
            .names(&format!("--disk-size-gb {TENTH_OF_MAX}"))
            .names("too large to compute"),
        quick("--change-rate -5", "--change-rate", "-5").names("percentage from 0 to 100, found -5"),
        quick("--utilization NaN", "--utilization", "NaN").names("expected a number"),
        quick("--retention-days -1", "--retention-days", "-1").names("found -1"),
        quick("--recovery-points -1 (hyperv)", "--recovery-points", "-1"),
        Case::new("option numbers", "capacity change-rate --total-storage-gb -1")
            .args(&["capacity", "change-rate", "--total-storage-gb", "-1", "--delta-gb", "5"])
            .names("--total-storage-gb must be greater than 0, found -1"),
        Case::new("option numbers", "capacity change-rate --delta-mb -5")
            .args(&["capacity", "change-rate", "--total-storage-gb", "10", "--delta-mb", "-5"])
            .names("--delta-mb: the delta size must not be negative, found -5"),
        Case::new("option numbers", "capacity change-rate --delta-gb beyond the rate's range")
            .args(&["capacity", "change-rate", "--total-storage-gb", "0.0000000001", "--delta-gb", TENTH_OF_MAX])
            .names("--total-storage-gb 0.0000000001")
            .names("too large to compute"),
        Case::new("option numbers", "capacity detailed --default-change-rate -5")
            .file("t.csv", planner_table(&[]))
            .args(&["capacity", "detailed", "t.csv", "--default-change-rate", "-5"])
            .names("--default-change-rate: the daily data change rate must be a percentage from 0 to 100, found -5"),
        Case::new("option numbers", "capacity detailed --batch-size 0")
            .file("t.csv", planner_table(&[]))
            .args(&["capacity", "detailed", "t.csv", "--batch-size", "0"])
            .names("--batch-size: the number of VMs per initial replication batch must be a whole number from 1"),
    ]
}

// ------------------------------------------------------------------------------------------------ warnings

fn warning_cases() -> Vec<Case> {
    vec![
        Case::new("server warnings", "an RVTools warning names the file")
            .file("r.xlsx", include_bytes!("../fixtures/servers/rvtools-incomplete-row.xlsx"))
            .args(&["workloads", "r.xlsx"])
            .code(0)
            .names("warning: r.xlsx, sheet \"vInfo\", row 3: EMPTY-01")
            .names("warning: r.xlsx, sheet \"vInfo\", row 4: SWAP-01"),
        Case::new("server warnings", "an Azure Migrate warning names the file")
            .file("m.csv", azure_migrate(&[("Number of disks", "1")]))
            .args(&["workloads", "m.csv"])
            .code(0)
            .names("warning: m.csv, line 2: app01.contoso.local: \"Number of disks\" says 1"),
        // The Detailed Planner lists its warnings in its output: the JSON's name the file too.
        Case::new("server warnings", "a Detailed Planner warning names the file")
            .file("t.csv", planner_table(&[("Daily data change rate (%)", "")]))
            .args(&["capacity", "detailed", "t.csv", "-o", "out.json"])
            .code(0)
            .output("out.json")
            .check(|dir| {
                let json = std::fs::read_to_string(dir.join("out.json")).map_err(|e| e.to_string())?;
                let named = "\"location\": \"t.csv, line 2\"";
                match json.contains(named) && json.contains("BELSYSGLABVM01: no daily data change rate") {
                    true => Ok(()),
                    false => Err(format!("out.json has no warning at {named}")),
                }
            }),
    ]
}
