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

pub fn staff_input(hall: i64, user: &str, badge: &str) -> StaffInput {
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
    let on_duty = |staff: i64| {
        let s = &s;
        async move {
            s.counter_on_duty(f.hall.id, staff)
                .await
                .unwrap()
                .map(|c| c.id)
        }
    };
    // Each clerk is on duty at the counter the fixture opened for them; paused still counts.
    assert_eq!(on_duty(f.clerks[0].id).await, Some(c1));
    assert_eq!(on_duty(f.clerks[1].id).await, Some(f.counters[1].id));
    s.open_counter(c1, f.clerks[0].id, T0).await.unwrap();
    assert_eq!(on_duty(f.clerks[0].id).await, Some(c1));
    assert_eq!(
        s.counter_on_duty(f.hall.id + 1000, f.clerks[0].id)
            .await
            .unwrap(),
        None,
        "another hall"
    );
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
    // Once the counter closes, its clerk is on duty nowhere.
    s.act_on_ticket(t.id, &TicketCommand::NoShow, op(&f, 0), T0)
        .await
        .unwrap();
    s.close_counter(c1, T0).await.unwrap();
    assert_eq!(on_duty(f.clerks[0].id).await, None, "closed");
    assert_eq!(on_duty(f.clerks[1].id).await, Some(f.counters[1].id));
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

// ── Cases (工单) ────────────────────────────────────────────────────────────────────────

use servicehall_domain::cases::{
    CaseKind, CaseStatus, ClockLog, ClockPolicy, ClockState, ClockStatus, CustomerClass,
    WarningLevel,
};

const HOUR: i64 = 3_600_000;

fn open_req(f: &Fixture, kind: CaseKind, bt: Option<usize>, class: CustomerClass) -> OpenCase {
    OpenCase {
        hall_id: f.hall.id,
        kind,
        business_type_id: bt.map(|i| f.bt[i].id),
        customer_class: class,
        customer_name: "张三丰".into(),
        customer_phone: "13812345678".into(),
        account_no: "0101234567".into(),
        summary: "居民新装 申请".into(),
        ticket_id: None,
        by: f.clerks[0].id,
    }
}

fn conflict(r: Result<CaseDetail>, needle: &str) {
    match r {
        Err(StoreError::Conflict(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a conflict mentioning {needle:?}, got {other:?}"),
    }
}

pub async fn case_lifecycle_application(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 1, "c1"), T0).await.unwrap();
    let mut req = open_req(&f, CaseKind::Application, Some(1), CustomerClass::Resident);
    req.ticket_id = Some(t.id);
    let d = s.open_case(&req, T0).await.unwrap();
    assert_eq!(d.case.number, "GD-20251128-0001");
    assert_eq!(d.case.owner_id, f.clerks[0].id);
    assert_eq!(d.case.first_inquiry_owner_id, f.clerks[0].id);
    assert_eq!(d.case.ticket_id, Some(t.id));
    let codes: Vec<&str> = d.steps.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["scheme_reply", "connection"]);
    assert_eq!(d.current_step().unwrap().code, "scheme_reply");
    let scheme = &d.clocks[0];
    assert_eq!(scheme.key, "scheme_reply.step");
    assert_eq!(scheme.state, ClockState::Running);
    // Friday 10:00 + 3 working days → Wednesday 2025-12-03 17:30 (UTC+8).
    assert_eq!(scheme.view.deadline, Some(1_764_754_200_000));
    assert!(scheme.source.contains("十项承诺"));
    assert_eq!(d.clocks[1].state, ClockState::NotStarted);

    let d = s
        .add_document(
            d.case.id,
            &DocumentInput {
                name: "身份证复印件".into(),
                received_at: None,
                note: String::new(),
            },
            f.clerks[0].id,
            T0 + HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.documents.len(), 1);
    let d = s
        .complete_step(
            d.case.id,
            "scheme_reply",
            f.clerks[0].id,
            "方案已答复",
            T0 + 2 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.clocks[0].view.status, ClockStatus::Met);
    assert_eq!(d.clocks[1].state, ClockState::Running);
    conflict(
        s.close_case(d.case.id, f.clerks[0].id, "", T0 + 3 * HOUR)
            .await,
        "connection",
    );
    let d = s
        .complete_step(d.case.id, "connection", f.clerks[0].id, "", T0 + 3 * HOUR)
        .await
        .unwrap();
    let d = s
        .close_case(d.case.id, f.clerks[0].id, "办结", T0 + 4 * HOUR)
        .await
        .unwrap();
    assert_eq!(d.case.status, CaseStatus::Closed);
    assert_eq!(d.case.closed_at, Some(T0 + 4 * HOUR));
    let kinds: Vec<&str> = d.trail.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "clock_started",
            "document_added",
            "step_completed",
            "clock_stopped",
            "clock_started",
            "step_completed",
            "clock_stopped",
            "closed"
        ]
    );
    conflict(
        s.add_document(
            d.case.id,
            &DocumentInput {
                name: "x".into(),
                received_at: None,
                note: String::new(),
            },
            f.clerks[0].id,
            T0 + 5 * HOUR,
        )
        .await,
        "closed",
    );
    // the customer's lookup: number + the case's access code, as typed, nothing else
    let code = d.case.access_code.clone();
    assert_eq!(code.len(), 8, "{code}");
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let found = s
        .case_by_number_and_code("GD-20251128-0001", &typed, T0)
        .await
        .unwrap();
    assert_eq!(found.case.id, d.case.id);
    for wrong in ["5678", "00000000", ""] {
        assert!(matches!(
            s.case_by_number_and_code("GD-20251128-0001", wrong, T0)
                .await,
            Err(StoreError::NotFound(_))
        ));
    }
    // bad input
    let mut bad = open_req(&f, CaseKind::Application, None, CustomerClass::Resident);
    assert!(
        matches!(s.open_case(&bad, T0).await, Err(StoreError::Invalid(m)) if m.contains("business type"))
    );
    bad.business_type_id = Some(9999);
    assert!(matches!(
        s.open_case(&bad, T0).await,
        Err(StoreError::Invalid(_))
    ));
    let mut bad = open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident);
    bad.customer_phone = "12".into();
    assert!(matches!(
        s.open_case(&bad, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("4 digits")
    ));
}

