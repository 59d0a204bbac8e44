//! 服务风险 · the risk register and its key risk indicators. Hall managers keep their hall's
//! register, supervisors their region's, administrators all (`ManageRisks`); clerks, guides
//! and devices none. KRIs are counted by a background pass (`scan.rs`) and on demand.

pub mod matrix;
pub mod region;
pub mod region_matrix;
pub mod scan;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::risks::kri::{Direction, Measure, Thresholds};
use servicehall_domain::risks::{Category, Control, Matrix, Rating, Treatment};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{Hall, KriInput, Risk, RiskActor, RiskInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{KriBody, KriView, NoticeView, RefreshView, RiskBody, RiskView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::ManageRisks;
    OpenApiRouter::new()
        .routes(access(StaffPerm(ManageRisks), routes!(list, create)))
        .routes(access(StaffPerm(ManageRisks), routes!(show, update)))
        .routes(access(StaffPerm(ManageRisks), routes!(kris, save_kri)))
        .routes(access(StaffPerm(ManageRisks), routes!(refresh)))
        .routes(access(StaffPerm(ManageRisks), routes!(matrix::show_matrix)))
        .routes(access(Access::RiskMatrixEdit, routes!(matrix::set_matrix)))
        .routes(access(Access::RegionRiskRead, routes!(region::list)))
        .routes(access(Access::RegionRiskEdit, routes!(region::create)))
        .routes(access(Access::RegionRiskRead, routes!(region::rollup)))
        .routes(access(
            Access::RegionRiskRead,
            routes!(region_matrix::show_region_matrix),
        ))
        .routes(access(
            Access::RegionRiskEdit,
            routes!(region_matrix::set_region_matrix),
        ))
}

/// Days of history a KRI carries in its view (its chart).
pub const KRI_DAYS: u32 = 30;

/// The person changing the register (an acceptance is signed by them).
fn actor(caller: &Caller) -> ApiResult<RiskActor> {
    match caller.actor.kind {
        ActorKind::Person(role) => Ok(RiskActor {
            staff_id: caller.actor.staff_id,
            role,
        }),
        ActorKind::Device(_) => Err(ApiError::forbidden(
            "风险登记须由本人操作 · the risk register is kept by a person",
        )),
    }
}

/// The hall-local day of now.
pub fn today(s: &AppState, hall: &Hall) -> NaiveDate {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    service_day(s.now(), tz)
}

fn date(s: &str, what: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(format!(
            "{what}日期须为 YYYY-MM-DD · {what} must be a date YYYY-MM-DD, got {s:?}"
        ))
    })
}

fn rating(r: &view::RatingBody) -> Rating {
    Rating {
        likelihood: r.likelihood,
        impact: r.impact,
    }
}

/// The body as the store's input, naming the field that does not read.
pub fn input(b: &RiskBody) -> ApiResult<RiskInput> {
    let category = Category::parse(&b.category).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "没有这个风险类别 · unknown category {:?}; one of {}",
            b.category,
            Category::ALL.map(|c| c.as_str()).join(", ")
        ))
    })?;
    let treatment = Treatment::parse(&b.treatment).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "应对方式须为降低、规避、转移或接受 · treatment must be reduce, avoid, transfer or accept, got {:?}",
            b.treatment
        ))
    })?;
    let mut controls = Vec::new();
    for c in &b.controls {
        controls.push(Control {
            text: c.text.trim().into(),
            owner: c.owner.trim().into(),
            last_tested: match c.last_tested.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(date(d, "控制测试 control test ")?),
            },
            test_every_days: c.test_every_days.unwrap_or(90).clamp(1, 730),
        });
    }
    let accept_until = match b.accept_until.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(date(d, "接受有效期 acceptance ")?),
    };
    Ok(RiskInput {
        code: b.code.clone(),
        title: b.title.clone(),
        category,
        cause: b.cause.clone(),
        event: b.event.clone(),
        consequence: b.consequence.clone(),
        owner_id: b.owner,
        inherent: rating(&b.inherent),
        residual: rating(&b.residual),
        controls,
        treatment,
        accept_until,
        reviewed: b.reviewed,
        sample: false,
    })
}

/// A risk the caller may read (`edit`: keep), with the matrix it scores on and its
/// register's today. A region risk: see `region::region_scope`.
async fn visible(
    s: &AppState,
    caller: &Caller,
    id: i64,
    edit: bool,
) -> ApiResult<(Risk, Matrix, NaiveDate)> {
    let r = s.store.get(id).await?;
    match (r.hall_id, r.region_id) {
        (Some(h), _) => {
            caller.require(Permission::ManageRisks, h)?;
            actor(caller)?;
            let hall = s.store.hall(h).await?;
            let m = s.store.risk_matrix(h).await?;
            let day = today(s, &hall);
            Ok((r, m, day))
        }
        (None, Some(region)) => {
            let key = region.to_string();
            if edit {
                region::region_to_edit(s, caller, &key).await?;
            } else {
                region::region_scope(s, caller, &key).await?;
            }
            let m = s.store.region_risk_matrix(region).await?;
            Ok((r, m, region::region_today(s)))
        }
        (None, None) => Err(ApiError::not_found(format!("没有这项风险 · no risk {id}"))),
    }
}

