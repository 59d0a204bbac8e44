//! "How many are ahead of me" without counting the whole queue.
//!
//! A queue's depth is kept per class (green or not) by triggers (migration 0009), so the
//! people ahead of a ticket are the depth of the classes ranked with it, minus itself, minus
//! those of its own rank queued behind it. A fresh ticket — the slip, the hot path — has
//! almost no one behind it, so this reads a handful of index entries where a COUNT of the
//! queue read all of them. A ticket deep in a long queue has many behind it: past
//! [`BEHIND_CAP`] the count is taken from the front instead, which is then the shorter side.
//! The order is domain::policy::ahead_of's: (green first?, queued_since, id).

use crate::Result;
use crate::queue::issue::statements::{OPEN_DUTIES, WAITING_BY_TYPE};
use crate::{Duty, Placement, Ticket};
use servicehall_domain::Priority;
use sqlx::Row;

/// Most tickets read behind a ticket before counting from the front instead. Written into
/// [`DEPTH_AND_BEHIND`] as a literal: SQLite re-prepares a statement at every run when its
/// LIMIT is a bound parameter, and on the issuer's hot path that was a third of its time.
pub(crate) const BEHIND_CAP: i64 = 256;
const _: () = assert!(
    BEHIND_CAP == 256,
    "update the LIMIT in DEPTH_AND_BEHIND too"
);

/// Depth of the classes ranked with the ticket and the (capped) count queued behind it, in
/// one statement so both come from one snapshot. Binds: see [`AheadQuery::binds`]. The tail
/// is counted per priority with `queued_since >= $8` so that each count is one index range
/// from the ticket onwards (an `IN` on priority, or an `OR` on the order, made PostgreSQL
/// read every waiting ticket of the type: 3.5 ms at 8,000 waiting against 0.14 ms).
pub(crate) const DEPTH_AND_BEHIND: &str =
    "SELECT (SELECT CAST(COALESCE(SUM(waiting), 0) AS BIGINT) FROM queue_depth
          WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3
            AND green IN ($4, $5)) AS depth,
        (SELECT COUNT(*) FROM (SELECT 1 FROM tickets
          WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3
            AND state = 'waiting' AND priority = $6
            AND queued_since >= $8 AND (queued_since > $8 OR id > $9)
          LIMIT 256) tail)
        + (SELECT COUNT(*) FROM (SELECT 1 FROM tickets
          WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3
            AND state = 'waiting' AND priority = $7 AND $7 <> $6
            AND queued_since >= $8 AND (queued_since > $8 OR id > $9)
          LIMIT 256) tail) AS behind";

/// The plain count from the front: exact, but it reads every ticket ahead.
pub(crate) const COUNTED: &str = "SELECT COUNT(*) FROM tickets
     WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND state = 'waiting' AND id <> $4
       AND (($5 = 1 AND $6 = 0 AND priority = 'green')
            OR (($5 = 0 OR (priority = 'green') = ($6 = 1))
                AND (queued_since < $7 OR (queued_since = $7 AND id < $4))))";

/// The parameters of both queries for one ticket.
pub(crate) struct AheadQuery<'a> {
    pub hall_id: i64,
    pub business_type_id: i64,
    pub service_day: &'a str,
    pub green: bool,
    pub queued_since: i64,
    pub id: i64,
    pub green_first: bool,
}

impl<'a> AheadQuery<'a> {
    pub fn of(t: &'a Ticket, green_first: bool) -> Self {
        Self {
            hall_id: t.hall_id,
            business_type_id: t.business_type_id,
            service_day: &t.service_day,
            green: t.priority == Priority::Green,
            queued_since: t.queued_since,
            id: t.id,
            green_first,
        }
    }

    /// (depth classes, tail priorities): which classes rank with the ticket, and which
    /// hold those that can be queued behind it.
    pub fn classes(&self) -> ((i64, i64), (&'static str, &'static str)) {
        match (self.green_first, self.green) {
            (true, true) => ((1, 1), ("green", "green")),
            (true, false) => ((0, 1), ("normal", "normal")),
            (false, _) => ((0, 1), ("normal", "green")),
        }
    }

