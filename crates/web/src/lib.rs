//! ServiceHall's web: the JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`),
//! the HTML screens, and live Server-Sent Events. Handlers are thin: parse, call, render.

pub mod api;
mod assets;
pub mod auth;
pub mod clock;
pub mod drain;
pub mod edge;
pub mod error;
pub mod fanout;
pub mod fanout_watch;
pub mod hall_xlsx;
pub mod limits;
pub mod metrics;
pub mod nodes;
pub mod notify;
pub mod pages;
pub mod parsing;
pub mod photo;
pub mod request_log;
pub mod scope;
pub mod security;
pub mod security_headers;
mod server;
pub mod xlsx;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use servicehall_store::Store;
use std::sync::Arc;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// How long after finishing a visit its rating is accepted.
    pub rating_window_ms: i64,
    /// How long a sign-in lasts.
    pub session_ttl_ms: i64,
    /// Mark cookies `Secure` (behind HTTPS); always on when `public_url` is `https://…`.
    pub secure_cookies: bool,
    /// Interval of the heartbeat on live streams.
    pub heartbeat_ms: u64,
    /// The address customers' phones use to reach this server (the slip's QR code), e.g.
    /// `https://hall.example.cn`; when unset, the address the server listens on. Never the
    /// Host header a request sent: anyone can write that.
    pub public_url: Option<String>,
    /// Where case clock warnings are posted (JSON), if anywhere.
    pub webhook_url: Option<String>,
    /// Sign-in throttle, stream caps, issue rates and connection timeouts.
    pub limits: limits::Limits,
    /// With it, `/metrics` answers callers beyond this machine that send it as a bearer
    /// token (see [`metrics`]).
    pub metrics_token: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            rating_window_ms: 10 * 60 * 1000,
            session_ttl_ms: 12 * 60 * 60 * 1000,
            secure_cookies: false,
            heartbeat_ms: 2000,
            public_url: None,
            webhook_url: None,
            limits: limits::Limits::default(),
            metrics_token: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    /// Recent handling-time averages behind every wait estimate.
    pub handling: Arc<api::queue::view::HandlingCache>,
    /// Wake-ups of each hall's live streams (fanout.rs).
    pub wakes: Arc<fanout::Wakes>,
    /// The credentials of this node's live streams, checked together each heartbeat
    /// (fanout_watch.rs).
    pub credentials: Arc<fanout_watch::CredentialWatch>,
    /// Each hall's full-text index over its standards, rebuilt when they change.
    pub search: Arc<api::standards::search::SearchCache>,
    /// The in-memory counters behind [`WebConfig::limits`].
    pub guards: Arc<Guards>,
    /// Failed tries of the customer's case lookup, per address and per case number.
    pub lookups: Arc<api::cases::lookup_guard::LookupGuard>,
    /// Where handlers get the time ([`AppState::now`]): the system clock, or a test's.
    pub clock: clock::Clock,
    /// Switched on when the server stops: live streams end, `/readyz` answers 503.
    pub drain: drain::Drain,
    /// The last `/readyz` probe, reused for a second.
    pub ready: Arc<api::readiness::Probe>,
    /// The one-time code that opens the first-run page (`/setup`) away from the server's
    /// own machine while there is no administrator; new at every start, logged by `serve`.
    pub setup_code: Arc<str>,
    /// Request, ticket, stream and warning counters served at `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Issue times per hall that never go back (see [`nodes`]).
    pub issue_clock: Arc<nodes::IssueClock>,
}

/// Failed sign-ins, live streams and ticket-issue buckets of this node.
#[derive(Debug, Default)]
pub struct Guards {
    pub login: limits::LoginThrottle,
    pub streams: limits::StreamCounter,
    pub issue: limits::RateLimiter,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, mut config: WebConfig) -> Self {
        if config
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
        {
            config.secure_cookies = true;
        }
        Self {
            store,
            config: Arc::new(config),
            handling: Arc::default(),
            wakes: Arc::default(),
            credentials: Arc::default(),
            search: Arc::default(),
            guards: Arc::default(),
            lookups: Arc::default(),
            clock: clock::Clock::System,
            drain: drain::Drain::default(),
            ready: Arc::default(),
            setup_code: auth::random_hex(8).into(),
            metrics: Arc::default(),
            issue_clock: Arc::default(),
        }
    }

    /// The same state reading time from `clock` (tests pass a [`clock::ManualClock`]).
    pub fn with_clock(mut self, clock: impl Into<clock::Clock>) -> Self {
        self.clock = clock.into();
        self
    }

    /// Milliseconds since the Unix epoch by the application's clock. Handlers and read
    /// models take the time from here, never from the wall clock.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The same state with `public_url` set to the listening address when none is configured
    /// (an unspecified address such as 0.0.0.0 becomes 127.0.0.1: set `public_url` so that
    /// phones can follow their tickets).
    pub fn listening_on(mut self, addr: std::net::SocketAddr) -> Self {
        if self.config.public_url.is_none() {
            let mut addr = addr;
            if addr.ip().is_unspecified() {
                addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            let mut config = (*self.config).clone();
            config.public_url = Some(format!("http://{addr}"));
            self.config = Arc::new(config);
        }
        self
    }
}

