//! The evaluator pad at a counter (好差评): idle with the clerk's badge, then the rating the
//! server asks for.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::DeviceKind;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/device/evaluator", get(evaluator))
}

#[derive(Template)]
#[template(path = "queue/evaluator.html")]
struct Evaluator {
    chrome: Chrome,
    data: String,
}

/// The evaluator pad at a counter: idle with the clerk's badge, then the rating the server asks for.
async fn evaluator(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<impl IntoResponse, PageError> {
    let device = caller
        .device
        .as_ref()
        .filter(|d| d.kind == DeviceKind::Evaluator)
        .ok_or_else(|| {
            ApiError::forbidden(
                "此页面属于窗口评价器，请用评价器令牌配对 · this screen belongs to a counter's evaluator pad; pair it with an evaluator token",
            )
        })?;
    caller.require(Permission::Rate, device.hall_id)?;
    let counter_id = device.counter_id.ok_or_else(|| {
        ApiError::forbidden("此评价器未绑定窗口 · this evaluator is not bound to a counter")
    })?;
    let counter = s.store.counter(counter_id).await?;
    let hall = s.store.hall(device.hall_id).await?;
    let reasons: Vec<_> = servicehall_domain::queue::rating::BAD_REASONS
        .iter()
        .map(|(code, zh, en)| serde_json::json!({"code": code, "zh": zh, "en": en}))
        .collect();
    let data = serde_json::json!({
        "hall": hall.code, "timezone": hall.timezone, "hall_name": hall.name, "counter_id": counter.id, "counter_number": counter.number,
        "clerk": counter.clerk, "reasons": reasons, "idle_after_ms": 60000,
    });
    render(&Evaluator {
        chrome: Chrome::bare("评价器 Evaluator", &caller.csrf, "evaluator"),
        data: json_for_script(&data),
    })
}
