//! ServiceHall's web: the JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`),
//! the HTML screens, and live Server-Sent Events. Handlers are thin: parse, call, render.

pub mod api;
mod assets;
pub mod auth;
mod catalogue_view;
pub mod error;
pub mod escalation;
mod hallview;
pub mod insight_view;
pub mod lookup_guard;
pub mod pages;
mod recipients;
pub mod scope;
pub mod standards_search;
pub mod survey_links;
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
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Interval of the heartbeat on live streams.
    pub heartbeat_ms: u64,
    /// The address customers' phones use to reach this server (the slip's QR code), e.g.
    /// `https://hall.example.cn`; when unset, the Host header the kiosk used.
    pub public_url: Option<String>,
    /// Where case clock warnings are posted (JSON), if anywhere.
    pub webhook_url: Option<String>,
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
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    /// Recent handling-time averages behind every wait estimate.
    pub handling: Arc<hallview::HandlingCache>,
    /// Each hall's full-text index over its standards, rebuilt when they change.
    pub search: Arc<standards_search::SearchCache>,
    /// Failed tries of the customer's case lookup, per address and per case number.
    pub lookups: Arc<lookup_guard::LookupGuard>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
            handling: Arc::default(),
            search: Arc::default(),
            lookups: Arc::default(),
        }
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The whole application: API, screens, assets.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(assets::routes())
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state)
}

/// Serves the application on `listener` until the process ends. Each request carries its
/// connection's peer address (`ConnectInfo`), which the case lookup's brakes count by.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
