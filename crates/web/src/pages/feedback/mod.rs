//! Feedback screens: the customer's phone rating page (一事一评, `/t/{code}/rate`, no login),
//! the import screen for external evaluations (外评) and the service-recovery list (服务补救,
//! the hall manager's call-backs); the anti-gaming flags (`gaming`) and the settings
//! (`settings`) are sub-parts. Data comes from the same store calls as the JSON API.

mod gaming;
mod settings;

use crate::AppState;
use crate::api::feedback::{DaysQuery, period_at, rating_state_of, sees_phone};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
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
        .route("/feedback/recovery", get(recovery_page))
        .merge(gaming::routes())
        .merge(settings::routes())
}

#[derive(Template)]
#[template(path = "feedback/rate.html")]
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
#[template(path = "feedback/import.html")]
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
#[template(path = "feedback/recovery.html")]
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
