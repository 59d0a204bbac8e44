//! The queue: numbering, issuing under concurrency, idempotency, calling, the ticket's life,
//! transfers and ratings.

use crate::fixture::*;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::{Priority, TicketState};
use servicehall_store::*;
use std::collections::HashSet;

mod customer;
mod estimates;
mod handling_sums;
mod issue_nodes;
mod waiting;

on_both!(
    numbers_are_sequential_per_prefix_and_restart_daily,
    concurrent_issues_never_repeat_or_skip,
    idempotency_key_returns_the_same_ticket,
    kiosk_repeat_taps_get_the_same_ticket,
    calling_follows_the_policy,
    ten_counters_calling_at_once_never_share_a_ticket,
    lifecycle_is_logged_and_guarded,
    recall_limit_turns_into_no_show,
    transfer_keeps_number_and_place,
    ratings_only_for_finished_tickets_once,
);

on_both!(in estimates:
    estimates_are_kept_at_issue_and_paired_with_the_first_call,
    day_handling_matches_the_domain_rule_per_ticket,
);

on_both!(in handling_sums:
    kept_handling_sums_equal_the_full_read,
);

on_both!(in customer:
    customers_leave_and_say_they_are_on_their_way,
    the_notice_threshold_changes_with_an_audit_row,
);

on_both!(in waiting:
    yesterdays_waiting_tickets_close_when_the_day_turns,
    waiting_ahead_matches_the_domain_rule,
    queue_depth_follows_every_change,
    call_next_calls_what_ranking_the_whole_queue_would,
);

pub async fn numbers_are_sequential_per_prefix_and_restart_daily(s: SqlStore) {
    let f = fixture(&s).await;
    let mut got = Vec::new();
    for (i, bt) in [0, 0, 1, 0].into_iter().enumerate() {
        got.push(
            s.issue_ticket(&issue_req(&f, bt, &format!("c{i}")), T0 + i as i64)
                .await
                .unwrap()
                .number,
        );
    }
    assert_eq!(got, ["A001", "A002", "B001", "A003"]);
    let tomorrow = T0 + 24 * 60 * MIN;
    let t = s
        .issue_ticket(&issue_req(&f, 0, "next-day"), tomorrow)
        .await
        .unwrap();
    assert_eq!(t.number, "A001");
    assert_ne!(
        t.service_day,
        s.ticket_by_code("c0").await.unwrap().service_day
    );
}

pub async fn concurrent_issues_never_repeat_or_skip(s: SqlStore) {
    let f = std::sync::Arc::new(fixture(&s).await);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (s, f) = (s.clone(), f.clone());
        tasks.push(tokio::spawn(async move {
            s.issue_ticket(&issue_req(&f, 0, &format!("k{i}")), T0 + i)
                .await
                .unwrap()
                .number
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=100).map(|n| format!("A{n:03}")).collect();
    assert_eq!(numbers, expected);
    // Issued together (PostgreSQL writes them as one batch), each still has exactly its own
    // first log row, and a proxy ticket's says so.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (s, f) = (s.clone(), f.clone());
        tasks.push(tokio::spawn(async move {
            let req = IssueTicket {
                proxy: i % 2 == 0,
                ..issue_req(&f, 1, &format!("p{i}"))
            };
            s.issue_ticket(&req, T0 + 200 + i).await.unwrap()
        }));
    }
    for t in tasks {
        let t = t.await.unwrap();
        let log = s.ticket_log(t.id).await.unwrap();
        assert_eq!(log.len(), 1, "{}: {log:?}", t.number);
        assert_eq!(
            (log[0].action.as_str(), log[0].state),
            ("issue", TicketState::Waiting)
        );
        assert_eq!(log[0].at, t.issued_at);
        let note = if t.proxy {
            "业务代办 proxy handling"
        } else {
            ""
        };
        assert_eq!(log[0].note, note, "{}", t.number);
    }
}

pub async fn idempotency_key_returns_the_same_ticket(s: SqlStore) {
    let f = std::sync::Arc::new(fixture(&s).await);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (s, f) = (s.clone(), f.clone());
        tasks.push(tokio::spawn(async move {
            let mut r = issue_req(&f, 1, &format!("idem{i}"));
            r.idempotency_key = Some("kiosk-1-req-42".into());
            s.issue_ticket(&r, T0).await
        }));
    }
    let mut ids = HashSet::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(t) => {
                ids.insert(t.id);
            }
            Err(StoreError::Conflict(m)) => assert!(m.contains("retry"), "{m}"),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(ids.len(), 1, "one ticket for one key");
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 1);
    let again = s
        .issue_ticket(&issue_req(&f, 1, "other"), T0)
        .await
        .unwrap();
    assert_eq!(
        again.number, "B002",
        "a request without the key is a new ticket"
    );
}

