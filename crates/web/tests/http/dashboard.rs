//! The hall manager's figures for today, derived from what the test did over HTTP.

use crate::common::{App, Auth, MONDAY_10AM};
use serde_json::json;
use servicehall_domain::DeviceKind;
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
