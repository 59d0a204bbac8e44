//! `/metrics`: the node's counters in the Prometheus text format, written by hand (atomics
//! and a few small maps; no metrics library).
//!
//! Requests are counted by route *template* (`/api/v1/halls/{hall}/tickets`, never the raw
//! URL, so a scanner cannot grow the label set) with method and status, and timed in one
//! latency histogram per route. Beside them: tickets issued and called, live streams (SSE)
//! connected, the database pool, and case warnings posted to the webhook or failed.
//!
//! Access: from this machine (loopback, not forwarded by a proxy) without credentials, as
//! an operator's local Prometheus or `curl` expects; from anywhere else only with
//! `Authorization: Bearer <metrics_token>` when `metrics_token` is configured; otherwise 403.

use crate::AppState;
use crate::error::ApiError;
use crate::security::ClientAddr;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// One route's (and method's) requests: counts per status and the latency histogram.
#[derive(Debug, Default)]
struct RouteStats {
    statuses: Mutex<BTreeMap<u16, u64>>,
    /// Requests per bucket (not cumulative); the last one is `+Inf`.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

/// The node's counters, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: RwLock<BTreeMap<(&'static str, String), Arc<RouteStats>>>,
    pub tickets_issued: AtomicU64,
    pub tickets_called: AtomicU64,
    pub warnings_sent: AtomicU64,
    pub warnings_failed: AtomicU64,
}

fn method_name(m: &axum::http::Method) -> &'static str {
    use axum::http::Method as M;
    match *m {
        M::GET => "GET",
        M::POST => "POST",
        M::PUT => "PUT",
        M::PATCH => "PATCH",
        M::DELETE => "DELETE",
        M::HEAD => "HEAD",
        M::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

impl Metrics {
    /// Counts one request of `route` (a template, or `(unmatched)`).
    pub fn observe(&self, method: &'static str, route: &str, status: u16, micros: u64) {
        let key = (method, route.to_string());
        let found = self
            .routes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let stats = match found {
            Some(s) => s,
            None => self
                .routes
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key)
                .or_default()
                .clone(),
        };
        *stats
            .statuses
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(status)
            .or_default() += 1;
        let secs = micros as f64 / 1e6;
        let i = BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(BUCKETS.len());
        stats.buckets[i].fetch_add(1, Ordering::Relaxed);
        stats.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The exposition text, with the gauges read now.
    pub fn render(&self, sse_clients: usize, pool: servicehall_store::PoolStats) -> String {
        let mut out = String::with_capacity(4096);
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        head(
            &mut out,
            "servicehall_http_requests_total",
            "counter",
            "HTTP requests by route template, method and status.",
        );
        for ((method, route), stats) in routes.iter() {
            let statuses = stats.statuses.lock().unwrap_or_else(|e| e.into_inner());
            for (status, n) in statuses.iter() {
                let _ = writeln!(
                    out,
                    "servicehall_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        head(
            &mut out,
            "servicehall_http_request_duration_seconds",
            "histogram",
            "Time to answer a request (to its response head), by route template and method.",
        );
        for ((method, route), stats) in routes.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0u64;
            for (i, n) in stats.buckets.iter().enumerate() {
                cumulative += n.load(Ordering::Relaxed);
                let le = BUCKETS.get(i).map_or("+Inf".to_string(), f64::to_string);
                let _ = writeln!(
                    out,
                    "servicehall_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}"
                );
            }
            let sum = stats.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "servicehall_http_request_duration_seconds_sum{{{labels}}} {sum}"
            );
            let _ = writeln!(
                out,
                "servicehall_http_request_duration_seconds_count{{{labels}}} {cumulative}"
            );
        }
        drop(routes);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let plain: [(&str, &str, &str, u64); 8] = [
            (
                "servicehall_tickets_issued_total",
                "counter",
                "Tickets issued (kiosk, guide desk, integrations).",
                load(&self.tickets_issued),
            ),
            (
                "servicehall_tickets_called_total",
                "counter",
                "Tickets called to a counter.",
                load(&self.tickets_called),
            ),
            (
                "servicehall_sse_clients",
                "gauge",
                "Live streams (Server-Sent Events) connected now.",
                sse_clients as u64,
            ),
            (
                "servicehall_db_pool_connections",
                "gauge",
                "Database connections open in the pool.",
                u64::from(pool.size),
            ),
            (
                "servicehall_db_pool_idle_connections",
                "gauge",
                "Database connections idle in the pool.",
                pool.idle as u64,
            ),
            (
                "servicehall_db_pool_max_connections",
                "gauge",
                "The pool's limit.",
                u64::from(pool.max),
            ),
            (
                "servicehall_case_warnings_sent_total",
                "counter",
                "Case clock warnings the webhook accepted.",
                load(&self.warnings_sent),
            ),
            (
                "servicehall_case_warnings_failed_total",
                "counter",
                "Case clock warnings the webhook refused or could not be reached for.",
                load(&self.warnings_failed),
            ),
        ];
        for (name, kind, help, v) in plain {
            head(&mut out, name, kind, help);
            let _ = writeln!(out, "{name} {v}");
        }
        out
    }
}

fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value as the text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts and times every request by its route template.
pub async fn track(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |m| m.as_str().to_string());
    let method = method_name(req.method());
    let start = Instant::now();
    let res = next.run(req).await;
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    s.metrics
        .observe(method, &route, res.status().as_u16(), micros);
    res
}

