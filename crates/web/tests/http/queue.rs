//! Issuing tickets: numbers, idempotency, validation, who may mark the green channel.

use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_store::{CounterStore, QueueStore};
use servicehall_web::clock::ManualClock;

#[tokio::test]
async fn issue_returns_number_code_and_estimate() {
    let app = App::start().await;
    // One clerk on duty so there is an estimate to give.
    app.store
        .open_counter(app.fx.counter(1).id, app.fx.clerks[0].id, app.now())
        .await
        .unwrap();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let hall = &app.fx.hall.code;
    let res = app
        .post(
            &format!("/api/v1/halls/{hall}/tickets"),
            Auth::Device(&kiosk),
            Some(json!({"business_type": "payment"})),
        )
        .await;
    let t = res.expect(201);
    assert_eq!(t["number"], "A001");
    assert_eq!(t["state"], "waiting");
    assert_eq!(t["channel"], "kiosk");
    assert_eq!(t["business_type"], "电费缴纳");
    assert!(t["code"].as_str().is_some_and(|c| c.len() >= 8), "{t}");
    assert_eq!(t["waiting_ahead"], 0);
    assert!(t["estimated_wait_s"].is_i64(), "{t}");

    let t2 = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(t2["number"], "A002");
    assert_eq!(t2["waiting_ahead"], 1);
    assert_ne!(t2["code"], t["code"]);
    // Another business type has its own prefix and sequence.
    let b = app.issue(Auth::Device(&kiosk), "new_connection").await;
    assert_eq!(b["number"], "B001");
    // The hall may be named by id as well as by code.
    let by_id = app
        .post(
            &format!("/api/v1/halls/{}/tickets", app.fx.hall.id),
            Auth::Device(&kiosk),
            Some(json!({"business_type": "inquiry"})),
        )
        .await
        .expect(201);
    assert_eq!(by_id["number"], "C001");
}

#[tokio::test]
async fn idempotency_key_retry_returns_the_same_ticket() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let hall = &app.fx.hall.code;
    let send = |key: &'static str| {
        App::send(
            app.request(
                reqwest::Method::POST,
                &format!("/api/v1/halls/{hall}/tickets"),
                Auth::Device(&kiosk),
            )
            .header("idempotency-key", key)
            // Each key a new customer (not a repeat tap, which a_kiosks_repeat_tap_… covers).
            .json(&json!({"business_type": "payment", "another": true})),
        )
    };
    let first = send("kiosk-7-0001").await.expect(201);
    let retry = send("kiosk-7-0001").await;
    let retry_body = retry.json();
    assert!(retry.status.is_success(), "{}", retry.text);
    assert_eq!(retry_body["id"], first["id"]);
    assert_eq!(retry_body["number"], "A001");
    let other = send("kiosk-7-0002").await.expect(201);
    assert_eq!(other["number"], "A002");
    assert_ne!(other["id"], first["id"]);
}

#[tokio::test]
async fn issue_errors_are_problems_that_say_what_to_fix() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let hall = &app.fx.hall.code;
    let path = format!("/api/v1/halls/{hall}/tickets");

    // Unknown hall.
    let res = app
        .post(
            "/api/v1/halls/NO-SUCH/tickets",
            Auth::Device(&kiosk),
            Some(json!({"business_type": "payment"})),
        )
        .await;
    let detail = res.problem(404);
    assert!(detail.contains("NO-SUCH"), "{detail}");

    // Unknown business type.
    let detail = app
        .post(
            &path,
            Auth::Device(&kiosk),
            Some(json!({"business_type": "teleport"})),
        )
        .await
        .problem(422);
    assert!(detail.contains("teleport"), "{detail}");

    // Malformed JSON.
    let res = App::send(
        app.request(reqwest::Method::POST, &path, Auth::Device(&kiosk))
            .header("content-type", "application/json")
            .body("{\"business_type\": \"payment\""),
    )
    .await;
    let detail = res.problem(400);
    assert!(detail.len() > 10, "{detail}");

    // Unknown field (deny_unknown_fields) is a 400 that names it, not a silent ignore.
    let detail = app
        .post(
            &path,
            Auth::Device(&kiosk),
            Some(json!({"business_type": "payment", "vip": true})),
        )
        .await
        .problem(400);
    assert!(detail.contains("vip"), "{detail}");

    // Oversized body.
    let big = json!({"business_type": "payment", "channel": "x".repeat(70 * 1024)});
    app.post(&path, Auth::Device(&kiosk), Some(big))
        .await
        .problem(413);

    // Unknown priority.
    app.post(
        &path,
        Auth::Device(&kiosk),
        Some(json!({"business_type": "payment", "priority": "vip"})),
    )
    .await
    .problem(422);

    // No authentication.
    app.post(&path, Auth::Anon, Some(json!({"business_type": "payment"})))
        .await
        .problem(401);

    // A kiosk of another hall.
    let foreign = app
        .device_in(app.fx.other_hall.id, None, DeviceKind::Kiosk)
        .await;
    app.post(
        &path,
        Auth::Device(&foreign),
        Some(json!({"business_type": "payment"})),
    )
    .await
    .problem(403);

    // A display may not issue.
    let display = app.device(DeviceKind::Display, None).await;
    app.post(
        &path,
        Auth::Device(&display),
        Some(json!({"business_type": "payment"})),
    )
    .await
    .problem(403);

    // Nothing above was half-written: the next ticket is still A001.
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(t["number"], "A001");
}

