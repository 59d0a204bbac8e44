//! The demo hall: 国网大连供电公司西岗营业厅, its business types, counters and staff.

use crate::{CliError, CliResult};
use servicehall_domain::{CallingPolicy, Role};
use servicehall_store::{
    BusinessType, BusinessTypeInput, Counter, CounterInput, Hall, HallInput, HallStore, Staff,
    StaffInput, StoreError,
};

pub const HALL_CODE: &str = "DL-XG";
pub const DEMO_PASSWORD: &str = "demo1234";

/// A business type of the demo hall, and how often customers come for it.
pub struct BtSpec {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub prefix: &'static str,
    pub target_wait_s: i64,
    pub target_handling_s: i64,
    pub payment: bool,
    /// Relative share of visits.
    pub weight: f64,
}

const fn bt(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    prefix: &'static str,
    waits: (i64, i64),
    payment: bool,
    weight: f64,
) -> BtSpec {
    BtSpec {
        code,
        zh,
        en,
        prefix,
        target_wait_s: waits.0,
        target_handling_s: waits.1,
        payment,
        weight,
    }
}

pub const BUSINESS_TYPES: [BtSpec; 10] = [
    bt(
        "new_residential",
        "居民新装",
        "New residential connection",
        "A",
        (900, 600),
        false,
        9.0,
    ),
    bt(
        "new_business",
        "非居民新装/增容",
        "New business connection / capacity increase",
        "B",
        (1200, 900),
        false,
        5.0,
    ),
    bt(
        "transfer",
        "过户更名",
        "Change of account holder",
        "C",
        (900, 600),
        false,
        7.0,
    ),
    bt(
        "payment",
        "电费缴纳",
        "Electricity bill payment",
        "D",
        (600, 180),
        true,
        30.0,
    ),
    bt(
        "invoice",
        "发票打印",
        "Invoice printing",
        "E",
        (600, 120),
        false,
        10.0,
    ),
    bt(
        "repair",
        "故障报修",
        "Fault report",
        "F",
        (600, 300),
        false,
        7.0,
    ),
    bt(
        "solar",
        "分布式光伏并网",
        "Rooftop solar grid connection",
        "G",
        (1200, 900),
        false,
        4.5,
    ),
    bt(
        "ev_charger",
        "充电桩报装",
        "EV charger connection",
        "H",
        (1200, 600),
        false,
        4.5,
    ),
    bt("inquiry", "咨询", "Inquiry", "J", (600, 240), false, 16.0),
    bt(
        "complaint",
        "投诉与意见",
        "Complaints and suggestions",
        "K",
        (900, 600),
        false,
        3.0,
    ),
];

/// Counter number → (primary codes, secondary codes).
pub const COUNTERS: [(i64, &[&str], &[&str]); 6] = [
    (1, &["payment", "invoice"], &["inquiry"]),
    (2, &["payment", "invoice"], &["repair"]),
    (3, &["new_residential", "transfer"], &["inquiry"]),
    (
        4,
        &["new_business", "solar", "ev_charger"],
        &["new_residential"],
    ),
    (5, &["repair", "inquiry", "complaint"], &["payment"]),
    // 综合窗口: the store needs one primary type; everything else is secondary.
    (
        6,
        &["inquiry"],
        &[
            "new_residential",
            "new_business",
            "transfer",
            "payment",
            "invoice",
            "repair",
            "solar",
            "ev_charger",
            "complaint",
        ],
    ),
];

/// (username, 姓名, badge, role, belongs to the hall).
pub const STAFF: [(&str, &str, &str, Role, bool); 11] = [
    ("admin", "赵明远", "DL0001", Role::Admin, false),
    ("supervisor", "周建华", "DL0002", Role::Supervisor, false),
    ("manager", "王丽华", "DL0101", Role::HallManager, true),
    ("clerk1", "刘洋", "DL0102", Role::Clerk, true),
    ("clerk2", "陈静", "DL0103", Role::Clerk, true),
    ("clerk3", "张伟", "DL0104", Role::Clerk, true),
    ("clerk4", "李娜", "DL0105", Role::Clerk, true),
    ("clerk5", "孙强", "DL0106", Role::Clerk, true),
    ("clerk6", "杨雪", "DL0107", Role::Clerk, true),
    ("clerk7", "吴昊", "DL0108", Role::Clerk, true),
    ("guide", "郑晓燕", "DL0109", Role::Guide, true),
];

