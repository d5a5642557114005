//! Hostile cases: inputs that are empty, not regular files, too large in one field, or not what they claim.
//!
//! Every path a user names (an input, a price list, a rule file or folder, a template or its folder, a part of
//! a partitioned export) is refused before a byte is read when it is not a regular file: a FIFO would block the
//! run, a device never end. One CSV row, one JSON value and a gzip stream's expansion are bounded, and templates
//! that include each other are refused before rendering.

use std::io::Write;
use std::path::Path;

use crate::harness::Case;

/// The header and one row of an EA usage export (the shipped sample's first lines).
const USAGE_HEADER: &str = "AccountOwnerId,Account Name,ServiceAdministratorId,SubscriptionId,SubscriptionGuid,\
Subscription Name,Date,Month,Day,Year,Product,Meter ID,Meter Category,Meter Sub-Category,Meter Region,Meter Name,\
Consumed Quantity,ResourceRate,ExtendedCost,Resource Location,Consumed Service,Instance ID,ServiceInfo1,\
ServiceInfo2,AdditionalInfo,Tags,Store Service Identifier,Department Name,Cost Center,Unit Of Measure,\
Resource Group\n";
const USAGE_ROW: &str = "ea-admin@contoso.com,Contoso IT,admin@contoso.com,4157893,\
60e5990f-d7cd-4894-b095-bded8682484b,Dev,09/15/2017,9,15,2017,Networking - Data Transfer In (GB) - Zone 1,\
35921e20-82c0-408e-bf49-0b4952398d90,Networking,Networking,Zone 1,Data Transfer In (GB),0.018,0,0,WestEurope,\
Compute,vm1,,,,,,,,GB,rg1\n";

/// One resource of `az resource list`, as one line.
const RESOURCE: &str = r#"{"id": "/subscriptions/60e5990f-d7cd-4894-b095-bded8682484b/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1", "name": "vm1", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope", "resourceGroup": "rg1", "subscriptionId": "60e5990f-d7cd-4894-b095-bded8682484b"}"#;

/// Just over the 16 MiB a CSV row or a JSON value may hold.
const OVER_LIMIT: usize = 17 << 20;

fn usage() -> String {
    format!("{USAGE_HEADER}{USAGE_ROW}")
}

fn resources() -> String {
    format!("[{RESOURCE}]")
}

/// Makes a FIFO (named pipe) at `dir/relative`: reading it would block until something writes to it.
fn fifo(dir: &Path, relative: &str) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path it is given and nothing else.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

fn symlink(dir: &Path, target: &str, link: &str) {
    std::os::unix::fs::symlink(target, dir.join(link)).unwrap();
}

/// A FIFO as the input of `command` (with its other arguments): refused by name, never waited on.
fn fifo_input(command: &'static str, name: &'static str, extra: &[&str]) -> Case {
    let mut args = vec![command, name];
    args.extend_from_slice(extra);
    Case::new(command, format!("a FIFO as the input of {command}"))
        .setup(move |dir| fifo(dir, name))
        .args(&args)
        .names(name)
        .names("is a FIFO (named pipe), not a regular file")
}

/// A gzip stream of 2 GiB of usage rows in a file of a few MB: one member of 1 MiB of rows, repeated (several
/// members one after another are one valid gzip text), so generating it takes a moment.
fn gzip_bomb() -> Vec<u8> {
    let compress = |text: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    };
    let mut bytes = compress(USAGE_HEADER.as_bytes());
    let rows = compress(&USAGE_ROW.repeat((1 << 20) / USAGE_ROW.len()).into_bytes());
    bytes.extend(rows.repeat(2048));
    bytes
}

