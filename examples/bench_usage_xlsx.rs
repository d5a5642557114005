//! Benchmark (not a test): how a usage export saved as xlsx reads, against a bare pass of the workbook library over
//! the same sheet.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench_usage_xlsx -- 1000000 [KEEP.xlsx]
//! ```
//!
//! Writes an N-row usage workbook (rust_xlsxwriter, constant memory), times a bare calamine cells-reader pass over
//! its sheet, then `csp-planner assess --format json -o FILE` on it, and prints the times, their ratio and the peak
//! memory of each. The target: the tool within 3 times the bare pass, peak memory at most 400 MB.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

const HEADER: [&str; 16] = [
    "SubscriptionId",
    "SubscriptionName",
    "Date",
    "MeterId",
    "MeterCategory",
    "MeterSubCategory",
    "MeterRegion",
    "MeterName",
    "Quantity",
    "EffectivePrice",
    "Cost",
    "UnitPrice",
    "BillingCurrency",
    "ResourceId",
    "ResourceGroup",
    "UnitOfMeasure",
];

/// Resources the rows are spread over, and days (a month's export).
const RESOURCES: usize = 2_000;
const DAYS: usize = 30;
/// 2023-09-01 as an Excel serial.
const FIRST_DAY: f64 = 45170.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(200_000);
    let binary = binary()?;
    let folder = tempfile::tempdir()?;
    // A second argument keeps the workbook at that path, for a look at it afterwards.
    let workbook = std::env::args().nth(2).map_or_else(|| folder.path().join("usage.xlsx"), PathBuf::from);

    let started = Instant::now();
    write_workbook(&workbook, rows)?;
    let size = std::fs::metadata(&workbook)?.len();
    println!("wrote {rows} rows: {} MB in {:.1} s", size / 1_000_000, started.elapsed().as_secs_f64());
    let (xml, compressed) = sheet_part_sizes(&workbook)?;
    println!("sheet XML: {} MB uncompressed, compressed {} times", xml / 1_000_000, xml / compressed.max(1));

    let started = Instant::now();
    let cells = bare_pass(&workbook)?;
    let bare = started.elapsed().as_secs_f64();
    println!("bare calamine cells-reader pass: {bare:.2} s ({cells} cells), peak {} MB", own_peak_mb());

    let output = folder.path().join("assessment.json");
    let started = Instant::now();
    let child = Command::new(&binary).args(["assess", "--format", "json", "-o"]).arg(&output).arg(&workbook).spawn()?;
    let (status, peak) = wait_with_peak(child.id())?;
    let tool = started.elapsed().as_secs_f64();
    if status != 0 {
        return Err(format!("csp-planner assess failed: wait status {status}").into());
    }
    println!("csp-planner assess --format json: {tool:.2} s, peak {peak} MB");
    println!("ratio to the bare pass: {:.2} (target at most 3)", tool / bare);
    Ok(())
}

/// The release binary beside this example (`target/release/examples/..` → `target/release/csp-planner`).
fn binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let example = std::env::current_exe()?;
    let folder = example.parent().and_then(Path::parent).ok_or("no target folder")?;
    let binary = folder.join("csp-planner");
    if !binary.exists() {
        return Err(format!("{} is missing: run `cargo build --release` first", binary.display()).into());
    }
    Ok(binary)
}

fn write_workbook(path: &Path, rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Usage")?;
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *name)?;
    }
    for index in 0..rows {
        let row = index as u32 + 1;
        let resource = index % RESOURCES;
        let day = (index / RESOURCES) % DAYS;
        let quantity = 24.0;
        let rate = 0.096 + (resource % 7) as f64 * 0.01;
        sheet.write_string(row, 0, "11111111-2222-3333-4444-555555555555")?;
        sheet.write_string(row, 1, "Contoso Production")?;
        sheet.write_number_with_format(row, 2, FIRST_DAY + day as f64, &date)?;
        sheet.write_string(row, 3, format!("meter-{}", resource % 7))?;
        sheet.write_string(row, 4, "Virtual Machines")?;
        sheet.write_string(row, 5, "Dv3/DSv3 Series")?;
        sheet.write_string(row, 6, "EU West")?;
        sheet.write_string(row, 7, "D2 v3/D2s v3")?;
        sheet.write_number(row, 8, quantity)?;
        sheet.write_number(row, 9, rate)?;
        sheet.write_number(row, 10, quantity * rate)?;
        sheet.write_number(row, 11, rate)?;
        sheet.write_string(row, 12, "EUR")?;
        sheet.write_string(
            row,
            13,
            format!(
                "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-{}/providers/Microsoft.Compute/virtualMachines/vm-{resource}",
                resource % 20
            ),
        )?;
        sheet.write_string(row, 14, format!("rg-{}", resource % 20))?;
        sheet.write_string(row, 15, "1 Hour")?;
    }
    workbook.save(path)?;
    Ok(())
}

/// The sheet part's uncompressed and compressed sizes, to compare with the archive limits.
fn sheet_part_sizes(path: &Path) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let index = archive.index_for_name("xl/worksheets/sheet1.xml").ok_or("no sheet part")?;
    let entry = archive.by_index_data(index)?;
    Ok((entry.size(), entry.compressed_size()))
}

/// Every cell of the sheet through calamine's streaming reader, doing nothing with them.
fn bare_pass(path: &Path) -> Result<u64, Box<dyn std::error::Error>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(path)?;
    let name = workbook.sheet_names().first().cloned().ok_or("no sheet")?;
    let mut reader = workbook.worksheet_cells_reader(&name)?;
    let mut cells = 0u64;
    while let Some(cell) = reader.next_cell()? {
        std::hint::black_box(cell.get_value());
        cells += 1;
    }
    Ok(cells)
}

fn peak_mb(who: i32) -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the buffer it is given.
    let usage = unsafe {
        libc::getrusage(who, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss / 1024
}

/// This process's peak resident memory (Linux reports KiB).
fn own_peak_mb() -> i64 {
    peak_mb(libc::RUSAGE_SELF)
}

/// Waits for the child `pid` and returns its wait status and its own peak resident memory in MB (wait4 reports
/// the usage of that child alone, not of every child this process has had).
fn wait_with_peak(pid: u32) -> Result<(i32, i64), Box<dyn std::error::Error>> {
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the status and a complete rusage into the buffers it is given.
    let (waited, usage) = unsafe {
        let waited = libc::wait4(pid as libc::pid_t, &mut status, 0, usage.as_mut_ptr());
        (waited, usage.assume_init())
    };
    if waited < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok((status, usage.ru_maxrss / 1024))
}