/// The demo hall as set up in the store.
#[derive(Debug, Clone)]
pub struct DemoHall {
    pub hall: Hall,
    /// In the order of [`BUSINESS_TYPES`].
    pub types: Vec<BusinessType>,
    /// In the order of [`COUNTERS`].
    pub counters: Vec<Counter>,
    /// Clerks clerk1..clerk7, in order.
    pub clerks: Vec<Staff>,
}

pub fn hall_input() -> HallInput {
    HallInput {
        code: HALL_CODE.into(),
        name: "国网大连供电公司西岗营业厅".into(),
        name_en: "State Grid Dalian Xigang Service Hall".into(),
        address: "辽宁省大连市西岗区新开路 88 号".into(),
        phone: "95598".into(),
        timezone: "Asia/Shanghai".into(),
        opens: "08:30".into(),
        closes: "17:30".into(),
        policy: CallingPolicy::default(),
    }
}

/// The demo hall if it exists already.
pub async fn existing<S: HallStore + ?Sized>(store: &S) -> CliResult<Option<DemoHall>> {
    let hall = match store.hall_by_code(HALL_CODE).await {
        Ok(h) => h,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let all_types = store.business_types(hall.id).await?;
    let types = BUSINESS_TYPES
        .iter()
        .filter_map(|b| all_types.iter().find(|t| t.code == b.code).cloned())
        .collect();
    let mut counters = store.counters(hall.id).await?;
    counters.sort_by_key(|c| c.number);
    let staff = store.staff_list(Some(hall.id)).await?;
    let clerks = (1..=7)
        .filter_map(|i| {
            staff
                .iter()
                .find(|s| s.username == format!("clerk{i}"))
                .cloned()
        })
        .collect();
    Ok(Some(DemoHall {
        hall,
        types,
        counters,
        clerks,
    }))
}

/// Creates the demo's [`BUSINESS_TYPES`] in a hall, in that order.
pub async fn create_business_types<S: HallStore + ?Sized>(
    store: &S,
    hall_id: i64,
) -> CliResult<Vec<BusinessType>> {
    let mut types = Vec::new();
    for (i, b) in BUSINESS_TYPES.iter().enumerate() {
        let input = BusinessTypeInput {
            code: b.code.into(),
            name_zh: b.zh.into(),
            name_en: b.en.into(),
            prefix: b.prefix.into(),
            target_wait_s: b.target_wait_s,
            target_handling_s: b.target_handling_s,
            is_payment: b.payment,
            sort_order: i as i64 + 1,
            active: true,
        };
        types.push(store.create_business_type(hall_id, &input).await?);
    }
    Ok(types)
}

/// Creates the hall, business types, counters and staff. `hash` hashes a password.
pub async fn create<S: HallStore + ?Sized>(
    store: &S,
    hash: impl Fn(&str) -> CliResult<String>,
) -> CliResult<DemoHall> {
    let hall = store.create_hall(&hall_input()).await?;
    let types = create_business_types(store, hall.id).await?;
    let ids = |codes: &[&str]| -> CliResult<Vec<i64>> {
        codes
            .iter()
            .map(|c| {
                types
                    .iter()
                    .find(|t| t.code == *c)
                    .map(|t| t.id)
                    .ok_or_else(|| CliError::failed(format!("demo set-up: no business type {c}")))
            })
            .collect()
    };
    let mut counters = Vec::new();
    for (number, primary, secondary) in COUNTERS {
        let input = CounterInput {
            number,
            primary: ids(primary)?,
            secondary: ids(secondary)?,
        };
        counters.push(store.create_counter(hall.id, &input).await?);
    }
    let mut clerks = Vec::new();
    for (username, name, badge, role, in_hall) in STAFF {
        let input = StaffInput {
            hall_id: in_hall.then_some(hall.id),
            username: username.into(),
            name: name.into(),
            badge_no: badge.into(),
            role,
            photo: String::new(),
            active: true,
        };
        let s = store.create_staff(&input, &hash(DEMO_PASSWORD)?).await?;
        if role == Role::Clerk {
            clerks.push(s);
        }
    }
    Ok(DemoHall {
        hall,
        types,
        counters,
        clerks,
    })
}
