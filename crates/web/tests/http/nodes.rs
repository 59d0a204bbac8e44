//! Several nodes on one PostgreSQL: a call on node A reaches a display on node B; one node
//! leads each background job and another takes over; a database that goes away answers a
//! bilingual 503 within 2 s and service resumes by itself; a clock stepped back cannot
//! reorder the queue (on both databases).

use crate::browser::queue_proxy::Link;
use crate::common::*;
use servicehall_domain::DeviceKind;
use servicehall_store::SqlStore;
use servicehall_web::clock::{Clock, ManualClock};
use servicehall_web::{AppState, WebConfig, nodes};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Node B: a second server on the same database as `app` (reached at `url`).
async fn node_b(url: &str) -> (String, tokio::task::JoinHandle<()>) {
    let store = SqlStore::connect(url).await.expect("node B connects");
    serve(AppState::new(Arc::new(store), WebConfig::default())).await
}

async fn events_on(base: &str, hall: &str, token: &str) -> SseReader {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/halls/{hall}/events"))
        .bearer_auth(token)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("connect to node B's event stream");
    assert_eq!(res.status(), 200);
    SseReader::new(res)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_call_on_node_a_reaches_a_display_connected_to_node_b() {
    let Some(db) = postgres_store("cross-node display").await else {
        return;
    };
    let url = db.url();
    let app = App::start_on(db, 3).await;
    let (b, _node_b) = node_b(&url).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let display = app.device(DeviceKind::Display, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let mut feed = events_on(&b, &app.fx.hall.code, &display).await;
    let head = feed
        .next(Duration::from_secs(2))
        .await
        .expect("the head ping");
    assert_eq!(head.event, "ping");
    for n in 1..=3 {
        app.issue(Auth::Device(&kiosk), "payment").await;
        let called = app.call_next(&clerk, 1).await.expect("someone waits");
        let sent = Instant::now();
        let ev = feed
            .wait_for(Duration::from_secs(2), |e| e.event == "called")
            .await
            .expect("node B's display hears node A's call within 2 s");
        assert_eq!(ev.json()["payload"]["number"], called["number"]);
        assert_eq!(ev.json()["payload"]["number"], format!("A00{n}"));
        assert!(
            sent.elapsed() < Duration::from_millis(500),
            "{:?}",
            sent.elapsed()
        );
        let done = called["id"].as_i64().unwrap();
        app.serve_and_finish(&clerk, done).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_node_takes_over_the_warning_scan_when_its_leader_stops() {
    let Some(db) = postgres_store("leadership takeover").await else {
        return;
    };
    let url = db.url();
    let a = AppState::new(Arc::new(db.store()), WebConfig::default());
    let b_store = SqlStore::connect(&url).await.unwrap();
    let b = AppState::new(Arc::new(b_store), WebConfig::default());
    let mut lead_a = nodes::Lead::new(&a, nodes::CASE_ESCALATION);
    let mut lead_b = nodes::Lead::new(&b, nodes::CASE_ESCALATION);
    assert!(lead_a.ensure().await, "A leads the scan");
    assert!(!lead_b.ensure().await, "B waits");
    assert!(lead_a.ensure().await, "A keeps the lead at its next tick");
    // Other jobs are led independently.
    assert!(nodes::Lead::new(&b, nodes::WEBHOOK_OUTBOX).ensure().await);
    // A stops (its process and its database session end).
    drop(lead_a);
    let stopped = Instant::now();
    while !lead_b.ensure().await {
        assert!(
            stopped.elapsed() < Duration::from_secs(3),
            "B never took over"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(lead_b.is_leader());
    lead_b.release().await;
    drop(db);
}

/// Node B reaches the database through a link the test cuts and restores.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_the_database_gone_a_kiosk_gets_a_bilingual_503_within_2_s_and_recovers() {
    let Some(db) = postgres_store("database down").await else {
        return;
    };
    let url = db.url();
    let app = App::start_on(db, 3).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    // postgres://user:pass@HOST:PORT/db → the same through the link.
    let (scheme_auth, rest) = url.rsplit_once('@').unwrap();
    let (host, dbname) = rest.split_once('/').unwrap();
    let link = Link::open(host).await;
    let port = link.base.rsplit(':').next().unwrap();
    let (b, _node_b) = node_b(&format!("{scheme_auth}@127.0.0.1:{port}/{dbname}")).await;
    let hall = &app.fx.hall.code;
    let issue = || {
        reqwest::Client::new()
            .post(format!("{b}/api/v1/halls/{hall}/tickets"))
            .bearer_auth(&kiosk)
            .json(&serde_json::json!({"business_type": "payment", "another": true}))
            .timeout(Duration::from_secs(10))
            .send()
    };
    assert_eq!(issue().await.unwrap().status(), 201, "node B works");
    link.cut().await;
    let asked = Instant::now();
    let res = issue().await.expect("an answer, not a hang");
    let took = asked.elapsed();
    assert_eq!(res.status(), 503);
    assert!(took < Duration::from_secs(2), "answered after {took:?}");
    assert_eq!(res.headers()["retry-after"], "2");
    let detail = res.json::<serde_json::Value>().await.unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.starts_with("数据库暂时无法连接") && detail.contains("database cannot be reached"),
        "{detail}"
    );
    link.restore().await;
    let back = Instant::now();
    loop {
        let s = issue().await.unwrap().status();
        if s == 201 {
            break;
        }
        assert_eq!(s, 503);
        assert!(back.elapsed() < Duration::from_secs(10), "never recovered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn stepped_clock_keeps_queue_order(db: servicehall_store::testing::TestStore) {
    let clock = ManualClock::at(MONDAY_10AM);
    let app = App::start_full(db, 3, WebConfig::default(), Clock::from(clock.clone())).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let first = app.issue(Auth::Device(&kiosk), "payment").await;
    // The wall clock is stepped back an hour (a bad NTP server, a hand-set clock).
    clock.advance(-60 * 60 * 1000);
    let second = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(first["number"], "A001");
    assert_eq!(second["number"], "A002");
    let a = app.call_next(&clerk, 1).await.expect("someone waits");
    assert_eq!(a["number"], "A001", "the earlier customer is called first");
    app.serve_and_finish(&clerk, a["id"].as_i64().unwrap())
        .await;
    let b = app.call_next(&clerk, 1).await.expect("the second waits");
    assert_eq!(b["number"], "A002");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clock_stepped_back_cannot_reorder_the_queue_sqlite() {
    stepped_clock_keeps_queue_order(sqlite_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clock_stepped_back_cannot_reorder_the_queue_postgres() {
    if let Some(db) = postgres_store("stepped clock").await {
        stepped_clock_keeps_queue_order(db).await;
    }
}
