//! The hall's active announcements for screens without the event stream: the public hall
//! page (no sign-in) and the kiosk (a device without `ViewEvents`). A long poll: with
//! `known` (what the screen shows now) the answer waits until the hall's incidents change,
//! up to 25 s, so a declaration reaches the screen within the request's round trip.

use super::view::{AnnouncementView, AnnouncementsView};
use crate::AppState;
use crate::api::resolve_hall;
use crate::error::ApiResult;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use servicehall_store::{INCIDENT_EVENT, Store};
use std::time::Duration;
use utoipa::ToSchema;

/// How long a long poll waits for a change before answering with the same list.
const WAIT: Duration = Duration::from_secs(25);

#[derive(Debug, Deserialize, ToSchema)]
pub struct Known {
    /// The `known` of the previous answer: wait for a change.
    pub known: Option<String>,
}

/// The active announcements of a hall, newest first (no sign-in; nothing personal).
pub async fn announcements_of(store: &dyn Store, hall_id: i64) -> ApiResult<AnnouncementsView> {
    let active = store.active_incidents(hall_id).await?;
    Ok(AnnouncementsView {
        known: active
            .iter()
            .map(|i| i.id.to_string())
            .collect::<Vec<_>>()
            .join(","),
        announcements: active.iter().map(AnnouncementView::from).collect(),
    })
}

/// The hall's active announcements. With `known`, waits (up to 25 s) until they differ.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/announcements", tag = "incidents",
    params(("hall" = String, Path, description = "hall code or id"),
           ("known" = Option<String>, Query, description = "the previous answer's `known`: wait for a change")),
    responses((status = 200, body = AnnouncementsView), (status = 404, body = crate::error::Problem)))]
pub async fn announcements(
    State(s): State<AppState>,
    Path(hall): Path<String>,
    Query(q): Query<Known>,
) -> ApiResult<Json<AnnouncementsView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    // Subscribe before reading, so a change between the two is not missed.
    let mut rx = s.store.subscribe();
    let now = announcements_of(s.store.as_ref(), hall.id).await?;
    let Some(known) = q.known else {
        return Ok(Json(now));
    };
    if known != now.known {
        return Ok(Json(now));
    }
    let changed = async {
        loop {
            match rx.recv().await {
                Ok(e) if e.hall_id == hall.id && e.kind == INCIDENT_EVENT => break,
                Ok(_) => {}
                // Lagged: something may have changed; closed: the server stops.
                Err(_) => break,
            }
        }
    };
    let drain = s.drain.clone();
    tokio::select! {
        _ = changed => {}
        _ = tokio::time::sleep(WAIT) => {}
        _ = drain.started() => {}
    }
    Ok(Json(announcements_of(s.store.as_ref(), hall.id).await?))
}
