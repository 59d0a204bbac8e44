//! Appointments (预约): the public booking routes (no sign-in; the phone checked by a code
//! sent through the notifier), check-in at the kiosk or guide desk, the day's list, the
//! hall's policy and the notifier's log. Pages use these; see docs/appointments.md.

pub mod ahead;
pub mod desk;
pub mod public;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use servicehall_domain::access::Permission;
use servicehall_domain::appointments::{DayOffer, SlotCapacity, day_slots, slot_label};
use servicehall_domain::notify::{NotifyEvent, render};
use servicehall_domain::time::{parse_hhmm, parse_tz};
use servicehall_store::{Appointment, BusinessType, Hall, NotificationInput};
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The appointment routes and who may call them.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    OpenApiRouter::new()
        .routes(access(Public, routes!(public::slots)))
        .routes(access(Public, routes!(public::verify_phone)))
        .routes(access(Public, routes!(public::book)))
        .routes(access(
            Public,
            routes!(public::show, public::cancel, public::change),
        ))
        .routes(access(Perm(P::IssueTicket), routes!(desk::check_in)))
        .routes(access(
            Perm(P::Triage),
            routes!(desk::day, desk::book_at_desk),
        ))
        .routes(access(Perm(P::ViewStats), routes!(desk::settings)))
        .routes(access(
            StaffPerm(P::Administer),
            routes!(desk::set_settings),
        ))
        .routes(access(
            StaffPerm(P::Administer),
            routes!(desk::notifications),
        ))
}

/// The active business type `code` of the hall, or a 422 naming it.
pub(crate) async fn business_type(
    s: &AppState,
    hall: &Hall,
    code: &str,
) -> ApiResult<BusinessType> {
    s.store
        .business_types(hall.id)
        .await?
        .into_iter()
        .find(|b| b.code == code && b.active)
        .ok_or_else(|| {
            ApiError::unprocessable(format!(
                "本厅没有此业务类型 · unknown business type {code:?} in hall {}",
                hall.code
            ))
        })
}

/// `YYYY-MM-DD`, or a 422 saying so.
pub(crate) fn parse_date(d: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(format!(
            "日期格式应为 YYYY-MM-DD · the date must be YYYY-MM-DD, not {d:?}"
        ))
    })
}

/// The bookable slots of `date` for `bt` at `now` (none beyond the hall's booking window).
pub(crate) async fn offered_slots(
    s: &AppState,
    hall: &Hall,
    bt: &BusinessType,
    date: NaiveDate,
    now: i64,
) -> ApiResult<Vec<SlotCapacity>> {
    let tz = parse_tz(&hall.timezone).map_err(ApiError::unprocessable)?;
    let settings = s.store.appointment_settings(hall.id).await?;
    let today = servicehall_domain::time::service_day(now, tz);
    let last = today + chrono::Days::new(u64::from(settings.policy.days_ahead.max(1)) - 1);
    if date < today || date > last {
        return Ok(Vec::new());
    }
    let calendar = s.store.calendar().await?;
    let plan: Vec<(i64, i64)> = s
        .store
        .counter_plan(hall.id, &date.to_string())
        .await?
        .slots
        .iter()
        .map(|p| (p.slot, p.counters))
        .collect();
    let serving = s
        .store
        .counters(hall.id)
        .await?
        .iter()
        .filter(|c| c.primary.contains(&bt.id) || c.secondary.contains(&bt.id))
        .count() as i64;
    let offer = DayOffer {
        day: date,
        tz,
        working_day: calendar.is_working_day(date).value,
        opens: parse_hhmm(&hall.opens).map_err(ApiError::unprocessable)?,
        closes: parse_hhmm(&hall.closes).map_err(ApiError::unprocessable)?,
        plan: &plan,
        serving_counters: serving,
        handling_s: bt.target_handling_s,
        policy: &settings.policy,
    };
    Ok(day_slots(&offer, now))
}

/// A message about a booking to its phone, by the channel customers' messages go by.
pub(crate) fn message_for(
    a: &Appointment,
    event: NotifyEvent,
    values: &BTreeMap<&str, String>,
) -> NotificationInput {
    NotificationInput {
        hall_id: Some(a.hall_id),
        event,
        channel: crate::notify::customer_channel(),
        recipient: a.phone.clone(),
        body: render(event, values),
        reference: a.code.clone(),
    }
}

/// The values a booking's messages fill in.
fn booking_values(
    hall: &Hall,
    bt: &BusinessType,
    day: &str,
    slot: i64,
    code: &str,
) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("hall", hall.name.clone()),
        ("business", bt.name_zh.clone()),
        ("date", day.to_string()),
        ("time", slot_label(slot)),
        ("code", code.to_string()),
    ])
}

/// The booking-code message of a booking about to be made.
pub(crate) fn code_message(
    hall: &Hall,
    bt: &BusinessType,
    day: &str,
    slot: i64,
    code: &str,
    phone: &str,
) -> NotificationInput {
    NotificationInput {
        hall_id: Some(hall.id),
        event: NotifyEvent::BookingCode,
        channel: crate::notify::customer_channel(),
        recipient: phone.to_string(),
        body: render(
            NotifyEvent::BookingCode,
            &booking_values(hall, bt, day, slot, code),
        ),
        reference: code.to_string(),
    }
}

/// A booking's code or reminder message.
pub(crate) async fn booking_message(
    s: &AppState,
    a: &Appointment,
    event: NotifyEvent,
) -> ApiResult<NotificationInput> {
    let hall = s.store.hall(a.hall_id).await?;
    let bt = s.store.business_type(a.business_type_id).await?;
    let values = booking_values(&hall, &bt, &a.service_day, a.slot, &a.code);
    Ok(message_for(a, event, &values))
}

/// A fresh booking code.
pub(crate) fn new_code() -> ApiResult<String> {
    let mut bytes = [0u8; servicehall_domain::appointments::CODE_LEN];
    getrandom::fill(&mut bytes).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "系统无法生成随机数，请稍后再试 · no random source; try again later",
        )
    })?;
    Ok(servicehall_domain::appointments::booking_code(&bytes))
}
