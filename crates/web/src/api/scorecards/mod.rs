//! 考核 · 红黑榜: scorecards of a hall and of a clerk, the schemes a supervisor sets per
//! region and level (effective from the next month), the region's ranking, the month-end
//! freeze, and appeals decided into recorded adjustments. The scoring is the domain's
//! (`servicehall_domain::scorecards`); the read model is `compute.rs`.

pub mod compute;
pub mod counter;
pub mod evidence;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::assessment::{measure, region_halls};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::Month;
use servicehall_domain::scorecards::{Level, Scheme, default_scheme};
use servicehall_store::{AppealDecision, Hall, NewAppeal, NewScheme};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{
    AppealBody, AppealView, DecisionBody, FreezeView, RankingView, SchemeBody, SchemeVersionView,
    SchemesView, ScorecardView, level_zh, local, month_text,
};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(access(
            Access::Perm(Permission::ViewStats),
            routes!(hall_scorecard),
        ))
        .routes(access(Access::OwnScorecard, routes!(staff_scorecard)))
        .routes(access(Access::AboveHalls, routes!(schemes, set_scheme)))
        .routes(access(Access::AboveHalls, routes!(ranking)))
        .routes(access(Access::AboveHalls, routes!(freeze)))
        .routes(access(
            Access::Perm(Permission::ViewStats),
            routes!(appeals),
        ))
        .routes(access(
            Access::StaffPerm(Permission::Administer),
            routes!(file_appeal),
        ))
        .routes(access(Access::AboveHalls, routes!(decide)))
        .merge(evidence::routes())
        .merge(counter::routes())
}

#[derive(Deserialize, IntoParams)]
pub struct CardQuery {
    /// YYYY-MM; default the current month.
    pub month: Option<String>,
    /// hall (the only level of this route; a clerk's card is under /staff/{staff}).
    pub level: Option<String>,
}

/// The current month in the hall's zone (China Standard Time without a hall).
pub fn this_month(s: &AppState, hall: Option<&Hall>) -> ApiResult<Month> {
    measure::month_or_now(s, None, hall)
}

/// A hall's scorecard for a month: each line's value, target, band and points with a link
/// to its records, the deductions with their observations, the adjustments of a frozen
/// month and the hall's place in its region.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/scorecard", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id"), CardQuery),
    responses((status = 200, body = ScorecardView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn hall_scorecard(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<CardQuery>,
) -> ApiResult<Json<ScorecardView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    if let Some(l) = q.level.as_deref().filter(|l| !l.trim().is_empty()) {
        let level = Level::parse(l).map_err(ApiError::unprocessable)?;
        if level != Level::Hall {
            return Err(ApiError::unprocessable(
                "此处只有营业厅考核；员工考核请查 /api/v1/halls/{hall}/staff/{staff}/scorecard · this route scores the hall; a clerk's card is at /api/v1/halls/{hall}/staff/{staff}/scorecard",
            ));
        }
    }
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&hall))?;
    let tree = s.store.region_tree().await?;
    Ok(Json(compute::hall_card(&s, &tree, &hall, month).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct MonthQuery {
    /// YYYY-MM; default the current month.
    pub month: Option<String>,
}

/// Whether the caller may see this clerk's card: staff with the hall's figures, or the
/// clerk themself.
pub fn may_see_staff(caller: &Caller, hall: &Hall, staff_id: i64) -> ApiResult<()> {
    if caller.actor.may(Permission::ViewStats, hall.id) {
        return Ok(());
    }
    if caller.staff.as_ref().is_some_and(|p| p.id == staff_id)
        && caller.actor.may(Permission::OperateCounter, hall.id)
    {
        return Ok(());
    }
    Err(ApiError::forbidden(
        "您只能查看自己的考核 · you may see your own scorecard only",
    ))
}

/// A clerk's scorecard for a month, from their own calls, finishes, ratings and
/// observations. The clerk sees their own; the hall manager the hall's clerks.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/staff/{staff}/scorecard", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id"), ("staff" = i64, Path), MonthQuery),
    responses((status = 200, body = ScorecardView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn staff_scorecard(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, staff)): Path<(String, i64)>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<ScorecardView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    may_see_staff(&caller, &hall, staff)?;
    let person = s.store.staff(staff).await?;
    if person.hall_id != Some(hall.id) {
        return Err(ApiError::not_found(format!(
            "员工 {staff} 不属于 {} · staff {staff} does not work at {}",
            hall.name, hall.code
        )));
    }
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&hall))?;
    let tree = s.store.region_tree().await?;
    Ok(Json(
        compute::personal_card(&s, &tree, &hall, &person, month).await?,
    ))
}

/// Staff above halls, within their own region: the region's halls, and its path.
pub async fn supervised_region(s: &AppState, caller: &Caller, id: i64) -> ApiResult<Vec<Hall>> {
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(ApiError::forbidden(
            "考核方案、排名与冻结由督查管理 · schemes, rankings and freezes are kept by supervisors",
        ));
    }
    // A region reaching beyond the caller's halls is refused there (403).
    let (halls, _) = region_halls(s, caller, id).await?;
    Ok(halls)
}

