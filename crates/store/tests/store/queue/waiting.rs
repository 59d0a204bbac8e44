//! Waiting: yesterday's tickets closing, the count of tickets ahead and the queue depth.

use crate::fixture::*;
use servicehall_domain::{CallingPolicy, Priority, TicketState};
use servicehall_store::*;

pub async fn yesterdays_waiting_tickets_close_when_the_day_turns(s: SqlStore) {
    let f = fixture(&s).await;
    let old = s.issue_ticket(&issue_req(&f, 1, "y1"), T0).await.unwrap();
    let tomorrow = T0 + 24 * 60 * MIN;
    let new = s
        .issue_ticket(&issue_req(&f, 1, "t1"), tomorrow)
        .await
        .unwrap();
    assert_eq!(new.number, "B001");
    let closed = s.ticket(old.id).await.unwrap();
    assert_eq!(
        closed.state,
        TicketState::NoShow,
        "yesterday's ticket no longer waits"
    );
    let log = s.ticket_log(old.id).await.unwrap();
    assert_eq!(
        log.last().map(|e| e.action.as_str()),
        Some("expire"),
        "the expiry is logged"
    );
    let waiting: Vec<i64> = s
        .waiting(f.hall.id)
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(waiting, [new.id]);
    let stale: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM queue_depth WHERE hall_id = $1 AND service_day < $2",
    )
    .bind(f.hall.id)
    .bind(new.service_day.as_str())
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(stale, 0, "a closed day's emptied queues are pruned");
    let next = s
        .call_next(f.counters[1].id, None, tomorrow + MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, new.id, "only today's B001 is called");
}

/// The database's count of tickets ahead agrees with the domain's rule on a mixed queue.
pub async fn waiting_ahead_matches_the_domain_rule(s: SqlStore) {
    use servicehall_domain::queue::policy::{WaitingTicket, ahead_of};
    let f = fixture(&s).await;
    let mut tickets = Vec::new();
    for i in 0..24_i64 {
        let mut r = issue_req(&f, (i % 2) as usize, &format!("wa{i}"));
        if i % 5 == 3 {
            r.priority = Priority::Green;
            r.green_reason = "老年人".into();
        }
        // equal issue times on purpose: the id breaks ties
        tickets.push(s.issue_ticket(&r, T0 + (i / 3) * MIN).await.unwrap());
    }
    let waiting: Vec<WaitingTicket> = tickets
        .iter()
        .map(|t| WaitingTicket {
            id: t.id,
            business_type_id: t.business_type_id,
            green: t.priority == Priority::Green,
            queued_since_ms: t.queued_since,
            target_counter_id: None,
            booked: false,
        })
        .collect();
    for green_first in [true, false] {
        let policy = CallingPolicy {
            green_first,
            ..Default::default()
        };
        for (t, w) in tickets.iter().zip(&waiting) {
            let expected = ahead_of(&policy, w, &waiting) as i64;
            assert_eq!(
                s.waiting_ahead(t, green_first).await.unwrap(),
                expected,
                "{} green_first={green_first}",
                t.number
            );
        }
    }
}

