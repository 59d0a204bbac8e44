//! Health, the OpenAPI description, authentication basics, the customer's public status.

use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = App::start().await;
    let res = app.get("/healthz", Auth::Anon).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text, "ok");
}

#[tokio::test]
async fn openapi_lists_the_main_paths() {
    let app = App::start().await;
    let res = app.get("/api/openapi.json", Auth::Anon).await;
    let spec = res.expect(200);
    assert!(res.content_type().starts_with("application/json"));
    assert!(spec["openapi"].as_str().unwrap_or("").starts_with('3'));
    let paths = spec["paths"].as_object().expect("paths object");
    for p in [
        "/api/v1/halls/{hall}/tickets",
        "/api/v1/counters/{counter}/call-next",
        "/api/v1/halls/{hall}/events",
        "/api/v1/tickets/{id}/rating",
        "/api/v1/public/tickets/{code}",
        "/api/v1/session",
    ] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys());
    }
    assert!(
        spec["paths"]["/api/v1/halls/{hall}/tickets"]["post"].is_object(),
        "issuing is a POST"
    );
}

#[tokio::test]
async fn sign_in_rejects_a_wrong_password_and_unknown_tokens() {
    let app = App::start().await;
    let res = app
        .post(
            "/api/v1/session",
            Auth::Anon,
            Some(serde_json::json!({"username": "clerk1", "password": "wrong"})),
        )
        .await;
    res.problem(401);
    assert!(res.headers.get("set-cookie").is_none());

    let hall = &app.fx.hall.code;
    app.get(
        &format!("/api/v1/halls/{hall}"),
        Auth::Device("not-a-token"),
    )
    .await
    .problem(401);
    app.get(&format!("/api/v1/halls/{hall}"), Auth::Anon)
        .await
        .problem(401);

    // A session works for reads; signing out ends it.
    let s = app.login("clerk1").await;
    let detail = app
        .get(&format!("/api/v1/halls/{hall}"), Auth::Person(&s))
        .await;
    let body = detail.expect(200);
    assert_eq!(body["hall"]["code"], "DL-XH");
    assert_eq!(body["counters"].as_array().unwrap().len(), 3);
    let out =
        App::send(app.request(reqwest::Method::DELETE, "/api/v1/session", Auth::Person(&s))).await;
    assert_eq!(out.status, 204, "{}", out.text);
    app.get(&format!("/api/v1/halls/{hall}"), Auth::Person(&s))
        .await
        .problem(401);
}

#[tokio::test]
async fn public_status_needs_no_sign_in_and_shows_no_names() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let first = app.issue(Auth::Device(&kiosk), "payment").await;
    let second = app.issue(Auth::Device(&kiosk), "payment").await;
    let code = second["code"].as_str().unwrap();

    let res = app
        .get(&format!("/api/v1/public/tickets/{code}"), Auth::Anon)
        .await;
    let st = res.expect(200);
    assert_eq!(st["number"], "A002");
    assert_eq!(st["state"], "waiting");
    assert_eq!(st["waiting_ahead"], 1, "{st}");
    assert_eq!(st["hall"], "大连星海营业厅");

    // Called at counter 1: the page shows the counter, never who works there.
    let clerk = app.clerk_on_duty(1).await;
    let called = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(called["number"], first["number"]);
    app.serve_and_finish(&clerk, called["id"].as_i64().unwrap())
        .await;
    let called = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(called["number"], "A002");
    let res = app
        .get(&format!("/api/v1/public/tickets/{code}"), Auth::Anon)
        .await;
    let st = res.expect(200);
    let name = &app.fx.clerks[0].name;
    let badge = &app.fx.clerks[0].badge_no;
    assert!(
        !res.text.contains(name.as_str()),
        "staff name leaked: {}",
        res.text
    );
    assert!(
        !res.text.contains(badge.as_str()),
        "badge leaked: {}",
        res.text
    );
    assert_eq!(st["state"], "called", "{st}");
    assert_eq!(st["counter_number"], 1, "{st}");
    assert!(
        st.get("staff_id").is_none() && st.get("log").is_none(),
        "{st}"
    );

    app.get("/api/v1/public/tickets/nonexistent", Auth::Anon)
        .await
        .problem(404);
}
