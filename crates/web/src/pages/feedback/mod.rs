//! Feedback screens: the customer's phone rating page (一事一评, `/t/{code}/rate`, no login),
//! the import screen for external evaluations (外评) and the service-recovery list (服务补救,
//! the hall manager's call-backs); the anti-gaming flags (`gaming`) and the settings
//! (`settings`) are sub-parts. Data comes from the same store calls as the JSON API.

mod gaming;
mod ratings;
mod settings;

use crate::AppState;
use crate::api::feedback::{rating_state_of, sees_phone};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::mask;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::insight::touchpoint::TOUCHPOINTS;
use servicehall_domain::queue::rating::BAD_REASONS;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{CaseState, ImportReport, RecoveryFilter};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{code}/rate", get(rate_page))
        .route("/feedback/import", get(import_page))
        .route("/feedback/recovery", get(recovery_page))
        .merge(gaming::routes())
        .merge(ratings::routes())
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

#[derive(Template)]
#[template(path = "feedback/recovery.html")]
struct RecoveryPage {
    chrome: Chrome,
    list: List,
    from: String,
    to: String,
    bad: usize,
    real_name: usize,
    called_back: usize,
    missing: usize,
    open: usize,
    settings: FeedbackSettings,
}

const RECOVERY_COLUMNS: &[Column] = &[
    col("时间", "When"),
    col("渠道", "Channel"),
    col("评价", "Level"),
    col("原因", "Reasons"),
    col("客户电话", "Phone"),
    col("回访", "Call-back"),
    col("工单", "Case"),
    col("状态", "State"),
    col("下一时限", "Next deadline"),
];

/// The choices of a channel (`kind`) filter.
pub(super) fn channel_options(channels: &[Channel]) -> Vec<(String, String)> {
    channels
        .iter()
        .map(|c| (c.as_str().to_string(), c.label_zh().to_string()))
        .collect()
}

/// 服务补救: the bad ratings of the period and their cases, filtered and paged; real-name
/// ones without a call-back are marked missing. The figures above count the whole period.
async fn recovery_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<axum::response::Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    crate::api::require_read_cases(&caller, hall.id)?;
    let req = q.request()?;
    let period = listing::period(std::slice::from_ref(&hall), &q, s.now())?;
    let (from, to) = (period.scope.from, period.scope.to);
    let state = q.choice(&q.state, "state", &["open", "closed", "overdue"])?;
    let kind = q.choice(&q.kind, "kind", &["pad", "phone", "external"])?;
    let level = q.score()?;
    if level.is_some_and(|l| l > 2) {
        return Err(ApiError::bad_request(
            "服务补救只有差评：score 须为 1 或 2 · recovery lists bad ratings only: score must be 1 or 2",
        )
        .into());
    }
    let filter = RecoveryFilter {
        from,
        to,
        state: state.as_deref().and_then(CaseState::parse),
        channel: kind.as_deref().and_then(Channel::parse),
        level,
    };
    let now = s.now();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let page = s
        .store
        .recovery_page(hall.id, &filter, req.window(), now)
        .await?;
    let full = sees_phone(&caller);
    let rows = page
        .items
        .into_iter()
        .map(|i| {
            let phone = if !i.real_name {
                Value::text("匿名 anonymous").class("muted")
            } else if full {
                Value::text(i.customer_phone)
            } else {
                Value::text(mask::phone(&i.customer_phone))
            };
            let callback = if i.callback_recorded {
                Value::text("已回访 done").class("ok")
            } else if i.real_name {
                Value::text("未回访 missing").class("miss")
            } else {
                Value::text("无需（匿名） n/a").class("muted")
            };
            let state = if i.closed {
                Value::text("已办结 closed").class("pill closed")
            } else if i.overdue {
                Value::text("超期 overdue").class("pill alert")
            } else {
                Value::text("办理中 open").class("pill")
            };
            Row {
                id: String::new(),
                action: String::new(),
                class: if i.real_name && !i.callback_recorded {
                    "missing"
                } else {
                    ""
                },
                cells: vec![
                    Value::text(listing::when(i.at, tz)),
                    Value::text(i.channel.label_zh()),
                    Value::text(
                        servicehall_domain::RatingLevel::new(i.level)
                            .map(|l| l.label_zh().to_string())
                            .unwrap_or_default(),
                    ),
                    Value::text(servicehall_domain::feedback::recovery::reasons_zh(
                        &i.reasons,
                    )),
                    phone,
                    callback,
                    Value::link(i.case_number, format!("/cases/{}", i.case_id)),
                    state,
                    Value::text(
                        i.next_deadline
                            .map(|d| listing::when(d, tz))
                            .unwrap_or_default(),
                    ),
                ],
            }
        })
        .collect();
    let list = List {
        path: "/feedback/recovery",
        title_zh: "服务补救",
        title_en: "Service recovery",
        table_id: "recovery-table",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice("state", "状态", "State", state, state_options()),
            Filter::choice(
                "kind",
                "渠道",
                "Channel",
                kind,
                channel_options(&[Channel::Pad, Channel::Phone, Channel::External]),
            ),
            Filter::choice(
                "score",
                "评价",
                "Level",
                level.map(|l| l.to_string()),
                level_options(&[1, 2]),
            ),
        ],
        columns: RECOVERY_COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的差评 · No bad ratings match these filters.",
    };
    let generated = listing::when(now, tz);
    if req.format != Format::Html {
        return listing::export(&list, req.format, &generated);
    }
    // The figures count the whole period, whatever the filters.
    let items = s.store.recovery_items(hall.id, from, to, now).await?;
    let real_name = items.iter().filter(|i| i.real_name).count();
    let called_back = items
        .iter()
        .filter(|i| i.real_name && i.callback_recorded)
        .count();
    let page = RecoveryPage {
        chrome: Chrome::staff("服务补救 Recovery", "/feedback/recovery", Some(&caller)),
        from: period.from,
        to: period.to,
        bad: items.len(),
        real_name,
        called_back,
        missing: real_name - called_back,
        open: items.iter().filter(|i| !i.closed).count(),
        settings: s.store.feedback_settings(hall.id).await?,
        list,
    };
    Ok(crate::pages::render(&page)?.into_response())
}

/// The choices of a case-state filter.
pub(crate) fn state_options() -> Vec<(String, String)> {
    [
        ("open", "未办结 Open"),
        ("closed", "已办结 Closed"),
        ("overdue", "已超期 Overdue"),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .collect()
}

/// The choices of a rating-level filter.
pub(super) fn level_options(levels: &[i64]) -> Vec<(String, String)> {
    levels
        .iter()
        .filter_map(|l| {
            servicehall_domain::RatingLevel::new(*l)
                .ok()
                .map(|r| (l.to_string(), format!("{} {}", r.label_zh(), r.label_en())))
        })
        .collect()
}
