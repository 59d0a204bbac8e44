//! The first-run page (issue 13): with no administrator, `/setup` creates the first one from
//! the server's own machine (the code is in the form, hidden) or with the logged setup code;
//! a wrong code is refused; once an administrator exists it is refused.

use crate::common::{App, serve, sqlite_store};
use servicehall_store::{FirstRunStore, HallStore};
use servicehall_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;

const CODE: &str = "0a1b2c3d4e5f6789";

async fn post(base: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{base}/setup"))
        .form(fields)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_first_administrator_is_created_once_in_the_browser() {
    let db = sqlite_store().await;
    let store = Arc::new(db.store());
    let mut state = AppState::new(store.clone(), WebConfig::default());
    state.setup_code = CODE.into();
    let (base, _server) = serve(state).await;

    // On the server's own machine (the test client is 127.0.0.1): the code is in the form.
    let page = reqwest::get(format!("{base}/setup")).await.unwrap();
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    assert!(text.contains("id=\"setup-form\""), "{text}");
    assert!(
        text.contains(&format!(
            "type=\"hidden\" name=\"setup_code\" value=\"{CODE}\""
        )),
        "{text}"
    );

    let good = [
        ("setup_code", CODE),
        ("username", "zhangmin"),
        ("name", "张敏"),
        ("password", "correct-horse-1"),
        ("password2", "correct-horse-1"),
    ];
    // A wrong code (another site posting to localhost cannot know it): refused.
    let mut wrong = good;
    wrong[0].1 = "ffffffffffffffff";
    let (status, text) = post(&base, &wrong).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("设置码不对"), "{text}");
    // A short password: the form comes back with the reason.
    let mut short = good;
    (short[3].1, short[4].1) = ("short", "short");
    let (status, text) = post(&base, &short).await;
    assert_eq!(status, 422);
    assert!(text.contains("at least 12 characters"), "{text}");
    assert!(!store.has_admin().await.unwrap());

    let (status, text) = post(&base, &good).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("id=\"setup-done\""), "{text}");
    let (admin, hash) = store.staff_login("zhangmin").await.unwrap().unwrap();
    assert_eq!(admin.role, servicehall_domain::Role::Admin);
    assert_eq!(admin.hall_id, None);
    assert!(servicehall_web::auth::verify_password(
        "correct-horse-1",
        &hash
    ));

    // Refused from now on, page and form alike, even with the code.
    let page = reqwest::get(format!("{base}/setup")).await.unwrap();
    assert_eq!(page.status(), 409);
    assert!(page.text().await.unwrap().contains("已有系统管理员"));
    let mut again = good;
    again[1].1 = "lisi";
    let (status, _) = post(&base, &again).await;
    assert_eq!(status, 409);
    assert!(store.staff_login("lisi").await.unwrap().is_none());
}

/// Away from the server's own machine the form asks for the code and does not show it.
#[tokio::test]
async fn away_from_the_server_the_page_asks_for_the_code() {
    use tower_service::Service;
    let db = sqlite_store().await;
    let mut state = AppState::new(Arc::new(db.store()), WebConfig::default());
    state.setup_code = CODE.into();
    let mut app = servicehall_web::router(state);
    let mut req = axum::http::Request::get("/setup")
        .body(axum::body::Body::empty())
        .unwrap();
    let peer: SocketAddr = "10.1.2.3:50000".parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    let res = app.call(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("name=\"setup_code\" autocomplete=\"off\" required"),
        "{text}"
    );
    assert!(!text.contains(CODE));
}

/// A hall with staff but no administrator still offers the page; an administrator made in
/// any other way (`init`, `/admin`) closes it.
#[tokio::test]
async fn an_existing_administrator_closes_the_page() {
    let app = App::start().await;
    assert!(!app.store.halls().await.unwrap().is_empty());
    assert_eq!(
        app.get("/setup", crate::common::Auth::Anon).await.status,
        200
    );
    app.above_halls("setup-admin", servicehall_domain::Role::Admin)
        .await;
    assert_eq!(
        app.get("/setup", crate::common::Auth::Anon).await.status,
        409
    );
}
