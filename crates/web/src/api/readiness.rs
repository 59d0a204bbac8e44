//! `/readyz`: may a load balancer send work here? `/healthz` only says the process is up.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::{Duration, Instant};

/// How long one probe's answer is reused. `/readyz` needs no sign-in and each probe takes
/// the writer (and on SQLite an fsync): without this, a flood of probes would queue behind
/// and in front of customers' tickets.
const REUSE: Duration = Duration::from_secs(1);

/// The last probe: when, and the message if it failed.
#[derive(Debug, Default)]
pub struct Probe(tokio::sync::Mutex<Option<(Instant, Option<String>)>>);

/// 200 when the database takes a write; 503 with the reason (bilingual) while the server
/// drains before a stop, or when the database cannot be written (disk full, read-only).
pub async fn readyz(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    if s.drain.is_draining() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务器正在停止，不再接收新请求 · the server is stopping and takes no new work",
        ));
    }
    // Callers arriving during a probe wait for it and share its answer.
    let mut last = s.ready.0.lock().await;
    let failed = match &*last {
        Some((at, failed)) if at.elapsed() < REUSE => failed.clone(),
        _ => {
            let failed = s.store.check_writable().await.err().map(|e| e.to_string());
            *last = Some((Instant::now(), failed.clone()));
            failed
        }
    };
    match failed {
        None => Ok("ready"),
        Some(m) => Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, m)),
    }
}
