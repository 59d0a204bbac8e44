//! Manual entries (人工登记) while the business system (营销系统) is down: the counter
//! records each visit with what back-entry needs, the list keeps what is still to
//! back-enter (补录), and the day's figures count them apart.

use super::view::ManualEntryView;
use crate::AppState;
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::ManualEntryInput;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct EntriesQuery {
    /// `true`: every entry still to back-enter, whenever recorded; otherwise today's.
    #[serde(default)]
    pub pending: bool,
}

/// The manual entries and what they add to the day's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntriesView {
    pub entries: Vec<ManualEntryView>,
    /// Of these, still to back-enter.
    pub pending: usize,
    /// Money taken by hand, in fen.
    pub amount_fen: i64,
}

fn person(caller: &Caller) -> ApiResult<i64> {
    caller
        .actor
        .staff_id
        .ok_or_else(|| ApiError::forbidden("须由本人登记 · entries are signed by a person"))
}

/// Today's manual entries in the hall (hall-local day), or every one still to back-enter.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/manual-entries", tag = "incidents",
    params(("hall" = String, Path, description = "hall code or id"),
           ("pending" = Option<bool>, Query, description = "every entry still to back-enter")),
    responses((status = 200, body = EntriesView), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<EntriesQuery>,
) -> ApiResult<Json<EntriesView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::OperateCounter, hall.id)?;
    person(&caller)?;
    let (from, to) = today(&hall.timezone, s.now())?;
    let list = s.store.manual_entries(hall.id, from, to, q.pending).await?;
    Ok(Json(EntriesView {
        pending: list.iter().filter(|e| e.back_entered_at.is_none()).count(),
        amount_fen: list.iter().filter_map(|e| e.amount_fen).sum(),
        entries: list.iter().map(ManualEntryView::from).collect(),
    }))
}

/// The hall-local service day around `now`, as `[from, to)` in milliseconds.
pub fn today(tz: &str, now: i64) -> ApiResult<(i64, i64)> {
    let tz = parse_tz(tz).map_err(ApiError::unprocessable)?;
    let day = service_day(now, tz);
    let start = day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .map_or(now, |t| t.timestamp_millis());
    Ok((start, start + 24 * 3600 * 1000))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryBody {
    pub business_type_id: i64,
    /// The counter it was recorded at.
    #[serde(default)]
    pub counter_id: Option<i64>,
    pub customer_name: String,
    /// 户号; the account number or a phone number is needed to back-enter.
    #[serde(default)]
    pub account_no: String,
    #[serde(default)]
    pub phone: String,
    /// Money taken, in fen (分).
    #[serde(default)]
    pub amount_fen: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// Records a visit by hand while the business system is down.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/manual-entries", tag = "incidents",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = EntryBody,
    responses((status = 201, body = ManualEntryView), (status = 422, body = crate::error::Problem)))]
pub async fn record(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<EntryBody>,
) -> ApiResult<(StatusCode, Json<ManualEntryView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::OperateCounter, hall.id)?;
    let by = person(&caller)?;
    let e = s
        .store
        .record_manual_entry(
            &ManualEntryInput {
                hall_id: hall.id,
                counter_id: b.counter_id,
                business_type_id: b.business_type_id,
                customer_name: b.customer_name,
                account_no: b.account_no,
                phone: b.phone,
                amount_fen: b.amount_fen,
                note: b.note,
                by,
            },
            s.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&e).into())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BackEnterBody {
    /// The business system's transaction number for the back-entered visit.
    pub back_ref: String,
}

/// Marks an entry back-entered (补录) with the business system's own number.
#[utoipa::path(post, path = "/api/v1/manual-entries/{id}/back-enter", tag = "incidents",
    params(("id" = i64, Path)),
    request_body = BackEnterBody,
    responses((status = 200, body = ManualEntryView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn back_enter(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<BackEnterBody>,
) -> ApiResult<Json<ManualEntryView>> {
    let e = s.store.manual_entry(id).await?;
    caller.require(Permission::OperateCounter, e.hall_id)?;
    let by = person(&caller)?;
    let e = s
        .store
        .back_enter_manual_entry(id, &b.back_ref, by, s.now())
        .await?;
    Ok(Json((&e).into()))
}

/// The day's visits recorded by hand (of one clerk, or at one counter, when given) on the
/// hall-local day starting at `day_start`: (all of them, those with no ticket at their
/// counter). The served figures add the second and mark the first (含人工登记 N 笔).
pub async fn served_by_hand(
    store: &dyn servicehall_store::Store,
    hall_id: i64,
    day_start: i64,
    staff_id: Option<i64>,
    tickets: &[servicehall_store::TicketWithLog],
) -> ApiResult<(i64, i64)> {
    use servicehall_domain::incidents::by_hand::{at_counter, without_ticket};
    use servicehall_domain::queue::stats::LogEntry;
    let entries: Vec<(Option<i64>, i64)> = store
        .manual_entries(hall_id, day_start, day_start + 86_400_000, false)
        .await?
        .iter()
        .filter(|m| staff_id.is_none_or(|s| m.recorded_by == s))
        .map(|m| (m.counter_id, m.recorded_at))
        .collect();
    if entries.is_empty() {
        return Ok((0, 0));
    }
    let spans: Vec<_> = tickets
        .iter()
        .filter_map(|t| {
            let log: Vec<LogEntry> = t
                .log
                .iter()
                .map(|e| LogEntry {
                    state: e.state,
                    at_ms: e.at,
                })
                .collect();
            at_counter(t.ticket.counter_id, &log)
        })
        .collect();
    Ok((entries.len() as i64, without_ticket(&entries, &spans)))
}
