//! Appointments and the notifier's log on both backends: capacity (also under concurrent
//! bookings), the phone check, change and cancel, no-shows, check-in ahead of walk-ins,
//! notices sent once, deliveries claimed once and retried.

use crate::fixture::*;
use servicehall_domain::appointments::{AppointmentState, phone_code_hash};
use servicehall_domain::notify::{DeliveryStatus, MAX_ATTEMPTS, NotifyEvent};
use servicehall_store::*;

on_both!(
    bookings_keep_capacity_and_change_or_cancel_atomically,
    concurrent_bookings_fill_exactly_the_capacity,
    the_phone_code_is_checked_and_spent,
    no_shows_are_marked_and_send_the_phone_to_the_desk,
    an_on_time_check_in_is_called_ahead_of_walk_ins,
    notices_go_once_and_deliveries_retry_then_fail,
);

const DAY: &str = "2025-11-28";

fn message(f: &Fixture, phone: &str, code: &str) -> NotificationInput {
    NotificationInput {
        hall_id: Some(f.hall.id),
        event: NotifyEvent::BookingCode,
        channel: "log".into(),
        recipient: phone.into(),
        body: format!("预约码 {code}"),
        reference: code.into(),
    }
}

fn booking(f: &Fixture, slot: i64, capacity: u32, phone: &str, code: &str) -> BookingInput {
    BookingInput {
        hall_id: f.hall.id,
        business_type_id: f.bt[0].id,
        service_day: DAY.into(),
        slot,
        slot_start: T0 + (slot - 20) * 30 * MIN,
        capacity,
        phone: phone.into(),
        name: "张女士".into(),
        code: code.into(),
        channel: "desk".into(),
        phone_code_hash: None,
        no_show_limit: None,
        booked_by: None,
        message: message(f, phone, code),
    }
}

fn phone(i: usize) -> String {
    format!("1380000{i:04}")
}

