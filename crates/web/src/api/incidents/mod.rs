//! Incidents and playbooks (突发情况 · 应急预案). Hall managers, supervisors and
//! administrators (`Observe` in the hall) declare, close and review; every person in the
//! hall sees the checklist and ticks the steps their role is named for (the commander may
//! tick any). The announcement reaches the screens through the hall's event stream and the
//! public long-poll in [`public`]; manual entries while the business system is down are in
//! [`manual`].

pub mod kiosk;
pub mod manual;
pub mod public;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::incidents::ReviewAction;
use servicehall_store::{Incident, IncidentDeclare, IncidentReviewInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{IncidentView, PlaybookView};

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::{Public, Staff, StaffPerm};
    use Permission::{Observe, OperateCounter, ViewHall};
    OpenApiRouter::new()
        .routes(access(Staff, routes!(playbooks)))
        .routes(access(StaffPerm(ViewHall), routes!(list)))
        .routes(access(StaffPerm(Observe), routes!(declare)))
        .routes(access(StaffPerm(ViewHall), routes!(show)))
        .routes(access(StaffPerm(ViewHall), routes!(step_done)))
        .routes(access(StaffPerm(Observe), routes!(close)))
        .routes(access(StaffPerm(Observe), routes!(review)))
        .routes(access(Public, routes!(public::announcements)))
        .routes(access(
            StaffPerm(OperateCounter),
            routes!(manual::list, manual::record),
        ))
        .routes(access(
            StaffPerm(OperateCounter),
            routes!(manual::back_enter),
        ))
}

fn person(caller: &Caller) -> ApiResult<i64> {
    caller.actor.staff_id.ok_or_else(|| {
        ApiError::forbidden("须由本人签名 · this is signed by a person, not a device")
    })
}

/// An incident in a hall the caller sees.
async fn visible(s: &AppState, caller: &Caller, id: i64) -> ApiResult<Incident> {
    let i = s.store.incident(id).await?;
    caller.require(Permission::ViewHall, i.hall_id)?;
    person(caller)?;
    Ok(i)
}

/// The playbooks every hall starts with (company-wide versions): each incident kind with
/// its code and steps. A hall's own versions are listed with its incidents' page.
#[utoipa::path(get, path = "/api/v1/playbooks", tag = "incidents",
    responses((status = 200, body = Vec<PlaybookView>), (status = 401, body = crate::error::Problem)))]
