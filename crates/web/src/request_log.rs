//! A span around every request — method, route, status, duration, caller kind and hall — so
//! a slow or failing request explains itself in the log. The span is at `debug` (free when
//! the log is at `info`, as in production); a request slower than [`SLOW_MS`] is logged at
//! `warn` with the same fields whatever the level. Refusals have their own lines in the
//! security log (`crate::security`).

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use servicehall_domain::access::{Actor, ActorKind};
use std::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

/// A request slower than this is worth a line even at the default level.
pub const SLOW_MS: u128 = 1000;

pub async fn trace(req: Request, next: Next) -> Response {
    // A clone of the matched path is an `Arc`: the hot paths pay no allocation here.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let route = matched.as_ref().map_or("(unmatched)", MatchedPath::as_str);
    let method = req.method().clone();
    let span = tracing::debug_span!("request", method = %method, route = %route,
        caller = Empty, hall = Empty, status = Empty, ms = Empty);
    let start = Instant::now();
    let res = next.run(req).instrument(span.clone()).await;
    let ms = start.elapsed().as_millis();
    let status = res.status().as_u16();
    span.record("status", status);
    span.record("ms", ms as u64);
    if ms >= SLOW_MS {
        tracing::warn!(method = %method, route = %route, status, ms = ms as u64, "slow request");
    }
    tracing::debug!(parent: &span, "request done");
    res
}

/// Names the caller's kind (`admin`, `clerk`, `kiosk` …) on the current request's span.
pub fn record_caller(actor: &Actor) {
    let kind = match actor.kind {
        ActorKind::Person(r) => r.as_str(),
        ActorKind::Device(d) => d.as_str(),
    };
    tracing::Span::current().record("caller", kind);
}

/// Names the hall a request touches on the current request's span.
pub fn record_hall(code: &str) {
    tracing::Span::current().record("hall", code);
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use std::sync::{Arc, Mutex};
    use tower_service::Service;

    /// The log lines written while the test runs.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_request_is_logged_with_its_route_status_duration_and_hall() {
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let mut app: Router = Router::new()
            .route(
                "/halls/{hall}",
                get(|| async {
                    record_hall("DL-XH");
                    "ok"
                }),
            )
            .layer(axum::middleware::from_fn(trace));
        let req = Request::get("/halls/DL-XH").body(Body::empty()).unwrap();
        let res = app.call(req).await.unwrap();
        assert_eq!(res.status(), 200);
        let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        let line = text
            .lines()
            .find(|l| l.contains("request done"))
            .unwrap_or_else(|| panic!("no request line in {text:?}"));
        for field in [
            "method=GET",
            "route=/halls/{hall}",
            "hall=\"DL-XH\"",
            "status=200",
            "ms=",
        ] {
            assert!(line.contains(field), "{field} missing in {line}");
        }
    }
}
