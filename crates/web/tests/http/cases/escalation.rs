//! Case clock escalation: a pass records the warnings a clock has reached, once each, with
//! their deliveries in the outbox; the outbox worker posts them to the webhook, retrying a
//! receiver that fails with backoff and delivering each once.

use crate::common::{App, Auth, sqlite_store};
use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};
use servicehall_store::OutboxStore;
use servicehall_web::api::cases::escalation::escalate_once;
use servicehall_web::api::cases::outbox::{DeliveryReport, deliver_once};
use servicehall_web::{AppState, WebConfig};
use std::sync::{Arc, Mutex};

/// A webhook receiver on 127.0.0.1:0 that keeps what it is sent.
async fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |Json(v): Json<Value>| {
            let keep = keep.clone();
            async move {
                keep.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test]
async fn a_breached_clock_is_recorded_once_and_posted_to_the_webhook() {
    let (url, got) = receiver().await;
    let config = WebConfig {
        webhook_url: Some(url),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config.clone()).await;
    let clerk = app.clerk_on_duty(1).await;
    app.above_halls("citysup", servicehall_domain::Role::Supervisor)
        .await;
    let case = app
        .post(
            &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
            Auth::Person(&clerk),
            Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13900001111", "summary": "排队时间过长"})),
        )
        .await
        .expect(201);
    let number = case["number"].as_str().unwrap().to_string();
    let state = AppState::new(app.store.clone(), config);

    // Nothing is due right after opening.
    let now = app.now();
    assert!(escalate_once(&state, now).await.unwrap().is_empty());

    // Ten days later every clock of the complaint is past its limit.
    let later = now + 10 * 24 * 3_600_000;
    let first = escalate_once(&state, later).await.unwrap();
    assert!(
        first.iter().any(|w| w.level.as_str() == "supervisor"),
        "{first:?}"
    );
    assert!(got.lock().unwrap().is_empty(), "recording does not post");
    let report = deliver_once(&state, "test-node", later).await.unwrap();
    assert_eq!(report.delivered, first.len());
    let posted = got.lock().unwrap().clone();
    assert_eq!(posted.len(), first.len(), "every new warning is posted");
    let counted = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        counted(&state.metrics.warnings_sent),
        first.len() as u64,
        "/metrics counts them"
    );
    assert_eq!(counted(&state.metrics.warnings_failed), 0);
    assert!(
        posted
            .iter()
            .all(|p| p["case_number"] == number.as_str() && p["event"] == "case_warning")
    );
    assert!(posted.iter().any(|p| p["level_zh"] == "超时督办（市公司）"));
    // Each level names who it goes to: the owner, the hall's managers, the supervisors.
    let notified = |level: &str| -> Vec<String> {
        posted
            .iter()
            .filter(|p| p["level"] == level)
            .flat_map(|p| p["notify"].as_array().cloned().unwrap_or_default())
            .map(|n| n["badge_no"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let owner_badge = clerk.staff["badge_no"].as_str().unwrap();
    assert!(
        notified("owner").iter().all(|b| b == owner_badge),
        "{posted:?}"
    );
    assert!(!notified("owner").is_empty());
    assert!(notified("hall_manager").contains(&app.fx.manager.badge_no));
    assert!(notified("supervisor").iter().all(|b| b == "S-citysup"));
    assert!(!notified("supervisor").is_empty());

    // A second pass finds nothing new: warnings are recorded once per clock and level.
    assert!(
        escalate_once(&state, later + 60_000)
            .await
            .unwrap()
            .is_empty()
    );
    let again = deliver_once(&state, "test-node", later + 60_000)
        .await
        .unwrap();
    assert_eq!(again, DeliveryReport::default());
    assert_eq!(got.lock().unwrap().len(), posted.len());
}

/// A receiver that answers 503 to its first `fail` requests, then 200; keeps every body.
async fn flaky_receiver(fail: usize) -> (String, Arc<Mutex<Vec<(u16, Value)>>>) {
    let got: Arc<Mutex<Vec<(u16, Value)>>> = Arc::default();
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |Json(v): Json<Value>| {
            let keep = keep.clone();
            async move {
                let mut g = keep.lock().unwrap();
                let status = if g.len() < fail { 503 } else { 200 };
                g.push((status, v));
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

/// The receiver fails twice, then takes the warning: it is retried after 30 s and 60 s,
/// delivered once, and the outbox records three attempts; a restart (a new state and
/// worker on the same database) finds nothing left to send.
#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_and_gets_the_warning_once() {
    let (url, got) = flaky_receiver(2).await;
    let config = WebConfig {
        webhook_url: Some(url),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config.clone()).await;
    let clerk = app.clerk_on_duty(1).await;
    let case = app
        .post(
            &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
            Auth::Person(&clerk),
            Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13900001111", "summary": "排队时间过长"})),
        )
        .await
        .expect(201);
    let cid = case["id"].as_i64().unwrap();
    let state = AppState::new(app.store.clone(), config.clone());
    // Half of the 24-hour contact limit: only the owner's reminder is due.
    let t = app.now() + 12 * 3_600_000 + 60_000;
    let recorded = escalate_once(&state, t).await.unwrap();
    assert_eq!(recorded.len(), 1, "{recorded:?}");

    let pass = |at: i64| {
        let state = state.clone();
        async move { deliver_once(&state, "node-1", at).await.unwrap() }
    };
    assert_eq!(pass(t).await.failed, 1);
    assert_eq!(
        pass(t + 29_000).await,
        DeliveryReport::default(),
        "backing off"
    );
    assert_eq!(pass(t + 30_000).await.failed, 1);
    assert_eq!(pass(t + 30_000 + 59_000).await, DeliveryReport::default());
    // A restart: a new state and worker on the same database pick the delivery up.
    let restarted = AppState::new(app.store.clone(), config);
    let r = deliver_once(&restarted, "node-2", t + 90_000)
        .await
        .unwrap();
    assert_eq!(r.delivered, 1);
    assert_eq!(
        deliver_once(&restarted, "node-2", t + 10_000_000)
            .await
            .unwrap(),
        DeliveryReport::default()
    );

    let calls = got.lock().unwrap().clone();
    assert_eq!(
        calls.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![503, 503, 200]
    );
    assert!(
        calls
            .iter()
            .all(|c| c.1["case_id"] == cid && c.1["level"] == "owner")
    );
    let rows = app.store.case_deliveries(cid).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].status.as_str(), rows[0].attempts),
        ("delivered", 3)
    );
    assert_eq!(rows[0].last_error, "HTTP 503");
    let counts = app.store.outbox_counts().await.unwrap();
    assert_eq!(
        (counts.delivered, counts.failed_attempts, counts.pending),
        (1, 2, 0)
    );
}

/// Deliveries the webhook cannot take are counted as failed in `/metrics`, sent ones as sent.
#[tokio::test]
async fn warnings_the_webhook_cannot_take_are_counted_as_failed() {
    // A port that was just free: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let config = WebConfig {
        webhook_url: Some(url),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config.clone()).await;
    let clerk = app.clerk_on_duty(1).await;
    app.post(
        &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
        Auth::Person(&clerk),
        Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13900001111", "summary": "排队时间过长"})),
    )
    .await
    .expect(201);
    let state = AppState::new(app.store.clone(), config);
    let t = app.now() + 10 * 24 * 3_600_000;
    let due = escalate_once(&state, t).await.unwrap();
    assert!(!due.is_empty());
    let report = deliver_once(&state, "node-1", t).await.unwrap();
    assert_eq!(report.failed, due.len());
    let counted = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(counted(&state.metrics.warnings_failed), due.len() as u64);
    assert_eq!(counted(&state.metrics.warnings_sent), 0);
}
