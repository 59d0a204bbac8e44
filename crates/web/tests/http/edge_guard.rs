//! The central node works no queue or counter of a hall its edge runs (docs/edge.md): once
//! an edge has reported for the hall, every queue and counter write there is refused with
//! the same bilingual 409, and nothing changes centrally; displays and reports still read.

use crate::common::*;
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_store::EdgeStore;

#[tokio::test]
async fn central_refuses_every_queue_and_counter_write_for_an_edge_run_hall() {
    let app = App::start().await;
    let hall = app.fx.hall.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let clerk2 = app.clerk_on_duty(2).await;
    // Before the switch: a finished visit (to be rated), a called one and a waiting one.
    let finished = app.finished_visit(&clerk, &kiosk).await;
    let called = app.issue(Auth::Device(&kiosk), "payment").await;
    let waiting = app.issue(Auth::Device(&kiosk), "payment").await;
    let c = app.call_next(&clerk, 1).await.expect("called");
    assert_eq!(c["id"], called["id"]);
    // The hall's edge reports for the first time.
    app.store
        .edge_receive(hall.id, "星海现场", &[], app.now())
        .await
        .unwrap();

    let called_id = called["id"].as_i64().unwrap();
    let waiting_id = waiting["id"].as_i64().unwrap();
    let counter1 = app.fx.counter(1).id;
    let counter2 = app.fx.counter(2).id;
    let code = waiting["code"].as_str().unwrap().to_string();
    let writes: Vec<(String, Auth<'_>, Option<serde_json::Value>)> = vec![
        (
            format!("/api/v1/halls/{}/tickets", hall.code),
            Auth::Device(&kiosk),
            Some(json!({"business_type": "payment", "another": true})),
        ),
        (
            format!("/api/v1/counters/{counter2}/call-next"),
            Auth::Person(&clerk2),
            None,
        ),
        (
            format!("/api/v1/tickets/{called_id}/start"),
            Auth::Person(&clerk),
            None,
        ),
        (
            format!("/api/v1/tickets/{called_id}/recall"),
            Auth::Person(&clerk),
            None,
        ),
        (
            format!("/api/v1/tickets/{called_id}/no-show"),
            Auth::Person(&clerk),
            None,
        ),
        (
            format!("/api/v1/tickets/{called_id}/transfer"),
            Auth::Person(&clerk),
            Some(json!({"business_type": "inquiry", "reason": "转办"})),
        ),
        (
            format!("/api/v1/counters/{counter1}/pause"),
            Auth::Person(&clerk),
            Some(json!({"reason": "break"})),
        ),
        (
            format!("/api/v1/counters/{counter2}/close"),
            Auth::Person(&clerk2),
            None,
        ),
        (
            format!("/api/v1/tickets/{}/rating", finished["id"]),
            Auth::Device(&pad),
            Some(json!({"level": 5})),
        ),
        (
            format!("/api/v1/public/tickets/{code}/leave"),
            Auth::Anon,
            None,
        ),
        (
            format!("/api/v1/public/tickets/{code}/on-way"),
            Auth::Anon,
            None,
        ),
    ];
    for (path, auth, body) in writes {
        let msg = app.post(&path, auth, body).await.problem(409);
        assert!(
            msg.starts_with("该厅由现场节点运行") && msg.contains("is run by its edge (星海现场)"),
            "{path}: {msg}"
        );
    }
    // Nothing changed centrally, and reads still answer.
    let t = app
        .get(
            &format!("/api/v1/tickets/{called_id}"),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(t["state"], "called", "{t}");
    let t = app
        .get(
            &format!("/api/v1/tickets/{waiting_id}"),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(t["state"], "waiting", "{t}");
    let q = app
        .get(
            &format!("/api/v1/halls/{}/queue", hall.code),
            Auth::Device(&kiosk),
        )
        .await;
    assert_eq!(q.status, 200, "{}", q.text);
    let manager = app.login("manager").await;
    app.get(
        &format!("/api/v1/halls/{}/stats/today", hall.code),
        Auth::Person(&manager),
    )
    .await
    .expect(200);
    // Another hall is worked centrally as before.
    assert!(app.store.edge_hall(hall.id + 1000).await.unwrap().is_none());
}