/// Non-regular files as the inputs of each command.
fn not_files() -> Vec<Case> {
    vec![
        fifo_input("inventory", "estate.json", &[]),
        fifo_input("assess", "estate.json", &[]),
        fifo_input("cost", "usage.csv", &[]),
        fifo_input("plan", "estate.json", &[]),
        fifo_input("report", "usage.csv", &["--out-dir", "out"]),
        fifo_input("workloads", "servers.csv", &[]),
        Case::new("resource JSON", "a symlink to a FIFO as the input")
            .setup(|dir| fifo(dir, "pipe"))
            .setup(|dir| symlink(dir, "pipe", "estate.json"))
            .args(&["inventory", "estate.json"])
            .names("estate.json")
            .names("is a FIFO (named pipe)"),
        Case::new("resource JSON", "two symlinks pointing at each other as the input")
            .setup(|dir| symlink(dir, "b.json", "a.json"))
            .setup(|dir| symlink(dir, "a.json", "b.json"))
            .args(&["inventory", "a.json"])
            .names("a.json")
            .names("symbolic links"),
        Case::new("resource JSON", "an input that does not exist")
            .args(&["assess", "missing.json"])
            .names("missing.json")
            .names("no such file"),
        Case::new("server inventory", "a zero-byte server inventory")
            .file("servers.csv", b"")
            .args(&["workloads", "servers.csv"])
            .names("servers.csv")
            .names("empty"),
        Case::new("workloads side file", "a FIFO as the application mapping")
            .file("servers.xlsx", include_bytes!("../../samples/servers-rvtools.xlsx"))
            .setup(|dir| fifo(dir, "apps.csv"))
            .args(&["workloads", "servers.xlsx", "--applications", "apps.csv"])
            .names("apps.csv")
            .names("is a FIFO (named pipe)"),
        Case::new("partitioned export", "a part of the export that is a FIFO")
            .file(
                "run/manifest.json",
                r#"{"manifestVersion": "2024-04-01", "blobs": [{"blobName": "x/part_0_0001.csv"}]}"#,
            )
            .setup(|dir| fifo(dir, "run/part_0_0001.csv"))
            .args(&["cost", "run"])
            .names("part_0_0001.csv")
            .names("is a FIFO (named pipe)"),
    ]
}

/// Price lists that are not files: `--price-list /dev/zero` used to read without end.
fn price_lists() -> Vec<Case> {
    let with_price_list = |name: &'static str, what: &str| {
        Case::new("price list", format!("{what} as --price-list")).file("usage.csv", usage()).args(&[
            "cost",
            "usage.csv",
            "--price-list",
            name,
        ])
    };
    vec![
        with_price_list("prices.csv", "a FIFO")
            .setup(|dir| fifo(dir, "prices.csv"))
            .names("prices.csv")
            .names("is a FIFO (named pipe)"),
        with_price_list("prices.xlsx", "a FIFO named as a workbook")
            .setup(|dir| fifo(dir, "prices.xlsx"))
            .names("prices.xlsx")
            .names("is a FIFO (named pipe)"),
        with_price_list("prices", "a directory")
            .setup(|dir| std::fs::create_dir(dir.join("prices")).unwrap())
            .names("prices: is a directory, not a regular file"),
        with_price_list("dev/zero", "a symlink to a FIFO in a folder (as /dev/zero would be)")
            .setup(|dir| fifo(dir, "dev/pipe"))
            .setup(|dir| symlink(dir, "pipe", "dev/zero"))
            .names("dev/zero")
            .names("not a regular file"),
        with_price_list("ratecard.json", "a zero-byte rate card").file("ratecard.json", b"").names("ratecard.json"),
        // The real devices, as inputs only (reading them is harmless; they must be refused, not read without end).
        with_price_list("/dev/zero", "the real /dev/zero")
            .names("/dev/zero: is a character device, not a regular file"),
        Case::new("usage CSV", "the real /dev/zero as the usage export")
            .args(&["cost", "/dev/zero"])
            .names("/dev/zero: is a character device, not a regular file"),
        Case::new("resource JSON", "the real /dev/null as the input (a device, not an empty file)")
            .args(&["inventory", "/dev/null"])
            .names("/dev/null: is a character device, not a regular file"),
    ]
}