/// A region's scheme for a level: the one in force this month, the one set for next month
/// and every kept version. Every indicator of the library is listed.
#[utoipa::path(get, path = "/api/v1/regions/{id}/scorecard-schemes/{level}", tag = "scorecards",
    params(("id" = i64, Path, description = "region id"), ("level" = String, Path, description = "clerk, counter, hall, city or province")),
    responses((status = 200, body = SchemesView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn schemes(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, level)): Path<(i64, String)>,
) -> ApiResult<Json<SchemesView>> {
    let halls = supervised_region(&s, &caller, id).await?;
    let level = Level::parse(&level).map_err(ApiError::unprocessable)?;
    Ok(Json(schemes_view(&s, id, level, halls.first()).await?))
}

/// The schemes of a region and level as the editor shows them.
pub async fn schemes_view(
    s: &AppState,
    id: i64,
    level: Level,
    hall: Option<&Hall>,
) -> ApiResult<SchemesView> {
    let tree = s.store.region_tree().await?;
    let now = this_month(s, hall)?;
    let (this, next) = (compute::yyyymm(now), compute::yyyymm(now.back(-1)));
    let current = compute::scheme_for(s, &tree, Some(id), level, this).await?;
    let pending = compute::scheme_for(s, &tree, Some(id), level, next).await?;
    let versions = s.store.scorecard_schemes(id, level.as_str()).await?;
    let mut shown = Vec::new();
    for v in &versions {
        if let Ok(sc) = serde_json::from_str::<Scheme>(&v.scheme) {
            shown.push(SchemeVersionView::new(
                &sc,
                Some(v.effective_month),
                Some(v.set_at),
                v.set_by,
            ));
        }
    }
    Ok(SchemesView {
        region_id: id,
        level: level.as_str().into(),
        level_zh: level_zh(level),
        month: now.to_string(),
        next_month: now.back(-1).to_string(),
        current: SchemeVersionView::new(
            &with_library(current.scheme.clone(), level),
            current.from,
            current.set_at,
            current.set_by,
        ),
        next: (pending.from == Some(next)).then(|| {
            SchemeVersionView::new(
                &with_library(pending.scheme.clone(), level),
                pending.from,
                pending.set_at,
                pending.set_by,
            )
        }),
        versions: shown,
    })
}

/// The scheme with every library indicator listed (new ones at weight 0).
fn with_library(mut s: Scheme, level: Level) -> Scheme {
    for l in default_scheme(level).lines {
        if !s.lines.iter().any(|x| x.indicator == l.indicator) {
            s.lines
                .push(servicehall_domain::scorecards::SchemeLine { weight: 0, ..l });
        }
    }
    s
}

/// Sets a region's scheme for a level. It takes effect from the next month; the months
/// already scored keep theirs. Weights must sum to 100. Audited.
#[utoipa::path(put, path = "/api/v1/regions/{id}/scorecard-schemes/{level}", tag = "scorecards",
    params(("id" = i64, Path, description = "region id"), ("level" = String, Path)),
    request_body = SchemeBody,
    responses((status = 200, body = SchemesView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn set_scheme(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, level)): Path<(i64, String)>,
    JsonBody(b): JsonBody<SchemeBody>,
) -> ApiResult<Json<SchemesView>> {
    caller.require_person()?;
    let halls = supervised_region(&s, &caller, id).await?;
    let level = Level::parse(&level).map_err(ApiError::unprocessable)?;
    let scheme: Scheme = b.into();
    scheme
        .check(level)
        .map_err(|e| ApiError::unprocessable(e.0))?;
    let next = this_month(&s, halls.first())?.back(-1);
    let summary = scheme
        .lines
        .iter()
        .filter(|l| l.weight > 0)
        .map(|l| format!("{} {}", l.indicator, l.weight))
        .collect::<Vec<_>>()
        .join(", ");
    let json = serde_json::to_string(&scheme).map_err(|e| {
        ApiError::unprocessable(format!("方案无法保存 · the scheme cannot be kept: {e}"))
    })?;
    s.store
        .set_scorecard_scheme(
            NewScheme {
                region_id: id,
                level: level.as_str().into(),
                effective_month: compute::yyyymm(next),
                scheme: json,
                set_by: caller.staff.as_ref().map(|p| p.id),
                summary: format!(
                    "{summary}; 每项违规扣 {} 分，上限 {} · {} per violation, cap {}",
                    scheme.deduction_per_violation,
                    scheme.deduction_cap,
                    scheme.deduction_per_violation,
                    scheme.deduction_cap
                ),
            },
            s.now(),
        )
        .await?;
    Ok(Json(schemes_view(&s, id, level, halls.first()).await?))
}

