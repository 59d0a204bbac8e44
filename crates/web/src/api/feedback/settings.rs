//! The hall's feedback settings (rating window, recovery clocks, flag thresholds): read
//! by the hall, set by administrators, every change audited.

use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_store::FeedbackSettings;

/// The hall's feedback settings (window, recovery clocks, flag thresholds).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Object)))]
pub async fn settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<FeedbackSettings>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(s.store.feedback_settings(hall.id).await?))
}

/// Replaces the hall's feedback settings (administrators); missing fields take defaults.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")), request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(body): JsonBody<FeedbackSettings>,
) -> ApiResult<Json<FeedbackSettings>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_settings_admin(&caller, hall.id)?;
    // Audited: one row per changed field, with the person.
    s.store
        .change_feedback_settings(hall.id, &body, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(s.store.feedback_settings(hall.id).await?))
}

/// Who changed which of the hall's feedback settings, from what to what (newest first).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings/changes", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn settings_changes(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<servicehall_store::SettingChange>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json(s.store.settings_audit(Some(hall.id), 200).await?))
}

/// Feedback settings — the recovery clocks and the thresholds that flag a hall's own clerks —
/// are set by administrators, not by the hall they judge; hall managers read them.
pub fn require_settings_admin(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    caller.require(Permission::Administer, hall_id)?;
    if !matches!(caller.actor.kind, ActorKind::Person(Role::Admin)) {
        return Err(ApiError::forbidden(
            "feedback settings are set by an administrator; hall managers can read them",
        ));
    }
    Ok(())
}
