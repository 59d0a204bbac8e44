//! XLSX uploads of external evaluations (外评): the first worksheet is turned into the same
//! CSV text the importer reads, row for row, so a bad row is reported with its Excel row
//! number. Dates become hall-local `YYYY-MM-DD HH:MM`, whole numbers lose their `.0`.
//!
//! The sheet is read cell by cell, never as a whole range: a range is allocated from the
//! extent the file declares (cells A1 and XFD1048576 alone ask for 17 billion cells), so a
//! cell outside a fixed budget of rows and columns refuses the file before anything grows.

use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;

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
}