pub async fn case_steps_complete_in_order(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvDual),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(d.steps.len(), 5);
    let before = d.trail.len();
    conflict(
        s.complete_step(d.case.id, "mid_inspection", f.clerks[0].id, "", T0)
            .await,
        "before scheme_reply",
    );
    assert!(matches!(
        s.complete_step(d.case.id, "nonsense", f.clerks[0].id, "", T0).await,
        Err(StoreError::Invalid(m)) if m.contains("scheme_reply")
    ));
    let after = s.case(d.case.id, T0).await.unwrap();
    assert_eq!(after.trail.len(), before, "nothing half-written");
    s.complete_step(d.case.id, "scheme_reply", f.clerks[0].id, "", T0 + HOUR)
        .await
        .unwrap();
    conflict(
        s.complete_step(d.case.id, "scheme_reply", f.clerks[0].id, "", T0 + HOUR)
            .await,
        "already complete",
    );
}

pub async fn case_clock_pause_and_resume_are_guarded(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(
                &f,
                CaseKind::Application,
                Some(1),
                CustomerClass::LowVoltage,
            ),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let by = f.clerks[0].id;
    // the connection clock has not started yet
    conflict(
        s.pause_clock(id, "connection.step", "等待资料", by, T0)
            .await,
        "only a running clock can be paused",
    );
    assert!(matches!(
        s.pause_clock(id, "scheme_reply.step", " ", by, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("reason")
    ));
    assert!(matches!(
        s.pause_clock(id, "nope", "x", by, T0).await,
        Err(StoreError::NotFound(m)) if m.contains("scheme_reply.step")
    ));
    let d = s
        .pause_clock(id, "scheme_reply.step", "等待客户补充资料", by, T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(d.clocks[0].state, ClockState::Paused);
    assert_eq!(d.clocks[0].pause_reason, "等待客户补充资料");
    conflict(
        s.pause_clock(id, "scheme_reply.step", "again", by, T0 + HOUR)
            .await,
        "only a running clock",
    );
    let d = s
        .resume_clock(id, "scheme_reply.step", by, T0 + 24 * HOUR)
        .await
        .unwrap();
    assert_eq!(d.clocks[0].state, ClockState::Running);
    conflict(
        s.resume_clock(id, "scheme_reply.step", by, T0 + 25 * HOUR)
            .await,
        "only a paused clock can be resumed",
    );
    // Friday 11:00 → Saturday 10:00 paused: 6.5 working hours of Friday do not count.
    assert_eq!(d.clocks[0].view.elapsed_ms, HOUR);
}

pub async fn case_handover_stays_in_the_hall(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
    let outsider = s
        .create_staff(&staff_input(other.id, "sy1", "SY001"), "x")
        .await
        .unwrap();
    assert!(matches!(
        s.request_handover(id, f.clerks[0].id, outsider.id, "转办", T0).await,
        Err(StoreError::Invalid(m)) if m.contains("another hall")
    ));
    let d = s
        .request_handover(id, f.clerks[0].id, f.clerks[1].id, "转专业班组", T0 + 1)
        .await
        .unwrap();
    assert_eq!(
        d.case.owner_id, f.clerks[0].id,
        "accountable until accepted"
    );
    assert_eq!(d.case.handover_to, Some(f.clerks[1].id));
    conflict(
        s.request_handover(id, f.clerks[0].id, f.clerks[2].id, "x", T0 + 2)
            .await,
        "already waiting",
    );
    conflict(
        s.accept_handover(id, f.clerks[2].id, T0 + 3).await,
        "only they",
    );
    let d = s.accept_handover(id, f.clerks[1].id, T0 + 4).await.unwrap();
    assert_eq!(d.case.owner_id, f.clerks[1].id);
    assert_eq!(d.case.first_inquiry_owner_id, f.clerks[0].id);
    assert_eq!(d.case.handover_to, None);
    conflict(
        s.accept_handover(id, f.clerks[1].id, T0 + 5).await,
        "no hand-over",
    );
    // A supervisor above halls reads cases but cannot work them: the hand-over is refused
    // (it would strand the case), with the reason, and nothing is written.
    let mut sup = staff_input(f.hall.id, "sup", "SUP1");
    sup.hall_id = None;
    sup.role = Role::Supervisor;
    let sup = s.create_staff(&sup, "x").await.unwrap();
    match s
        .request_handover(id, f.clerks[1].id, sup.id, "督办", T0 + 6)
        .await
    {
        Err(StoreError::Invalid(m)) => {
            assert!(
                m.contains("不能办理工单") && m.contains("cannot work cases"),
                "{m}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(s.case(id, T0 + 6).await.unwrap().case.handover_to, None);
    // An administrator above halls (region staff who can work cases) may take it over.
    let mut adm = staff_input(f.hall.id, "adm", "ADM1");
    adm.hall_id = None;
    adm.role = Role::Admin;
    let adm = s.create_staff(&adm, "x").await.unwrap();
    s.request_handover(id, f.clerks[1].id, adm.id, "督办", T0 + 6)
        .await
        .unwrap();
    let d = s.case(id, T0 + 7).await.unwrap();
    let trail: Vec<&str> = d
        .trail
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("handover"))
        .collect();
    assert_eq!(
        trail,
        [
            "handover_requested",
            "handover_accepted",
            "handover_requested"
        ]
    );
}

pub async fn complaint_closes_only_after_callback(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    // both clocks run from registration
    assert!(d.clocks.iter().all(|c| c.state == ClockState::Running));
    s.complete_step(id, "contact", by, "已电话联系", T0 + HOUR)
        .await
        .unwrap();
    s.complete_step(id, "reply", by, "已答复", T0 + 2 * HOUR)
        .await
        .unwrap();
    conflict(
        s.complete_step(id, "callback", by, "", T0 + 3 * HOUR).await,
        "回访",
    );
    conflict(s.close_case(id, by, "", T0 + 3 * HOUR).await, "回访");
    // a callback that did not reach the customer does not count
    s.record_callback(
        id,
        &Callback {
            reached: false,
            satisfied: false,
            note: "无人接听".into(),
        },
        by,
        T0 + 4 * HOUR,
    )
    .await
    .unwrap();
    conflict(s.close_case(id, by, "", T0 + 4 * HOUR).await, "回访");
    s.record_callback(
        id,
        &Callback {
            reached: true,
            satisfied: true,
            note: "客户满意".into(),
        },
        by,
        T0 + 5 * HOUR,
    )
    .await
    .unwrap();
    s.complete_step(id, "callback", by, "", T0 + 5 * HOUR)
        .await
        .unwrap();
    let d = s.close_case(id, by, "", T0 + 6 * HOUR).await.unwrap();
    assert_eq!(d.case.status, CaseStatus::Closed);
    assert!(d.clocks.iter().all(|c| c.view.status == ClockStatus::Met));
}

pub async fn case_clocks_rebuilt_from_the_log_equal_live_state(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvSingle),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    s.pause_clock(id, "step", "等待设计资料", by, T0 + HOUR)
        .await
        .unwrap();
    s.resume_clock(id, "step", by, T0 + 50 * HOUR)
        .await
        .unwrap();
    s.complete_step(id, "scheme_reply", by, "", T0 + 60 * HOUR)
        .await
        .unwrap();
    s.pause_clock(id, "design_review.step", "客户预约", by, T0 + 70 * HOUR)
        .await
        .unwrap();
    let now = T0 + 80 * HOUR;
    let d = s.case(id, now).await.unwrap();
    let cache = sqlx::query_as::<_, (String, String, Option<i64>)>(
        "SELECT clock_key, state, deadline_at FROM case_clocks WHERE case_id = $1",
    )
    .bind(id)
    .fetch_all(s.pool())
    .await
    .unwrap();
    assert_eq!(cache.len(), d.clocks.len());
    let wc = servicehall_domain::cases::hall_clock("Asia/Shanghai");
    for c in &d.clocks {
        let (_, state, deadline) = cache.iter().find(|x| x.0 == c.key).unwrap();
        assert_eq!(state, c.state.as_str(), "{}", c.key);
        if c.state == ClockState::Running {
            assert_eq!(*deadline, c.view.deadline, "{}", c.key);
        }
        // rebuilt independently from the trail alone
        let evs: Vec<_> = d
            .trail
            .iter()
            .filter(|e| e.clock_key == c.key)
            .map(|e| match e.kind.as_str() {
                "clock_started" => servicehall_domain::cases::ClockEvent::Started { at: e.at },
                "clock_paused" => servicehall_domain::cases::ClockEvent::Paused {
                    at: e.at,
                    reason: e.note.clone(),
                    by: e.actor_id,
                },
                "clock_resumed" => servicehall_domain::cases::ClockEvent::Resumed { at: e.at },
                "clock_stopped" => servicehall_domain::cases::ClockEvent::Stopped { at: e.at },
                other => panic!("unexpected clock event {other}"),
            })
            .collect();
        let log = ClockLog::from_events(c.key.clone(), &evs).unwrap();
        let view =
            servicehall_domain::cases::evaluate(c.amount, &log, now, &ClockPolicy::default(), &*wc);
        assert_eq!(view, c.view, "{}", c.key);
    }
    assert_eq!(d.clocks[0].state, ClockState::Stopped);
    assert_eq!(d.clocks[1].state, ClockState::Paused);
    assert!(d.clocks[0].view.excused_ms > 0);
}

pub async fn case_warnings_are_recorded_once_per_level(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let levels = |w: &[CaseWarning]| -> Vec<(String, WarningLevel)> {
        w.iter().map(|x| (x.clock_key.clone(), x.level)).collect()
    };
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    // 12 of 24 hours: the owner is told about the contact clock
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 12 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::Owner)]
    );
    assert_eq!(w[0].case_number, d.case.number);
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + 12 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let w = s.scan_warnings(None, T0 + 20 * HOUR).await.unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::HallManager)]
    );
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 25 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::Supervisor)]
    );
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + 26 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let d = s.case(id, T0 + 26 * HOUR).await.unwrap();
    assert_eq!(d.warnings.len(), 3);
    // lists: overdue now; due soon before the breach
    let overdue = s
        .cases(f.hall.id, CaseList::Overdue, T0 + 26 * HOUR)
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    let soon = s
        .cases(f.hall.id, CaseList::DueSoon, T0 + 20 * HOUR)
        .await
        .unwrap();
    assert_eq!(soon.len(), 1);
    assert!(
        s.cases(f.hall.id, CaseList::DueSoon, T0 + HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let mine = s
        .cases(f.hall.id, CaseList::Mine(f.clerks[0].id), T0)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(
        s.cases(f.hall.id, CaseList::Mine(f.clerks[1].id), T0)
            .await
            .unwrap()
            .is_empty()
    );
    // stopping the contact clock late counts as breached in the on-time rate
    s.complete_step(id, "contact", f.clerks[0].id, "", T0 + 26 * HOUR)
        .await
        .unwrap();
    s.complete_step(id, "reply", f.clerks[0].id, "", T0 + 27 * HOUR)
        .await
        .unwrap();
    let r = s.on_time_rate(f.hall.id, T0, T0 + 48 * HOUR).await.unwrap();
    assert_eq!((r.overall.stopped, r.overall.met), (2, 1));
    assert_eq!(r.by_step.len(), 2);
    assert_eq!(r.by_customer_class[0].key, "resident");
    assert_eq!(r.by_business_type[0].key, "complaint");
    assert_eq!(r.overall.rate, Some(0.5));
}

pub async fn case_numbers_are_unique_under_concurrency(s: SqlStore) {
    let f = fixture(&s).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        let req = open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident);
        tasks.push(tokio::spawn(async move {
            s.open_case(&req, T0 + i).await.unwrap().case.number
        }));
    }
    let mut numbers = HashSet::new();
    for t in tasks {
        assert!(numbers.insert(t.await.unwrap()));
    }
    let expected: HashSet<String> = (1..=16).map(|n| format!("GD-20251128-{n:04}")).collect();
    assert_eq!(numbers, expected);
    // the next hall-local day starts again at 0001
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident),
            T0 + 24 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.case.number, "GD-20251129-0001");
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

