//! 好差评: the evaluator pad bound to a counter rates visits finished there, once.

use crate::common::{App, Auth, MONDAY_10AM, Resp};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_web::clock::ManualClock;

async fn rate(app: &App, id: i64, auth: Auth<'_>, body: serde_json::Value) -> Resp {
    app.post(&format!("/api/v1/tickets/{id}/rating"), auth, Some(body))
        .await
}

#[tokio::test]
async fn evaluator_rates_a_finished_visit_once() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad1 = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let pad2 = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(2).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.issue(Auth::Device(&kiosk), "payment").await;

    // Not finished yet: nothing to rate.
    let t1 = app.call_next(&clerk, 1).await.unwrap();
    let id1 = t1["id"].as_i64().unwrap();
    rate(&app, id1, Auth::Device(&pad1), json!({"level": 5}))
        .await
        .problem(409);
    app.serve_and_finish(&clerk, id1).await;

    let r = rate(&app, id1, Auth::Device(&pad1), json!({"level": 5}))
        .await
        .expect(201);
    assert_eq!(r["level"], 5);
    assert_eq!(r["ticket_id"], id1);
    assert_eq!(r["counter_id"], app.fx.counter(1).id);
    assert_eq!(r["staff_id"], app.fx.clerks[0].id);
    let detail = rate(&app, id1, Auth::Device(&pad1), json!({"level": 4}))
        .await
        .problem(409);
    assert!(detail.contains("already"), "{detail}");

    let t2 = app.call_next(&clerk, 1).await.unwrap();
    let id2 = t2["id"].as_i64().unwrap();
    app.serve_and_finish(&clerk, id2).await;
    let detail = rate(&app, id2, Auth::Device(&pad1), json!({"level": 6}))
        .await
        .problem(422);
    assert!(detail.contains('6'), "{detail}");
    rate(&app, id2, Auth::Device(&pad1), json!({"level": 0}))
        .await
        .problem(422);
    rate(&app, id2, Auth::Device(&pad1), json!({"level": 1}))
        .await
        .problem(422);
    rate(
        &app,
        id2,
        Auth::Device(&pad1),
        json!({"level": 2, "reasons": []}),
    )
    .await
    .problem(422);
    rate(
        &app,
        id2,
        Auth::Device(&pad1),
        json!({"level": 3, "reasons": ["nonsense"]}),
    )
    .await
    .problem(422);
    rate(&app, id2, Auth::Device(&pad1), json!({"level": "five"}))
        .await
        .problem(400);
    // People do not rate; other pads and kiosks do not either.
    let detail = rate(&app, id2, Auth::Person(&clerk), json!({"level": 5}))
        .await
        .problem(403);
    assert!(!detail.is_empty());
    rate(&app, id2, Auth::Device(&kiosk), json!({"level": 5}))
        .await
        .problem(403);
    let manager = app.login("manager").await;
    rate(&app, id2, Auth::Person(&manager), json!({"level": 5}))
        .await
        .problem(403);
    rate(&app, id2, Auth::Device(&pad2), json!({"level": 5}))
        .await
        .problem(409);
    let foreign = app
        .device_in(
            app.fx.other_hall.id,
            Some(app.fx.other_counter.id),
            DeviceKind::Evaluator,
        )
        .await;
    rate(&app, id2, Auth::Device(&foreign), json!({"level": 5}))
        .await
        .problem(403);

    // After all the refusals the visit can still be rated, once.
    let r = rate(
        &app,
        id2,
        Auth::Device(&pad1),
        json!({"level": 1, "reasons": ["long_wait"]}),
    )
    .await
    .expect(201);
    assert_eq!(r["reasons"], json!(["long_wait"]));
}

/// The pad's window (ten minutes by default) is measured by the server's clock: the test
/// moves it instead of waiting ten minutes.
#[tokio::test]
async fn the_pad_rating_window_closes_ten_minutes_after_the_visit() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        app.issue(Auth::Device(&kiosk), "payment").await;
        let t = app.call_next(&clerk, 1).await.unwrap();
        let id = t["id"].as_i64().unwrap();
        app.serve_and_finish(&clerk, id).await;
        ids.push(id);
    }
    // Both finished at 10:00; at 10:10 exactly the window is still open.
    app.clock().advance(10 * 60_000);
    rate(&app, ids[0], Auth::Device(&pad), json!({"level": 5}))
        .await
        .expect(201);
    // One millisecond later it has closed.
    app.clock().advance(1);
    let detail = rate(&app, ids[1], Auth::Device(&pad), json!({"level": 4}))
        .await
        .problem(409);
    assert!(detail.contains("rating window"), "{detail}");
}

#[tokio::test]
async fn a_visit_rated_on_the_pad_is_not_offered_for_rating_on_the_phone() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let visit = app.finished_visit(&clerk, &kiosk).await;
    let (id, code) = (
        visit["id"].as_i64().unwrap(),
        visit["code"].as_str().unwrap(),
    );
    let path = format!("/api/v1/public/tickets/{code}/rating");
    assert_eq!(
        app.get(&path, Auth::Anon).await.expect(200)["state"],
        "open"
    );
    rate(&app, id, Auth::Device(&pad), json!({"level": 5}))
        .await
        .expect(201);
    assert_eq!(
        app.get(&path, Auth::Anon).await.expect(200)["state"],
        "rated"
    );
    let m = app
        .post(
            &path,
            Auth::Anon,
            Some(json!({"level": 1, "reasons": ["attitude"]})),
        )
        .await
        .problem(409);
    assert!(m.contains("一次业务只能评价一次"), "{m}");
}