impl AppState {
    /// Takes a token from the issuing device's bucket (kiosks and integrations; people at
    /// the guide desk are not limited), or answers 429 with `Retry-After`.
    pub fn check_issue_rate(&self, caller: &auth::Caller) -> Result<(), error::ApiError> {
        use servicehall_domain::DeviceKind;
        let Some(d) = &caller.device else {
            return Ok(());
        };
        let rate = match d.kind {
            DeviceKind::Kiosk => self.config.limits.issue_kiosk,
            DeviceKind::Integration => self.config.limits.issue_integration,
            _ => return Ok(()),
        };
        let now = std::time::Instant::now();
        self.guards.issue.take(d.id, rate, now).map_err(|wait| {
            let secs = limits::retry_secs(wait);
            error::ApiError::too_many(
                secs,
                format!("取号过于频繁，请 {secs} 秒后再试 Too many tickets from this device; try again in {secs} s"),
            )
        })
    }

    /// Takes a place for a live stream of `caller` from `addr`, or answers 429.
    pub fn open_stream(
        &self,
        caller: &auth::Caller,
        addr: security::ClientAddr,
    ) -> Result<limits::StreamSlot, error::ApiError> {
        let l = &self.config.limits;
        let key = caller.credential.key();
        let opened = self.guards.streams.open(
            &key,
            addr.0,
            l.streams_per_credential,
            l.streams_per_address,
        );
        opened.map_err(|cap| {
            let msg = match cap {
                limits::StreamCap::Credential => format!(
                    "此设备或账号的实时连接过多（上限 {}），请关闭其他页面 Too many live streams for this device or sign-in (limit {}); close other screens",
                    l.streams_per_credential, l.streams_per_credential
                ),
                limits::StreamCap::Address => format!(
                    "此地址的实时连接过多（上限 {}） Too many live streams from this address (limit {})",
                    l.streams_per_address, l.streams_per_address
                ),
            };
            error::ApiError::too_many(30, msg)
        })
    }
}

/// Milliseconds since the Unix epoch by the system's wall clock. For code that has no
/// [`AppState`] (the CLI's demo, benchmarks and token commands, and [`clock::Clock::System`]).
/// Handlers must not call it: they use [`AppState::now`], so that tests can set the time.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The whole application: API, screens, assets.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(assets::routes())
        .route("/metrics", axum::routing::get(metrics::metrics))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(auth::sign_in_for_pages))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn(api::audit::record_origin))
        .layer(axum::middleware::from_fn(security::log_refusals))
        .layer(axum::middleware::from_fn(security_headers::apply))
        .layer(axum::middleware::from_fn(request_log::trace))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            nodes::database_check,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Serves the application on `listener` until the process ends (or the future is
/// dropped), with the connection timeouts of `state.config.limits` and each request's TCP
/// peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, std::future::pending(), DRAIN_GRACE).await
}

/// How long a stop waits for requests in flight (load balancers commonly allow 30 s).
pub const DRAIN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// [`serve`] until `stop` resolves, then drains (see [`drain`]) for at most `grace`.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: impl std::future::Future<Output = ()> + Send,
    grace: std::time::Duration,
) -> std::io::Result<()> {
    let state = state.listening_on(listener.local_addr()?);
    let l = &state.config.limits;
    let (header, idle) = (l.header_read_timeout, l.idle_timeout);
    let drain = state.drain.clone();
    let app = router(state);
    let server = server::run(listener, app, header, idle, drain.clone(), grace);
    tokio::pin!(server);
    tokio::select! {
        r = &mut server => return r,
        () = stop => drain.start(),
    }
    server.await
}
