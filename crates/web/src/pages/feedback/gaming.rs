//! The anti-gaming flags (防刷评, `/feedback/flags`): the stored flags with their evidence,
//! for supervisors, and the finding a supervisor records on each.

use crate::AppState;
use crate::api::feedback::gaming::{FlagView, acknowledge_flag, flags_at};
use crate::api::feedback::{DaysQuery, period_at};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, Fields, SignedForm, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::time::{local, parse_tz};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback/flags", get(flags_page))
        .route(
            "/feedback/flags/{id}/finding",
            axum::routing::post(flag_finding),
        )
}

#[derive(Template)]
#[template(path = "feedback/gaming.html")]
struct FlagsPage {
    chrome: Chrome,
    hall_name: String,
    hall_code: String,
    days: i64,
    flags: Vec<FlagRow>,
    open: usize,
    settings: FeedbackSettings,
    visits: usize,
    ok: String,
    error: String,
    /// The flag whose finding was refused, and the note typed, to show again.
    error_flag: i64,
    error_note: String,
}

struct FlagRow {
    view: FlagView,
    first_seen: String,
    last_seen: String,
    finding_zh: &'static str,
    finding_en: &'static str,
    finding_at: String,
}

#[derive(serde::Deserialize, Default)]
struct FlagsQuery {
    hall: Option<String>,
    days: Option<i64>,
    ok: Option<String>,
}

async fn flags_build(
    s: &AppState,
    caller: &Caller,
    hall: Option<&str>,
    days: Option<i64>,
) -> Result<FlagsPage, PageError> {
    let hall = hall_for(s.store.as_ref(), caller, hall).await?;
    caller.require(Permission::ReviewFeedback, hall.id)?;
    let (from, to) = period_at(&DaysQuery { days }, s.now())?;
    let (flags, settings) = flags_at(s.store.as_ref(), hall.id, from, to, s.now()).await?;
    let visits = s.store.pad_visits(hall.id, from, to).await?.len();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let when = |at: i64| local(at, tz).format("%m-%d %H:%M").to_string();
    let flags: Vec<FlagRow> = flags
        .into_iter()
        .map(|view| FlagRow {
            first_seen: when(view.first_seen_at),
            last_seen: when(view.last_seen_at),
            finding_zh: view.finding.map_or("", |f| f.label_zh()),
            finding_en: view.finding.map_or("", |f| f.label_en()),
            finding_at: view.finding_at.map(when).unwrap_or_default(),
            view,
        })
        .collect();
    Ok(FlagsPage {
        chrome: Chrome::staff("评价异常 Rating flags", "/feedback/flags", Some(caller)),
        hall_name: hall.name,
        hall_code: hall.code,
        days: days.unwrap_or(30),
        open: flags.iter().filter(|f| f.view.finding.is_none()).count(),
        flags,
        settings,
        visits,
        ok: String::new(),
        error: String::new(),
        error_flag: 0,
        error_note: String::new(),
    })
}

/// 防刷评: the hall's flags — detected over the period, stored, open first — with their
/// numbers, tickets and findings.
async fn flags_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<FlagsQuery>,
) -> Result<impl IntoResponse, PageError> {
    let mut page = flags_build(&s, &caller, q.hall.as_deref(), q.days).await?;
    if q.ok.is_some() {
        page.ok = "已记录核查结论 Finding recorded".into();
    }
    render(&page)
}

/// A supervisor's finding from the flags page (form: finding, note, hall, days).
async fn flag_finding(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<axum::response::Response, PageError> {
    let days = f.get("days").parse::<i64>().ok();
    let note = f.raw("note");
    match acknowledge_flag(&s, &caller, id, &f.get("finding"), &note).await {
        Ok(flag) => {
            let hall = s.store.hall(flag.hall_id).await?;
            Ok(axum::response::Redirect::to(&format!(
                "/feedback/flags?hall={}&days={}&ok=1#flag-{id}",
                hall.code,
                days.unwrap_or(30)
            ))
            .into_response())
        }
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            let flag = s.store.stored_flag(id).await?;
            let hall = s.store.hall(flag.hall_id).await?;
            let mut page = flags_build(&s, &caller, Some(&hall.code), days).await?;
            page.error = e.detail.clone();
            page.error_flag = id;
            page.error_note = note;
            crate::pages::respond(&page, e.status)
        }
        Err(e) => Err(e.into()),
    }
}
