//! Bookings on the hall's edge (docs/edge.md): they are made, changed and cancelled centrally
//! and come down with the pull, so the edge refuses to make, change or cancel one (409,
//! bilingual) — one made there would have no central id — and checks booked customers in.
//! Each booking notice has one sender: reminders come from central, "called" from the edge.

use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_domain::notify::NotifyEvent;
use servicehall_store::{EdgeStore, NotificationQuery, NotifyStore, SqlStore};
use servicehall_web::clock::ManualClock;
use servicehall_web::{AppState, WebConfig};

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;
const MIN: i64 = 60_000;

#[tokio::test]
async fn the_edge_checks_bookings_in_but_makes_changes_and_cancels_none() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = app.fx.hall.code.clone();
    let guide = app.login("guide").await;
    let book = |phone: &'static str| {
        json!({"business_type": "payment", "date": "2026-03-09", "time": "10:30",
               "phone": phone, "name": "赵女士"})
    };
    // Booked (as if centrally) before this database became the hall's edge.
    let booked = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(book("139 0000 4444")),
        )
        .await
        .expect(201);
    let code = booked["code"].as_str().unwrap().to_string();
    app.store.edge_arm().await.unwrap();

    let refused = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(book("139 0000 5555")),
        )
        .await
        .problem(409);
    assert!(refused.starts_with("现场节点不办理预约"), "{refused}");
    assert!(refused.contains("central node"), "{refused}");
    let cancel = App::send(app.request(
        reqwest::Method::DELETE,
        &format!("/api/v1/public/appointments/{code}"),
        Auth::Anon,
    ))
    .await
    .problem(409);
    assert!(cancel.contains("现场节点"), "{cancel}");
    App::send(
        app.request(
            reqwest::Method::PUT,
            &format!("/api/v1/public/appointments/{code}"),
            Auth::Anon,
        )
        .json(&json!({"date": "2026-03-09", "time": "11:00"})),
    )
    .await
    .problem(409);
    let day = app
        .get(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
        )
        .await
        .expect(200);
    assert_eq!(
        day["appointments"].as_array().unwrap().len(),
        1,
        "nothing booked"
    );
    assert_eq!(
        day["appointments"][0]["state"], "booked",
        "nothing cancelled"
    );

    // The booked customer arrives: the edge checks them in and issues their ticket.
    app.clock().advance(25 * MIN);
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .expect(201);
    assert_eq!(r["appointment"]["state"], "checked_in");
    let shipped = app.store.edge_pending(1_000).await.unwrap();
    assert!(
        shipped
            .iter()
            .any(|e| e.tbl == "appointments" && e.body["state"] == "checked_in"),
        "the check-in waits in the outbox for central"
    );
}

async fn notices(store: &SqlStore, event: NotifyEvent) -> usize {
    store
        .notifications(&NotificationQuery {
            event: Some(event),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn reminders_come_from_central_and_called_notices_from_the_edge() {
    // The edge: a booking for tomorrow came down; its reminders are central's, not the edge's.
    let edge = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = edge.fx.hall.code.clone();
    let guide = edge.login("guide").await;
    edge.post(
        &format!("/api/v1/halls/{hall}/appointments"),
        Auth::Person(&guide),
        Some(
            json!({"business_type": "payment", "date": "2026-03-10", "time": "11:00",
                    "phone": "139 0000 6666"}),
        ),
    )
    .await
    .expect(201);
    edge.store.edge_arm().await.unwrap();
    let state = AppState::new(edge.store.clone(), WebConfig::default());
    // 11:00 the day before: the day-before reminder would be due.
    servicehall_web::notify::scan::step(&state, NOW + 60 * MIN)
        .await
        .unwrap();
    assert_eq!(notices(&edge.store, NotifyEvent::Reminder).await, 0);

    // Central: a booked customer's ticket is called, but the hall is edge-run, so the edge
    // (which called it) tells the customer, not central.
    let central = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = central.fx.hall.code.clone();
    let guide = central.login("guide").await;
    let booked = central
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(
                json!({"business_type": "payment", "date": "2026-03-09", "time": "10:30",
                        "phone": "139 0000 7777"}),
            ),
        )
        .await
        .expect(201);
    let code = booked["code"].as_str().unwrap().to_string();
    central.clock().advance(23 * MIN);
    let kiosk = central.device(DeviceKind::Kiosk, None).await;
    central
        .post(
            &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .expect(201);
    let clerk = central.clerk_on_duty(1).await;
    central.call_next(&clerk, 1).await.expect("called");
    central
        .store
        .edge_receive(central.fx.hall.id, "星海现场", &[], central.now())
        .await
        .unwrap();
    let state = AppState::new(central.store.clone(), WebConfig::default());
    servicehall_web::notify::scan::step(&state, central.now())
        .await
        .unwrap();
    assert_eq!(notices(&central.store, NotifyEvent::Called).await, 0);
    // The same step on the hall's own (not edge-run) node tells the customer.
    sqlx::query("DELETE FROM edge_halls")
        .execute(central.store.pool())
        .await
        .unwrap();
    servicehall_web::notify::scan::step(&state, central.now())
        .await
        .unwrap();
    assert_eq!(notices(&central.store, NotifyEvent::Called).await, 1);
}
