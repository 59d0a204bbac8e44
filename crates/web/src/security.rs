//! The security log: sign-ins, refusals (403, 429), password resets, staff and device
//! changes, and server errors (5xx), as `tracing` events at target `security` with
//! structured fields. Never a secret: no passwords, tokens, cookies or codes; routes are
//! logged as their template (`/api/v1/tickets/{id}/start`), not the path sent.
//!
//! Fields: `event` (kind), `staff_id` and `username` or `device_id` (the caller, when known),
//! `addr` (the client's address: the TCP peer), `method`, `route`, `status`, and per kind
//! `target_staff_id`, `role`, `reason`.

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

/// The client's address: the TCP peer of the connection (`None` when the server was not
/// started with connect info, e.g. behind a custom server in tests). `X-Forwarded-For` is
/// not trusted.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    pub fn of(parts: &Parts) -> Self {
        Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        )
    }

    /// For logs: the address or `unknown`.
    pub fn show(&self) -> String {
        self.0
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self::of(parts))
    }
}

/// Who the caller turned out to be, filled in by the `Caller` extractor so that the
/// middleware can name them when it logs a refusal or an error.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub staff_id: Option<i64>,
    pub username: Option<String>,
    pub device_id: Option<i64>,
}

/// The slot the middleware puts in each request's extensions.
#[derive(Debug, Clone, Default)]
pub struct WhoSlot(Arc<Mutex<Who>>);

impl WhoSlot {
    pub fn set(parts: &Parts, who: Who) {
        if let Some(slot) = parts.extensions.get::<WhoSlot>() {
            *slot.0.lock().unwrap_or_else(|e| e.into_inner()) = who;
        }
    }
    fn get(&self) -> Who {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The caller as the audit record names them: a username, `device #N`, or `anonymous`.
    pub fn describe(&self) -> String {
        let w = self.get();
        match (w.username, w.device_id) {
            (Some(u), _) => u,
            (None, Some(d)) => format!("device #{d}"),
            (None, None) => "anonymous".into(),
        }
    }
}

/// Logs every 403, 429 and 5xx answer with the caller, address and route.
pub async fn log_refusals(mut req: Request, next: Next) -> Response {
    let slot = WhoSlot::default();
    req.extensions_mut().insert(slot.clone());
    // Cheap clones (an `Arc<str>` inside): the hot paths pay no allocation for the log.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let res = next.run(req).await;
    let status = res.status();
    let kind = match status.as_u16() {
        403 => "forbidden",
        429 => "too_many_requests",
        s if s >= 500 => "server_error",
        _ => return res,
    };
    let who = slot.get();
    let addr = ClientAddr(addr).show();
    let route = matched.as_ref().map_or("(unmatched)", MatchedPath::as_str);
    if status.is_server_error() {
        tracing::error!(target: "security", event = kind, staff_id = who.staff_id,
            username = who.username, device_id = who.device_id, addr = %addr,
            method = %method, route = %route, status = status.as_u16(), "server error");
    } else {
        tracing::warn!(target: "security", event = kind, staff_id = who.staff_id,
            username = who.username, device_id = who.device_id, addr = %addr,
            method = %method, route = %route, status = status.as_u16(), "request refused");
    }
    res
}

/// At most 64 characters of what a client typed, logged as a quoted string (newlines and
/// quotes escaped), so a crafted username can neither flood nor forge log lines.
fn typed(s: &str) -> &str {
    let s = s.trim();
    s.char_indices().nth(64).map_or(s, |(i, _)| &s[..i])
}

/// A failed sign-in (`reason`: `wrong_password`, `unknown_user` or `throttled`). The
/// password is never passed here.
pub fn login_failed(username: &str, addr: ClientAddr, reason: &str) {
    tracing::warn!(target: "security", event = "login_failed", username = typed(username),
        addr = %addr.show(), reason, "sign-in failed");
}

/// A successful sign-in.
pub fn login_ok(staff_id: i64, username: &str, addr: ClientAddr) {
    tracing::info!(target: "security", event = "login", staff_id, username,
        addr = %addr.show(), "signed in");
}

/// A change an administrator made: `staff_created`, `staff_updated`, `password_reset`,
/// `device_created`, `device_revoked`, `staff_region_set`.
pub fn admin_change(
    event: &'static str,
    by: &crate::auth::Caller,
    addr: ClientAddr,
    target: i64,
    detail: &str,
) {
    let who = by.who();
    tracing::warn!(target: "security", event, staff_id = who.staff_id,
        username = who.username, addr = %addr.show(), target_id = target, detail,
        "administrative change");
}

/// A live stream closed because its device was revoked or its session ended.
pub fn stream_closed(who: &Who) {
    tracing::info!(target: "security", event = "stream_revoked", staff_id = who.staff_id,
        username = who.username, device_id = who.device_id,
        "live stream closed: credential no longer valid");
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_names_are_cut_to_64_characters() {
        assert_eq!(super::typed("  clerk1 "), "clerk1");
        let long = "营".repeat(100);
        assert_eq!(super::typed(&long).chars().count(), 64);
    }
}
