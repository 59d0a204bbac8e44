//! Where a fresh ticket stands, counted in memory while a batch holds the writer.
//!
//! The exact reads (ahead.rs: the queue's depth, minus those queued behind the ticket) cost a
//! fifth of the issuer's time when run for every ticket. Within one batch nothing but the
//! batch itself changes a queue, so each queue the batch issues into is read once — its
//! depth per class and the latest `queued_since` per priority — and counted on: a new ticket
//! adds one to its class, and it has nobody behind it unless someone waits with a later
//! `queued_since` (its id is the newest, so an equal time is ahead of it). When someone
//! does — clocks of concurrent handlers are not in order — the exact reads answer instead.
//! Only the batch's first attempt uses this; with a savepoint per ticket a rolled-back
//! ticket would leave the counts wrong, so each ticket then reads the database.

use crate::Ticket;
use crate::queue::ahead::{AheadQuery, COUNTED, DEPTH_AND_BEHIND};
use crate::queue::issue::lite_conn::{one, row};
use rusqlite::{Connection, ToSql};

/// A queue's depth per class (normal, green) and the latest `queued_since` per priority
/// (normal, green; `i64::MIN` when none waits), read after the batch's first ticket in it.
pub(crate) const QUEUE_STATE: &str = "SELECT
     (SELECT COALESCE(MAX(waiting), 0) FROM queue_depth
       WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND green = 0),
     (SELECT COALESCE(MAX(waiting), 0) FROM queue_depth
       WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND green = 1),
     (SELECT MAX(queued_since) FROM tickets WHERE hall_id = $1 AND service_day = $3
       AND state = 'waiting' AND business_type_id = $2 AND priority = 'normal'),
     (SELECT MAX(queued_since) FROM tickets WHERE hall_id = $1 AND service_day = $3
       AND state = 'waiting' AND business_type_id = $2 AND priority = 'green')";

struct Queue {
    hall_id: i64,
    business_type_id: i64,
    day: String,
    /// Waiting per class: [normal, green].
    depth: [i64; 2],
    /// Latest `queued_since` among those waiting, per priority: [normal, green].
    latest: [i64; 2],
}

/// The queues one batch has issued into.
#[derive(Default)]
pub(crate) struct Queues(Vec<Queue>);

fn class(green: bool) -> usize {
    usize::from(green)
}

impl Queues {
    /// Forgets the hall's queues of days before `day`, whose waiting tickets the batch has
    /// just closed (a job from before midnight can still follow in the same batch).
    pub(crate) fn closed_before(&mut self, hall_id: i64, day: &str) {
        self.0
            .retain(|q| q.hall_id != hall_id || q.day.as_str() >= day);
    }

    /// People ahead of `t`, a ticket this batch has just inserted (its depth already counted
    /// by the table's trigger).
    pub(crate) fn ahead(
        &mut self,
        c: &Connection,
        t: &Ticket,
        green_first: bool,
    ) -> rusqlite::Result<i64> {
        let q = AheadQuery::of(t, green_first);
        let found = self.0.iter().position(|s| {
            s.hall_id == t.hall_id
                && s.business_type_id == t.business_type_id
                && s.day == t.service_day
        });
        let i = match found {
            Some(i) => {
                self.0[i].depth[class(q.green)] += 1;
                i
            }
            None => {
                let args: [&dyn ToSql; 3] = [&t.hall_id, &t.business_type_id, &t.service_day];
                let s = row(c, QUEUE_STATE, &args, |r| {
                    Ok(Queue {
                        hall_id: t.hall_id,
                        business_type_id: t.business_type_id,
                        day: t.service_day.clone(),
                        depth: [r.get(0)?, r.get(1)?],
                        latest: [
                            r.get::<_, Option<i64>>(2)?.unwrap_or(i64::MIN),
                            r.get::<_, Option<i64>>(3)?.unwrap_or(i64::MIN),
                        ],
                    })
                })?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                self.0.push(s);
                self.0.len() - 1
            }
        };
        let s = &mut self.0[i];
        let ((d1, d2), (p1, p2)) = q.classes();
        let later = |p: &str| s.latest[class(p == "green")] > q.queued_since;
        let ahead = if later(p1) || later(p2) {
            exact(c, &q)?
        } else {
            let depth = if d1 == d2 {
                s.depth[d1 as usize]
            } else {
                s.depth[0] + s.depth[1]
            };
            (depth - 1).max(0)
        };
        let own = &mut s.latest[class(q.green)];
        *own = (*own).max(q.queued_since);
        Ok(ahead)
    }
}

