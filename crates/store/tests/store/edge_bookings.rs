//! Bookings between an edge and central (docs/edge.md): the hall's bookings of today and the
//! coming days come down with the pull and stay current; a check-in or no-show at the edge
//! lands on the same central booking (never a second one); the edge's check-in wins over a
//! central cancellation, an edge's no-show does not.

use crate::edge::edge_of;
use crate::fixture::*;
use servicehall_domain::appointments::AppointmentState;
use servicehall_domain::edge::central_id;
use servicehall_domain::notify::NotifyEvent;
use servicehall_store::*;

on_both!(
    bookings_flow_down_and_an_edge_check_in_lands_on_the_central_booking,
    the_edges_check_in_wins_over_a_central_cancellation,
);

const DAY: &str = "2025-11-28";
const HOUR: i64 = 60 * MIN;

fn booking(f: &Fixture, code: &str, phone: &str, slot: i64, start: i64) -> BookingInput {
    BookingInput {
        hall_id: f.hall.id,
        business_type_id: f.bt[0].id,
        service_day: DAY.into(),
        slot,
        slot_start: start,
        capacity: 5,
        phone: phone.into(),
        name: "王女士".into(),
        code: code.into(),
        channel: "phone".into(),
        phone_code_hash: None,
        no_show_limit: None,
        booked_by: Some(f.clerks[0].id),
        message: NotificationInput {
            hall_id: Some(f.hall.id),
            event: NotifyEvent::BookingCode,
            channel: "log".into(),
            recipient: phone.into(),
            body: format!("预约码 {code}"),
            reference: code.into(),
        },
    }
}

async fn pull(central: &SqlStore, edge: &SqlStore, f: &Fixture, now: i64) -> FlowDown {
    let set = central.edge_flow_down(&f.hall.code, now).await.unwrap();
    edge.edge_apply_flow_down(&set).await.unwrap();
    set
}

async fn ship(central: &SqlStore, edge: &SqlStore, f: &Fixture, now: i64) -> EdgeReceipt {
    let batch = edge.edge_pending(10_000).await.unwrap();
    let r = central
        .edge_receive(f.hall.id, "edge-xh", &batch, now)
        .await
        .unwrap();
    edge.edge_forget_through(r.applied_through).await.unwrap();
    r
}

async fn shipped_bookings(edge: &SqlStore) -> usize {
    let batch = edge.edge_pending(10_000).await.unwrap();
    batch.iter().filter(|e| e.tbl == "appointments").count()
}

async fn bookings_of_hall(s: &SqlStore, hall: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE hall_id = $1")
        .bind(hall)
        .fetch_one(s.pool())
        .await
        .unwrap()
}

async fn seats(s: &SqlStore, f: &Fixture, slot: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT booked FROM appointment_slots WHERE hall_id = $1 AND business_type_id = $2 \
         AND service_day = $3 AND slot = $4",
    )
    .bind(f.hall.id)
    .bind(f.bt[0].id)
    .bind(DAY)
    .bind(slot)
    .fetch_one(s.pool())
    .await
    .unwrap()
}

pub async fn bookings_flow_down_and_an_edge_check_in_lands_on_the_central_booking(s: SqlStore) {
    let f = fixture(&s).await;
    // Booked before the switch: one for this afternoon, one long past.
    let before = s
        .book_appointment(
            &booking(&f, "EB1001", "13800002001", 30, T0 + HOUR),
            T0 - HOUR,
        )
        .await
        .unwrap();
    s.book_appointment(
        &booking(&f, "EB1000", "13800002000", 30, T0 - 3 * 24 * HOUR),
        T0 - 4 * 24 * HOUR,
    )
    .await
    .unwrap();
    let edge = edge_of(&s, &f).await;
    assert_eq!(
        edge.appointment_by_code("EB1001").await.unwrap().state,
        AppointmentState::Booked
    );
    assert!(
        edge.appointment_by_code("EB1000").await.is_err(),
        "a booking of days ago does not come down"
    );
    // Booked and cancelled centrally after the switch: the next pull brings both.
    let after = s
        .book_appointment(&booking(&f, "EB1002", "13800002002", 31, T0 + 2 * HOUR), T0)
        .await
        .unwrap();
    s.cancel_appointment("EB1001", T0 + MIN).await.unwrap();
    s.book_appointment(&booking(&f, "EB1003", "13800002003", 31, T0 + 2 * HOUR), T0)
        .await
        .unwrap();
    let set = pull(&s, &edge, &f, T0 + 2 * MIN).await;
    assert_eq!(set.rows("appointments"), 3);
    assert_eq!(set.rows("appointment_settings"), 0);
    assert_eq!(
        edge.appointment_by_code("EB1001").await.unwrap().state,
        AppointmentState::Cancelled
    );
    let a = edge.appointment_by_code("EB1002").await.unwrap();
    assert_eq!((a.id, a.state), (after.id, AppointmentState::Booked));
    assert_eq!(
        shipped_bookings(&edge).await,
        0,
        "a pull is not shipped back up"
    );
    // The customer arrives at the edge and is checked in; a ticket is issued for it.
    edge.check_in_appointment("EB1002", f.hall.id, true, T0 + 2 * HOUR - 5 * MIN)
        .await
        .unwrap();
    let t = edge
        .issue_ticket(&issue_req(&f, 0, "booked-EB1002"), T0 + 2 * HOUR - 5 * MIN)
        .await
        .unwrap();
    edge.attach_ticket(a.id, t.id).await.unwrap();
    // A later pull leaves the edge's check-in as it is.
    pull(&s, &edge, &f, T0 + 2 * HOUR).await;
    let e = edge.appointment_by_code("EB1002").await.unwrap();
    assert_eq!(
        (e.state, e.ticket_id),
        (AppointmentState::CheckedIn, Some(t.id))
    );
    // The edge sweeps its own no-shows (EB1003 never came); central does not sweep an
    // edge-run hall.
    assert!(edge.mark_no_shows(T0 + 4 * HOUR).await.unwrap() >= 1);
    let hall_bookings = bookings_of_hall(&s, f.hall.id).await;
    let r = ship(&s, &edge, &f, T0 + 4 * HOUR).await;
    assert!(r.applied > 0);
    assert_eq!(s.mark_no_shows(T0 + 5 * HOUR).await.unwrap(), 0);
    let c = s.appointment_by_code("EB1002").await.unwrap();
    assert_eq!(c.id, after.id, "the same central booking");
    assert_eq!(c.state, AppointmentState::CheckedIn);
    assert!(c.on_time);
    assert_eq!(c.ticket_id, Some(central_id(f.hall.id, t.id)));
    assert_eq!(
        s.appointment_by_code("EB1003").await.unwrap().state,
        AppointmentState::NoShow
    );
    let cancelled = s.appointment_by_code("EB1001").await.unwrap();
    assert_eq!(
        (cancelled.id, cancelled.state),
        (before.id, AppointmentState::Cancelled)
    );
    assert_eq!(
        bookings_of_hall(&s, f.hall.id).await,
        hall_bookings,
        "no second booking centrally"
    );
    // The central ticket the booking names is the edge's ticket.
    let by_ticket = s
        .appointment_by_ticket(central_id(f.hall.id, t.id))
        .await
        .unwrap()
        .expect("the booking of the shipped ticket");
    assert_eq!(by_ticket.code, "EB1002");
}

