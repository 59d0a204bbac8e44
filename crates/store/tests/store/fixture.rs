//! The fixture every scenario starts from: a hall with three business types, three
//! counters and three clerks on a fresh, migrated store.

use servicehall_domain::{CallingPolicy, Priority, Role};
use servicehall_store::*;

/// 2026-11-28 10:00 Asia/Shanghai.
pub const T0: i64 = 1_764_295_200_000;
pub const MIN: i64 = 60_000;

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

pub fn bt_input(code: &str, zh: &str, prefix: &str, payment: bool) -> BusinessTypeInput {
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
        kiosk: None,
        handling_ms: None,
    }
}

pub fn op(f: &Fixture, i: usize) -> Operator {
    Operator {
        staff_id: Some(f.clerks[i].id),
        counter_id: Some(f.counters[i].id),
    }
}
