//! The fixture hall the web tests start from, built through the store.

use super::*;

/// The fixture hall: 电费缴纳 `payment` (A, a payment business), 居民新装 `new_connection` (B),
/// 咨询 `inquiry` (C); counter 1 serves A (C as secondary), counter 2 serves B, counters 3…
/// serve A and B. One clerk per counter (`clerk1`…, not yet on duty), a guide `guide`, a hall
/// manager `manager`. A second hall `SY-TX` (one business type, one counter) exists for
/// cross-hall checks.
#[derive(Clone)]
pub struct Fixture {
    pub hall: Hall,
    /// payment (A), new_connection (B), inquiry (C)
    pub bt: [BusinessType; 3],
    pub counters: Vec<Counter>,
    /// `clerks[i]` is meant for `counters[i]`; username `clerk{i+1}`.
    pub clerks: Vec<Staff>,
    pub guide: Staff,
    pub manager: Staff,
    pub other_hall: Hall,
    /// Counter 1 of the other hall (serves its `payment`).
    pub other_counter: Counter,
}

impl Fixture {
    pub fn counter(&self, number: i64) -> &Counter {
        self.counters
            .iter()
            .find(|c| c.number == number)
            .expect("fixture counter")
    }
}

pub fn hall_input(code: &str, name: &str) -> HallInput {
    HallInput {
        code: code.into(),
        name: name.into(),
        name_en: format!("{code} Hall"),
        address: "大连市沙河口区星海广场".into(),
        phone: "0411-95598".into(),
        timezone: "Asia/Shanghai".into(),
        opens: "08:30".into(),
        closes: "17:30".into(),
        policy: CallingPolicy::default(),
    }
}

fn bt_input(code: &str, zh: &str, en: &str, prefix: &str, payment: bool) -> BusinessTypeInput {
    BusinessTypeInput {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        prefix: prefix.into(),
        target_wait_s: 900,
        target_handling_s: 300,
        is_payment: payment,
        sort_order: 0,
        active: true,
    }
}

fn staff_input(hall: i64, user: &str, name: &str, badge: &str, role: Role) -> StaffInput {
    StaffInput {
        hall_id: Some(hall),
        username: user.into(),
        name: name.into(),
        badge_no: badge.into(),
        role,
        photo: String::new(),
        active: true,
    }
}

/// Surnames for clerk names that are easy to look for in a response body.
const NAMES: [&str; 10] = [
    "王晓燕",
    "李建国",
    "张丽华",
    "刘德明",
    "陈静怡",
    "杨志强",
    "赵海燕",
    "黄文博",
    "周雪梅",
    "吴国庆",
];

/// Builds the fixture hall with `counters` counters (at least 2) through the store.
pub async fn fixture(s: &SqlStore, counters: usize) -> Fixture {
    assert!((2..=NAMES.len()).contains(&counters));
    let hall = s
        .create_hall(&hall_input("DL-XH", "大连星海营业厅"))
        .await
        .unwrap();
    let a = s
        .create_business_type(
            hall.id,
            &bt_input("payment", "电费缴纳", "Bill payment", "A", true),
        )
        .await
        .unwrap();
    let b = s
        .create_business_type(
            hall.id,
            &bt_input("new_connection", "居民新装", "New connection", "B", false),
        )
        .await
        .unwrap();
    let c = s
        .create_business_type(hall.id, &bt_input("inquiry", "咨询", "Inquiry", "C", false))
        .await
        .unwrap();
    let mut list = Vec::new();
    let mut clerks = Vec::new();
    for n in 1..=counters {
        let (primary, secondary) = match n {
            1 => (vec![a.id], vec![c.id]),
            2 => (vec![b.id], vec![]),
            _ => (vec![a.id, b.id], vec![]),
        };
        let counter = s
            .create_counter(
                hall.id,
                &CounterInput {
                    number: n as i64,
                    primary,
                    secondary,
                },
            )
            .await
            .unwrap();
        let clerk = s
            .create_staff(
                &staff_input(
                    hall.id,
                    &format!("clerk{n}"),
                    NAMES[n - 1],
                    &format!("DL{n:03}"),
                    Role::Clerk,
                ),
                password_hash(),
            )
            .await
            .unwrap();
        list.push(counter);
        clerks.push(clerk);
    }
    let guide = s
        .create_staff(
            &staff_input(hall.id, "guide", "孙引导", "DL900", Role::Guide),
            password_hash(),
        )
        .await
        .unwrap();
    let manager = s
        .create_staff(
            &staff_input(hall.id, "manager", "钱值班", "DL901", Role::HallManager),
            password_hash(),
        )
        .await
        .unwrap();
    let other_hall = s
        .create_hall(&hall_input("SY-TX", "沈阳铁西营业厅"))
        .await
        .unwrap();
    let other_bt = s
        .create_business_type(
            other_hall.id,
            &bt_input("payment", "电费缴纳", "Bill payment", "A", true),
        )
        .await
        .unwrap();
    let other_counter = s
        .create_counter(
            other_hall.id,
            &CounterInput {
                number: 1,
                primary: vec![other_bt.id],
                secondary: vec![],
            },
        )
        .await
        .unwrap();
    Fixture {
        hall,
        bt: [a, b, c],
        counters: list,
        clerks,
        guide,
        manager,
        other_hall,
        other_counter,
    }
}
