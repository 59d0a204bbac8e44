//! The cases, each a function of a fresh, migrated store.

use servicehall_domain::{CallingPolicy, DeviceKind, Priority, ReadBack, Role, TicketState};
use servicehall_store::*;
use std::collections::HashSet;

/// 2026-11-28 10:00 Asia/Shanghai.
pub const T0: i64 = 1_764_295_200_000;
const MIN: i64 = 60_000;

pub struct Fixture {
    pub hall: Hall,
    /// 缴费 (payment, prefix A), 新装 (B), 咨询 (C)
    pub bt: [BusinessType; 3],
    /// counter 1: A primary, C secondary; counter 2: B primary; counter 3: A, B primary
    pub counters: [Counter; 3],
    pub clerks: [Staff; 3],
}

pub fn hall_input(code: &str) -> HallInput {
    HallInput {
        code: code.into(),
        name: "大连星海营业厅".into(),
        name_en: "Dalian Xinghai Hall".into(),
        address: "大连市沙河口区".into(),
        phone: "0411-95598".into(),
        timezone: "Asia/Shanghai".into(),
        opens: "08:30".into(),
        closes: "17:30".into(),
        policy: CallingPolicy::default(),
    }
}

fn bt_input(code: &str, zh: &str, prefix: &str, payment: bool) -> BusinessTypeInput {
    BusinessTypeInput {
        code: code.into(),
        name_zh: zh.into(),
        name_en: code.into(),
        prefix: prefix.into(),
        target_wait_s: 900,
        target_handling_s: 300,
        is_payment: payment,
        sort_order: 0,
        active: true,
    }
}

fn staff_input(hall: i64, user: &str, badge: &str) -> StaffInput {
    StaffInput {
        hall_id: Some(hall),
        username: user.into(),
        name: format!("柜员{badge}"),
        badge_no: badge.into(),
        role: Role::Clerk,
        photo: String::new(),
        active: true,
    }
}

pub async fn fixture(s: &SqlStore) -> Fixture {
    let hall = s.create_hall(&hall_input("DL-XH")).await.unwrap();
    let a = s
        .create_business_type(hall.id, &bt_input("payment", "电费缴纳", "A", true))
        .await
        .unwrap();
    let b = s
        .create_business_type(hall.id, &bt_input("new_connection", "居民新装", "B", false))
        .await
        .unwrap();
    let c = s
        .create_business_type(hall.id, &bt_input("inquiry", "咨询", "C", false))
        .await
        .unwrap();
    let c1 = s
        .create_counter(
            hall.id,
            &CounterInput {
                number: 1,
                primary: vec![a.id],
                secondary: vec![c.id],
            },
        )
        .await
        .unwrap();
    let c2 = s
        .create_counter(
            hall.id,
            &CounterInput {
                number: 2,
                primary: vec![b.id],
                secondary: vec![],
            },
        )
        .await
        .unwrap();
    let c3 = s
        .create_counter(
            hall.id,
            &CounterInput {
                number: 3,
                primary: vec![a.id, b.id],
                secondary: vec![],
            },
        )
        .await
        .unwrap();
    let mut clerks = Vec::new();
    for (i, c) in [&c1, &c2, &c3].into_iter().enumerate() {
        let st = s
            .create_staff(
                &staff_input(hall.id, &format!("clerk{i}"), &format!("DL00{i}")),
                "x",
            )
            .await
            .unwrap();
        s.open_counter(c.id, st.id, T0).await.unwrap();
        clerks.push(st);
    }
    let counters = [
        s.counter(c1.id).await.unwrap(),
        s.counter(c2.id).await.unwrap(),
        s.counter(c3.id).await.unwrap(),
    ];
    Fixture {
        hall,
        bt: [a, b, c],
        counters,
        clerks: clerks.try_into().unwrap(),
    }
}

pub fn issue_req(f: &Fixture, bt: usize, code: &str) -> IssueTicket {
    IssueTicket {
        hall_id: f.hall.id,
        business_type_id: f.bt[bt].id,
        priority: Priority::Normal,
        green_reason: String::new(),
        proxy: false,
        channel: "kiosk".into(),
        idempotency_key: None,
        code: code.into(),
    }
}

fn op(f: &Fixture, i: usize) -> Operator {
    Operator {
        staff_id: Some(f.clerks[i].id),
        counter_id: Some(f.counters[i].id),
    }
}

