//! The headers every answer carries (CSP without inline script, framing, nosniff, referrer,
//! no-store on staff pages), `Secure` cookies behind https, and the slip's link built from
//! the configured address instead of the request's Host header.

use crate::common::*;
use reqwest::header::SET_COOKIE;
use servicehall_domain::DeviceKind;
use servicehall_web::WebConfig;

/// Every `<script` is a file from /static or a JSON data block; no `on…=` attribute.
fn assert_no_inline_script(path: &str, html: &str) {
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
        assert!(
            tag.contains(" src=\"/static/") || tag.contains("type=\"application/json\""),
            "{path}: inline script {tag}"
        );
    }
    for attr in [
        " onclick=",
        " onchange=",
        " onload=",
        " onsubmit=",
        " oninput=",
    ] {
        assert!(!html.contains(attr), "{path}: inline handler{attr}");
    }
}

#[tokio::test]
async fn pages_and_api_answers_carry_the_security_headers() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    for (path, auth) in [
        ("/login".to_string(), Auth::Anon),
        (format!("/hall/{hall}"), Auth::Anon),
        ("/manager".to_string(), Auth::Person(&manager)),
        ("/observations/new".to_string(), Auth::Person(&manager)),
        ("/admin/catalogue".to_string(), Auth::Person(&manager)),
        ("/api/v1/halls".to_string(), Auth::Person(&manager)),
    ] {
        let r = app.get(&path, auth).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        let h = |name: &str| {
            r.headers
                .get(name)
                .unwrap_or_else(|| panic!("{path}: no {name}"))
                .to_str()
                .unwrap()
                .to_string()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("referrer-policy"), "same-origin");
        assert_eq!(h("cache-control"), "no-store", "{path}");
        if r.content_type().starts_with("text/html") {
            assert_no_inline_script(&path, &r.text);
        }
    }
    // Static files stay cacheable.
    let css = app.get("/static/app.css", Auth::Anon).await;
    assert_ne!(css.headers["cache-control"], "no-store");
    // The tab icon exists where browsers look for it, so no page logs a 404 for it.
    for path in ["/favicon.ico", "/static/favicon.svg"] {
        let icon = app.get(path, Auth::Anon).await;
        assert_eq!(icon.status, 200, "{path}");
        assert_eq!(icon.content_type(), "image/svg+xml", "{path}");
        assert!(icon.text.starts_with("<svg"), "{path}");
    }
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_address_is_https() {
    let config = WebConfig {
        public_url: Some("https://hall.example.cn".into()),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 2, config).await;
    let r = app
        .post(
            "/api/v1/session",
            Auth::Anon,
            Some(serde_json::json!({"username": "manager", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cookie = r.headers[SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

#[tokio::test]
async fn the_slip_link_ignores_the_host_header() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let code = t["code"].as_str().expect("the issuing kiosk gets the code");
    let page = App::send(
        app.request(reqwest::Method::GET, &format!("/slip/{code}"), Auth::Anon)
            .header("host", "evil.example"),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        !page.text.contains("evil.example"),
        "the Host header leaked into the slip"
    );
    assert!(
        page.text.contains(&format!("{}/t/{code}", app.base)),
        "{}",
        page.text
    );
}
