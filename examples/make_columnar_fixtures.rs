//! Writes the fixtures of `tests/fixtures/columnar/` from its `usage.csv`: the same usage rows as Cost Management
//! exports them with its other options, so that the tests can check that every one reads as the CSV does.
//!
//! ```sh
//! cargo run --example make_columnar_fixtures    # rewrites everything in tests/fixtures/columnar/ but usage.csv
//! ```
//!
//! - `usage.csv.gz`: the CSV, gzip-compressed (the CSV export's "Gzip" compression);
//! - `usage.parquet`: the rows as a Snappy-compressed Parquet file (the "Parquet" format with "Snappy"
//!   compression) in three row groups of at most 4 rows: text columns as optional UTF8 strings (an empty cell is
//!   a null), `Date` as a DATE, the numbers as DOUBLEs;
//! - `partitioned/`: a partitioned CSV export run, `part_0_0001.csv` (rows 1–6) and `part_0_0002.csv` (rows
//!   7–10), each with the header, and the `manifest.json` that lists them;
//! - `partitioned-parquet/`: the same run as Parquet parts.
//!
//! The manifests follow Microsoft's example in "File partitioning for large datasets" (Microsoft Learn,
//! https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-improved-exports#file-partitioning-for-large-datasets).
//! Every file is reproducible (the gzip header carries no time, the Parquet writer no date).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::Compression as GzipLevel;
use flate2::write::GzEncoder;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

type Failure = Box<dyn std::error::Error>;

/// Columns written as DOUBLE; `Date` is a DATE; every other column a string.
const NUMBERS: &[&str] = &["Quantity", "EffectivePrice", "Cost", "UnitPrice"];
const ROWS_PER_GROUP: usize = 4;
/// Part 1 holds the first rows, part 2 the rest.
const FIRST_PART_ROWS: usize = 6;
const RUN_FOLDER: &str = "usage-actual/20230901-20230930/202309021200/0f4b1e6c-5b7e-4a8e-9d0c-2a1b3c4d5e6f";

fn main() -> Result<(), Failure> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/columnar");
    let text = std::fs::read(folder.join("usage.csv"))?;
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.map(|r| r.iter().map(str::to_string).collect())).collect::<Result<_, _>>()?;

    write_gzip(&folder.join("usage.csv.gz"), &text)?;
    write_parquet(&folder.join("usage.parquet"), &header, &rows)?;

    let (first, second) = rows.split_at(FIRST_PART_ROWS);
    let csv_parts = folder.join("partitioned");
    std::fs::create_dir_all(&csv_parts)?;
    let mut sizes = Vec::new();
    for (name, part) in [("part_0_0001.csv", first), ("part_0_0002.csv", second)] {
        let path = csv_parts.join(name);
        write_csv(&path, &header, part)?;
        sizes.push((name, std::fs::metadata(&path)?.len(), part.len()));
    }
    write_manifest(&csv_parts.join("manifest.json"), "Csv", "None", &sizes)?;

    let parquet_parts = folder.join("partitioned-parquet");
    std::fs::create_dir_all(&parquet_parts)?;
    let mut sizes = Vec::new();
    for (name, part) in [("part_0_0001.snappy.parquet", first), ("part_0_0002.snappy.parquet", second)] {
        let path = parquet_parts.join(name);
        write_parquet(&path, &header, part)?;
        sizes.push((name, std::fs::metadata(&path)?.len(), part.len()));
    }
    write_manifest(&parquet_parts.join("manifest.json"), "Parquet", "Snappy", &sizes)?;
    Ok(())
}

