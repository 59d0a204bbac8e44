//! Issuing tickets, acting on them, rating them, and the customer's public status.

use crate::api::queue::view::{TicketActionView, TicketEventView, ticket_actions};
use crate::api::{JsonBody, OptionalJson, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::{DeviceKind, Priority, ReadBack, Role, TicketState};
use servicehall_store::{
    BusinessType, Hall, IssueTicket, KioskTap, Operator, Store, Ticket, TicketCommand, TicketEvent,
};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// Business type code, e.g. `payment`.
    pub business_type: String,
    /// `normal` (default) or `green` (绿色通道; needs `green_reason`).
    pub priority: Option<String>,
    pub green_reason: Option<String>,
    /// `kiosk`, `guide`, `app` or `api`; defaults from the caller.
    pub channel: Option<String>,
    /// 业务代办: staff handle the business on the customer's behalf.
    pub proxy: Option<bool>,
    /// Kiosks only: the customer confirmed they want another ticket of the same business
    /// within [`KIOSK_REPEAT_MS`] of the last (再取一张); without it a repeat tap gets the
    /// kiosk's last ticket again.
    pub another: Option<bool>,
}

/// A kiosk's repeat tap on the same business within this long gets its last ticket again.
pub const KIOSK_REPEAT_MS: i64 = 8_000;

/// The answer to an issue: the ticket, and whether it is the kiosk's last ticket given again
/// for a repeat tap (`repeat`, answered 200 instead of 201).
#[derive(Serialize, ToSchema)]
pub struct IssuedView {
    #[serde(flatten)]
    pub ticket: TicketView,
    pub repeat: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TicketView {
    pub id: i64,
    pub number: String,
    /// The slip's secret code (the follow page `/t/{code}`, the phone rating and survey):
    /// only in the issue response, to the kiosk or guide desk that prints the slip. Never
    /// in any other response, list or event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub hall_id: i64,
    pub business_type_id: i64,
    pub business_type: String,
    pub business_type_en: String,
    pub state: String,
    pub state_zh: String,
    pub priority: String,
    pub green_reason: String,
    pub proxy: bool,
    pub channel: String,
    pub issued_at: i64,
    pub queued_since: i64,
    pub counter_id: Option<i64>,
    pub counter_number: Option<i64>,
    pub recalls: i64,
    pub transferred_from: Option<i64>,
    pub waiting_ahead: Option<i64>,
    pub estimated_wait_s: Option<i64>,
    /// When the customer said "I'm on my way" (我在路上) on the phone page: a called ticket
    /// with this mark is coming, so a no-show can wait.
    pub on_way_at: Option<i64>,
    pub log: Vec<TicketEventView>,
    /// What a clerk may do to the ticket now (the counter console draws its buttons from it).
    pub actions: Vec<TicketActionView>,
}

/// Builds the full view of a ticket: names, counter number, queue position, log.
pub async fn ticket_view(state: &AppState, t: &Ticket, now: i64) -> ApiResult<TicketView> {
    let store = state.store.as_ref();
    let bt = store.business_type(t.business_type_id).await?;
    let hall = store.hall(t.hall_id).await?;
    ticket_view_in(state, &hall, &bt, t, now, Known::default()).await
}

/// What a caller of [`ticket_view_in`] has read already, so it is not read again.
#[derive(Default)]
struct Known<'a> {
    placement: Option<servicehall_store::Placement>,
    log: Option<Vec<TicketEvent>>,
    types: Option<&'a [BusinessType]>,
}

