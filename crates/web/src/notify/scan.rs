//! The appointments' background step, beside the case and KRI scans: marks no-shows,
//! queues the reminders (the day before, an hour before) and tells a booked customer when
//! few are ahead and when their ticket is called. Each notice is queued once
//! (`AppointmentStore::queue_booking_notice`), so several nodes may run it. With a hall
//! edge (docs/edge.md) each notice has one sender: reminders are about the booking, which is
//! central's, so the edge sends none; "few ahead" and "called" follow the live queue, which
//! the edge runs, so central sends none for an edge-run hall.

use crate::AppState;
use crate::api::appointments::{booking_message, message_for};
use crate::error::ApiResult;
use servicehall_domain::TicketState;
use servicehall_domain::appointments::{Reminder, reminder_due, reminders_needed};
use servicehall_domain::notify::NotifyEvent;
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::BookingNotice;
use std::collections::BTreeMap;

/// One pass at `now`.
pub async fn step(state: &AppState, now: i64) -> ApiResult<()> {
    let store = state.store.as_ref();
    store.mark_no_shows(now).await?;
    let on_edge = store.edge_armed().await?;
    let reminders = if on_edge {
        Vec::new()
    } else {
        store
            .upcoming_appointments(now, Reminder::DayBefore.lead_ms())
            .await?
    };
    for a in reminders {
        // The latest reminder due now; one whose time had passed at booking is never sent.
        let level = reminders_needed(a.booked_at, a.slot_start)
            .into_iter()
            .filter(|r| reminder_due(*r, a.slot_start, now))
            .map(|r| match r {
                Reminder::DayBefore => 1,
                Reminder::HourBefore => 2,
            })
            .max();
        if let Some(level) = level.filter(|l| *l > a.reminded) {
            let msg = booking_message(state, &a, NotifyEvent::Reminder).await?;
            store
                .queue_booking_notice(a.id, BookingNotice::Reminder(level), &msg, now)
                .await?;
        }
    }
    let edge_run: std::collections::HashSet<i64> = store
        .edge_halls()
        .await?
        .iter()
        .map(|e| e.hall_id)
        .collect();
    for hall in store.halls().await? {
        if edge_run.contains(&hall.id) {
            continue;
        }
        let Ok(tz) = parse_tz(&hall.timezone) else {
            continue;
        };
        let day = service_day(now, tz).to_string();
        for a in store.appointments_of_day(hall.id, &day).await? {
            let Some(ticket_id) = a.ticket_id else {
                continue;
            };
            let t = store.ticket(ticket_id).await?;
            let mut values =
                BTreeMap::from([("hall", hall.name.clone()), ("number", t.number.clone())]);
            match t.state {
                TicketState::Called => {
                    let counter = match t.counter_id {
                        Some(c) => store.counter(c).await?.number.to_string(),
                        None => String::new(),
                    };
                    values.insert("counter", counter);
                    let msg = message_for(&a, NotifyEvent::Called, &values);
                    store
                        .queue_booking_notice(a.id, BookingNotice::Called, &msg, now)
                        .await?;
                }
                TicketState::Waiting => {
                    let status = crate::api::public_status_of(state, &t.code).await?;
                    if status.turn_near {
                        values.insert("n", status.waiting_ahead.unwrap_or(0).to_string());
                        let msg = message_for(&a, NotifyEvent::Ahead, &values);
                        store
                            .queue_booking_notice(a.id, BookingNotice::Ahead, &msg, now)
                            .await?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
