//! Observations (内查) over JSON: a supervisor, hall manager or mystery shopper scores the
//! behaviour codes at a counter or of a clerk, item by item, with notes and evidence.

use super::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::insight_view::{ViewQuery, halls_for, period_for};
use crate::{AppState, auth::Caller, now_ms};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
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
    /// A `data:image/jpeg;base64,…` URL, at most about 150 kB.
    pub photo: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ObservationItem>,
}

/// Records an observation in the hall.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/observations", tag = "insight",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = ObservationBody,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<ObservationBody>,
) -> ApiResult<(StatusCode, Json<Observation>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let observer = caller
        .actor
        .staff_id
        .ok_or_else(|| ApiError::forbidden("observations are signed by a person"))?;
    let now = now_ms();
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
        photo: b.photo.filter(|p| !p.is_empty()),
        items: b.items,
    };
    let o = s.store.record_observation(&input, now).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Observations of the halls and period, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/insight/observations", tag = "insight",
    params(ViewQuery),
    responses((status = 200, body = Vec<Object>)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> ApiResult<Json<Vec<Observation>>> {
    let halls = halls_for(s.store.as_ref(), &caller, &q).await?;
    let period = period_for(&halls, &q, now_ms())?;
    Ok(Json(s.store.observations(&period.scope, 500).await?))
}

/// One observation.
#[utoipa::path(get, path = "/api/v1/observations/{id}", tag = "insight",
    params(("id" = i64, Path)), responses((status = 200, body = Object)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Observation>> {
    let o = s.store.observation(id).await?;
    caller.require(Permission::ViewStats, o.hall_id)?;
    Ok(Json(o))
}

/// The photo uploaded with an observation (the image itself, e.g. `image/jpeg`).
#[utoipa::path(get, path = "/api/v1/observations/{id}/photo", tag = "insight",
    params(("id" = i64, Path)),
    responses((status = 200, description = "the image"), (status = 404, body = crate::error::Problem)))]
pub async fn photo(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<impl IntoResponse> {
    let o = s.store.observation(id).await?;
    caller.require(Permission::ViewStats, o.hall_id)?;
    let url = s
        .store
        .observation_photo(id)
        .await?
        .ok_or_else(|| ApiError::not_found("this observation has no photo"))?;
    let (meta, data) = url
        .split_once(";base64,")
        .ok_or_else(|| ApiError::not_found("the stored photo is unreadable"))?;
    let mime = meta.trim_start_matches("data:").to_string();
    let bytes =
        decode_base64(data).ok_or_else(|| ApiError::not_found("the stored photo is unreadable"))?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    ))
}

/// Standard base64 (no line breaks), enough for a data URL.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = s.bytes().filter(|b| *b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c)? << (18 - 6 * i);
        }
        let n = chunk.len();
        out.push((acc >> 16) as u8);
        if n > 2 {
            out.push((acc >> 8) as u8);
        }
        if n > 3 {
            out.push(acc as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes() {
        assert_eq!(super::decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(super::decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(super::decode_base64("a!"), None);
    }
}
