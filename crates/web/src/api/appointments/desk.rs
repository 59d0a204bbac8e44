//! The staff's side: check-in at the kiosk or the guide desk (the booking becomes a
//! ticket), the day's bookings, booking at the guide desk, the hall's policy and the
//! notifier's log.

use super::public::{booking_input, view_of};
use super::view::{AppointmentView, CheckInView, DayView, NotificationView, SettingsView};
use crate::AppState;
use crate::api::{JsonBody, resolve_hall, ticket_view};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use servicehall_domain::Priority;
use servicehall_domain::access::Permission;
use servicehall_domain::appointments::{
    AppointmentPolicy, AppointmentState, Arrival, arrival, normalize_code, normalize_phone,
};
use servicehall_domain::time::{hhmm, parse_tz, service_day};
use servicehall_store::{IssueTicket, NotificationQuery};
use utoipa::{IntoParams, ToSchema};

/// Checks a booking in by its code (typed or scanned from its QR) and issues its ticket.
/// Within the hall's grace window around the slot's start the ticket is called ahead of
/// walk-ins; later it keeps walk-in order; earlier the kiosk is told when to come back
/// (409). Another day's or another hall's booking, or one already used, is a 409.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appointments/{code}/check-in", tag = "appointments",
    params(("hall" = String, Path), ("code" = String, Path)),
    responses((status = 201, body = CheckInView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn check_in(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, code)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<CheckInView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::IssueTicket, hall.id)?;
    crate::edge::refuse_if_edge_run(&s, hall.id).await?;
    let code = normalize_code(&code).ok_or_else(|| {
        ApiError::not_found(
            "预约码应为 8 位字母和数字，请核对 · a booking code is 8 letters and digits; check it",
        )
    })?;
    let a = s.store.appointment_by_code(&code).await?;
    let tz = parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let now = s.now();
    let today = service_day(now, tz).to_string();
    if a.hall_id == hall.id && a.state == AppointmentState::Booked && a.service_day != today {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "此预约在 {} {}，请当天来签到 · this booking is for {} {}; check in on that day",
                a.service_day,
                hhmm(a.slot_start, tz),
                a.service_day,
                hhmm(a.slot_start, tz)
            ),
        ));
    }
    let policy = s.store.appointment_settings(hall.id).await?.policy;
    let on_time = match arrival(a.slot_start, now, policy.grace_ms()) {
        Arrival::Early { opens_ms } => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "预约时段 {} 开始，请 {} 后再签到 · your slot starts at {}; check in from {}",
                    hhmm(a.slot_start, tz),
                    hhmm(opens_ms, tz),
                    hhmm(a.slot_start, tz),
                    hhmm(opens_ms, tz)
                ),
            ));
        }
        Arrival::OnTime => true,
        Arrival::Late => false,
    };
    let a = s
        .store
        .check_in_appointment(&code, hall.id, on_time, now)
        .await?;
    let req = IssueTicket {
        hall_id: hall.id,
        business_type_id: a.business_type_id,
        priority: Priority::Normal,
        green_reason: String::new(),
        proxy: false,
        // The ticket's channel is where the customer checked in.
        channel: match caller.actor.kind {
            servicehall_domain::access::ActorKind::Device(_) => "kiosk",
            servicehall_domain::access::ActorKind::Person(_) => "guide",
        }
        .into(),
        idempotency_key: None,
        code: crate::api::queue::ticket_code(now),
        kiosk: None,
        handling_ms: None,
    };
    let issued = match s.store.issue_ticket_placed(&req, now).await {
        Ok(i) => i,
        Err(e) => {
            // No ticket: the booking stays usable.
            s.store.undo_check_in(a.id).await?;
            return Err(e.into());
        }
    };
    let a = s.store.attach_ticket(a.id, issued.ticket.id).await?;
    let mut ticket = ticket_view(&s, &issued.ticket, now).await?;
    // The kiosk prints the slip from this answer, as for any ticket.
    ticket.code = Some(issued.ticket.code.clone());
    let message = if on_time {
        format!(
            "签到成功，您的号 {} 将优先叫号 · checked in: number {} is called ahead of walk-ins",
            ticket.number, ticket.number
        )
    } else {
        format!(
            "已超过预约时段，按到达顺序排队，您的号 {} · past your slot: number {} waits in arrival order",
            ticket.number, ticket.number
        )
    };
    Ok((
        StatusCode::CREATED,
        Json(CheckInView {
            appointment: view_of(&s, &a).await?,
            ticket,
            ahead_of_walk_ins: on_time,
            message,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct DayQuery {
    /// `YYYY-MM-DD`; today by default.
    pub date: Option<String>,
}

/// A hall's bookings of a day (today by default), by slot, with the day's counts.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/appointments", tag = "appointments",
    params(("hall" = String, Path), DayQuery),
    responses((status = 200, body = DayView), (status = 422, body = crate::error::Problem)))]
pub async fn day(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<DayQuery>,
) -> ApiResult<Json<DayView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Triage, hall.id)?;
    Ok(Json(
        day_view(&s, hall.id, &hall.timezone, q.date.as_deref()).await?,
    ))
}

