//! Idle display streams: an event for one hall wakes only that hall's streams (each hall
//! has its own channel in the fan-out); the other halls' screens sleep through it.

use crate::common::*;
use serde_json::json;
use servicehall_domain::DeviceKind;
use std::time::Duration;

/// A live stream of `hall` (code) with `token`, its head ping read.
async fn watch(app: &App, hall: &str, token: &str) -> SseReader {
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/halls/{hall}/events")))
        .bearer_auth(token)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("connect to the event stream");
    assert_eq!(res.status(), 200);
    let mut feed = SseReader::new(res);
    let head = feed.next(Duration::from_secs(2)).await.expect("head ping");
    assert_eq!(head.event, "ping");
    feed
}

#[tokio::test]
async fn an_event_for_one_hall_wakes_none_of_another_halls_streams() {
    let app = App::start().await;
    let (a, b) = (app.fx.hall.clone(), app.fx.other_hall.clone());
    let display_a = app.device(DeviceKind::Display, None).await;
    let mut feed_a = watch(&app, &a.code, &display_a).await;
    let mut feeds_b = Vec::new();
    // Five screens with four streams each (the cap per token is eight).
    for _ in 0..5 {
        let display_b = app.device_in(b.id, None, DeviceKind::Display).await;
        for _ in 0..4 {
            feeds_b.push(watch(&app, &b.code, &display_b).await);
        }
    }
    let (a0, b0) = (app.state.wakes.of(a.id), app.state.wakes.of(b.id));

    // A kiosk's repeated tap within seconds gives the same slip: one kiosk per ticket.
    for _ in 0..3 {
        let kiosk_a = app.device(DeviceKind::Kiosk, None).await;
        app.post(
            &format!("/api/v1/halls/{}/tickets", a.code),
            Auth::Device(&kiosk_a),
            Some(json!({"business_type": "payment"})),
        )
        .await
        .expect(201);
    }
    for _ in 0..3 {
        feed_a
            .wait_for(Duration::from_secs(2), |e| e.event == "issued")
            .await
            .expect("hall A's display sees each of its tickets");
    }
    // Give a stray wake-up of hall B's streams time to happen before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        app.state.wakes.of(a.id) - a0 >= 3,
        "hall A's stream woke for its events"
    );
    assert_eq!(
        app.state.wakes.of(b.id),
        b0,
        "hall A's events woke none of hall B's 20 streams"
    );

    // And the other way round: one event in hall B wakes each of its 20 streams once.
    let kiosk_b = app.device_in(b.id, None, DeviceKind::Kiosk).await;
    let a1 = app.state.wakes.of(a.id);
    app.post(
        &format!("/api/v1/halls/{}/tickets", b.code),
        Auth::Device(&kiosk_b),
        Some(json!({"business_type": "payment"})),
    )
    .await
    .expect(201);
    for f in &mut feeds_b {
        f.wait_for(Duration::from_secs(2), |e| e.event == "issued")
            .await
            .expect("each of hall B's displays sees its ticket");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.state.wakes.of(b.id) - b0, 20);
    assert_eq!(
        app.state.wakes.of(a.id),
        a1,
        "hall B's event left hall A asleep"
    );
}