/// Checks the trigger-kept queue depth against a count of the waiting tickets, and the
/// people ahead of a sample of them against the domain rule, under both green settings.
async fn depth_and_ahead_agree(s: &SqlStore, f: &Fixture, what: &str) {
    use servicehall_domain::queue::policy::{WaitingTicket, ahead_of};
    use sqlx::Row;
    let waiting_now = s.waiting(f.hall.id).await.unwrap();
    let mut counted = std::collections::BTreeMap::new();
    for t in &waiting_now {
        let key = (
            t.business_type_id,
            t.service_day.clone(),
            (t.priority == Priority::Green) as i64,
        );
        *counted.entry(key).or_insert(0_i64) += 1;
    }
    let rows = sqlx::query(
        "SELECT business_type_id, service_day, green, waiting FROM queue_depth WHERE hall_id = $1 AND waiting <> 0",
    )
    .bind(f.hall.id)
    .fetch_all(s.pool())
    .await
    .unwrap();
    let kept: std::collections::BTreeMap<_, _> = rows
        .iter()
        .map(|r| {
            (
                (
                    r.get::<i64, _>("business_type_id"),
                    r.get::<String, _>("service_day"),
                    r.get::<i64, _>("green"),
                ),
                r.get::<i64, _>("waiting"),
            )
        })
        .collect();
    assert_eq!(kept, counted, "queue depth after {what}");
    let ranked: Vec<WaitingTicket> = waiting_now
        .iter()
        .map(|t| WaitingTicket {
            id: t.id,
            business_type_id: t.business_type_id,
            green: t.priority == Priority::Green,
            queued_since_ms: t.queued_since,
            target_counter_id: None,
            booked: false,
        })
        .collect();
    for green_first in [true, false] {
        let policy = CallingPolicy {
            green_first,
            ..Default::default()
        };
        let last = waiting_now.len().saturating_sub(1);
        for (i, (t, w)) in waiting_now.iter().zip(&ranked).enumerate() {
            if i % 11 != 0 && i + 3 < last {
                continue; // a sample across the queue, and its whole tail
            }
            let same_day: Vec<WaitingTicket> = waiting_now
                .iter()
                .zip(&ranked)
                .filter(|(o, _)| o.service_day == t.service_day)
                .map(|(_, w)| w.clone())
                .collect();
            assert_eq!(
                s.waiting_ahead(t, green_first).await.unwrap(),
                ahead_of(&policy, w, &same_day) as i64,
                "{} after {what}, green_first={green_first}",
                t.number
            );
        }
    }
}

/// The queue depth follows issue, call, no-show, transfer and day turnover; people ahead are
/// right on a queue longer than the tail the fast count reads (both of its paths).
pub async fn queue_depth_follows_every_change(s: SqlStore) {
    let f = fixture(&s).await;
    for i in 0..600_i64 {
        let mut r = issue_req(&f, if i % 40 == 0 { 1 } else { 0 }, &format!("qd{i}"));
        if i % 7 == 3 {
            r.priority = Priority::Green;
            r.green_reason = "孕妇".into();
        }
        // pairs share an instant: the id breaks the tie
        let issued = s
            .issue_ticket_placed(&r, T0 + (i / 2) * 1000)
            .await
            .unwrap();
        // The log handed back is the log written.
        assert_eq!(issued.log, s.ticket_log(issued.ticket.id).await.unwrap());
        let (t, placed) = (issued.ticket, issued.placement);
        // The slip's figure, read while issuing, is the queue's own answer.
        let placed = placed.expect("a new ticket waits");
        assert_eq!(
            placed.ahead,
            s.waiting_ahead(&t, f.hall.policy.green_first)
                .await
                .unwrap(),
            "{}",
            t.number
        );
        assert_eq!(
            (placed.open_counters, placed.open_primary),
            (2, 2),
            "counters 1 and 3 serve payment, 2 and 3 new connections, all as 主办"
        );
    }
    // Inquiries are served at counter 1 only (secondary); paused, it serves none.
    let issued = s
        .issue_ticket_placed(&issue_req(&f, 2, "qd-q"), T0 + MIN)
        .await
        .unwrap();
    let (q, placed) = (issued.ticket, issued.placement);
    assert_eq!(
        placed
            .as_ref()
            .map(|p| (p.ahead, p.open_counters, p.open_primary)),
        Some((0, 1, 0)),
        "counter 1 serves inquiries as 兼办"
    );
    assert_eq!(
        s.placement(&q, f.hall.policy.green_first).await.unwrap(),
        placed.unwrap(),
        "read outside the issue, the same figures"
    );
    s.pause_counter(f.counters[0].id, "休息", T0 + MIN)
        .await
        .unwrap();
    let green_first = f.hall.policy.green_first;
    assert_eq!(s.placement(&q, green_first).await.unwrap().open_counters, 0);
    s.open_counter(f.counters[0].id, f.clerks[0].id, T0 + MIN)
        .await
        .unwrap();
    depth_and_ahead_agree(&s, &f, "600 issues").await;
    let c1 = f.counters[0].id;
    let called = s.call_next(c1, None, T0 + 10 * MIN).await.unwrap().unwrap();
    s.act_on_ticket(called.id, &TicketCommand::NoShow, op(&f, 0), T0 + 11 * MIN)
        .await
        .unwrap();
    let moved = s.call_next(c1, None, T0 + 12 * MIN).await.unwrap().unwrap();
    s.act_on_ticket(moved.id, &TicketCommand::Start, op(&f, 0), T0 + 13 * MIN)
        .await
        .unwrap();
    let cmd = TicketCommand::Transfer {
        business_type_id: f.bt[1].id,
        counter_id: None,
        reason: "需办理新装".into(),
    };
    s.act_on_ticket(moved.id, &cmd, op(&f, 0), T0 + 14 * MIN)
        .await
        .unwrap();
    s.call_next(f.counters[2].id, None, T0 + 15 * MIN)
        .await
        .unwrap()
        .unwrap();
    depth_and_ahead_agree(&s, &f, "call, no-show and transfer").await;
    // The next day's first ticket closes yesterday's queue.
    s.issue_ticket(&issue_req(&f, 0, "qd-next"), T0 + 24 * 60 * MIN)
        .await
        .unwrap();
    depth_and_ahead_agree(&s, &f, "day turnover").await;
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 1);
}

