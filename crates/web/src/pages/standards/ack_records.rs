//! The acknowledgement records (`/standards/acks/records`, 学习确认明细): one row for each
//! person and each version in effect that applies to them, acknowledged (with when) or not
//! yet, filtered by state, person and kind of document, paged, exported or printed through
//! the lists' frame. The rows come from the hall's acknowledgement report, which the store
//! already builds in one call and which is bounded by the hall's staff times its versions
//! in effect, so the filters apply to that report rather than to a query of their own.

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use servicehall_domain::access::Permission;
use servicehall_domain::standards::Category;
use servicehall_domain::time::parse_tz;

const COLUMNS: &[Column] = &[
    col("文件", "Document"),
    col("类别", "Kind"),
    col("版本", "Version"),
    col("生效", "In effect from"),
    col("人员", "Person"),
    col("工号", "Badge"),
    col("岗位", "Role"),
    col("状态", "State"),
    col("确认时间", "Acknowledged"),
];

#[derive(Template)]
#[template(path = "standards/ack_records.html")]
struct Page {
    chrome: Chrome,
    list: List,
}

/// One person and one version, before paging.
struct Record {
    cells: Vec<Value>,
    done: bool,
}

pub(super) async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    caller.require_person()?;
    let req = q.request()?;
    let state = q.choice(&q.state, "state", &["done", "missing"])?;
    let kinds: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let kind = q.choice(&q.kind, "kind", &kinds)?;
    let person = q.id(&q.clerk, "clerk")?;
    let now = s.now();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let report = s.store.acknowledgement_report(hall.id, now).await?;

    let mut people: Vec<(i64, String)> = Vec::new();
    let mut records = Vec::new();
    for l in &report.lines {
        if kind.as_deref().is_some_and(|k| k != l.category.as_str()) {
            continue;
        }
        let done = l.acknowledged.iter().map(|a| (&a.staff, Some(a.at)));
        let missing = l.missing.iter().map(|m| (m, None));
        for (who, at) in done.chain(missing) {
            if !people.iter().any(|(id, _)| *id == who.id) {
                people.push((who.id, format!("{} · {}", who.name, who.badge_no)));
            }
            if person.is_some_and(|p| p != who.id) {
                continue;
            }
            records.push(Record {
                done: at.is_some(),
                cells: vec![
                    Value::link(l.title.clone(), format!("/standards/{}", l.document_id)),
                    Value::text(l.category.label_zh()),
                    Value::text(format!("第{}版", l.number)),
                    Value::text(l.effective_from.to_string()),
                    Value::text(who.name.clone()),
                    Value::text(who.badge_no.clone()),
                    Value::text(who.role.label_zh()),
                    match at {
                        Some(_) => Value::text("已确认 Done").class("acked"),
                        None => Value::text("未确认 Not yet").class("missing"),
                    },
                    Value::text(at.map(|t| listing::when(t, tz)).unwrap_or_default()),
                ],
            });
        }
    }
    records.retain(|r| match state.as_deref() {
        Some("done") => r.done,
        Some("missing") => !r.done,
        _ => true,
    });
    people.sort_by(|a, b| a.1.cmp(&b.1));

    let total = records.len() as i64;
    let w = req.window();
    let rows = records
        .into_iter()
        .skip(w.offset.max(0) as usize)
        .take(w.limit.max(0) as usize)
        .map(|r| Row {
            id: String::new(),
            action: String::new(),
            class: "",
            cells: r.cells,
        })
        .collect();
    let list = List {
        path: "/standards/acks/records",
        title_zh: "学习确认明细",
        title_en: "Acknowledgement records",
        table_id: "ack-records",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::choice(
                "state",
                "状态",
                "State",
                state,
                vec![
                    ("done".into(), "已确认 Done".into()),
                    ("missing".into(), "未确认 Not yet".into()),
                ],
            ),
            Filter::choice(
                "kind",
                "类别",
                "Kind",
                kind,
                Category::ALL
                    .iter()
                    .map(|c| (c.as_str().to_string(), c.label_zh().to_string()))
                    .collect(),
            ),
            Filter::choice(
                "clerk",
                "人员",
                "Person",
                person.map(|p| p.to_string()),
                people
                    .into_iter()
                    .map(|(id, name)| (id.to_string(), name))
                    .collect(),
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的确认记录 · No acknowledgement records match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(now, tz));
    }
    Ok(render(&Page {
        chrome: Chrome::staff(
            "学习确认明细 Acknowledgement records",
            "/standards",
            Some(&caller),
        ),
        list,
    })?
    .into_response())
}
