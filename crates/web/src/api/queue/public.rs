//! The customer's side of a ticket, by the slip's code (no account; the code printed on the
//! slip and in its QR is the key, never the ticket id): the status the phone page follows,
//! leaving the queue (取消排队) and "I'm on my way" (我在路上).

use crate::AppState;
use crate::api::ticket_view;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use servicehall_domain::queue::ticket::turn_is_near;
use servicehall_store::Ticket;
use utoipa::ToSchema;

/// What the customer's phone shows: no names, no personal data.
#[derive(Serialize, ToSchema)]
pub struct PublicStatus {
    pub number: String,
    pub hall: String,
    pub business_type: String,
    pub business_type_en: String,
    pub state: String,
    pub state_zh: String,
    pub state_en: String,
    pub waiting_ahead: Option<i64>,
    pub estimated_wait_s: Option<i64>,
    pub counter_number: Option<i64>,
    pub issued_at: i64,
    /// The hall's threshold: the page warns at this many tickets ahead or fewer.
    pub notify_ahead: u32,
    /// The ticket waits with `notify_ahead` or fewer ahead: the page shows its notice.
    pub turn_near: bool,
    /// When the customer said "I'm on my way" (我在路上), if they did.
    pub on_way_at: Option<i64>,
}

/// The public status of a ticket by its slip code (for `/t/{code}`).
#[utoipa::path(get, path = "/api/v1/public/tickets/{code}", tag = "public",
    params(("code" = String, Path)), responses((status = 200, body = PublicStatus), (status = 404, body = crate::error::Problem)))]
pub async fn public_status(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicStatus>> {
    Ok(Json(public_status_of(&s, &code).await?))
}

/// 取消排队: the customer leaves the queue from the phone page. Only a waiting ticket can
/// leave (409 once called, served or closed); it then drops out of the waiting list and the
/// lobby display.
#[utoipa::path(post, path = "/api/v1/public/tickets/{code}/leave", tag = "public",
    params(("code" = String, Path, description = "the slip's code")),
    responses((status = 200, body = PublicStatus), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem, description = "the ticket no longer waits")))]
pub async fn leave(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicStatus>> {
    let t = by_code(&s, &code).await?;
    crate::edge::refuse_if_edge_run(&s, t.hall_id).await?;
    let left = s.store.leave_queue(t.id, s.now()).await?;
    Ok(Json(status_of(&s, &left).await?))
}

/// 我在路上: the customer says they are coming, while the ticket waits or is called; the
/// counter's queue view and the ticket show `on_way_at`. Saying it again keeps the first time.
#[utoipa::path(post, path = "/api/v1/public/tickets/{code}/on-way", tag = "public",
    params(("code" = String, Path, description = "the slip's code")),
    responses((status = 200, body = PublicStatus), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem, description = "being served or closed already")))]
pub async fn on_way(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicStatus>> {
    let t = by_code(&s, &code).await?;
    crate::edge::refuse_if_edge_run(&s, t.hall_id).await?;
    let marked = s.store.mark_on_way(t.id, s.now()).await?;
    Ok(Json(status_of(&s, &marked).await?))
}

/// The ticket behind a slip code (following transfers to the visit's last record).
async fn by_code(s: &AppState, code: &str) -> ApiResult<Ticket> {
    if code.len() > 64 {
        return Err(ApiError::not_found(
            "没有这个取号码，请核对取号凭条 · no ticket with that code; check the slip",
        ));
    }
    Ok(s.store.ticket_by_code(code).await?)
}

pub async fn public_status_of(s: &AppState, code: &str) -> ApiResult<PublicStatus> {
    let t = by_code(s, code).await?;
    status_of(s, &t).await
}

async fn status_of(s: &AppState, t: &Ticket) -> ApiResult<PublicStatus> {
    let hall = s.store.hall(t.hall_id).await?;
    let v = ticket_view(s, t, s.now()).await?;
    Ok(PublicStatus {
        number: v.number,
        hall: hall.name,
        business_type: v.business_type,
        business_type_en: v.business_type_en,
        state: v.state,
        state_zh: v.state_zh,
        state_en: t.state.label_en().into(),
        turn_near: turn_is_near(v.waiting_ahead, hall.notify_ahead),
        waiting_ahead: v.waiting_ahead,
        estimated_wait_s: v.estimated_wait_s,
        counter_number: v.counter_number,
        issued_at: v.issued_at,
        notify_ahead: hall.notify_ahead,
        on_way_at: t.on_way_at,
    })
}
