//! `/conformance/visits`: the visits behind the ticket indicators (waiting and handling
//! time, served, no-shows) for a hall and a period — the evidence a figure links to.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::date_day;
use servicehall_domain::time::{local, parse_tz};

/// At most this many visits are listed; the page says when there are more.
const LIMIT: i64 = 500;

#[derive(serde::Deserialize, Default)]
pub struct VisitsQuery {
    hall: Option<String>,
    /// First and last day, `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    to: Option<String>,
}

pub struct VisitRow {
    day: String,
    number: String,
    business: String,
    state: String,
    queued: String,
    called: String,
    wait: String,
    handling: String,
    counted: bool,
}

#[derive(Template)]
#[template(path = "assessment/visits.html")]
struct VisitsPage {
    chrome: Chrome,
    hall_code: String,
    hall_name: String,
    from: String,
    to: String,
    rows: Vec<VisitRow>,
    more: bool,
}

fn date(v: Option<&str>, name: &str) -> Result<NaiveDate, PageError> {
    let s = v.map(str::trim).unwrap_or_default();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        PageError(ApiError::bad_request(format!(
            "{name} 须为日期，如 2026-11-01（收到 {s:?}）· {name} must be a date like 2026-11-01, got {s:?}"
        )))
    })
}

fn minutes(a: Option<i64>, b: Option<i64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.1}", (b - a) as f64 / 60_000.0),
        _ => "—".into(),
    }
}

pub async fn visits(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<VisitsQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_person()?;
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let (from, to) = (
        date(q.from.as_deref(), "from")?,
        date(q.to.as_deref(), "to")?,
    );
    if to < from {
        return Err(PageError(ApiError::bad_request(format!(
            "结束日期（{to}）早于开始日期（{from}）· the period ends ({to}) before it starts ({from})"
        ))));
    }
    let tz =
        parse_tz(&hall.timezone).map_err(|e| PageError(ApiError::bad_request(e.to_string())))?;
    let list = s
        .store
        .assessment_visits(hall.id, date_day(from), date_day(to) + 1, LIMIT + 1)
        .await?;
    let more = list.len() as i64 > LIMIT;
    let time =
        |at: Option<i64>| at.map_or("—".into(), |at| local(at, tz).format("%H:%M").to_string());
    let rows = list
        .iter()
        .take(LIMIT as usize)
        .map(|v| VisitRow {
            day: v.service_day.clone(),
            number: v.number.clone(),
            business: v.business_zh.clone(),
            state: v
                .state
                .parse::<servicehall_domain::TicketState>()
                .map_or(v.state.clone(), |st| {
                    format!("{} {}", st.label_zh(), st.label_en())
                }),
            queued: time(v.queued),
            called: time(v.called),
            wait: minutes(v.queued, v.called),
            handling: minutes(v.began, v.done),
            counted: v.transferred_from.is_none(),
        })
        .collect();
    render(&VisitsPage {
        chrome: Chrome::staff("来访明细 Visits", "/conformance", Some(&caller)),
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        rows,
        more,
    })
}
