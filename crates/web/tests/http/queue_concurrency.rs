//! Many kiosks and counters at once over HTTP, on SQLite and (when SERVICEHALL_TEST_PG is
//! set) on PostgreSQL.

use crate::common::{App, Auth, Session, open_events, postgres_store, sqlite_store};
use servicehall_domain::DeviceKind;
use servicehall_store::EventStore;
use servicehall_store::testing::TestStore;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// 100 tickets issued at once get A001…A100: none repeated, none skipped.
/// These tests measure the issuer under concurrency, not the per-kiosk issue rate
/// (`security_auth` tests that): one kiosk token issues far past its burst here.
fn unthrottled() -> servicehall_web::WebConfig {
    servicehall_web::WebConfig {
        limits: servicehall_web::limits::Limits::off(),
        ..Default::default()
    }
}

async fn hundred_concurrent_issues(store: TestStore) {
    let app = Arc::new(App::start_with(store, 3, unthrottled()).await);
    let kiosk = Arc::new(app.device(DeviceKind::Kiosk, None).await);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (app, kiosk) = (app.clone(), kiosk.clone());
            tokio::spawn(async move {
                let res = app
                    .post(
                        &format!("/api/v1/halls/{}/tickets", app.fx.hall.code),
                        Auth::Device(&kiosk),
                        // A hundred customers, not one customer's repeat taps.
                        Some(serde_json::json!({"business_type": "payment", "another": true})),
                    )
                    .await;
                let t = res.expect(201);
                (
                    t["number"].as_str().unwrap().to_string(),
                    t["code"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    let mut codes = HashSet::new();
    for t in tasks {
        let (number, code) = t.await.expect("issue task");
        assert!(numbers.insert(number.clone()), "{number} issued twice");
        assert!(codes.insert(code), "a public code repeated");
    }
    let want: BTreeSet<String> = (1..=100).map(|n| format!("A{n:03}")).collect();
    assert_eq!(numbers, want);
    // The next one continues the sequence.
    let next = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(next["number"], "A101");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_issues_sqlite() {
    hundred_concurrent_issues(sqlite_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_issues_postgres() {
    if let Some(store) = postgres_store("hundred_concurrent_issues").await {
        hundred_concurrent_issues(store).await;
    }
}

/// Ten retries of one request at once (same Idempotency-Key) make one ticket.
async fn concurrent_retries_make_one_ticket(store: TestStore) {
    let app = Arc::new(App::start_with(store, 3, unthrottled()).await);
    let kiosk = Arc::new(app.device(DeviceKind::Kiosk, None).await);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, kiosk) = (app.clone(), kiosk.clone());
            tokio::spawn(async move {
                App::send(
                    app.request(
                        reqwest::Method::POST,
                        &format!("/api/v1/halls/{}/tickets", app.fx.hall.code),
                        Auth::Device(&kiosk),
                    )
                    .header("idempotency-key", "kiosk-3-retry")
                    .json(&serde_json::json!({"business_type": "payment"})),
                )
                .await
            })
        })
        .collect();
    let mut ids = HashSet::new();
    for t in tasks {
        let res = t.await.expect("issue task");
        match res.status.as_u16() {
            200 | 201 => {
                ids.insert(res.json()["id"].as_i64().unwrap());
            }
            // The documented answer while the first request is still running.
            409 => {
                res.problem(409);
            }
            _ => panic!("retry answered {} {}", res.status, res.text),
        }
    }
    assert_eq!(ids.len(), 1, "one key, one ticket: {ids:?}");
    let next = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(next["number"], "A002", "a retry took a number");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_make_one_ticket_sqlite() {
    concurrent_retries_make_one_ticket(sqlite_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_make_one_ticket_postgres() {
    if let Some(store) = postgres_store("concurrent_retries_make_one_ticket").await {
        concurrent_retries_make_one_ticket(store).await;
    }
}

/// Ten clerks at ten counters calling at once over 30 waiting tickets: every ticket is
/// called exactly once, over a few rounds.
async fn ten_counters_calling_at_once(store: TestStore) {
    let app = Arc::new(App::start_with(store, 10, unthrottled()).await);
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let mut issued = HashSet::new();
    for i in 0..30 {
        let bt = if i % 2 == 0 {
            "payment"
        } else {
            "new_connection"
        };
        let t = app.issue(Auth::Device(&kiosk), bt).await;
        issued.insert(t["id"].as_i64().unwrap());
    }
    let mut clerks: Vec<(i64, Arc<Session>)> = Vec::new();
    for n in 1..=10 {
        clerks.push((n, Arc::new(app.clerk_on_duty(n).await)));
    }

    // A lobby display watches throughout: it must get every event the store records.
    let display = app.device(DeviceKind::Display, None).await;
    let before = app
        .store
        .events_since(app.fx.hall.id, 0, 100_000)
        .await
        .unwrap();
    let base = before.last().map_or(0, |e| e.id);
    let mut feed = open_events(&app, &display, None).await;
    assert_eq!(
        feed.next(Duration::from_secs(1)).await.map(|e| e.event),
        Some("ping".to_string()),
        "the stream starts with a ping"
    );

    let mut called_by: HashMap<i64, i64> = HashMap::new();
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds <= 30, "still calling after 30 rounds");
        let tasks: Vec<_> = clerks
            .iter()
            .map(|(n, s)| {
                let (app, s, n) = (app.clone(), s.clone(), *n);
                tokio::spawn(async move { (n, app.call_next(&s, n).await) })
            })
            .collect();
        let mut got = Vec::new();
        for t in tasks {
            let (n, ticket) = t.await.expect("call task");
            if let Some(t) = ticket {
                assert_eq!(t["state"], "called");
                assert_eq!(t["counter_number"], n);
                let id = t["id"].as_i64().unwrap();
                if let Some(other) = called_by.insert(id, n) {
                    panic!("ticket {} called by counters {other} and {n}", t["number"]);
                }
                got.push((n, id));
            }
        }
        if got.is_empty() {
            break;
        }
        // Each counter finishes what it called, all at once, before the next round.
        let tasks: Vec<_> = got
            .into_iter()
            .map(|(n, id)| {
                let (app, s) = (app.clone(), clerks[(n - 1) as usize].1.clone());
                tokio::spawn(async move { app.serve_and_finish(&s, id).await })
            })
            .collect();
        for t in tasks {
            let done = t.await.expect("finish task");
            assert_eq!(done["state"], "finished");
        }
    }
    let called: HashSet<i64> = called_by.keys().copied().collect();
    assert_eq!(called, issued, "every ticket called exactly once");
    assert!(
        rounds >= 4,
        "30 tickets over 10 counters take at least 3 calling rounds"
    );
    // Every stored event reached the display live, each once; in particular 30 `called`.
    let stored: Vec<i64> = app
        .store
        .events_since(app.fx.hall.id, base, 100_000)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let mut live = Vec::new();
    let mut called_live = HashSet::new();
    while let Some(ev) = feed.next_real(Duration::from_millis(500)).await {
        if ev.event == "called" {
            called_live.insert(ev.json()["payload"]["ticket_id"].as_i64().unwrap());
        }
        live.push(ev.id_num());
    }
    live.sort_unstable();
    let missing: Vec<&i64> = stored.iter().filter(|i| !live.contains(i)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} events never reached the live stream: {missing:?}",
        missing.len(),
        stored.len()
    );
    assert_eq!(live, stored, "events repeated on the live stream");
    assert_eq!(called_live, issued, "a `called` event per ticket");

    let queue = app
        .get(
            &format!("/api/v1/halls/{}/stats/today", app.fx.hall.code),
            Auth::Person(&app.login("manager").await),
        )
        .await
        .expect(200);
    assert_eq!(queue["figures"]["served"], 30, "{queue}");
    assert_eq!(queue["figures"]["waiting_now"], 0, "{queue}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_counters_calling_at_once_sqlite() {
    ten_counters_calling_at_once(sqlite_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_counters_calling_at_once_postgres() {
    if let Some(store) = postgres_store("ten_counters_calling_at_once").await {
        ten_counters_calling_at_once(store).await;
    }
}
