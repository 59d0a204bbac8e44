//! The customer's side, without sign-in: the slots, the phone check, booking, looking a
//! booking up by its code, changing and cancelling it.

use super::view::{AppointmentView, PhoneCodeSentView, SlotView, SlotsView};
use super::{business_type, code_message, new_code, offered_slots, parse_date};
use crate::AppState;
use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::security::ClientAddr;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use servicehall_domain::appointments::{
    NO_SHOW_WINDOW_DAYS, PHONE_CODE_TTL_MS, normalize_code, normalize_phone, phone_code,
    phone_code_hash, slot_of_label,
};
use servicehall_domain::notify::{NotifyEvent, render};
use servicehall_store::{Appointment, BookingInput, Hall, NotificationInput};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct SlotsQuery {
    /// The business type's code.
    pub business_type: String,
    /// `YYYY-MM-DD`, hall time.
    pub date: String,
}

/// The bookable half-hours of a business on a day, with what is left of each.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/slots", tag = "appointments",
    params(("hall" = String, Path), SlotsQuery),
    responses((status = 200, body = SlotsView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn slots(
    State(s): State<AppState>,
    Path(hall): Path<String>,
    Query(q): Query<SlotsQuery>,
) -> ApiResult<Json<SlotsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    let bt = business_type(&s, &hall, &q.business_type).await?;
    let date = parse_date(&q.date)?;
    let offered = offered_slots(&s, &hall, &bt, date, s.now()).await?;
    let counts = s
        .store
        .slot_counts(hall.id, bt.id, &date.to_string())
        .await?;
    let slots = offered
        .iter()
        .map(|o| {
            let booked = counts
                .iter()
                .find(|c| c.slot == o.slot)
                .map_or(0, |c| c.booked);
            SlotView {
                time: servicehall_domain::appointments::slot_label(o.slot),
                start_ms: o.start_ms,
                capacity: o.capacity,
                booked,
                free: (i64::from(o.capacity) - booked).max(0),
            }
        })
        .collect::<Vec<_>>();
    Ok(Json(SlotsView {
        hall: hall.code.clone(),
        business_type: bt.code.clone(),
        business_type_zh: bt.name_zh.clone(),
        date: date.to_string(),
        open: !slots.is_empty(),
        slots,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyPhoneBody {
    /// An 11-digit mobile number.
    pub phone: String,
}

/// Codes per phone: one a minute, five an hour; per client address: twenty an hour.
const PER_PHONE_MINUTE: i64 = 1;
const PER_PHONE_HOUR: i64 = 5;
const PER_CLIENT_HOUR: i64 = 20;

/// Sends a six-digit code to the phone (valid 5 minutes). The code goes only through the
/// notifier, never in this answer; 429 when asked too often.
#[utoipa::path(post, path = "/api/v1/public/halls/{hall}/verify-phone", tag = "appointments",
    params(("hall" = String, Path)), request_body = VerifyPhoneBody,
    responses((status = 202, body = PhoneCodeSentView), (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem, description = "too many codes for this phone or address")))]
pub async fn verify_phone(
    State(s): State<AppState>,
    Path(hall): Path<String>,
    addr: ClientAddr,
    JsonBody(body): JsonBody<VerifyPhoneBody>,
) -> ApiResult<(StatusCode, Json<PhoneCodeSentView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    let phone = normalize_phone(&body.phone).map_err(ApiError::unprocessable)?;
    let client = addr.show();
    let now = s.now();
    let (minute, _) = s
        .store
        .phone_codes_sent(&phone, &client, now - 60_000)
        .await?;
    let (hour, from_client) = s
        .store
        .phone_codes_sent(&phone, &client, now - 3_600_000)
        .await?;
    if minute >= PER_PHONE_MINUTE {
        return Err(ApiError::too_many(
            60,
            "验证码已发送，请 1 分钟后再获取 · a code was just sent; ask again in a minute",
        ));
    }
    if hour >= PER_PHONE_HOUR || from_client >= PER_CLIENT_HOUR {
        return Err(ApiError::too_many(
            3600,
            "获取验证码过于频繁，请 1 小时后再试 · too many codes; try again in an hour",
        ));
    }
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "系统无法生成随机数，请稍后再试 · no random source; try again later",
        )
    })?;
    let code = phone_code(random);
    let message = NotificationInput {
        hall_id: Some(hall.id),
        event: NotifyEvent::PhoneCode,
        channel: crate::notify::customer_channel(),
        recipient: phone.clone(),
        body: render(
            NotifyEvent::PhoneCode,
            &BTreeMap::from([("hall", hall.name.clone()), ("code", code.clone())]),
        ),
        reference: String::new(),
    };
    s.store
        .store_phone_code(
            &phone,
            &client,
            &phone_code_hash(&phone, &code),
            now + PHONE_CODE_TTL_MS,
            &message,
            now,
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PhoneCodeSentView {
            sent: true,
            to: servicehall_domain::cases::mask::phone(&phone),
            expires_in_s: PHONE_CODE_TTL_MS / 1000,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    pub business_type: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The slot's start, `HH:MM` on the half-hour.
    pub time: String,
    pub phone: String,
    /// The six digits sent to the phone.
    pub phone_code: String,
    /// How to address the customer (optional).
    #[serde(default)]
    pub name: String,
}

/// Works out the slot and its capacity and builds the booking.
pub(crate) async fn booking_input(
    s: &AppState,
    hall: &Hall,
    business: &str,
    date: &str,
    time: &str,
    phone: &str,
    name: &str,
) -> ApiResult<BookingInput> {
    let bt = business_type(s, hall, business).await?;
    let date = parse_date(date)?;
    let slot = slot_of_label(time.trim()).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "时段应为整点或半点，如 09:30 · the time must be on the half-hour like 09:30, not {time:?}"
        ))
    })?;
    let offered = offered_slots(s, hall, &bt, date, s.now()).await?;
    let o = offered.iter().find(|o| o.slot == slot).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "{date} {time} 不可预约，请从可选时段中选择 · {date} {time} cannot be booked; pick one of the offered times"
        ))
    })?;
    let code = new_code()?;
    let day = date.to_string();
    if name.chars().count() > 40 {
        return Err(ApiError::unprocessable(
            "称呼最多 40 个字 · the name is at most 40 characters",
        ));
    }
    Ok(BookingInput {
        hall_id: hall.id,
        business_type_id: bt.id,
        service_day: day.clone(),
        slot,
        slot_start: o.start_ms,
        capacity: o.capacity,
        phone: phone.to_string(),
        name: name.trim().to_string(),
        message: code_message(hall, &bt, &day, slot, &code, phone),
        code,
        channel: "phone".into(),
        phone_code_hash: None,
        no_show_limit: None,
        booked_by: None,
    })
}

