//! A second, smaller hall in the same city (国网大连供电公司中山营业厅, DL-ZS) so that region
//! views compare halls: the same business types, four counters, a manager and three clerks,
//! and its own 30 days of cases. It has no simulated queue history; its screens start empty.

use super::hall::{DEMO_PASSWORD, DemoHall, create_business_types};
use crate::CliResult;
use servicehall_domain::{CallingPolicy, Role};
use servicehall_store::{CounterInput, HallInput, StaffInput, Store, StoreError};

pub const SISTER_CODE: &str = "DL-ZS";

/// (username, name, badge, role)
const STAFF: [(&str, &str, &str, Role); 4] = [
    ("zsmanager", "林海燕", "DL0201", Role::HallManager),
    ("zsclerk1", "马晓军", "DL0202", Role::Clerk),
    ("zsclerk2", "曹丽", "DL0203", Role::Clerk),
    ("zsclerk3", "冯涛", "DL0204", Role::Clerk),
];

/// Creates the sister hall, or returns `None` when it exists already.
pub async fn create(
    store: &dyn Store,
    hash: fn(&str) -> CliResult<String>,
) -> CliResult<Option<DemoHall>> {
    match store.hall_by_code(SISTER_CODE).await {
        Ok(_) => return Ok(None),
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let hall = store
        .create_hall(&HallInput {
            code: SISTER_CODE.into(),
            name: "国网大连供电公司中山营业厅".into(),
            name_en: "State Grid Dalian Zhongshan Service Hall".into(),
            address: "辽宁省大连市中山区人民路 23 号（示例地址 sample）".into(),
            phone: "95598".into(),
            timezone: "Asia/Shanghai".into(),
            opens: "08:30".into(),
            closes: "17:00".into(),
            policy: CallingPolicy::default(),
        })
        .await?;
    let types = create_business_types(store, hall.id).await?;
    let id = |code: &str| types.iter().find(|t| t.code == code).map(|t| t.id);
    let all: Vec<i64> = types.iter().map(|t| t.id).collect();
    let mut counters = Vec::new();
    for (number, primary) in [
        (1, "payment"),
        (2, "new_residential"),
        (3, "new_business"),
        (4, "inquiry"),
    ] {
        let primary: Vec<i64> = id(primary).into_iter().collect();
        let secondary = all
            .iter()
            .copied()
            .filter(|t| !primary.contains(t))
            .collect();
        counters.push(
            store
                .create_counter(
                    hall.id,
                    &CounterInput {
                        number,
                        primary,
                        secondary,
                    },
                )
                .await?,
        );
    }
    let mut clerks = Vec::new();
    for (username, name, badge, role) in STAFF {
        let input = StaffInput {
            hall_id: Some(hall.id),
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
    Ok(Some(DemoHall {
        hall,
        types,
        counters,
        clerks,
    }))
}
