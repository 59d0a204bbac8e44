//! Excel workbooks, both ways.
//!
//! Reading: XLSX uploads of external evaluations (外评): the first worksheet is turned into
//! the same CSV text the importer reads, row for row, so a bad row is reported with its Excel
//! row number. Dates become hall-local `YYYY-MM-DD HH:MM`, whole numbers lose their `.0`.
//! The sheet is read cell by cell, never as a whole range: a range is allocated from the
//! extent the file declares (cells A1 and XFD1048576 alone ask for 17 billion cells), so a
//! cell outside a fixed budget of rows and columns refuses the file before anything grows.
//!
//! Writing: sheets of cells to the zip of XML parts a spreadsheet opens ([`workbook`]), used
//! by the hall file and the staff lists' exports. Inline strings (no shared-string table),
//! numbers as numbers, an optional bold and frozen header row, column widths from the text.

use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

/// The xlsx content type browsers send.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The most rows an import reads (a month of a city's outside evaluations fits many times).
pub const MAX_ROWS: u32 = 20_000;
/// The most columns (the import's columns, with room for a few of the user's own).
pub const MAX_COLS: u32 = 64;
/// The most text the converted sheet may hold.
const MAX_TEXT: usize = 16 * 1024 * 1024;

/// Excel's serial date (days since 1899-12-30, the 1900 system) as `YYYY-MM-DD[ HH:MM]`.
/// A serial outside years 1900–9999 is not a date: it is written as the number it is, and
/// the importer then says which row holds a bad date.
fn serial_date(serial: f64) -> String {
    // 1900-01-01 and 9999-12-31.
    if !(1.0..2_958_466.0).contains(&serial) {
        return serial.to_string();
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let secs = (serial * 86_400.0).round() as i64;
    let t = epoch + chrono::Duration::seconds(secs);
    if secs % 86_400 == 0 {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

pub(crate) fn cell(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()),
    }
}

/// A CSV field: quoted when needed; line breaks inside a cell become spaces so CSV lines stay
/// Excel rows.
fn field(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `A`, `B`, … `XFD`: the column's letters, for messages.
pub(crate) fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The first worksheet as CSV text; line N is Excel row N. Refuses a sheet with a value
/// beyond [`MAX_ROWS`] rows or [`MAX_COLS`] columns, or holding more than 16 MiB of text.
pub fn to_csv(bytes: &[u8]) -> Result<String, String> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        format!(
            "文件不是可读的 .xlsx 工作簿 the file is not a readable .xlsx workbook ({e}); save it as .xlsx or CSV UTF-8"
        )
    })?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or("工作簿没有工作表 the workbook has no worksheet")?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| format!("第一个工作表无法读取 the first worksheet cannot be read: {e}"))?;
    let mut rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let (mut width, mut text) = (0u32, 0usize);
    while let Some(c) = cells
        .next_cell()
        .map_err(|e| format!("第一个工作表无法读取 the first worksheet cannot be read: {e}"))?
    {
        let value = cell(c.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, col) = c.get_position();
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(format!(
                "单元格 {}{} 超出导入范围（最多 {MAX_ROWS} 行、{MAX_COLS} 列），请删除多余内容或拆分文件 cell {}{} lies outside what an import reads (at most {MAX_ROWS} rows and {MAX_COLS} columns); delete what is beyond or split the file",
                column_name(col),
                row + 1,
                column_name(col),
                row + 1,
            ));
        }
        text += value.len() + 1;
        if text > MAX_TEXT {
            return Err(
                "工作表内容过多，请拆分文件 the worksheet holds more than 16 MiB of text; split the file".into(),
            );
        }
        width = width.max(col + 1);
        rows.entry(row).or_default().insert(col, value);
    }
    let mut out = String::new();
    let mut next = 0;
    for (row, values) in &rows {
        // Blank lines for empty rows, so line numbers stay row numbers.
        for _ in next..*row {
            out.push('\n');
        }
        let line: Vec<String> = (0..width)
            .map(|c| values.get(&c).map(|v| field(v)).unwrap_or_default())
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
        next = row + 1;
    }
    Ok(out)
}

/// [`to_csv`] on the blocking pool with panics caught.
pub async fn to_csv_off_thread(bytes: axum::body::Bytes) -> Result<String, String> {
    crate::parsing::off_thread(move || to_csv(&bytes))
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}

/// One cell of a written sheet.
pub enum Cell<'a> {
    Text(&'a str),
    Number(i64),
    Bool(bool),
}

/// A worksheet to write: its tab name and rows; `header` makes the first row bold and
/// keeps it in view while scrolling.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub rows: Vec<Vec<Cell<'a>>>,
    pub header: bool,
}

