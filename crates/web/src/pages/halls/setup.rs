//! The first-run page (首次设置): while the database has no administrator, `/setup` creates
//! the first one, as `servicehall init` does. Only from the server's own machine (a loopback
//! peer address) or with the one-time setup code the server logs at start
//! ([`AppState::setup_code`]); refused once an administrator exists (`FirstRunStore` checks
//! and inserts in one transaction, so two at once create one).
//!
//! Every POST carries the setup code: on the server's own machine the form holds it hidden,
//! so another site open in that machine's browser cannot post the form (it cannot read the
//! page, hence not the code).

use super::check_password;
use crate::AppState;
use crate::auth::hash_password_async;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, respond};
use crate::security::ClientAddr;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use servicehall_domain::Role;
use servicehall_store::{ADMIN_EXISTS, StaffInput, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/setup", get(form).post(create))
}

#[derive(Template)]
#[template(path = "halls/setup.html")]
pub struct SetupPage {
    pub chrome: Chrome,
    /// On the server's own machine: the code, put in the form hidden.
    pub local_code: String,
    pub error: String,
    pub username: String,
    pub name: String,
    pub done: bool,
}

#[derive(serde::Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    setup_code: String,
    username: String,
    name: String,
    password: String,
    password2: String,
}

/// Whether this peer may see the form without typing the code: the server's own machine.
pub fn is_local(addr: ClientAddr) -> bool {
    addr.0.is_some_and(|ip| ip.is_loopback())
}

/// The code given matches the server's (compared in constant time).
pub fn code_matches(given: &str, code: &str) -> bool {
    let (a, b) = (given.trim().as_bytes(), code.as_bytes());
    !b.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn page(s: &AppState, addr: ClientAddr) -> SetupPage {
    SetupPage {
        chrome: Chrome::staff("首次设置 First run", "/setup", None),
        local_code: if is_local(addr) {
            s.setup_code.to_string()
        } else {
            String::new()
        },
        error: String::new(),
        username: String::new(),
        name: String::new(),
        done: false,
    }
}

fn already() -> PageError {
    PageError(ApiError::new(StatusCode::CONFLICT, ADMIN_EXISTS))
}

async fn form(State(s): State<AppState>, addr: ClientAddr) -> Result<Response, PageError> {
    if s.store.has_admin().await? {
        return Err(already());
    }
    respond(&page(&s, addr), StatusCode::OK)
}

async fn create(
    State(s): State<AppState>,
    addr: ClientAddr,
    Form(f): Form<SetupForm>,
) -> Result<Response, PageError> {
    if s.store.has_admin().await? {
        return Err(already());
    }
    if !code_matches(&f.setup_code, &s.setup_code) {
        tracing::warn!(target: "security", event = "setup_code_refused", addr = %addr.show(), "first-run set-up with a wrong setup code");
        return Err(PageError(ApiError::forbidden(
            "设置码不对：请在本机打开 /setup，或填写服务器启动日志中的设置码 · wrong setup code: open /setup on the server's own machine, or enter the code from the server's start-up log",
        )));
    }
    let mut p = page(&s, addr);
    p.username = f.username.trim().to_string();
    p.name = f.name.trim().to_string();
    // Someone who typed the code keeps it in the form when it comes back.
    p.local_code = f.setup_code.trim().to_string();
    let refused = |mut p: SetupPage, why: String| {
        p.error = why;
        respond(&p, StatusCode::UNPROCESSABLE_ENTITY)
    };
    if let Err(why) = check_password(&f.password) {
        return refused(p, why);
    }
    if f.password != f.password2 {
        return refused(
            p,
            "两次输入的密码不一致 · the two passwords differ".to_string(),
        );
    }
    let hash = hash_password_async(f.password).await?;
    let input = StaffInput {
        hall_id: None,
        username: p.username.clone(),
        name: p.name.clone(),
        badge_no: "ADMIN".into(),
        role: Role::Admin,
        photo: String::new(),
        active: true,
    };
    match s.store.create_first_admin(&input, &hash).await {
        Ok(admin) => {
            tracing::warn!(target: "security", event = "first_admin_created", addr = %addr.show(), staff_id = admin.id, username = %admin.username, "the first administrator was created on /setup");
            p.done = true;
            p.local_code = String::new();
            respond(&p, StatusCode::OK)
        }
        Err(StoreError::Conflict(_)) => Err(already()),
        Err(StoreError::Invalid(m)) => refused(p, m),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_local_and_codes_must_match_exactly() {
        let at = |ip: &str| ClientAddr(Some(ip.parse().unwrap()));
        assert!(is_local(at("127.0.0.1")));
        assert!(is_local(at("::1")));
        assert!(!is_local(at("10.0.0.5")));
        assert!(!is_local(at("192.168.1.20")));
        assert!(!is_local(ClientAddr(None)));
        assert!(code_matches(" 0a1b2c3d4e5f6789 ", "0a1b2c3d4e5f6789"));
        assert!(!code_matches("0a1b2c3d4e5f678", "0a1b2c3d4e5f6789"));
        assert!(!code_matches("", ""));
    }
}