pub async fn migrations_are_idempotent(s: SqlStore) {
    assert!(
        s.migrate().await.unwrap().is_empty(),
        "second run applies nothing"
    );
}

pub async fn hall_setup_validates_and_rejects_duplicates(s: SqlStore) {
    let f = fixture(&s).await;
    let dup = s.create_hall(&hall_input("DL-XH")).await.unwrap_err();
    assert!(matches!(dup, StoreError::Conflict(_)), "{dup}");
    let mut bad = hall_input("DL-2");
    bad.timezone = "Moon/Base".into();
    assert!(
        matches!(s.create_hall(&bad).await, Err(StoreError::Invalid(m)) if m.contains("time zone"))
    );
    let mut bad = hall_input("DL-3");
    bad.opens = "18:00".into();
    assert!(matches!(
        s.create_hall(&bad).await,
        Err(StoreError::Invalid(_))
    ));
    // a counter may not serve another hall's business type, nor list one twice
    let other = s.create_hall(&hall_input("DL-4")).await.unwrap();
    let e = s
        .create_counter(
            other.id,
            &CounterInput {
                number: 1,
                primary: vec![f.bt[0].id],
                secondary: vec![],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Invalid(m)) if m.contains("does not belong")));
    let e = s
        .create_counter(
            f.hall.id,
            &CounterInput {
                number: 9,
                primary: vec![f.bt[0].id],
                secondary: vec![f.bt[0].id],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Invalid(_))));
    let e = s
        .create_counter(
            f.hall.id,
            &CounterInput {
                number: 1,
                primary: vec![f.bt[0].id],
                secondary: vec![],
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::Conflict(_))));
    let mut bt = bt_input("x", "x", "a1", false);
    assert!(
        matches!(s.create_business_type(f.hall.id, &bt).await, Err(StoreError::Invalid(m)) if m.contains("prefix"))
    );
    bt.prefix = "A".into();
    bt.code = "payment".into();
    assert!(matches!(
        s.create_business_type(f.hall.id, &bt).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        s.counters(f.hall.id).await.unwrap().len(),
        3,
        "nothing half-written"
    );
}

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

pub async fn calling_needs_an_open_idle_counter(s: SqlStore) {
    let f = fixture(&s).await;
    s.issue_ticket(&issue_req(&f, 0, "a"), T0).await.unwrap();
    s.issue_ticket(&issue_req(&f, 0, "b"), T0).await.unwrap();
    let c1 = f.counters[0].id;
    s.pause_counter(c1, "午休", T0).await.unwrap();
    let e = s.call_next(c1, None, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("暂停服务") && m.contains("午休")),
        "{e}"
    );
    assert!(matches!(
        s.pause_counter(c1, "  ", T0).await,
        Err(StoreError::Invalid(_))
    ));
    s.open_counter(c1, f.clerks[0].id, T0).await.unwrap();
    let t = s.call_next(c1, None, T0).await.unwrap().unwrap();
    let e = s.call_next(c1, None, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains(&t.number)),
        "{e}"
    );
    let e = s.close_counter(c1, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)));
    // a clerk on duty at one counter cannot open a second
    let e = s
        .open_counter(f.counters[1].id, f.clerks[0].id, T0)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("counter 1")),
        "{e}"
    );
    assert!(matches!(
        s.call_next(9999, None, T0).await,
        Err(StoreError::NotFound(_))
    ));
    // nothing was called twice and the waiting ticket is still waiting
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 1);
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
            &TicketCommand::Finish { read_back: None },
            op(&f, 1),
            T0 + 9 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(done.state, TicketState::Finished);
    let e = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish { read_back: None },
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
        .map(|e| servicehall_domain::stats::LogEntry {
            state: e.state,
            at_ms: e.at,
        })
        .collect();
    let times = servicehall_domain::stats::ticket_times(&entries);
    assert_eq!(times.wait_ms, Some(2 * MIN));
    assert_eq!(
        times.handling_ms,
        Some(4 * MIN),
        "3→4 serving, 4→6 held, 6→9 serving"
    );
}