/// Whether a request may read the metrics (see the module's comment).
pub fn allowed(
    addr: Option<IpAddr>,
    forwarded: bool,
    bearer: Option<&str>,
    token: Option<&str>,
) -> bool {
    if let (Some(given), Some(want)) = (bearer, token.filter(|t| !t.is_empty())) {
        // Compared as hashes: equal-length strings, no early exit on the secret itself.
        return crate::auth::hash_token(given) == crate::auth::hash_token(want);
    }
    !forwarded && addr.is_some_and(|ip| ip.is_loopback())
}

/// `GET /metrics`.
pub async fn metrics(
    State(s): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !allowed(addr.0, forwarded, bearer, s.config.metrics_token.as_deref()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "指标仅限本机读取，或携带配置的 metrics_token · metrics are readable from this machine, or with the configured metrics_token",
        ));
    }
    let mut text = s
        .metrics
        .render(s.guards.streams.total(), s.store.pool_stats());
    text.push_str(&s.credentials.stats().metrics_text());
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_allowed_unless_forwarded_and_a_token_opens_it_elsewhere() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let far: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(allowed(Some(local), false, None, None));
        assert!(!allowed(Some(local), true, None, None), "via a proxy");
        assert!(!allowed(Some(far), false, None, None));
        assert!(!allowed(None, false, None, None));
        assert!(allowed(Some(far), true, Some("s3cret"), Some("s3cret")));
        assert!(!allowed(Some(far), false, Some("guess"), Some("s3cret")));
        assert!(
            !allowed(Some(far), false, Some(""), Some("")),
            "an empty token opens nothing"
        );
    }

    #[test]
    fn requests_are_counted_by_template_with_a_cumulative_histogram() {
        let m = Metrics::default();
        m.observe("GET", "/halls/{hall}", 200, 3_000);
        m.observe("GET", "/halls/{hall}", 200, 300_000);
        m.observe("GET", "/halls/{hall}", 404, 20_000_000);
        let text = m.render(2, servicehall_store::PoolStats::default());
        assert!(text.contains(
            "servicehall_http_requests_total{method=\"GET\",route=\"/halls/{hall}\",status=\"200\"} 2"
        ));
        assert!(text.contains("status=\"404\"} 1"));
        let bucket = |le: &str| {
            let key = format!("route=\"/halls/{{hall}}\",le=\"{le}\"}} ");
            let line = text.lines().find(|l| l.contains(&key)).unwrap();
            line.rsplit(' ').next().unwrap().parse::<u64>().unwrap()
        };
        assert_eq!(bucket("0.005"), 1);
        assert_eq!(bucket("0.5"), 2);
        assert_eq!(bucket("10"), 2);
        assert_eq!(bucket("+Inf"), 3);
        assert!(text.contains("servicehall_sse_clients 2"));
    }
}
