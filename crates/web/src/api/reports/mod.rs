//! Monthly reports (月度报告): a hall's or a region's month as JSON, a print-ready A4 page
//! or an Excel workbook; generated and kept with a history (by hand here, at month end by
//! `schedule`); the kept ones downloaded as they were made. Hall managers see their hall,
//! supervisors their region and its halls, administrators all; clerks none.

pub mod build;
pub mod page;
pub mod schedule;
pub mod view;
pub mod workbook;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use build::Scope;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::Month;
use servicehall_domain::reports::file_name;
use servicehall_store::{NewReport, ReportScope, Store};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{MonthlyReportView, ReportMetaView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(access(
            Access::Perm(Permission::ViewStats),
            routes!(monthly, keep_monthly),
        ))
        .routes(access(Access::Any(Permission::ViewStats), routes!(history)))
        .routes(access(Access::Any(Permission::ViewStats), routes!(kept)))
}

#[derive(Deserialize, IntoParams, Default)]
pub struct MonthlyQuery {
    /// A hall's code (or id); or give `region`.
    pub hall: Option<String>,
    /// A region's code (staff above halls).
    pub region: Option<String>,
    /// YYYY-MM; default the month that ended last.
    pub month: Option<String>,
    /// json (default), html (the A4 page) or xlsx (the workbook).
    pub format: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
pub struct FormatQuery {
    /// xlsx (default) or html.
    pub format: Option<String>,
}

fn is_blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// The scope a caller asks for, with the caller's right to it checked first.
pub async fn scope_for(
    s: &AppState,
    caller: &Caller,
    hall: Option<&str>,
    region: Option<&str>,
) -> ApiResult<Scope> {
    let (hall, region) = (
        hall.map(str::trim).filter(|v| !v.is_empty()),
        region.map(str::trim).filter(|v| !v.is_empty()),
    );
    match (hall, region) {
        (Some(h), None) => {
            let hall = resolve_hall(s.store.as_ref(), h).await?;
            caller.require(Permission::ViewStats, hall.id)?;
            Ok(Scope::of_hall(hall))
        }
        (None, Some(r)) => {
            caller.require_any(Permission::ViewStats)?;
            if caller.actor.hall_id.is_some() {
                return Err(ApiError::forbidden(
                    "区域报告供营业厅以上的人员查看；请生成本厅报告 · region reports are for staff above halls; make your hall's report",
                ));
            }
            let scope = build::region_scope(s.store.as_ref(), r).await?;
            if !scope.halls.iter().all(|h| caller.actor.in_hall(h.id)) {
                return Err(ApiError::forbidden(
                    "该区域超出您的范围，请选择您的区域或其下级 · this region reaches beyond your scope; pick your own region or one below it",
                ));
            }
            Ok(scope)
        }
        _ => {
            caller.require_any(Permission::ViewStats)?;
            Err(ApiError::unprocessable(
                "请指定 hall=营业厅代码 或 region=区域代码（二选一） · give hall=CODE or region=CODE (one of them)",
            ))
        }
    }
}

fn month_of(q: Option<&str>, scope: &Scope, now: i64) -> ApiResult<Month> {
    match q.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Month::parse(m).map_err(ApiError::unprocessable),
        None => Ok(scope.last_month(now)),
    }
}

fn who(caller: &Caller) -> String {
    match (&caller.staff, &caller.device) {
        (Some(p), _) => p.username.clone(),
        (_, Some(d)) => d.name.clone(),
        _ => String::new(),
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("报告工作簿生成失败 · the report's workbook failed: {e}"),
    )
}

fn html_error(e: askama::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("报告页面生成失败 · the report's page failed: {e}"),
    )
}

/// The workbook's bytes and the page's HTML of a report.
pub fn render(v: &MonthlyReportView) -> ApiResult<(Vec<u8>, String)> {
    Ok((
        workbook::workbook(v).map_err(xlsx_error)?,
        page::html(v).map_err(html_error)?,
    ))
}

fn xlsx_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, crate::xlsx::CONTENT_TYPE.to_string()),
            (header::CONTENT_DISPOSITION, crate::xlsx::attachment(name)),
        ],
        bytes,
    )
        .into_response()
}