/// A tap on kiosk `device` for business type `bt` at `now`.
fn tap(f: &Fixture, device: i64, bt: usize, code: &str, another: bool) -> IssueTicket {
    let mut r = issue_req(f, bt, code);
    r.channel = "kiosk".into();
    r.kiosk = Some(KioskTap {
        device_id: device,
        window_ms: 8_000,
        another,
    });
    r
}

/// Repeat taps on one kiosk and business within the window get the same ticket, even all
/// at once; another kiosk, another business, "another" and a tap after the window do not.
pub async fn kiosk_repeat_taps_get_the_same_ticket(s: SqlStore) {
    let f = std::sync::Arc::new(fixture(&s).await);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (s, f) = (s.clone(), f.clone());
        tasks.push(tokio::spawn(async move {
            s.issue_ticket_placed(&tap(&f, 7, 0, &format!("tap{i}"), false), T0 + i)
                .await
                .unwrap()
        }));
    }
    let mut got = Vec::new();
    for t in tasks {
        got.push(t.await.unwrap());
    }
    let ids: HashSet<i64> = got.iter().map(|i| i.ticket.id).collect();
    assert_eq!(ids.len(), 1, "eight taps at once, one ticket");
    assert_eq!(got.iter().filter(|i| !i.repeat).count(), 1, "one issued");
    assert!(got.iter().all(|i| i.ticket.number == "A001"));
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 1);
    let first = got[0].ticket.id;

    let issue = |r: IssueTicket, at: i64| {
        let s = s.clone();
        async move { s.issue_ticket_placed(&r, at).await.unwrap() }
    };
    // Another kiosk, another business, an integration: their own tickets.
    let other_kiosk = issue(tap(&f, 8, 0, "k8", false), T0 + 100).await;
    assert!(!other_kiosk.repeat);
    assert_eq!(other_kiosk.ticket.number, "A002");
    let other_type = issue(tap(&f, 7, 1, "k7b", false), T0 + 200).await;
    assert!(!other_type.repeat);
    assert_eq!(other_type.ticket.number, "B001");
    let plain = issue(issue_req(&f, 0, "api1"), T0 + 300).await;
    assert_eq!(plain.ticket.number, "A003");
    // The customer confirms they want another: a new ticket, now the kiosk's last.
    let another = issue(tap(&f, 7, 0, "again", true), T0 + 1_000).await;
    assert!(!another.repeat);
    assert_eq!(another.ticket.number, "A004");
    let repeat = issue(tap(&f, 7, 0, "again2", false), T0 + 2_000).await;
    assert!(repeat.repeat, "a tap right after is a repeat");
    assert_eq!(repeat.ticket.id, another.ticket.id);
    assert_ne!(repeat.ticket.id, first);
    assert_eq!(
        repeat.placement.map(|p| p.ahead),
        Some(3),
        "placed like the first time"
    );
    // Once the window has passed since the last ticket: a new one.
    let later = issue(tap(&f, 7, 0, "later", false), T0 + 1_000 + 8_000).await;
    assert!(!later.repeat);
    assert_eq!(later.ticket.number, "A005");
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 6);
}

pub async fn calling_follows_the_policy(s: SqlStore) {
    let f = fixture(&s).await;
    let inquiry = s.issue_ticket(&issue_req(&f, 2, "q1"), T0).await.unwrap(); // secondary at counter 1
    let pay = s
        .issue_ticket(&issue_req(&f, 0, "p1"), T0 + MIN)
        .await
        .unwrap();
    let mut g = issue_req(&f, 0, "g1");
    g.priority = Priority::Green;
    g.green_reason = "老年人".into();
    let green = s.issue_ticket(&g, T0 + 2 * MIN).await.unwrap();
    let c1 = f.counters[0].id;
    let order = |t: Option<Ticket>| t.unwrap().id;
    assert_eq!(
        order(s.call_next(c1, None, T0 + 3 * MIN).await.unwrap()),
        green.id,
        "green channel first"
    );
    s.act_on_ticket(green.id, &TicketCommand::NoShow, op(&f, 0), T0 + 4 * MIN)
        .await
        .unwrap();
    assert_eq!(
        order(s.call_next(c1, None, T0 + 5 * MIN).await.unwrap()),
        pay.id,
        "primary before secondary"
    );
    s.act_on_ticket(pay.id, &TicketCommand::NoShow, op(&f, 0), T0 + 6 * MIN)
        .await
        .unwrap();
    assert_eq!(
        order(s.call_next(c1, None, T0 + 7 * MIN).await.unwrap()),
        inquiry.id
    );
    // counter 2 serves only B: nothing for it
    assert!(
        s.call_next(f.counters[1].id, None, T0 + 7 * MIN)
            .await
            .unwrap()
            .is_none()
    );
    let mut g = issue_req(&f, 1, "g2");
    g.priority = Priority::Green;
    assert!(
        matches!(s.issue_ticket(&g, T0).await, Err(StoreError::Invalid(m)) if m.contains("reason"))
    );
}