/// Halls and business types are cached in the process; a change made through the store is
/// seen at once by every read, including the calling policy.
pub async fn configuration_changes_are_seen_at_once(s: SqlStore) {
    let f = fixture(&s).await;
    assert_eq!(s.hall(f.hall.id).await.unwrap().name, "大连星海营业厅");
    assert_eq!(s.business_types(f.hall.id).await.unwrap().len(), 3);
    let mut h = hall_input("DL-XH");
    h.name = "大连星海湾营业厅".into();
    h.policy.green_first = false;
    s.update_hall(f.hall.id, &h).await.unwrap();
    assert_eq!(s.hall(f.hall.id).await.unwrap().name, "大连星海湾营业厅");
    assert_eq!(
        s.hall_by_code("DL-XH").await.unwrap().name,
        "大连星海湾营业厅"
    );
    let mut bt = bt_input("payment", "电费缴纳及预存", "A", true);
    bt.sort_order = 1;
    s.update_business_type(f.bt[0].id, &bt).await.unwrap();
    assert_eq!(
        s.business_type(f.bt[0].id).await.unwrap().name_zh,
        "电费缴纳及预存"
    );
    assert!(
        s.business_types(f.hall.id)
            .await
            .unwrap()
            .iter()
            .any(|b| b.name_zh == "电费缴纳及预存")
    );
    // green_first is now off: the earlier normal ticket is called before the green one
    let normal = s.issue_ticket(&issue_req(&f, 0, "cfg1"), T0).await.unwrap();
    let mut g = issue_req(&f, 0, "cfg2");
    g.priority = Priority::Green;
    g.green_reason = "老年人".into();
    s.issue_ticket(&g, T0 + MIN).await.unwrap();
    let first = s
        .call_next(f.counters[0].id, None, T0 + 2 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.id, normal.id);
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
            placed.open_counters, 2,
            "counters 1 and 3 serve payment, 2 and 3 new connections"
        );
    }
    // Inquiries are served at counter 1 only (secondary); paused, it serves none.
    let issued = s
        .issue_ticket_placed(&issue_req(&f, 2, "qd-q"), T0 + MIN)
        .await
        .unwrap();
    let (q, placed) = (issued.ticket, issued.placement);
    assert_eq!(placed.map(|p| (p.ahead, p.open_counters)), Some((0, 1)));
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