pub async fn bookings_keep_capacity_and_change_or_cancel_atomically(s: SqlStore) {
    let f = fixture(&s).await;
    for i in 0..2 {
        let a = s
            .book_appointment(&booking(&f, 20, 2, &phone(i), &format!("CODE000{i}")), T0)
            .await
            .unwrap();
        assert_eq!(a.state, AppointmentState::Booked);
        assert_eq!(a.slot, 20);
    }
    let e = s
        .book_appointment(&booking(&f, 20, 2, &phone(9), "CODE0009"), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    assert!(e.to_string().contains("slot is full"), "{e}");
    assert_eq!(
        s.slot_counts(f.hall.id, f.bt[0].id, DAY).await.unwrap(),
        vec![SlotCount {
            slot: 20,
            booked: 2
        }]
    );
    // The same phone cannot hold two bookings of the business on one day.
    let e = s
        .book_appointment(&booking(&f, 21, 2, &phone(0), "CODE0010"), T0)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already has a booking"), "{e}");
    // A code already used is refused.
    let e = s
        .book_appointment(&booking(&f, 21, 2, &phone(5), "CODE0000"), T0)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("clashed"), "{e}");

    // Changing into a full slot changes nothing.
    s.book_appointment(&booking(&f, 21, 1, &phone(5), "CODE0011"), T0)
        .await
        .unwrap();
    let e = s
        .change_appointment("CODE0000", &booking(&f, 21, 1, &phone(0), "CODE0020"), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    assert_eq!(
        s.appointment_by_code("CODE0000").await.unwrap().state,
        AppointmentState::Booked
    );
    // Changing to a free slot frees the old seat and takes the new one.
    let moved = s
        .change_appointment("CODE0000", &booking(&f, 22, 2, &phone(0), "CODE0021"), T0)
        .await
        .unwrap();
    assert_eq!(moved.slot, 22);
    let old = s.appointment_by_code("CODE0000").await.unwrap();
    assert_eq!(old.state, AppointmentState::Cancelled);
    assert_eq!(old.replaced_by, Some(moved.id));
    let counts = s.slot_counts(f.hall.id, f.bt[0].id, DAY).await.unwrap();
    assert_eq!(
        counts,
        vec![
            SlotCount {
                slot: 20,
                booked: 1
            },
            SlotCount {
                slot: 21,
                booked: 1
            },
            SlotCount {
                slot: 22,
                booked: 1
            }
        ]
    );
    // Cancel twice: the second is a conflict, the seat is freed once.
    s.cancel_appointment("CODE0001", T0).await.unwrap();
    let e = s.cancel_appointment("CODE0001", T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    let e = s.cancel_appointment("NOSUCH00", T0).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    assert_eq!(
        s.slot_counts(f.hall.id, f.bt[0].id, DAY).await.unwrap()[0],
        SlotCount {
            slot: 20,
            booked: 0
        }
    );
    // Every booking queued its code's message in its own transaction (the failed ones none).
    let sent = s
        .notifications(&NotificationQuery {
            hall_id: Some(f.hall.id),
            event: Some(NotifyEvent::BookingCode),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sent.len(), 4, "three bookings and one change");
    assert_eq!(
        sent[0].recipient_masked, "138****0000",
        "newest first: the change"
    );
    assert_eq!(sent[0].status, DeliveryStatus::Pending);
    let day = s.appointments_of_day(f.hall.id, DAY).await.unwrap();
    assert_eq!(day.len(), 4);
}

pub async fn concurrent_bookings_fill_exactly_the_capacity(s: SqlStore) {
    let f = fixture(&s).await;
    const CAPACITY: u32 = 3;
    const TASKS: usize = 16;
    // One seat is taken already: the tasks race for the last two.
    s.book_appointment(&booking(&f, 24, CAPACITY, &phone(99), "FIRST000"), T0)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let (s, b) = (
            s.clone(),
            booking(&f, 24, CAPACITY, &phone(i), &format!("RACE{i:04}")),
        );
        tasks.push(tokio::spawn(
            async move { s.book_appointment(&b, T0).await },
        ));
    }
    let mut ok = 0;
    let mut full = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict(m)) if m.contains("slot is full") => full += 1,
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    assert_eq!(ok, CAPACITY as usize - 1, "exactly the free seats");
    assert_eq!(full, TASKS - ok);
    let counts = s.slot_counts(f.hall.id, f.bt[0].id, DAY).await.unwrap();
    assert_eq!(
        counts,
        vec![SlotCount {
            slot: 24,
            booked: 3
        }]
    );
    let booked = s
        .appointments_of_day(f.hall.id, DAY)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.state == AppointmentState::Booked)
        .count();
    assert_eq!(booked, CAPACITY as usize);
}

pub async fn the_phone_code_is_checked_and_spent(s: SqlStore) {
    let f = fixture(&s).await;
    let p = phone(1);
    let mut b = booking(&f, 20, 5, &p, "PHONE001");
    b.channel = "phone".into();
    b.phone_code_hash = Some(phone_code_hash(&p, "123456"));
    let e = s.book_appointment(&b, T0).await.unwrap_err();
    assert!(e.to_string().contains("never sent"), "{e}");

    let mut msg = message(&f, &p, "");
    msg.event = NotifyEvent::PhoneCode;
    msg.body = "验证码 123456".into();
    s.store_phone_code(
        &p,
        "10.0.0.1",
        &phone_code_hash(&p, "123456"),
        T0 + 5 * MIN,
        &msg,
        T0,
    )
    .await
    .unwrap();
    assert_eq!(
        s.phone_codes_sent(&p, "10.0.0.1", T0).await.unwrap(),
        (1, 1)
    );
    assert_eq!(
        s.phone_codes_sent(&phone(2), "10.0.0.2", T0).await.unwrap(),
        (0, 0)
    );
    // A wrong code counts a try (kept although the booking is refused).
    let mut wrong = b.clone();
    wrong.phone_code_hash = Some(phone_code_hash(&p, "654321"));
    let e = s.book_appointment(&wrong, T0).await.unwrap_err();
    assert!(e.to_string().contains("code is wrong"), "{e}");
    // Expired after five minutes.
    let e = s.book_appointment(&b, T0 + 5 * MIN).await.unwrap_err();
    assert!(e.to_string().contains("expired"), "{e}");
    s.book_appointment(&b, T0 + MIN).await.unwrap();
    // Spent with the booking: it cannot book again.
    let mut again = b.clone();
    again.code = "PHONE002".into();
    again.business_type_id = f.bt[1].id;
    let e = s.book_appointment(&again, T0 + MIN).await.unwrap_err();
    assert!(e.to_string().contains("never sent"), "{e}");
    // Five wrong tries spend a code.
    s.store_phone_code(
        &p,
        "10.0.0.1",
        &phone_code_hash(&p, "111111"),
        T0 + 9 * MIN,
        &msg,
        T0 + 2 * MIN,
    )
    .await
    .unwrap();
    for _ in 0..5 {
        s.book_appointment(&wrong, T0 + 3 * MIN).await.unwrap_err();
    }
    again.phone_code_hash = Some(phone_code_hash(&p, "111111"));
    let e = s.book_appointment(&again, T0 + 3 * MIN).await.unwrap_err();
    assert!(e.to_string().contains("too many"), "{e}");
}

