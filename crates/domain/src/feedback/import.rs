//! 外评: rows of an outside survey or of 95598 call-backs, read from CSV with documented
//! columns (see `docs/feedback.md`). A file without the required columns is refused whole;
//! a bad row is reported with its line and reason and skipped; the rest are kept. Halls,
//! business types and tickets are looked up by the store, which adds its own row errors.

use super::csv::{self, Record};
use crate::insight::touchpoint::TOUCHPOINTS;
use crate::queue::rating::{BAD_REASONS, RatingLevel};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;

/// Where an external evaluation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalSource {
    /// 第三方满意度调查.
    Survey,
    /// 95598 回访.
    Callback95598,
}

impl ExternalSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Survey => "survey",
            Self::Callback95598 => "callback_95598",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Survey => "第三方满意度调查",
            Self::Callback95598 => "95598回访",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "survey" => Ok(Self::Survey),
            "callback_95598" => Ok(Self::Callback95598),
            other => Err(format!(
                "没有这种数据来源，应为第三方满意度调查或 95598 回访 unknown source {other:?}; expected survey (第三方满意度调查) or callback_95598 (95598回访)"
            )),
        }
    }
}

/// The columns: (name, 中文 alias, required).
pub const COLUMNS: [(&str, &str, bool); 10] = [
    ("source_row_id", "来源编号", true),
    ("hall_code", "营业厅编码", true),
    ("date", "评价时间", true),
    ("level", "评价等级", true),
    ("business_type", "业务类型", false),
    ("touchpoint", "触点", false),
    ("reasons", "不满意原因", false),
    ("comment", "客户意见", false),
    ("customer_phone", "联系电话", false),
    ("ticket_number", "票号", false),
];

/// A good row, ready for the store to attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRow {
    pub line: usize,
    pub source_row_id: String,
    pub hall_code: String,
    /// Hall-local time of the evaluation.
    pub local: NaiveDateTime,
    pub level: RatingLevel,
    pub business_type: Option<String>,
    pub touchpoint: Option<String>,
    pub reasons: Vec<String>,
    pub comment: String,
    pub customer_phone: String,
    pub ticket_number: Option<String>,
}

/// A skipped row: its line, its id if it had one, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    pub line: usize,
    pub source_row_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    #[error("文件是空的，第一行须为列名 the file is empty; the first row must name the columns")]
    Empty,
    #[error(transparent)]
    Csv(#[from] csv::CsvError),
    #[error(
        "缺少必需的列，第一行至少须有来源编号、营业厅编码、评价时间和评价等级 missing column(s): {0}; the first row must name at least source_row_id, hall_code, date and level (or 来源编号, 营业厅编码, 评价时间, 评价等级)"
    )]
    MissingColumns(String),
    #[error("表头中“{0}”列出现了两次 column {0} appears twice in the header")]
    DuplicateColumn(String),
    #[error(
        "文件共 {0} 行，每次最多导入 20000 行 the file has {0} rows; import at most 20000 rows at a time"
    )]
    TooManyRows(usize),
}

pub const MAX_ROWS: usize = 20_000;

