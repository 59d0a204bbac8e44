//! Counters at work: open (挂牌), pause with a reason, close; call the next ticket.

use super::{
    OptionalJson,
    tickets::{TicketView, ticket_view},
};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller, now_ms};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_store::{Counter, Store};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CounterBody {
    /// open: the badge number of the clerk taking the counter; defaults to the caller.
    pub badge_no: Option<String>,
    /// pause: why (午休, 系统故障 …).
    pub reason: Option<String>,
}

/// Loads the counter and checks the caller may work it: a clerk only the counter they staff.
async fn workable(
    store: &dyn Store,
    caller: &Caller,
    counter_id: i64,
    opening: bool,
) -> ApiResult<Counter> {
    let c = store.counter(counter_id).await?;
    caller.require(Permission::OperateCounter, c.hall_id)?;
    let staff = caller
        .staff
        .as_ref()
        .ok_or_else(|| ApiError::forbidden("only staff work at counters"))?;
    let mine = c.clerk.as_ref().is_some_and(|k| k.staff_id == staff.id);
    if staff.role == Role::Clerk && !mine && !opening {
        return Err(ApiError::forbidden(format!(
            "counter {} is not staffed by you",
            c.number
        )));
    }
    Ok(c)
}

/// Open, pause or close a counter.
#[utoipa::path(post, path = "/api/v1/counters/{counter}/{action}", tag = "counters",
    params(("counter" = i64, Path), ("action" = String, Path, description = "open | pause | close")),
    request_body = Option<CounterBody>,
    responses((status = 200, body = Object), (status = 409, body = crate::error::Problem)))]
pub async fn set_status(
    State(s): State<AppState>,
    caller: Caller,
    Path((counter, action)): Path<(i64, String)>,
    OptionalJson(body): OptionalJson<CounterBody>,
) -> ApiResult<Json<Counter>> {
    let body = body.unwrap_or_default();
    let c = workable(s.store.as_ref(), &caller, counter, action == "open").await?;
    let now = now_ms();
    let updated = match action.as_str() {
        "open" => {
            let me = caller.staff.as_ref().map(|st| st.id);
            let staff_id = match body.badge_no {
                Some(badge) => {
                    let who = s
                        .store
                        .staff_list(Some(c.hall_id))
                        .await?
                        .into_iter()
                        .find(|st| st.badge_no == badge)
                        .ok_or_else(|| {
                            ApiError::unprocessable(format!(
                                "no staff with badge {badge} in this hall"
                            ))
                        })?;
                    if Some(who.id) != me
                        && caller
                            .staff
                            .as_ref()
                            .is_some_and(|st| st.role == Role::Clerk)
                    {
                        return Err(ApiError::forbidden(
                            "a clerk opens a counter with their own badge",
                        ));
                    }
                    who.id
                }
                None => me.ok_or_else(|| ApiError::unprocessable("give badge_no"))?,
            };
            s.store.open_counter(c.id, staff_id, now).await?
        }
        "pause" => {
            s.store
                .pause_counter(c.id, body.reason.as_deref().unwrap_or(""), now)
                .await?
        }
        "close" => s.store.close_counter(c.id, now).await?,
        other => {
            return Err(ApiError::not_found(format!(
                "unknown counter action {other:?}; use open, pause or close"
            )));
        }
    };
    Ok(Json(updated))
}

/// Calls the next ticket for this counter under the hall's calling policy; 204 when none waits.
#[utoipa::path(post, path = "/api/v1/counters/{counter}/call-next", tag = "counters",
    params(("counter" = i64, Path)),
    responses((status = 200, body = TicketView), (status = 204, description = "nobody waiting for this counter"), (status = 409, body = crate::error::Problem)))]
pub async fn call_next(
    State(s): State<AppState>,
    caller: Caller,
    Path(counter): Path<i64>,
) -> ApiResult<Response> {
    let c = workable(s.store.as_ref(), &caller, counter, false).await?;
    let now = now_ms();
    match s
        .store
        .call_next(c.id, caller.staff.as_ref().map(|st| st.id), now)
        .await?
    {
        Some(t) => Ok(Json(ticket_view(s.store.as_ref(), &t, now).await?).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
