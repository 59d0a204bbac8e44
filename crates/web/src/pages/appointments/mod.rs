//! Appointment screens: the public booking page (phone-sized, no sign-in), a booking's own
//! page with its code and QR, the kiosk's 预约签到 (check-in by code or scanned QR), and
//! `/appointments` for the guide desk and the manager (the day's bookings, check-in,
//! no-shows, booking at the desk, the policy and the delivery log).

use crate::AppState;
use crate::api::appointments::desk::day_view;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::queue::slip::qr_svg;
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::appointments::{normalize_code, slot_label};
use servicehall_domain::time::{parse_tz, service_day};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/h/{hall}/book", get(book_page))
        .route("/a/{code}", get(booking_page))
        .route("/kiosk/check-in", get(kiosk_check_in))
        .route("/appointments", get(desk_page))
}

#[derive(Template)]
#[template(path = "appointments/book.html")]
struct Book {
    chrome: Chrome,
    data: String,
    hall_name: String,
}

/// Days the booking page offers, `(date, 中文 label)`.
fn days(today: chrono::NaiveDate, n: u32) -> Vec<serde_json::Value> {
    const WEEK: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    use chrono::Datelike;
    (0..n.max(1))
        .map(|i| {
            let d = today + chrono::Days::new(u64::from(i));
            let label = match i {
                0 => "今天".to_string(),
                1 => "明天".to_string(),
                _ => format!("周{}", WEEK[d.weekday().num_days_from_monday() as usize]),
            };
            serde_json::json!({"date": d.to_string(), "label": label, "md": d.format("%-m/%-d").to_string()})
        })
        .collect()
}

async fn book_page(
    State(s): State<AppState>,
    Path(hall): Path<String>,
    Query(q): Query<ChangeQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = crate::api::resolve_hall(s.store.as_ref(), &hall).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let settings = s.store.appointment_settings(hall.id).await?;
    let types: Vec<_> = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .filter(|b| b.active)
        .map(|b| serde_json::json!({"code": b.code, "zh": b.name_zh, "en": b.name_en}))
        .collect();
    let change = q.change.as_deref().and_then(normalize_code);
    let data = serde_json::json!({
        "hall": hall.code, "timezone": hall.timezone, "enabled": settings.policy.enabled,
        "types": types, "days": days(service_day(s.now(), tz), settings.policy.days_ahead),
        "change": change,
    });
    render(&Book {
        chrome: Chrome::bare("预约办理 Book a visit", "", "appt-public"),
        data: json_for_script(&data),
        hall_name: hall.name,
    })
}

#[derive(serde::Deserialize, Default)]
struct ChangeQuery {
    change: Option<String>,
}

#[derive(Template)]
#[template(path = "appointments/booking.html")]
struct Booking {
    chrome: Chrome,
    data: String,
    code: String,
    hall_name: String,
    hall_code: String,
    address: String,
    business: String,
    when: String,
    state_zh: String,
    state_en: String,
    state: String,
    qr: String,
}

async fn booking_page(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let code = normalize_code(&code).ok_or_else(|| {
        crate::error::ApiError::not_found(
            "预约码应为 8 位字母和数字，请核对 · a booking code is 8 letters and digits; check it",
        )
    })?;
    let a = s.store.appointment_by_code(&code).await?;
    let hall = s.store.hall(a.hall_id).await?;
    let bt = s.store.business_type(a.business_type_id).await?;
    let data = serde_json::json!({"code": a.code, "hall": hall.code, "state": a.state.as_str()});
    render(&Booking {
        chrome: Chrome::bare("我的预约 My booking", "", "appt-public"),
        data: json_for_script(&data),
        // The QR carries the code only: the kiosk's scanner types it into the check-in box.
        qr: qr_svg(&a.code),
        code: a.code.clone(),
        hall_name: hall.name,
        hall_code: hall.code,
        address: hall.address,
        business: format!("{} {}", bt.name_zh, bt.name_en),
        when: format!("{} {}", a.service_day, slot_label(a.slot)),
        state: a.state.as_str().into(),
        state_zh: a.state.label_zh().into(),
        state_en: a.state.label_en().into(),
    })
}

#[derive(Template)]
#[template(path = "appointments/kiosk.html")]
struct KioskCheckIn {
    chrome: Chrome,
    data: String,
    hall_name: String,
    keys: Vec<char>,
}

async fn kiosk_check_in(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::IssueTicket, hall.id)?;
    let data = serde_json::json!({"hall": hall.code, "timezone": hall.timezone});
    render(&KioskCheckIn {
        chrome: Chrome::bare("预约签到 Check in", &caller.csrf, "kiosk appt-kiosk"),
        data: json_for_script(&data),
        hall_name: hall.name,
        keys: servicehall_domain::appointments::CODE_ALPHABET
            .iter()
            .map(|b| *b as char)
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "appointments/desk.html")]
struct Desk {
    chrome: Chrome,
    data: String,
    hall_name: String,
    manager: bool,
}

#[derive(serde::Deserialize, Default)]
struct DeskQuery {
    hall: Option<String>,
    date: Option<String>,
}

async fn desk_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<DeskQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Triage, hall.id)?;
    let day = day_view(&s, hall.id, &hall.timezone, q.date.as_deref()).await?;
    let manager = caller.actor.may(Permission::Administer, hall.id)
        && matches!(
            caller.actor.kind,
            servicehall_domain::access::ActorKind::Person(_)
        );
    let settings = s.store.appointment_settings(hall.id).await?;
    let types: Vec<_> = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .filter(|b| b.active)
        .map(|b| serde_json::json!({"code": b.code, "zh": b.name_zh}))
        .collect();
    let data = serde_json::json!({
        "hall": hall.code, "timezone": hall.timezone, "day": day, "types": types,
        "manager": manager,
        "settings": crate::api::appointments::view::SettingsView::from(&settings),
        "public_url": format!("/h/{}/book", hall.code),
    });
    render(&Desk {
        chrome: Chrome::staff("预约 Appointments", "/appointments", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name,
        manager,
    })
}
