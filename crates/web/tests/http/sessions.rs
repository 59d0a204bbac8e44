//! Authentication edges: revoked devices, deactivated staff, and CSRF on cookie writes
//! whatever the body's content type.

use crate::common::{App, Auth, MONDAY_10AM};
use servicehall_domain::DeviceKind;
use servicehall_store::{HallStore, SessionStore, StaffInput};
use servicehall_web::clock::ManualClock;

#[tokio::test]
async fn revoked_devices_and_deactivated_staff_are_shut_out() {
    let app = App::start().await;
    let hall = &app.fx.hall.code;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let device = app
        .store
        .device_by_token(&servicehall_web::auth::hash_token(&kiosk))
        .await
        .unwrap()
        .unwrap();
    app.store.revoke_device(device.id).await.unwrap();
    app.post(
        &format!("/api/v1/halls/{hall}/tickets"),
        Auth::Device(&kiosk),
        Some(serde_json::json!({"business_type": "payment"})),
    )
    .await
    .problem(401);

    let s = app.login("guide").await;
    let g = &app.fx.guide;
    app.store
        .update_staff(
            g.id,
            &StaffInput {
                hall_id: g.hall_id,
                username: g.username.clone(),
                name: g.name.clone(),
                badge_no: g.badge_no.clone(),
                role: g.role,
                photo: g.photo.clone(),
                active: false,
            },
        )
        .await
        .unwrap();
    app.get(&format!("/api/v1/halls/{hall}"), Auth::Person(&s))
        .await
        .problem(401);
    app.post(
        "/api/v1/session",
        Auth::Anon,
        Some(serde_json::json!({"username": "guide", "password": crate::common::PASSWORD})),
    )
    .await
    .problem(401);
}

#[tokio::test]
async fn signing_out_is_a_write_that_needs_csrf() {
    let app = App::start().await;
    let s = app.login("clerk1").await;
    let res = App::send(app.request(
        reqwest::Method::DELETE,
        "/api/v1/session",
        Auth::PersonNoCsrf(&s),
    ))
    .await;
    res.problem(403);
    app.get("/api/v1/halls", Auth::Person(&s)).await.expect(200);
}

/// A cross-site form can send `application/x-www-form-urlencoded` with the session cookie;
/// the JSON API must still insist on the X-CSRF-Token header.
#[tokio::test]
async fn a_form_content_type_does_not_skip_csrf_on_the_api() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.issue(Auth::Device(&kiosk), "inquiry").await;
    let c1 = app.fx.counter(1).id;

    let res = App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/counters/{c1}/call-next"),
            Auth::PersonNoCsrf(&clerk),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x=1"),
    )
    .await;
    assert_eq!(
        res.status, 403,
        "call-next without X-CSRF-Token ran: {} {}",
        res.status, res.text
    );
    // Nothing was called meanwhile.
    let t = app.call_next(&clerk, 1).await.expect("still waiting");
    assert_eq!(t["number"], "C001");

    let res = App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{}/no-show", t["id"]),
            Auth::PersonNoCsrf(&clerk),
        )
        .header("content-type", "application/x-www-form-urlencoded"),
    )
    .await;
    assert_eq!(
        res.status, 403,
        "no-show without X-CSRF-Token ran: {} {}",
        res.status, res.text
    );
}

/// A sign-in lasts twelve hours (the default `session_ttl_ms`) by the server's clock.
#[tokio::test]
async fn a_sign_in_ends_after_twelve_hours() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{}/stats/today", app.fx.hall.code);
    app.get(&path, Auth::Person(&manager)).await.expect(200);
    app.clock().advance(12 * 3_600_000 - 1);
    app.get(&path, Auth::Person(&manager)).await.expect(200);
    app.clock().advance(1);
    app.get(&path, Auth::Person(&manager)).await.problem(401);
}

fn location(res: &crate::common::Resp) -> &str {
    res.headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// A signed-out person opening a staff page is sent to sign in and, once signed in, comes
/// back to that page; the API keeps answering problem+json 401.
#[tokio::test]
async fn a_signed_out_page_goes_to_sign_in_and_comes_back() {
    let app = App::start().await;
    let client = crate::common::forms_client();
    let get = |path: &str| App::send(client.get(app.url(path)));
    for page in ["/counter", "/cases", "/manager", "/admin"] {
        let r = get(page).await;
        assert_eq!(r.status, 303, "{page}: {}", r.text);
        assert_eq!(location(&r), format!("/login?next={page}"), "{page}");
    }
    let r = get("/cases?state=open&page=2").await;
    assert_eq!(location(&r), "/login?next=/cases%3Fstate%3Dopen%26page%3D2");
    let hall = &app.fx.hall.code;
    app.get(&format!("/api/v1/halls/{hall}"), Auth::Anon)
        .await
        .problem(401);

    // The sign-in form carries the page along …
    let form = get("/login?next=/cases%3Fstate%3Dopen").await;
    assert_eq!(form.status, 200);
    assert!(
        form.text
            .contains(r#"<input type="hidden" name="next" value="/cases?state=open">"#),
        "{}",
        form.text
    );
    assert!(form.text.contains("请登录后继续"), "{}", form.text);
    // … and signing in goes there.
    let sign_in = |next: &'static str| {
        App::send(client.post(app.url("/login")).form(&[
            ("username", "manager"),
            ("password", crate::common::PASSWORD),
            ("next", next),
        ]))
    };
    let back = sign_in("/cases?state=open").await;
    assert_eq!(back.status, 303, "{}", back.text);
    assert_eq!(location(&back), "/cases?state=open");
    // Another site is never followed: the role's home instead.
    for evil in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "",
    ] {
        let r = sign_in(evil).await;
        assert_eq!(r.status, 303, "{evil}: {}", r.text);
        assert_eq!(location(&r), "/manager", "{evil}");
    }
    let form = get("/login?next=//evil.example").await;
    assert!(!form.text.contains("evil.example"), "{}", form.text);
}

/// Unknown pages get a page in both languages with a way home; unknown API paths a
/// problem+json 404 whose detail is bilingual.
#[tokio::test]
async fn unknown_paths_get_a_friendly_page_or_a_problem() {
    let app = App::start().await;
    let page = app.get("/no-such-screen", Auth::Anon).await;
    assert_eq!(page.status, 404);
    assert!(page.content_type().starts_with("text/html"), "{page:?}");
    for text in ["页面不存在", "Page not found", r#"href="/""#, "返回首页"] {
        assert!(page.text.contains(text), "{text} missing: {}", page.text);
    }
    let api = app.get("/api/v1/no-such-thing", Auth::Anon).await;
    let detail = api.problem(404);
    assert!(detail.contains("没有这个接口"), "{detail}");
    assert!(detail.contains("No such API path"), "{detail}");
}