/// The view of a booking with its business type (and, when changed, its successor's code).
pub(crate) async fn view_of(s: &AppState, a: &Appointment) -> ApiResult<AppointmentView> {
    let bt = s.store.business_type(a.business_type_id).await.ok();
    let mut v = AppointmentView::of(a, bt.as_ref());
    if let Some(next) = a.replaced_by {
        let day = s
            .store
            .appointments_of_day(a.hall_id, &a.service_day)
            .await?;
        v.replaced_by_code = day.iter().find(|x| x.id == next).map(|x| x.code.clone());
    }
    Ok(v)
}

/// Books a slot: 201 with the booking code (also sent to the phone), 409 when the slot is
/// full or the phone already holds a booking for the business that day, 403 after too many
/// no-shows (book at the guide desk), 422 for a wrong or expired phone code.
#[utoipa::path(post, path = "/api/v1/public/halls/{hall}/appointments", tag = "appointments",
    params(("hall" = String, Path)), request_body = BookBody,
    responses((status = 201, body = AppointmentView),
        (status = 403, body = crate::error::Problem, description = "too many no-shows: book at the guide desk"),
        (status = 409, body = crate::error::Problem, description = "the slot is full"),
        (status = 422, body = crate::error::Problem)))]
pub async fn book(
    State(s): State<AppState>,
    Path(hall): Path<String>,
    JsonBody(body): JsonBody<BookBody>,
) -> ApiResult<(StatusCode, Json<AppointmentView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    crate::edge::refuse_bookings_on_edge(&s).await?;
    let phone = normalize_phone(&body.phone).map_err(ApiError::unprocessable)?;
    let settings = s.store.appointment_settings(hall.id).await?;
    let now = s.now();
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
    input.phone_code_hash = Some(phone_code_hash(&phone, &body.phone_code));
    input.no_show_limit = Some((
        settings.policy.no_show_limit,
        now - NO_SHOW_WINDOW_DAYS * 86_400_000,
    ));
    let a = s.store.book_appointment(&input, now).await?;
    let mut v = view_of(&s, &a).await?;
    // The customer who booked sees their own number.
    v.phone_masked = servicehall_domain::cases::mask::phone(&phone);
    Ok((StatusCode::CREATED, Json(v)))
}

fn code_of(raw: &str) -> ApiResult<String> {
    normalize_code(raw).ok_or_else(|| {
        ApiError::not_found(
            "预约码应为 8 位字母和数字，请核对 · a booking code is 8 letters and digits; check it",
        )
    })
}

/// A booking by its code (the code is the customer's key; the phone stays masked).
#[utoipa::path(get, path = "/api/v1/public/appointments/{code}", tag = "appointments",
    params(("code" = String, Path)),
    responses((status = 200, body = AppointmentView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<AppointmentView>> {
    let a = s.store.appointment_by_code(&code_of(&code)?).await?;
    Ok(Json(view_of(&s, &a).await?))
}

/// Cancels a booking not yet checked in (409 otherwise); its seat is free again.
#[utoipa::path(delete, path = "/api/v1/public/appointments/{code}", tag = "appointments",
    params(("code" = String, Path)),
    responses((status = 200, body = AppointmentView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn cancel(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<AppointmentView>> {
    crate::edge::refuse_bookings_on_edge(&s).await?;
    let a = s
        .store
        .cancel_appointment(&code_of(&code)?, s.now())
        .await?;
    Ok(Json(view_of(&s, &a).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM` on the half-hour.
    pub time: String,
}

/// Changes a booking to another time of the same business: the old one is cancelled and the
/// new one booked in one step (a new code, sent to the phone); 409 when the new slot is
/// full, and then nothing changed.
#[utoipa::path(put, path = "/api/v1/public/appointments/{code}", tag = "appointments",
    params(("code" = String, Path)), request_body = ChangeBody,
    responses((status = 200, body = AppointmentView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn change(
    State(s): State<AppState>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<ChangeBody>,
) -> ApiResult<Json<AppointmentView>> {
    let code = code_of(&code)?;
    crate::edge::refuse_bookings_on_edge(&s).await?;
    let old = s.store.appointment_by_code(&code).await?;
    let hall = s.store.hall(old.hall_id).await?;
    let bt = s.store.business_type(old.business_type_id).await?;
    let mut input = booking_input(
        &s, &hall, &bt.code, &body.date, &body.time, &old.phone, &old.name,
    )
    .await?;
    input.channel = old.channel.clone();
    let a = s.store.change_appointment(&code, &input, s.now()).await?;
    Ok(Json(view_of(&s, &a).await?))
}