fn escape(s: &str) -> String {
    s.chars()
        // XML 1.0 has no place for most control characters; a cell must not break the file.
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The width a column needs: CJK characters take two places.
fn width(rows: &[Vec<Cell<'_>>], col: usize) -> usize {
    let len = |c: &Cell<'_>| match c {
        Cell::Text(t) => t
            .lines()
            .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
            .max()
            .unwrap_or(0),
        Cell::Number(n) => n.to_string().len(),
        Cell::Bool(_) => 5,
    };
    let w = rows.iter().filter_map(|r| r.get(col)).map(len).max();
    w.unwrap_or(8).clamp(6, 60) + 2
}

fn sheet_xml(sheet: &Sheet<'_>) -> String {
    let rows = &sheet.rows;
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    if sheet.header && rows.len() > 1 {
        x.push_str(r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#);
    }
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols > 0 {
        x.push_str("<cols>");
        for c in 0..cols {
            x.push_str(&format!(
                r#"<col min="{n}" max="{n}" width="{}" customWidth="1"/>"#,
                width(rows, c),
                n = c + 1
            ));
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    for (r, row) in rows.iter().enumerate() {
        let style = if sheet.header && r == 0 {
            r#" s="1""#
        } else {
            ""
        };
        x.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c as u32), r + 1);
            match v {
                Cell::Text("") => {}
                Cell::Text(t) => x.push_str(&format!(
                    r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                )),
                Cell::Number(n) => x.push_str(&format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#)),
                Cell::Bool(b) => x.push_str(&format!(
                    r#"<c r="{at}"{style} t="b"><v>{}</v></c>"#,
                    u8::from(*b)
                )),
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// Style 0 is the default, style 1 the bold header.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#;

/// The workbook of `sheets` as the bytes of an `.xlsx` file.
pub fn workbook(sheets: &[Sheet<'_>]) -> Vec<u8> {
    // Writing to memory fails only on a bug in the zip writer: an empty file then says so.
    package(sheets).unwrap_or_default()
}

fn package(sheets: &[Sheet<'_>]) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let n = sheets.len();
    let overrides: String = (1..=n)
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    let files = [
        (
            "[Content_Types].xml".to_string(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>"#
            ),
        ),
        (
            "_rels/.rels".to_string(),
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml".to_string(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{}</sheets></workbook>"#,
                sheets
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!(
                        r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#,
                        escape(s.name),
                        i + 1,
                        i + 1
                    ))
                    .collect::<String>()
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
                (1..=n)
                    .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
                    .collect::<String>(),
                n + 1
            ),
        ),
        ("xl/styles.xml".to_string(), STYLES.to_string()),
    ];
    for (name, body) in files.iter() {
        z.start_file(name.as_str(), opts)?;
        z.write_all(body.as_bytes())?;
    }
    for (i, s) in sheets.iter().enumerate() {
        z.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), opts)?;
        z.write_all(sheet_xml(s).as_bytes())?;
    }
    Ok(z.finish()?.into_inner())
}

/// `Content-Disposition` for a download whose name may be Chinese: an ASCII fallback for
/// old clients and the UTF-8 name by RFC 5987 (`filename*=UTF-8''…`).
pub fn attachment(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_and_fields() {
        assert_eq!(serial_date(45981.0), "2025-11-20");
        assert_eq!(serial_date(45981.5), "2025-11-20 12:00");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\"\nthere"), "\"say \"\"hi\"\" there\"");
        assert_eq!(cell(&DataRef::Float(5.0)), "5");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
        assert!(to_csv(b"not a zip").unwrap_err().contains(".xlsx"));
    }

    #[test]
    fn dates_far_outside_the_calendar_do_not_panic() {
        assert_eq!(serial_date(1e300), 1e300f64.to_string());
        assert_eq!(serial_date(-5.0), "-5");
        assert_eq!(serial_date(f64::NAN), "NaN");
        assert_eq!(serial_date(2_958_465.0), "9999-12-31");
    }

    #[test]
    fn a_written_workbook_reads_back_with_numbers_as_numbers() {
        let rows = vec![
            vec![Cell::Text("名称 Name"), Cell::Text("数 N")],
            vec![Cell::Text("a <&> \"b\"\u{1}"), Cell::Number(42)],
        ];
        let bytes = workbook(&[Sheet {
            name: "表 Sheet",
            rows,
            header: true,
        }]);
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("表 Sheet").unwrap();
        assert_eq!(range.get((1, 0)).unwrap().to_string(), "a <&> \"b\"");
        assert_eq!(range.get((1, 1)), Some(&calamine::Data::Float(42.0)));
    }

    #[test]
    fn a_chinese_file_name_is_encoded_for_the_header() {
        assert_eq!(
            attachment("服务补救 DL-XH 2026-12-06.xlsx"),
            "attachment; filename=\"_____DL-XH_2026-12-06.xlsx\"; filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E8%A1%A5%E6%95%91%20DL-XH%202026-12-06.xlsx"
        );
    }
}