/// call-next reads only a few candidates by index (the oldest per business type and
/// priority, and the tickets sent to the counter by name); on a mixed queue — three types,
/// green tickets, tickets transferred to a named counter, some past their target wait —
/// every call picks what ranking the whole waiting queue would pick.
pub async fn call_next_calls_what_ranking_the_whole_queue_would(s: SqlStore) {
    use servicehall_domain::queue::policy::{CounterCapability, WaitingTicket, rank_for_counter};
    use std::collections::HashMap;
    let f = fixture(&s).await;
    let mut seed: u64 = 7;
    let mut roll = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for i in 0..60_i64 {
        let mut r = issue_req(&f, roll(3) as usize, &format!("rk{i}"));
        if roll(6) == 0 {
            r.priority = Priority::Green;
            r.green_reason = "老年人".into();
        }
        s.issue_ticket(&r, T0 + i * MIN / 2).await.unwrap();
    }
    // Counter 2 sends two of its tickets to counter 3 by name.
    let (c2, c3) = (f.counters[1].id, f.counters[2].id);
    for k in 0..2 {
        let at = T0 + (31 + k) * MIN;
        let t = s.call_next(c2, None, at).await.unwrap().unwrap();
        s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 1), at)
            .await
            .unwrap();
        let to = TicketCommand::Transfer {
            business_type_id: f.bt[0].id,
            counter_id: Some(c3),
            reason: "转至3号窗口".into(),
        };
        s.act_on_ticket(t.id, &to, op(&f, 1), at + MIN / 2)
            .await
            .unwrap();
    }
    let targets: HashMap<i64, i64> =
        f.bt.iter()
            .map(|b| (b.id, b.target_wait_s * 1000))
            .collect();
    let mut called = 0;
    for k in 0..40_i64 {
        let i = [0, 2, 1][(k % 3) as usize];
        let c = &f.counters[i];
        let cap = CounterCapability {
            counter_id: c.id,
            primary: c.primary.clone(),
            secondary: c.secondary.clone(),
        };
        let now = T0 + 34 * MIN + k * MIN;
        let waiting: Vec<WaitingTicket> = s
            .waiting(f.hall.id)
            .await
            .unwrap()
            .iter()
            .map(|t| WaitingTicket {
                id: t.id,
                business_type_id: t.business_type_id,
                green: t.priority == Priority::Green,
                queued_since_ms: t.queued_since,
                target_counter_id: t.target_counter_id,
                booked: false,
            })
            .collect();
        let expected = rank_for_counter(&f.hall.policy, &cap, &waiting, &targets, now)
            .first()
            .map(|t| t.id);
        let got = s.call_next(c.id, None, now).await.unwrap().map(|t| t.id);
        assert_eq!(got, expected, "call {k} at counter {}", c.number);
        if let Some(id) = got {
            called += 1;
            s.act_on_ticket(id, &TicketCommand::NoShow, op(&f, i), now + 1)
                .await
                .unwrap();
        }
    }
    assert!(called >= 30, "the queue was worked down ({called} calls)");
}
