//! Live case events over HTTP: `case` events on the hall's stream only for people who may
//! see cases.

use crate::common::{App, Auth, Session, SseReader};
use serde_json::json;
use std::time::Duration;

use super::documents::open_complaint;

/// The hall's event stream as a signed-in person sees it.
async fn person_events(app: &App, who: &Session) -> SseReader {
    let hall = &app.fx.hall.code;
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/halls/{hall}/events")))
        .header("cookie", &who.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    SseReader::new(res)
}

#[tokio::test]
async fn case_changes_reach_case_workers_live_but_not_lobby_screens() {
    let app = App::start().await;
    let clerk = app.login("clerk1").await;
    let manager = app.login("manager").await;
    let mut mgr = person_events(&app, &manager).await;
    let display = app
        .device(servicehall_domain::DeviceKind::Display, None)
        .await;
    let mut lobby = crate::common::open_events(&app, &display, None).await;
    let case = open_complaint(&app, &clerk).await;
    let cid = case["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/cases/{cid}/clocks/contact.contact/pause"),
        Auth::Person(&clerk),
        Some(json!({"reason": "客户预约"})),
    )
    .await
    .expect(200);
    let is_case = |e: &crate::common::SseEvent| e.event == "case";
    let e = mgr
        .wait_for(Duration::from_secs(5), is_case)
        .await
        .expect("opened");
    let p = &e.json()["payload"];
    assert_eq!(p["case_id"], cid);
    assert_eq!(p["change"], "opened");
    assert!(
        !e.data.contains("李四") && !e.data.contains("13912345678"),
        "{}",
        e.data
    );
    let e = mgr
        .wait_for(Duration::from_secs(5), is_case)
        .await
        .expect("paused");
    assert_eq!(e.json()["payload"]["change"], "clock_paused");
    // A ticket event after the case events: the lobby sees it, and never a case event.
    let kiosk = app
        .device(servicehall_domain::DeviceKind::Kiosk, None)
        .await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let first = lobby
        .wait_for(Duration::from_secs(5), |e| e.event != "ping")
        .await
        .expect("the issued ticket");
    assert_eq!(first.event, "issued");
    // Resuming from the start shows the stored case events to the manager only.
    let hall = &app.fx.hall.code;
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/halls/{hall}/events?last_event_id=0")))
        .bearer_auth(&display)
        .send()
        .await
        .unwrap();
    let mut replay = SseReader::new(res);
    let e = replay
        .next_real(Duration::from_secs(3))
        .await
        .expect("backlog");
    assert_eq!(e.event, "issued", "the lobby's backlog skips case events");
}