/// The day's bookings as the desk and the manager see them.
pub async fn day_view(
    s: &AppState,
    hall_id: i64,
    timezone: &str,
    date: Option<&str>,
) -> ApiResult<DayView> {
    let date = match date.filter(|d| !d.trim().is_empty()) {
        Some(d) => super::parse_date(d)?.to_string(),
        None => {
            let tz = parse_tz(timezone).map_err(ApiError::unprocessable)?;
            service_day(s.now(), tz).to_string()
        }
    };
    let types = s.store.business_types(hall_id).await?;
    let rows = s.store.appointments_of_day(hall_id, &date).await?;
    let count = |st: AppointmentState| rows.iter().filter(|a| a.state == st).count();
    Ok(DayView {
        date: date.clone(),
        booked: count(AppointmentState::Booked),
        checked_in: count(AppointmentState::CheckedIn),
        no_show: count(AppointmentState::NoShow),
        cancelled: count(AppointmentState::Cancelled),
        appointments: rows
            .iter()
            .map(|a| AppointmentView::of(a, types.iter().find(|b| b.id == a.business_type_id)))
            .collect(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeskBookBody {
    pub business_type: String,
    pub date: String,
    pub time: String,
    pub phone: String,
    #[serde(default)]
    pub name: String,
}

/// Books at the guide desk: no phone code (the guide sees the customer) and no no-show
/// refusal — this is where the public page sends a phone with too many no-shows.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appointments", tag = "appointments",
    params(("hall" = String, Path)), request_body = DeskBookBody,
    responses((status = 201, body = AppointmentView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn book_at_desk(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(body): JsonBody<DeskBookBody>,
) -> ApiResult<(StatusCode, Json<AppointmentView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Triage, hall.id)?;
    crate::edge::refuse_bookings_on_edge(&s).await?;
    let phone = normalize_phone(&body.phone).map_err(ApiError::unprocessable)?;
    let mut input = booking_input(
        &s,
        &hall,
        &body.business_type,
        &body.date,
        &body.time,
        &phone,
        &body.name,
    )
    .await?;
    input.channel = "desk".into();
    input.booked_by = caller.staff.as_ref().map(|st| st.id);
    let a = s.store.book_appointment(&input, s.now()).await?;
    let mut v = view_of(&s, &a).await?;
    v.phone_masked = servicehall_domain::cases::mask::phone(&phone);
    Ok((StatusCode::CREATED, Json(v)))
}

/// The hall's appointment policy.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/appointment-settings", tag = "appointments",
    params(("hall" = String, Path)), responses((status = 200, body = SettingsView)))]
pub async fn settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<SettingsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    Ok(Json((&s.store.appointment_settings(hall.id).await?).into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    pub enabled: bool,
    /// Share of the planned capacity offered for booking, 0–100 %.
    pub bookable_share_pct: u32,
    /// A fixed number per slot instead (null: from the plan).
    pub manual_capacity: Option<u32>,
    /// Minutes either side of the slot's start in which a check-in is called first.
    pub grace_min: u32,
    /// No-shows in 90 days after which a phone books at the guide desk.
    pub no_show_limit: u32,
    /// Days ahead the public page offers.
    pub days_ahead: u32,
}

/// Sets the hall's appointment policy (the manager).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/appointment-settings", tag = "appointments",
    params(("hall" = String, Path)), request_body = SettingsBody,
    responses((status = 200, body = SettingsView), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<SettingsBody>,
) -> ApiResult<Json<SettingsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require_person()?;
    caller.require(Permission::Administer, hall.id)?;
    crate::edge::refuse_bookings_on_edge(&s).await?;
    let policy = AppointmentPolicy {
        enabled: b.enabled,
        bookable_share_pct: b.bookable_share_pct,
        manual_capacity: b.manual_capacity,
        grace_min: b.grace_min,
        no_show_limit: b.no_show_limit,
        days_ahead: b.days_ahead,
    };
    let by = caller.staff.as_ref().map(|st| st.id);
    let saved = s
        .store
        .set_appointment_settings(hall.id, &policy, by, s.now())
        .await?;
    Ok(Json((&saved).into()))
}

/// The notifier's log of the hall, newest first (recipients masked, phone codes hidden).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/notifications", tag = "appointments",
    params(("hall" = String, Path)), responses((status = 200, body = Vec<NotificationView>)))]
pub async fn notifications(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<NotificationView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require_person()?;
    caller.require(Permission::Administer, hall.id)?;
    let rows = s
        .store
        .notifications(&NotificationQuery {
            hall_id: Some(hall.id),
            limit: 200,
            ..Default::default()
        })
        .await?;
    Ok(Json(rows.iter().map(NotificationView::from).collect()))
}
