//! XLSX uploads of external evaluations (外评): the first worksheet is turned into the same
//! CSV text the importer reads, row for row, so a bad row is reported with its Excel row
//! number. Dates become hall-local `YYYY-MM-DD HH:MM`, whole numbers lose their `.0`.

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The xlsx content type browsers send.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's serial date (days since 1899-12-30, the 1900 system) as `YYYY-MM-DD[ HH:MM]`.
fn serial_date(serial: f64) -> String {
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

fn cell(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
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

/// The first worksheet as CSV text; line N is Excel row N.
pub fn to_csv(bytes: &[u8]) -> Result<String, String> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        format!("the file is not a readable .xlsx workbook ({e}); save it as .xlsx or CSV UTF-8")
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("the workbook has no worksheet")?
        .map_err(|e| format!("the first worksheet cannot be read: {e}"))?;
    let mut out = String::new();
    // Rows above the first used one are blank lines, so line numbers stay row numbers.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    for _ in 0..first_row {
        out.push('\n');
    }
    for row in range.rows() {
        if row.iter().all(|d| matches!(d, Data::Empty)) {
            out.push('\n');
            continue;
        }
        let lead = std::iter::repeat_n(String::new(), first_col as usize);
        let cells: Vec<String> = lead.chain(row.iter().map(|d| field(&cell(d)))).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(out)
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
        assert_eq!(cell(&Data::Float(5.0)), "5");
        assert!(to_csv(b"not a zip").unwrap_err().contains(".xlsx"));
    }
}
