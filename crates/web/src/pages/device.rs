//! Device screens: pairing a screen with its token, and the evaluator pad.

use super::{Chrome, json_for_script, render};
use crate::AppState;
use crate::auth::{Caller, DEVICE_COOKIE, hash_token};
use crate::error::{ApiError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::DeviceKind;
use servicehall_domain::access::{ActorKind, Permission};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/device/pair", get(pair))
        .route("/device/home", get(home))
        .route("/device/evaluator", get(evaluator))
}

#[derive(Deserialize)]
struct Pair {
    token: String,
}

fn screen_of(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Kiosk => "/kiosk",
        DeviceKind::Display => "/display/lobby",
        DeviceKind::CounterScreen => "/device/counter-screen",
        DeviceKind::Evaluator => "/device/evaluator",
        DeviceKind::Integration => "/api/openapi.json",
    }
}

/// Pairs this browser with a device token (kept in an HttpOnly cookie) and opens its screen.
async fn pair(State(s): State<AppState>, Query(p): Query<Pair>) -> Result<Response, PageError> {
    let d = s
        .store
        .device_by_token(&hash_token(p.token.trim()))
        .await?
        .ok_or_else(|| {
            ApiError::forbidden(
                "unknown or revoked device token; ask the administrator for a new one",
            )
        })?;
    if d.kind == DeviceKind::Integration {
        return Err(ApiError::bad_request(
            "integration tokens are for the API (Authorization: Bearer), not for a screen",
        )
        .into());
    }
    let secure = if s.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{DEVICE_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}",
        p.token.trim()
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(screen_of(d.kind)),
    )
        .into_response())
}

async fn home(caller: Caller) -> Response {
    match caller.actor.kind {
        ActorKind::Device(k) => Redirect::to(screen_of(k)).into_response(),
        ActorKind::Person(_) => Redirect::to("/").into_response(),
    }
}

#[derive(Template)]
#[template(path = "evaluator.html")]
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
                "this screen belongs to a counter's evaluator pad; pair it with an evaluator token",
            )
        })?;
    caller.require(Permission::Rate, device.hall_id)?;
    let counter_id = device
        .counter_id
        .ok_or_else(|| ApiError::forbidden("this evaluator is not bound to a counter"))?;
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