fn write_gzip(path: &Path, text: &[u8]) -> Result<(), Failure> {
    let mut encoder = GzEncoder::new(File::create(path)?, GzipLevel::best());
    encoder.write_all(text)?;
    encoder.finish()?;
    Ok(())
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<(), Failure> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

fn schema(header: &[String]) -> String {
    let columns: Vec<String> = header
        .iter()
        .map(|name| match name.as_str() {
            "Date" => format!("REQUIRED INT32 {name} (DATE);"),
            _ if NUMBERS.contains(&name.as_str()) => format!("REQUIRED DOUBLE {name};"),
            _ => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
        })
        .collect();
    format!("message usage {{ {} }}", columns.join(" "))
}

fn write_parquet(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<(), Failure> {
    let schema = Arc::new(parse_message_type(&schema(header))?);
    let properties = Arc::new(
        WriterProperties::builder().set_compression(Compression::SNAPPY).set_created_by("csp-planner".into()).build(),
    );
    let mut writer = SerializedFileWriter::new(File::create(path)?, schema, properties)?;
    for group in rows.chunks(ROWS_PER_GROUP) {
        let mut group_writer = writer.next_row_group()?;
        for (index, name) in header.iter().enumerate() {
            let cells: Vec<&str> = group.iter().map(|row| row[index].as_str()).collect();
            let mut column = group_writer.next_column()?.ok_or("the schema has fewer columns than the header")?;
            if name == "Date" {
                let days = cells.iter().map(|cell| days_since_epoch(cell)).collect::<Result<Vec<_>, _>>()?;
                column.typed::<Int32Type>().write_batch(&days, None, None)?;
            } else if NUMBERS.contains(&name.as_str()) {
                let numbers = cells.iter().map(|cell| cell.parse::<f64>()).collect::<Result<Vec<_>, _>>()?;
                column.typed::<DoubleType>().write_batch(&numbers, None, None)?;
            } else {
                let present: Vec<ByteArray> =
                    cells.iter().filter(|cell| !cell.is_empty()).map(|cell| ByteArray::from(*cell)).collect();
                let levels: Vec<i16> = cells.iter().map(|cell| i16::from(!cell.is_empty())).collect();
                column.typed::<ByteArrayType>().write_batch(&present, Some(&levels), None)?;
            }
            column.close()?;
        }
        group_writer.close()?;
    }
    writer.close()?;
    Ok(())
}

/// `2023-09-01` → days since 1970-01-01.
fn days_since_epoch(date: &str) -> Result<i32, Failure> {
    let mut parts = date.split('-').map(str::parse::<i32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("not a YYYY-MM-DD date: {date}").into());
    };
    let month = time::Month::try_from(u8::try_from(month)?)?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day)?)?;
    Ok(date.to_julian_day() - 2_440_588)
}

fn write_manifest(path: &Path, format: &str, compression: &str, parts: &[(&str, u64, usize)]) -> Result<(), Failure> {
    let blobs: Vec<serde_json::Value> = parts
        .iter()
        .map(|(name, bytes, rows)| {
            serde_json::json!({ "blobName": format!("{RUN_FOLDER}/{name}"), "byteCount": bytes, "dataRowCount": rows })
        })
        .collect();
    let manifest = serde_json::json!({
        "manifestVersion": "2024-04-01",
        "byteCount": parts.iter().map(|(_, bytes, _)| bytes).sum::<u64>(),
        "blobCount": parts.len(),
        "dataRowCount": parts.iter().map(|(_, _, rows)| rows).sum::<usize>(),
        "exportConfig": {
            "exportName": "usage-actual",
            "resourceId": "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.CostManagement/exports/usage-actual",
            "dataVersion": "2021-10-01",
            "apiVersion": "2023-07-01-preview",
            "type": "ActualCost",
            "timeFrame": "MonthToDate",
            "granularity": "Daily"
        },
        "deliveryConfig": {
            "partitionData": true,
            "dataOverwriteBehavior": "CreateNewReport",
            "fileFormat": format,
            "compressionMode": compression,
            "containerUri": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-finops/providers/Microsoft.Storage/storageAccounts/stcontosoexports",
            "rootFolderPath": "usage-actual"
        },
        "runInfo": {
            "executionType": "Scheduled",
            "submittedTime": "2023-09-02T12:00:00.0000000Z",
            "runId": "0f4b1e6c-5b7e-4a8e-9d0c-2a1b3c4d5e6f",
            "startDate": "2023-09-01T00:00:00",
            "endDate": "2023-09-02T00:00:00Z"
        },
        "blobs": blobs
    });
    std::fs::write(path, serde_json::to_string_pretty(&manifest)? + "\n")?;
    Ok(())
}
