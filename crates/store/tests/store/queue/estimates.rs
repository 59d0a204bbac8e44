//! The wait estimate kept with each new ticket, and its pairing with the first call.

use crate::fixture::*;
use servicehall_store::*;

/// An issue with every type's visits taking `handling_ms`.
fn with_handling(f: &Fixture, bt: usize, code: &str, handling_ms: Option<i64>) -> IssueTicket {
    IssueTicket {
        handling_ms: handling_ms.map(|h| f.bt.iter().map(|b| (b.id, h)).collect()),
        ..issue_req(f, bt, code)
    }
}

/// Each new ticket keeps the estimate its slip shows (the work ahead of it, other types'
/// included, over the open counters, 兼办 at half), in the issuing transaction; the pairs come back with each
/// ticket's first call (a recall does not move it), never-called tickets without one, a
/// ticket issued without a handling time not at all, and only for the days asked.
pub async fn estimates_are_kept_at_issue_and_paired_with_the_first_call(s: SqlStore) {
    let f = fixture(&s).await;
    let five = Some(300_000);
    let mut issued = Vec::new();
    // payment: counters 1 and 3 (主办) → capacity 2; inquiry: counter 1 only as 兼办 → ½.
    for (i, (bt, handling)) in [
        (0, five),
        (0, five),
        (0, five),
        (2, five),
        (2, five),
        (0, None),
    ]
    .into_iter()
    .enumerate()
    {
        let t = s
            .issue_ticket_placed(
                &with_handling(&f, bt, &format!("e{i}"), handling),
                T0 + i as i64 * 1000,
            )
            .await
            .unwrap();
        issued.push(t);
    }
    let est: Vec<Option<i64>> = issued.iter().map(|i| i.estimated_wait_s).collect();
    // The inquiries wait behind counter 1's share of the 3 payments (1.5 × 300 s, 主办
    // first), the second also behind 1 inquiry at half a counter (600 s).
    assert_eq!(
        est,
        [Some(0), Some(150), Some(300), Some(450), Some(1050), None]
    );
    let id = |i: usize| issued[i].ticket.id;

    let first = s
        .call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + 2 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, id(0));
    s.act_on_ticket(id(0), &TicketCommand::Recall, op(&f, 0), T0 + 3 * MIN)
        .await
        .unwrap();
    let second = s
        .call_next(f.counters[2].id, Some(f.clerks[2].id), T0 + 5 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.id, id(1));
    // A repeat of an idempotency key is not a new estimate.
    let again = s
        .issue_ticket_placed(
            &IssueTicket {
                idempotency_key: Some("k".into()),
                ..with_handling(&f, 0, "k1", five)
            },
            T0 + 6 * MIN,
        )
        .await
        .unwrap();
    let retried = s
        .issue_ticket_placed(
            &IssueTicket {
                idempotency_key: Some("k".into()),
                ..with_handling(&f, 0, "k2", five)
            },
            T0 + 6 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(retried.ticket.id, again.ticket.id);
    assert_eq!(retried.estimated_wait_s, None);
    assert!(again.estimated_wait_s.is_some());

    let day = issued[0].ticket.service_day.clone();
    let tomorrow = s
        .issue_ticket_placed(&with_handling(&f, 1, "next", five), T0 + 24 * 60 * MIN)
        .await
        .unwrap();
    let next_day = tomorrow.ticket.service_day.clone();
    assert!(next_day > day);

    let got = s.ticket_estimates(f.hall.id, &day, &day).await.unwrap();
    let pairs: Vec<(i64, i64, Option<i64>)> = got
        .iter()
        .map(|e| (e.ticket_id, e.estimated_wait_s, e.called_at))
        .collect();
    assert_eq!(
        pairs,
        [
            (id(0), 0, Some(T0 + 2 * MIN)),
            (id(1), 150, Some(T0 + 5 * MIN)),
            (id(2), 300, None),
            (id(3), 450, None),
            (id(4), 1050, None),
            (again.ticket.id, again.estimated_wait_s.unwrap(), None),
        ]
    );
    assert_eq!(got[1].issued_at, T0 + 1000);
    assert_eq!(got[3].business_type_id, f.bt[2].id);
    assert!(got.iter().all(|e| e.service_day == day));
    let both = s
        .ticket_estimates(f.hall.id, &day, &next_day)
        .await
        .unwrap();
    assert_eq!(both.len(), 7);
    assert_eq!(both[6].ticket_id, tomorrow.ticket.id);
    assert!(
        s.ticket_estimates(f.hall.id + 1000, &day, &next_day)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The day's handling times summed by the database agree with the domain's rule applied to
/// every ticket's log: a plain visit, one held and resumed, one on hold now (its spell so
/// far counts), one being served now (left out), one transferred while served, a no-show,
/// and yesterday's visit (another day).
pub async fn day_handling_matches_the_domain_rule_per_ticket(s: SqlStore) {
    use servicehall_domain::catalogue::VisitOutcome;
    use servicehall_domain::queue::estimate::HandlingSample;
    use servicehall_domain::queue::stats::{LogEntry, ticket_times};
    use std::collections::HashMap;
    let f = fixture(&s).await;
    let c2 = f.counters[1].id;
    let by = op(&f, 1);
    let finish = TicketCommand::Finish {
        read_back: None,
        outcome: VisitOutcome::Completed,
    };
    let mut at = T0 - 24 * 60 * MIN;
    // Yesterday: served and finished, not today's.
    let y = s.issue_ticket(&issue_req(&f, 1, "hy"), at).await.unwrap();
    s.call_next(c2, None, at + MIN).await.unwrap();
    s.act_on_ticket(y.id, &TicketCommand::Start, by, at + 2 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(y.id, &finish, by, at + 9 * MIN)
        .await
        .unwrap();
    at = T0;
    let steps: [&[TicketCommand]; 5] = [
        &[TicketCommand::Start, finish.clone()],
        &[
            TicketCommand::Start,
            TicketCommand::Hold {
                reason: "取资料".into(),
            },
            TicketCommand::Resume,
            finish.clone(),
        ],
        &[TicketCommand::NoShow],
        &[
            TicketCommand::Start,
            TicketCommand::Transfer {
                business_type_id: f.bt[2].id,
                counter_id: None,
                reason: "转咨询".into(),
            },
        ],
        &[
            TicketCommand::Start,
            TicketCommand::Hold {
                reason: "等候复印".into(),
            },
        ],
    ];
    for (i, cmds) in steps.iter().enumerate() {
        let t = s
            .issue_ticket(&issue_req(&f, 1, &format!("hd{i}")), at)
            .await
            .unwrap();
        at += MIN;
        let called = s.call_next(c2, None, at).await.unwrap().unwrap();
        assert_eq!(called.id, t.id);
        for (k, cmd) in cmds.iter().enumerate() {
            at += (k as i64 + 2) * MIN + 7_000 * i as i64;
            s.act_on_ticket(t.id, cmd, by, at).await.unwrap();
        }
    }
    // The visit on hold keeps counter 2; the one being served now is at counter 3.
    let t = s.issue_ticket(&issue_req(&f, 1, "hd5"), at).await.unwrap();
    at += MIN;
    let c3 = f.counters[2].id;
    let called = s.call_next(c3, None, at).await.unwrap().unwrap();
    assert_eq!(called.id, t.id);
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 2), at + MIN)
        .await
        .unwrap();

    let day = t.service_day.clone();
    let mut expected: HashMap<i64, HandlingSample> = HashMap::new();
    for tl in s.day_tickets(f.hall.id, &day).await.unwrap() {
        let log: Vec<LogEntry> = tl
            .log
            .iter()
            .map(|e| LogEntry {
                state: e.state,
                at_ms: e.at,
            })
            .collect();
        if let Some(h) = ticket_times(&log).handling_ms {
            expected
                .entry(tl.ticket.business_type_id)
                .or_default()
                .add(h);
        }
    }
    let read = s.day_handling(f.hall.id, &day, None).await.unwrap();
    let sum = |rows: &[&TicketHandling]| {
        let mut m: HashMap<i64, HandlingSample> = HashMap::new();
        for t in rows {
            m.entry(t.business_type_id).or_default().add(t.handling_ms);
        }
        m
    };
    let all: Vec<&TicketHandling> = read.closed.iter().chain(&read.held).collect();
    assert_eq!(sum(&all), expected);
    assert_eq!(read.held.len(), 1, "the visit on hold");
    let new_connection = sum(&all)[&f.bt[1].id];
    assert_eq!(
        new_connection.visits, 4,
        "finished ×2, transferred, on hold; not serving, not no-show"
    );
    assert!(new_connection.total_ms > 0);

    // Later reads ask only for what closed after the mark: the held visit and the one
    // being served, both finished now.
    let held = read.held[0].ticket_id;
    at += MIN;
    s.act_on_ticket(held, &TicketCommand::Resume, by, at)
        .await
        .unwrap();
    s.act_on_ticket(held, &finish, by, at + 3 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(t.id, &finish, op(&f, 2), at + 4 * MIN)
        .await
        .unwrap();
    let later = s
        .day_handling(f.hall.id, &day, Some(read.event_watermark))
        .await
        .unwrap();
    let mut since: Vec<i64> = later.closed.iter().map(|t| t.ticket_id).collect();
    since.sort_unstable();
    let mut want = vec![held, t.id];
    want.sort_unstable();
    assert_eq!(since, want, "only the tickets closed after the mark");
    assert!(later.held.is_empty());
    assert!(later.event_watermark > read.event_watermark);
}