#[tokio::test]
async fn only_a_guide_marks_the_green_channel_and_it_needs_a_reason() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let guide = app.login("guide").await;
    let path = format!("/api/v1/halls/{}/tickets", app.fx.hall.code);

    let detail = app
        .post(
            &path,
            Auth::Device(&kiosk),
            Some(
                json!({"business_type": "payment", "priority": "green", "green_reason": "老年人"}),
            ),
        )
        .await
        .problem(403);
    assert!(
        detail.contains("引导员") || detail.contains("guide"),
        "{detail}"
    );
    app.post(
        &path,
        Auth::Device(&kiosk),
        Some(json!({"business_type": "payment", "proxy": true})),
    )
    .await
    .problem(403);

    let detail = app
        .post(
            &path,
            Auth::Person(&guide),
            Some(json!({"business_type": "payment", "priority": "green"})),
        )
        .await
        .problem(422);
    assert!(detail.contains("reason"), "{detail}");
    app.post(
        &path,
        Auth::Person(&guide),
        Some(json!({"business_type": "payment", "priority": "green", "green_reason": "  "})),
    )
    .await
    .problem(422);

    let t = app
        .post(
            &path,
            Auth::Person(&guide),
            Some(json!({"business_type": "payment", "priority": "green", "green_reason": "老年人", "proxy": true})),
        )
        .await
        .expect(201);
    assert_eq!(t["priority"], "green");
    assert_eq!(t["green_reason"], "老年人");
    assert_eq!(t["proxy"], true);
    assert_eq!(t["channel"], "guide");
    // The rejected attempts took no numbers.
    assert_eq!(t["number"], "A001");

    // The guide's writes need the CSRF header like every cookie write.
    app.post(
        &path,
        Auth::PersonNoCsrf(&guide),
        Some(json!({"business_type": "payment"})),
    )
    .await
    .problem(403);
}

