//! The hall's live feed as Server-Sent Events, resumable with `Last-Event-ID`.
//! A `ping` event every heartbeat lets screens notice a dead stream within seconds (it costs
//! no database work). The caller's device token or session is watched with every other
//! stream's by the node's credential sweep (fanout_watch.rs), and the stream ends once it is
//! revoked or ended. Live streams are capped per credential and per address.

use super::resolve_hall;
use crate::auth::Credential;
use crate::error::ApiResult;
use crate::fanout_watch::{Owner, SweepWith};
use crate::limits::StreamSlot;
use crate::security::{self, ClientAddr, Who};
use crate::{AppState, auth::Caller};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_store::{CASE_EVENT, HallEvent};
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::IntervalStream;

#[derive(Deserialize)]
pub struct Resume {
    /// For clients that cannot send the header.
    last_event_id: Option<i64>,
}

fn to_sse(e: &HallEvent) -> Event {
    let data = serde_json::json!({"id": e.id, "kind": e.kind, "at": e.at, "payload": e.payload});
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(data.to_string())
}

/// Live events: issued, called, recalled, started, held, resumed, finished, no_show,
/// transferred, rated, counter; and `case` (a case opened or changed: `change` is opened,
/// step_completed, clock_paused, clock_resumed, handover_requested, handover_accepted,
/// document_added, document_superseded, callback_recorded, closed or warning) for people who
/// may see the hall's cases.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/events", tag = "queue",
    params(("hall" = String, Path, description = "hall code or id"),
           ("Last-Event-ID" = Option<i64>, Header, description = "resume after this event")),
    responses((status = 200, description = "text/event-stream"),
        (status = 429, body = crate::error::Problem,
         description = "too many live streams for this token, session or address")))]
pub async fn stream(
    State(s): State<AppState>,
    addr: ClientAddr,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<Resume>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewEvents, hall.id)?;
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .or(q.last_event_id);
    // Case changes (`case` events) only reach people who may see the hall's cases.
    let cases = caller.actor.may(Permission::ReadCases, hall.id);
    let watch = Watch {
        slot: s.open_stream(&caller, addr)?,
        credential: caller.credential.clone(),
        owner: Owner {
            staff_id: caller.staff.as_ref().map(|p| p.id),
            device_id: caller.device.as_ref().map(|d| d.id),
        },
        who: caller.who(),
    };
    hall_event_stream(&s, hall.id, last, cases, watch).await
}

/// What keeps a stream open: its place under the stream caps (freed when the stream is
/// dropped) and the credential the node's sweep watches while the stream lives.
pub struct Watch {
    pub slot: StreamSlot,
    pub credential: Credential,
    /// Whose credential it is, so that revoking the device or the person here ends it.
    pub owner: Owner,
    pub who: Who,
}

/// The event stream of one hall: first what was missed since `last` (when given), then live.
/// `case` events are left out unless `cases` (the caller may see the hall's cases). The
/// stream ends when `watch`'s credential is revoked (found by the node's sweep, or revoked
/// on this node). One that falls behind the feed is resynced from the stored feed by id
/// (fanout.rs), not dropped.
pub async fn hall_event_stream(
    s: &AppState,
    hall_id: i64,
    last: Option<i64>,
    cases: bool,
    watch: Watch,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>> {
    let shown = move |e: &HallEvent| cases || e.kind != CASE_EVENT;
    // Subscribe (to this hall only) before reading the backlog so nothing falls between.
    let rx = s.store.subscribe_hall(hall_id);
    let backlog = match last {
        Some(id) => s.store.events_since(hall_id, id, 1000).await?,
        None => Vec::new(),
    };
    let mut first: Vec<Result<Event, Infallible>> = backlog
        .iter()
        .filter(|e| shown(e))
        .map(to_sse)
        .map(Ok)
        .collect();
    // Where the live part stands: after the backlog, or (a new screen) nowhere yet, so
    // that events committed while it connects still reach it.
    let mut resync_from = last.unwrap_or(0);
    if let Some(e) = backlog.last() {
        resync_from = resync_from.max(e.id);
    }
    let mut after = resync_from;
    if last.is_none() {
        // A new screen learns where the feed stands, so that its first reconnect after a
        // network drop resumes from here (Last-Event-ID) instead of missing events.
        let head = s.store.last_event_id(hall_id).await?;
        first.insert(
            0,
            Ok(Event::default()
                .event("ping")
                .id(head.to_string())
                .data("{}")),
        );
        resync_from = head;
        after = 0;
    }
    let backlog = stream::iter(first);
    let wakes = s.wakes.counter(hall_id);
    let live = crate::fanout::live_events(s.store.clone(), rx, hall_id, after, resync_from, wakes)
        .filter_map(move |e| std::future::ready(shown(&e).then(|| Some(to_sse(&e)))))
        .chain(stream::once(std::future::ready(None)));
    let beat = Duration::from_millis(s.config.heartbeat_ms);
    let Watch {
        slot,
        credential,
        owner,
        who,
    } = watch;
    let sweep = SweepWith {
        store: s.store.clone(),
        clock: s.clock.clone(),
        beat,
    };
    let mut watched = s.credentials.register(credential, owner, sweep);
    // Pings only keep the screen's dead-stream timer happy: no database work per stream.
    let pings = IntervalStream::new(tokio::time::interval(beat))
        .map(|_| Some(Event::default().event("ping").data("{}")));
    let revoked = stream::once(async move {
        watched.ended().await;
        security::stream_closed(&who);
        None
    });
    // A stopping server says goodbye with a short reconnect delay: the screen comes back
    // through another node (or this one restarted) and resumes by Last-Event-ID.
    let drain = s.drain.clone();
    let bye = stream::once(async move {
        drain.started().await;
        Some(Event::default().event("bye").retry(Duration::from_secs(2)).data(
            r#"{"reason":"server stopping","zh":"服务器正在重启，稍后自动重连","en":"server stopping; reconnecting shortly"}"#,
        ))
    })
    .chain(stream::once(std::future::ready(None)));
    // `None` (revoked, or the live feed ended) ends the stream; the slot goes with it.
    let live = stream::select(stream::select(live, pings), stream::select(bye, revoked))
        .take_while(|e| std::future::ready(e.is_some()))
        .filter_map(move |e| {
            let _held = &slot;
            std::future::ready(e.map(Ok))
        });
    let merged = backlog.chain(live);
    Ok(Sse::new(merged).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