    /// People ahead from the depth and the tail; `None` when the tail hit the cap.
    pub fn from_depth(depth: i64, behind: i64) -> Option<i64> {
        // Never below zero, even for a ticket called a moment ago.
        (behind < BEHIND_CAP).then_some((depth - 1 - behind).max(0))
    }
}

/// Where a waiting ticket stands, read on `c`: a pooled connection, or the issuing
/// transaction (so the estimate kept with a new ticket sees the queue it joined).
pub(crate) async fn placement_on(
    c: &mut sqlx::AnyConnection,
    t: &Ticket,
    green_first: bool,
) -> Result<Placement> {
    let ahead = waiting_ahead_on(c, t, green_first).await?;
    let duties: Vec<(i64, i64, i64)> = sqlx::query_as(OPEN_DUTIES)
        .bind(t.hall_id)
        .fetch_all(&mut *c)
        .await?;
    let ((d1, d2), _) = AheadQuery::of(t, green_first).classes();
    let waiting: Vec<(i64, i64)> = sqlx::query_as(WAITING_BY_TYPE)
        .bind(t.hall_id)
        .bind(&t.service_day)
        .bind(d1)
        .bind(d2)
        .fetch_all(&mut *c)
        .await?;
    Ok(placed(t, ahead, duties_of(&duties), waiting))
}

/// Duties from [`OPEN_DUTIES`] rows.
pub(crate) fn duties_of(rows: &[(i64, i64, i64)]) -> Vec<Duty> {
    rows.iter()
        .map(|&(counter_id, business_type_id, primary)| Duty {
            counter_id,
            business_type_id,
            primary: primary != 0,
        })
        .collect()
}

/// A placement from its parts, with the open counters serving the ticket's type counted.
pub(crate) fn placed(
    t: &Ticket,
    ahead: i64,
    duties: Vec<Duty>,
    waiting: Vec<(i64, i64)>,
) -> Placement {
    let own = servicehall_domain::queue::estimate::capacity_of(t.business_type_id, &duties);
    Placement {
        ahead,
        open_counters: i64::from(own.primary + own.secondary),
        open_primary: i64::from(own.primary),
        duties,
        waiting,
    }
}

pub(crate) async fn waiting_ahead_on(
    c: &mut sqlx::AnyConnection,
    t: &Ticket,
    green_first: bool,
) -> Result<i64> {
    let q = AheadQuery::of(t, green_first);
    let ((d1, d2), (p1, p2)) = q.classes();
    let row = sqlx::query(DEPTH_AND_BEHIND)
        .bind(q.hall_id)
        .bind(q.business_type_id)
        .bind(q.service_day)
        .bind(d1)
        .bind(d2)
        .bind(p1)
        .bind(p2)
        .bind(q.queued_since)
        .bind(q.id)
        .fetch_one(&mut *c)
        .await?;
    match AheadQuery::from_depth(row.try_get("depth")?, row.try_get("behind")?) {
        Some(n) => Ok(n),
        None => Ok(sqlx::query_scalar(COUNTED)
            .bind(q.hall_id)
            .bind(q.business_type_id)
            .bind(q.service_day)
            .bind(q.id)
            .bind(q.green_first as i64)
            .bind(q.green as i64)
            .bind(q.queued_since)
            .fetch_one(&mut *c)
            .await?),
    }
}

/// [`waiting_ahead_on`] on a connection of the pool.
pub(crate) async fn waiting_ahead_fast(
    pool: &sqlx::AnyPool,
    t: &Ticket,
    green_first: bool,
) -> Result<i64> {
    let mut c = pool.acquire().await?;
    waiting_ahead_on(&mut c, t, green_first).await
}

/// Where a waiting ticket stands: people ahead and the open counters serving its type.
pub(crate) async fn placement_of(
    pool: &sqlx::AnyPool,
    t: &Ticket,
    green_first: bool,
) -> Result<Placement> {
    let mut c = pool.acquire().await?;
    placement_on(&mut c, t, green_first).await
}
