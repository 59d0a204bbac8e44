//! The hall's live feed over SSE: live events within a second, resumption by Last-Event-ID.

use crate::common::{App, Auth, open_events};
use servicehall_domain::DeviceKind;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_sees_calls_live_and_resumes_after_a_drop() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let display = app.device(DeviceKind::Display, None).await;
    let clerk = app.clerk_on_duty(1).await;

    let mut feed = open_events(&app, &display, None).await;
    let first = app.issue(Auth::Device(&kiosk), "payment").await;
    let issued = feed
        .wait_for(Duration::from_secs(1), |e| e.event == "issued")
        .await
        .expect("an issued event within 1 s");
    assert_eq!(
        issued.json()["payload"]["number"],
        "A001",
        "{}",
        issued.data
    );

    let called = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(called["number"], first["number"]);
    let ev = feed
        .wait_for(Duration::from_secs(1), |e| e.event == "called")
        .await
        .expect("a called event within 1 s");
    let data = ev.json();
    assert_eq!(data["kind"], "called");
    assert_eq!(data["payload"]["number"], "A001", "{}", ev.data);
    assert!(ev.id_num() > issued.id_num());
    assert_eq!(data["id"], ev.id_num());
    drop(feed);

    // While the screen is away: a recall and a new ticket.
    let id = called["id"].as_i64().unwrap();
    app.act(&clerk, id, "recall", None).await.expect(200);
    app.issue(Auth::Device(&kiosk), "inquiry").await;

    // Resuming after the `called` event replays exactly what was missed, in order.
    let mut feed = open_events(&app, &display, Some(ev.id_num())).await;
    let a = feed
        .next_real(Duration::from_secs(1))
        .await
        .expect("missed event 1");
    let b = feed
        .next_real(Duration::from_secs(1))
        .await
        .expect("missed event 2");
    assert_eq!((a.event.as_str(), b.event.as_str()), ("recalled", "issued"));
    assert!(a.id_num() > ev.id_num() && b.id_num() > a.id_num());
    assert_eq!(b.json()["payload"]["number"], "C001");
    // Then live again, without repeating the backlog.
    app.act(&clerk, id, "start", None).await.expect(200);
    let c = feed
        .next_real(Duration::from_secs(1))
        .await
        .expect("live after the backlog");
    assert_eq!(c.event, "started");
    assert!(c.id_num() > b.id_num());

    // Resuming from the `issued` event of A001 replays `called` too.
    let mut feed = open_events(&app, &display, Some(issued.id_num())).await;
    let again = feed
        .next_real(Duration::from_secs(1))
        .await
        .expect("replayed");
    assert_eq!(again.event, "called");
    assert_eq!(again.id_num(), ev.id_num());

    // Clients that cannot set the header resume with ?last_event_id=.
    let res = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/v1/halls/{}/events?last_event_id={}",
            app.fx.hall.code,
            b.id_num()
        )))
        .bearer_auth(&display)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut feed = crate::common::SseReader::new(res);
    let next = feed
        .next_real(Duration::from_secs(1))
        .await
        .expect("replayed by query");
    assert_eq!(next.id_num(), c.id_num());
}

#[tokio::test]
async fn the_feed_is_guarded_and_pings() {
    let app = App::start().await;
    let hall = &app.fx.hall.code;
    let path = format!("/api/v1/halls/{hall}/events");
    app.get(&path, Auth::Anon).await.problem(401);
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.get(&path, Auth::Device(&kiosk)).await.problem(403);
    let foreign = app
        .device_in(app.fx.other_hall.id, None, DeviceKind::Display)
        .await;
    app.get(&path, Auth::Device(&foreign)).await.problem(403);

    // Events of another hall never reach this hall's screen; pings keep the stream alive.
    let display = app.device(DeviceKind::Display, None).await;
    let mut feed = open_events(&app, &display, None).await;
    let other_kiosk = app
        .device_in(app.fx.other_hall.id, None, DeviceKind::Kiosk)
        .await;
    app.post(
        "/api/v1/halls/SY-TX/tickets",
        Auth::Device(&other_kiosk),
        Some(serde_json::json!({"business_type": "payment"})),
    )
    .await
    .expect(201);
    let ping = feed.next(Duration::from_secs(3)).await.expect("some event");
    assert_eq!(ping.event, "ping", "{ping:?}");
    assert!(
        feed.next_real(Duration::from_millis(500)).await.is_none(),
        "another hall's event leaked"
    );
}
