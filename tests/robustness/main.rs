//! The robustness harness: hostile inputs run against the binary ([`harness`]), each case stating its exit code
//! and the place its message must name, and a seeded mutation fuzz of every reader in-process ([`fuzz`]).
//! The figures (cases, exit codes, slowest case, peak memory, mutations) are printed so a run can be quoted.
//! A test binary of its own (not a module of `tests/integration`) because the fuzz counts allocations with a
//! global allocator, which must not weigh on the other tests.

/// A figure of the run, written straight to stderr: the test harness captures `println!` of passing tests, and
/// these figures are wanted in every log (CI's included).
macro_rules! figure {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cases_csv;
mod cases_inputs;
mod cases_numbers;
mod cases_outputs;
mod cases_workbooks;
mod fuzz;
mod harness;
mod memory;

#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;

use std::collections::BTreeMap;

use harness::Case;

/// At least this many hostile cases: every reader, option and output path has several.
const MINIMUM_CASES: usize = 100;

fn all_cases() -> Vec<Case> {
    [
        cases_inputs::cases(),
        cases_csv::cases(),
        cases_workbooks::cases(),
        cases_numbers::cases(),
        cases_outputs::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn every_hostile_case_is_refused_cleanly() {
    let cases = all_cases();
    let mut failures = Vec::new();
    let mut by_area: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = (std::time::Duration::ZERO, String::new());
    for case in &cases {
        let outcome = harness::run(case);
        *by_area.entry(case.area).or_default() += 1;
        *by_code.entry(outcome.code.map_or("none".to_string(), |c| c.to_string())).or_default() += 1;
        if outcome.elapsed > slowest.0 {
            slowest = (outcome.elapsed, case.name.clone());
        }
        if !outcome.problems.is_empty() {
            failures.push(format!("{} ({}):\n  {}", case.name, case.area, outcome.problems.join("\n  ")));
        }
    }
    figure!("hostile cases: {} ({by_area:?})", cases.len());
    figure!("exit codes: {by_code:?}");
    figure!("slowest case: {:?} ({})", slowest.0, slowest.1);
    figure!("peak memory of any run: {} MiB", peak_child_memory_kib() / 1024);
    assert!(failures.is_empty(), "{} of {} case(s) failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(
        cases.len() >= MINIMUM_CASES,
        "only {} hostile cases; the harness keeps at least {MINIMUM_CASES}",
        cases.len()
    );
}

/// The largest resident set of any finished child process (Linux reports KiB).
fn peak_child_memory_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the buffer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss
}
