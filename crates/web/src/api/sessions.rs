//! Sign-in for API clients (the screens use the same session through `/login`).

use super::JsonBody;
use crate::AppState;
use crate::auth::{
    Caller, SESSION_COOKIE, hash_token, new_token, random_hex, verify_password_async,
};
use crate::error::{ApiError, ApiResult};
use crate::limits::retry_secs;
use crate::security::{self, ClientAddr};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use serde::{Deserialize, Serialize};
use servicehall_store::Staff;
use std::time::Instant;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginReply {
    pub staff: crate::api::halls::view::StaffView,
    /// Echo this as `X-CSRF-Token` on every write made with the session cookie.
    pub csrf: String,
}

/// Checks a username and password and starts a session: (cookie header, staff, csrf).
/// Refuses with 429 while the account or the client's address is locked after too many
/// failures; an unknown username costs the same Argon2 time as a known one.
pub async fn start_session(
    s: &AppState,
    username: &str,
    password: &str,
    addr: ClientAddr,
) -> ApiResult<(HeaderValue, Staff, String)> {
    let limits = &s.config.limits.login;
    let attempt = match s
        .guards
        .login
        .begin(username, addr.0, limits, Instant::now())
    {
        Ok(a) => a,
        Err(wait) => {
            security::login_failed(username, addr, "throttled");
            return Err(too_many_sign_ins(retry_secs(wait)));
        }
    };
    let found = s.store.staff_login(username.trim()).await?;
    let (staff, hash) = match found {
        Some((staff, hash)) => (Some(staff), Some(hash)),
        None => (None, None),
    };
    let ok = verify_password_async(password.to_string(), hash).await;
    let staff = match staff {
        Some(staff) if ok => staff,
        other => {
            let reason = if other.is_some() {
                "wrong_password"
            } else {
                "unknown_user"
            };
            security::login_failed(username, addr, reason);
            drop(attempt); // counted as a failure
            return Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "用户名或密码错误 wrong username or password",
            ));
        }
    };
    attempt.succeeded();
    security::login_ok(staff.id, &staff.username, addr);
    let token = new_token();
    let csrf = random_hex(16);
    let ttl = s.config.session_ttl_ms;
    s.store
        .create_session(&hash_token(&token), staff.id, &csrf, s.now() + ttl)
        .await?;
    let secure = if s.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        ttl / 1000
    );
    let value = HeaderValue::from_str(&cookie).map_err(|_| {
        ApiError::bad_request(
            "无法生成登录凭据，请重试 · the sign-in cookie could not be made; try again",
        )
    })?;
    Ok((value, staff, csrf))
}

/// 429: "try again in N s", in Chinese and English.
pub fn too_many_sign_ins(secs: u64) -> ApiError {
    ApiError::too_many(
        secs,
        format!(
            "登录尝试过多，请 {secs} 秒后再试 Too many sign-in attempts; try again in {secs} s"
        ),
    )
}

/// Signs in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginBody,
    responses((status = 200, body = LoginReply), (status = 401, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem,
         description = "too many failed sign-ins for this account or address; see Retry-After")))]
pub async fn login(
    State(s): State<AppState>,
    addr: ClientAddr,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult<(HeaderMap, Json<LoginReply>)> {
    let (cookie, staff, csrf) = start_session(&s, &body.username, &body.password, addr).await?;
    let mut h = HeaderMap::new();
    h.insert(header::SET_COOKIE, cookie);
    Ok((
        h,
        Json(LoginReply {
            staff: (&staff).into(),
            csrf,
        }),
    ))
}

/// Signs out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn logout(
    State(s): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> ApiResult<axum::http::StatusCode> {
    end_session(&s, &headers).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

pub async fn end_session(s: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string());
    if let Some(t) = token {
        let hash = hash_token(&t);
        s.store.delete_session(&hash).await?;
        // This session's open streams end now, not at the next sweep.
        s.credentials.end(&crate::auth::Credential::Session(hash));
    }
    Ok(())
}
