//! 应急处置 · incidents: the hall's active incidents with their timed checklists (every
//! person in the hall ticks their role's steps), declaring and closing (hall manager,
//! supervisor, administrator), the review of closed ones and the history; and the counter's
//! manual-entry mode (`/counter/manual`) while the business system is down. The taps go
//! through the JSON API (`api::incidents`).

use crate::AppState;
use crate::api::incidents::view::{IncidentView, PlaybookView};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_store::Hall;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(page))
        .route("/counter/manual", get(manual_page))
}

#[derive(Deserialize)]
struct PageQuery {
    hall: Option<String>,
}

#[derive(Template)]
#[template(path = "incidents/page.html")]
struct IncidentsPage {
    chrome: Chrome,
    hall: Hall,
    commands: bool,
    playbooks: Vec<PlaybookView>,
    data: String,
}

const HISTORY_MS: i64 = 180 * 86_400_000;

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    let commands = caller.actor.may(Permission::Observe, hall.id);
    let now = s.now();
    let playbooks: Vec<PlaybookView> = s
        .store
        .playbooks(Some(hall.id))
        .await?
        .iter()
        .map(PlaybookView::from)
        .collect();
    let incidents: Vec<IncidentView> = s
        .store
        .incidents(hall.id, now - HISTORY_MS, 100)
        .await?
        .iter()
        .map(|i| IncidentView::new(i, now))
        .collect();
    // Who may own a review action: the hall's active people.
    let staff: Vec<_> = s
        .store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| serde_json::json!({"id": p.id, "name": format!("{} · {}", p.name, p.role.label_zh())}))
        .collect();
    let role = match caller.actor.kind {
        ActorKind::Person(Role::Clerk) => "clerk",
        ActorKind::Person(Role::Guide) => "guide",
        _ => "manager",
    };
    render(&IncidentsPage {
        chrome: Chrome::staff("应急处置 Incidents", "/incidents", Some(&caller)),
        commands,
        data: json_for_script(&serde_json::json!({
            "hall": hall.code,
            "timezone": hall.timezone,
            "now": now,
            "commands": commands,
            "role": role,
            "incidents": incidents,
            "staff": staff,
        })),
        playbooks,
        hall,
    })
}

#[derive(Template)]
#[template(path = "incidents/manual.html")]
struct ManualPage {
    chrome: Chrome,
    hall: Hall,
    business_types: Vec<(i64, String)>,
    counters: Vec<(i64, String)>,
    /// The active incident that asks for manual entries, if any.
    down: Option<String>,
    data: String,
}

async fn manual_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::OperateCounter, hall.id)?;
    let business_types = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .filter(|b| b.active)
        // Payments first: most visits recorded by hand are bills paid in cash.
        .map(|b| {
            (
                b.code != "payment",
                b.id,
                format!("{} · {}", b.name_zh, b.name_en),
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|(_, id, name)| (id, name))
        .collect();
    let me = caller.actor.staff_id;
    let counters_all = s.store.counters(hall.id).await?;
    // The counter the caller staffs first, so the form starts on it.
    let mut counters: Vec<_> = counters_all
        .iter()
        .map(|c| {
            (
                c.clerk.as_ref().is_some_and(|k| Some(k.staff_id) == me),
                c.id,
                c.number,
            )
        })
        .collect();
    counters.sort_by_key(|(mine, _, n)| (!mine, *n));
    let down = s
        .store
        .active_incidents(hall.id)
        .await?
        .into_iter()
        .find(|i| i.playbook.manual_entries)
        .map(|i| format!("{} · {}", i.playbook.name_zh, i.playbook.name_en));
    render(&ManualPage {
        chrome: Chrome::staff("人工登记 Manual entries", "/counter/manual", Some(&caller)),
        business_types,
        counters: counters
            .into_iter()
            .map(|(_, id, n)| (id, format!("{n} 号窗口 · Counter {n}")))
            .collect(),
        down,
        data: json_for_script(&serde_json::json!({
            "hall": hall.code,
            "timezone": hall.timezone,
        })),
        hall,
    })
}
