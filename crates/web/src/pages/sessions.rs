//! The front page, sign-in and sign-out.

use super::{Chrome, SignedForm, chrome::nav_for, render};
use crate::AppState;
use crate::api::sessions::{end_session, start_session};
use crate::auth::MaybeCaller;
use crate::error::PageError;
use crate::security::ClientAddr;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use servicehall_store::Hall;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "sessions/home.html")]
struct Home {
    chrome: Chrome,
    screens: Vec<(&'static str, &'static str)>,
    halls: Vec<Hall>,
    signed_in: bool,
    notices: Vec<super::risks::notices::Line>,
}

async fn index(
    State(s): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Result<Response, PageError> {
    if let Some(c) = &caller
        && !c.is_person()
    {
        return Ok(Redirect::to("/device/home").into_response());
    }
    let page = Home {
        chrome: Chrome::staff("首页 Home", "/", caller.as_ref()),
        screens: caller.as_ref().map(nav_for).unwrap_or_default(),
        halls: s.store.halls().await?,
        signed_in: caller.is_some(),
        notices: match &caller {
            Some(c) => super::risks::notices::mine(&s, c).await,
            None => Vec::new(),
        },
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "sessions/login.html")]
struct Login {
    chrome: Chrome,
    error: String,
    username: String,
    /// The page to come back to after signing in (a path of this site), or empty.
    next: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// `next` if it is a path of this site, else empty (see [`crate::auth::safe_next`]).
fn kept_next(next: &str) -> String {
    crate::auth::safe_next(next).unwrap_or_default().to_string()
}

async fn login_form(
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<impl IntoResponse, PageError> {
    render(&Login {
        chrome: Chrome::staff("登录 Sign in", "/login", None),
        error: String::new(),
        username: String::new(),
        next: kept_next(&q.next),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(s): State<AppState>,
    addr: ClientAddr,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    match start_session(&s, &f.username, &f.password, addr).await {
        Ok((cookie, staff, _)) => {
            use servicehall_domain::Role;
            let home = match staff.role {
                Role::Clerk => "/counter",
                Role::Guide => "/guide",
                Role::HallManager | Role::Supervisor => "/manager",
                Role::Admin => "/admin",
            };
            let to = crate::auth::safe_next(&f.next).unwrap_or(home);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response())
        }
        Err(e)
            if matches!(
                e.status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ) =>
        {
            let error = if e.status == StatusCode::UNAUTHORIZED {
                "用户名或密码错误 · Wrong username or password".to_string()
            } else {
                e.detail.clone()
            };
            let page = Login {
                chrome: Chrome::staff("登录 Sign in", "/login", None),
                error,
                next: kept_next(&f.next),
                username: f.username,
            };
            let mut res = (e.status, render(&page)?).into_response();
            if let Some(secs) = e.retry_after {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    SignedForm(_, ()): SignedForm<()>,
) -> Result<Response, PageError> {
    end_session(&s, &headers).await?;
    let clear = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        crate::auth::SESSION_COOKIE
    );
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}