/// The region's halls ranked by their month's total (红榜 at the top, 黑榜 at the bottom)
/// with the change since the month before, and the region's own card from summed counts.
#[utoipa::path(get, path = "/api/v1/regions/{id}/ranking", tag = "scorecards",
    params(("id" = i64, Path, description = "region id"), MonthQuery),
    responses((status = 200, body = RankingView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn ranking(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<RankingView>> {
    let halls = supervised_region(&s, &caller, id).await?;
    let month = measure::month_or_now(&s, q.month.as_deref(), halls.first())?;
    let tree = s.store.region_tree().await?;
    Ok(Json(compute::ranking(&s, &tree, id, month, true).await?))
}

/// Freezes a region's ended month: every hall's score is kept as it stands and no longer
/// recomputed; it changes after that only through an appeal's adjustment. Audited.
#[utoipa::path(post, path = "/api/v1/regions/{id}/months/{month}/freeze", tag = "scorecards",
    params(("id" = i64, Path, description = "region id"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 201, body = FreezeView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn freeze(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, month)): Path<(i64, String)>,
) -> ApiResult<(StatusCode, Json<FreezeView>)> {
    caller.require_person()?;
    let halls = supervised_region(&s, &caller, id).await?;
    let m = Month::parse(&month).map_err(ApiError::unprocessable)?;
    let today = this_month(&s, halls.first())?;
    let tree = s.store.region_tree().await?;
    let by = caller.staff.as_ref().map(|p| p.id);
    let f = compute::freeze(&s, &tree, id, &halls, m, by, today).await?;
    Ok((
        StatusCode::CREATED,
        Json(FreezeView {
            region_id: id,
            month: month_text(f.month),
            frozen_at: local(f.frozen_at),
            halls: halls.len(),
        }),
    ))
}

/// The hall's appeals, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/appeals", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<AppealView>), (status = 403, body = crate::error::Problem)))]
pub async fn appeals(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<AppealView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let rows = s.store.appeals(&[hall.id]).await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let files = s.store.appeal_files(&ids).await?;
    Ok(Json(
        rows.iter()
            .map(|a| {
                let mut v = AppealView::from(a);
                v.files = files
                    .iter()
                    .filter(|f| f.appeal_id == a.id)
                    .map(|f| view::AppealFileView::new(&hall.code, f))
                    .collect();
                v
            })
            .collect(),
    ))
}

pub const MAX_TEXT: usize = 1000;

/// Trimmed text within bounds, or 422 naming the field.
pub fn text(v: &str, zh: &str, en: &str, required: bool) -> ApiResult<String> {
    let t = v.trim().to_string();
    if required && t.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "请填写{zh} · {en} is required"
        )));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(ApiError::unprocessable(format!(
            "{zh}最多 {MAX_TEXT} 字 · {en} is limited to {MAX_TEXT} characters"
        )));
    }
    Ok(t)
}

/// A hall manager appeals a frozen month's score, with the reason and what backs it.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appeals", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = AppealBody,
    responses((status = 201, body = AppealView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn file_appeal(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<AppealBody>,
) -> ApiResult<(StatusCode, Json<AppealView>)> {
    caller.require_person()?;
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let m = Month::parse(&b.month).map_err(ApiError::unprocessable)?;
    let a = s
        .store
        .file_appeal(
            NewAppeal {
                hall_id: hall.id,
                month: compute::yyyymm(m),
                reason: text(&b.reason, "申诉理由", "the reason", true)?,
                evidence: text(&b.evidence, "证据", "the evidence", false)?,
                filed_by: caller.staff.as_ref().map(|p| p.id),
            },
            s.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(AppealView::from(&a))))
}

/// The supervisor decides an appeal: accepted with an adjustment of N points (recorded as
/// its own row; the frozen score stays as it was), or rejected. Audited.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/decide", tag = "scorecards",
    params(("id" = i64, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = AppealView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn decide(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> ApiResult<Json<AppealView>> {
    caller.require_person()?;
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(ApiError::forbidden(
            "申诉由督查裁定 · appeals are decided by supervisors",
        ));
    }
    let a = s.store.appeal(id).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "没有第 {id} 号申诉，请从申诉列表中选择 · no appeal {id}; pick one from the list"
        ))
    })?;
    if !caller.actor.in_hall(a.hall_id) {
        return Err(ApiError::forbidden(
            "该申诉的营业厅不在您的范围内 · this appeal's hall is outside your scope",
        ));
    }
    let reason = text(&b.reason, "裁定理由", "the reason", true)?;
    let points_tenths = if b.accept {
        let p = b.points.unwrap_or(0.0);
        if !p.is_finite() || p == 0.0 || p.abs() > 100.0 {
            return Err(ApiError::unprocessable(
                "采纳申诉须写明调整分数（不为 0，最多 ±100 分）· an accepted appeal needs the points to adjust by (not 0, at most ±100)",
            ));
        }
        servicehall_domain::scorecards::tenths(p)
    } else {
        0
    };
    let row = s
        .store
        .decide_appeal(
            AppealDecision {
                id,
                accept: b.accept,
                points_tenths,
                reason,
                decided_by: caller.staff.as_ref().map(|p| p.id),
            },
            s.now(),
        )
        .await?;
    Ok(Json(AppealView::from(&row)))
}
