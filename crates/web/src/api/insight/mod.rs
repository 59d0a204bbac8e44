//! Satisfaction figures and the emotion curve over JSON, and the figures' definitions
//! (good levels, minimum responses, CSI weights) the administrator sets.

pub mod observations;
pub mod survey_links;
pub mod surveys;
pub mod view;

use self::view::{
    CurveView, IndexConfigView, SatisfactionView, ViewQuery, curve_view, satisfaction_view,
};
use crate::api::JsonBody;
use crate::api::feedback::settings::SettingChangeView;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Query, State};
use servicehall_domain::access::Permission;
use servicehall_domain::insight::IndexConfig;

/// Satisfaction rate, bad-rating rate, CSAT, NPS and CSI with n and 95% intervals, in total
/// and by hall, counter, clerk or business type, against the previous period; the Pareto of
/// bad-rating reasons.
#[utoipa::path(get, path = "/api/v1/insight/satisfaction", tag = "insight",
    params(ViewQuery),
    responses((status = 200, body = SatisfactionView), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn satisfaction(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> ApiResult<Json<SatisfactionView>> {
    Ok(Json(
        satisfaction_view(s.store.as_ref(), &caller, &q, s.now()).await?,
    ))
}

/// The emotion curve: satisfaction along the touchpoints, the lowest marked with reasons.
#[utoipa::path(get, path = "/api/v1/insight/curve", tag = "insight",
    params(ViewQuery),
    responses((status = 200, body = CurveView), (status = 400, body = crate::error::Problem)))]
pub async fn curve(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> ApiResult<Json<CurveView>> {
    Ok(Json(
        curve_view(s.store.as_ref(), &caller, &q, s.now()).await?,
    ))
}

/// The figures' definitions.
#[utoipa::path(get, path = "/api/v1/insight/settings", tag = "insight",
    responses((status = 200, body = IndexConfigView)))]
pub async fn settings(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<IndexConfigView>> {
    caller.require_any(Permission::ViewStats)?;
    Ok(Json((&s.store.insight_config().await?).into()))
}

/// Sets the definitions (administrators above halls: they apply to every hall).
#[utoipa::path(put, path = "/api/v1/insight/settings", tag = "insight",
    request_body = IndexConfigView,
    responses((status = 200, body = IndexConfigView), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    // Read as the domain's type (it checks the five weights); described by its view.
    JsonBody(cfg): JsonBody<IndexConfig>,
) -> ApiResult<Json<IndexConfigView>> {
    require_admin(&caller)?;
    // Audited: one row per changed definition, with the person.
    s.store
        .change_insight_config(&cfg, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json((&s.store.insight_config().await?).into()))
}

/// Who changed which figure definition, from what to what (newest first).
#[utoipa::path(get, path = "/api/v1/insight/settings/changes", tag = "insight",
    responses((status = 200, body = Vec<SettingChangeView>), (status = 403, body = crate::error::Problem)))]
pub async fn settings_changes(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SettingChangeView>>> {
    caller.require_any(Permission::ViewStats)?;
    let changes = s.store.settings_audit(None, 200).await?;
    Ok(Json(changes.iter().map(SettingChangeView::from).collect()))
}

/// Province-wide settings: an administrator not bound to one hall.
pub fn require_admin(caller: &Caller) -> ApiResult<()> {
    caller.require_any(Permission::Administer)?;
    if !caller.actor.deployment_wide() {
        return Err(ApiError::forbidden(
            "问卷和指标定义适用于所有营业厅；请找不限区域的管理员修改 · surveys and figure definitions apply to every hall; ask an administrator who is not limited to a region",
        ));
    }
    Ok(())
}