/// Parses a whole file: good rows and reported bad rows, or a shape error (nothing taken).
pub fn parse(text: &str) -> Result<(Vec<ExternalRow>, Vec<RowError>), ShapeError> {
    let records = csv::parse(text)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(ShapeError::Empty);
    };
    if rows.len() > MAX_ROWS {
        return Err(ShapeError::TooManyRows(rows.len()));
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        if let Some((name, _, _)) = COLUMNS.iter().find(|(n, zh, _)| *n == h || *zh == h)
            && index.insert(name, i).is_some()
        {
            return Err(ShapeError::DuplicateColumn((*name).into()));
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|(n, _, req)| *req && !index.contains_key(n))
        .map(|(n, _, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(ShapeError::MissingColumns(missing.join(", ")));
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for rec in rows {
        match parse_row(rec, &index) {
            Ok(row) => {
                if let Some(first) = first_line.get(&row.source_row_id) {
                    bad.push(RowError {
                        line: row.line,
                        source_row_id: row.source_row_id.clone(),
                        reason: format!(
                            "来源编号在本文件中重复（首次出现在第 {first} 行） source_row_id {} appears twice in this file (first on line {first})",
                            row.source_row_id
                        ),
                    });
                } else {
                    first_line.insert(row.source_row_id.clone(), row.line);
                    good.push(row);
                }
            }
            Err(e) => bad.push(e),
        }
    }
    Ok((good, bad))
}

fn parse_row(rec: &Record, index: &HashMap<&str, usize>) -> Result<ExternalRow, RowError> {
    let (line, cells) = rec;
    let get = |name: &str| -> String {
        index
            .get(name)
            .and_then(|&i| cells.get(i))
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let id = get("source_row_id");
    let err = |reason: String| RowError {
        line: *line,
        source_row_id: id.clone(),
        reason,
    };
    if id.is_empty() || id.chars().count() > 64 {
        return Err(err(
            "来源编号必填（1–64 个字符） source_row_id is required (1–64 characters)".into(),
        ));
    }
    let hall_code = get("hall_code");
    if hall_code.is_empty() {
        return Err(err("营业厅编码必填 hall_code is required".into()));
    }
    let local = parse_date(&get("date")).map_err(err)?;
    let level = parse_level(&get("level")).map_err(err)?;
    let touchpoint = match get("touchpoint") {
        t if t.is_empty() => None,
        t => Some(
            TOUCHPOINTS
                .iter()
                .find(|tp| tp.id == t || tp.zh == t)
                .map(|tp| tp.id.to_string())
                .ok_or_else(|| err(format!("没有这个服务环节，请填写环节编号（如 waiting、counter）或中文名称 unknown touchpoint {t:?}; use an id such as waiting or counter, or its Chinese name")))?,
        ),
    };
    let reasons = parse_reasons(&get("reasons")).map_err(err)?;
    let comment = get("comment");
    if comment.chars().count() > 1000 {
        return Err(err(
            "留言最多 1000 字 comment is limited to 1000 characters".into(),
        ));
    }
    let phone = get("customer_phone");
    if !phone.is_empty() && phone.chars().filter(char::is_ascii_digit).count() < 7 {
        return Err(err(format!(
            "客户电话至少须有 7 位数字，也可不填 customer_phone {phone:?} needs at least 7 digits, or leave it empty"
        )));
    }
    let bt = get("business_type");
    let ticket = get("ticket_number");
    Ok(ExternalRow {
        line: *line,
        source_row_id: id.clone(),
        hall_code,
        local,
        level,
        business_type: (!bt.is_empty()).then_some(bt),
        touchpoint,
        reasons,
        comment,
        customer_phone: phone,
        ticket_number: (!ticket.is_empty()).then_some(ticket),
    })
}

/// `2026-11-20`, `2026-11-20 14:30`, `2026-11-20 14:30:05`, `/` or `-` separators.
fn parse_date(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.replace('/', "-");
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&s, f) {
            return Ok(t);
        }
    }
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(12, 0, 0).unwrap_or_default())
        .map_err(|_| format!("评价时间格式有误，请按 2026-11-20 或 2026-11-20 14:30 填写 date {s:?} is not a date; write 2026-11-20 or 2026-11-20 14:30"))
}

/// 1–5 or the level's Chinese label.
fn parse_level(s: &str) -> Result<RatingLevel, String> {
    let labels = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"];
    if let Some(i) = labels.iter().position(|l| *l == s) {
        return RatingLevel::new(i as i64 + 1).map_err(|e| e.to_string());
    }
    let n: i64 = s.parse().map_err(|_| {
        format!("评价等级须为 1–5 或 非常满意/满意/基本满意/不满意/非常不满意 level {s:?} must be 1–5 or 非常满意/满意/基本满意/不满意/非常不满意")
    })?;
    RatingLevel::new(n).map_err(|e| e.to_string())
}

/// Codes or Chinese labels of the listed reasons, separated by `;`, `；`, `|` or `、`.
fn parse_reasons(s: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in s
        .split([';', '；', '|', '、'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let code = BAD_REASONS
            .iter()
            .find(|(c, zh, _)| *c == part || *zh == part)
            .map(|(c, _, _)| c.to_string())
            .ok_or_else(|| {
                format!(
                    "没有这个原因，请从所列原因中选择 unknown reason {part:?}; use {}",
                    BAD_REASONS
                        .iter()
                        .map(|(c, zh, _)| format!("{c} ({zh})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment\n";

    #[test]
    fn good_rows_kept_bad_rows_reported_with_line() {
        let text = format!(
            "{HEAD}S1,DL-XG,2026-11-20 10:00,5,payment,counter,,\n\
             S2,DL-XG,2026-11-20,不满意,payment,等候,等候时间长;slow,太慢\n\
             S3,DL-XG,2026-13-40,4,,,,\n\
             S4,DL-XG,2026-11-20,7,,,,\n\
             S5,DL-XG,2026-11-20,3,,parking,,\n\
             S1,DL-XG,2026-11-21,4,,,,\n\
             ,DL-XG,2026-11-21,4,,,,\n"
        );
        let (good, bad) = parse(&text).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[1].level.value(), 2);
        assert_eq!(good[1].touchpoint.as_deref(), Some("waiting"));
        assert_eq!(good[1].reasons, vec!["long_wait", "slow"]);
        let lines: Vec<usize> = bad.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8]);
        assert!(
            bad.iter()
                .any(|e| e.line == 7 && e.reason.contains("twice"))
        );
        assert!(
            bad.iter()
                .any(|e| e.line == 5 && e.reason.contains("1 (非常不满意) to 5"))
        );
    }

    #[test]
    fn wrong_shape_is_refused_whole() {
        assert_eq!(parse(""), Err(ShapeError::Empty));
        let e = parse("id,hall,when\n1,DL-XG,2026-11-20\n").unwrap_err();
        assert!(
            matches!(e, ShapeError::MissingColumns(ref m) if m.contains("source_row_id") && m.contains("level"))
        );
        let zh = "来源编号,营业厅编码,评价时间,评价等级\nX1,DL-XG,2026-11-20,满意\n";
        assert_eq!(parse(zh).unwrap().0.len(), 1);
    }
}