pub async fn payment_needs_a_valid_read_back(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 0, "pay"), T0).await.unwrap();
    s.call_next(f.counters[0].id, None, T0)
        .await
        .unwrap()
        .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 0), T0)
        .await
        .unwrap();
    let e = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish { read_back: None },
            op(&f, 0),
            T0,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(m) if m.contains("唱收唱付")),
        "{e}"
    );
    assert_eq!(
        s.ticket(t.id).await.unwrap().state,
        TicketState::Serving,
        "unchanged"
    );
    let rb = ReadBack::new(12_345, 20_000).unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: Some(rb),
        },
        op(&f, 0),
        T0 + MIN,
    )
    .await
    .unwrap();
    let stored = s.read_back(t.id).await.unwrap().unwrap();
    assert_eq!(stored.read_back.change.0, 7_655);
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
        &TicketCommand::Finish { read_back: None },
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

pub async fn feed_is_ordered_resumable_and_live(s: SqlStore) {
    let f = fixture(&s).await;
    let mut rx = s.subscribe();
    let start = s.events_since(f.hall.id, 0, 1000).await.unwrap();
    let last = start.last().map(|e| e.id).unwrap_or(0);
    s.issue_ticket(&issue_req(&f, 0, "e1"), T0).await.unwrap();
    s.call_next(f.counters[0].id, None, T0).await.unwrap();
    let live = rx.recv().await.unwrap();
    assert_eq!(live.kind, "issued");
    let called = rx.recv().await.unwrap();
    assert_eq!(
        (
            called.kind.as_str(),
            called.payload["counter_number"].as_i64()
        ),
        ("called", Some(1))
    );
    assert_eq!(called.payload["number"], "A001");
    let missed = s.events_since(f.hall.id, last, 1000).await.unwrap();
    assert_eq!(
        missed.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["issued", "called"]
    );
    assert!(missed[0].id < missed[1].id);
    let recent = s
        .recent_events(f.hall.id, &["called", "recalled"], 6)
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
}

pub async fn sessions_and_device_tokens(s: SqlStore) {
    let f = fixture(&s).await;
    let st = &f.clerks[0];
    s.create_session("hash1", st.id, "csrf1", T0 + MIN)
        .await
        .unwrap();
    assert_eq!(
        s.session("hash1", T0)
            .await
            .unwrap()
            .map(|(s, c)| (s.id, c)),
        Some((st.id, "csrf1".into()))
    );
    assert!(
        s.session("hash1", T0 + 2 * MIN).await.unwrap().is_none(),
        "expired"
    );
    let e = s
        .create_device(f.hall.id, None, DeviceKind::Evaluator, "pad", "th", T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(m) if m.contains("counter")));
    let d = s
        .create_device(
            f.hall.id,
            Some(f.counters[0].id),
            DeviceKind::Evaluator,
            "pad",
            "th",
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        s.device_by_token("th").await.unwrap().map(|d| d.id),
        Some(d.id)
    );
    s.revoke_device(d.id).await.unwrap();
    assert!(s.device_by_token("th").await.unwrap().is_none());
    let (who, hash) = s.staff_login("clerk0").await.unwrap().unwrap();
    assert_eq!((who.id, hash.as_str()), (st.id, "x"));
    let mut off = staff_input(f.hall.id, "clerk0", "DL000");
    off.active = false;
    s.update_staff(st.id, &off).await.unwrap();
    assert!(
        s.staff_login("clerk0").await.unwrap().is_none(),
        "inactive staff cannot sign in"
    );
}

pub async fn last_event_id_marks_where_the_feed_stands(s: SqlStore) {
    let f = fixture(&s).await;
    let before = s.last_event_id(f.hall.id).await.unwrap();
    assert!(before > 0, "opening counters wrote events");
    s.issue_ticket(&issue_req(&f, 0, "h1"), T0).await.unwrap();
    let after = s.last_event_id(f.hall.id).await.unwrap();
    assert!(after > before);
    let other = s.create_hall(&hall_input("DL-EMPTY")).await.unwrap();
    assert_eq!(s.last_event_id(other.id).await.unwrap(), 0);
}

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
    let next = s
        .call_next(f.counters[1].id, None, tomorrow + MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, new.id, "only today's B001 is called");
}

pub async fn badge_numbers_are_unique_in_a_hall(s: SqlStore) {
    let f = fixture(&s).await;
    let dup = staff_input(f.hall.id, "someone", &f.clerks[0].badge_no);
    let e = s.create_staff(&dup, "x").await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("badge")),
        "{e}"
    );
    let other = s.create_hall(&hall_input("DL-B")).await.unwrap();
    let elsewhere = staff_input(other.id, "someone", &f.clerks[0].badge_no);
    assert!(
        s.create_staff(&elsewhere, "x").await.is_ok(),
        "another hall may reuse it"
    );
}
