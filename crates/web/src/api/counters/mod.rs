//! Counters at work: open (挂牌), pause with a reason, close; call the next ticket.

pub mod view;

use super::{
    OptionalJson,
    tickets::{TicketView, ticket_view},
};
use crate::api::inspections::site_checks::counter_gate;
use crate::api::queue::view::DayStatsView;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::schedule::Gate;
use servicehall_store::{Counter, Store};
use utoipa::ToSchema;
use view::{CounterView, ReadBackView};

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CounterBody {
    /// open: the badge number of the clerk taking the counter; defaults to the caller.
    pub badge_no: Option<String>,
    /// pause: why (午休, 系统故障 …).
    pub reason: Option<String>,
    /// move: the closed counter of the same hall the clerk on duty moves to (调岗).
    pub to_counter: Option<i64>,
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
    let staff = caller.staff.as_ref().ok_or_else(|| {
        ApiError::forbidden("只有员工可以在窗口办理业务 · only staff work at counters")
    })?;
    let mine = c.clerk.as_ref().is_some_and(|k| k.staff_id == staff.id);
    if staff.role == Role::Clerk && !mine && !opening {
        return Err(ApiError::forbidden(format!(
            "{} 号窗口不是您在岗的窗口 · this counter is not staffed by you",
            c.number
        )));
    }
    Ok(c)
}

/// Open, pause or close a counter.
#[utoipa::path(post, path = "/api/v1/counters/{counter}/{action}", tag = "counters",
    params(("counter" = i64, Path), ("action" = String, Path, description = "open | pause | close | move")),
    request_body = Option<CounterBody>,
    responses((status = 200, body = CounterView), (status = 409, body = crate::error::Problem)))]
pub async fn set_status(
    State(s): State<AppState>,
    caller: Caller,
    Path((counter, action)): Path<(i64, String)>,
    OptionalJson(body): OptionalJson<CounterBody>,
) -> ApiResult<Json<CounterView>> {
    let body = body.unwrap_or_default();
    let c = workable(s.store.as_ref(), &caller, counter, action == "open").await?;
    crate::edge::refuse_if_edge_run(&s, c.hall_id).await?;
    let now = s.now();
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
                                "本厅没有工号为 {badge} 的员工 · no staff with badge {badge} in this hall"
                            ))
                        })?;
                    if Some(who.id) != me
                        && caller
                            .staff
                            .as_ref()
                            .is_some_and(|st| st.role == Role::Clerk)
                    {
                        return Err(ApiError::forbidden(
                            "柜员只能用本人工号开窗 · a clerk opens a counter with their own badge",
                        ));
                    }
                    who.id
                }
                None => me.ok_or_else(|| {
                    ApiError::unprocessable("请填写工号 badge_no · give badge_no")
                })?,
            };
            // Opening from closed meets the hall's pre-shift check; resuming a pause does not.
            if c.status == servicehall_store::CounterStatus::Closed {
                let hall = s.store.hall(c.hall_id).await?;
                let who = s.store.staff(staff_id).await?;
                if let Gate::Block(m) = counter_gate(s.store.as_ref(), &hall, &who, now).await? {
                    return Err(ApiError::new(StatusCode::CONFLICT, m));
                }
            }
            s.store.open_counter(c.id, staff_id, now).await?
        }
        "pause" => {
            s.store
                .pause_counter(c.id, body.reason.as_deref().unwrap_or(""), now)
                .await?
        }
        "close" => s.store.close_counter(c.id, now).await?,
        "move" => {
            // Moving someone else is the hall manager's call, not a clerk's.
            if caller
                .staff
                .as_ref()
                .is_some_and(|st| st.role == Role::Clerk)
            {
                return Err(ApiError::forbidden(
                    "调岗由值班长安排 · moving a clerk is for the hall manager",
                ));
            }
            let to = body.to_counter.ok_or_else(|| {
                ApiError::unprocessable("请选择调往的窗口 to_counter · give to_counter")
            })?;
            s.store.move_clerk(c.id, to, now).await?
        }
        other => {
            return Err(ApiError::not_found(format!(
                "没有窗口操作 {other:?}；请用 open、pause、close 或 move · unknown counter action {other:?}; use open, pause, close or move"
            )));
        }
    };
    Ok(Json(CounterView::from(&updated)))
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
    crate::edge::refuse_if_edge_run(&s, c.hall_id).await?;
    let now = s.now();
    match s
        .store
        .call_next(c.id, caller.staff.as_ref().map(|st| st.id), now)
        .await?
    {
        Some(t) => {
            s.metrics
                .tickets_called
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(Json(ticket_view(&s, &t, now).await?).into_response())
        }
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// What the counter console shows: the counter, the ticket at it, the next two it would call
/// (办一安二招呼三), and the clerk's figures for today.
#[derive(serde::Serialize, ToSchema)]
pub struct ConsoleView {
    pub counter: CounterView,
    pub current: Option<TicketView>,
    /// Read-back of the current ticket when it has one.
    pub read_back: Option<ReadBackView>,
    /// The next tickets this counter would call, best first (at most two).
    pub next: Vec<NextTicket>,
    pub waiting_for_me: i64,
    pub today: DayStatsView,
    pub max_recalls: u32,
    /// Said on the console when the clerk at the counter has no pre-shift check recorded
    /// today (the hall warns rather than blocks, or the counter opened before it blocked).
    pub pre_shift_warning: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct NextTicket {
    pub number: String,
    pub business_type: String,
    pub green: bool,
    pub waited_s: i64,
    /// When the customer said "I'm on my way" (我在路上) on the phone page, if they did.
    pub on_way_at: Option<i64>,
}

/// The counter console's view.
#[utoipa::path(get, path = "/api/v1/counters/{counter}/console", tag = "counters",
    params(("counter" = i64, Path)), responses((status = 200, body = ConsoleView)))]