/// Which format was asked for, or 422 naming the choices.
fn format_of(q: Option<&str>, default: &'static str) -> ApiResult<&'static str> {
    match q
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or(default)
    {
        "json" => Ok("json"),
        "html" => Ok("html"),
        "xlsx" => Ok("xlsx"),
        other => Err(ApiError::unprocessable(format!(
            "格式只能是 json、html 或 xlsx · format must be json, html or xlsx (got {other:?})"
        ))),
    }
}

/// A hall's or a region's monthly report: summary (key indicators against their targets,
/// month on month), queue, cases and limits, feedback, site checks and rectification,
/// conformance and the audit head; as JSON, the A4 page (`format=html`) or the workbook
/// (`format=xlsx`, one sheet per section). Not kept: `POST` keeps one.
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "reports",
    params(MonthlyQuery),
    responses((status = 200, content(
            (MonthlyReportView = "application/json"),
            (String = "text/html"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn monthly(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<MonthlyQuery>,
) -> ApiResult<Response> {
    let scope = scope_for(&s, &caller, q.hall.as_deref(), q.region.as_deref()).await?;
    let month = month_of(q.month.as_deref(), &scope, s.now())?;
    let format = format_of(q.format.as_deref(), "json")?;
    let v = build::build(s.store.as_ref(), &scope, month, s.now(), &who(&caller)).await?;
    Ok(match format {
        "xlsx" => xlsx_response(
            &file_name(&scope.code, &v.month, "xlsx"),
            workbook::workbook(&v).map_err(xlsx_error)?,
        ),
        "html" => Html(page::html(&v).map_err(html_error)?).into_response(),
        _ => Json(v).into_response(),
    })
}

/// Makes a report and keeps it in the history: the workbook, the page, who and when, the
/// audit head it pins and the workbook's SHA-256.
pub async fn make_and_keep(
    store: &dyn Store,
    scope: &Scope,
    month: Month,
    now: i64,
    by: &str,
) -> ApiResult<ReportMetaView> {
    let v = build::build(store, scope, month, now, by).await?;
    let (xlsx, html) = render(&v)?;
    keep_rendered(store, scope, &v, xlsx, html, now, by).await
}

/// Keeps a report already built and rendered, so a caller that also writes it out renders
/// it once.
pub async fn keep_rendered(
    store: &dyn Store,
    scope: &Scope,
    v: &MonthlyReportView,
    xlsx: Vec<u8>,
    html: String,
    now: i64,
    by: &str,
) -> ApiResult<ReportMetaView> {
    let meta = store
        .keep_report(
            &NewReport {
                scope: scope.scope.clone(),
                scope_code: scope.code.clone(),
                scope_name: scope.name.clone(),
                month: v.month.clone(),
                generated_by: by.into(),
                audit_head: v.audit_head.clone(),
                xlsx,
                html,
            },
            now,
        )
        .await?;
    Ok(ReportMetaView::from(&meta))
}

/// Generates the month's report and keeps it in the history (201 with its history row).
#[utoipa::path(post, path = "/api/v1/reports/monthly", tag = "reports",
    params(MonthlyQuery),
    responses((status = 201, body = ReportMetaView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn keep_monthly(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<MonthlyQuery>,
) -> ApiResult<(StatusCode, Json<ReportMetaView>)> {
    let scope = scope_for(&s, &caller, q.hall.as_deref(), q.region.as_deref()).await?;
    let month = month_of(q.month.as_deref(), &scope, s.now())?;
    let meta = make_and_keep(s.store.as_ref(), &scope, month, s.now(), &who(&caller)).await?;
    Ok((StatusCode::CREATED, Json(meta)))
}

/// The report scopes a caller may read: their halls, and for staff above halls the regions
/// wholly within their scope.
pub async fn readable_scopes(s: &AppState, caller: &Caller) -> ApiResult<Vec<ReportScope>> {
    let halls = crate::scope::visible_halls(s, &caller.actor).await?;
    let mut out: Vec<ReportScope> = halls.iter().map(|h| ReportScope::hall(h.id)).collect();
    if caller.actor.hall_id.is_none() {
        let tree = s.store.region_tree().await?;
        for (_, r) in tree.in_order() {
            let ids = s.store.region_halls(r.id).await?;
            if ids.iter().all(|h| caller.actor.in_hall(*h)) {
                out.push(ReportScope::region(r.id));
            }
        }
    }
    Ok(out)
}

/// The kept reports the caller may read, newest month first (at most 200).
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    responses((status = 200, body = Vec<ReportMetaView>), (status = 403, body = crate::error::Problem)))]
pub async fn history(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ReportMetaView>>> {
    caller.require_any(Permission::ViewStats)?;
    let scopes = readable_scopes(&s, &caller).await?;
    let rows = s.store.reports(Some(&scopes), 200).await?;
    Ok(Json(rows.iter().map(ReportMetaView::from).collect()))
}

/// A kept report as it was made: the workbook (`format=xlsx`, default) or the page.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports",
    params(("id" = i64, Path, description = "the kept report's id"), FormatQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/html"))),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn kept(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> ApiResult<Response> {
    caller.require_any(Permission::ViewStats)?;
    let missing =
        || ApiError::not_found(format!("没有编号为 {id} 的已存报告 · no kept report {id}"));
    let r = s.store.report(id).await?.ok_or_else(missing)?;
    let scopes = readable_scopes(&s, &caller).await?;
    if !scopes.contains(&r.meta.scope) {
        return Err(ApiError::forbidden(
            "该报告不在您的范围内 · that report is outside your scope",
        ));
    }
    let format = if is_blank(&q.format) {
        "xlsx"
    } else {
        format_of(q.format.as_deref(), "xlsx")?
    };
    Ok(match format {
        "html" => Html(r.html).into_response(),
        "xlsx" => xlsx_response(
            &file_name(&r.meta.scope_code, &r.meta.month, "xlsx"),
            r.xlsx,
        ),
        _ => {
            return Err(ApiError::unprocessable(
                "已存报告只有 xlsx 或 html · a kept report is xlsx or html",
            ));
        }
    })
}
