//! Shared helpers of the web tests: a real server on 127.0.0.1:0 over a fresh store, a
//! fixture hall built through the store, device tokens, sign-in, and a small SSE reader.
//! Used by the HTTP tests and reusable by browser tests (hence `pub` and dead_code allowed).
#![allow(dead_code)]

use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use servicehall_domain::{CallingPolicy, DeviceKind, Role};
use servicehall_store::testing::TestStore;
use servicehall_store::{
    BusinessType, BusinessTypeInput, Counter, CounterInput, Hall, HallInput, HallStore, SqlStore,
    Staff, StaffInput,
};
use servicehall_web::auth::{hash_password, hash_token, new_token};
use servicehall_web::clock::{Clock, ManualClock};
use servicehall_web::{AppState, WebConfig};

use std::sync::{Arc, OnceLock};
use std::time::Duration;

mod fixture;
mod sse;

pub use fixture::*;
pub use sse::*;

/// 2026-06-01 10:00 in Dalian (a Monday, inside opening hours), in Unix ms: where the
/// hand-set clock of [`App::start_with_clock`] usually starts.
pub const MONDAY_10AM: i64 = 1_780_279_200_000;

/// The password of every fixture person.
pub const PASSWORD: &str = "Demo-2026!";

/// A fresh, migrated SQLite store on its own temp file, removed when dropped.
pub async fn sqlite_store() -> TestStore {
    TestStore::sqlite("web").await
}

/// A fresh PostgreSQL database when `SERVICEHALL_TEST_PG` names a server, dropped with the
/// returned store; else `None` (and a note that the PostgreSQL run was skipped).
pub async fn postgres_store(test: &str) -> Option<TestStore> {
    TestStore::postgres("web", test).await
}

/// The argon2 hash of [`PASSWORD`], computed once (argon2 is slow on purpose).
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash password"))
}

