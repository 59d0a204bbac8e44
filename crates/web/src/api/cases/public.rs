//! The customer's case status without signing in: the case number plus the case's access
//! code (查询码, printed for the customer when the case is registered). Failed tries are
//! braked per client address and per case number (see [`super::lookup_guard`]); the answer
//! carries badge numbers only — no names, phones, internal routing or survey links.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use servicehall_store::StoreError;
use std::net::{IpAddr, SocketAddr};
use utoipa::{IntoParams, ToSchema};

/// The peer address of the connection (`None` when served without `ConnectInfo`, e.g. in
/// a router test). Behind a reverse proxy this is the proxy's address.
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

#[derive(Deserialize, IntoParams)]
pub struct PublicQuery {
    /// The case's access code (查询码), e.g. `K7QM-3XWD`: case, spaces and dashes do not
    /// matter.
    pub code: Option<String>,
}

/// What the customer's status page shows: no names, phones or internal routing.
#[derive(Serialize, ToSchema)]
pub struct PublicCase {
    pub number: String,
    pub hall: String,
    pub kind_zh: String,
    pub business_type_zh: Option<String>,
    pub status: String,
    pub status_zh: String,
    pub current_step_zh: Option<String>,
    pub current_step_en: Option<String>,
    pub deadline: Option<i64>,
    pub overdue: bool,
    /// The deadline was counted provisionally (暂按法定节假日推算): it may move when that
    /// year's official holiday schedule is imported.
    pub provisional: bool,
    /// The badge number (工号) of the person responsible.
    pub owner_badge: String,
    pub steps: Vec<PublicStep>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicStep {
    pub name_zh: String,
    pub name_en: String,
    pub done: bool,
}

/// The customer's view of a case: its number plus its access code. A wrong number or code
/// is the same 404; after 10 failed tries on a case number in 15 minutes (or 20 from one
/// address) the lookup answers 429 with `Retry-After`, even with the right code.
#[utoipa::path(get, path = "/api/v1/public/cases/{number}", tag = "public",
    params(("number" = String, Path), PublicQuery),
    responses((status = 200, body = PublicCase), (status = 404, body = crate::error::Problem),
               (status = 422, body = crate::error::Problem),
               (status = 429, body = crate::error::Problem, description = "too many failed tries; see Retry-After")))]
pub async fn public_status(
    State(s): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(number): Path<String>,
    Query(q): Query<PublicQuery>,
) -> ApiResult<Json<PublicCase>> {
    let code = q.code.unwrap_or_default();
    if code.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "请输入工单受理时告知您的8位查询码 · Give code: the 8-character access code you were given when the case was registered",
        ));
    }
    let now = s.now();
    s.lookups
        .check(addr, &number, now)
        .map_err(|b| ApiError::too_many(b.retry_after_s(), b.message()))?;
    let d = match s.store.case_by_number_and_code(&number, &code, now).await {
        Ok(d) => d,
        Err(StoreError::NotFound(m)) => {
            s.lookups.failed(addr, &number, now);
            return Err(ApiError::not_found(m));
        }
        Err(e) => return Err(e.into()),
    };
    let hall = s.store.hall(d.case.hall_id).await?;
    let bt = match d.case.business_type_id {
        Some(id) => Some(s.store.business_type(id).await?.name_zh),
        None => None,
    };
    let owner = s.store.staff(d.case.owner_id).await?;
    let cur = d.current_step();
    Ok(Json(PublicCase {
        number: d.case.number.clone(),
        hall: hall.name,
        kind_zh: d.case.kind.label_zh().into(),
        business_type_zh: bt,
        status: d.case.status.as_str().into(),
        status_zh: d.case.status.label_zh().into(),
        current_step_zh: cur.map(|c| c.name_zh.clone()),
        current_step_en: cur.map(|c| c.name_en.clone()),
        deadline: d.next_deadline(),
        overdue: d
            .clocks
            .iter()
            .any(|c| c.view.overdue && c.view.stopped_at.is_none() && c.view.started_at.is_some()),
        provisional: d.provisional(),
        owner_badge: owner.badge_no,
        steps: d
            .steps
            .iter()
            .map(|s| PublicStep {
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                done: s.completed_at.is_some(),
            })
            .collect(),
        created_at: d.case.created_at,
        closed_at: d.case.closed_at,
    }))
}
