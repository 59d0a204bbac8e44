//! A hall file as an Excel workbook (营业厅文件 · 工作簿): the same content as the YAML hall
//! file (`servicehall_domain::halls::file`) on four sheets — 营业厅 Hall (field | value),
//! 业务类型 Business types, 窗口 Counters, 人员 Staff (one row each, under a header row whose
//! cells start with the field's key). Read cell by cell within fixed bounds (as `xlsx.rs`
//! does); every problem is named by sheet, row and column. Written by hand as a minimal
//! OOXML package (stored, not compressed) for the template and the export.

use crate::xlsx::{self, Cell, Sheet, cell, column_name};
use calamine::{Reader, Xlsx};
use servicehall_domain::halls::file::{
    self, BusinessTypeEntry, Calling, CounterEntry, HallFile, HallFileError, Hours, StaffEntry,
};
use std::collections::BTreeMap;
use std::io::Cursor;

/// The most rows a sheet of a hall file may use.
const MAX_ROWS: u32 = 2_000;
/// The most columns.
const MAX_COLS: u32 = 32;

/// (sheet name, columns) of the row sheets; the first token of a header cell is its key.
const TYPES: (&str, &[&str]) = (
    "业务类型 Business types",
    &[
        "code 编码",
        "name_zh 中文名",
        "name_en 英文名",
        "prefix 号头",
        "target_wait_s 目标等候秒",
        "target_handling_s 目标办理秒",
        "is_payment 缴费类",
        "active 启用",
    ],
);
const COUNTERS: (&str, &[&str]) = (
    "窗口 Counters",
    &["number 窗口号", "primary 主办", "secondary 兼办"],
);
const STAFF: (&str, &[&str]) = (
    "人员 Staff",
    &[
        "username 用户名",
        "name 姓名",
        "badge_no 工号",
        "role 角色",
        "active 启用",
    ],
);
const HALL_SHEET: &str = "营业厅 Hall";
/// The Hall sheet's rows: key and its label.
const HALL_FIELDS: &[(&str, &str)] = &[
    ("code", "营业厅编码"),
    ("name", "名称"),
    ("name_en", "英文名"),
    ("address", "地址"),
    ("phone", "电话"),
    ("timezone", "时区"),
    ("region", "所属区域编码"),
    ("opens", "开门"),
    ("closes", "关门"),
    ("green_first", "绿色通道优先"),
    ("overdue_to_all", "超时转全部窗口"),
    ("max_recalls", "过号前重呼次数"),
    ("catalogue", "业务公开目录文件"),
];

/// One sheet's non-empty cells: row → column → text (0-based).
type Cells = BTreeMap<u32, BTreeMap<u32, String>>;

fn at(sheet: &str, row: u32, col: Option<u32>) -> String {
    match col {
        Some(c) => format!(
            "工作表“{sheet}”第 {} 行 {} 列 · sheet '{sheet}' row {} column {}",
            row + 1,
            column_name(c),
            row + 1,
            column_name(c)
        ),
        None => format!(
            "工作表“{sheet}”第 {} 行 · sheet '{sheet}' row {}",
            row + 1,
            row + 1
        ),
    }
}

fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Cells, String> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| format!("工作表“{name}”无法读取 · the sheet '{name}' cannot be read: {e}"))?;
    let mut out = Cells::new();
    while let Some(c) = cells
        .next_cell()
        .map_err(|e| format!("工作表“{name}”无法读取 · the sheet '{name}' cannot be read: {e}"))?
    {
        let value = cell(c.get_value()).trim().to_string();
        if value.is_empty() {
            continue;
        }
        let (row, col) = c.get_position();
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(format!(
                "{}：超出读取范围（最多 {MAX_ROWS} 行、{MAX_COLS} 列），请删除多余内容 · lies outside what is read (at most {MAX_ROWS} rows and {MAX_COLS} columns); delete what is beyond",
                at(name, row, Some(col))
            ));
        }
        out.entry(row).or_default().insert(col, value);
    }
    Ok(out)
}

fn boolean(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" => Some(true),
        "false" | "no" | "n" | "0" | "否" => Some(false),
        _ => None,
    }
}

