//! The kiosk (customers take a ticket) and the guide desk (引导员 triage: green channel,
//! proxy handling). Both print the slip.

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kiosk", get(kiosk))
        .route("/guide", get(guide))
}

#[derive(Template)]
#[template(path = "queue/kiosk.html")]
struct Kiosk {
    chrome: Chrome,
    data: String,
    guide: bool,
    hall_name: String,
}

async fn page(
    s: &AppState,
    caller: &Caller,
    q: &HallQuery,
    guide: bool,
) -> Result<Kiosk, PageError> {
    let hall = hall_for(s.store.as_ref(), caller, q.hall.as_deref()).await?;
    caller.require(
        if guide {
            Permission::Triage
        } else {
            Permission::IssueTicket
        },
        hall.id,
    )?;
    let data = serde_json::json!({ "hall": hall.code, "timezone": hall.timezone, "guide": guide, "opens": hall.opens, "closes": hall.closes });
    let chrome = if guide {
        Chrome::staff("导办台 Guide desk", "/guide", Some(caller))
    } else {
        Chrome::bare("取号 Take a ticket", &caller.csrf, "kiosk")
    };
    Ok(Kiosk {
        chrome,
        data: json_for_script(&data),
        guide,
        hall_name: hall.name,
    })
}

async fn kiosk(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    render(&page(&s, &caller, &q, false).await?)
}

async fn guide(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    render(&page(&s, &caller, &q, true).await?)
}
