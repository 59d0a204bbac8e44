//! Case screens (工单): the lists (mine, due soon, overdue, all open) with the new-case form,
//! the case page (steps, clocks, documents, hand-over, callback, trail), and the customer's
//! public status page (case number + the case's access code; badge numbers only).
//! Every action goes through the JSON API (`/api/v1/…/cases`); the pages only frame it.

mod on_time;
mod register;
mod settings;

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list))
        .merge(register::routes())
        .route("/cases/{id}", get(page))
        .route("/case", get(public))
        .merge(settings::routes())
        .merge(on_time::routes())
}

/// The shares of a limit at which the bar turns amber (the hall-manager warning) and the
/// owner is first reminded: the hall's current settings (a case page then uses its own).
async fn thresholds(s: &AppState, hall_id: i64) -> Result<serde_json::Value, PageError> {
    let p = s.store.case_settings(hall_id).await?.settings.policy();
    Ok(serde_json::to_value(crate::api::Thresholds::of(&p)).unwrap_or_default())
}

fn role_of(caller: &Caller) -> Option<Role> {
    match caller.actor.kind {
        ActorKind::Person(r) => Some(r),
        ActorKind::Device(_) => None,
    }
}

fn role_code(caller: &Caller) -> &'static str {
    match role_of(caller) {
        Some(Role::Admin) => "admin",
        Some(Role::HallManager) => "hall_manager",
        Some(Role::Clerk) => "clerk",
        Some(Role::Supervisor) => "supervisor",
        Some(Role::Guide) => "guide",
        None => "device",
    }
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    chrome: Chrome,
    data: String,
    hall_name: String,
    can_handle: bool,
}

async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    let can_handle = caller.actor.may(Permission::HandleCases, hall.id);
    crate::api::require_read_cases(&caller, hall.id)?;
    let types = s.store.business_types(hall.id).await?;
    let data = serde_json::json!({
        "page": "list",
        "hall": hall.code,
        "timezone": hall.timezone,
        "can_handle": can_handle,
        "is_person": caller.staff.is_some(),
        "thresholds": thresholds(&s, hall.id).await?,
        "types": types.iter().filter(|b| b.active).map(|b| serde_json::json!({
            "id": b.id, "code": b.code, "name": b.name_zh, "name_en": b.name_en,
        })).collect::<Vec<_>>(),
    });
    render(&ListPage {
        chrome: Chrome::staff("工单 Cases", "/cases", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name,
        can_handle,
    })
}

#[derive(Template)]
#[template(path = "cases/page.html")]
struct CasePage {
    chrome: Chrome,
    data: String,
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, PageError> {
    let d = s.store.case(id, s.now()).await?;
    let hall_id = d.case.hall_id;
    let can_handle = caller.actor.may(Permission::HandleCases, hall_id);
    crate::api::require_read_cases(&caller, hall_id)?;
    let hall = s.store.hall(hall_id).await?;
    let data = serde_json::json!({
        "page": "case",
        "id": id,
        "hall": hall.code,
        "hall_name": hall.name,
        "timezone": hall.timezone,
        "can_handle": can_handle,
        "me": caller.staff.as_ref().map(|st| st.id),
        "role": role_code(&caller),
        "thresholds": thresholds(&s, hall_id).await?,
    });
    render(&CasePage {
        chrome: Chrome::staff(&format!("工单 {}", d.case.number), "/cases", Some(&caller)),
        data: json_for_script(&data),
    })
}

#[derive(serde::Deserialize, Default)]
struct PublicQuery {
    number: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/public.html")]
struct PublicPage {
    chrome: Chrome,
    data: String,
    number: String,
}

/// The customer's status page: no login; they type the case number and the access code
/// (查询码) they were handed, and see the current step, the deadline and the owner's badge.
async fn public(Query(q): Query<PublicQuery>) -> Result<impl IntoResponse, PageError> {
    let number = q.number.unwrap_or_default();
    let data = serde_json::json!({ "page": "public", "timezone": "Asia/Shanghai" });
    render(&PublicPage {
        chrome: Chrome::bare("工单查询 Case status", "", "follow"),
        data: json_for_script(&data),
        number,
    })
}
