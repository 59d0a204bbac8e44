//! Staff forms (`SignedForm`): a form without the caller's `_csrf` token, or with another
//! one, is refused with 403 and changes nothing; the right token passes; someone not signed
//! in is sent to the sign-in page. Checked on three different forms.

use crate::common::{App, Auth, Resp, Session};
use reqwest::header::{COOKIE, LOCATION};
use servicehall_domain::Role;
use servicehall_store::{CalendarStore, RegionStore};

/// Posts `fields` to `path` as `who` (cookie only, no CSRF header), with `csrf` as the
/// form's `_csrf` field when given.
async fn post(
    app: &App,
    path: &str,
    who: Option<&Session>,
    csrf: Option<&str>,
    fields: &[(&str, &str)],
) -> Resp {
    let mut body: Vec<(&str, &str)> = csrf.map(|t| ("_csrf", t)).into_iter().collect();
    body.extend_from_slice(fields);
    let mut rb = crate::common::forms_client()
        .post(app.url(path))
        .form(&body);
    if let Some(s) = who {
        rb = rb.header(COOKIE, &s.cookie);
    }
    App::send(rb).await
}

fn assert_expired(res: &Resp, what: &str) {
    assert_eq!(res.status, 403, "{what}: {}", res.text);
    assert!(
        res.content_type().starts_with("text/html"),
        "{what}: a page, not JSON"
    );
    assert!(
        res.text.contains("表单已过期") && res.text.contains("the form has expired"),
        "{what}: says why, Chinese first: {}",
        res.text
    );
}

fn location(res: &Resp) -> &str {
    res.headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn a_region_form_needs_the_callers_token() {
    let app = App::start().await;
    let admin = app.above_halls("root", Role::Admin).await;
    let other = app.above_halls("root2", Role::Admin).await;
    let region = [("code", "LN"), ("name_zh", "辽宁"), ("name_en", "Liaoning")];
    let count = || async { app.store.region_tree().await.unwrap().in_order().len() };

    let missing = post(&app, "/admin/regions", Some(&admin), None, &region).await;
    assert_expired(&missing, "no _csrf");
    let wrong = post(&app, "/admin/regions", Some(&admin), Some("wrong"), &region).await;
    assert_expired(&wrong, "a made-up token");
    // Another person's token is not this person's.
    let theirs = post(
        &app,
        "/admin/regions",
        Some(&admin),
        Some(&other.csrf),
        &region,
    )
    .await;
    assert_expired(&theirs, "another session's token");
    let empty = post(&app, "/admin/regions", Some(&admin), Some(""), &region).await;
    assert_expired(&empty, "an empty token");
    assert_eq!(count().await, 0, "nothing was saved");

    // Not signed in: the sign-in page, as for every screen.
    let anon = post(&app, "/admin/regions", None, Some(&admin.csrf), &region).await;
    assert_eq!(anon.status, 303, "{}", anon.text);
    assert_eq!(location(&anon), "/login");
    assert_eq!(count().await, 0);

    let ok = post(
        &app,
        "/admin/regions",
        Some(&admin),
        Some(&admin.csrf),
        &region,
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(location(&ok), "/admin/regions?ok=saved");
    let tree = app.store.region_tree().await.unwrap();
    let saved = tree.in_order();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].1.code.as_str(), saved[0].1.name_en.as_str()),
        ("LN", "Liaoning"),
        "the fields reached the handler without the token"
    );
}

#[tokio::test]
async fn a_calendar_import_needs_the_callers_token() {
    let app = App::start().await;
    let admin = app.above_halls("cal-admin", Role::Admin).await;
    let text = "year 2027 示例通知 sample notice\nholiday 2027-01-01 元旦\n";
    let fields = [("text", text)];

    let missing = post(&app, "/admin/calendar", Some(&admin), None, &fields).await;
    assert_expired(&missing, "no _csrf");
    let wrong = post(&app, "/admin/calendar", Some(&admin), Some("x"), &fields).await;
    assert_expired(&wrong, "a wrong token");
    assert!(app.store.imported_years().await.unwrap().is_empty());

    let ok = post(
        &app,
        "/admin/calendar",
        Some(&admin),
        Some(&admin.csrf),
        &fields,
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(location(&ok), "/admin/calendar?ok=imported");
    assert_eq!(app.store.imported_years().await.unwrap().len(), 1);

    // The year's remove form (no fields but the token) is held to the same rule.
    let remove = post(&app, "/admin/calendar/2027/remove", Some(&admin), None, &[]).await;
    assert_expired(&remove, "remove without _csrf");
    assert_eq!(app.store.imported_years().await.unwrap().len(), 1);
}

#[tokio::test]
async fn signing_out_by_form_needs_the_callers_token() {
    let app = App::start().await;
    let s = app.login("clerk1").await;
    let still_in = || async { app.get("/api/v1/halls", Auth::Person(&s)).await.status };

    let missing = post(&app, "/logout", Some(&s), None, &[]).await;
    assert_expired(&missing, "no _csrf");
    let wrong = post(&app, "/logout", Some(&s), Some("nope"), &[]).await;
    assert_expired(&wrong, "a wrong token");
    assert_eq!(still_in().await, 200, "the session is still open");

    let ok = post(&app, "/logout", Some(&s), Some(&s.csrf), &[]).await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(location(&ok), "/login");
    assert_eq!(still_in().await, 401, "the session has ended");
}
