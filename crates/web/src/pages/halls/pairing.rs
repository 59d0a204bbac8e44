//! Pairing a device's screen with its token (`/device/pair`) and the device's home, which
//! opens the screen of its kind.

use crate::AppState;
use crate::auth::{Caller, DEVICE_COOKIE, hash_token};
use crate::error::{ApiError, PageError};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::DeviceKind;
use servicehall_domain::access::ActorKind;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/device/pair", get(pair))
        .route("/device/home", get(home))
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
                "设备令牌无效或已吊销，请向管理员申请新令牌 · unknown or revoked device token; ask the administrator for a new one",
            )
        })?;
    if d.kind == DeviceKind::Integration {
        return Err(ApiError::bad_request(
            "集成令牌用于接口（Authorization: Bearer），不能用于屏幕 · integration tokens are for the API (Authorization: Bearer), not for a screen",
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
