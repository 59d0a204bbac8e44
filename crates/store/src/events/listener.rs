//! Events across nodes on PostgreSQL. A transaction that wrote hall events sends, as it
//! commits, one `NOTIFY` naming per hall the first and last event id it wrote (ids only:
//! `hall_events` stays the source of truth). Each node keeps one `LISTEN` connection,
//! opened when its first screen subscribes; a notification makes it read the hall's new
//! rows by id and hand them to the node's per-hall fan-out. A lost connection is reopened
//! with backoff, and what was missed meanwhile is read by id, so no display misses a call.
//! Within a hall ids follow commit order (`push_event` takes the hall's lock), which is
//! what makes "everything after the last id seen" exact. The fan-out starts it through
//! `Fanout::listen`, kept here so the fan-out (fanout.rs) need not know the listener.

use super::fanout::Fanout;
use crate::HallEvent;
use sqlx::postgres::PgListener;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

pub(crate) const CHANNEL: &str = "servicehall_hall_events";
/// NOTIFY payloads must stay under 8000 bytes.
const MAX_PAYLOAD: usize = 7000;
/// Rows read per query while catching up.
const PAGE: i64 = 500;

/// The NOTIFY payloads for a transaction's events: `hall:first:last` per hall, joined by
/// commas, split so none exceeds PostgreSQL's limit.
pub(crate) fn payloads(events: &[HallEvent]) -> Vec<String> {
    let mut span: Vec<(i64, i64, i64)> = Vec::new();
    for e in events {
        match span.iter_mut().find(|s| s.0 == e.hall_id) {
            Some(s) => {
                s.1 = s.1.min(e.id);
                s.2 = s.2.max(e.id);
            }
            None => span.push((e.hall_id, e.id, e.id)),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (hall, first, last) in span {
        let item = format!("{hall}:{first}:{last}");
        match out.last_mut() {
            Some(p) if p.len() + item.len() < MAX_PAYLOAD => {
                p.push(',');
                p.push_str(&item);
            }
            _ => out.push(item),
        }
    }
    out
}

/// `(hall, first, last)` of a payload; malformed items are skipped.
fn parse(payload: &str) -> Vec<(i64, i64, i64)> {
    payload
        .split(',')
        .filter_map(|item| {
            let mut p = item.split(':').map(|n| n.parse::<i64>().ok());
            Some((p.next()??, p.next()??, p.next()??))
        })
        .collect()
}

/// What this node has handed out so far.
struct Cursor {
    /// The last event id delivered per hall.
    seen: HashMap<i64, i64>,
    /// The feed's head when the listener first started: older events are nobody's due.
    floor: i64,
}

impl Cursor {
    /// Where a hall's delivery resumes; `first` is the lowest id a notification names.
    fn after(&self, hall: i64, first: i64) -> i64 {
        match self.seen.get(&hall) {
            Some(&id) => id,
            // A hall not seen yet: from the start floor, or earlier when a transaction that
            // began before the start commits now.
            None => self.floor.min(first - 1),
        }
    }
}

impl Fanout {
    /// Starts the PostgreSQL listener once (a no-op outside a tokio runtime).
    pub(crate) fn listen(self: &Arc<Self>, url: &str, pool: &AnyPool) {
        if self.listener.get().is_some() || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let (url, pool, me) = (url.to_string(), pool.clone(), Arc::downgrade(self));
        // A race between two first subscribers starts two tasks; the loser stops at once.
        let task = tokio::spawn(run(url, pool, me));
        if let Err(task) = self.listener.set(task.abort_handle()) {
            task.abort();
        }
    }
}

/// Runs the node's listener until the fan-out is dropped (the task is aborted then).
async fn run(url: String, pool: AnyPool, fanout: Weak<Fanout>) {
    let mut cursor: Option<Cursor> = None;
    let mut backoff = Duration::from_millis(100);
    loop {
        if fanout.strong_count() == 0 {
            return;
        }
        // The first time, the feed's head is read before listening, and whatever commits
        // between the two is caught up below.
        if cursor.is_none() {
            match head(&pool).await {
                Ok(floor) => {
                    cursor = Some(Cursor {
                        seen: HashMap::new(),
                        floor,
                    })
                }
                Err(e) => {
                    tracing::warn!(error = %e, "event listener cannot read the feed's head");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            }
        }
        let listener = async {
            let mut l = PgListener::connect(&url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        let failed = match tokio::time::timeout(Duration::from_secs(5), listener).await {
            Ok(Ok(mut listener)) => {
                backoff = Duration::from_millis(100);
                if let Some(c) = cursor.as_mut() {
                    // Listening now: catch up on what committed while it was not.
                    catch_up(&pool, &fanout, c).await;
                    serve(&mut listener, &pool, &fanout, c).await;
                }
                continue;
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => "timed out".to_string(),
        };
        tracing::warn!(error = %failed, retry_ms = backoff.as_millis() as u64, "event listener cannot connect");
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

/// Delivers notifications until the connection fails for good.
async fn serve(listener: &mut PgListener, pool: &AnyPool, fanout: &Weak<Fanout>, c: &mut Cursor) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => {
                let mut wants = parse(n.payload());
                // Everything already buffered goes in the same round of reads.
                while let Some(more) = listener.next_buffered() {
                    wants.extend(parse(more.payload()));
                }
                if let Err(e) = deliver(pool, fanout, c, wants).await {
                    tracing::warn!(error = %e, "event listener cannot read new events; catching up");
                    catch_up(pool, fanout, c).await;
                }
            }
            // The connection dropped and was reopened: notifications may be lost.
            Ok(None) => {
                tracing::info!("event listener reconnected; catching up by id");
                catch_up(pool, fanout, c).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "event listener lost its connection");
                return;
            }
        }
    }
}

async fn head(pool: &AnyPool) -> sqlx::Result<i64> {
    let id = sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM hall_events")
        .fetch_one(pool)
        .await;
    match id {
        Ok(id) => Ok(id.unwrap_or(0)),
        // Not migrated yet (a new database): no event exists, so everything is due.
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("42P01") => Ok(0),
        Err(e) => Err(e),
    }
}

/// Reads every hall's events after what was handed out (a lost notification, a reconnect).
async fn catch_up(pool: &AnyPool, fanout: &Weak<Fanout>, c: &mut Cursor) {
    let from = c
        .seen
        .values()
        .copied()
        .min()
        .unwrap_or(c.floor)
        .min(c.floor);
    let rows = sqlx::query(
        "SELECT hall_id, MIN(id) AS first, MAX(id) AS last FROM hall_events WHERE id > $1 GROUP BY hall_id",
    )
    .bind(from)
    .fetch_all(pool)
    .await;
    let wants = match rows {
        Ok(rows) => rows
            .iter()
            .filter_map(|r| {
                Some((
                    r.try_get("hall_id").ok()?,
                    r.try_get("first").ok()?,
                    r.try_get("last").ok()?,
                ))
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "event listener cannot catch up yet");
            return;
        }
    };
    if let Err(e) = deliver(pool, fanout, c, wants).await {
        tracing::warn!(error = %e, "event listener catch-up failed");
    }
}

/// Reads and hands out, per hall, the events after the last one delivered.
async fn deliver(
    pool: &AnyPool,
    fanout: &Weak<Fanout>,
    c: &mut Cursor,
    wants: Vec<(i64, i64, i64)>,
) -> crate::Result<()> {
    let mut halls: HashMap<i64, (i64, i64)> = HashMap::new();
    for (hall, first, last) in wants {
        let w = halls.entry(hall).or_insert((first, last));
        *w = (w.0.min(first), w.1.max(last));
    }
    for (hall, (first, last)) in halls {
        match fanout.upgrade() {
            None => return Ok(()),
            // Nobody on this node watches the hall: its screens, when they come, start from
            // the stored feed, so these events need not be read at all.
            Some(f) if !f.watched(hall) => {
                let seen = c.seen.entry(hall).or_insert(last);
                *seen = (*seen).max(last);
                continue;
            }
            Some(_) => {}
        }
        let mut after = c.after(hall, first);
        while after < last {
            let rows = sqlx::query(
                "SELECT id, hall_id, kind, payload, at FROM hall_events WHERE hall_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(hall)
            .bind(after)
            .bind(PAGE)
            .fetch_all(pool)
            .await?;
            let Some(f) = fanout.upgrade() else {
                return Ok(());
            };
            for r in &rows {
                let e = crate::sql::rows::hall_event(r)?;
                after = e.id;
                f.publish(e);
            }
            c.seen.insert(hall, after);
            if (rows.len() as i64) < PAGE {
                break;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64, hall_id: i64) -> HallEvent {
        HallEvent {
            id,
            hall_id,
            kind: "called".into(),
            payload: serde_json::json!({}),
            at: 0,
        }
    }

    #[test]
    fn a_payload_names_each_halls_first_and_last_id_and_reads_back() {
        let p = payloads(&[ev(7, 1), ev(9, 2), ev(8, 1)]);
        assert_eq!(p, ["1:7:8,2:9:9"]);
        assert_eq!(parse(&p[0]), [(1, 7, 8), (2, 9, 9)]);
        assert_eq!(
            parse("x,3:4:5,1:2"),
            [(3, 4, 5)],
            "malformed items are skipped"
        );
    }

    #[test]
    fn long_payloads_are_split_under_the_limit() {
        let events: Vec<_> = (0..2000)
            .map(|h| ev(1_000_000 + h, 1_000_000 + h))
            .collect();
        let p = payloads(&events);
        assert!(p.len() > 1 && p.iter().all(|s| s.len() < 8000));
        assert_eq!(p.iter().map(|s| parse(s).len()).sum::<usize>(), 2000);
    }

    #[test]
    fn an_unseen_hall_resumes_from_the_floor_or_its_earlier_first_id() {
        let mut c = Cursor {
            seen: HashMap::new(),
            floor: 100,
        };
        assert_eq!(c.after(1, 150), 100);
        assert_eq!(c.after(1, 90), 89);
        c.seen.insert(1, 120);
        assert_eq!(c.after(1, 150), 120);
    }
}
