//! The lobby display (大厅显示屏): the current call large, the last six calls, waiting per
//! business type, and every counter with its clerk's name and badge (挂牌服务).

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
use servicehall_domain::time::{at_local, parse_tz, service_day};

pub fn routes() -> Router<AppState> {
    Router::new().route("/display/lobby", get(lobby))
}

#[derive(Template)]
#[template(path = "queue/display.html")]
struct Lobby {
    chrome: Chrome,
    data: String,
    hall_name: String,
}

async fn lobby(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewEvents, hall.id)?;
    let recent = s
        .store
        .recent_events(hall.id, &["called", "recalled"], 6)
        .await?;
    // Only today's calls: yesterday's numbers would confuse the hall.
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let day_start = at_local(service_day(s.now(), tz), chrono::NaiveTime::MIN, tz);
    let recent: Vec<_> = recent
        .iter()
        .filter(|e| e.at >= day_start)
        .map(|e| serde_json::json!({"number": e.payload["number"], "counter_number": e.payload["counter_number"], "at": e.at, "recall": e.kind == "recalled"}))
        .collect();
    let data =
        serde_json::json!({ "hall": hall.code, "timezone": hall.timezone, "recent": recent });
    render(&Lobby {
        chrome: Chrome::bare("大厅显示屏 Lobby display", &caller.csrf, "display"),
        data: json_for_script(&data),
        hall_name: hall.name,
    })
}