/// Issue 14, defect 4: one visit finished in a second made the day's mean handling time
/// near zero, and the sixth in line was told 即将叫号. The estimate now leans on the type's
/// configured time until the day has a sample, and is never 0 while anyone is ahead.
#[tokio::test]
async fn the_sixth_in_line_is_never_told_they_are_next() {
    let app = App::start_with_clock(ManualClock::starting_now()).await;
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let quick = app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app.call_next(&clerk, 1).await.expect("a ticket to call");
    assert_eq!(t["id"], quick["id"]);
    app.serve_and_finish_after(&clerk, t["id"].as_i64().unwrap(), 1_000)
        .await;

    let mut last = serde_json::Value::Null;
    for _ in 0..6 {
        last = app.issue(Auth::Device(&kiosk), "payment").await;
    }
    assert_eq!(last["waiting_ahead"], 5, "{last}");
    let est = last["estimated_wait_s"].as_i64().expect("an estimate");
    // Five visits ahead on one counter: the configured typical time dominates one sample.
    assert!(est >= 5 * 60, "five ahead, one counter: {est} s");
    // The customer's phone page reads the same figure.
    let code = last["code"].as_str().unwrap();
    let public = app
        .get(&format!("/api/v1/public/tickets/{code}"), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(public["estimated_wait_s"], est, "{public}");
    // The hall's queue shows a wait for the type too.
    let hall = &app.fx.hall.code;
    let q = app
        .get(&format!("/api/v1/halls/{hall}/queue"), Auth::Person(&clerk))
        .await
        .expect(200);
    let payment = q["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "payment")
        .unwrap();
    assert!(
        payment["estimated_wait_s"].as_i64().unwrap() >= est,
        "{payment}"
    );
}

/// A kiosk's repeat tap on the same business within seconds gets the same ticket (200,
/// `repeat: true`); "another" is a new ticket; guide desks and integrations are not folded.
#[tokio::test]
async fn a_kiosks_repeat_tap_gets_the_same_ticket() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let path = format!("/api/v1/halls/{hall}/tickets");
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let tap = |body: serde_json::Value| app.post(&path, Auth::Device(&kiosk), Some(body));
    let first = tap(json!({"business_type": "payment"})).await.expect(201);
    assert_eq!(first["repeat"], false, "{first}");
    let again = tap(json!({"business_type": "payment"})).await.expect(200);
    assert_eq!(again["repeat"], true, "{again}");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["number"], "A001");
    assert_eq!(again["code"], first["code"], "the kiosk that printed it");
    assert_eq!(again["waiting_ahead"], 0);
    // Another business is another ticket; "another" is a second one on purpose.
    let other = tap(json!({"business_type": "new_connection"}))
        .await
        .expect(201);
    assert_eq!(other["number"], "B001");
    let another = tap(json!({"business_type": "payment", "another": true}))
        .await
        .expect(201);
    assert_eq!(
        (&another["number"], &another["repeat"]),
        (&json!("A002"), &json!(false))
    );
    // Two taps at once: one ticket.
    let kiosk2 = app.device(DeviceKind::Kiosk, None).await;
    let tap2 = || {
        app.post(
            &path,
            Auth::Device(&kiosk2),
            Some(json!({"business_type": "inquiry"})),
        )
    };
    let (a, b) = tokio::join!(tap2(), tap2());
    let (a, b) = (a.json(), b.json());
    assert_eq!(a["id"], b["id"], "{a} {b}");
    assert_eq!(
        [&a["repeat"], &b["repeat"]]
            .iter()
            .filter(|r| ***r == json!(true))
            .count(),
        1
    );

    // The guide desk and integrations issue every time.
    let guide = app.login("guide").await;
    let api = app.device(DeviceKind::Integration, None).await;
    for auth in [Auth::Person(&guide), Auth::Device(&api)] {
        let x = app
            .post(&path, auth, Some(json!({"business_type": "payment"})))
            .await
            .expect(201);
        let y = app
            .post(&path, auth, Some(json!({"business_type": "payment"})))
            .await
            .expect(201);
        assert_ne!(x["id"], y["id"]);
        assert_eq!(y["repeat"], false);
    }
    let waiting = app.store.waiting(app.fx.hall.id).await.unwrap();
    assert_eq!(
        waiting.len(),
        8,
        "A001 B001 A002 C001 and four at the desk and the integration"
    );
}

/// Refusals at the kiosk and the counter say why in Chinese first, the English after.
#[tokio::test]
async fn refusals_say_why_in_chinese_first() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let chinese_first = |m: &str| {
        m.chars()
            .next()
            .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    };
    let green = app
        .post(
            &format!("/api/v1/halls/{hall}/tickets"),
            Auth::Device(&kiosk),
            Some(
                json!({"business_type": "payment", "priority": "green", "green_reason": "老年人"}),
            ),
        )
        .await
        .problem(403);
    assert!(
        chinese_first(&green) && green.contains("marked by a lobby guide"),
        "{green}"
    );
    let c1 = app.fx.counter(1).id;
    let role = app
        .post(
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .problem(403);
    assert!(chinese_first(&role) && role.contains("may not"), "{role}");
    let clerk = app.login("clerk1").await;
    let csrf = App::send(app.request(
        reqwest::Method::POST,
        &format!("/api/v1/counters/{c1}/call-next"),
        Auth::PersonNoCsrf(&clerk),
    ))
    .await
    .problem(403);
    assert!(
        chinese_first(&csrf) && csrf.contains("X-CSRF-Token"),
        "{csrf}"
    );
}
