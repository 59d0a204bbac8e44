//! Loose limits the review found: text without a bound, and an `Idempotency-Key` that let
//! one caller read the ticket another caller was issued.

use crate::common::*;
use serde_json::json;
use servicehall_domain::DeviceKind;

#[tokio::test]
async fn a_green_channel_reason_has_a_bound() {
    let app = App::start().await;
    let guide = app.login("guide").await;
    let path = format!("/api/v1/halls/{}/tickets", app.fx.hall.code);
    // Any text field of any JSON body: 2,000 characters at most.
    let long = "a".repeat(60_000);
    let m = app
        .post(
            &path,
            Auth::Person(&guide),
            Some(json!({"business_type": "payment", "priority": "green", "green_reason": long})),
        )
        .await
        .problem(422);
    assert!(m.contains("green_reason") && m.contains("2000"), "{m}");
    // This one: 200.
    let m = app
        .post(
            &path,
            Auth::Person(&guide),
            Some(json!({"business_type": "payment", "priority": "green", "green_reason": "老".repeat(201)})),
        )
        .await
        .problem(422);
    assert!(m.contains("200 characters"), "{m}");
    let ok = "老".repeat(200);
    app.post(
        &path,
        Auth::Person(&guide),
        Some(json!({"business_type": "payment", "priority": "green", "green_reason": ok})),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn an_idempotency_key_belongs_to_its_caller() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let other = app.device(DeviceKind::Kiosk, None).await;
    let issue = |token: String| {
        let rb = app
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/halls/{}/tickets", app.fx.hall.code),
                Auth::Device(&token),
            )
            .header("idempotency-key", "press-1")
            .json(&json!({"business_type": "payment"}));
        App::send(rb)
    };
    let first = issue(kiosk.clone()).await.json();
    let again = issue(kiosk.clone()).await.json();
    assert_eq!(
        first["id"], again["id"],
        "a retry by the same kiosk is the same ticket"
    );
    let theirs = issue(other.clone()).await.json();
    assert_ne!(
        theirs["id"], first["id"],
        "another caller's key is another request"
    );
    assert_ne!(theirs["code"], first["code"]);
}