/// A client that shows redirects instead of following them (forms answer 303).
pub fn forms_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A signed-in person: the session cookie and the CSRF token writes must echo.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sh_session=…`, ready for a `Cookie` header.
    pub cookie: String,
    pub csrf: String,
    pub staff: Value,
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    Anon,
    /// `Authorization: Bearer <token>`.
    Device(&'a str),
    /// Session cookie, plus `X-CSRF-Token` on writes.
    Person(&'a Session),
    /// Session cookie without the CSRF header.
    PersonNoCsrf(&'a Session),
}

/// A response read in full.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "response {} is not JSON ({e}): {:?}",
                self.status, self.text
            )
        })
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs; returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        if self.text.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts an RFC 9457 problem with this status and a detail; returns the detail.
    #[track_caller]
    pub fn problem(&self, status: u16) -> String {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "body: {}",
            self.text
        );
        let p = self.json();
        assert_eq!(p["status"], status, "problem: {p}");
        assert!(p["title"].is_string(), "problem: {p}");
        let detail = p["detail"].as_str().unwrap_or_default().to_string();
        assert!(!detail.trim().is_empty(), "problem without detail: {p}");
        detail
    }
}

/// A running server with its store and fixture.
pub struct App {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub store: Arc<SqlStore>,
    pub client: reqwest::Client,
    pub fx: Fixture,
    /// The server's state (shared with it: counters a test reads).
    pub state: AppState,
    /// The server's clock: the system's, or the hand-set one of [`App::start_with_clock`].
    clock: Clock,
    server: tokio::task::JoinHandle<()>,
    /// Removes the test's database when the app goes.
    _db: TestStore,
}

impl Drop for App {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl App {
    /// A server over a fresh SQLite store with a fixture of 3 counters.
    pub async fn start() -> Self {
        Self::start_on(sqlite_store().await, 3).await
    }

    /// A server over `store` with a fixture of `counters` counters.
    pub async fn start_on(store: TestStore, counters: usize) -> Self {
        Self::start_with(store, counters, WebConfig::default()).await
    }

    /// A server over `store` with a fixture of `counters` counters and web settings `config`.
    pub async fn start_with(db: TestStore, counters: usize, config: WebConfig) -> Self {
        Self::start_full(db, counters, config, Clock::System).await
    }

    /// A server over a fresh SQLite store (3 counters, default settings) whose time stands
    /// still at `clock` until the test moves it: `app.clock().advance(ms)`.
    pub async fn start_with_clock(clock: ManualClock) -> Self {
        Self::start_full(sqlite_store().await, 3, WebConfig::default(), clock.into()).await
    }

    /// A server over `store` with `counters` counters, settings `config` and time from `clock`.
    pub async fn start_full(
        db: TestStore,
        counters: usize,
        config: WebConfig,
        clock: Clock,
    ) -> Self {
        let fx = fixture(&db, counters).await;
        let store = Arc::new(db.store());
        let state = AppState::new(store.clone(), config).with_clock(clock.clone());
        let base = serve(state.clone()).await;
        let (base, server) = base;
        Self {
            base,
            state,
            store,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            fx,
            clock,
            server,
            _db: db,
        }
    }

    /// A second server over `db` sharing this app's fixture ids: a hall edge whose
    /// configuration came down from this app's database (`crates/web/tests/http/edge.rs`).
    pub async fn beside(&self, db: TestStore, config: WebConfig) -> Self {
        let store = Arc::new(db.store());
        let state = AppState::new(store.clone(), config);
        let (base, server) = serve(state.clone()).await;
        Self {
            base,
            state,
            store,
            client: self.client.clone(),
            fx: self.fx.clone(),
            clock: Clock::System,
            server,
            _db: db,
        }
    }

    /// The hand-set clock of an app from [`App::start_with_clock`].
    #[track_caller]
    pub fn clock(&self) -> &ManualClock {
        match &self.clock {
            Clock::Manual(m) => m,
            Clock::System => panic!("this app runs on the system clock; use App::start_with_clock"),
        }
    }

    /// The server's time now (Unix ms): what its handlers see.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with authentication applied (the CSRF header on writes for people).
    pub fn request(&self, method: Method, path: &str, auth: Auth<'_>) -> reqwest::RequestBuilder {
        let write = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
        let rb = self.client.request(method, self.url(path));
        match auth {
            Auth::Anon => rb,
            Auth::Device(token) => rb.bearer_auth(token),
            Auth::Person(s) if write => {
                rb.header(COOKIE, &s.cookie).header("x-csrf-token", &s.csrf)
            }
            Auth::Person(s) | Auth::PersonNoCsrf(s) => rb.header(COOKIE, &s.cookie),
        }
    }

    pub async fn send(rb: reqwest::RequestBuilder) -> Resp {
        let res = rb.send().await.expect("request reaches the server");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("response body");
        Resp {
            status,
            headers,
            text,
        }
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Resp {
        Self::send(self.request(Method::GET, path, auth)).await
    }

    /// POST with a JSON body, or no body at all.
    pub async fn post(&self, path: &str, auth: Auth<'_>, body: Option<Value>) -> Resp {
        let rb = self.request(Method::POST, path, auth);
        let rb = match body {
            Some(b) => rb.json(&b),
            None => rb,
        };
        Self::send(rb).await
    }

    /// A device token of `kind` in `hall_id` (bound to `counter_id` for evaluators).
    pub async fn device_in(
        &self,
        hall_id: i64,
        counter_id: Option<i64>,
        kind: DeviceKind,
    ) -> String {
        let token = new_token();
        self.store
            .create_device(
                hall_id,
                counter_id,
                kind,
                &format!("{kind:?} test device"),
                &hash_token(&token),
                self.now(),
            )
            .await
            .expect("create device");
        token
    }

    /// A device token of `kind` in the fixture hall.
    pub async fn device(&self, kind: DeviceKind, counter_id: Option<i64>) -> String {
        self.device_in(self.fx.hall.id, counter_id, kind).await
    }

    /// Adds a person above halls (administrator or supervisor) and signs them in.
    pub async fn above_halls(&self, username: &str, role: Role) -> Session {
        let input = StaffInput {
            hall_id: None,
            username: username.into(),
            name: format!("{username} 甲"),
            badge_no: format!("S-{username}"),
            role,
            photo: String::new(),
            active: true,
        };
        self.store
            .create_staff(&input, password_hash())
            .await
            .expect("create staff above halls");
        self.login(username).await
    }

    /// Signs `username` in through POST /api/v1/session.
    pub async fn login(&self, username: &str) -> Session {
        let res = self
            .post(
                "/api/v1/session",
                Auth::Anon,
                Some(serde_json::json!({"username": username, "password": PASSWORD})),
            )
            .await;
        let body = res.expect(200);
        let set = res
            .headers
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .expect("login sets a cookie");
        assert!(set.contains("HttpOnly"), "session cookie: {set}");
        let cookie = set.split(';').next().unwrap().trim().to_string();
        assert!(cookie.starts_with("sh_session="), "session cookie: {set}");
        let csrf = body["csrf"].as_str().expect("csrf in reply").to_string();
        assert!(!csrf.is_empty());
        Session {
            cookie,
            csrf,
            staff: body["staff"].clone(),
        }
    }

    /// Signs in the clerk of counter `number` and opens (挂牌) that counter over HTTP.
    pub async fn clerk_on_duty(&self, number: i64) -> Session {
        let s = self.login(&format!("clerk{number}")).await;
        let c = self.fx.counter(number).id;
        let res = self
            .post(
                &format!("/api/v1/counters/{c}/open"),
                Auth::Person(&s),
                None,
            )
            .await;
        let body = res.expect(200);
        assert_eq!(body["status"], "open", "{body}");
        s
    }

    /// Issues a ticket of `business_type` in the fixture hall; expects 201. Each call is a
    /// new customer (`another: true`), so a kiosk's repeat-tap rule does not fold quick
    /// calls into one ticket; `crates/web/tests/http/queue.rs` tests that rule itself.
    pub async fn issue(&self, auth: Auth<'_>, business_type: &str) -> Value {
        let hall = &self.fx.hall.code;
        self.post(
            &format!("/api/v1/halls/{hall}/tickets"),
            auth,
            Some(serde_json::json!({"business_type": business_type, "another": true})),
        )
        .await
        .expect(201)
    }

    /// A payment visit taken at `kiosk`, called, served and finished at counter 1 by `clerk`
    /// (on duty there); the kiosk's issue reply (with `id` and the slip's `code`).
    pub async fn finished_visit(&self, clerk: &Session, kiosk: &str) -> Value {
        let issued = self.issue(Auth::Device(kiosk), "payment").await;
        let t = self.call_next(clerk, 1).await.expect("a ticket to call");
        assert_eq!(t["id"], issued["id"], "the visit just taken is called");
        self.serve_and_finish(clerk, t["id"].as_i64().unwrap())
            .await;
        issued
    }

    /// Calls the next ticket at counter `number`; the body when 200, `None` when 204.
    pub async fn call_next(&self, s: &Session, number: i64) -> Option<Value> {
        let c = self.fx.counter(number).id;
        let res = self
            .post(
                &format!("/api/v1/counters/{c}/call-next"),
                Auth::Person(s),
                None,
            )
            .await;
        match res.status.as_u16() {
            204 => None,
            _ => Some(res.expect(200)),
        }
    }

    /// POST /api/v1/tickets/{id}/{action}.
    pub async fn act(&self, s: &Session, id: i64, action: &str, body: Option<Value>) -> Resp {
        self.post(
            &format!("/api/v1/tickets/{id}/{action}"),
            Auth::Person(s),
            body,
        )
        .await
    }

    /// Starts and finishes a called ticket (with a read-back, accepted by every business).
    pub async fn serve_and_finish(&self, s: &Session, id: i64) -> Value {
        self.serve_and_finish_after(s, id, 0).await
    }

    /// Starts a called ticket, moves the hand-set clock `handling_ms` on, and finishes it.
    pub async fn serve_and_finish_after(&self, s: &Session, id: i64, handling_ms: i64) -> Value {
        self.act(s, id, "start", None).await.expect(200);
        if handling_ms != 0 {
            self.clock().advance(handling_ms);
        }
        self.act(
            s,
            id,
            "finish",
            Some(serde_json::json!({"amount_due_fen": 12_345, "amount_received_fen": 15_000})),
        )
        .await
        .expect(200)
    }
}

/// Serves the application on 127.0.0.1:0 in a spawned task: (base URL, task).
pub async fn serve(state: AppState) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap();
    // The server `servicehall serve` runs: connection timeouts, the peer address.
    let task = tokio::spawn(async move {
        servicehall_web::serve(listener, state)
            .await
            .expect("server runs");
    });
    (format!("http://{addr}"), task)
}