/// [`ticket_view`] with the ticket's hall and business type in hand, and its placement, log
/// and the hall's business types when the caller has them already (a fresh issue reads them
/// in the issuing transaction, and read the types to check the request).
async fn ticket_view_in(
    state: &AppState,
    hall: &Hall,
    bt: &BusinessType,
    t: &Ticket,
    now: i64,
    known: Known<'_>,
) -> ApiResult<TicketView> {
    let Known {
        placement,
        log,
        types,
    } = known;
    let store = state.store.as_ref();
    let counter_number = match t.counter_id {
        Some(c) => Some(store.counter(c).await?.number),
        None => None,
    };
    let (ahead, est) = if t.state == TicketState::Waiting {
        // Counted in the database (depth minus those behind) with the open counters that
        // serve the type: a slip must not cost a scan of the whole queue.
        let mut p = match placement {
            Some(p) => p,
            None => store.placement(t, hall.policy.green_first).await?,
        };
        let samples = crate::api::queue::view::handling_today(state, hall, now).await?;
        let handling = match types {
            Some(types) => crate::api::queue::view::handling_by_type(&samples, types),
            None => {
                let types = store.business_types(hall.id).await?;
                crate::api::queue::view::handling_by_type(&samples, &types)
            }
        };
        // On-time bookings checked in later are still called first (and so wait less).
        p.ahead =
            crate::api::appointments::ahead::ahead_with_bookings(state, hall, t, p.ahead).await?;
        (Some(p.ahead), p.estimate_s(bt.id, &handling))
    } else {
        (None, None)
    };
    Ok(TicketView {
        id: t.id,
        number: t.number.clone(),
        code: None,
        hall_id: t.hall_id,
        business_type_id: bt.id,
        business_type: bt.name_zh.clone(),
        business_type_en: bt.name_en.clone(),
        state: t.state.as_str().into(),
        state_zh: t.state.label_zh().into(),
        priority: t.priority.as_str().into(),
        green_reason: t.green_reason.clone(),
        proxy: t.proxy,
        channel: t.channel.clone(),
        issued_at: t.issued_at,
        queued_since: t.queued_since,
        counter_id: t.counter_id,
        counter_number,
        recalls: t.recalls,
        transferred_from: t.transferred_from,
        waiting_ahead: ahead,
        estimated_wait_s: est,
        on_way_at: t.on_way_at,
        log: match log {
            Some(log) => log,
            None => store.ticket_log(t.id).await?,
        }
        .iter()
        .map(TicketEventView::from)
        .collect(),
        actions: ticket_actions(t.state),
    })
}

/// Issues a ticket. Retrying with the same `Idempotency-Key` returns the same ticket.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/tickets", tag = "queue",
    params(("hall" = String, Path, description = "hall code or id"),
           ("Idempotency-Key" = Option<String>, Header, description = "retry-safe key")),
    request_body = IssueBody,
    responses((status = 201, body = IssuedView),
        (status = 200, body = IssuedView,
         description = "a kiosk's repeat tap within 8 s on the same business: its last ticket again, `repeat: true`"),
        (status = 409, body = crate::error::Problem,
         description = "a kiosk or integration asks for a business outside the reduced set of an active incident"),
        (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem,
         description = "this kiosk or integration token issues too fast; see Retry-After")))]
