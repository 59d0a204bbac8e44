//! The hall's feedback settings (rating window, recovery clocks, flag thresholds): read
//! by the hall, set by administrators, every change audited.

use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_store::{FeedbackSettings, SettingChange};
use utoipa::ToSchema;

/// The hall's feedback settings (window, recovery clocks, flag thresholds).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = FeedbackSettingsView)))]
pub async fn settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<FeedbackSettingsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json((&s.store.feedback_settings(hall.id).await?).into()))
}

/// Replaces the hall's feedback settings (administrators); missing fields take defaults.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/feedback/settings", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")), request_body = FeedbackSettingsView,
    responses((status = 200, body = FeedbackSettingsView), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(body): JsonBody<FeedbackSettings>,
) -> ApiResult<Json<FeedbackSettingsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_settings_admin(&caller, hall.id)?;
    // Audited: one row per changed field, with the person.
    s.store
        .change_feedback_settings(hall.id, &body, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json((&s.store.feedback_settings(hall.id).await?).into()))
}

/// Who changed which of the hall's feedback settings, from what to what (newest first).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/settings/changes", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<SettingChangeView>), (status = 403, body = crate::error::Problem)))]
pub async fn settings_changes(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<SettingChangeView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let changes = s.store.settings_audit(Some(hall.id), 200).await?;
    Ok(Json(changes.iter().map(SettingChangeView::from).collect()))
}

/// The hall's feedback settings as the API reads and writes them (the domain's
/// `FeedbackSettings`, field for field). A body that lacks a field takes the default.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct FeedbackSettingsView {
    /// 一事一评: hours after the visit finished during which the phone rating is accepted.
    pub phone_window_hours: u32,
    /// 服务补救: working days to call the customer back (from the bad rating).
    pub callback_working_days: u32,
    /// 服务补救: working days to put the cause right (from the bad rating).
    pub rectify_working_days: u32,
    /// Gaming flag (a): a pad rating this many seconds or less after finishing is "fast".
    pub fast_rating_s: u32,
    /// … and a clerk is flagged when at least this share (%) of their ratings is fast …
    pub fast_share_pct: u32,
    /// … out of at least this many ratings (fewer prove nothing).
    pub min_ratings: u32,
    /// Gaming flag (b): an unbroken run of this many top-level (非常满意) ratings.
    pub top_run: u32,
    /// Gaming flag (c): a visit served at least this long (seconds) is "long" …
    pub long_visit_s: u32,
    /// … and a counter is flagged when at least this share (%) of its long or transferred
    /// visits got no pad rating …
    pub skip_share_pct: u32,
    /// … out of at least this many such visits.
    pub min_long_visits: u32,
}

impl Default for FeedbackSettingsView {
    fn default() -> Self {
        (&FeedbackSettings::default()).into()
    }
}

impl From<&FeedbackSettings> for FeedbackSettingsView {
    fn from(f: &FeedbackSettings) -> Self {
        Self {
            phone_window_hours: f.phone_window_hours,
            callback_working_days: f.callback_working_days,
            rectify_working_days: f.rectify_working_days,
            fast_rating_s: f.fast_rating_s,
            fast_share_pct: f.fast_share_pct,
            min_ratings: f.min_ratings,
            top_run: f.top_run,
            long_visit_s: f.long_visit_s,
            skip_share_pct: f.skip_share_pct,
            min_long_visits: f.min_long_visits,
        }
    }
}

/// One changed setting: which, from what to what, by whom, when.
#[derive(Serialize, ToSchema)]
pub struct SettingChangeView {
    pub id: i64,
    /// Absent for the province-wide figure definitions.
    pub hall_id: Option<i64>,
    /// The setting's name as in the API (`phone_window_hours`, `weights.attitude` …).
    pub setting: String,
    pub old_value: String,
    pub new_value: String,
    /// Staff id.
    pub by_staff: Option<i64>,
    pub at: i64,
}

impl From<&SettingChange> for SettingChangeView {
    fn from(c: &SettingChange) -> Self {
        Self {
            id: c.id,
            hall_id: c.hall_id,
            setting: c.setting.clone(),
            old_value: c.old_value.clone(),
            new_value: c.new_value.clone(),
            by_staff: c.by_staff,
            at: c.at,
        }
    }
}

/// Feedback settings — the recovery clocks and the thresholds that flag a hall's own clerks —
/// are set by administrators, not by the hall they judge; hall managers read them.
pub fn require_settings_admin(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    caller.require(Permission::Administer, hall_id)?;
    if !matches!(caller.actor.kind, ActorKind::Person(Role::Admin)) {
        return Err(ApiError::forbidden(
            "评价设置由管理员修改，值班长可以查看 · feedback settings are set by an administrator; hall managers can read them",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_view_reads_and_writes_as_the_domain_settings() {
        let d = FeedbackSettings::default();
        let v = FeedbackSettingsView::from(&d);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::to_string(&d).unwrap()
        );
        let partial = r#"{"top_run": 9}"#;
        let as_view: FeedbackSettingsView = serde_json::from_str(partial).unwrap();
        let as_domain: FeedbackSettings = serde_json::from_str(partial).unwrap();
        assert_eq!(
            serde_json::to_value(&as_view).unwrap(),
            serde_json::to_value(&as_domain).unwrap()
        );
    }
}
