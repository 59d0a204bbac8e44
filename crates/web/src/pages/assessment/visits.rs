//! `/conformance/visits`: the visits behind the ticket indicators (waiting and handling
//! time, served, no-shows) for a hall and a period — the evidence a figure links to.
//! `counter=ID` or `staff=ID` narrows them to the tickets called at that counter or by
//! that clerk, the visits a counter's or clerk's scorecard line counts.

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
use servicehall_store::Personal;

/// At most this many visits are listed; the page says when there are more.
const LIMIT: i64 = 500;

#[derive(serde::Deserialize, Default)]
pub struct VisitsQuery {
    hall: Option<String>,
    /// First and last day, `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    to: Option<String>,
    /// Only the tickets called at this counter (its id in the hall).
    counter: Option<i64>,
    /// Only the tickets called by this clerk (their staff id in the hall).
    staff: Option<i64>,
}

/// The filter shown as a chip, with the link that clears it.
pub struct Filter {
    label: String,
    name: &'static str,
    value: i64,
    clear: String,
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
    filter: Option<Filter>,
    /// Listed visits counted (not a transfer's linked ticket), and of those no-shows.
    counted: usize,
    no_shows: usize,
}

/// The counter or clerk to narrow to, checked to belong to the hall, with its chip whose
/// link `base` lists the hall's visits again.
async fn who(
    s: &AppState,
    hall: &servicehall_store::Hall,
    q: &VisitsQuery,
    base: String,
) -> Result<(Personal, Option<Filter>), PageError> {
    match (q.counter, q.staff) {
        (Some(_), Some(_)) => Err(PageError(ApiError::bad_request(
            "请只选择一个窗口或一名员工 · pick either a counter or a clerk, not both".to_string(),
        ))),
        (Some(c), None) => {
            let c = crate::api::scorecards::counter::hall_counter(s, hall, c).await?;
            let n = c.number;
            Ok((
                Personal::Counter(c.id),
                Some(Filter {
                    label: format!("窗口 {n} 号 · Counter {n}"),
                    name: "counter",
                    value: c.id,
                    clear: base,
                }),
            ))
        }
        (None, Some(id)) => {
            let st = s.store.staff(id).await.ok();
            let st = st.filter(|st| st.hall_id == Some(hall.id)).ok_or_else(|| {
                PageError(ApiError::not_found(format!(
                    "{} 没有编号为 {id} 的员工，请从员工考核中选择 · {} has no staff member {id}; pick one from the clerks' scorecards",
                    hall.name, hall.code
                )))
            })?;
            Ok((
                Personal::Staff(st.id),
                Some(Filter {
                    label: format!("员工 {} · Staff {}", st.name, st.badge_no),
                    name: "staff",
                    value: st.id,
                    clear: base,
                }),
            ))
        }
        (None, None) => Ok((Personal::Hall, None)),
    }
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
    let base = format!("/conformance/visits?hall={}&from={from}&to={to}", hall.code);
    let (who, filter) = who(&s, &hall, &q, base).await?;
    let list = s
        .store
        .assessment_visits(hall.id, who, date_day(from), date_day(to) + 1, LIMIT + 1)
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
        .collect::<Vec<VisitRow>>();
    let counted: Vec<_> = list
        .iter()
        .take(LIMIT as usize)
        .filter(|v| v.transferred_from.is_none())
        .collect();
    let no_shows = counted.iter().filter(|v| v.state == "no_show").count();
    render(&VisitsPage {
        chrome: Chrome::staff("来访明细 Visits", "/conformance", Some(&caller)),
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        counted: counted.len(),
        no_shows,
        rows,
        more,
        filter,
    })
}