pub async fn ten_counters_calling_at_once_never_share_a_ticket(s: SqlStore) {
    let f = fixture(&s).await;
    let mut counters = Vec::new();
    for n in 0..10 {
        let c = s
            .create_counter(
                f.hall.id,
                &CounterInput {
                    number: 10 + n,
                    primary: vec![f.bt[0].id],
                    secondary: vec![],
                },
            )
            .await
            .unwrap();
        let st = s
            .create_staff(
                &staff_input(f.hall.id, &format!("ten{n}"), &format!("T{n}")),
                "x",
            )
            .await
            .unwrap();
        s.open_counter(c.id, st.id, T0).await.unwrap();
        counters.push(c.id);
    }
    for i in 0..25 {
        s.issue_ticket(&issue_req(&f, 0, &format!("w{i}")), T0 + i)
            .await
            .unwrap();
    }
    let mut called = Vec::new();
    for round in 0..3 {
        let mut tasks = Vec::new();
        for c in &counters {
            let (s, c) = (s.clone(), *c);
            tasks.push(tokio::spawn(async move {
                s.call_next(c, None, T0 + MIN + round).await.unwrap()
            }));
        }
        for t in tasks {
            if let Some(t) = t.await.unwrap() {
                called.push(t.id);
                s.act_on_ticket(
                    t.id,
                    &TicketCommand::NoShow,
                    Operator {
                        staff_id: None,
                        counter_id: None,
                    },
                    T0 + 2 * MIN,
                )
                .await
                .unwrap();
            }
        }
    }
    let unique: HashSet<_> = called.iter().collect();
    assert_eq!(called.len(), 25, "all 25 called");
    assert_eq!(unique.len(), 25, "none twice");
}

pub async fn lifecycle_is_logged_and_guarded(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 1, "life"), T0).await.unwrap();
    let c2 = f.counters[1].id;
    let called = s
        .call_next(c2, Some(f.clerks[1].id), T0 + 2 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((called.id, called.state), (t.id, TicketState::Called));
    // another counter's clerk may not touch it
    let e = s
        .act_on_ticket(t.id, &TicketCommand::Start, op(&f, 0), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("counter 2")),
        "{e}"
    );
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 1), T0 + 3 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Hold {
            reason: "取身份证".into(),
        },
        op(&f, 1),
        T0 + 4 * MIN,
    )
    .await
    .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Resume, op(&f, 1), T0 + 6 * MIN)
        .await
        .unwrap();
    let done = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: VisitOutcome::Completed,
            },
            op(&f, 1),
            T0 + 9 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(done.state, TicketState::Finished);
    let e = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: VisitOutcome::Completed,
            },
            op(&f, 1),
            T0 + 10 * MIN,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("cannot finish")),
        "{e}"
    );
    let log = s.ticket_log(t.id).await.unwrap();
    let states: Vec<_> = log.iter().map(|e| e.state).collect();
    use TicketState::*;
    assert_eq!(states, [Waiting, Called, Serving, Held, Serving, Finished]);
    assert_eq!(log[1].counter_id, Some(c2));
    assert_eq!(log[3].note, "取身份证");
    let day = s.day_tickets(f.hall.id, &t.service_day).await.unwrap();
    let entries: Vec<_> = day[0]
        .log
        .iter()
        .map(|e| servicehall_domain::queue::stats::LogEntry {
            state: e.state,
            at_ms: e.at,
        })
        .collect();
    let times = servicehall_domain::queue::stats::ticket_times(&entries);
    assert_eq!(times.wait_ms, Some(2 * MIN));
    assert_eq!(
        times.handling_ms,
        Some(4 * MIN),
        "3→4 serving, 4→6 held, 6→9 serving"
    );
}

