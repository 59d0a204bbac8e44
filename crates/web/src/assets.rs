//! Static assets embedded in the binary (no CDN, no outside network).
use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