pub async fn no_shows_are_marked_and_send_the_phone_to_the_desk(s: SqlStore) {
    let f = fixture(&s).await;
    let p = phone(3);
    for (i, slot) in [20, 21, 22].into_iter().enumerate() {
        let mut b = booking(&f, slot, 5, &p, &format!("MISS000{i}"));
        b.business_type_id = f.bt[i].id;
        s.book_appointment(&b, T0).await.unwrap();
    }
    // Slot 20 starts at T0: a no-show after its end plus the 10-minute grace.
    assert_eq!(s.mark_no_shows(T0 + 40 * MIN).await.unwrap(), 0);
    assert_eq!(s.mark_no_shows(T0 + 40 * MIN + 1).await.unwrap(), 1);
    let policy = servicehall_domain::appointments::AppointmentPolicy {
        grace_min: 0,
        ..Default::default()
    };
    s.set_appointment_settings(f.hall.id, &policy, Some(f.clerks[0].id), T0)
        .await
        .unwrap();
    let set = s.appointment_settings(f.hall.id).await.unwrap();
    assert_eq!(set.policy.grace_min, 0);
    assert_eq!(
        set.updated_by_name.as_deref(),
        Some(f.clerks[0].name.as_str())
    );
    // With no grace the other two are missed at their slot's end.
    assert_eq!(s.mark_no_shows(T0 + 90 * MIN + 1).await.unwrap(), 2);
    assert_eq!(s.recent_no_shows(&p, T0 - 1).await.unwrap(), 3);
    let mut b = booking(&f, 30, 5, &p, "MISS0100");
    b.no_show_limit = Some((3, T0 - 1));
    let e = s.book_appointment(&b, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    assert!(e.to_string().contains("guide desk"), "{e}");
    // The desk books without the rule.
    b.no_show_limit = None;
    s.book_appointment(&b, T0).await.unwrap();
    let bad = servicehall_domain::appointments::AppointmentPolicy {
        bookable_share_pct: 101,
        ..Default::default()
    };
    let e = s
        .set_appointment_settings(f.hall.id, &bad, None, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
}

pub async fn an_on_time_check_in_is_called_ahead_of_walk_ins(s: SqlStore) {
    let f = fixture(&s).await;
    // Counter 1 is busy until the booking has its ticket; free it first.
    let walk_in = s
        .issue_ticket(&issue_req(&f, 0, "walkin-1"), T0 - 5 * MIN)
        .await
        .unwrap();
    let a = s
        .book_appointment(&booking(&f, 20, 5, &phone(4), "ONTIME01"), T0 - 60 * MIN)
        .await
        .unwrap();
    let late = s
        .book_appointment(&booking(&f, 20, 5, &phone(5), "LATE0001"), T0 - 60 * MIN)
        .await
        .unwrap();
    let e = s
        .check_in_appointment("ONTIME01", f.hall.id + 1000, true, T0)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("another hall"), "{e}");
    let checked = s
        .check_in_appointment("ONTIME01", f.hall.id, true, T0)
        .await
        .unwrap();
    assert_eq!(checked.state, AppointmentState::CheckedIn);
    let e = s
        .check_in_appointment("ONTIME01", f.hall.id, true, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    let t = s
        .issue_ticket(&issue_req(&f, 0, "booked-1"), T0)
        .await
        .unwrap();
    s.attach_ticket(a.id, t.id).await.unwrap();
    // The late one checks in as a walk-in.
    s.check_in_appointment("LATE0001", f.hall.id, false, T0 + 20 * MIN)
        .await
        .unwrap();
    let t_late = s
        .issue_ticket(&issue_req(&f, 0, "late-1"), T0 + 20 * MIN)
        .await
        .unwrap();
    s.attach_ticket(late.id, t_late.id).await.unwrap();
    assert_eq!(
        s.on_time_tickets(f.hall.id, &t.service_day).await.unwrap(),
        vec![t.id]
    );
    assert_eq!(
        s.appointment_by_ticket(t.id).await.unwrap().map(|a| a.code),
        Some("ONTIME01".into())
    );
    let first = s
        .call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + 21 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, t.id, "the booking before the earlier walk-in");
    let second = s
        .call_next(f.counters[2].id, Some(f.clerks[2].id), T0 + 21 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        second.id, walk_in.id,
        "then walk-in order; the late booking after it"
    );
    // A check-in whose ticket could not be issued is undone.
    let c = s
        .book_appointment(&booking(&f, 21, 5, &phone(6), "UNDO0001"), T0)
        .await
        .unwrap();
    s.check_in_appointment("UNDO0001", f.hall.id, true, T0 + 30 * MIN)
        .await
        .unwrap();
    s.undo_check_in(c.id).await.unwrap();
    assert_eq!(
        s.appointment_by_code("UNDO0001").await.unwrap().state,
        AppointmentState::Booked
    );
}

pub async fn notices_go_once_and_deliveries_retry_then_fail(s: SqlStore) {
    let f = fixture(&s).await;
    let a = s
        .book_appointment(
            &booking(&f, 30, 5, &phone(7), "NOTE0001"),
            T0 - 48 * 60 * MIN,
        )
        .await
        .unwrap();
    let soon = s.upcoming_appointments(T0, 24 * 60 * MIN).await.unwrap();
    assert_eq!(soon.iter().map(|a| a.id).collect::<Vec<_>>(), vec![a.id]);
    let mut m = message(&f, &phone(7), "NOTE0001");
    m.event = NotifyEvent::Reminder;
    assert!(
        s.queue_booking_notice(a.id, BookingNotice::Reminder(1), &m, T0)
            .await
            .unwrap()
    );
    assert!(
        !s.queue_booking_notice(a.id, BookingNotice::Reminder(1), &m, T0)
            .await
            .unwrap()
    );
    assert!(
        s.queue_booking_notice(a.id, BookingNotice::Reminder(2), &m, T0)
            .await
            .unwrap()
    );
    assert!(
        s.upcoming_appointments(T0, 24 * 60 * MIN)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.queue_booking_notice(a.id, BookingNotice::Called, &m, T0)
            .await
            .unwrap()
    );
    assert!(
        !s.queue_booking_notice(a.id, BookingNotice::Called, &m, T0)
            .await
            .unwrap()
    );

    // Claims are exclusive while leased.
    let now = T0 + MIN;
    let first = s.claim_notifications(now, 100, 60_000).await.unwrap();
    assert_eq!(first.len(), 4, "the booking's code, two reminders, called");
    assert!(
        s.claim_notifications(now, 100, 60_000)
            .await
            .unwrap()
            .is_empty()
    );
    let sent = s
        .notification_result(first[0].id, Ok(()), now)
        .await
        .unwrap();
    assert_eq!(sent.status, DeliveryStatus::Sent);
    assert_eq!(sent.attempts, 1);
    let mut d = s
        .notification_result(first[1].id, Err("网关 500 · gateway 500".into()), now)
        .await
        .unwrap();
    assert_eq!(d.status, DeliveryStatus::Pending);
    assert_eq!(d.next_try, now + 30_000);
    for _ in 1..MAX_ATTEMPTS {
        d = s
            .notification_result(d.id, Err("down".into()), now)
            .await
            .unwrap();
    }
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.attempts, MAX_ATTEMPTS);
    assert_eq!(d.last_error, "down");
    let log = s
        .notifications(&NotificationQuery {
            recipient: Some(phone(7)),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 4);
    let one = s
        .enqueue_notification(&message(&f, "oWeChat123", "X"), now)
        .await
        .unwrap();
    assert_eq!(one.recipient_masked, "oW***23");
}
