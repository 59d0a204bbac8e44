//! The demo's region tree: 国网辽宁省电力 → 大连供电公司 → 西岗区 / 中山区供电分公司 (and 沈阳,
//! with no hall yet), the demo hall hung on 西岗, a smaller sister hall (DL-ZS) with its own
//! cases hung on 中山, and a city supervisor (`dlsupervisor`) limited to 大连 — so region views
//! and scopes have something real to show. The deployment-wide `supervisor` stays as is.

use super::hall::{DEMO_PASSWORD, DemoHall};
use crate::CliResult;
use servicehall_domain::Role;
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{RegionInput, StaffInput, Store};

/// The city supervisor's account: (username, name, badge).
pub const CITY_SUPERVISOR: (&str, &str, &str) = ("dlsupervisor", "高志刚", "DL0003");

const TREE: [(&str, &str, &str, Option<&str>); 5] = [
    ("LN", "国网辽宁省电力有限公司", "State Grid Liaoning", None),
    (
        "LN-DL",
        "国网大连供电公司",
        "Dalian Power Supply Co.",
        Some("LN"),
    ),
    (
        "LN-DL-XG",
        "西岗区供电分公司",
        "Xigang District",
        Some("LN-DL"),
    ),
    (
        "LN-DL-ZS",
        "中山区供电分公司",
        "Zhongshan District",
        Some("LN-DL"),
    ),
    (
        "LN-SY",
        "国网沈阳供电公司",
        "Shenyang Power Supply Co.",
        Some("LN"),
    ),
];

/// Seeds the tree once; a database that already has regions is left alone.
pub async fn seed_if_empty(
    store: &dyn Store,
    demo: &DemoHall,
    hash: fn(&str) -> CliResult<String>,
    now: i64,
) -> CliResult<()> {
    if !store.region_tree().await?.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<(&str, i64)> = Vec::new();
    for (code, zh, en, parent) in TREE {
        let parent_id = parent.and_then(|p| ids.iter().find(|(c, _)| *c == p).map(|x| x.1));
        let r = store
            .save_region(
                None,
                &RegionInput {
                    code: code.into(),
                    name_zh: zh.into(),
                    name_en: en.into(),
                    parent_id,
                },
            )
            .await?;
        ids.push((code, r.id));
    }
    let id = |code: &str| ids.iter().find(|(c, _)| *c == code).map(|x| x.1);
    store.set_hall_region(demo.hall.id, id("LN-DL-XG")).await?;
    if let Some(sister) = super::sister::create(store, hash).await? {
        store
            .set_hall_region(sister.hall.id, id("LN-DL-ZS"))
            .await?;
        let tz = parse_tz(&sister.hall.timezone).map_err(crate::CliError::failed)?;
        let today = service_day(now, tz);
        let c = super::cases::seed(store, &sister, super::SEED ^ 0x25, today, 30, now).await?;
        println!(
            "姊妹营业厅 · sister hall {}: {} cases, {} steps late",
            sister.hall.code, c.opened, c.late_steps
        );
        let (checks, failed) = super::site::seed_sister(store, &sister, today, now).await?;
        println!(
            "  现场检查 · inspections: {checks} checks, {failed} failed; its own rectification limits"
        );
    }
    let (user, name, badge) = CITY_SUPERVISOR;
    let person = match store.staff_login(user).await? {
        Some((p, _)) => p,
        None => {
            let input = StaffInput {
                hall_id: None,
                username: user.into(),
                name: name.into(),
                badge_no: badge.into(),
                role: Role::Supervisor,
                photo: String::new(),
                active: true,
            };
            store.create_staff(&input, &hash(DEMO_PASSWORD)?).await?
        }
    };
    store.set_staff_region(person.id, id("LN-DL")).await?;
    Ok(())
}