pub async fn issue(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<IssueBody>,
) -> ApiResult<(StatusCode, Json<IssuedView>)> {
    s.check_issue_rate(&caller)?;
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::IssueTicket, hall.id)?;
    crate::edge::refuse_if_edge_run(&s, hall.id).await?;
    let priority: Priority = body
        .priority
        .as_deref()
        .unwrap_or("normal")
        .parse()
        .map_err(ApiError::unprocessable)?;
    let proxy = body.proxy.unwrap_or(false);
    if priority == Priority::Green || proxy {
        caller.require(Permission::Triage, hall.id).map_err(|_| {
            ApiError::forbidden(
                "绿色通道和业务代办须由引导员标记 · green channel and proxy handling are marked by a lobby guide (引导员)",
            )
        })?;
    }
    let types = s.store.business_types(hall.id).await?;
    let bt = types
        .iter()
        .find(|b| b.code == body.business_type && b.active)
        .cloned()
        .ok_or_else(|| {
            ApiError::unprocessable(format!(
                "本厅没有此业务类型 · unknown business type {:?} in hall {}",
                body.business_type, hall.code
            ))
        })?;
    // An incident's reduced kiosk holds for self-service callers, not the guide desk.
    crate::api::incidents::kiosk::check_issue(s.store.as_ref(), &caller, hall.id, &bt.code, &types)
        .await?;
    let channel = body.channel.unwrap_or_else(|| {
        match caller.actor.kind {
            ActorKind::Device(DeviceKind::Kiosk) => "kiosk",
            ActorKind::Device(_) => "api",
            ActorKind::Person(_) => "guide",
        }
        .into()
    });
    // A key is the caller's own: another caller's same key is another request, never a
    // way to read the ticket (and its code) the first caller was given.
    let owner = match (&caller.device, &caller.staff) {
        (Some(d), _) => format!("d{}", d.id),
        (_, Some(st)) => format!("s{}", st.id),
        _ => "anon".into(),
    };
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str().map(|k| format!("{owner}:{k}")).map_err(|_| {
                ApiError::bad_request(
                    "幂等键 Idempotency-Key 须为 ASCII 字符 · Idempotency-Key must be ASCII",
                )
            })
        })
        .transpose()?;
    // Never before the hall's last ticket: a clock stepped back cannot reorder the queue.
    let now = s
        .issue_clock
        .stamp(s.store.as_ref(), hall.id, s.now())
        .await?;
    // The estimate's handling time goes with the request: the store works the estimate out
    // in the issuing transaction and keeps it, so the slip shows the figure later compared
    // with the actual wait (domain::queue::accuracy).
    let samples = crate::api::queue::view::handling_today(&s, &hall, now).await?;
    let req = IssueTicket {
        hall_id: hall.id,
        business_type_id: bt.id,
        priority,
        green_reason: body.green_reason.unwrap_or_default(),
        proxy,
        channel,
        idempotency_key: key,
        code: super::ticket_code(now),
        kiosk: match &caller.device {
            Some(d) if d.kind == DeviceKind::Kiosk => Some(KioskTap {
                device_id: d.id,
                window_ms: KIOSK_REPEAT_MS,
                another: body.another.unwrap_or(false),
            }),
            _ => None,
        },
        handling_ms: Some(crate::api::queue::view::handling_by_type(&samples, &types)),
    };
    let i = s.store.issue_ticket_placed(&req, now).await?;
    if !i.repeat {
        s.metrics
            .tickets_issued
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let known = Known {
        placement: i.placement,
        log: Some(i.log),
        types: Some(&types),
    };
    let mut view = ticket_view_in(&s, &hall, &bt, &i.ticket, now, known).await?;
    if let Some(kept) = i.estimated_wait_s {
        // Word for word what was kept (the same inputs give the same figure; this says so).
        view.estimated_wait_s = Some(kept);
    }
    // The slip is printed from this answer: the one place the code leaves the server.
    view.code = Some(i.ticket.code.clone());
    let status = if i.repeat {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(IssuedView {
            ticket: view,
            repeat: i.repeat,
        }),
    ))
}

/// A ticket with its timed state log.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "queue",
    params(("id" = i64, Path)), responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TicketView>> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::ViewHall, t.hall_id)?;
    Ok(Json(ticket_view(&s, &t, s.now()).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ActBody {
    /// finish: amount due in fen (唱收唱付), required for payment businesses.
    pub amount_due_fen: Option<i64>,
    /// finish: amount received in fen.
    pub amount_received_fen: Option<i64>,
    /// finish: how the visit ended — `completed` (已办结, the default), `missing_document`,
    /// `notice_only`, `transferred` or `other`; only `completed` needs the amounts of a
    /// payment business.
    pub outcome: Option<String>,
    /// transfer: target business type code.
    pub business_type: Option<String>,
    /// transfer: a particular counter number (optional).
    pub counter_number: Option<i64>,
    /// hold / transfer: why.
    pub reason: Option<String>,
}

/// The counter the caller works at, if they are a clerk on duty; hall managers may act anywhere.
pub async fn operator_for(store: &dyn Store, caller: &Caller, hall_id: i64) -> ApiResult<Operator> {
    let staff = caller.staff.as_ref().ok_or_else(|| {
        ApiError::forbidden("只有工作人员可以在窗口办理 · only staff work at counters")
    })?;
    let on_duty = store.counter_on_duty(hall_id, staff.id).await?;
    match (staff.role, on_duty) {
        (_, Some(c)) => Ok(Operator {
            staff_id: Some(staff.id),
            counter_id: Some(c.id),
        }),
        (Role::HallManager | Role::Admin, None) => Ok(Operator {
            staff_id: Some(staff.id),
            counter_id: None,
        }),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "您尚未在窗口上岗，请先挂牌上岗 · you are not on duty at a counter; open one first (挂牌上岗)",
        )),
    }
}

