//! Case clock escalation: a pass records the warnings a clock has reached, once each, and
//! posts them to the webhook.

use crate::common::{App, Auth, sqlite_store};
use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};
use servicehall_web::api::cases::escalation::escalate_once;
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
    assert_eq!(got.lock().unwrap().len(), posted.len());
}

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
    let due = escalate_once(&state, app.now() + 10 * 24 * 3_600_000)
        .await
        .unwrap();
    assert!(!due.is_empty());
    let counted = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(counted(&state.metrics.warnings_failed), due.len() as u64);
    assert_eq!(counted(&state.metrics.warnings_sent), 0);
}
