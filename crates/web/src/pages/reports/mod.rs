//! 月度报告 · `/reports`: the kept monthly reports of the caller's halls and regions (newest
//! month first, with who made them, the audit head they pin and the workbook's SHA-256), and
//! a form to view, download or generate-and-keep a month's report. Hall managers see their
//! hall; supervisors their region and its halls; administrators all.

use crate::AppState;
use crate::api::reports::{self, build::Scope, view::ReportMetaView};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::signed_form::SignedForm;
use crate::pages::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::Month;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list))
        .route("/reports/open", post(open))
        .route("/reports/keep", post(keep))
}

#[derive(serde::Deserialize, Default)]
struct PickQuery {
    /// `hall:CODE` or `region:CODE`
    scope: Option<String>,
    month: Option<String>,
    /// html or xlsx
    format: Option<String>,
    /// The history row just kept (a notice on the page).
    kept: Option<i64>,
}

struct ScopeOption {
    value: String,
    label: String,
}

struct Row {
    r: ReportMetaView,
    generated: String,
    scope_zh: &'static str,
}

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    chrome: Chrome,
    scopes: Vec<ScopeOption>,
    month: String,
    rows: Vec<Row>,
    kept: Option<ReportMetaView>,
}

fn local(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The scopes the caller may report on, as `hall:CODE` / `region:CODE`.
async fn scopes(s: &AppState, caller: &Caller) -> Result<Vec<ScopeOption>, ApiError> {
    let mut out = Vec::new();
    if caller.actor.hall_id.is_none() {
        let tree = s.store.region_tree().await?;
        for (depth, r) in tree.in_order() {
            let ids = s.store.region_halls(r.id).await?;
            if !ids.is_empty() && ids.iter().all(|h| caller.actor.in_hall(*h)) {
                out.push(ScopeOption {
                    value: format!("region:{}", r.code),
                    label: format!("{}{} 区域 Region", "　".repeat(depth), r.name_zh),
                });
            }
        }
    }
    for h in crate::scope::visible_halls(s, &caller.actor).await? {
        out.push(ScopeOption {
            value: format!("hall:{}", h.code),
            label: format!("{} {}", h.code, h.name),
        });
    }
    Ok(out)
}

fn gate(caller: Result<Caller, ApiError>) -> Result<Caller, PageError> {
    let caller = caller?;
    caller.require_any(Permission::ViewStats)?;
    caller.require_person()?;
    Ok(caller)
}

async fn list(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PickQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = gate(caller)?;
    let readable = reports::readable_scopes(&s, &caller).await?;
    let rows = s.store.reports(Some(&readable), 200).await?;
    let month = Month::of(servicehall_domain::time::service_day(
        s.now(),
        chrono_tz::Asia::Shanghai,
    ))
    .back(1);
    let rows: Vec<Row> = rows
        .iter()
        .map(|m| Row {
            r: ReportMetaView::from(m),
            generated: local(m.generated_at),
            scope_zh: if m.scope.kind == "hall" {
                "营业厅"
            } else {
                "区域"
            },
        })
        .collect();
    let kept = q
        .kept
        .and_then(|id| rows.iter().find(|r| r.r.id == id).map(|r| r.r.clone()));
    render(&ListPage {
        chrome: Chrome::staff("月度报告 Monthly reports", "/reports", Some(&caller)),
        scopes: scopes(&s, &caller).await?,
        month: month.to_string(),
        rows,
        kept,
    })
}

fn split(scope: Option<&str>) -> Result<(Option<String>, Option<String>), PageError> {
    let v = scope.unwrap_or_default().trim();
    match v.split_once(':') {
        Some(("hall", c)) => Ok((Some(c.to_string()), None)),
        Some(("region", c)) => Ok((None, Some(c.to_string()))),
        _ => Err(PageError(ApiError::bad_request(format!(
            "请从列表中选择营业厅或区域（收到 {v:?}） · pick a hall or a region from the list (got {v:?})"
        )))),
    }
}

/// The form's view and download buttons: to the report's route with the scope spelled out.
async fn open(
    State(s): State<AppState>,
    SignedForm(caller, q): SignedForm<PickQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = gate(Ok(caller))?;
    let (hall, region) = split(q.scope.as_deref())?;
    // Checked here too, so a refusal is a page rather than JSON.
    reports::scope_for(&s, &caller, hall.as_deref(), region.as_deref()).await?;
    let format = match q.format.as_deref() {
        Some("xlsx") => "xlsx",
        _ => "html",
    };
    let month = q.month.unwrap_or_default();
    let which = match (&hall, &region) {
        (Some(h), _) => format!("hall={h}"),
        (_, Some(r)) => format!("region={r}"),
        _ => String::new(),
    };
    Ok(Redirect::to(&format!(
        "/api/v1/reports/monthly?{which}&month={}&format={format}",
        month.trim()
    )))
}

#[derive(serde::Deserialize)]
struct KeepForm {
    scope: String,
    month: String,
}

async fn keep(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<KeepForm>,
) -> Result<impl IntoResponse, PageError> {
    let caller = gate(Ok(caller))?;
    let (hall, region) = split(Some(&f.scope))?;
    let scope: Scope = reports::scope_for(&s, &caller, hall.as_deref(), region.as_deref()).await?;
    let month = Month::parse(&f.month).map_err(|e| PageError(ApiError::bad_request(e)))?;
    let by = caller
        .staff
        .as_ref()
        .map(|p| p.username.clone())
        .unwrap_or_default();
    let meta = reports::make_and_keep(s.store.as_ref(), &scope, month, s.now(), &by).await?;
    Ok(Redirect::to(&format!("/reports?kept={}", meta.id)))
}
