//! Live streams' credentials are checked by one sweep per node in batched queries, not by
//! each stream (fanout_watch.rs): many streams cost two queries a heartbeat, a credential
//! revoked anywhere ends exactly its own streams, and a revocation on this node ends them
//! at once. On SQLite and (with SERVICEHALL_TEST_PG) PostgreSQL.

use crate::common::*;
use reqwest::header::COOKIE;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::testing::TestStore;
use servicehall_store::{HallStore, SessionStore};
use servicehall_web::WebConfig;
use servicehall_web::auth::hash_token;
use std::time::{Duration, Instant};

async fn app_on(db: TestStore, heartbeat_ms: u64) -> App {
    let config = WebConfig {
        heartbeat_ms,
        ..WebConfig::default()
    };
    App::start_with(db, 3, config).await
}

/// The apps to run a scenario on: SQLite, and PostgreSQL when configured.
async fn apps(test: &str, heartbeat_ms: u64) -> Vec<App> {
    let mut apps = vec![app_on(sqlite_store().await, heartbeat_ms).await];
    if let Some(db) = postgres_store(test).await {
        apps.push(app_on(db, heartbeat_ms).await);
    }
    apps
}

/// A live stream of the fixture's hall, its head ping read.
async fn open(app: &App, auth: Auth<'_>) -> SseReader {
    let path = format!("/api/v1/halls/{}/events", app.fx.hall.code);
    let req = app
        .request(reqwest::Method::GET, &path, auth)
        .build()
        .unwrap();
    // Streams never end: a client without an overall timeout.
    let res = reqwest::Client::new().execute(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut feed = SseReader::new(res);
    let head = feed.next(Duration::from_secs(2)).await.expect("head ping");
    assert_eq!(head.event, "ping");
    feed
}

/// Whether the stream ended within `within` (rather than still being open after it).
async fn ends_within(feed: &mut SseReader, within: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < within {
        if feed.next(within - t.elapsed()).await.is_none() {
            return t.elapsed() < within;
        }
    }
    false
}

/// Still pinging: a ping arrives within `within`.
async fn pings(feed: &mut SseReader, within: Duration) -> bool {
    feed.wait_for(within, |e| e.event == "ping").await.is_some()
}

#[tokio::test]
async fn many_streams_cost_one_batched_check_per_sweep() {
    for app in apps("stream_watch_batched", 100).await {
        let manager = app.login("manager").await;
        let mut feeds = Vec::new();
        for _ in 0..3 {
            let display = app.device(DeviceKind::Display, None).await;
            for _ in 0..4 {
                feeds.push(open(&app, Auth::Device(&display)).await);
            }
        }
        for _ in 0..2 {
            feeds.push(open(&app, Auth::Person(&manager)).await);
        }
        let before = app.state.credentials.stats();
        assert_eq!((before.credentials, before.streams), (4, 14));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let after = app.state.credentials.stats();
        let sweeps = after.sweeps - before.sweeps;
        let queries = after.queries - before.queries;
        assert!(
            sweeps >= 5,
            "the sweep runs every heartbeat: {sweeps} in 1.5 s"
        );
        // One query for the sessions and one for the devices each sweep (a sweep may be
        // half counted at either end), where a check per stream would be 14.
        assert!(
            queries <= 2 * (sweeps + 1) && queries >= 2 * (sweeps - 1),
            "{queries} queries in {sweeps} sweeps of 14 streams"
        );
        assert_eq!(after.ended, 0, "nothing revoked, nothing ended");
        // The operator reads the same on /metrics.
        let text = app.get("/metrics", Auth::Anon).await.text;
        assert!(
            text.contains("servicehall_stream_credentials 4\n"),
            "{text}"
        );
        let sweeps_line = text
            .lines()
            .find(|l| l.starts_with("servicehall_stream_credential_sweeps_total "))
            .expect("sweeps on /metrics");
        let shown: u64 = sweeps_line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(shown >= after.sweeps, "{sweeps_line}");
        for f in &mut feeds {
            assert!(pings(f, Duration::from_secs(1)).await, "pings still flow");
        }
        // Streams let their credential go when they close.
        drop(feeds);
        let deadline = Instant::now() + Duration::from_secs(5);
        while app.state.credentials.stats().streams > 0 {
            assert!(
                Instant::now() < deadline,
                "closed streams are still registered"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(app.state.credentials.stats().credentials, 0);
    }
}

#[tokio::test]
async fn a_device_revoked_elsewhere_ends_only_its_streams_within_a_sweep() {
    for app in apps("stream_watch_revoked", 100).await {
        let revoked = app.device(DeviceKind::Display, None).await;
        let kept = app.device(DeviceKind::Display, None).await;
        let manager = app.login("manager").await;
        let mut gone = vec![
            open(&app, Auth::Device(&revoked)).await,
            open(&app, Auth::Device(&revoked)).await,
        ];
        let mut stay = vec![
            open(&app, Auth::Device(&kept)).await,
            open(&app, Auth::Device(&kept)).await,
            open(&app, Auth::Person(&manager)).await,
        ];
        // Straight in the database, as another node (or `servicehall token revoke`) does:
        // only the sweep can notice it.
        let hash = hash_token(&revoked);
        let device = app.store.device_by_token(&hash).await.unwrap().unwrap();
        app.store.revoke_device(device.id).await.unwrap();
        for f in &mut gone {
            assert!(
                ends_within(f, Duration::from_secs(2)).await,
                "the revoked display's stream outlived the sweep"
            );
        }
        for f in &mut stay {
            assert!(
                pings(f, Duration::from_secs(1)).await,
                "another credential's stream was ended"
            );
        }
        let st = app.state.credentials.stats();
        assert_eq!((st.credentials, st.streams, st.ended), (2, 3, 1));
    }
}

#[tokio::test]
async fn a_revocation_on_this_node_ends_its_streams_at_once() {
    // A heartbeat of a minute: no sweep runs during the test, so only the revocation paths
    // themselves can end the streams.
    for app in apps("stream_watch_at_once", 60_000).await {
        let display = app.device(DeviceKind::Display, None).await;
        let other = app.device(DeviceKind::Display, None).await;
        let manager = app.login("manager").await;
        let guide = app.login("guide").await;
        let clerk = app.login("clerk1").await;
        let mut d = open(&app, Auth::Device(&display)).await;
        let mut c = open(&app, Auth::Person(&clerk)).await;
        let mut o = open(&app, Auth::Device(&other)).await;
        let mut m = open(&app, Auth::Person(&manager)).await;
        let mut g = open(&app, Auth::Person(&guide)).await;

        // Signing out ends that session's stream.
        let out = app.request(
            reqwest::Method::DELETE,
            "/api/v1/session",
            Auth::Person(&manager),
        );
        assert_eq!(App::send(out).await.status, 204);
        assert!(
            ends_within(&mut m, Duration::from_millis(800)).await,
            "sign-out"
        );

        // The administrator revokes a display on this node's admin page.
        let admin = app.above_halls("root", Role::Admin).await;
        let hash = hash_token(&display);
        let device = app.store.device_by_token(&hash).await.unwrap().unwrap();
        let hall_id = app.fx.hall.id.to_string();
        let rb = forms_client()
            .post(app.url(&format!("/admin/devices/{}/revoke", device.id)))
            .header(COOKIE, &admin.cookie)
            .form(&[
                ("_csrf", admin.csrf.as_str()),
                ("hall_id", hall_id.as_str()),
            ]);
        assert_eq!(App::send(rb).await.status, 303);
        assert!(
            ends_within(&mut d, Duration::from_millis(800)).await,
            "revoked"
        );

        // A password reset ends the person's sessions, and so their streams.
        let guide_id = app.fx.guide.id;
        let rb = forms_client()
            .post(app.url(&format!("/admin/staff/{guide_id}/password")))
            .header(COOKIE, &admin.cookie)
            .form(&[
                ("_csrf", admin.csrf.as_str()),
                ("password", "a-new-password-for-the-guide"),
            ]);
        assert_eq!(App::send(rb).await.status, 303);
        assert!(
            ends_within(&mut g, Duration::from_millis(800)).await,
            "reset"
        );

        // Deactivating a person (the form without `active`) ends their streams.
        let k = &app.fx.clerks[0];
        let rb = forms_client()
            .post(app.url(&format!("/admin/staff/{}", k.id)))
            .header(COOKIE, &admin.cookie)
            .form(&[
                ("_csrf", admin.csrf.as_str()),
                ("name", k.name.as_str()),
                ("badge_no", k.badge_no.as_str()),
                ("username", k.username.as_str()),
                ("role", k.role.as_str()),
            ]);
        assert_eq!(App::send(rb).await.status, 303);
        assert!(
            ends_within(&mut c, Duration::from_millis(800)).await,
            "deactivated"
        );

        assert!(
            !ends_within(&mut o, Duration::from_millis(500)).await,
            "the other display's stream ended too"
        );
        assert_eq!(app.state.credentials.stats().sweeps, 0, "no sweep ran");
    }
}

#[tokio::test]
async fn a_database_that_cannot_be_read_ends_no_stream() {
    for app in apps("stream_watch_hiccup", 100).await {
        let display = app.device(DeviceKind::Display, None).await;
        let manager = app.login("manager").await;
        let mut feeds = vec![
            open(&app, Auth::Device(&display)).await,
            open(&app, Auth::Person(&manager)).await,
        ];
        // Every sweep from here on fails to read the database.
        app.store.pool().close().await;
        let before = app.state.credentials.stats();
        tokio::time::sleep(Duration::from_millis(800)).await;
        let after = app.state.credentials.stats();
        assert!(after.sweeps >= before.sweeps + 3, "the sweep kept trying");
        assert_eq!(after.ended, 0, "a failed check ended a credential");
        for f in &mut feeds {
            assert!(
                pings(f, Duration::from_secs(1)).await,
                "a stream ended while the database could not be read"
            );
        }
    }
}
