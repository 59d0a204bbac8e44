//! The service catalogue API: the public catalogue and hall status (no sign-in, no
//! personal data), administration (versions, YAML export and import), one-time notices and
//! visit outcomes from the counter and the guide desk, and repeat trips for the manager.

mod entry_doc;
pub mod view;

use self::view::{GuideView, guide_view, hall_today};
use crate::AppState;
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::cases::{CustomerClass, mask};
use servicehall_domain::catalogue::{CatalogueEntry, VisitOutcome, to_yaml};
use servicehall_store::{CatalogueVersion, Hall, Visit, VisitInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use crate::api::access_rule::{Access::*, access};
    use servicehall_domain::access::Permission as P;
    OpenApiRouter::new()
        .routes(access(Public, routes!(public_catalogue)))
        .routes(access(Public, routes!(public_status)))
        .routes(access(Perm(P::Administer), routes!(versions, save_version)))
        .routes(access(Perm(P::Administer), routes!(export)))
        // A whole catalogue as YAML.
        .routes(access(
            Perm(P::Administer),
            crate::api::with_body_limit(routes!(import), 1024 * 1024),
        ))
        .routes(access(FrontDesk, routes!(give_notice)))
        .routes(access(FrontDesk, routes!(record_visit)))
        .routes(access(Perm(P::ViewStats), routes!(repeat_trips)))
}

/// The catalogue customers see today (hall-local): each business type's entry in effect,
/// with documents per class and the steps and time limits of the hall's case process.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/catalogue", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<GuideView>), (status = 404, body = crate::error::Problem)))]
pub async fn public_catalogue(
    State(s): State<AppState>,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<GuideView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    let items = s
        .store
        .effective_catalogue(hall.id, hall_today(&hall, s.now()))
        .await?;
    Ok(Json(items.iter().map(guide_view).collect()))
}

/// A business type's queue as the public sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicTypeStatus {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub waiting: i64,
    pub open_counters: i64,
    pub estimated_wait_s: Option<i64>,
}

/// A counter as the public sees it (挂牌服务): number, status, the clerk's name, badge and
/// photo. Never a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCounter {
    pub number: i64,
    pub status: String,
    pub status_zh: String,
    pub pause_reason: String,
    pub business_zh: Vec<String>,
    pub clerk_name: Option<String>,
    pub clerk_badge: Option<String>,
    pub clerk_photo: Option<String>,
    /// The first character of the clerk's name, for the avatar when there is no photo.
    pub clerk_initial: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStatus {
    pub types: Vec<PublicTypeStatus>,
    pub counters: Vec<PublicCounter>,
    /// Active incidents' announcements (停电, 营销系统故障 …), newest first.
    pub announcements: Vec<crate::api::incidents::view::AnnouncementView>,
}

