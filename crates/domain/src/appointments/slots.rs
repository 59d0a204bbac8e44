//! Which half-hours of a day can be booked and how many bookings each holds.
//!
//! A slot's capacity comes from the counters' plan (排班): the counters planned for that
//! half-hour that serve the business type, times the visits one counter handles in half an
//! hour, times the hall's bookable share; or a manual capacity. A day without a plan uses
//! every counter that serves the type. Only half-hours wholly inside the opening hours of a
//! working day are offered, and never one that has already started.

use super::{AppointmentPolicy, SLOT_MS, SLOTS_PER_DAY};
use crate::time::at_local;
use chrono::{NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

/// What the slot computation needs about one day and one business type.
#[derive(Debug, Clone)]
pub struct DayOffer<'a> {
    pub day: NaiveDate,
    pub tz: Tz,
    /// False on weekends and holidays of the working-day calendar (调休 days count as work).
    pub working_day: bool,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    /// The day's plan: (half-hour, counters); empty when the manager planned nothing.
    pub plan: &'a [(i64, i64)],
    /// Counters of the hall that serve the business type (主办 or 兼办).
    pub serving_counters: i64,
    /// The type's handling time per visit in seconds.
    pub handling_s: i64,
    pub policy: &'a AppointmentPolicy,
}

/// One bookable half-hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotCapacity {
    /// 0 = 00:00–00:30 hall time, as in the staffing plan.
    pub slot: i64,
    pub start_ms: i64,
    pub capacity: u32,
}

/// The half-hour's label, `09:30`.
pub fn slot_label(slot: i64) -> String {
    format!("{:02}:{:02}", slot / 2, (slot % 2) * 30)
}

/// The slot number of a `HH:MM` on the half-hour, or `None`.
pub fn slot_of_label(label: &str) -> Option<i64> {
    let t = crate::time::parse_hhmm(label).ok()?;
    (t.minute() % 30 == 0).then(|| i64::from(t.hour()) * 2 + i64::from(t.minute()) / 30)
}

/// The instant a slot starts, in unix milliseconds.
pub fn slot_start(day: NaiveDate, slot: i64, tz: Tz) -> i64 {
    let midnight = at_local(day, NaiveTime::MIN, tz);
    // Through the local clock, so a slot keeps its wall time on any offset.
    let secs = u32::try_from(slot.clamp(0, SLOTS_PER_DAY - 1) * 1800).unwrap_or(0);
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)
        .map(|t| at_local(day, t, tz))
        .unwrap_or(midnight + slot * SLOT_MS)
}

/// The bookable slots of the day, in order; empty on a closed day or with bookings off.
/// Slots that start before `now_ms` are left out.
pub fn day_slots(offer: &DayOffer<'_>, now_ms: i64) -> Vec<SlotCapacity> {
    if !offer.policy.enabled || !offer.working_day || offer.opens >= offer.closes {
        return Vec::new();
    }
    let minute = |t: NaiveTime| i64::from(t.hour()) * 60 + i64::from(t.minute());
    let (open, close) = (minute(offer.opens), minute(offer.closes));
    let first = (open + 29) / 30;
    let last = close / 30; // exclusive: the slot must end by closing
    (first..last)
        .filter_map(|slot| {
            let start_ms = slot_start(offer.day, slot, offer.tz);
            if start_ms < now_ms {
                return None;
            }
            let capacity = capacity_of(offer, slot);
            (capacity > 0).then_some(SlotCapacity {
                slot,
                start_ms,
                capacity,
            })
        })
        .collect()
}

/// One slot's capacity under the policy (0 when nothing can be booked).
pub fn capacity_of(offer: &DayOffer<'_>, slot: i64) -> u32 {
    if let Some(manual) = offer.policy.manual_capacity {
        return manual;
    }
    let counters = if offer.plan.is_empty() {
        offer.serving_counters
    } else {
        let planned = offer
            .plan
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(0, |(_, c)| *c);
        planned.min(offer.serving_counters)
    };
    let per_counter = 1800.0 / offer.handling_s.max(60) as f64;
    let share = f64::from(offer.policy.bookable_share_pct.min(100)) / 100.0;
    let cap = (counters.max(0) as f64 * per_counter * share).floor();
    cap.clamp(0.0, 200.0) as u32
}