pub async fn console(
    State(s): State<AppState>,
    caller: Caller,
    Path(counter): Path<i64>,
) -> ApiResult<Json<ConsoleView>> {
    use servicehall_domain::CounterCapability;
    use servicehall_domain::queue::policy::{WaitingTicket, rank_for_counter};
    let c = s.store.counter(counter).await?;
    caller.require(Permission::OperateCounter, c.hall_id)?;
    let hall = s.store.hall(c.hall_id).await?;
    let now = s.now();
    let types = s.store.business_types(hall.id).await?;
    let waiting = crate::api::queue::view::waiting_today(s.store.as_ref(), &hall, now).await?;
    let day = servicehall_domain::time::service_day(
        now,
        servicehall_domain::time::parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?,
    );
    let booked = s.store.on_time_tickets(hall.id, &day.to_string()).await?;
    let w: Vec<WaitingTicket> = waiting
        .iter()
        .map(|t| WaitingTicket {
            id: t.id,
            business_type_id: t.business_type_id,
            green: t.priority == servicehall_domain::Priority::Green,
            queued_since_ms: t.queued_since,
            target_counter_id: t.target_counter_id,
            booked: booked.contains(&t.id),
        })
        .collect();
    let targets = types
        .iter()
        .map(|b| (b.id, b.target_wait_s * 1000))
        .collect();
    let cap = CounterCapability {
        counter_id: c.id,
        primary: c.primary.clone(),
        secondary: c.secondary.clone(),
    };
    let ranked = rank_for_counter(&hall.policy, &cap, &w, &targets, now);
    let name = |id: i64| servicehall_store::business_type_name(&types, id);
    let next = ranked
        .iter()
        .take(2)
        .filter_map(|r| waiting.iter().find(|t| t.id == r.id))
        .map(|t| NextTicket {
            number: t.number.clone(),
            business_type: name(t.business_type_id),
            green: t.priority == servicehall_domain::Priority::Green,
            waited_s: (now - t.queued_since) / 1000,
            on_way_at: t.on_way_at,
        })
        .collect();
    let current = match s.store.current_at_counter(c.id).await? {
        Some(t) => Some(ticket_view(&s, &t, now).await?),
        None => None,
    };
    let read_back = match &current {
        Some(t) => s.store.read_back(t.id).await?,
        None => None,
    };
    let clerk = c.clerk.as_ref().map(|k| k.staff_id);
    let today = crate::api::queue::view::today_stats(s.store.as_ref(), &hall, clerk, now)
        .await?
        .figures;
    let pre_shift_warning = match &c.clerk {
        Some(k) if c.status != servicehall_store::CounterStatus::Closed => {
            let who = s.store.staff(k.staff_id).await?;
            match counter_gate(s.store.as_ref(), &hall, &who, now).await? {
                Gate::Open => None,
                Gate::Warn(m) | Gate::Block(m) => Some(m),
            }
        }
        _ => None,
    };
    Ok(Json(ConsoleView {
        pre_shift_warning,
        waiting_for_me: ranked.len() as i64,
        counter: CounterView::from(&c),
        current,
        read_back: read_back.as_ref().map(ReadBackView::from),
        next,
        today,
        max_recalls: hall.policy.max_recalls,
    }))
}

/// The read-back (唱收唱付) of a finished payment: due, received and change. The evaluator
/// pad shows it to the customer beside the rating; the receipt prints it.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/read-back", tag = "counters",
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadBackView), (status = 404, body = crate::error::Problem)))]
pub async fn read_back(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReadBackView>> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::ViewHall, t.hall_id)?;
    let rb = s.store.read_back(id).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "此票没有唱收唱付记录 · ticket {} has no read-back (not a payment, or not finished)",
            t.number
        ))
    })?;
    Ok(Json(ReadBackView::from(&rb)))
}
