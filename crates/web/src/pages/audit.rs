//! 防篡改记录 · the audit page: each chain's head (the pin a printed report carries), the
//! last verification with a button to verify now, and the newest records with who, when
//! and from where (the address masked). Supervisors and administrators see every chain; a
//! hall manager sees their own hall's.

use crate::AppState;
use crate::api::audit::{HeadView, RecordView, VerificationView, VerifyView, chain_name};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, Fields, SignedForm, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(page))
        .route("/audit/verify", post(verify_now))
}

struct Row {
    view: RecordView,
    hall: String,
    when: String,
    kind_label: &'static str,
}

#[derive(Template)]
#[template(path = "audit/page.html")]
struct AuditPage {
    chrome: Chrome,
    above_halls: bool,
    heads: Vec<HeadView>,
    last: Option<VerificationView>,
    last_when: String,
    outcome: Option<VerifyView>,
    rows: Vec<Row>,
    /// Whether the sealed batches of ticket events are listed (they outnumber the rest).
    show_sealed: bool,
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    sealed: Option<String>,
}

/// `system` in a record is the server itself (background steps, the command line).
fn person(actor: &str) -> String {
    if actor == "system" {
        "系统 system".into()
    } else {
        actor.to_string()
    }
}

fn place(origin: &str) -> String {
    if origin == "system" {
        "后台 background".into()
    } else {
        origin.to_string()
    }
}

/// What each kind of record is, for people.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "rating" => "评价 Rating",
        "rating.phone" => "手机评价 Phone rating",
        "case.event" => "工单事件 Case event",
        "observation" => "内查 Check",
        "inspection.submitted" => "现场检查 Inspection",
        "staff.added" => "新增人员 Staff added",
        "staff.changed" => "人员变更 Staff changed",
        "appointments.settings" => "预约规则 Booking rules",
        "events.sealed" => "封存叫号事件 Ticket events sealed",
        "rating.imported" => "外评 Imported rating",
        "feedback.import" => "外评导入 Ratings import",
        "scorecard.scheme" => "考核方案 Scorecard scheme",
        "scorecard.frozen" => "考核冻结 Score frozen",
        "scorecard.appeal" => "考核申诉 Appeal",
        "scorecard.appeal_evidence" => "申诉证据 Appeal evidence",
        "scorecard.adjustment" => "考核调整 Adjustment",
        "scorecard.appeal_rejected" => "申诉驳回 Appeal rejected",
        _ => "其他 Other",
    }
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| {
        t.with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    })
}

async fn build(
    s: &AppState,
    caller: &Caller,
    outcome: Option<VerifyView>,
    show_sealed: bool,
) -> Result<AuditPage, PageError> {
    caller.require_person()?;
    caller.require_any(Permission::ViewStats)?;
    let above_halls = caller.actor.hall_id.is_none();
    let halls = s.store.halls().await?;
    let heads: Vec<HeadView> = s
        .store
        .audit_heads(caller.actor.hall_id)
        .await?
        .iter()
        .filter(|h| {
            if above_halls {
                h.chain == 0 || caller.actor.in_hall(h.chain)
            } else {
                h.chain != 0
            }
        })
        .map(|h| HeadView::of(h, &halls))
        .collect();
    let records: Vec<_> = s
        .store
        .audit_records(caller.actor.hall_id, 500)
        .await?
        .into_iter()
        .filter(|r| r.chain == 0 || caller.actor.in_hall(r.chain))
        .filter(|r| show_sealed || r.kind != "events.sealed")
        .take(50)
        .collect();
    let rows = records
        .iter()
        .map(|r| Row {
            view: RecordView {
                actor: person(&r.actor),
                origin: place(&RecordView::from(r).origin),
                ..RecordView::from(r)
            },
            hall: chain_name(r.chain, &halls),
            when: when(r.at),
            kind_label: kind_label(&r.kind),
        })
        .collect();
    let last = s.store.last_audit_verification().await?;
    Ok(AuditPage {
        chrome: Chrome::staff("防篡改记录 Audit record", "/audit", Some(caller)),
        above_halls,
        last_when: last.as_ref().map(|v| when(v.at)).unwrap_or_default(),
        last: last.as_ref().map(VerificationView::from),
        heads,
        outcome,
        rows,
        show_sealed,
    })
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    render(&build(&s, &caller, None, q.sealed.is_some()).await?)
}

/// Verify now: supervisors and administrators above halls (the whole record is walked).
async fn verify_now(
    State(s): State<AppState>,
    SignedForm(caller, _): SignedForm<Fields>,
) -> Result<Response, PageError> {
    if caller.actor.hall_id.is_some() || !caller.actor.allows(Permission::ViewStats) {
        return Err(PageError(ApiError::forbidden(
            "校验由营业厅以上的督查或管理员发起 · verification is started by supervisors or administrators above halls",
        )));
    }
    let by = caller
        .staff
        .as_ref()
        .map_or_else(|| "web".to_string(), |p| p.username.clone());
    let report = s.store.verify_audit(&by, s.now()).await?;
    let halls = s.store.halls().await?;
    if report.first_break().is_none() {
        return Ok(Redirect::to("/audit#verification").into_response());
    }
    let page = build(&s, &caller, Some(VerifyView::of(&report, &halls)), false).await?;
    Ok(render(&page)?.into_response())
}
