//! A clerk at work over HTTP: open (挂牌), call, serve, finish with read-back, pause,
//! recall, transfer; CSRF and who may act on which ticket.

use crate::common::{App, Auth};
use serde_json::{Value, json};
use servicehall_domain::DeviceKind;

fn id(t: &Value) -> i64 {
    t["id"].as_i64().expect("ticket id")
}

#[tokio::test]
async fn clerk_calls_serves_and_finishes_with_a_read_back() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.login("clerk1").await;
    let c1 = app.fx.counter(1).id;

    // Not on duty yet: calling is refused.
    app.post(
        &format!("/api/v1/counters/{c1}/call-next"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(403);

    // 挂牌: the counter shows the clerk's name and badge.
    let res = app
        .post(
            &format!("/api/v1/counters/{c1}/open"),
            Auth::Person(&clerk),
            None,
        )
        .await;
    let counter = res.expect(200);
    assert_eq!(counter["status"], "open");
    assert_eq!(counter["clerk"]["badge_no"], "DL001");
    assert_eq!(counter["clerk"]["name"], app.fx.clerks[0].name);

    // Nobody waiting: 204 with no body.
    let res = app
        .post(
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::Person(&clerk),
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert!(res.text.is_empty());

    let issued = app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app.call_next(&clerk, 1).await.expect("a ticket is called");
    assert_eq!(t["id"], issued["id"]);
    assert_eq!(t["number"], "A001");
    assert_eq!(t["state"], "called");
    assert_eq!(t["counter_number"], 1);
    let tid = id(&t);

    // Still working on A001: calling again is a conflict.
    app.post(
        &format!("/api/v1/counters/{c1}/call-next"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(409);

    let started = app.act(&clerk, tid, "start", None).await.expect(200);
    assert_eq!(started["state"], "serving");

    // 唱收唱付: a payment business needs both amounts, and received ≥ due.
    let detail = app.act(&clerk, tid, "finish", None).await.problem(422);
    assert!(
        detail.contains("唱收唱付") || detail.contains("amount"),
        "{detail}"
    );
    app.act(&clerk, tid, "finish", Some(json!({"amount_due_fen": 5000})))
        .await
        .problem(422);
    app.act(
        &clerk,
        tid,
        "finish",
        Some(json!({"amount_due_fen": 5000, "amount_received_fen": 4000})),
    )
    .await
    .problem(422);
    app.act(
        &clerk,
        tid,
        "finish",
        Some(json!({"amount_due_fen": -1, "amount_received_fen": 0})),
    )
    .await
    .problem(422);
    // None of the refusals moved the ticket.
    let now = app
        .get(&format!("/api/v1/tickets/{tid}"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(now["state"], "serving");

    let done = app
        .act(
            &clerk,
            tid,
            "finish",
            Some(json!({"amount_due_fen": 12_345, "amount_received_fen": 20_000})),
        )
        .await
        .expect(200);
    assert_eq!(done["state"], "finished");
    let detail = app
        .act(
            &clerk,
            tid,
            "finish",
            Some(json!({"amount_due_fen": 12_345, "amount_received_fen": 20_000})),
        )
        .await
        .problem(409);
    assert!(!detail.is_empty());

    let shown = app
        .get(&format!("/api/v1/tickets/{tid}"), Auth::Person(&clerk))
        .await
        .expect(200);
    let states: Vec<&str> = shown["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["waiting", "called", "serving", "finished"]);
    let ats: Vec<i64> = shown["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_i64().unwrap())
        .collect();
    assert!(
        ats.windows(2).all(|w| w[0] <= w[1]),
        "log out of order: {ats:?}"
    );
    let finish_note = shown["log"][3]["note"].as_str().unwrap();
    assert!(
        finish_note.contains("123.45"),
        "read-back note: {finish_note}"
    );

    // A non-payment business finishes without amounts.
    app.issue(Auth::Device(&kiosk), "inquiry").await;
    let c = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(c["number"], "C001");
    app.act(&clerk, id(&c), "start", None).await.expect(200);
    let f = app.act(&clerk, id(&c), "finish", None).await.expect(200);
    assert_eq!(f["state"], "finished");

    // Unknown action; malformed and unknown-field bodies.
    app.act(&clerk, tid, "teleport", None).await.problem(404);
    let res = App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{tid}/finish"),
            Auth::Person(&clerk),
        )
        .header("content-type", "application/json")
        .body("{amount_due_fen: 1"),
    )
    .await;
    res.problem(400);
    app.act(&clerk, tid, "hold", Some(json!({"why": "x"})))
        .await
        .problem(400);
    // Unknown ticket.
    app.act(&clerk, 999_999, "start", None).await.problem(404);
}

#[tokio::test]
async fn pause_reason_is_shown_when_calling_and_writes_need_csrf() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let c1 = app.fx.counter(1).id;
    app.issue(Auth::Device(&kiosk), "payment").await;

    // A cookie write without the CSRF header (or with a wrong one) is refused.
    let detail = app
        .post(
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::PersonNoCsrf(&clerk),
            None,
        )
        .await
        .problem(403);
    assert!(detail.to_lowercase().contains("csrf"), "{detail}");
    let res = App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::PersonNoCsrf(&clerk),
        )
        .header("x-csrf-token", "0123456789abcdef0123456789abcdef"),
    )
    .await;
    res.problem(403);
    // Reads need no CSRF header.
    app.get(
        &format!("/api/v1/halls/{}/queue", app.fx.hall.code),
        Auth::PersonNoCsrf(&clerk),
    )
    .await
    .expect(200);

    // Pausing needs a reason.
    app.post(
        &format!("/api/v1/counters/{c1}/pause"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(422);
    let paused = app
        .post(
            &format!("/api/v1/counters/{c1}/pause"),
            Auth::Person(&clerk),
            Some(json!({"reason": "系统故障"})),
        )
        .await
        .expect(200);
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["pause_reason"], "系统故障");

    let detail = app
        .post(
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::Person(&clerk),
            None,
        )
        .await
        .problem(409);
    assert!(detail.contains("系统故障"), "{detail}");

    // Re-open and the waiting ticket is called.
    app.post(
        &format!("/api/v1/counters/{c1}/open"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .expect(200);
    let t = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(t["number"], "A001");

    // Unknown counter action.
    app.post(
        &format!("/api/v1/counters/{c1}/dance"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(404);
    // Closing while a ticket is open at the counter is a conflict.
    app.post(
        &format!("/api/v1/counters/{c1}/close"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(409);
}

#[tokio::test]
async fn a_clerk_cannot_act_on_another_counters_ticket_or_counter() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk1 = app.clerk_on_duty(1).await;
    let clerk2 = app.clerk_on_duty(2).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app.call_next(&clerk1, 1).await.unwrap();

    for action in ["start", "recall", "no-show"] {
        let res = app.act(&clerk2, id(&t), action, None).await;
        assert!(
            matches!(res.status.as_u16(), 403 | 409),
            "{action}: {} {}",
            res.status,
            res.text
        );
        assert_eq!(res.content_type(), "application/problem+json");
    }
    // Counter 1 is not clerk2's to call at, pause or close.
    let c1 = app.fx.counter(1).id;
    for action in ["call-next", "pause", "close"] {
        app.post(
            &format!("/api/v1/counters/{c1}/{action}"),
            Auth::Person(&clerk2),
            Some(json!({"reason": "午休"})).filter(|_| action == "pause"),
        )
        .await
        .problem(403);
    }
    // Nor can clerk2 take over counter 1 while clerk1 is on duty there.
    let res = app
        .post(
            &format!("/api/v1/counters/{c1}/open"),
            Auth::Person(&clerk2),
            None,
        )
        .await;
    assert!(matches!(res.status.as_u16(), 403 | 409), "{}", res.text);

    // The ticket is untouched and clerk1 can go on.
    let shown = app
        .get(
            &format!("/api/v1/tickets/{}", id(&t)),
            Auth::Person(&clerk1),
        )
        .await
        .expect(200);
    assert_eq!(shown["state"], "called");
    assert_eq!(shown["recalls"], 0);
    app.act(&clerk1, id(&t), "start", None).await.expect(200);

    // A guide may view but not work a counter.
    let guide = app.login("guide").await;
    app.act(&guide, id(&t), "hold", Some(json!({"reason": "x"})))
        .await
        .problem(403);
}

#[tokio::test]
async fn fourth_recall_turns_into_no_show() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app.call_next(&clerk, 1).await.unwrap();
    for n in 1..=3 {
        let r = app.act(&clerk, id(&t), "recall", None).await.expect(200);
        assert_eq!(r["state"], "called", "recall {n}: {r}");
        assert_eq!(r["recalls"], n);
    }
    let r = app.act(&clerk, id(&t), "recall", None).await.expect(200);
    assert_eq!(r["state"], "no_show", "{r}");
    // The counter is free again.
    assert!(app.call_next(&clerk, 1).await.is_none());
    app.act(&clerk, id(&t), "recall", None).await.problem(409);
}

#[tokio::test]
async fn transfer_creates_a_linked_ticket_the_other_counter_calls() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk1 = app.clerk_on_duty(1).await;
    let clerk2 = app.clerk_on_duty(2).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let second = app.issue(Auth::Device(&kiosk), "payment").await;
    let first = app.call_next(&clerk1, 1).await.unwrap();
    app.serve_and_finish(&clerk1, id(&first)).await;
    let t = app.call_next(&clerk1, 1).await.unwrap();
    assert_eq!(t["id"], second["id"]);
    assert_eq!(t["number"], "A002");
    app.act(&clerk1, id(&t), "start", None).await.expect(200);

    // Transfer needs a known target.
    app.act(&clerk1, id(&t), "transfer", None)
        .await
        .problem(422);
    app.act(
        &clerk1,
        id(&t),
        "transfer",
        Some(json!({"business_type": "nope"})),
    )
    .await
    .problem(422);

    let moved = app
        .act(
            &clerk1,
            id(&t),
            "transfer",
            Some(json!({"business_type": "new_connection", "reason": "需办理新装"})),
        )
        .await
        .expect(200);
    assert_eq!(moved["state"], "transferred");

    // Counter 2 (居民新装) calls the linked ticket: same number, linked to the original.
    let got = app
        .call_next(&clerk2, 2)
        .await
        .expect("counter 2 calls the transfer");
    assert_eq!(got["number"], "A002");
    assert_eq!(got["transferred_from"], t["id"]);
    assert_ne!(got["id"], t["id"]);
    assert_eq!(got["business_type"], "居民新装");
    assert_eq!(got["counter_number"], 2);
    let log = got["log"].as_array().unwrap();
    assert_eq!(log[0]["action"], "transfer_in", "{got}");
    // Counter 1 has nothing more.
    assert!(app.call_next(&clerk1, 1).await.is_none());
    // The customer's slip follows the visit to its new queue.
    let code = second["code"].as_str().unwrap(); // as printed on the slip
    let public = app
        .get(&format!("/api/v1/public/tickets/{code}"), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(public["number"], "A002");
    assert_eq!(
        public["state"], "called",
        "the slip of a transferred visit should show its linked ticket: {public}"
    );
    assert_eq!(public["business_type"], "居民新装", "{public}");
    assert_eq!(public["counter_number"], 2, "{public}");
    // The original stays transferred and cannot be finished.
    app.act(
        &clerk1,
        id(&t),
        "finish",
        Some(json!({"amount_due_fen": 1, "amount_received_fen": 1})),
    )
    .await
    .problem(409);
}

/// The action codes a ticket view offers.
fn actions(t: &Value) -> Vec<&str> {
    t["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["action"].as_str().expect("action code"))
        .collect()
}

#[tokio::test]
async fn the_ticket_view_offers_the_actions_its_state_allows() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let issued = app.issue(Auth::Device(&kiosk), "inquiry").await;
    assert_eq!(actions(&issued), ["call"]);

    let t = app.call_next(&clerk, 1).await.expect("a ticket is called");
    assert_eq!(actions(&t), ["start", "recall", "no_show", "transfer"]);
    assert_eq!(t["actions"][0]["label_zh"], "开始办理");
    assert_eq!(t["actions"][0]["label_en"], "Start");
    let tid = id(&t);

    let serving = app.act(&clerk, tid, "start", None).await.expect(200);
    assert_eq!(actions(&serving), ["finish", "hold", "transfer"]);
    let held = app
        .act(&clerk, tid, "hold", Some(json!({"reason": "复印资料"})))
        .await
        .expect(200);
    assert_eq!(actions(&held), ["resume", "transfer"]);

    // The console receives the same list with the ticket at its counter.
    let c1 = app.fx.counter(1).id;
    let console = app
        .get(
            &format!("/api/v1/counters/{c1}/console"),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(actions(&console["current"]), ["resume", "transfer"]);

    app.act(&clerk, tid, "resume", None).await.expect(200);
    let done = app.act(&clerk, tid, "finish", None).await.expect(200);
    assert_eq!(done["state"], "finished");
    assert!(actions(&done).is_empty());
}

#[tokio::test]
async fn a_manager_moves_a_clerk_in_one_step_and_a_clerk_cannot() {
    let app = App::start().await;
    let clerk1 = app.clerk_on_duty(1).await;
    let [c1, c2, c3] = [1, 2, 3].map(|n| app.fx.counter(n).id);
    let mv = |from: i64, to: Option<i64>, who| {
        let body = to.map(|to| json!({ "to_counter": to }));
        let app = &app;
        async move {
            app.post(&format!("/api/v1/counters/{from}/move"), who, body)
                .await
        }
    };
    // A clerk does not move themselves; the manager names the counter.
    mv(c1, Some(c3), Auth::Person(&clerk1)).await.problem(403);
    let manager = app.login("manager").await;
    mv(c1, None, Auth::Person(&manager)).await.problem(422);
    app.clerk_on_duty(2).await;
    let refused = mv(c1, Some(c2), Auth::Person(&manager)).await;
    refused.problem(409);
    assert!(refused.text.contains("窗口"), "{}", refused.text);
    let moved = mv(c1, Some(c3), Auth::Person(&manager)).await.expect(200);
    assert_eq!(
        (moved["id"].as_i64(), moved["status"].as_str()),
        (Some(c3), Some("open"))
    );
    assert_eq!(moved["clerk"]["badge_no"], clerk1.staff["badge_no"]);
    let hall = app
        .get(
            &format!("/api/v1/halls/{}", app.fx.hall.id),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let left = hall["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == c1)
        .cloned();
    assert_eq!(left.map(|c| c["status"].clone()), Some(json!("closed")));
}
