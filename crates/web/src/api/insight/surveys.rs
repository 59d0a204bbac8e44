//! Surveys over JSON: the administrator defines them; the counter (after a visit) or the case
//! owner (after closure) sends the customer a link; the customer answers on the phone without
//! an account, once, within the window.

use super::require_admin;
use crate::api::JsonBody;
use crate::api::word;
use crate::auth::{hash_token, new_token};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::insight::survey::{SurveyAnswer, SurveyDefinition, SurveyItem};
use servicehall_store::{Survey, SurveyInvitation};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct SurveyBody {
    #[serde(flatten)]
    #[schema(value_type = SurveyDefinitionView)]
    pub definition: SurveyDefinition,
    #[serde(default)]
    pub business_type_ids: Vec<i64>,
}

/// Defines a survey (administrators).
#[utoipa::path(post, path = "/api/v1/surveys", tag = "insight", request_body = SurveyBody,
    responses((status = 201, body = SurveyView), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<SurveyBody>,
) -> ApiResult<(StatusCode, Json<SurveyView>)> {
    require_admin(&caller)?;
    let survey = s
        .store
        .create_survey(
            &b.definition,
            &b.business_type_ids,
            caller.actor.staff_id,
            s.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&survey).into())))
}

/// Every survey.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "insight", responses((status = 200, body = Vec<SurveyView>)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<SurveyView>>> {
    caller.require_any(Permission::ViewStats)?;
    Ok(Json(
        s.store
            .surveys()
            .await?
            .iter()
            .map(SurveyView::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ActiveBody {
    pub active: bool,
}

/// Switches a survey on or off.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/active", tag = "insight", request_body = ActiveBody,
    params(("id" = i64, Path)), responses((status = 200, body = SurveyView)))]
pub async fn set_active(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ActiveBody>,
) -> ApiResult<Json<SurveyView>> {
    require_admin(&caller)?;
    Ok(Json(
        (&s.store.set_survey_active(id, b.active).await?).into(),
    ))
}

/// A new invitation: the link the customer opens (shown once; only its hash is kept).
#[derive(Serialize, ToSchema)]
pub struct InvitationLink {
    /// `/s/{token}`, to print or send by SMS.
    pub path: String,
    pub expires_at: i64,
    pub survey_id: i64,
}

fn link(inv: SurveyInvitation, token: &str) -> InvitationLink {
    InvitationLink {
        path: format!("/s/{token}"),
        expires_at: inv.expires_at,
        survey_id: inv.survey_id,
    }
}

fn no_survey() -> ApiError {
    ApiError::not_found(
        "此业务类型没有启用的问卷 · no active survey is attached to this business type",
    )
}

/// Invites the customer of a finished visit (counter, hall manager).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/survey", tag = "insight",
    params(("id" = i64, Path)),
    responses((status = 201, body = InvitationLink), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn invite_ticket(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<InvitationLink>)> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::OperateCounter, t.hall_id)?;
    let token = new_token();
    let inv = s
        .store
        .invite_for_ticket(id, &hash_token(&token), s.now())
        .await?
        .ok_or_else(no_survey)?;
    Ok((StatusCode::CREATED, Json(link(inv, &token))))
}

/// Invites the customer of a closed case (case handlers).
#[utoipa::path(post, path = "/api/v1/cases/{id}/survey", tag = "insight",
    params(("id" = i64, Path)),
    responses((status = 201, body = InvitationLink), (status = 409, body = crate::error::Problem)))]
pub async fn invite_case(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<InvitationLink>)> {
    let c = s.store.case(id, s.now()).await?;
    caller.require(Permission::HandleCases, c.case.hall_id)?;
    let token = new_token();
    let inv = s
        .store
        .invite_for_case(id, &hash_token(&token), s.now())
        .await?
        .ok_or_else(|| {
            ApiError::not_found("没有启用的工单回访问卷 · no active after-case survey is defined")
        })?;
    Ok((StatusCode::CREATED, Json(link(inv, &token))))
}

/// What the customer's phone shows: the questions and whether it can still be answered.
#[derive(Serialize, ToSchema)]
pub struct PublicSurvey {
    pub title: String,
    pub items: Vec<SurveyItemView>,
    pub hall_name: String,
    pub expires_at: i64,
    pub answered: bool,
    pub expired: bool,
}

