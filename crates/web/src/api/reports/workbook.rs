//! The monthly report as an Excel workbook (rust_xlsxwriter): one sheet per section, the
//! header naming the scope, the month, when it was made and the audit head; a line chart of
//! the six-month trend on the sheets whose section asks for one.

use super::view::{MonthlyReportView, ReportRowView, ReportSectionView};
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

const A4: u8 = 9;

fn head(ws: &mut Worksheet, v: &MonthlyReportView, s: &ReportSectionView) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{} {} · {} {}",
            v.scope_name, v.month, s.title_zh, s.title_en
        ),
        &title,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "生成于 Generated {} · {} · 审计链头 Audit head {}",
            v.generated_local, v.generated_by, v.audit_head
        ),
    )?;
    ws.set_landscape().set_paper_size(A4);
    Ok(())
}

fn opt(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number(r, c, v).map(|_| ()),
        None => ws.write_string(r, c, "—").map(|_| ()),
    }
}

/// The indicators' table from row 3; returns the rows written.
fn indicators(
    ws: &mut Worksheet,
    v: &MonthlyReportView,
    rows: &[ReportRowView],
) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#E8EEF5");
    let mut cols: Vec<String> = [
        "指标 Indicator",
        "单位 Unit",
        "本月 This month",
        "上月 Last month",
        "环比 Change",
        "目标 Target",
        "状态 Status",
        "分子 Numerator",
        "分母 Denominator",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    cols.extend(v.months.iter().cloned());
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, c, &bold)?;
    }
    for (k, r) in rows.iter().enumerate() {
        let y = 4 + k as u32;
        ws.write_string(y, 0, format!("{} {}", r.name_zh, r.name_en))?;
        ws.write_string(y, 1, &r.unit_zh)?;
        opt(ws, y, 2, r.value)?;
        opt(ws, y, 3, r.previous)?;
        opt(ws, y, 4, r.change)?;
        opt(ws, y, 5, r.target)?;
        ws.write_string(y, 6, &r.status_zh)?;
        ws.write_number(y, 7, r.numerator as f64)?;
        ws.write_number(y, 8, r.denominator as f64)?;
        for (m, t) in r.trend.iter().enumerate() {
            opt(ws, y, 9 + m as u16, *t)?;
        }
    }
    ws.set_column_width(0, 36)?;
    for c in 1..cols.len() as u16 {
        ws.set_column_width(c, 12)?;
    }
    ws.set_freeze_panes(4, 1)?;
    Ok(rows.len() as u32)
}

/// A line chart of the trend of the section's percentages (one scale), or of every row when
/// none is a percentage.
fn chart(
    ws: &mut Worksheet,
    s: &ReportSectionView,
    n: u32,
    months: usize,
) -> Result<(), XlsxError> {
    let percent: Vec<usize> = (0..s.rows.len())
        .filter(|&i| s.rows[i].unit == "percent")
        .collect();
    let pick: Vec<usize> = if percent.is_empty() {
        (0..s.rows.len()).collect()
    } else {
        percent
    };
    let mut c = Chart::new(ChartType::Line);
    let last = 9 + months as u16 - 1;
    for i in pick {
        let y = 4 + i as u32;
        c.add_series()
            .set_name(&format!("{} {}", s.rows[i].name_zh, s.rows[i].unit_zh))
            .set_categories((s.sheet.as_str(), 3, 9, 3, last))
            .set_values((s.sheet.as_str(), y, 9, y, last));
    }
    c.title()
        .set_name(&format!("{} · 近六个月 Six months", s.title_zh));
    c.set_width(720).set_height(320);
    ws.insert_chart(5 + n, 0, &c)?;
    Ok(())
}

fn conformance(ws: &mut Worksheet, v: &MonthlyReportView) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#E8EEF5");
    ws.write_string(
        2,
        0,
        format!(
            "达标 Met {} · 未达标 Not met {} · 暂无数据 No data {}",
            v.met, v.not_met, v.no_data
        ),
    )?;
    let cols = [
        "条目 Item",
        "部分 Group",
        "名称 Name",
        "指标 Indicator",
        "本月 Value",
        "目标 Target",
        "状态 Status",
        "说明 Note",
    ];
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *c, &bold)?;
    }
    for (k, it) in v.items.iter().enumerate() {
        let y = 4 + k as u32;
        ws.write_string(y, 0, &it.code)?;
        ws.write_string(y, 1, &it.group_zh)?;
        ws.write_string(y, 2, format!("{} {}", it.name_zh, it.name_en))?;
        ws.write_string(y, 3, it.indicator_zh.as_deref().unwrap_or("—"))?;
        opt(ws, y, 4, it.value)?;
        opt(ws, y, 5, it.target)?;
        ws.write_string(y, 6, &it.status_zh)?;
        ws.write_string(y, 7, format!("{} {}", it.note_zh, it.note_en).trim())?;
    }
    ws.set_column_width(2, 34)?;
    ws.set_column_width(3, 18)?;
    ws.set_column_width(7, 40)?;
    Ok(())
}

fn audit(ws: &mut Worksheet, v: &MonthlyReportView) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#E8EEF5");
    for (i, c) in [
        "链 Chain",
        "名称 Name",
        "序号 Seq",
        "链头 Head (chain:seq:hash)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(3, i as u16, *c, &bold)?;
    }
    for (k, h) in v.audit_heads.iter().enumerate() {
        let y = 4 + k as u32;
        ws.write_number(y, 0, h.chain as f64)?;
        ws.write_string(y, 1, &h.name)?;
        ws.write_number(y, 2, h.seq as f64)?;
        ws.write_string(y, 3, &h.pin)?;
    }
    let y = 5 + v.audit_heads.len() as u32;
    ws.write_string(
        y,
        0,
        "核对：servicehall audit verify --expect-head <链头> · check with servicehall audit verify --expect-head <pin>",
    )?;
    ws.set_column_width(1, 28)?;
    ws.set_column_width(3, 80)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(v: &MonthlyReportView) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for s in &v.sections {
        let ws = wb.add_worksheet();
        ws.set_name(&s.sheet)?;
        head(ws, v, s)?;
        match s.kind.as_str() {
            "conformance" => conformance(ws, v)?,
            "audit" => audit(ws, v)?,
            _ => {
                let n = indicators(ws, v, &s.rows)?;
                if s.chart && !s.rows.is_empty() {
                    chart(ws, s, n, v.months.len())?;
                }
            }
        }
    }
    wb.save_to_buffer()
}
