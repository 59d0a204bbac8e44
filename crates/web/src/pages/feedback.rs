//! Feedback screens: the customer's phone rating page (一事一评, `/t/{code}/rate`, no login),
//! the import screen for external evaluations (外评), the anti-gaming flags with their
//! evidence (supervisors) and the service-recovery list (服务补救, the hall manager's
//! call-backs). Data comes from the same store calls as the JSON API.

use super::admin::Fields;
use super::{Chrome, SignedForm, hall_for, json_for_script, render};
use crate::AppState;
use crate::api::feedback::{
    DaysQuery, FlagView, acknowledge_flag, flags_at, period_at, rating_state_of, sees_phone,
};
use crate::auth::Caller;
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::mask;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::insight::touchpoint::TOUCHPOINTS;
use servicehall_domain::queue::rating::BAD_REASONS;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::ImportReport;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{code}/rate", get(rate_page))
        .route("/feedback/import", get(import_page))
        .route("/feedback/flags", get(flags_page))
        .route(
            "/feedback/flags/{id}/finding",
            axum::routing::post(flag_finding),
        )
        .route("/feedback/recovery", get(recovery_page))
}

#[derive(Template)]
#[template(path = "feedback_rate.html")]
struct RatePage {
    chrome: Chrome,
    data: String,
    hall: String,
    number: String,
    business_type: String,
    business_type_en: String,
}

/// 一事一评 on the phone: the visit overall and each touchpoint, once, without an account.
async fn rate_page(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let state = rating_state_of(&s, &code).await?;
    let t = s.store.ticket_by_code(&code).await?;
    let hall = s.store.hall(t.hall_id).await?;
    let bt = s.store.business_type(t.business_type_id).await?;
    let settings = s.store.feedback_settings(hall.id).await?;
    // Payment read-back only matters for payment visits; the rest the customer lived.
    let touchpoints: Vec<_> = TOUCHPOINTS
        .iter()
        .filter(|tp| tp.id != "follow_up" && (bt.is_payment || tp.id != "payment"))
        .map(|tp| serde_json::json!({"id": tp.id, "zh": tp.zh, "en": tp.en}))
        .collect();
    let reasons: Vec<_> = BAD_REASONS
        .iter()
        .map(|(c, zh, en)| serde_json::json!({"code": c, "zh": zh, "en": en}))
        .collect();
    let data = serde_json::json!({
        "code": code,
        "state": state,
        "touchpoints": touchpoints,
        "reasons": reasons,
        "callback_days": settings.callback_working_days,
        "timezone": hall.timezone,
    });
    render(&RatePage {
        chrome: Chrome::bare("服务评价 Rate your visit", "", "follow rate-page"),
        data: json_for_script(&data),
        hall: hall.name,
        number: t.number,
        business_type: bt.name_zh,
        business_type_en: bt.name_en,
    })
}

#[derive(Template)]
#[template(path = "feedback_import.html")]
struct ImportPage {
    chrome: Chrome,
    reports: Vec<ReportRow>,
    columns: Vec<(&'static str, &'static str, bool)>,
}

struct ReportRow {
    at: String,
    source: &'static str,
    report: ImportReport,
}

/// 外评 import: upload a CSV, see its report; the latest reports below.
async fn import_page(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<impl IntoResponse, PageError> {
    caller.require_any(Permission::ReviewFeedback)?;
    let tz = chrono_tz::Asia::Shanghai;
    let reports = crate::api::feedback::import_reports_for(&s, &caller, 20)
        .await?
        .into_iter()
        .map(|r| ReportRow {
            at: local(r.at, tz).format("%Y-%m-%d %H:%M").to_string(),
            source: r.source.label_zh(),
            report: r,
        })
        .collect();
    render(&ImportPage {
        chrome: Chrome::staff(
            "外评导入 External evaluations",
            "/feedback/import",
            Some(&caller),
        ),
        reports,
        columns: servicehall_domain::feedback::import::COLUMNS.to_vec(),
    })
}

#[derive(serde::Deserialize, Default)]
struct PeriodPage {
    hall: Option<String>,
    days: Option<i64>,
}

#[derive(Template)]
#[template(path = "feedback_flags.html")]
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
            super::admin::respond(&page, e.status)
        }
        Err(e) => Err(e.into()),
    }
}

struct RecoveryRow {
    case_id: i64,
    case_number: String,
    at: String,
    channel: &'static str,
    level: String,
    reasons: String,
    real_name: bool,
    phone: String,
    callback: bool,
    closed: bool,
    overdue: bool,
    deadline: String,
}

#[derive(Template)]
#[template(path = "feedback_recovery.html")]
struct RecoveryPage {
    chrome: Chrome,
    hall_name: String,
    days: i64,
    rows: Vec<RecoveryRow>,
    real_name: usize,
    called_back: usize,
    missing: usize,
    open: usize,
    settings: FeedbackSettings,
}

/// 服务补救: every bad rating of the period and its case; real-name ones without a
/// call-back are listed as missing.
async fn recovery_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PeriodPage>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    crate::api::require_read_cases(&caller, hall.id)?;
    let dq = DaysQuery { days: q.days };
    let (from, to) = period_at(&dq, s.now())?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let items = s.store.recovery_items(hall.id, from, to, s.now()).await?;
    let full = sees_phone(&caller);
    let real_name = items.iter().filter(|i| i.real_name).count();
    let called_back = items
        .iter()
        .filter(|i| i.real_name && i.callback_recorded)
        .count();
    let open = items.iter().filter(|i| !i.closed).count();
    let rows = items
        .into_iter()
        .map(|i| RecoveryRow {
            case_id: i.case_id,
            case_number: i.case_number,
            at: local(i.at, tz).format("%m-%d %H:%M").to_string(),
            channel: i.channel.label_zh(),
            level: servicehall_domain::RatingLevel::new(i.level)
                .map(|l| l.label_zh().to_string())
                .unwrap_or_default(),
            reasons: servicehall_domain::feedback::recovery::reasons_zh(&i.reasons),
            real_name: i.real_name,
            phone: if full {
                i.customer_phone
            } else {
                mask::phone(&i.customer_phone)
            },
            callback: i.callback_recorded,
            closed: i.closed,
            overdue: i.overdue,
            deadline: i
                .next_deadline
                .map(|d| local(d, tz).format("%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        })
        .collect();
    render(&RecoveryPage {
        chrome: Chrome::staff("服务补救 Recovery", "/feedback/recovery", Some(&caller)),
        hall_name: hall.name,
        days: q.days.unwrap_or(30),
        rows,
        real_name,
        called_back,
        missing: real_name - called_back,
        open,
        settings: s.store.feedback_settings(hall.id).await?,
    })
}