pub async fn public_status_of(s: &AppState, hall: &Hall) -> ApiResult<PublicStatus> {
    let q = crate::api::queue::view::queue_view(s, hall, s.now()).await?;
    let types = s.store.business_types(hall.id).await?;
    let name = |id: i64| servicehall_store::business_type_name(&types, id);
    let announcements =
        crate::api::incidents::public::announcements_of(s.store.as_ref(), hall.id).await?;
    Ok(PublicStatus {
        announcements: announcements.announcements,
        types: q
            .types
            .into_iter()
            .map(|t| PublicTypeStatus {
                code: t.code,
                name_zh: t.name_zh,
                name_en: t.name_en,
                waiting: t.waiting,
                open_counters: t.open_counters,
                estimated_wait_s: t.estimated_wait_s,
            })
            .collect(),
        counters: q
            .counters
            .into_iter()
            .map(|c| PublicCounter {
                number: c.number,
                status_zh: servicehall_store::CounterStatus::parse(&c.status)
                    .label_zh()
                    .into(),
                status: c.status,
                pause_reason: c.pause_reason.clone(),
                business_zh: c
                    .primary
                    .iter()
                    .chain(&c.secondary)
                    .map(|id| name(*id))
                    .collect(),
                clerk_name: c.clerk.as_ref().map(|k| k.name.clone()),
                clerk_badge: c.clerk.as_ref().map(|k| k.badge_no.clone()),
                clerk_photo: c.clerk.as_ref().map(|k| k.photo.clone()),
                clerk_initial: c
                    .clerk
                    .as_ref()
                    .and_then(|k| k.name.chars().next())
                    .map(String::from)
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

/// Live queue per business type with estimated waits, and the counters with today's staff
/// on duty. No sign-in; no customer data.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/status", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = PublicStatus)))]
pub async fn public_status(
    State(s): State<AppState>,
    Path(hall): Path<String>,
) -> ApiResult<Json<PublicStatus>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    Ok(Json(public_status_of(&s, &hall).await?))
}

/// Every version of the hall's catalogue (administrators), with locked and current flags.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalogue/versions", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<entry_doc::CatalogueVersionDoc>)))]
pub async fn versions(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<CatalogueVersion>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    Ok(Json(s.store.catalogue_versions(hall.id, s.now()).await?))
}

/// Saves one version of an entry: a new version, or a change to one not yet in effect.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalogue/versions", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = entry_doc::CatalogueEntryDoc,
    responses((status = 200, body = Changed), (status = 422, body = crate::error::Problem)))]
pub async fn save_version(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(entry): JsonBody<CatalogueEntry>,
) -> ApiResult<Json<Changed>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let changed = s
        .store
        .save_catalogue_version(hall.id, &entry, s.now())
        .await?;
    Ok(Json(Changed { changed }))
}

/// The whole catalogue (every version) and the hall's public information as one YAML file.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalogue/export", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, content_type = "application/yaml", body = String)))]
pub async fn export(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let file = s.store.export_catalogue(hall.id).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/yaml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"catalogue-{}.yaml\"", hall.code),
            ),
        ],
        to_yaml(&file),
    ))
}

/// Replaces the catalogue with a YAML file. A bad file → 422 saying where (path and line)
/// and why; nothing changes.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalogue/import", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body(content = String, content_type = "application/yaml"),
    responses((status = 200, body = Changed), (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Changed>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::bad_request(
            "文件不是 UTF-8 文本；请另存为 UTF-8 · the file is not UTF-8 text; save it as UTF-8",
        )
    })?;
    crate::parsing::probe(text, |t| servicehall_domain::catalogue::from_yaml(t, &[])).await?;
    let changed = s.store.import_catalogue(hall.id, text, s.now()).await?;
    Ok(Json(Changed { changed }))
}

/// How many catalogue versions a save or an import wrote.
#[derive(Serialize, ToSchema)]
pub struct Changed {
    pub changed: usize,
}

/// What the clerk or guide enters for a notice or a visit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitBody {
    pub business_type: String,
    /// resident, low_voltage, hv_single or hv_dual.
    pub class: String,
    /// The customer's phone or account number (stored; masked on screens).
    pub contact: String,
    pub ticket_id: Option<i64>,
    /// completed, missing_document, notice_only, transferred or other (a notice defaults to
    /// notice_only).
    pub outcome: Option<String>,
}

/// A visit as staff screens show it: the contact masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    pub id: i64,
    pub ticket_number: Option<String>,
    pub business_type: String,
    pub class: String,
    pub contact: String,
    pub outcome: String,
    pub outcome_zh: String,
    pub staff: Option<String>,
    pub repeat_of: Option<i64>,
    pub at: i64,
}

pub fn visit_view(v: &Visit) -> VisitView {
    VisitView {
        id: v.id,
        ticket_number: v.ticket_number.clone(),
        business_type: v.business_type.clone(),
        class: v.class.as_str().into(),
        contact: mask_contact(&v.contact),
        outcome: v.outcome.as_str().into(),
        outcome_zh: v.outcome.label_zh().into(),
        staff: match (&v.staff_name, &v.staff_badge) {
            (Some(n), Some(b)) => Some(format!("{n} · {b}")),
            _ => None,
        },
        repeat_of: v.repeat_of,
        at: v.at,
    }
}

/// Phones (11 digits from 1) as `138****5678`; account numbers by their last 4.
pub fn mask_contact(c: &str) -> String {
    if c.len() == 11 && c.starts_with('1') && c.bytes().all(|b| b.is_ascii_digit()) {
        mask::phone(c)
    } else {
        mask::account(c)
    }
}