/// `--rules DIR` and `--templates DIR` with entries that are not files, or files that loop.
fn rules_and_templates() -> Vec<Case> {
    vec![
        Case::new("--rules", "a rule file that is a FIFO")
            .file("usage.csv", usage())
            .setup(|dir| fifo(dir, "r/cost.toml"))
            .args(&["cost", "usage.csv", "--rules", "r"])
            .names("r/cost.toml")
            .names("is a FIFO (named pipe)"),
        Case::new("--rules", "a folder inside the rules folder")
            .file("usage.csv", usage())
            .setup(|dir| std::fs::create_dir_all(dir.join("r/old")).unwrap())
            .args(&["cost", "usage.csv", "--rules", "r"])
            .names("r/old")
            .names("is a directory"),
        Case::new("--rules", "the rules folder is a FIFO")
            .file("usage.csv", usage())
            .setup(|dir| fifo(dir, "r"))
            .args(&["cost", "usage.csv", "--rules", "r"])
            .names("--rules r")
            .names("is a FIFO (named pipe), not a folder"),
        Case::new("--rules", "the rules folder is a file")
            .file("usage.csv", usage())
            .file("r", "x = 1\n")
            .args(&["cost", "usage.csv", "--rules", "r"])
            .names("--rules r")
            .names("not a folder"),
        Case::new("--rules", "a rule file with an error names the file actually read")
            .file("usage.csv", usage())
            .file("r/cost.toml", "[[unclosed\n")
            .args(&["cost", "usage.csv", "--rules", "r/"])
            .names("r/cost.toml, line 1"),
        Case::new("--templates", "a template that is a FIFO")
            .file("estate.json", resources())
            .setup(|dir| fifo(dir, "t/summary.hbs"))
            .args(&["assess", "estate.json", "--format", "html", "-o", "out.html", "--templates", "t"])
            .names("t/summary.hbs")
            .names("is a FIFO (named pipe)"),
        Case::new("--templates", "two templates that include each other")
            .file("estate.json", resources())
            .file("t/summary.hbs", "<p>{{> cost}}</p>")
            .file("t/cost.hbs", "<p>{{> summary}}</p>")
            .args(&["assess", "estate.json", "--format", "html", "-o", "out.html", "--templates", "t"])
            .names("t/summary.hbs")
            .names("t/cost.hbs")
            .names("include each other"),
        Case::new("--templates", "a template that includes a partial by a computed name")
            .file("estate.json", resources())
            .file("t/summary.hbs", "{{> (lookup this \"name\")}}")
            .args(&["assess", "estate.json", "--format", "html", "-o", "out.html", "--templates", "t"])
            .names("t/summary.hbs")
            .names("computed name"),
    ]
}

/// One row, one value or one stream far larger than any real export.
fn oversized() -> Vec<Case> {
    vec![
        Case::new("resource JSON", "a 17 MiB line of JSON Lines")
            .setup(|dir| {
                let long = format!("{{\"name\": \"{}\"}}", "x".repeat(OVER_LIMIT));
                std::fs::write(dir.join("estate.jsonl"), format!("{RESOURCE}\n{RESOURCE}\n{long}\n")).unwrap();
            })
            .args(&["inventory", "estate.jsonl"])
            .names("estate.jsonl, line 3")
            .names("longer than 16 MiB"),
        Case::new("resource JSON", "a resource of 17 MiB in an array")
            .setup(|dir| {
                let long = format!("{{\"name\": \"vm2\", \"properties\": {{\"x\": \"{}\"}}}}", "x".repeat(OVER_LIMIT));
                std::fs::write(dir.join("estate.json"), format!("[\n{RESOURCE},\n{long}\n]")).unwrap();
            })
            .args(&["assess", "estate.json"])
            .names("estate.json, line 3")
            .names("longer than 16 MiB"),
        Case::new("usage CSV", "a 17 MiB field on one line")
            .setup(|dir| {
                let field = format!("\"{}\",1\n", "x".repeat(OVER_LIMIT));
                std::fs::write(dir.join("usage.csv"), format!("{}{field}{USAGE_ROW}", usage())).unwrap();
            })
            .args(&["cost", "usage.csv"])
            .names("usage.csv, line 3")
            .names("longer than 16 MiB"),
        Case::new("usage CSV", "a quote never closed, then 17 MiB of rows")
            .setup(|dir| {
                let rest = USAGE_ROW.repeat(OVER_LIMIT / USAGE_ROW.len());
                std::fs::write(dir.join("usage.csv"), format!("{}\"never closed,{rest}", usage())).unwrap();
            })
            .args(&["cost", "usage.csv"])
            .names("usage.csv, line 3")
            .names("opens a quote that is not closed within 16 MiB"),
        Case::new("usage CSV", "a title cell longer than a read block before the header")
            .file("usage.csv", format!("\"{}\"\n{}", "title line\n".repeat(30_000), usage()))
            .args(&["cost", "usage.csv"])
            .code(0),
        Case::new("usage gzip", "a gzip bomb: 2 GiB of rows in a few MB")
            .setup(|dir| std::fs::write(dir.join("usage.csv.gz"), gzip_bomb()).unwrap())
            .args(&["cost", "usage.csv.gz"])
            .names("usage.csv.gz")
            .names("gzip bomb"),
    ]
}

pub fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case::new("resource JSON", "a zero-byte resource list")
            .file("empty.json", b"")
            .args(&["inventory", "empty.json"])
            .names("empty.json"),
        Case::new("usage CSV", "a zero-byte usage export")
            .file("usage.csv", b"")
            .args(&["cost", "usage.csv"])
            .names("usage.csv"),
    ];
    cases.extend(not_files());
    cases.extend(price_lists());
    cases.extend(rules_and_templates());
    cases.extend(oversized());
    cases
}
