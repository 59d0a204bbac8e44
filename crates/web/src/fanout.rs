//! A display's live events: its hall's channel (store's per-hall fan-out; on PostgreSQL fed
//! by every node through LISTEN/NOTIFY), delivered in id order and never twice. A display
//! that falls behind its channel is not dropped: it reads what it missed from the stored
//! feed by id and carries on.

use futures_util::stream::{self, Stream};
use servicehall_store::{HallEvent, Store};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast::{Receiver, error::RecvError};

/// How often each hall's live streams were woken by the fan-out (an event or a lag
/// notice reaching one stream counts once). With a channel per hall, another hall's
/// events never add to a hall's count; the idle-streams test holds it to that.
#[derive(Default)]
pub struct Wakes(Mutex<HashMap<i64, Arc<AtomicU64>>>);

impl Wakes {
    /// The hall's counter, shared by its streams (one lock per stream opened, none per event).
    pub fn counter(&self, hall_id: i64) -> Arc<AtomicU64> {
        let mut halls = self.0.lock().unwrap_or_else(|p| p.into_inner());
        halls.entry(hall_id).or_default().clone()
    }

    /// Wake-ups of the hall's streams since the server started.
    pub fn of(&self, hall_id: i64) -> u64 {
        let halls = self.0.lock().unwrap_or_else(|p| p.into_inner());
        halls.get(&hall_id).map_or(0, |c| c.load(Ordering::Relaxed))
    }
}

/// Events missed while lagging, read per query.
const RESYNC_PAGE: i64 = 500;

struct Feed {
    store: Arc<dyn Store>,
    rx: Receiver<HallEvent>,
    hall_id: i64,
    /// The highest id delivered (0: none yet; events arrive in id order per hall).
    after: i64,
    /// Where a resync starts while nothing was delivered yet (the feed's head when the
    /// screen connected).
    resync_from: i64,
    pending: VecDeque<HallEvent>,
    /// A resync filled a whole page: read the next before listening again.
    more: bool,
    wakes: Arc<AtomicU64>,
}

/// Live events of `hall_id` with ids above `after`; the stream ends only when the channel
/// closes or a resync cannot read the database (the screen then reconnects by id).
pub fn live_events(
    store: Arc<dyn Store>,
    rx: Receiver<HallEvent>,
    hall_id: i64,
    after: i64,
    resync_from: i64,
    wakes: Arc<AtomicU64>,
) -> impl Stream<Item = HallEvent> + Send + 'static {
    let feed = Feed {
        store,
        rx,
        hall_id,
        after,
        resync_from,
        pending: VecDeque::new(),
        more: false,
        wakes,
    };
    stream::unfold(feed, |mut f| async move {
        loop {
            if let Some(e) = f.pending.pop_front() {
                f.after = f.after.max(e.id);
                return Some((e, f));
            }
            let next = if f.more {
                Err(RecvError::Lagged(0))
            } else {
                let next = f.rx.recv().await;
                f.wakes.fetch_add(1, Ordering::Relaxed);
                next
            };
            match next {
                Ok(e) if e.hall_id == f.hall_id && e.id > f.after => {
                    f.after = e.id;
                    return Some((e, f));
                }
                Ok(_) => {}
                Err(RecvError::Lagged(n)) => {
                    let from = f.after.max(f.resync_from);
                    tracing::debug!(
                        hall = f.hall_id,
                        skipped = n,
                        from,
                        "display lagged; resyncing by id"
                    );
                    match f.store.events_since(f.hall_id, from, RESYNC_PAGE).await {
                        Ok(missed) => {
                            if f.after == 0 {
                                f.after = from;
                            }
                            f.more = missed.len() as i64 == RESYNC_PAGE;
                            f.pending.extend(missed.into_iter().filter(|e| e.id > from));
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "display resync failed; it reconnects by id");
                            return None;
                        }
                    }
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
