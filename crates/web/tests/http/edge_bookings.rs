//! Bookings on the hall's edge (docs/edge.md): they are made, changed and cancelled centrally
//! and come down with the pull, so the edge refuses to make, change or cancel one (409,
//! bilingual) — one made there would have no central id — and checks booked customers in.

use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_store::EdgeStore;
use servicehall_web::clock::ManualClock;

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
