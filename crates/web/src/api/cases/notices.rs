//! The customer's case notices (工单进展) and scheduling a call-back (预约回访). After a
//! step is done or a call-back is scheduled, a notice is queued through the notifier for a
//! customer in the register who consented to case progress by the notifier's channel (the
//! store decides; `domain::notify::cases`). The write stands even when queueing fails: the
//! failure is logged, never shown as a failed step.

use super::view::{CaseView, case_view};
use super::workable;
use crate::api::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDateTime;
use serde::Deserialize;
use servicehall_domain::notify::NotifyEvent;
use servicehall_domain::time::parse_tz;
use servicehall_store::{CaseDetail, CaseNoticeInput};
use utoipa::ToSchema;

/// Queues `event` for the case's customer when they consented; logs a failure.
pub(crate) async fn tell_customer(
    s: &AppState,
    d: &CaseDetail,
    event: NotifyEvent,
    detail: String,
) {
    let input = CaseNoticeInput {
        case_id: d.case.id,
        event,
        detail,
        channel: crate::notify::customer_channel(),
    };
    if let Err(e) = s.store.queue_case_notice(&input, s.now()).await {
        tracing::warn!(case = d.case.id, event = event.as_str(), error = %e, "case notice not queued");
    }
}

/// The step-done notice: the step's Chinese name.
pub(crate) async fn step_done(s: &AppState, d: &CaseDetail, step: &str) {
    if let Some(st) = d.steps.iter().find(|x| x.code == step) {
        tell_customer(s, d, NotifyEvent::CaseStepDone, st.name_zh.clone()).await;
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// The hall's local time agreed with the customer, `YYYY-MM-DD HH:MM` (or with `T`).
    pub at: String,
    #[serde(default)]
    pub note: String,
}

/// Parses `YYYY-MM-DD HH:MM` (or `…THH:MM`, as a browser's date-time field sends it).
fn parse_local(at: &str) -> ApiResult<NaiveDateTime> {
    let t = at.trim().replace('T', " ");
    NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M").map_err(|_| {
        ApiError::unprocessable(format!(
            "回访时间格式应为 YYYY-MM-DD HH:MM · the call-back time must be YYYY-MM-DD HH:MM, not {at:?}"
        ))
    })
}

/// Schedules a call-back (预约回访) at a time agreed with the customer; the customer is
/// told when they consented to case notices.
#[utoipa::path(post, path = "/api/v1/cases/{id}/callback/schedule", tag = "cases",
    params(("id" = i64, Path)), request_body = ScheduleBody,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn schedule_callback(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ScheduleBody>,
) -> ApiResult<Json<CaseView>> {
    let (d, by) = workable(&s, &caller, id).await?;
    let hall = s.store.hall(d.case.hall_id).await?;
    let tz = parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let local = parse_local(&b.at)?;
    let at = servicehall_domain::time::at_local(local.date(), local.time(), tz);
    let d = s
        .store
        .schedule_callback(id, at, by, &b.note, s.now())
        .await?;
    tell_customer(
        &s,
        &d,
        NotifyEvent::CallbackScheduled,
        local.format("%Y-%m-%d %H:%M").to_string(),
    )
    .await;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}