/// The reads of ahead.rs: depth minus those behind, or the count from the front past the cap.
pub(crate) fn exact(c: &Connection, q: &AheadQuery<'_>) -> rusqlite::Result<i64> {
    let ((d1, d2), (p1, p2)) = q.classes();
    let args: [&dyn ToSql; 9] = [
        &q.hall_id,
        &q.business_type_id,
        &q.service_day,
        &d1,
        &d2,
        &p1,
        &p2,
        &q.queued_since,
        &q.id,
    ];
    let (depth, behind): (i64, i64) =
        row(c, DEPTH_AND_BEHIND, &args, |r| Ok((r.get(0)?, r.get(1)?)))?
            .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    match AheadQuery::from_depth(depth, behind) {
        Some(n) => Ok(n),
        None => {
            let args: [&dyn ToSql; 7] = [
                &q.hall_id,
                &q.business_type_id,
                &q.service_day,
                &q.id,
                &(q.green_first as i64),
                &(q.green as i64),
                &q.queued_since,
            ];
            one(c, COUNTED, &args)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::issue::jobs::Issued;
    use crate::queue::issue::jobs::LiteJob;
    use crate::queue::issue::sqlite_issuer::run_batch;
    use crate::queue::issue::sqlite_issuer::tests::{hall_db, job};
    use servicehall_domain::Priority;

    /// Jobs in two queues, green and normal, under both policies, with issue times out of
    /// order (handlers' clocks are read before the batch) and on two days.
    fn jobs() -> Vec<LiteJob> {
        let spec: [(i64, i64, bool, bool, &str); 14] = [
            (1, 100, false, true, "20261129"),
            (1, 105, false, true, "20261129"),
            (1, 103, true, true, "20261129"),
            (1, 103, false, true, "20261129"),
            (2, 104, false, true, "20261129"),
            (1, 110, false, true, "20261129"),
            (1, 90, false, true, "20261129"),
            (1, 90, true, true, "20261129"),
            (2, 101, true, true, "20261129"),
            (1, 120, false, false, "20261129"),
            (1, 95, true, false, "20261129"),
            (1, 95, false, false, "20261129"),
            (1, 130, false, true, "20261130"),
            (1, 80, false, true, "20261130"),
        ];
        spec.iter()
            .enumerate()
            .map(|(i, &(bt, now, green, green_first, day))| {
                let mut j = job(&format!("q{i}"), now);
                j.business_type_id = bt;
                j.req.business_type_id = bt;
                j.prefix = if bt == 1 { "A" } else { "B" }.into();
                j.req.priority = if green {
                    Priority::Green
                } else {
                    Priority::Normal
                };
                j.green_first = green_first;
                j.day = day.into();
                j
            })
            .collect()
    }

    fn db() -> Connection {
        let c = hall_db();
        c.execute_batch(
            "INSERT INTO business_types (id, hall_id, code, name_zh, name_en, prefix, target_wait_s, target_handling_s) VALUES (2, 1, 'b', 'b', 'b', 'B', 600, 300);
             INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority, channel, state, queued_since, issued_at, updated_at)
                 VALUES (1, 1, '20261129', 'Z', 1, 'Z001', 'old', 'normal', 'kiosk', 'waiting', 102, 102, 102);",
        )
        .unwrap();
        c
    }

    fn ahead_of(r: &crate::Result<crate::queue::issue::jobs::LiteIssued>) -> i64 {
        let r = r.as_ref().ok().unwrap();
        assert!(matches!(r.issued, Issued::New(..)));
        r.placement.as_ref().unwrap().ahead
    }

    /// People ahead of each job as the exact reads give it when each is issued alone, and as
    /// one batch counting in memory gives it; `close` says whether the batches close stale days.
    fn both_ways(jobs: fn() -> Vec<LiteJob>, close: bool) -> (Vec<i64>, Vec<i64>) {
        let closed = |_: i64, _: &str| !close;
        let mut exact_db = db();
        let mut expected = Vec::new();
        for j in jobs() {
            let green_first = j.green_first;
            let done = run_batch(&mut exact_db, &mut vec![j], &mut || None, &closed).unwrap();
            let r = done.results[0].as_ref().ok().unwrap();
            let Issued::New(t, _) = &r.issued else {
                panic!("not issued")
            };
            expected.push(exact(&exact_db, &AheadQuery::of(t, green_first)).unwrap());
        }
        let mut batch_db = db();
        let mut all = jobs();
        let done = run_batch(&mut batch_db, &mut all, &mut || None, &closed).unwrap();
        (done.results.iter().map(ahead_of).collect(), expected)
    }

    /// One batch counting in memory gives every ticket the same people ahead as the exact
    /// reads give it when it is issued alone.
    #[test]
    fn counted_in_memory_equals_the_exact_reads() {
        let (got, expected) = both_ways(jobs, false);
        assert_eq!(got, expected);
        // The figures are not trivial: someone stood ahead, and out-of-order times mattered.
        assert!(expected.iter().any(|&n| n >= 3), "{expected:?}");
    }

    /// A batch that closes yesterday (a job of today) and then takes a late job of yesterday
    /// counts that queue afresh: the tickets it counted before were closed meanwhile.
    #[test]
    fn a_day_closed_within_the_batch_is_counted_afresh() {
        fn jobs() -> Vec<LiteJob> {
            ["20261129", "20261129", "20261130", "20261129"]
                .iter()
                .enumerate()
                .map(|(i, day)| {
                    let mut j = job(&format!("m{i}"), 100 + i as i64);
                    j.day = (*day).into();
                    j
                })
                .collect()
        }
        let (got, expected) = both_ways(jobs, true);
        assert_eq!(expected, [0, 1, 0, 0]);
        assert_eq!(got, expected);
    }
}
