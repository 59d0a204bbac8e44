//! 整改 (rectification) screens: the hall's list on the lists' shared frame (open, to
//! verify, overdue, verified; exported and printed like the other lists), and one
//! rectification with the failed item, the photos before and after, the fix form and the
//! verify / reopen buttons. The actions go through the JSON API (`api::inspections::rectification`).

use crate::AppState;
use crate::api::inspections::photos::person;
use crate::api::inspections::rectification::{RectificationDetailView, detail};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::time::parse_tz;
use servicehall_store::{RectificationFilter, RectificationState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rectifications", get(list_page))
        .route("/rectifications/{id}", get(show_page))
}

const COLUMNS: &[Column] = &[
    col("工单号", "Case"),
    col("发现时间", "Found"),
    col("检查表", "Checklist"),
    col("不合格项", "Failed item"),
    col("对象", "Subject"),
    col("状态", "Stage"),
    col("期限", "Due"),
    col("责任人", "Owner"),
    col("整改人", "Fixed by"),
    col("退回次数", "Reopened"),
];

#[derive(Template)]
#[template(path = "rectification/list.html")]
struct ListPage {
    chrome: Chrome,
    list: List,
}

/// 整改清单: the hall's rectifications over the period, filtered by state, paged, exported
/// (`format=xlsx`) or printed (`format=print`).
async fn list_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let req = q.request()?;
    let now = s.now();
    let period = listing::period(std::slice::from_ref(&hall), &q, now)?;
    let state = q.choice(
        &q.state,
        "state",
        &RectificationState::ALL.map(|x| x.as_str()),
    )?;
    let filter = RectificationFilter {
        from: period.scope.from,
        to: period.scope.to,
        state: state.as_deref().and_then(RectificationState::parse),
    };
    let page = s
        .store
        .rectifications(hall.id, &filter, req.window(), now)
        .await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let rows = page
        .items
        .iter()
        .map(|r| {
            let stage = Value::text(r.stage.label()).class(match r.stage.as_str() {
                "open" => "pill alert",
                "fixed" => "pill",
                _ => "pill ok",
            });
            let due = match (r.deadline_at, r.overdue) {
                (Some(d), true) => {
                    Value::text(format!("{} 已超期 overdue", listing::when(d, tz))).class("late")
                }
                (Some(d), false) => Value::text(listing::when(d, tz)),
                (None, _) => Value::text(
                    r.closed_at
                        .map(|c| format!("{} 销号 verified", listing::when(c, tz)))
                        .unwrap_or_default(),
                ),
            };
            let item = if r.critical {
                format!("{}（关键项 critical）", r.item_zh)
            } else {
                r.item_zh.clone()
            };
            Row {
                class: if r.overdue { "rect overdue" } else { "rect" },
                id: format!("rect-{}", r.case_id),
                action: String::new(),
                cells: vec![
                    Value::link(&r.case_number, format!("/rectifications/{}", r.case_id)),
                    Value::text(listing::when(r.opened_at, tz)),
                    Value::text(&r.template_name_zh),
                    Value::text(item),
                    Value::text(r.subject_name.clone().unwrap_or_else(|| "本厅 hall".into())),
                    stage,
                    due,
                    Value::text(&r.owner_name),
                    Value::text(r.fixed_by_name.clone().unwrap_or_default()),
                    Value::num(r.reopened),
                ],
            }
        })
        .collect();
    let list = List {
        path: "/rectifications",
        title_zh: "整改清单",
        title_en: "Rectifications",
        table_id: "rect-table",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "state",
                "状态",
                "State",
                state,
                RectificationState::ALL
                    .iter()
                    .map(|x| (x.as_str().to_string(), x.label().to_string()))
                    .collect(),
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的整改 · No rectifications match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(now, tz));
    }
    Ok(render(&ListPage {
        chrome: Chrome::staff("整改 Rectification", "/rectifications", Some(&caller)),
        list,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "rectification/show.html")]
struct ShowPage {
    chrome: Chrome,
    d: RectificationDetailView,
    hall_code: String,
    opened: String,
    due: String,
    fixed_at: String,
    data: String,
}

/// One rectification: the finding, the photos before and after, and what the caller may do.
async fn show_page(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = s.store.rectification(id, s.now()).await?;
    caller.require(Permission::Observe, r.hall_id)?;
    let by = person(&caller)?;
    let hall = s.store.hall(r.hall_id).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let d = detail(&s, &r, by).await?;
    let data = json_for_script(&serde_json::json!({
        "case_id": r.case_id,
        "me": by,
        "timezone": hall.timezone,
    }));
    Ok(render(&ShowPage {
        chrome: Chrome::staff("整改 Rectification", "/rectifications", Some(&caller)),
        hall_code: hall.code,
        opened: listing::when(r.opened_at, tz),
        due: r
            .deadline_at
            .map(|d| listing::when(d, tz))
            .unwrap_or_default(),
        fixed_at: r.fixed_at.map(|d| listing::when(d, tz)).unwrap_or_default(),
        d,
        data,
    })?
    .into_response())
}