pub async fn recall_limit_turns_into_no_show(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 1, "r"), T0).await.unwrap();
    s.call_next(f.counters[1].id, None, T0).await.unwrap();
    for n in 1..=3 {
        let r = s
            .act_on_ticket(t.id, &TicketCommand::Recall, op(&f, 1), T0 + n)
            .await
            .unwrap();
        assert_eq!((r.state, r.recalls), (TicketState::Called, n));
    }
    let gone = s
        .act_on_ticket(t.id, &TicketCommand::Recall, op(&f, 1), T0 + 9)
        .await
        .unwrap();
    assert_eq!(gone.state, TicketState::NoShow);
    // the counter is free again
    assert!(
        s.current_at_counter(f.counters[1].id)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn transfer_keeps_number_and_place(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 0, "tr"), T0).await.unwrap();
    let later = s
        .issue_ticket(&issue_req(&f, 1, "later"), T0 + 5 * MIN)
        .await
        .unwrap();
    s.call_next(f.counters[0].id, None, T0 + 6 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 0), T0 + 7 * MIN)
        .await
        .unwrap();
    let cmd = TicketCommand::Transfer {
        business_type_id: f.bt[1].id,
        counter_id: None,
        reason: "需办理新装".into(),
    };
    let moved = s
        .act_on_ticket(t.id, &cmd, op(&f, 0), T0 + 8 * MIN)
        .await
        .unwrap();
    assert_eq!(moved.state, TicketState::Transferred);
    let now = s.ticket_by_code("tr").await.unwrap();
    assert_ne!(now.id, t.id);
    assert_eq!(
        (now.number.as_str(), now.queued_since, now.transferred_from),
        ("A001", T0, Some(t.id))
    );
    assert_eq!(now.business_type_id, f.bt[1].id);
    // counter 2 calls the transferred ticket before the B ticket issued later
    let next = s
        .call_next(f.counters[1].id, None, T0 + 9 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, now.id);
    assert_ne!(next.id, later.id);
    let bad = TicketCommand::Transfer {
        business_type_id: 424242,
        counter_id: None,
        reason: String::new(),
    };
    let e = s
        .act_on_ticket(
            next.id,
            &bad,
            Operator {
                staff_id: None,
                counter_id: None,
            },
            T0,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        StoreError::NotFound(_) | StoreError::Invalid(_)
    ));
    assert_eq!(
        s.ticket(next.id).await.unwrap().state,
        TicketState::Called,
        "a failed transfer changes nothing"
    );
}

pub async fn ratings_only_for_finished_tickets_once(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 1, "rate"), T0).await.unwrap();
    let c2 = f.counters[1].id;
    let e = s
        .rate(t.id, c2, None, 5, &[], 60_000, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "not finished yet");
    s.call_next(c2, None, T0).await.unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 1), T0)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: None,
            outcome: VisitOutcome::Completed,
        },
        op(&f, 1),
        T0 + MIN,
    )
    .await
    .unwrap();
    assert!(
        matches!(
            s.rate(t.id, f.counters[0].id, None, 5, &[], 60_000, T0 + MIN)
                .await,
            Err(StoreError::Conflict(_))
        ),
        "other counter"
    );
    assert!(matches!(
        s.rate(t.id, c2, None, 6, &[], 60_000, T0 + MIN).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        matches!(s.rate(t.id, c2, None, 1, &[], 60_000, T0 + MIN).await, Err(StoreError::Invalid(m)) if m.contains("reason"))
    );
    assert!(
        matches!(s.rate(t.id, c2, None, 5, &[], 60_000, T0 + 5 * MIN).await, Err(StoreError::Conflict(m)) if m.contains("window"))
    );
    s.rate(
        t.id,
        c2,
        None,
        2,
        &["long_wait".into()],
        60_000,
        T0 + MIN + 1,
    )
    .await
    .unwrap();
    assert!(
        matches!(s.rate(t.id, c2, None, 5, &[], 60_000, T0 + MIN + 2).await, Err(StoreError::Conflict(m)) if m.contains("already"))
    );
    let r = s
        .ratings_between(f.hall.id, T0, T0 + 10 * MIN)
        .await
        .unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].level, r[0].reasons.clone()),
        (2, vec!["long_wait".to_string()])
    );
    assert_eq!(
        r[0].staff_id,
        Some(f.clerks[1].id),
        "the rating belongs to the clerk who served"
    );
}
