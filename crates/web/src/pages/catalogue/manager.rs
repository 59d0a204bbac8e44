//! The hall manager's repeat trips (重复往返): both visits linked, the customer masked for
//! every role (the list is for fixing the one-time notice, not for calling customers),
//! filtered by day, business and recorder, paged, exported or printed through the lists'
//! shared frame.

use crate::AppState;
use crate::api::catalogue::mask_contact;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::time::parse_tz;
use servicehall_store::{RepeatTripFilter, Visit};

pub fn routes() -> Router<AppState> {
    Router::new().route("/manager/repeat-trips", get(page))
}

const COLUMNS: &[Column] = &[
    col("本次", "This visit"),
    col("本次票号", "Ticket"),
    col("本次结果", "Outcome"),
    col("本次经办", "Served by"),
    col("上次", "Earlier visit"),
    col("上次票号", "Earlier ticket"),
    col("上次结果", "Earlier outcome"),
    col("上次经办", "Earlier served by"),
    col("业务", "Business"),
    col("客户", "Customer"),
];

#[derive(Template)]
#[template(path = "catalogue/repeat_trips.html")]
struct Page {
    chrome: Chrome,
    list: List,
    window: i64,
}

fn staff(v: &Visit) -> String {
    match (&v.staff_name, &v.staff_badge) {
        (Some(n), Some(b)) => format!("{n} · {b}"),
        _ => String::new(),
    }
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, crate::error::ApiError>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let req = q.request()?;
    let period = listing::period(std::slice::from_ref(&hall), &q, s.now())?;
    let types = s.store.business_types(hall.id).await?;
    let business = q.id(&q.business, "business")?;
    let filter = RepeatTripFilter {
        from: period.scope.from,
        to: period.scope.to,
        business_type: business
            .map(|id| {
                types
                    .iter()
                    .find(|b| b.id == id)
                    .map(|b| b.code.clone())
                    .ok_or_else(|| {
                        crate::error::ApiError::bad_request(format!(
                            "本厅没有编号为 {id} 的业务 · no business type {id} in this hall"
                        ))
                    })
            })
            .transpose()?,
        staff_id: q.id(&q.clerk, "clerk")?,
    };
    let page = s
        .store
        .repeat_trip_page(hall.id, &filter, req.window())
        .await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let rows = page
        .items
        .into_iter()
        .map(|t| Row {
            id: String::new(),
            action: String::new(),
            class: "",
            cells: vec![
                Value::text(listing::when(t.visit.at, tz)),
                Value::text(t.visit.ticket_number.clone().unwrap_or_else(|| "—".into())),
                Value::text(t.visit.outcome.label_zh()),
                Value::text(staff(&t.visit)),
                Value::text(listing::when(t.earlier.at, tz)),
                Value::text(
                    t.earlier
                        .ticket_number
                        .clone()
                        .unwrap_or_else(|| "—".into()),
                ),
                Value::text(t.earlier.outcome.label_zh()).class("pill alert"),
                Value::text(staff(&t.earlier)),
                Value::text(
                    types
                        .iter()
                        .find(|b| b.code == t.visit.business_type)
                        .map(|b| b.name_zh.clone())
                        .unwrap_or_else(|| t.visit.business_type.clone()),
                ),
                Value::text(mask_contact(&t.visit.contact)),
            ],
        })
        .collect();
    // Visits are recorded by the clerk at the counter or the guide at the desk.
    let recorders = s
        .store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|st| matches!(st.role, Role::Clerk | Role::Guide | Role::HallManager))
        .map(|st| (st.id.to_string(), format!("{} · {}", st.name, st.badge_no)))
        .collect();
    let list = List {
        path: "/manager/repeat-trips",
        title_zh: "重复往返",
        title_en: "Repeat trips",
        table_id: "repeat-trips-table",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "business",
                "业务",
                "Business",
                business.map(|id| id.to_string()),
                types
                    .iter()
                    .map(|b| (b.id.to_string(), format!("{} {}", b.name_zh, b.name_en)))
                    .collect(),
            ),
            Filter::choice(
                "clerk",
                "经办",
                "Served by",
                filter.staff_id.map(|id| id.to_string()),
                recorders,
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的重复往返 · No repeat trips match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(s.now(), tz));
    }
    Ok(render(&Page {
        chrome: Chrome::staff("重复往返 Repeat trips", "/manager", Some(&caller)),
        list,
        window: s.store.hall_public_info(hall.id).await?.repeat_window_days,
    })?
    .into_response())
}
