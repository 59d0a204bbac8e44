//! The hall manager's repeat trips (重复往返): both visits linked, the customer masked.

use crate::AppState;
use crate::api::catalogue::{RepeatTripView, repeat_trip_views};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, HallQuery, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::time::{local, parse_tz};

pub fn routes() -> Router<AppState> {
    Router::new().route("/manager/repeat-trips", get(page))
}

struct Trip {
    visit: crate::api::catalogue::VisitView,
    earlier: crate::api::catalogue::VisitView,
    at: String,
    earlier_at: String,
    business: String,
}

#[derive(Template)]
#[template(path = "catalogue/repeat_trips.html")]
struct Page {
    chrome: Chrome,
    hall_name: String,
    window: i64,
    trips: Vec<Trip>,
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, crate::error::ApiError>,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let fmt = |ms: i64| local(ms, tz).format("%m-%d %H:%M").to_string();
    let types = s.store.business_types(hall.id).await?;
    let trips = repeat_trip_views(&s, hall.id)
        .await?
        .into_iter()
        .map(|RepeatTripView { visit, earlier }| Trip {
            at: fmt(visit.at),
            earlier_at: fmt(earlier.at),
            business: types
                .iter()
                .find(|b| b.code == visit.business_type)
                .map(|b| b.name_zh.clone())
                .unwrap_or_else(|| visit.business_type.clone()),
            visit,
            earlier,
        })
        .collect();
    render(&Page {
        chrome: Chrome::staff("重复往返 Repeat trips", "/manager", Some(&caller)),
        hall_name: hall.name.clone(),
        window: s.store.hall_public_info(hall.id).await?.repeat_window_days,
        trips,
    })
}