pub async fn public_survey_of(s: &AppState, token: &str) -> ApiResult<PublicSurvey> {
    if token.len() > 128 {
        return Err(ApiError::not_found(
            "此链接没有对应的问卷，请核对地址 · no survey behind this link; check the address",
        ));
    }
    let (inv, survey) = s.store.invitation(&hash_token(token)).await?;
    let hall = s.store.hall(inv.hall_id).await?;
    Ok(PublicSurvey {
        title: survey.definition.title,
        items: survey
            .definition
            .items
            .iter()
            .map(SurveyItemView::from)
            .collect(),
        hall_name: hall.name,
        expires_at: inv.expires_at,
        answered: inv.answered_at.is_some(),
        expired: s.now() > inv.expires_at,
    })
}

/// The survey behind a link (no account).
#[utoipa::path(get, path = "/api/v1/public/surveys/{token}", tag = "insight",
    params(("token" = String, Path)), responses((status = 200, body = PublicSurvey), (status = 404, body = crate::error::Problem)))]
pub async fn public_show(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<PublicSurvey>> {
    Ok(Json(public_survey_of(&s, &token).await?))
}

/// The customer's answer: once, within the window, every value in range.
#[utoipa::path(post, path = "/api/v1/public/surveys/{token}", tag = "insight",
    params(("token" = String, Path)), request_body = SurveyAnswerBody,
    responses((status = 201, body = AnswerReceived), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn public_answer(
    State(s): State<AppState>,
    Path(token): Path<String>,
    JsonBody(answer): JsonBody<SurveyAnswer>,
) -> ApiResult<(StatusCode, Json<AnswerReceived>)> {
    if token.len() > 128 {
        return Err(ApiError::not_found(
            "此链接没有对应的问卷，请核对地址 · no survey behind this link; check the address",
        ));
    }
    s.store
        .answer_survey(&hash_token(&token), &answer, s.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AnswerReceived {
            message: "感谢您的评价 Thank you".into(),
            ok: true,
        }),
    ))
}

/// One question of a survey.
#[derive(Serialize, ToSchema)]
pub struct SurveyItemView {
    /// Stable key within the survey (`q1`, `q2`, …), what answers refer to.
    pub key: String,
    /// `level` (非常不满意 1 … 非常满意 5), `recommend` (0–10) or `text`.
    pub kind: String,
    pub text: String,
    /// The moment of truth (关键时刻) it asks about.
    pub touchpoint: Option<String>,
    /// The CSI dimension it counts towards.
    pub dimension: Option<String>,
}

impl From<&SurveyItem> for SurveyItemView {
    fn from(i: &SurveyItem) -> Self {
        Self {
            key: i.key.clone(),
            kind: word(&i.kind),
            text: i.text.clone(),
            touchpoint: i.touchpoint.clone(),
            dimension: i.dimension.as_ref().map(word),
        }
    }
}

/// What an administrator defines.
#[derive(Serialize, ToSchema)]
pub struct SurveyDefinitionView {
    pub title: String,
    /// `business_type` (after a visit) or `case_closed`.
    pub trigger: String,
    /// How long after the invitation the answer is accepted, in hours (1 to 720).
    pub window_hours: i64,
    pub items: Vec<SurveyItemView>,
}

impl From<&SurveyDefinition> for SurveyDefinitionView {
    fn from(d: &SurveyDefinition) -> Self {
        Self {
            title: d.title.clone(),
            trigger: word(&d.trigger),
            window_hours: d.window_hours,
            items: d.items.iter().map(SurveyItemView::from).collect(),
        }
    }
}

/// A defined survey.
#[derive(Serialize, ToSchema)]
pub struct SurveyView {
    pub id: i64,
    pub definition: SurveyDefinitionView,
    /// The business types whose visits are invited (trigger `business_type`).
    pub business_type_ids: Vec<i64>,
    pub active: bool,
    pub created_at: i64,
}

impl From<&Survey> for SurveyView {
    fn from(s: &Survey) -> Self {
        Self {
            id: s.id,
            definition: (&s.definition).into(),
            business_type_ids: s.business_type_ids.clone(),
            active: s.active,
            created_at: s.created_at,
        }
    }
}

/// The customer's answer (read as the domain's `SurveyAnswer`).
#[derive(Deserialize, ToSchema)]
pub struct SurveyAnswerBody {
    /// Item key → value: 1–5 for a level, 0–10 for recommend.
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, i64>,
    /// Free text, optional.
    #[serde(default)]
    pub comment: String,
}

/// The answer is recorded.
#[derive(Serialize, ToSchema)]
pub struct AnswerReceived {
    pub message: String,
    pub ok: bool,
}
