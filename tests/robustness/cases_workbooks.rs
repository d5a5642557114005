//! Hostile workbooks for every workbook reader (usage and resource xlsx, RVTools, Azure Migrate, the planner table,
//! the price list, the workloads side files): sparse and lying dimensions, zip bombs, lying and truncated archives,
//! archives that are not workbooks, huge and deeply nested cells, and dates in both of Excel's date systems.
//! Each workbook is written here as a raw zip, so the sheet XML, `<dimension ref>` and the archive's declared
//! sizes are exactly what the case says.

use std::io::Write;

use crate::harness::Case;

/// One part of a zip archive, and what its headers declare.
struct Part {
    name: String,
    data: Vec<u8>,
    deflate: bool,
    /// The uncompressed size the headers declare; the real one when `None`.
    declared: Option<u32>,
}

impl Part {
    fn new(name: &str, data: impl Into<Vec<u8>>) -> Part {
        Part { name: name.to_string(), data: data.into(), deflate: true, declared: None }
    }

    fn stored(mut self) -> Part {
        self.deflate = false;
        self
    }

    fn declaring(mut self, size: u32) -> Part {
        self.declared = Some(size);
        self
    }
}

/// A zip archive of `parts`, written field by field (PKWARE APPNOTE 4.3: local headers, central directory, end).
fn zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for part in parts {
        let mut crc = flate2::Crc::new();
        crc.update(&part.data);
        let body = if part.deflate {
            let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(&part.data).unwrap();
            encoder.finish().unwrap()
        } else {
            part.data.clone()
        };
        let size = part.declared.unwrap_or(part.data.len() as u32);
        let method: u16 = if part.deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        let fields = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // version made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            h.extend(crc.sum().to_le_bytes());
            h.extend((body.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((part.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(part.name.as_bytes());
            h
        };
        out.extend(fields(0x0403_4b50, false));
        out.extend(&body);
        central.extend(fields(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of an xlsx workbook around its sheets: `sheets` are (name, sheet XML); style 1 is a date format.
fn workbook_parts(sheets: &[(&str, String)], date1904: bool) -> Vec<Part> {
    let mut names = String::new();
    let mut rels = String::new();
    let mut parts = Vec::new();
    for (index, (name, xml)) in sheets.iter().enumerate() {
        let n = index + 1;
        names.push_str(&format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        parts.push(Part::new(&format!("xl/worksheets/sheet{n}.xml"), xml.clone()));
    }
    rels.push_str(&format!(r#"<Relationship Id="rIdS" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>"#));
    let pr = if date1904 { r#"<workbookPr date1904="1"/>"# } else { "" };
    let mut all = vec![
        Part::new(
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        Part::new(
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">{pr}<sheets>{names}</sheets></workbook>"#
            ),
        ),
        Part::new(
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
            ),
        ),
        Part::new(
            "xl/styles.xml",
            format!(
                r#"<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
            ),
        ),
    ];
    all.extend(parts);
    all
}

/// A cell value: text, a number, or a number formatted as a date.
enum V<'a> {
    T(&'a str),
    N(f64),
    D(f64),
}

fn column(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

/// Rows from 1 as sheet XML (inline strings).
fn rows(table: &[Vec<V>]) -> String {
    let mut out = String::new();
    for (r, row) in table.iter().enumerate() {
        let n = r + 1;
        out.push_str(&format!(r#"<row r="{n}">"#));
        for (c, value) in row.iter().enumerate() {
            let at = format!("{}{n}", column(c));
            out.push_str(&match value {
                V::T(text) => format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#),
                V::N(number) => format!(r#"<c r="{at}"><v>{number}</v></c>"#),
                V::D(serial) => format!(r#"<c r="{at}" s="1"><v>{serial}</v></c>"#),
            });
        }
        out.push_str("</row>");
    }
    out
}

fn sheet(dimension: Option<&str>, data: &str) -> String {
    let dimension = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    format!(r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}">{dimension}<sheetData>{data}</sheetData></worksheet>"#)
}

fn book(name: &str, xml: String) -> Vec<u8> {
    zip(&workbook_parts(&[(name, xml)], false))
}

const USAGE_HEADER: [&str; 13] = [
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
    "BillingCurrency",
    "ResourceId",
];

fn usage_row(date: V<'static>, quantity: V<'static>) -> Vec<V<'static>> {
    vec![
        V::T("11111111-2222-3333-4444-555555555555"),
        V::T("Test"),
        date,
        V::T("m-1"),
        V::T("Virtual Machines"),
        V::T("Dv3 Series"),
        V::T("West Europe"),
        V::T("D2 v3"),
        quantity,
        V::N(0.1),
        V::N(2.4),
        V::T("EUR"),
        V::T(
            "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm-a",
        ),
    ]
}

fn usage_rows(extra: &[Vec<V<'static>>]) -> String {
    let mut table = vec![USAGE_HEADER.iter().map(|h| V::T(h)).collect::<Vec<_>>()];
    table.extend(extra.iter().map(|row| row.iter().map(copy).collect()));
    rows(&table)
}

fn copy<'a>(value: &V<'a>) -> V<'a> {
    match value {
        V::T(text) => V::T(text),
        V::N(number) => V::N(*number),
        V::D(serial) => V::D(*serial),
    }
}

/// A usage workbook of two rows, 2023-09-01 and 2023-09-10, as date cells.
fn usage_sheet() -> String {
    sheet(None, &usage_rows(&[usage_row(V::D(45170.0), V::N(24.0)), usage_row(V::D(45179.0), V::N(24.0))]))
}

/// The sheet that two cells far apart make: A1 and XFD1048576.
const FAR_CELL: &str = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;

/// Pseudo-random letters: text that does not compress, so a size limit is reached before a ratio one.
fn incompressible(bytes: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (b'a' + (state % 26) as u8) as char
        })
        .collect()
}

/// Reads the JSON written to `out.json` in the case's folder.
fn json(dir: &std::path::Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(dir.join("out.json")).map_err(|e| format!("out.json: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("out.json: {e}"))
}

fn cost(file: &str) -> Vec<&str> {
    vec!["cost", file, "--format", "json"]
}

const SERVER_HEADER: [&str; 4] = ["*Server name", "*Cores", "*Memory (In MB)", "*OS name"];

fn servers_sheet(extra: &str) -> String {
    let table = vec![
        SERVER_HEADER.iter().map(|h| V::T(h)).collect::<Vec<_>>(),
        vec![V::T("web01"), V::N(2.0), V::N(8192.0), V::T("Windows Server 2019 Datacenter")],
    ];
    sheet(None, &format!("{}{extra}", rows(&table)))
}

fn vinfo_sheet(extra: &str, dimension: Option<&str>) -> String {
    let table = vec![
        ["VM", "Powerstate", "CPUs", "Memory", "NICs", "Disks", "Provisioned MB", "In Use MB", "OS", "Creation date"]
            .iter()
            .map(|h| V::T(h))
            .collect::<Vec<_>>(),
        vec![
            V::T("APP-01"),
            V::T("poweredOn"),
            V::N(2.0),
            V::N(4096.0),
            V::N(1.0),
            V::N(1.0),
            V::N(40960.0),
            V::N(20480.0),
            V::T("Microsoft Windows Server 2012 R2 (64-bit)"),
            V::D(45170.0),
        ],
    ];
    sheet(dimension, &format!("{}{extra}", rows(&table)))
}

fn planner_sheet(dimension: Option<&str>, extra: &str) -> String {
    let header = [
        "Server Name/Hostname",
        "Processor Cores",
        "Memory allocation (in MBs)",
        "Number of NICs",
        "Total Storage (in GBs)",
        "Number of disks attached",
        "Disk capacity utilization (%)",
    ];
    let table = vec![
        header.iter().map(|h| V::T(h)).collect::<Vec<_>>(),
        vec![V::T("BELSYSGLAB02"), V::N(2.0), V::N(16384.0), V::N(1.0), V::N(500.0), V::N(1.0), V::N(50.0)],
    ];
    sheet(dimension, &format!("{}{extra}", rows(&table)))
}

const PRICE_HEADER: [&str; 6] = ["Meter Category", "Meter Subcategory", "Region", "Name", "Resource ID", "EUR"];

fn price_sheet(extra: &str) -> String {
    let table = vec![
        PRICE_HEADER.iter().map(|h| V::T(h)).collect::<Vec<_>>(),
        vec![V::T("Virtual Machines"), V::T("Dv3 Series"), V::T("EU West"), V::T("D2 v3"), V::T("m-1"), V::N(0.09)],
    ];
    sheet(None, &format!("{}{extra}", rows(&table)))
}

const USAGE_CSV: &str = "SubscriptionId,SubscriptionName,Date,MeterId,MeterCategory,MeterSubCategory,MeterRegion,MeterName,Quantity,EffectivePrice,Cost,BillingCurrency,ResourceId\n11111111-2222-3333-4444-555555555555,Test,09/01/2023,m-1,Virtual Machines,Dv3 Series,West Europe,D2 v3,24,0.1,2.4,EUR,/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm-a\n";

const SERVERS_CSV: &str = "*Server name,*Cores,*Memory (In MB),*OS name\nweb01,2,8192,Windows Server 2019 Datacenter\n";

pub fn cases() -> Vec<Case> {
    let mut cases = usage_cases();
    cases.extend(archive_cases());
    cases.extend(server_cases());
    cases.extend(other_reader_cases());
    cases
}

/// Usage and resource workbooks: dimensions, cells, dates.
fn usage_cases() -> Vec<Case> {
    let sparse = sheet(
        Some("A1:XFD1048576"),
        &format!(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>{FAR_CELL}"#),
    );
    vec![
        Case::new("usage xlsx", "a sparse sheet: cells only at A1 and XFD1048576 (17 billion declared)")
            .file("u.xlsx", book("Usage", sparse))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("sheet \"Usage\""),
        Case::new("usage xlsx", "a usage sheet with one more cell at XFD1048576 reads its two rows")
            .file(
                "u.xlsx",
                book(
                    "Usage",
                    sheet(
                        Some("A1:XFD1048576"),
                        &format!("{}{FAR_CELL}", usage_rows(&[usage_row(V::D(45170.0), V::N(24.0))])),
                    ),
                ),
            )
            .args(&["cost", "u.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json")
            .check(|dir| {
                let out = json(dir)?;
                let rows = &out["inputs"][0]["rows"];
                (rows == 1).then_some(()).ok_or(format!("expected 1 usage row, read {rows}"))
            }),
        Case::new("resource xlsx", "a lying <dimension ref=\"A1:XFD1048576\"> over three cells")
            .file(
                "r.xlsx",
                book(
                    "Resources",
                    sheet(
                        Some("A1:XFD1048576"),
                        &rows(&[
                            vec![V::T("NAME"), V::T("TYPE"), V::T("RESOURCE GROUP")],
                            vec![V::T("vm-a"), V::T("Virtual machine"), V::T("rg-a")],
                        ]),
                    ),
                ),
            )
            .args(&["inventory", "r.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json"),
        Case::new("usage xlsx", "a 1904-date workbook: serials 60 and 69 are 1904-03-01 and 1904-03-10, 10 days")
            .file(
                "u.xlsx",
                zip(&workbook_parts(
                    &[(
                        "Usage",
                        sheet(
                            None,
                            &usage_rows(&[usage_row(V::D(60.0), V::N(24.0)), usage_row(V::N(69.0), V::N(24.0))]),
                        ),
                    )],
                    true,
                )),
            )
            .args(&["cost", "u.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json")
            .check(|dir| {
                let out = json(dir)?;
                let days = &out["period_days"];
                let warnings = out["inputs"][0]["warnings"].to_string();
                (days == 10 && !warnings.contains("date"))
                    .then_some(())
                    .ok_or(format!("period {days}, warnings {warnings}"))
            }),
        Case::new(
            "usage xlsx",
            "dates as date cells and as serials in the Date column; a date-formatted quantity stays 24",
        )
        .file(
            "u.xlsx",
            book(
                "Usage",
                sheet(None, &usage_rows(&[usage_row(V::D(45170.0), V::D(24.0)), usage_row(V::N(45179.0), V::N(24.0))])),
            ),
        )
        .args(&["cost", "u.xlsx", "--format", "json", "-o", "out.json"])
        .code(0)
        .output("out.json")
        .check(|dir| {
            let out = json(dir)?;
            let days = &out["period_days"];
            let quantity = &out["rows"][0]["consumed_quantity"];
            (days == 10 && quantity.as_str() == Some("48"))
                .then_some(())
                .ok_or(format!("period {days}, quantity {quantity}"))
        }),
        Case::new("usage xlsx", "a 17 MiB cell of text (over the 16 MiB limit)")
            .file(
                "u.xlsx",
                zip(&workbook_parts(&[("Usage", String::new())], false)
                    .into_iter()
                    .map(|part| {
                        if part.name.ends_with("sheet1.xml") {
                            Part::new(
                                &part.name,
                                sheet(
                                    None,
                                    &format!(
                                        r#"{}<row r="2"><c r="N2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
                                        usage_rows(&[]),
                                        incompressible(17 << 20)
                                    ),
                                ),
                            )
                            .stored()
                        } else {
                            part
                        }
                    })
                    .collect::<Vec<_>>()),
            )
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("sheet \"Usage\", cell N2"),
        Case::new("usage xlsx", "a cell beyond column XFD")
            .file(
                "u.xlsx",
                book("Usage", sheet(None, &format!(r#"{}<row r="2"><c r="XFE2"><v>1</v></c></row>"#, usage_rows(&[])))),
            )
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("sheet \"Usage\", row 2"),
        Case::new("usage xlsx", "a cell nested 100,000 elements deep")
            .file(
                "u.xlsx",
                book(
                    "Usage",
                    sheet(
                        None,
                        &format!(
                            r#"{}<row r="2"><c r="A2" t="inlineStr"><is>{}x{}</is></c></row>"#,
                            usage_rows(&[]),
                            "<r>".repeat(100_000),
                            "</r>".repeat(100_000)
                        ),
                    ),
                ),
            )
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("header only"),
        Case::new("usage xlsx", "shared-string cells without a sharedStrings part")
            .file(
                "u.xlsx",
                book(
                    "Usage",
                    sheet(
                        None,
                        &format!(
                            r#"{}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="M2" t="s"><v>7</v></c></row>"#,
                            usage_rows(&[])
                        ),
                    ),
                ),
            )
            .args(&cost("u.xlsx"))
            .names("u.xlsx"),
        Case::new("usage xlsx", "a workbook with no sheets")
            .file("u.xlsx", zip(&workbook_parts(&[], false)))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("the workbook is empty"),
        Case::new("usage xlsx", "an .xlsx that is really a CSV file")
            .file("u.xlsx", USAGE_CSV)
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("not a workbook"),
        Case::new("usage xlsx", "a FIFO named like a workbook")
            .setup(|dir| mkfifo(&dir.join("u.xlsx")))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("not a regular file"),
    ]
}

/// Archives: bombs, lying sizes, truncation, archives that are not workbooks.
fn archive_cases() -> Vec<Case> {
    let bomb_sheet = || {
        let mut xml = sheet(None, &usage_rows(&[]));
        xml.insert_str(
            xml.len() - "</sheetData></worksheet>".len(),
            &format!("<row r=\"2\"><c r=\"A2\"><v>{}</v></c></row>", "0".repeat(24 << 20)),
        );
        xml
    };
    let with_sheet = |xml: String, extra: Vec<Part>| {
        let mut parts = workbook_parts(&[("Usage", xml)], false);
        parts.extend(extra);
        zip(&parts)
    };
    let replace_sheet = |transform: fn(Part) -> Part| {
        zip(&workbook_parts(&[("Usage", usage_sheet())], false)
            .into_iter()
            .map(|part| if part.name == "xl/worksheets/sheet1.xml" { transform(part) } else { part })
            .collect::<Vec<_>>())
    };
    let mut truncated = book("Usage", usage_sheet());
    truncated.truncate(truncated.len() / 2);
    let shared_bomb = format!(
        r#"<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1">{}</sst>"#,
        "<si><t>a</t></si>".repeat(2 << 20)
    );
    vec![
        Case::new("usage xlsx", "a zip bomb: 24 MiB of sheet XML in some 25 KB")
            .file("u.xlsx", with_sheet(bomb_sheet(), vec![]))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("part xl/worksheets/sheet1.xml")
            .names("zip bomb"),
        Case::new("usage xlsx", "a shared-strings bomb: 34 MiB of strings in some 40 KB")
            .file("u.xlsx", with_sheet(usage_sheet(), vec![Part::new("xl/sharedStrings.xml", shared_bomb)]))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("part xl/sharedStrings.xml"),
        Case::new("usage xlsx", "a shared-strings part declaring 10^15 strings in 100 bytes")
            .file("u.xlsx", with_sheet(usage_sheet(), vec![Part::new("xl/sharedStrings.xml", format!(r#"<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1000000000000000"><si><t>a</t></si></sst>"#))]))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("part xl/sharedStrings.xml")
            .names("1000000000000000 shared strings"),
        Case::new("usage xlsx", "a sheet whose header declares 2 GiB uncompressed")
            .file("u.xlsx", replace_sheet(|part| part.declaring(2 << 30)))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("part xl/worksheets/sheet1.xml"),
        Case::new("usage xlsx", "a sheet whose header declares 100 bytes for some 3 KB of XML")
            .file("u.xlsx", replace_sheet(|part| part.declaring(100)))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("part xl/worksheets/sheet1.xml")
            .names("declared uncompressed size"),
        Case::new("usage xlsx", "a zip archive cut in half")
            .file("u.xlsx", truncated)
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("not a readable workbook"),
        Case::new("usage xlsx", "a zip archive that is not a workbook")
            .file("u.xlsx", zip(&[Part::new("readme.txt", "hello")]))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("not a readable workbook"),
        Case::new("usage xlsx", "a sheet part that is not deflate data")
            .file("u.xlsx", replace_sheet(|part| Part { data: b"not deflate at all".repeat(50), deflate: false, declared: None, ..part }))
            .args(&cost("u.xlsx"))
            .names("u.xlsx")
            .names("sheet \"Usage\""),
    ]
}

/// RVTools, Azure Migrate and the planner table.
fn server_cases() -> Vec<Case> {
    let wide_rows: String = (3..=400).map(|r| format!(r#"<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>"#)).collect();
    vec![
        Case::new("RVTools", "a vInfo sheet with a lying dimension and a cell at XFD1048576")
            .file("rv.xlsx", book("vInfo", vinfo_sheet(FAR_CELL, Some("A1:XFD1048576"))))
            .args(&["workloads", "rv.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json"),
        Case::new("RVTools", "a vInfo sheet of 6.5 million cells, counting the gaps (over the 5,000,000 limit)")
            .file("rv.xlsx", book("vInfo", vinfo_sheet(&wide_rows, None)))
            .args(&["workloads", "rv.xlsx"])
            .names("rv.xlsx")
            .names("sheet \"vInfo\", cell XFD"),
        Case::new("RVTools", "a zip bomb in the vInfo sheet")
            .file("rv.xlsx", {
                let mut xml = vinfo_sheet("", None);
                xml.insert_str(
                    xml.len() - "</sheetData></worksheet>".len(),
                    &format!("<row r=\"3\"><c r=\"A3\"><v>{}</v></c></row>", "0".repeat(24 << 20)),
                );
                book("vInfo", xml)
            })
            .args(&["workloads", "rv.xlsx"])
            .names("rv.xlsx")
            .names("part xl/worksheets/sheet1.xml"),
        Case::new("Azure Migrate", "an import workbook cut in half")
            .file("am.xlsx", {
                let mut bytes = book("Servers", servers_sheet(""));
                bytes.truncate(bytes.len() * 2 / 3);
                bytes
            })
            .args(&["workloads", "am.xlsx"])
            .names("am.xlsx")
            .names("not a readable workbook"),
        Case::new("Azure Migrate", "an import workbook with a cell at XFD1048576 reads its server")
            .file("am.xlsx", book("Servers", servers_sheet(FAR_CELL)))
            .args(&["workloads", "am.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json"),
        Case::new("planner table", "a planner workbook declaring A1:XFD1048576")
            .file("p.xlsx", book("Workload Qualification", planner_sheet(Some("A1:XFD1048576"), FAR_CELL)))
            .args(&["capacity", "detailed", "p.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json"),
        Case::new("planner table", "a planner workbook that is really CSV")
            .file("p.xlsx", "Server Name/Hostname,Processor Cores\nBELSYSGLAB02,2\n")
            .args(&["capacity", "detailed", "p.xlsx"])
            .names("p.xlsx")
            .names("not a workbook"),
    ]
}

/// The price list and the workloads side files.
fn other_reader_cases() -> Vec<Case> {
    vec![
        Case::new("price list", "a price list workbook with a cell at XFD1048576 prices the usage")
            .file("u.csv", USAGE_CSV)
            .file("prices.xlsx", book("Prices", price_sheet(FAR_CELL)))
            .args(&["cost", "u.csv", "--price-list", "prices.xlsx", "--format", "json", "-o", "out.json"])
            .code(0)
            .output("out.json"),
        Case::new("price list", "a shared-strings bomb in the price list workbook")
            .file("u.csv", USAGE_CSV)
            .file("prices.xlsx", {
                let mut parts = workbook_parts(&[("Prices", price_sheet(""))], false);
                parts.push(Part::new(
                    "xl/sharedStrings.xml",
                    format!(r#"<sst xmlns="{MAIN}">{}</sst>"#, "<si><t>a</t></si>".repeat(2 << 20)),
                ));
                zip(&parts)
            })
            .args(&["cost", "u.csv", "--price-list", "prices.xlsx"])
            .names("prices.xlsx")
            .names("part xl/sharedStrings.xml"),
        Case::new("price list", "a price list workbook with a lying part size")
            .file("u.csv", USAGE_CSV)
            .file(
                "prices.xlsx",
                zip(&workbook_parts(&[("Prices", price_sheet(""))], false)
                    .into_iter()
                    .map(|p| if p.name.ends_with("sheet1.xml") { p.declaring(50) } else { p })
                    .collect::<Vec<_>>()),
            )
            .args(&["cost", "u.csv", "--price-list", "prices.xlsx"])
            .names("prices.xlsx")
            .names("part xl/worksheets/sheet1.xml"),
        Case::new(
            "workloads side files",
            "an applications workbook with a sparse sheet: the far row is read, and named",
        )
        .file("servers.csv", SERVERS_CSV)
        .file(
            "apps.xlsx",
            book(
                "Apps",
                sheet(
                    Some("A1:XFD1048576"),
                    &format!(
                        "{}{FAR_CELL}",
                        rows(&[vec![V::T("Server"), V::T("Application")], vec![V::T("web01"), V::T("Contoso Web")]])
                    ),
                ),
            ),
        )
        .args(&["workloads", "servers.csv", "--applications", "apps.xlsx"])
        .names("apps.xlsx")
        .names("sheet \"Apps\", cell A1048576"),
        Case::new("workloads side files", "an overrides workbook that is a zip bomb")
            .file("servers.csv", SERVERS_CSV)
            .file("overrides.xlsx", {
                let mut xml =
                    sheet(None, &rows(&[vec![V::T("Server"), V::T("Color"), V::T("Reason"), V::T("Author")]]));
                xml.insert_str(
                    xml.len() - "</sheetData></worksheet>".len(),
                    &format!("<row r=\"2\"><c r=\"A2\"><v>{}</v></c></row>", "0".repeat(24 << 20)),
                );
                book("Overrides", xml)
            })
            .args(&["workloads", "servers.csv", "--overrides", "overrides.xlsx"])
            .names("overrides.xlsx")
            .names("part xl/worksheets/sheet1.xml"),
        Case::new("workloads side files", "a dependencies workbook that is not a zip archive")
            .file("servers.csv", SERVERS_CSV)
            .file("deps.xlsx", "Source server name,Destination server name\nweb01,db01\n")
            .args(&["workloads", "servers.csv", "--dependencies", "deps.xlsx"])
            .names("deps.xlsx")
            .names("not a workbook"),
    ]
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}
