//! Per-hall fan-out of live events inside one node. Each hall with someone watching has its
//! own channel (made on the first subscriber, dropped once none is left), so a display wakes
//! only for its hall's events and a busy hall cannot push another hall's slow display
//! behind. A subscriber that still falls behind is told so (`Lagged`) and resyncs from
//! `hall_events` by id; nobody is dropped for another hall's traffic.

use crate::HallEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// Events a hall's channel holds for its slowest subscriber before it must resync.
const PER_HALL: usize = 1024;

pub(crate) struct Fanout {
    halls: Mutex<HashMap<i64, broadcast::Sender<HallEvent>>>,
    /// Every hall's events, for the few who watch them all (tests, public incident notices).
    all: broadcast::Sender<HallEvent>,
    /// PostgreSQL: this node's listener, started by the first subscriber (`Fanout::listen`
    /// in listener.rs, which feeds this fan-out) and stopped when the fan-out goes.
    pub(super) listener: std::sync::OnceLock<tokio::task::AbortHandle>,
}

impl Drop for Fanout {
    fn drop(&mut self) {
        if let Some(task) = self.listener.get() {
            task.abort();
        }
    }
}

impl Default for Fanout {
    fn default() -> Self {
        Self {
            halls: Mutex::default(),
            all: broadcast::channel(4096).0,
            listener: std::sync::OnceLock::new(),
        }
    }
}

impl Fanout {
    /// Hands `e` to the subscribers of its hall (and of all halls). No subscribers is fine:
    /// screens catch up from the stored feed.
    pub(crate) fn publish(&self, e: HallEvent) {
        if let Ok(mut halls) = self.halls.lock()
            && let Some(tx) = halls.get(&e.hall_id)
            && tx.send(e.clone()).is_err()
        {
            // The last subscriber has gone: forget the hall's channel.
            halls.remove(&e.hall_id);
        }
        let _ = self.all.send(e);
    }

    /// Live events of one hall.
    pub(crate) fn subscribe_hall(&self, hall_id: i64) -> broadcast::Receiver<HallEvent> {
        let mut halls = self.halls.lock().unwrap_or_else(|p| p.into_inner());
        // Channels whose subscribers all left since their last event go now.
        halls.retain(|_, tx| tx.receiver_count() > 0);
        halls
            .entry(hall_id)
            .or_insert_with(|| broadcast::channel(PER_HALL).0)
            .subscribe()
    }

    /// Whether anyone on this node watches the hall's events (its own channel, or all
    /// halls'): the listener reads no events nobody here would receive.
    pub(crate) fn watched(&self, hall_id: i64) -> bool {
        if self.all.receiver_count() > 0 {
            return true;
        }
        let halls = self.halls.lock().unwrap_or_else(|p| p.into_inner());
        halls
            .get(&hall_id)
            .is_some_and(|tx| tx.receiver_count() > 0)
    }

    pub(crate) fn subscribe_all(&self) -> broadcast::Receiver<HallEvent> {
        self.all.subscribe()
    }

    /// Halls with a channel now (for tests of the clean-up).
    #[cfg(test)]
    pub(crate) fn halls_watched(&self) -> usize {
        let mut halls = self.halls.lock().unwrap_or_else(|p| p.into_inner());
        halls.retain(|_, tx| tx.receiver_count() > 0);
        halls.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64, hall_id: i64) -> HallEvent {
        HallEvent {
            id,
            hall_id,
            kind: "issued".into(),
            payload: serde_json::json!({}),
            at: 0,
        }
    }

    #[tokio::test]
    async fn a_hall_channel_carries_only_its_hall_and_goes_with_its_last_subscriber() {
        let f = Fanout::default();
        let mut a = f.subscribe_hall(1);
        let mut b = f.subscribe_hall(2);
        f.publish(ev(10, 2));
        f.publish(ev(11, 1));
        assert_eq!(a.recv().await.unwrap().id, 11);
        assert_eq!(b.recv().await.unwrap().id, 10);
        assert!(a.try_recv().is_err(), "hall 1 never saw hall 2's event");
        assert_eq!(f.halls_watched(), 2);
        drop(a);
        assert_eq!(f.halls_watched(), 1);
    }

    #[tokio::test]
    async fn another_halls_flood_does_not_make_a_display_lag() {
        let f = Fanout::default();
        let mut quiet = f.subscribe_hall(1);
        let _busy = f.subscribe_hall(2);
        for i in 0..(PER_HALL as i64 * 3) {
            f.publish(ev(i, 2));
        }
        f.publish(ev(99_999, 1));
        assert_eq!(quiet.recv().await.unwrap().id, 99_999);
    }
}
