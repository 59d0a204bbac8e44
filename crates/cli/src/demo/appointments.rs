//! Bookings (预约) in the demo hall: the past week's (checked in on time or late, a few
//! no-shows, one cancelled), today's (the morning's checked in or missed, the afternoon's
//! still to come) and the next days', each with its booking-code message in the notifier's
//! log, so the desk's list, the booking page and the kiosk's check-in have real codes.

use super::hall::DemoHall;
use crate::{CliError, CliResult};
use chrono::{Days, NaiveDate};
use servicehall_domain::appointments::{booking_code, slot_label, slot_start};
use servicehall_domain::notify::{NotifyEvent, render};
use servicehall_domain::time::parse_tz;
use servicehall_store::{BookingInput, NotificationInput, Store};
use std::collections::BTreeMap;

const NAMES: [&str; 8] = [
    "张女士",
    "李先生",
    "王女士",
    "赵先生",
    "刘女士",
    "陈先生",
    "杨女士",
    "周先生",
];

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::failed(format!("预约演示数据生成失败：{e} · demo bookings: {e}"))
}

/// What the demo seeded: (bookings, no-shows, today's still to come, one code to try).
pub struct Seeded {
    pub bookings: usize,
    pub no_shows: usize,
    pub upcoming_today: usize,
    pub example: Option<String>,
}

/// Seeds the bookings around `today`.
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    today: NaiveDate,
    now: i64,
) -> CliResult<Seeded> {
    let hall = &demo.hall;
    let tz = parse_tz(&hall.timezone).map_err(CliError::failed)?;
    let calendar = store.calendar().await.map_err(err)?;
    let mut out = Seeded {
        bookings: 0,
        no_shows: 0,
        upcoming_today: 0,
        example: None,
    };
    let mut n: u64 = 0;
    for offset in -7i64..=3 {
        let day = if offset < 0 {
            today - Days::new(offset.unsigned_abs())
        } else {
            today + Days::new(offset as u64)
        };
        if !calendar.is_working_day(day).value {
            continue;
        }
        // Nine bookings a day over 09:00–16:00, on the first three business types.
        for k in 0..9u64 {
            n += 1;
            let slot = 18 + ((k * 5 + n) % 15) as i64;
            let bt = &demo.types[(k % 3) as usize];
            let start = slot_start(day, slot, tz);
            let phone = format!("1390411{:04}", 1000 + n % 9000);
            let mut bytes = [0u8; 8];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = ((n * 131 + i as u64 * 17 + (n >> 3) * 7) % 256) as u8;
            }
            let code = booking_code(&bytes);
            let d = day.to_string();
            let values = BTreeMap::from([
                ("hall", hall.name.clone()),
                ("business", bt.name_zh.clone()),
                ("date", d.clone()),
                ("time", slot_label(slot)),
                ("code", code.clone()),
            ]);
            let booked_at = start - 26 * 3_600_000 - (k as i64) * 600_000;
            let input = BookingInput {
                hall_id: hall.id,
                business_type_id: bt.id,
                service_day: d,
                slot,
                slot_start: start,
                capacity: 4,
                phone: phone.clone(),
                name: NAMES[(n % 8) as usize].into(),
                code: code.clone(),
                channel: if k % 4 == 3 { "desk" } else { "phone" }.into(),
                phone_code_hash: None,
                no_show_limit: None,
                booked_by: None,
                message: NotificationInput {
                    hall_id: Some(hall.id),
                    event: NotifyEvent::BookingCode,
                    channel: "log".into(),
                    recipient: phone,
                    body: render(NotifyEvent::BookingCode, &values),
                    reference: code.clone(),
                },
            };
            let a = match store.book_appointment(&input, booked_at.min(now)).await {
                Ok(a) => a,
                Err(servicehall_store::StoreError::Conflict(_)) => continue,
                Err(e) => return Err(err(e)),
            };
            out.bookings += 1;
            if start + 40 * 60_000 < now {
                match k % 6 {
                    // A no-show: left for the scan below.
                    5 => out.no_shows += 1,
                    4 => {
                        store
                            .check_in_appointment(&code, hall.id, false, start + 25 * 60_000)
                            .await
                            .map_err(err)?;
                    }
                    3 if offset < 0 => {
                        store
                            .cancel_appointment(&code, start - 3 * 3_600_000)
                            .await
                            .map_err(err)?;
                    }
                    _ => {
                        store
                            .check_in_appointment(&code, hall.id, true, start - 5 * 60_000)
                            .await
                            .map_err(err)?;
                    }
                }
            } else if offset == 0 && start > now {
                out.upcoming_today += 1;
                if out.example.is_none() {
                    out.example = Some(a.code.clone());
                }
            } else if out.example.is_none() && offset > 0 {
                out.example = Some(a.code.clone());
            }
        }
    }
    store.mark_no_shows(now).await.map_err(err)?;
    Ok(out)
}
