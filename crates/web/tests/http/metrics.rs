//! `/metrics` (issue 13): Prometheus text that parses, counters that move with the work,
//! requests labelled by route template, and who may read it.

use crate::common::{App, Auth, open_events, sqlite_store};
use servicehall_domain::DeviceKind;
use servicehall_web::WebConfig;
use std::collections::HashMap;

/// Every sample line as `name{labels}` → value; panics on a line that is not the format.
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        assert!(!line.trim().is_empty(), "blank line in {text}");
        let (key, value) = line.rsplit_once(' ').expect(line);
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        let name_end = key.find('{').unwrap_or(key.len());
        let name = &key[..name_end];
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "bad name: {line}"
        );
        if name_end < key.len() {
            assert!(key.ends_with('}'), "labels not closed: {line}");
        }
        samples.insert(key.to_string(), value);
    }
    samples
}

async fn scrape(app: &App) -> HashMap<String, f64> {
    let res = app.get("/metrics", Auth::Anon).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let ct = res.headers["content-type"].to_str().unwrap();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    parse(&res.text)
}

#[tokio::test]
async fn a_ticket_moves_the_counters_and_routes_are_templates() {
    let app = App::start().await;
    let before = scrape(&app).await;
    assert_eq!(before["servicehall_tickets_issued_total"], 0.0);
    assert!(before["servicehall_db_pool_max_connections"] >= 1.0);

    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.issue(Auth::Device(&kiosk), "payment").await;
    let clerk = app.clerk_on_duty(1).await;
    assert!(app.call_next(&clerk, 1).await.is_some());

    let display = app.device(DeviceKind::Display, None).await;
    let stream = open_events(&app, &display, None).await;
    let after = scrape(&app).await;
    assert_eq!(
        after["servicehall_sse_clients"], 1.0,
        "the display's live stream"
    );
    drop(stream);
    assert_eq!(after["servicehall_tickets_issued_total"], 2.0);
    assert_eq!(after["servicehall_tickets_called_total"], 1.0);
    let issued = "servicehall_http_requests_total{method=\"POST\",route=\"/api/v1/halls/{hall}/tickets\",status=\"201\"}";
    assert_eq!(after[issued], 2.0, "by template, not by URL");
    assert!(
        !after.keys().any(|k| k.contains(&app.fx.hall.code)),
        "no raw URL in any label"
    );
    let count = "servicehall_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/halls/{hall}/tickets\"}";
    assert_eq!(after[count], 2.0);
    let inf = "servicehall_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/halls/{hall}/tickets\",le=\"+Inf\"}";
    assert_eq!(after[inf], 2.0);

    // An unknown URL is one label, whatever its path.
    app.get("/no/such/page-1", Auth::Anon).await;
    app.get("/no/such/page-2", Auth::Anon).await;
    let again = scrape(&app).await;
    let unmatched = again
        .iter()
        .filter(|(k, _)| {
            k.starts_with("servicehall_http_requests_total") && k.contains("(unmatched)")
        })
        .map(|(_, v)| *v)
        .sum::<f64>();
    assert_eq!(unmatched, 2.0);
}

#[tokio::test]
async fn a_proxied_caller_needs_the_configured_token() {
    let config = WebConfig {
        metrics_token: Some("scrape-secret-1".into()),
        ..WebConfig::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config).await;
    // Through a reverse proxy on the same machine the peer is loopback: the header tells.
    let proxied = |rb: reqwest::RequestBuilder| rb.header("x-forwarded-for", "203.0.113.9");
    let res = App::send(proxied(app.request(
        reqwest::Method::GET,
        "/metrics",
        Auth::Anon,
    )))
    .await;
    assert_eq!(res.status, 403);
    assert!(res.text.contains("指标仅限本机"), "{}", res.text);
    let wrong = app.request(reqwest::Method::GET, "/metrics", Auth::Device("guess"));
    assert_eq!(App::send(proxied(wrong)).await.status, 403);
    let right = app.request(
        reqwest::Method::GET,
        "/metrics",
        Auth::Device("scrape-secret-1"),
    );
    let res = App::send(proxied(right)).await;
    assert_eq!(res.status, 200);
    assert!(parse(&res.text).contains_key("servicehall_sse_clients"));
}
