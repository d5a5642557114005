//! Baseline for `bench/inventory.sh`: the cheapest possible full read of a CSV
//! file with the `csv` crate. One reused `csv::ByteRecord`, no UTF-8
//! validation, no deserialisation, no allocation per row.
//!
//! Usage: `cargo run --release --example bare_byterecord -- FILE`
//! Prints `rows=N field_bytes=M` (the header row is not counted).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bare_byterecord FILE");
        return ExitCode::from(2);
    };
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bare_byterecord: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let mut record = csv::ByteRecord::new();
    let mut rows: u64 = 0;
    let mut field_bytes: u64 = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                field_bytes += record.as_slice().len() as u64;
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("bare_byterecord: {}: {e}", path.to_string_lossy());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("rows={rows} field_bytes={field_bytes}");
    ExitCode::SUCCESS
}
