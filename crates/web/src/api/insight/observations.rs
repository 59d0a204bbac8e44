//! Observations (内查) over JSON: a supervisor, hall manager or mystery shopper scores the
//! behaviour codes at a counter or of a clerk, item by item, with notes and evidence.

use super::view::{ViewQuery, halls_for, period_for};
use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::insight::observation::{ObservationItem, ObserverKind};
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{Observation, ObservationInput};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ObservationBody {
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    /// `supervisor` (default) or `mystery_shopper`.
    #[schema(value_type = Option<String>)]
    pub observer_kind: Option<ObserverKind>,
    /// When it was seen (unix ms); default now.
    pub observed_at: Option<i64>,
    /// Or when it was seen on the hall's clock, `YYYY-MM-DDTHH:MM` (what a form's
    /// datetime-local field sends).
    pub observed_local: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub photo_ref: String,
    /// A `data:image/jpeg;base64,…` (or PNG) URL of at most 150 kB: the server checks the
    /// content, decodes it and keeps a re-encoded copy.
    pub photo: Option<String>,
    #[schema(value_type = Vec<ObservationItemView>)]
    pub items: Vec<ObservationItem>,
}

/// One line of the form: a behaviour code and how it was observed.
#[derive(Serialize, ToSchema)]
pub struct ObservationItemView {
    /// A behaviour code id (`servicehall_domain::standards::behaviour`).
    pub code: String,
    /// `met`, `partly`, `not_met` or `not_observed`.
    pub verdict: String,
    /// Optional in a body.
    pub note: String,
    /// The moments of truth (关键时刻) it belongs to; optional in a body.
    pub touchpoints: Vec<String>,
}

impl From<&ObservationItem> for ObservationItemView {
    fn from(i: &ObservationItem) -> Self {
        Self {
            code: i.code.clone(),
            verdict: match serde_json::to_value(i.verdict) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            },
            note: i.note.clone(),
            touchpoints: i.touchpoints.clone(),
        }
    }
}

/// A recorded observation (内查).
#[derive(Serialize, ToSchema)]
pub struct ObservationView {
    pub id: i64,
    pub hall_id: i64,
    pub counter_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub observer_id: i64,
    /// `supervisor` or `mystery_shopper`.
    pub observer_kind: String,
    pub observed_at: i64,
    pub note: String,
    pub evidence: String,
    pub photo_ref: String,
    /// The photo is at `/api/v1/observations/{id}/photo`.
    pub has_photo: bool,
    /// Points ÷ possible, percent; absent when nothing scored was observed.
    pub score_pct: Option<f64>,
    pub items: Vec<ObservationItemView>,
}

impl From<&Observation> for ObservationView {
    fn from(o: &Observation) -> Self {
        Self {
            id: o.id,
            hall_id: o.hall_id,
            counter_id: o.counter_id,
            staff_id: o.staff_id,
            observer_id: o.observer_id,
            observer_kind: o.observer_kind.clone(),
            observed_at: o.observed_at,
            note: o.note.clone(),
            evidence: o.evidence.clone(),
            photo_ref: o.photo_ref.clone(),
            has_photo: o.has_photo,
            score_pct: o.score_pct,
            items: o.items.iter().map(ObservationItemView::from).collect(),
        }
    }
}

/// Records an observation in the hall.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/observations", tag = "insight",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = ObservationBody,
    responses((status = 201, body = ObservationView), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<ObservationBody>,
) -> ApiResult<(StatusCode, Json<ObservationView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let observer = caller.actor.staff_id.ok_or_else(|| {
        ApiError::forbidden("内查记录须由登录的人员签署 · observations are signed by a person")
    })?;
    let now = s.now();
    let observed_at = match (b.observed_at, b.observed_local.as_deref().map(str::trim)) {
        (Some(at), _) => at,
        (None, Some(local)) if !local.is_empty() => {
            let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").map_err(|_| {
                ApiError::unprocessable(format!(
                    "观察时间格式有误 the observation time must be YYYY-MM-DDTHH:MM, got {local:?}"
                ))
            })?;
            let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
            at_local(t.date(), t.time(), tz)
        }
        _ => now,
    };
    // The photo is decoded and encoded again before anything is written (see crate::photo).
    let photo = match b.photo.filter(|p| !p.is_empty()) {
        Some(p) => Some(
            crate::photo::clean_data_url(p)
                .await
                .map_err(|e| ApiError::unprocessable(e.to_string()))?,
        ),
        None => None,
    };
    let input = ObservationInput {
        hall_id: hall.id,
        counter_id: b.counter_id,
        staff_id: b.staff_id,
        observer_id: observer,
        observer_kind: b.observer_kind.unwrap_or(ObserverKind::Supervisor),
        observed_at,
        note: b.note,
        evidence: b.evidence,
        photo_ref: b.photo_ref,
        photo,
        items: b.items,
    };
    let o = s.store.record_observation(&input, now).await?;
    Ok((StatusCode::CREATED, Json((&o).into())))
}

/// Observations of the halls and period, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/insight/observations", tag = "insight",
    params(ViewQuery),
    responses((status = 200, body = Vec<ObservationView>)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> ApiResult<Json<Vec<ObservationView>>> {
    caller.require_person()?;
    let halls = halls_for(s.store.as_ref(), &caller, &q).await?;
    let period = period_for(&halls, &q, s.now())?;
    let list = s.store.observations(&period.scope, 500).await?;
    Ok(Json(list.iter().map(ObservationView::from).collect()))
}

/// One observation.
#[utoipa::path(get, path = "/api/v1/observations/{id}", tag = "insight",
    params(("id" = i64, Path)), responses((status = 200, body = ObservationView)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ObservationView>> {
    let o = s.store.observation(id).await?;
    caller.require(Permission::ViewStats, o.hall_id)?;
    caller.require_person()?;
    Ok(Json((&o).into()))
}

/// The photo uploaded with an observation: `image/jpeg` or `image/png` as its bytes prove,
/// with `nosniff` and a sandboxing CSP.
#[utoipa::path(get, path = "/api/v1/observations/{id}/photo", tag = "insight",
    params(("id" = i64, Path)),
    responses((status = 200, description = "the image"), (status = 404, body = crate::error::Problem)))]
pub async fn photo(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let o = s.store.observation(id).await?;
    caller.require(Permission::ViewStats, o.hall_id)?;
    caller.require_person()?;
    let url = s
        .store
        .observation_photo(id)
        .await?
        .ok_or_else(|| ApiError::not_found("这条观察没有照片 this observation has no photo"))?;
    crate::photo::serve(&url, &format!("observation-{id}"))
        .ok_or_else(|| ApiError::not_found("照片无法读取 the stored photo is unreadable"))
}