pub async fn the_edges_check_in_wins_over_a_central_cancellation(s: SqlStore) {
    let f = fixture(&s).await;
    s.book_appointment(
        &booking(&f, "EB2001", "13800003001", 40, T0 + HOUR),
        T0 - HOUR,
    )
    .await
    .unwrap();
    s.book_appointment(
        &booking(&f, "EB2002", "13800003002", 40, T0 + HOUR),
        T0 - HOUR,
    )
    .await
    .unwrap();
    s.book_appointment(
        &booking(&f, "EB2003", "13800003003", 40, T0 + HOUR),
        T0 - HOUR,
    )
    .await
    .unwrap();
    let edge = edge_of(&s, &f).await;
    assert_eq!(seats(&s, &f, 40).await, 3);
    // The WAN is cut: the edge checks EB2001 and EB2003 in and marks EB2002 a no-show, while
    // centrally the customers cancel the first two and the third is changed to a later slot.
    for code in ["EB2001", "EB2003"] {
        edge.check_in_appointment(code, f.hall.id, true, T0 + HOUR)
            .await
            .unwrap();
    }
    s.change_appointment(
        "EB2003",
        &booking(&f, "EB2004", "13800003003", 41, T0 + 2 * HOUR),
        T0 + HOUR + MIN,
    )
    .await
    .unwrap();
    assert_eq!(seats(&s, &f, 41).await, 1);
    edge.mark_no_shows(T0 + 3 * HOUR).await.unwrap();
    assert_eq!(
        edge.appointment_by_code("EB2002").await.unwrap().state,
        AppointmentState::NoShow
    );
    s.cancel_appointment("EB2001", T0 + HOUR + MIN)
        .await
        .unwrap();
    s.cancel_appointment("EB2002", T0 + HOUR + MIN)
        .await
        .unwrap();
    assert_eq!(seats(&s, &f, 40).await, 0);
    let edge_copy = edge.edge_pending(10_000).await.unwrap();
    // The link returns: the pull leaves the edge's records, the shipment lands centrally.
    pull(&s, &edge, &f, T0 + 3 * HOUR).await;
    assert_eq!(
        edge.appointment_by_code("EB2001").await.unwrap().state,
        AppointmentState::CheckedIn
    );
    let r = ship(&s, &edge, &f, T0 + 3 * HOUR).await;
    assert!(
        r.skipped >= 1,
        "the no-show of a cancelled booking is left out"
    );
    let a = s.appointment_by_code("EB2001").await.unwrap();
    assert_eq!(
        a.state,
        AppointmentState::CheckedIn,
        "the edge's check-in wins"
    );
    assert_eq!(
        s.appointment_by_code("EB2002").await.unwrap().state,
        AppointmentState::Cancelled,
        "a no-show does not undo the customer's cancellation"
    );
    assert_eq!(
        seats(&s, &f, 40).await,
        2,
        "the checked-in bookings hold their seats again"
    );
    assert_eq!(
        s.appointment_by_code("EB2003").await.unwrap().state,
        AppointmentState::CheckedIn
    );
    let replacement = s.appointment_by_code("EB2004").await.unwrap();
    assert_eq!(
        replacement.state,
        AppointmentState::Cancelled,
        "the customer came for the booking they had replaced"
    );
    assert_eq!(seats(&s, &f, 41).await, 0);
    // The same batch again (a lost acknowledgement): skipped, no seat taken twice.
    let again = s
        .edge_receive(f.hall.id, "edge-xh", &edge_copy, T0 + 3 * HOUR)
        .await
        .unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(seats(&s, &f, 40).await, 2);
    assert_eq!(bookings_of_hall(&s, f.hall.id).await, 4);
}