/// A deadline reaching into a year without a schedule says so; importing the year (a bad
/// file changes nothing) makes the case count its holidays and the warning go.
pub async fn imported_calendar_years_count_in_case_deadlines(s: SqlStore) {
    let f = fixture(&s).await;
    // Monday 2026-12-28 10:00 +08:00; 高压单电源 scheme reply within 15 working days.
    let opened = 1_798_423_200_000;
    let req = open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvSingle);
    let d = s.open_case(&req, opened).await.unwrap();
    let before = d.clocks[0].view.deadline.unwrap();
    assert_eq!(d.calendar_warnings.len(), 1, "{:?}", d.calendar_warnings);
    assert!(d.calendar_warnings[0].contains("2027"));

    let bad = "year 2027 x\nholiday 2027-02-30 春节\n";
    match s.import_years(bad, Some(f.clerks[0].id), opened).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("line 2"), "{m}"),
        other => panic!("a bad file must be refused, got {other:?}"),
    }
    assert!(
        s.imported_years().await.unwrap().is_empty(),
        "nothing changed"
    );

    let good = "# 示例 sample\nyear 2027 示例通知 sample notice\nholiday 2027-01-01 元旦\n";
    assert_eq!(
        s.import_years(good, None, opened).await.unwrap(),
        vec![2027]
    );
    let stored = s.imported_years().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].source, "示例通知 sample notice");
    assert!(s.calendar().await.unwrap().is_covered(2027));
    let d = s.case(d.case.id, opened + 60_000).await.unwrap();
    assert!(d.calendar_warnings.is_empty(), "{:?}", d.calendar_warnings);
    let after = d.clocks[0].view.deadline.unwrap();
    assert_eq!(
        after - before,
        24 * 3_600_000,
        "元旦 2027 is no longer a working day"
    );

    s.remove_imported_year(2027).await.unwrap();
    assert!(!s.calendar().await.unwrap().is_covered(2027));
    assert!(matches!(
        s.remove_imported_year(2027).await,
        Err(StoreError::NotFound(_))
    ));
}
