//! 整改 (rectification) screens: the hall's list on the lists' shared frame (open, to
//! verify, overdue, verified; exported and printed like the other lists), and one
//! rectification with the failed item, the photos before and after, the fix form and the
//! verify / reopen buttons. The actions go through the JSON API (`api::inspections::rectification`).

use crate::AppState;
use crate::api::inspections::photos::person;
use crate::api::inspections::rectification::{RectificationDetailView, detail};
use crate::auth::Caller;
use crate::error::ApiError;
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
use servicehall_store::{Hall, Paged, RectificationFilter, RectificationState, Window};

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

/// The region's list (`hall=all`): the same columns after the hall's.
const REGION_COLUMNS: &[Column] = &[
    col("营业厅", "Hall"),
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

/// `hall=` asking for every hall the caller may see (a supervisor's region).
const ALL_HALLS: &str = "all";

#[derive(Template)]
#[template(path = "rectification/list.html")]
struct ListPage {
    chrome: Chrome,
    list: List,
    /// The region's list: the hall is a filter, not the page's subject.
    region: bool,
}

/// The halls a list covers: the one asked for (or the caller's), or with `hall=all` every
/// hall the caller may observe, and whether it is the region's list.
async fn list_halls(
    s: &AppState,
    caller: &Caller,
    q: &ListQuery,
) -> Result<(Vec<Hall>, bool), PageError> {
    if caller.actor.hall_id.is_none() && q.hall.as_deref() == Some(ALL_HALLS) {
        let halls: Vec<Hall> = s
            .store
            .halls()
            .await?
            .into_iter()
            .filter(|h| caller.actor.may(Permission::Observe, h.id))
            .collect();
        caller.require_any(Permission::Observe)?;
        return Ok((halls, true));
    }
    let hall = hall_for(s.store.as_ref(), caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    Ok((vec![hall], false))
}

/// 整改清单: the hall's rectifications over the period, filtered by state, paged, exported
/// (`format=xlsx`) or printed (`format=print`).
async fn list_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (halls, region) = list_halls(&s, &caller, &q).await?;
    let Some(hall) = halls.first().cloned() else {
        return Err(PageError(ApiError::not_found(
            "没有可查看的营业厅 · no hall to show",
        )));
    };
    let req = q.request()?;
    let now = s.now();
    let period = listing::period(&halls, &q, now)?;
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
    // The region's list merges each hall's first rows up to this page, newest first.
    let window = req.window();
    let mut page = Paged {
        items: Vec::new(),
        total: 0,
    };
    for h in &halls {
        let p = s
            .store
            .rectifications(
                h.id,
                &filter,
                Window::first(window.offset + window.limit),
                now,
            )
            .await?;
        page.items.extend(p.items);
        page.total += p.total;
    }
    page.items
        .sort_by_key(|r| std::cmp::Reverse((r.opened_at, r.case_id)));
    page.items = page
        .items
        .into_iter()
        .skip(usize::try_from(window.offset).unwrap_or(0))
        .take(usize::try_from(window.limit).unwrap_or(0))
        .collect();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let hall_name = |id: i64| {
        halls
            .iter()
            .find(|h| h.id == id)
            .map_or_else(String::new, |h| h.name.clone())
    };
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
            let mut cells = Vec::new();
            if region {
                cells.push(Value::text(hall_name(r.hall_id)));
            }
            cells.extend([
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
            ]);
            Row {
                class: if r.overdue { "rect overdue" } else { "rect" },
                id: format!("rect-{}", r.case_id),
                action: String::new(),
                cells,
            }
        })
        .collect();
    let mut filters = Vec::new();
    let above = caller.actor.hall_id.is_none();
    if above {
        // Above the halls the hall is a filter: the region's halls all together, or one.
        let mut options = vec![(ALL_HALLS.to_string(), "本区域全部 · All halls".to_string())];
        for h in s.store.halls().await? {
            if caller.actor.may(Permission::Observe, h.id) {
                options.push((h.code.clone(), h.name.clone()));
            }
        }
        filters.push(Filter {
            name: "hall",
            zh: "营业厅",
            en: "Hall",
            value: if region {
                ALL_HALLS.into()
            } else {
                hall.code.clone()
            },
            date: false,
            options,
        });
    }
    filters.extend([
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
    ]);
    let list = List {
        path: "/rectifications",
        title_zh: "整改清单",
        title_en: "Rectifications",
        table_id: "rect-table",
        hall_code: if region {
            ALL_HALLS.into()
        } else {
            hall.code.clone()
        },
        hall_name: if region {
            "本区域 · the region".into()
        } else {
            hall.name.clone()
        },
        // The hall filter carries it above the halls.
        keep_hall: false,
        filters,
        columns: if region { REGION_COLUMNS } else { COLUMNS },
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
        region,
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
