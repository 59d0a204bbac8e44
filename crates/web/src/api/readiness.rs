//! `/readyz`: may a load balancer send work here? `/healthz` only says the process is up.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::State;
use axum::http::StatusCode;

/// 200 when the database takes a write; 503 with the reason (bilingual) while the server
/// drains before a stop, or when the database cannot be written (disk full, read-only).
pub async fn readyz(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    if s.drain.is_draining() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "服务器正在停止，不再接收新请求 · the server is stopping and takes no new work",
        ));
    }
    s.store.check_writable().await?;
    Ok("ready")
}