pub async fn playbooks(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<PlaybookView>>> {
    person(&caller)?;
    let list = s.store.playbooks(None).await?;
    Ok(Json(list.iter().map(PlaybookView::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ListQuery {
    /// Only incidents declared within this many days (default 90, at most 730).
    pub days: Option<i64>,
}

/// The hall's incidents, newest first, with their checklists.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/incidents", tag = "incidents",
    params(("hall" = String, Path, description = "hall code or id"),
           ("days" = Option<i64>, Query, description = "declared within this many days (default 90)")),
    responses((status = 200, body = Vec<IncidentView>), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<IncidentView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    person(&caller)?;
    let now = s.now();
    let days = q.days.unwrap_or(90).clamp(1, 730);
    let list = s
        .store
        .incidents(hall.id, now - days * 24 * 3600 * 1000, 200)
        .await?;
    Ok(Json(
        list.iter().map(|i| IncidentView::new(i, now)).collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeclareBody {
    /// The incident kind's code: `outage`, `business_system`, `crowd`, `conflict`,
    /// `medical` or `fire` (see `GET /api/v1/playbooks`).
    pub kind: String,
    /// What happened, in a line.
    #[serde(default)]
    pub note: String,
}

/// Declares an incident: its playbook starts as a timed checklist and its announcement
/// goes to the lobby display, the kiosk and the public page at once (an `incident` event).
/// A hall manager in their own hall, a supervisor or an administrator.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/incidents", tag = "incidents",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = DeclareBody,
    responses((status = 201, body = IncidentView), (status = 409, body = crate::error::Problem,
        description = "an incident of this kind is already active"),
        (status = 422, body = crate::error::Problem)))]
pub async fn declare(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<DeclareBody>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let by = person(&caller)?;
    if b.note.chars().count() > 500 {
        return Err(ApiError::unprocessable(
            "情况说明最多 500 字 · the note may be up to 500 characters",
        ));
    }
    let now = s.now();
    let i = s
        .store
        .declare_incident(
            &IncidentDeclare {
                hall_id: hall.id,
                kind: b.kind.trim().into(),
                note: b.note,
                by,
            },
            now,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(IncidentView::new(&i, now))))
}

/// One incident with its checklist (and review, once recorded).
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<IncidentView>> {
    let i = visible(&s, &caller, id).await?;
    Ok(Json(IncidentView::new(&i, s.now())))
}

/// Ticks a step off. The step's own role does it (a clerk's step by a clerk …); whoever
/// commands the incident (`Observe`) may tick any step. 409 when the step is another
/// role's, already done, or the incident closed.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/steps/{step}/done", tag = "incidents",
    params(("id" = i64, Path), ("step" = String, Path, description = "the step's key")),
    responses((status = 200, body = IncidentView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn step_done(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, step)): Path<(i64, String)>,
) -> ApiResult<Json<IncidentView>> {
    let i = visible(&s, &caller, id).await?;
    let by = person(&caller)?;
    let commands = caller.actor.may(Permission::Observe, i.hall_id);
    if let (Some(st), ActorKind::Person(role)) = (i.playbook.step(&step), caller.actor.kind)
        && !commands
        && !st.role.is(role)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "此步骤“{}”由{}完成 · step {:?} is for the {}",
                st.text_zh,
                st.role.label().split(" · ").next().unwrap_or_default(),
                st.key,
                st.role.label().split(" · ").nth(1).unwrap_or_default(),
            ),
        ));
    }
    let now = s.now();
    let i = s.store.complete_incident_step(id, &step, by, now).await?;
    Ok(Json(IncidentView::new(&i, now)))
}

/// Ends the incident: the screens drop its announcement at once.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/close", tag = "incidents",
    params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView), (status = 409, body = crate::error::Problem)))]
pub async fn close(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<IncidentView>> {
    let i = s.store.incident(id).await?;
    caller.require(Permission::Observe, i.hall_id)?;
    let by = person(&caller)?;
    let now = s.now();
    let i = s.store.close_incident(id, by, now).await?;
    Ok(Json(IncidentView::new(&i, now)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionBody {
    pub text: String,
    /// The staff member who owns the action (its case).
    pub owner_id: i64,
    /// The deadline, milliseconds since the epoch.
    pub due_at: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    pub cause: String,
    /// The risk register's code this incident belongs to (checked against the register
    /// once it exists).
    #[serde(default)]
    pub risk_code: Option<String>,
    pub actions: Vec<ActionBody>,
}

/// The post-incident review (复盘) of a closed incident: the cause, its risk, and each
/// action opened as an owned case with its deadline.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/review", tag = "incidents",
    params(("id" = i64, Path)),
    request_body = ReviewBody,
    responses((status = 200, body = IncidentView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn review(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ReviewBody>,
) -> ApiResult<Json<IncidentView>> {
    let i = s.store.incident(id).await?;
    caller.require(Permission::Observe, i.hall_id)?;
    let by = person(&caller)?;
    if b.actions.len() > 20 {
        return Err(ApiError::unprocessable(
            "一次复盘最多 20 项整改措施 · a review may carry up to 20 actions",
        ));
    }
    let input = IncidentReviewInput {
        cause: b.cause,
        risk_code: b.risk_code,
        actions: b
            .actions
            .into_iter()
            .map(|a| ReviewAction {
                text: a.text,
                owner_id: a.owner_id,
                due_at: a.due_at,
            })
            .collect(),
    };
    let now = s.now();
    let i = s.store.review_incident(id, &input, by, now).await?;
    Ok(Json(IncidentView::new(&i, now)))
}
