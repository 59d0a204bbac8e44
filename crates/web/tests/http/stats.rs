//! The hall manager's figures for today, derived from what the test did over HTTP.

use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::DeviceKind;

#[tokio::test]
async fn todays_figures_reflect_the_visits() {
    let app = App::start().await;
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
    for level in [
        json!({"level": 5}),
        json!({"level": 1, "reasons": ["slow"]}),
    ] {
        let t = app.call_next(&clerk, 1).await.unwrap();
        let id = t["id"].as_i64().unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        app.serve_and_finish(&clerk, id).await;
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
    let avg_wait = f["avg_wait_s"]
        .as_i64()
        .expect("avg wait with served tickets");
    let avg_handling = f["avg_handling_s"].as_i64().expect("avg handling");
    // Everything happened within this test: seconds, not minutes.
    assert!((0..60).contains(&avg_wait), "{st}");
    assert!((0..60).contains(&avg_handling), "{st}");
    assert!(
        st["longest_wait_s"]
            .as_i64()
            .is_some_and(|w| (0..60).contains(&w)),
        "{st}"
    );

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