/// The clerk at a counter or the guide at the triage desk: a signed-in person (an
/// integration device may triage when it issues, but gives no notices and records no visits).
fn require_front_desk(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    if !caller.is_person() {
        return Err(ApiError::forbidden(
            "一次性告知和来访记录须由登录的柜员或引导员填写，设备不能记录 · notices and visits are recorded by the clerk or guide, signed in; not by a device",
        ));
    }
    caller
        .require(Permission::OperateCounter, hall_id)
        .or_else(|_| caller.require(Permission::Triage, hall_id))
}

fn visit_input(
    hall: &Hall,
    caller: &Caller,
    b: &VisitBody,
    default: VisitOutcome,
) -> ApiResult<VisitInput> {
    let class: CustomerClass = b.class.parse().map_err(ApiError::unprocessable)?;
    let outcome = match &b.outcome {
        Some(o) if !o.is_empty() => o.parse().map_err(ApiError::unprocessable)?,
        _ => default,
    };
    Ok(VisitInput {
        hall_id: hall.id,
        ticket_id: b.ticket_id,
        business_type: b.business_type.trim().to_string(),
        class,
        contact: b.contact.clone(),
        outcome,
        staff_id: caller.actor.staff_id,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeGiven {
    /// The notice's public code: `/n/{code}` shows and prints it (also as a QR code).
    pub code: String,
    pub url: String,
    pub visit: VisitView,
}

/// Gives a one-time notice (一次性告知单) for a business type and customer class, recorded
/// against the customer and the ticket. Unknown type → 404; a class the business is not
/// offered to, or a bad contact → 422; nothing is recorded then.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/notices", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = VisitBody,
    responses((status = 201, body = NoticeGiven), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn give_notice(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<VisitBody>,
) -> ApiResult<impl IntoResponse> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_front_desk(&caller, hall.id)?;
    let input = visit_input(&hall, &caller, &b, VisitOutcome::NoticeOnly)?;
    let code = crate::auth::random_hex(8);
    let (notice, visit) = s.store.give_notice(&input, &code, s.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(NoticeGiven {
            url: format!("/n/{}", notice.code),
            code: notice.code,
            visit: visit_view(&visit),
        }),
    ))
}

/// Records how a visit ended (e.g. 缺少资料, missing document). A return for the same
/// business within the hall's window after a missing document is flagged as a repeat trip.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/visits", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = VisitBody,
    responses((status = 201, body = VisitView), (status = 422, body = crate::error::Problem)))]
pub async fn record_visit(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<VisitBody>,
) -> ApiResult<impl IntoResponse> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_front_desk(&caller, hall.id)?;
    if b.outcome.as_deref().unwrap_or("").is_empty() {
        return Err(ApiError::unprocessable(
            "请说明办理结果 outcome：completed、missing_document、notice_only、transferred 或 other · say how the visit ended: outcome completed, missing_document, notice_only, transferred or other",
        ));
    }
    let input = visit_input(&hall, &caller, &b, VisitOutcome::Completed)?;
    let visit = s.store.record_visit(&input, s.now()).await?;
    Ok((StatusCode::CREATED, Json(visit_view(&visit))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RepeatTripView {
    pub visit: VisitView,
    pub earlier: VisitView,
}

/// Repeat trips (重复往返) of the last 30 days for the hall manager, both visits linked.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/repeat-trips", tag = "catalogue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<RepeatTripView>)))]
pub async fn repeat_trips(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    _h: HeaderMap,
) -> ApiResult<Json<Vec<RepeatTripView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(repeat_trip_views(&s, hall.id).await?))
}

pub async fn repeat_trip_views(s: &AppState, hall_id: i64) -> ApiResult<Vec<RepeatTripView>> {
    let since = s.now() - 30 * 86_400_000;
    Ok(s.store
        .repeat_trips(hall_id, since)
        .await?
        .iter()
        .map(|t| RepeatTripView {
            visit: visit_view(&t.visit),
            earlier: visit_view(&t.earlier),
        })
        .collect())
}
