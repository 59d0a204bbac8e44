//! The hall manager's figures for today, derived from what the test did over HTTP.

use crate::common::{App, Auth, MONDAY_10AM, postgres_store, sqlite_store};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_store::testing::TestStore;
use servicehall_web::WebConfig;
use servicehall_web::clock::ManualClock;

#[tokio::test]
async fn todays_figures_reflect_the_visits() {
    // The server's clock stands still until the test moves it, so the figures are exact.
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let clock = app.clock();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{}/stats/today", app.fx.hall.code);

    let empty = app.get(&path, Auth::Person(&manager)).await.expect(200);
    assert_eq!(empty["figures"]["issued"], 0, "{empty}");
    assert_eq!(empty["figures"]["served"], 0);

    for _ in 0..4 {
        app.issue(Auth::Device(&kiosk), "payment").await;
    }
    // A001 served and rated 5; A002 served and rated 1; A003 no-show; A004 still waiting.
    // Two minutes pass before the first call; each visit is served for five minutes:
    // A001 waits 120 s, A002 waits 120 + 300 = 420 s.
    clock.advance(120_000);
    for level in [
        json!({"level": 5}),
        json!({"level": 1, "reasons": ["slow"]}),
    ] {
        let t = app.call_next(&clerk, 1).await.unwrap();
        let id = t["id"].as_i64().unwrap();
        app.serve_and_finish_after(&clerk, id, 300_000).await;
        app.post(
            &format!("/api/v1/tickets/{id}/rating"),
            Auth::Device(&pad),
            Some(level),
        )
        .await
        .expect(201);
    }
    let t = app.call_next(&clerk, 1).await.unwrap();
    let nid = t["id"].as_i64().unwrap();
    let gone = app.act(&clerk, nid, "no-show", None).await.expect(200);
    assert_eq!(gone["state"], "no_show");

    let res = app.get(&path, Auth::Person(&manager)).await;
    let st = res.expect(200);
    let f = &st["figures"];
    assert_eq!(st["hall_id"], app.fx.hall.id);
    assert_eq!(f["issued"], 4, "{st}");
    assert_eq!(f["served"], 2, "{st}");
    assert_eq!(f["no_show"], 1, "{st}");
    assert_eq!(f["transferred"], 0, "{st}");
    assert_eq!(f["waiting_now"], 1, "{st}");
    assert_eq!(f["ratings"], 2, "{st}");
    assert_eq!(f["satisfaction_pct"], 50.0, "{st}");
    // A003 was called (and waited) 720 s in; it does not count as served.
    assert_eq!(f["avg_wait_s"], (120 + 420 + 720) / 3, "{st}");
    assert_eq!(f["avg_handling_s"], 300, "{st}");
    // A004 has waited since 10:00: twelve minutes, under payment's 15-minute target.
    assert_eq!(st["longest_wait_s"], 720, "{st}");
    assert_eq!(st["alerts"], json!([]), "{st}");
    // Three and a half minutes later it is over the target, and the figures say so.
    clock.advance(210_000);
    let st = app.get(&path, Auth::Person(&manager)).await.expect(200);
    assert_eq!(st["longest_wait_s"], 930, "{st}");
    let alerts = st["alerts"].to_string();
    assert!(alerts.contains("电费缴纳 等候超过 15 分钟"), "{st}");

    // Clerks, guides and screens do not see the hall's figures; other halls' managers neither.
    let detail = app.get(&path, Auth::Person(&clerk)).await.problem(403);
    assert!(!detail.is_empty());
    let guide = app.login("guide").await;
    app.get(&path, Auth::Person(&guide)).await.problem(403);
    app.get(&path, Auth::Device(&kiosk)).await.problem(403);
    app.get("/api/v1/halls/NOPE/stats/today", Auth::Person(&manager))
        .await
        .problem(404);
    app.get(
        &format!("/api/v1/halls/{}/stats/today", app.fx.other_hall.code),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
}

const DAY: i64 = 24 * 3_600_000;
const MIN: i64 = 60_000;

/// A server over `store` whose clock stands at `at`.
async fn app_at(store: TestStore, at: i64) -> App {
    App::start_full(store, 3, WebConfig::default(), ManualClock::at(at).into()).await
}

#[tokio::test]
async fn hourly_series_puts_today_beside_the_same_weekday_of_four_weeks() {
    hourly_series(app_at(sqlite_store().await, MONDAY_10AM - 14 * DAY).await).await;
}

/// The same counts from PostgreSQL's SQL (when `SERVICEHALL_TEST_PG` is set).
#[tokio::test]
async fn hourly_series_on_postgres() {
    if let Some(store) = postgres_store("hourly_series").await {
        hourly_series(app_at(store, MONDAY_10AM - 14 * DAY).await).await;
    }
}

async fn hourly_series(app: App) {
    // Monday 2026-06-01 10:00 in the hall; two Mondays before have visits, two have none.
    let clock = app.clock();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let counter = app.fx.counter(1).id;
    app.clerk_on_duty(1).await;

    // 2026-05-18: one arrives at 11:30 and is never called.
    clock.set(MONDAY_10AM - 14 * DAY + 90 * MIN);
    app.issue(Auth::Device(&kiosk), "payment").await;
    // 2026-05-25: two arrive at 10:00; called after 4 and 10 minutes.
    clock.set(MONDAY_10AM - 7 * DAY);
    let clerk = app.login("clerk1").await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    clock.advance(4 * MIN);
    let first = app.call_next(&clerk, 1).await.unwrap();
    let id = first["id"].as_i64().unwrap();
    app.act(&clerk, id, "no-show", None).await.expect(200);
    clock.advance(6 * MIN);
    let second = app.call_next(&clerk, 1).await.unwrap();
    app.serve_and_finish(&clerk, second["id"].as_i64().unwrap())
        .await;
    // Today: one at 10:00 called after 6 minutes and served for 5; one at 10:30 still waits.
    clock.set(MONDAY_10AM);
    let clerk = app.login("clerk1").await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    clock.advance(6 * MIN);
    let t = app.call_next(&clerk, 1).await.unwrap();
    app.serve_and_finish_after(&clerk, t["id"].as_i64().unwrap(), 5 * MIN)
        .await;
    clock.set(MONDAY_10AM + 30 * MIN);
    app.issue(Auth::Device(&kiosk), "payment").await;

    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{}/stats/hourly", app.fx.hall.code);
    let h = app.get(&path, Auth::Person(&manager)).await.expect(200);
    assert_eq!(h["service_day"], "2026-06-01", "{h}");
    assert_eq!(
        h["compared_days"],
        json!(["2026-05-25", "2026-05-18", "2026-05-11", "2026-05-04"])
    );
    assert_eq!(h["compared_open_days"], 2, "{h}");
    let today = h["today"].as_array().unwrap();
    let usual = h["usual"].as_array().unwrap();
    assert_eq!((today.len(), usual.len()), (24, 24));
    for (hour, p) in today.iter().enumerate() {
        assert_eq!(p["hour"], hour as i64);
        let expected = if hour == 10 {
            json!({"hour": 10, "arrivals": 2.0, "mean_wait_s": 360})
        } else {
            json!({"hour": hour, "arrivals": 0.0, "mean_wait_s": null})
        };
        assert_eq!(*p, expected, "today {hour}: {h}");
    }
    // The usual Monday: (2 + 0) arrivals at 10 over two open days, waits 4 and 10 minutes;
    // one arrival at 11 over two days, never called.
    assert_eq!(
        usual[10],
        json!({"hour": 10, "arrivals": 1.0, "mean_wait_s": 420})
    );
    assert_eq!(
        usual[11],
        json!({"hour": 11, "arrivals": 0.5, "mean_wait_s": null})
    );
    assert_eq!(usual[9]["arrivals"], 0.0);

    // The counter's and the clerk's day, and their state now.
    let rows_path = format!("/api/v1/halls/{}/stats/counters", app.fx.hall.code);
    let rows = app
        .get(&rows_path, Auth::Person(&manager))
        .await
        .expect(200);
    let row = rows["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["counter"]["id"] == counter)
        .cloned()
        .unwrap();
    assert_eq!(row["counter"]["status"], "open", "{rows}");
    assert_eq!(row["today"]["served"], 1, "{rows}");
    assert_eq!(row["today"]["avg_handling_s"], 300, "{rows}");
    let clerk_row = |rows: &serde_json::Value| {
        rows["clerks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["badge_no"] == clerk.staff["badge_no"])
            .cloned()
            .unwrap()
    };
    assert_eq!(clerk_row(&rows)["state"], "open");
    assert_eq!(clerk_row(&rows)["counter_number"], 1);
    assert_eq!(clerk_row(&rows)["today"]["served"], 1);
    // The manager pauses the counter from the dashboard: both rows say so.
    app.post(
        &format!("/api/v1/counters/{counter}/pause"),
        Auth::Person(&manager),
        Some(json!({"reason": "临时会议"})),
    )
    .await
    .expect(200);
    let rows = app
        .get(&rows_path, Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(clerk_row(&rows)["state"], "paused", "{rows}");

    // Figures are the manager's: not a clerk's, not another hall's.
    app.get(&path, Auth::Person(&clerk)).await.problem(403);
    app.get(&rows_path, Auth::Person(&clerk)).await.problem(403);
    app.get(
        &format!("/api/v1/halls/{}/stats/hourly", app.fx.other_hall.code),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
}
