use super::*;
use chrono::{NaiveDate, NaiveTime};

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
}

fn offer<'a>(plan: &'a [(i64, i64)], policy: &'a AppointmentPolicy) -> DayOffer<'a> {
    DayOffer {
        day: day(),
        tz: chrono_tz::Asia::Shanghai,
        working_day: true,
        opens: t(9, 0),
        closes: t(12, 0),
        plan,
        serving_counters: 4,
        handling_s: 600,
        policy,
    }
}

#[test]
fn slots_cover_the_opening_hours_with_the_plans_share() {
    let policy = AppointmentPolicy::default();
    // 09:00 two counters, 09:30 three, 10:00 none planned: 3 visits per counter per half-hour.
    let plan = [(18, 2), (19, 3), (21, 6)];
    let slots = day_slots(&offer(&plan, &policy), 0);
    let got: Vec<(String, u32)> = slots
        .iter()
        .map(|s| (slot_label(s.slot), s.capacity))
        .collect();
    // 2×3×30 % = 1.8 → 1; 3×3×0.3 = 2.7 → 2; 10:30 plans 6 but only 4 counters serve → 3.
    assert_eq!(
        got,
        vec![
            ("09:00".into(), 1),
            ("09:30".into(), 2),
            ("10:30".into(), 3)
        ]
    );
    assert_eq!(
        slots[0].start_ms,
        crate::time::at_local(day(), t(9, 0), chrono_tz::Asia::Shanghai)
    );
}

#[test]
fn without_a_plan_every_serving_counter_counts_and_manual_capacity_wins() {
    let mut policy = AppointmentPolicy::default();
    let slots = day_slots(&offer(&[], &policy), 0);
    assert_eq!(slots.len(), 6, "09:00 … 11:30");
    assert!(slots.iter().all(|s| s.capacity == 3), "4×3×0.3 = 3.6 → 3");
    policy.manual_capacity = Some(5);
    assert!(
        day_slots(&offer(&[(18, 1)], &policy), 0)
            .iter()
            .all(|s| s.capacity == 5)
    );
}

#[test]
fn closed_days_started_slots_and_switched_off_bookings_offer_nothing() {
    let policy = AppointmentPolicy::default();
    let mut o = offer(&[], &policy);
    o.working_day = false;
    assert!(day_slots(&o, 0).is_empty());
    let o = offer(&[], &policy);
    let ten = crate::time::at_local(day(), t(10, 0), chrono_tz::Asia::Shanghai);
    let later = day_slots(&o, ten + 1);
    assert_eq!(slot_label(later[0].slot), "10:30", "10:00 has started");
    let off = AppointmentPolicy {
        enabled: false,
        ..Default::default()
    };
    assert!(day_slots(&offer(&[], &off), 0).is_empty());
    // Opening at 08:45 offers 09:00 first; closing at 11:45 ends with 11:00.
    let mut o = offer(&[], &policy);
    o.opens = t(8, 45);
    o.closes = t(11, 45);
    let s = day_slots(&o, 0);
    assert_eq!(slot_label(s[0].slot), "09:00");
    assert_eq!(slot_label(s.last().unwrap().slot), "11:00");
}

#[test]
fn slot_labels_round_trip_and_refuse_odd_minutes() {
    assert_eq!(slot_of_label("09:30"), Some(19));
    assert_eq!(slot_label(19), "09:30");
    assert_eq!(slot_of_label("09:15"), None);
    assert_eq!(slot_of_label("nine"), None);
}

#[test]
fn check_in_is_on_time_within_the_grace_either_side() {
    let g = 10 * 60_000;
    let start = 1_000_000_000;
    assert_eq!(
        arrival(start, start - g - 1, g),
        Arrival::Early {
            opens_ms: start - g
        }
    );
    assert_eq!(arrival(start, start - g, g), Arrival::OnTime);
    assert_eq!(arrival(start, start + g, g), Arrival::OnTime);
    assert_eq!(arrival(start, start + g + 1, g), Arrival::Late);
    assert_eq!(no_show_after(start, g), start + SLOT_MS + g);
}