/// recall, start, finish, no-show, transfer, hold or resume.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/{action}", tag = "queue",
    params(("id" = i64, Path), ("action" = String, Path, description = "recall | start | finish | no-show | transfer | hold | resume")),
    request_body = Option<ActBody>,
    responses((status = 200, body = TicketView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(i64, String)>,
    OptionalJson(body): OptionalJson<ActBody>,
) -> ApiResult<Json<TicketView>> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::OperateCounter, t.hall_id)?;
    crate::edge::refuse_if_edge_run(&s, t.hall_id).await?;
    let body = body.unwrap_or_default();
    let cmd = match action.as_str() {
        "recall" => TicketCommand::Recall,
        "start" => TicketCommand::Start,
        "no-show" => TicketCommand::NoShow,
        "resume" => TicketCommand::Resume,
        "hold" => TicketCommand::Hold {
            reason: body.reason.unwrap_or_default(),
        },
        "finish" => TicketCommand::Finish {
            read_back: match (body.amount_due_fen, body.amount_received_fen) {
                (None, None) => None,
                (Some(due), Some(received)) => Some(
                    ReadBack::new(due, received)
                        .map_err(|e| ApiError::unprocessable(e.to_string()))?,
                ),
                _ => {
                    return Err(ApiError::unprocessable(
                        "请同时填写应收和实收金额（分） · give both amount_due_fen and amount_received_fen, in fen",
                    ));
                }
            },
            outcome: match body.outcome.as_deref() {
                None => VisitOutcome::Completed,
                Some(o) => o.parse().map_err(ApiError::unprocessable)?,
            },
        },
        "transfer" => {
            let code = body.business_type.ok_or_else(|| {
                ApiError::unprocessable(
                    "转办须选择目标业务 · transfer needs business_type (the target's code)",
                )
            })?;
            let bt = s
                .store
                .business_types(t.hall_id)
                .await?
                .into_iter()
                .find(|b| b.code == code)
                .ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "没有此业务类型 · unknown business type {code:?}"
                    ))
                })?;
            let counter_id = match body.counter_number {
                Some(n) => Some(
                    s.store
                        .counters(t.hall_id)
                        .await?
                        .into_iter()
                        .find(|c| c.number == n)
                        .ok_or_else(|| {
                            ApiError::unprocessable(format!(
                                "本厅没有此窗口 · no counter {n} in this hall"
                            ))
                        })?
                        .id,
                ),
                None => None,
            };
            TicketCommand::Transfer {
                business_type_id: bt.id,
                counter_id,
                reason: body.reason.unwrap_or_default(),
            }
        }
        other => {
            return Err(ApiError::not_found(format!(
                "未知的票号操作 · unknown ticket action {other:?}"
            )));
        }
    };
    let by = operator_for(s.store.as_ref(), &caller, t.hall_id).await?;
    let now = s.now();
    let updated = s.store.act_on_ticket(id, &cmd, by, now).await?;
    Ok(Json(ticket_view(&s, &updated, now).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.
    pub level: i64,
    /// Reason codes, required for levels 1 and 2.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// The evaluator pad's rating of a visit it saw finish at its counter (once per ticket).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/rating", tag = "queue",
    params(("id" = i64, Path)), request_body = RatingBody,
    responses((status = 201, body = RatingView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn rate(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RatingBody>,
) -> ApiResult<(StatusCode, Json<RatingView>)> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::Rate, t.hall_id)?;
    crate::edge::refuse_if_edge_run(&s, t.hall_id).await?;
    let device = caller.device.as_ref().ok_or_else(|| {
        ApiError::forbidden("评价只能来自评价器 · ratings come from the evaluator pad only")
    })?;
    let counter = device.counter_id.ok_or_else(|| {
        ApiError::forbidden("此评价器未绑定窗口 · this evaluator is not bound to a counter")
    })?;
    let r = s
        .store
        .rate(
            id,
            counter,
            Some(device.id),
            body.level,
            &body.reasons,
            s.config.rating_window_ms,
            s.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&r).into())))
}

/// A pad rating of a visit (好差评).
#[derive(Serialize, ToSchema)]
pub struct RatingView {
    pub ticket_id: i64,
    pub counter_id: i64,
    pub staff_id: Option<i64>,
    /// 1 (非常不满意) … 5 (非常满意).
    pub level: i64,
    pub reasons: Vec<String>,
    pub at: i64,
}

impl From<&servicehall_store::Rating> for RatingView {
    fn from(r: &servicehall_store::Rating) -> Self {
        Self {
            ticket_id: r.ticket_id,
            counter_id: r.counter_id,
            staff_id: r.staff_id,
            level: r.level,
            reasons: r.reasons.clone(),
            at: r.at,
        }
    }
}
