//! HTML screens.
use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}

/// A friendly error page.
pub fn render_error(zh: &str, en: &str, detail: &str) -> String {
    format!(
        "<!doctype html><meta charset=utf-8><title>{zh}</title><h1>{zh} · {en}</h1><p>{detail}</p><p><a href=/>返回首页 · Home</a></p>"
    )
}