#[test]
fn no_show_limit_sends_the_phone_to_the_guide_desk() {
    let p = AppointmentPolicy::default();
    assert!(!needs_guide_desk(2, &p));
    assert!(needs_guide_desk(3, &p));
    let m = guide_desk_message(3);
    assert!(m.starts_with("您近 90 天内已有 3 次"), "{m}");
    assert!(m.contains(" · "));
}

#[test]
fn reminders_skip_those_already_past_at_booking() {
    let h = 3_600_000;
    let slot = 100 * h;
    assert_eq!(
        reminders_needed(slot - 48 * h, slot),
        vec![Reminder::DayBefore, Reminder::HourBefore]
    );
    assert_eq!(
        reminders_needed(slot - 5 * h, slot),
        vec![Reminder::HourBefore]
    );
    assert!(reminders_needed(slot - h / 2, slot).is_empty());
    assert!(reminder_due(Reminder::HourBefore, slot, slot - h));
    assert!(!reminder_due(Reminder::HourBefore, slot, slot - h - 1));
    assert!(
        !reminder_due(Reminder::DayBefore, slot, slot),
        "the slot has begun"
    );
}

#[test]
fn booking_codes_avoid_look_alikes_and_normalize() {
    let code = booking_code(&[0, 1, 8, 9, 22, 23, 31, 255]);
    assert_eq!(code, "23ABQRZZ");
    for b in 0..=255u8 {
        let c = booking_code(&[b; CODE_LEN]);
        assert!(!c.contains(['0', 'O', '1', 'I']), "{c}");
    }
    assert_eq!(normalize_code(" 23ab-qrzz "), Some("23ABQRZZ".into()));
    assert_eq!(
        normalize_code("https://hall.example/a/23ABQRZZ"),
        Some("23ABQRZZ".into())
    );
    assert_eq!(normalize_code("23AB0RZZ"), None, "0 is never in a code");
    assert_eq!(normalize_code("23AB"), None);
}

#[test]
fn phones_and_phone_codes() {
    assert_eq!(normalize_phone("+86 138-0000-1234").unwrap(), "13800001234");
    assert!(normalize_phone("0411-1234567").is_err());
    assert!(normalize_phone("2380000123").is_err());
    assert_eq!(phone_code([0, 0, 0, 0]), "000000");
    assert_eq!(
        phone_code([0x40, 0x42, 0x0f, 0]),
        "000000",
        "1 000 000 wraps"
    );
    assert_eq!(phone_code([1, 0, 0, 0]), "000001");
    let a = phone_code_hash("13800001234", "123456");
    assert_eq!(a.len(), 64);
    assert_eq!(a, phone_code_hash("13800001234", " 123456 "));
    assert_ne!(
        a,
        phone_code_hash("13800001235", "123456"),
        "bound to the phone"
    );
}

#[test]
fn policy_validation_names_the_field() {
    assert!(AppointmentPolicy::default().validate().is_ok());
    let bad = AppointmentPolicy {
        bookable_share_pct: 120,
        ..Default::default()
    };
    assert!(bad.validate().unwrap_err().contains("bookable share"));
    let bad = AppointmentPolicy {
        no_show_limit: 0,
        ..Default::default()
    };
    assert!(bad.validate().unwrap_err().contains("no-show limit"));
}

#[test]
fn policy_changes_name_each_changed_field_with_old_and_new() {
    let old = AppointmentPolicy::default();
    assert!(policy_changes(&old, &old).is_empty(), "nothing to record");
    let new = AppointmentPolicy {
        grace_min: 15,
        manual_capacity: Some(4),
        ..old
    };
    assert_eq!(
        policy_changes(&old, &new),
        vec![
            (
                "manual_capacity",
                "按排班 · plan".to_string(),
                "4".to_string()
            ),
            ("grace_min", "10".to_string(), "15".to_string()),
        ]
    );
    assert_eq!(policy_field_zh("grace_min"), "签到宽限（分钟）");
}
