//! The counter console (柜台): open the counter with one's badge, call, recall, serve,
//! finish with read-back, transfer, hold, pause — and see the next two (办一安二招呼三).

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
use servicehall_store::CounterStatus;

pub fn routes() -> Router<AppState> {
    Router::new().route("/counter", get(console))
}

#[derive(Template)]
#[template(path = "counters/console.html")]
struct Console {
    chrome: Chrome,
    data: String,
}

async fn console(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::OperateCounter, hall.id)?;
    let me = caller.staff.as_ref().map(|st| st.id);
    let counters = s.store.counters(hall.id).await?;
    let mine = counters
        .iter()
        .find(|c| c.status != CounterStatus::Closed && c.clerk.as_ref().map(|k| k.staff_id) == me)
        .map(|c| c.id);
    let types = s.store.business_types(hall.id).await?;
    let data = serde_json::json!({
        "hall": hall.code,
        "timezone": hall.timezone,
        "counter_id": mine,
        "counters": counters.iter().map(|c| serde_json::json!({
            "id": c.id, "number": c.number, "status": c.status, "clerk": c.clerk.as_ref().map(|k| &k.name),
            "types": c.primary.iter().chain(&c.secondary).filter_map(|id| types.iter().find(|b| b.id == *id).map(|b| &b.name_zh)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "types": types.iter().filter(|b| b.active).map(|b| serde_json::json!({"id": b.id, "code": b.code, "name": b.name_zh, "payment": b.is_payment})).collect::<Vec<_>>(),
        "badge": caller.staff.as_ref().map(|st| &st.badge_no),
    });
    render(&Console {
        chrome: Chrome::staff("柜台 Counter", "/counter", Some(&caller)),
        data: json_for_script(&data),
    })
}