/// Codes listed in one cell: separated by commas, 、 or spaces.
fn codes(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// A row sheet read against its header: each data row as (row, key → (column, text)).
type Rows = Vec<(u32, BTreeMap<String, (u32, String)>)>;

fn rows(
    name: &str,
    cells: &Cells,
    keys: &[&str],
    errors: &mut Vec<String>,
) -> (Rows, BTreeMap<String, u32>) {
    let mut header = BTreeMap::new();
    let Some((&hrow, hcells)) = cells.iter().next() else {
        return (Vec::new(), header);
    };
    for (&col, text) in hcells {
        let key = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if !keys
            .iter()
            .any(|k| k.split(' ').next() == Some(key.as_str()))
        {
            errors.push(format!(
                "{}：未知列“{text}”· unknown column '{text}' (known: {})",
                at(name, hrow, Some(col)),
                keys.iter()
                    .filter_map(|k| k.split(' ').next())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else {
            header.insert(key, col);
        }
    }
    let mut out = Vec::new();
    for (&row, values) in cells.range(hrow + 1..) {
        let mut by_key = BTreeMap::new();
        for (&col, text) in values {
            match header.iter().find(|(_, c)| **c == col) {
                Some((k, _)) => {
                    by_key.insert(k.clone(), (col, text.clone()));
                }
                None => errors.push(format!(
                    "{}：此列没有表头 · this column has no header",
                    at(name, row, Some(col))
                )),
            }
        }
        out.push((row, by_key));
    }
    (out, header)
}

/// Where each entry of the file came from, to name a domain check's complaint by cell.
#[derive(Default)]
struct Origins {
    hall_rows: BTreeMap<String, u32>,
    types: (Vec<u32>, BTreeMap<String, u32>),
    counters: (Vec<u32>, BTreeMap<String, u32>),
    staff: (Vec<u32>, BTreeMap<String, u32>),
}

impl Origins {
    /// `business_types[2].prefix` → the sheet, row and column it came from.
    fn place(&self, e: &HallFileError) -> String {
        let path = e.at.as_str();
        for (prefix, sheet, (rows, header)) in [
            ("business_types[", TYPES.0, &self.types),
            ("counters[", COUNTERS.0, &self.counters),
            ("staff[", STAFF.0, &self.staff),
        ] {
            if let Some(rest) = path.strip_prefix(prefix) {
                let (i, field) = rest.split_once(']').unwrap_or((rest, ""));
                let row = i.parse::<usize>().ok().and_then(|i| rows.get(i).copied());
                let field = field.trim_start_matches('.');
                let field = field.split('[').next().unwrap_or_default();
                let col = header.get(field).copied();
                return match row {
                    Some(r) => at(sheet, r, col),
                    None => format!("工作表“{sheet}”· sheet '{sheet}'"),
                };
            }
        }
        let key = match path {
            "hall" => "code",
            other => other,
        };
        match self.hall_rows.get(key) {
            Some(&r) => at(HALL_SHEET, r, Some(1)),
            None => format!("工作表“{HALL_SHEET}”· sheet '{HALL_SHEET}'"),
        }
    }
}

/// Reads a workbook into a hall file and checks it as [`file::check`] does; every problem,
/// each naming its sheet, row and column, or the file.
pub fn read(bytes: &[u8]) -> Result<HallFile, Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        vec![format!(
            "文件不是可读的 .xlsx 工作簿 · the file is not a readable .xlsx workbook ({e}); use the template"
        )]
    })?;
    let names = book.sheet_names();
    let find = |want: &str| {
        let en = want
            .split(' ')
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let zh = want.split(' ').next().unwrap_or_default();
        names
            .iter()
            .find(|n| n.starts_with(zh) || n.to_lowercase().ends_with(&en))
            .cloned()
    };
    let mut errors = Vec::new();
    let mut sheet = |want: &str, errors: &mut Vec<String>| -> Cells {
        match find(want) {
            Some(n) => read_sheet(&mut book, &n).unwrap_or_else(|e| {
                errors.push(e);
                Cells::new()
            }),
            None => {
                errors.push(format!(
                    "缺少工作表“{want}”，请使用模板 · the workbook has no sheet '{want}'; use the template"
                ));
                Cells::new()
            }
        }
    };
    let hall_cells = sheet(HALL_SHEET, &mut errors);
    let type_cells = sheet(TYPES.0, &mut errors);
    let counter_cells = sheet(COUNTERS.0, &mut errors);
    let staff_cells = sheet(STAFF.0, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut o = Origins::default();
    // The Hall sheet: column A the key (its first word), column B the value; row 1 a header.
    let mut hall: BTreeMap<String, String> = BTreeMap::new();
    for (&row, values) in hall_cells.iter().skip(1) {
        let key = values
            .get(&0)
            .and_then(|k| k.split_whitespace().next())
            .unwrap_or_default()
            .to_string();
        if key.is_empty() {
            errors.push(format!(
                "{}：缺少字段名 · the field name is missing",
                at(HALL_SHEET, row, Some(0))
            ));
            continue;
        }
        if !HALL_FIELDS.iter().any(|(k, _)| *k == key) {
            errors.push(format!(
                "{}：未知字段“{key}”· unknown field '{key}'",
                at(HALL_SHEET, row, Some(0))
            ));
            continue;
        }
        o.hall_rows.insert(key.clone(), row);
        hall.insert(key, values.get(&1).cloned().unwrap_or_default());
    }
    let get = |k: &str| hall.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| hall.get(k).filter(|v| !v.is_empty()).cloned();
    let flag = |k: &str, errors: &mut Vec<String>| -> bool {
        match opt(k) {
            None => true,
            Some(v) => boolean(&v).unwrap_or_else(|| {
                errors.push(format!(
                    "{}：须为 是/否 (true/false) · must be true or false, not '{v}'",
                    at(HALL_SHEET, o.hall_rows[k], Some(1))
                ));
                true
            }),
        }
    };
    let green_first = flag("green_first", &mut errors);
    let overdue_to_all = flag("overdue_to_all", &mut errors);
    let max_recalls = match opt("max_recalls") {
        None => 3,
        Some(v) => v.parse().unwrap_or_else(|_| {
            errors.push(format!(
                "{}：须为整数 · must be a whole number, not '{v}'",
                at(HALL_SHEET, o.hall_rows["max_recalls"], Some(1))
            ));
            3
        }),
    };
    for required in ["code", "name", "opens", "closes"] {
        if opt(required).is_none() {
            errors.push(format!(
                "工作表“{HALL_SHEET}”：缺少 {required} · sheet '{HALL_SHEET}' lacks {required}"
            ));
        }
    }

    let number = |name: &str, row: u32, col: u32, v: &str, errors: &mut Vec<String>| -> i64 {
        v.parse().unwrap_or_else(|_| {
            errors.push(format!(
                "{}：须为整数 · must be a whole number, not '{v}'",
                at(name, row, Some(col))
            ));
            0
        })
    };
    let truth = |name: &str, row: u32, col: u32, v: &str, errors: &mut Vec<String>| -> bool {
        boolean(v).unwrap_or_else(|| {
            errors.push(format!(
                "{}：须为 是/否 (true/false) · must be true or false, not '{v}'",
                at(name, row, Some(col))
            ));
            false
        })
    };
    let need = |name: &str,
                row: u32,
                r: &BTreeMap<String, (u32, String)>,
                k: &str,
                errors: &mut Vec<String>|
     -> (u32, String) {
        r.get(k).cloned().unwrap_or_else(|| {
            errors.push(format!(
                "{}：缺少 {k} · {k} is missing",
                at(name, row, None)
            ));
            (0, String::new())
        })
    };

    let (type_rows, header) = rows(TYPES.0, &type_cells, TYPES.1, &mut errors);
    o.types.1 = header;
    let mut business_types = Vec::new();
    for (row, r) in type_rows {
        let s = TYPES.0;
        let (wc, wait) = need(s, row, &r, "target_wait_s", &mut errors);
        let (hc, handling) = need(s, row, &r, "target_handling_s", &mut errors);
        business_types.push(BusinessTypeEntry {
            code: need(s, row, &r, "code", &mut errors).1,
            name_zh: need(s, row, &r, "name_zh", &mut errors).1,
            name_en: r.get("name_en").map(|v| v.1.clone()).unwrap_or_default(),
            prefix: need(s, row, &r, "prefix", &mut errors).1,
            target_wait_s: number(s, row, wc, &wait, &mut errors),
            target_handling_s: number(s, row, hc, &handling, &mut errors),
            is_payment: r
                .get("is_payment")
                .is_some_and(|(c, v)| truth(s, row, *c, v, &mut errors)),
            active: r
                .get("active")
                .is_none_or(|(c, v)| truth(s, row, *c, v, &mut errors)),
        });
        o.types.0.push(row);
    }
    let (counter_rows, header) = rows(COUNTERS.0, &counter_cells, COUNTERS.1, &mut errors);
    o.counters.1 = header;
    let mut counters = Vec::new();
    for (row, r) in counter_rows {
        let s = COUNTERS.0;
        let (nc, n) = need(s, row, &r, "number", &mut errors);
        counters.push(CounterEntry {
            number: number(s, row, nc, &n, &mut errors),
            primary: r.get("primary").map(|v| codes(&v.1)).unwrap_or_default(),
            secondary: r.get("secondary").map(|v| codes(&v.1)).unwrap_or_default(),
        });
        o.counters.0.push(row);
    }
    let (staff_rows, header) = rows(STAFF.0, &staff_cells, STAFF.1, &mut errors);
    o.staff.1 = header;
    let mut staff = Vec::new();
    for (row, r) in staff_rows {
        let s = STAFF.0;
        staff.push(StaffEntry {
            username: need(s, row, &r, "username", &mut errors).1,
            name: need(s, row, &r, "name", &mut errors).1,
            badge_no: need(s, row, &r, "badge_no", &mut errors).1,
            role: need(s, row, &r, "role", &mut errors).1,
            active: r
                .get("active")
                .is_none_or(|(c, v)| truth(s, row, *c, v, &mut errors)),
        });
        o.staff.0.push(row);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let f = HallFile {
        code: get("code"),
        name: get("name"),
        name_en: get("name_en"),
        address: get("address"),
        phone: get("phone"),
        timezone: opt("timezone").unwrap_or_else(|| "Asia/Shanghai".into()),
        region: opt("region"),
        hours: Hours {
            opens: get("opens"),
            closes: get("closes"),
        },
        calling: Some(Calling {
            green_first,
            overdue_to_all,
            max_recalls,
        }),
        catalogue: opt("catalogue"),
        business_types,
        counters,
        staff,
    };
    let problems = file::check(&f, "");
    if problems.is_empty() {
        Ok(f)
    } else {
        Err(problems
            .iter()
            .map(|e| format!("{}（{}）: {}", o.place(e), e.at, e.why))
            .collect())
    }
}

/// The hall file as a workbook (the template is an example hall written this way).
pub fn write(f: &HallFile) -> Vec<u8> {
    let calling = f
        .calling
        .clone()
        .unwrap_or_else(|| Calling::from(&servicehall_domain::CallingPolicy::default()));
    let region = f.region.clone().unwrap_or_default();
    let catalogue = f.catalogue.clone().unwrap_or_default();
    let value = |k: &str| -> Cell<'_> {
        match k {
            "code" => Cell::Text(&f.code),
            "name" => Cell::Text(&f.name),
            "name_en" => Cell::Text(&f.name_en),
            "address" => Cell::Text(&f.address),
            "phone" => Cell::Text(&f.phone),
            "timezone" => Cell::Text(&f.timezone),
            "region" => Cell::Text(&region),
            "opens" => Cell::Text(&f.hours.opens),
            "closes" => Cell::Text(&f.hours.closes),
            "green_first" => Cell::Bool(calling.green_first),
            "overdue_to_all" => Cell::Bool(calling.overdue_to_all),
            "max_recalls" => Cell::Number(calling.max_recalls),
            _ => Cell::Text(&catalogue),
        }
    };
    let labels: Vec<String> = HALL_FIELDS
        .iter()
        .map(|(k, zh)| format!("{k} {zh}"))
        .collect();
    let mut hall = vec![vec![Cell::Text("field 字段"), Cell::Text("value 值")]];
    for ((k, _), label) in HALL_FIELDS.iter().zip(&labels) {
        hall.push(vec![Cell::Text(label), value(k)]);
    }
    let header = |cols: &'static [&'static str]| cols.iter().map(|c| Cell::Text(c)).collect();
    let mut types = vec![header(TYPES.1)];
    for b in &f.business_types {
        types.push(vec![
            Cell::Text(&b.code),
            Cell::Text(&b.name_zh),
            Cell::Text(&b.name_en),
            Cell::Text(&b.prefix),
            Cell::Number(b.target_wait_s),
            Cell::Number(b.target_handling_s),
            Cell::Bool(b.is_payment),
            Cell::Bool(b.active),
        ]);
    }
    let joined: Vec<(String, String)> = f
        .counters
        .iter()
        .map(|c| (c.primary.join(", "), c.secondary.join(", ")))
        .collect();
    let mut counters = vec![header(COUNTERS.1)];
    for (c, (p, s)) in f.counters.iter().zip(&joined) {
        counters.push(vec![Cell::Number(c.number), Cell::Text(p), Cell::Text(s)]);
    }
    let mut staff = vec![header(STAFF.1)];
    for s in &f.staff {
        staff.push(vec![
            Cell::Text(&s.username),
            Cell::Text(&s.name),
            Cell::Text(&s.badge_no),
            Cell::Text(&s.role),
            Cell::Bool(s.active),
        ]);
    }
    let sheet = |name, rows| Sheet {
        name,
        rows,
        header: true,
    };
    xlsx::workbook(&[
        sheet(HALL_SHEET, hall),
        sheet(TYPES.0, types),
        sheet(COUNTERS.0, counters),
        sheet(STAFF.0, staff),
    ])
}

/// The downloadable template: an example hall in the workbook's layout.
pub fn template() -> Vec<u8> {
    let example = file::parse(EXAMPLE).unwrap_or_else(|_| HallFile {
        code: "DL-XH".into(),
        name: String::new(),
        name_en: String::new(),
        address: String::new(),
        phone: String::new(),
        timezone: "Asia/Shanghai".into(),
        region: None,
        hours: Hours {
            opens: "08:30".into(),
            closes: "17:00".into(),
        },
        calling: None,
        catalogue: None,
        business_types: Vec::new(),
        counters: Vec::new(),
        staff: Vec::new(),
    });
    write(&example)
}

/// The example hall of the template (and of docs/operations.md).
pub const EXAMPLE: &str = "code: DL-XH
name: 国网大连供电公司星海营业厅
name_en: Xinghai Hall
address: 大连市沙河口区星海广场
phone: 0411-95598
hours: { opens: '08:30', closes: '17:00' }
calling: { green_first: true, overdue_to_all: true, max_recalls: 3 }
business_types:
  - { code: pay, name_zh: 缴费, name_en: Payment, prefix: A, target_wait_s: 600, target_handling_s: 300, is_payment: true }
  - { code: new, name_zh: 新装, name_en: New connection, prefix: B, target_wait_s: 900, target_handling_s: 1200 }
counters:
  - { number: 1, primary: [pay], secondary: [new] }
  - { number: 2, primary: [new] }
staff:
  - { username: xh_clerk1, name: 王芳, badge_no: XH001, role: clerk }
  - { username: xh_manager, name: 赵强, badge_no: XH900, role: hall_manager }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_its_example() {
        let back = read(&template()).unwrap();
        assert_eq!(back, file::parse(EXAMPLE).unwrap());
    }

    #[test]
    fn a_bad_cell_is_named_by_sheet_row_and_column() {
        let mut f = file::parse(EXAMPLE).unwrap();
        f.counters[1].primary = vec!["repair".into()];
        f.staff[0].role = "admin".into();
        let e = read(&write(&f)).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("工作表“窗口 Counters”第 3 行 B 列"),
            "{e:?}"
        );
        assert!(e[0].contains("没有业务类型 repair"), "{e:?}");
        assert!(e[1].contains("sheet '人员 Staff' row 2 column D"), "{e:?}");
        assert!(read(b"not a zip").unwrap_err()[0].contains(".xlsx"));
    }
}