async fn hall_of(s: &AppState, caller: &Caller, hall: &str) -> ApiResult<Hall> {
    let hall = resolve_hall(s.store.as_ref(), hall).await?;
    caller.require(Permission::ManageRisks, hall.id)?;
    actor(caller)?;
    Ok(hall)
}

/// The hall's register, highest residual score first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/risks", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<RiskView>), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<RiskView>>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    let m = s.store.risk_matrix(hall.id).await?;
    let today = today(&s, &hall);
    let list = s.store.risks(hall.id).await?;
    Ok(Json(
        list.iter().map(|r| RiskView::new(r, &m, today)).collect(),
    ))
}

/// Registers a risk; its first review is due by its residual band's cadence.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/risks", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = RiskBody,
    responses((status = 201, body = RiskView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<RiskBody>,
) -> ApiResult<(StatusCode, Json<RiskView>)> {
    let hall = hall_of(&s, &caller, &hall).await?;
    let by = actor(&caller)?;
    let r = s
        .store
        .create_risk(hall.id, &input(&b)?, by, s.now())
        .await?;
    let m = s.store.risk_matrix(hall.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(RiskView::new(&r, &m, today(&s, &hall))),
    ))
}

/// One risk with its audited history.
#[utoipa::path(get, path = "/api/v1/risks/{id}", tag = "risks",
    params(("id" = i64, Path)),
    responses((status = 200, body = RiskView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<RiskView>> {
    let (r, m, day) = visible(&s, &caller, id, false).await?;
    let mut v = RiskView::new(&r, &m, day);
    let h = s.store.risk_changes(id).await?;
    v.history = Some(h.iter().map(Into::into).collect());
    Ok(Json(v))
}

/// Changes a risk (a review with `reviewed: true`); the change is recorded in its history.
#[utoipa::path(put, path = "/api/v1/risks/{id}", tag = "risks",
    params(("id" = i64, Path)),
    request_body = RiskBody,
    responses((status = 200, body = RiskView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<RiskBody>,
) -> ApiResult<Json<RiskView>> {
    let (before, m, day) = visible(&s, &caller, id, true).await?;
    let by = actor(&caller)?;
    let mut i = input(&b)?;
    i.sample = before.sample;
    let r = s.store.update_risk(id, &i, by, s.now()).await?;
    let mut v = RiskView::new(&r, &m, day);
    let h = s.store.risk_changes(id).await?;
    v.history = Some(h.iter().map(Into::into).collect());
    Ok(Json(v))
}

/// The hall's KRIs: value, thresholds, state, trend and the last 30 days.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/kris", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<KriView>), (status = 403, body = crate::error::Problem)))]
pub async fn kris(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<KriView>>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    Ok(Json(kri_views(&s, hall.id).await?))
}

/// The hall's KRIs as views, each with its history (shared with the register page).
pub async fn kri_views(s: &AppState, hall_id: i64) -> ApiResult<Vec<KriView>> {
    let mut out = Vec::new();
    for k in s.store.kris(hall_id).await? {
        let h = s.store.kri_history(k.id, KRI_DAYS, s.now()).await?;
        out.push(KriView::new(&k, &h));
    }
    Ok(out)
}

/// Binds a KRI to a risk of the hall, or changes its thresholds (same risk and measure).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/kris", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = KriBody,
    responses((status = 200, body = KriView), (status = 422, body = crate::error::Problem)))]
pub async fn save_kri(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<KriBody>,
) -> ApiResult<Json<KriView>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    let measure = Measure::parse(&b.measure).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "没有这个指标 · unknown measure {:?}; one of {}",
            b.measure,
            Measure::ALL.map(|m| m.as_str()).join(", ")
        ))
    })?;
    let direction = match b.direction.as_deref() {
        None => Direction::HigherIsWorse,
        Some(d) => Direction::parse(d).ok_or_else(|| {
            ApiError::unprocessable(
                "方向须为 higher_is_worse 或 lower_is_worse · direction must be higher_is_worse or lower_is_worse",
            )
        })?,
    };
    let k = s
        .store
        .save_kri(
            hall.id,
            &KriInput {
                risk_id: b.risk,
                measure,
                thresholds: Thresholds {
                    amber: b.amber,
                    red: b.red,
                    direction,
                    window_days: b.window_days.unwrap_or(7),
                },
                target_minutes: b.target_minutes.unwrap_or(20),
            },
        )
        .await?;
    let h = s.store.kri_history(k.id, KRI_DAYS, s.now()).await?;
    Ok(Json(KriView::new(&k, &h)))
}

/// Counts the hall's KRIs now (the background pass does it every few minutes); a crossing
/// raises its risk's review and tells the owner.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/kris/refresh", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = RefreshView), (status = 403, body = crate::error::Problem)))]
pub async fn refresh(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<RefreshView>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    let notices = s.store.refresh_kris(Some(hall.id), s.now()).await?;
    let kris = s.store.kris(hall.id).await?.len();
    Ok(Json(RefreshView {
        kris,
        notices: notices.iter().map(NoticeView::from).collect(),
    }))
}
