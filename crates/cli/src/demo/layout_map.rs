//! The demo hall's layout map (定置图): the sample plan drawn when the demo history starts,
//! a second version three weeks later (the umbrella stand moved to the entrance), and a map
//! walk twice a week by the manager (the supervisor on the first of the month) with the
//! findings a real hall has: reading glasses short, the umbrella stand moved, a brochure
//! rack damaged, now and then an extinguisher out of place. Today's walk is left half done.

use super::hall::DemoHall;
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use servicehall_domain::layout_map::sample;
use servicehall_domain::layout_map::walk::Finding;
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{FindingInput, Store};

fn err(e: impl std::fmt::Display, what: &str) -> CliError {
    CliError::failed(format!(
        "定置图演示数据失败（{what}）：{e} · layout map demo {what}: {e}"
    ))
}

/// What a walk finds at `code`, with the count and the inspector's note.
fn finding_for(
    rng: &mut SplitMix64,
    code: &str,
    expected: i64,
) -> (Finding, Option<i64>, &'static str) {
    let roll = |rng: &mut SplitMix64, p: f64| rng.chance(p);
    match code {
        "reading_glasses" if roll(rng, 0.25) => (
            Finding::Short,
            Some((expected - 1).max(0)),
            "缺 300 度老花镜一副，已申领",
        ),
        "umbrellas" if roll(rng, 0.2) => (
            Finding::Short,
            Some((expected - 2).max(0)),
            "爱心雨伞 2 把借出未还，已登记",
        ),
        "umbrellas" if roll(rng, 0.15) => (Finding::Moved, None, "伞架被挪到柱子后，已归位"),
        "brochure_rack" if roll(rng, 0.12) => {
            (Finding::Damaged, None, "资料架一层隔板松动，已报修")
        }
        "opinion_book" if roll(rng, 0.06) => {
            (Finding::Moved, None, "意见簿放在引导台抽屉里，已放回")
        }
        "water_dispenser" if roll(rng, 0.1) => {
            (Finding::Damaged, None, "饮水机热水指示灯不亮，已报修")
        }
        "fire_extinguisher_hall" if roll(rng, 0.05) => {
            (Finding::Moved, None, "灭火器被移到窗边，已放回定置点")
        }
        "first_aid_kit" if roll(rng, 0.03) => {
            (Finding::Missing, None, "医药箱被拿到后台未归还，已取回")
        }
        "pen_holder" if roll(rng, 0.1) => {
            (Finding::Short, Some((expected - 1).max(0)), "签字笔少一支")
        }
        _ if roll(rng, 0.02) => (Finding::Moved, None, "物品偏离定置点，已归位"),
        _ => (Finding::InPlace, None, ""),
    }
}

/// Seeds the plan and the walks of the `days` before `today` (and a half-done walk today).
/// Returns (walks, failed ones).
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    seed: u64,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<(usize, usize)> {
    let tz = parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let people = store.staff_list(None).await.map_err(|e| err(e, "staff"))?;
    let id_of = |name: &str| people.iter().find(|s| s.username == name).map(|s| s.id);
    let manager = id_of("manager").ok_or_else(|| err("manager", "missing staff"))?;
    let supervisor = id_of("supervisor").unwrap_or(manager);
    let at = |day: NaiveDate, h: u32, m: u32| {
        at_local(
            day,
            NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN),
            tz,
        )
    };
    let first = today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let v1 = sample();
    store
        .save_layout_map(demo.hall.id, &v1, Some(manager), at(first, 8, 0))
        .await
        .map_err(|e| err(e, "layout v1"))?;
    // Three weeks later the umbrella stand moves next to the entrance.
    let mut v2 = v1.clone();
    if let Some(u) = v2.items.iter_mut().find(|i| i.code == "umbrellas") {
        u.x = 200;
        u.y = 1330;
    }
    let v2_day = today
        .checked_sub_days(Days::new(days.min(9)))
        .unwrap_or(today);
    let mut rng = SplitMix64::new(seed).fork(0x1A40);
    let (mut walks, mut failed) = (0, 0);
    let mut day = first;
    let mut saved_v2 = false;
    while day <= today {
        if !saved_v2 && day >= v2_day {
            store
                .save_layout_map(demo.hall.id, &v2, Some(manager), at(day, 7, 50))
                .await
                .map_err(|e| err(e, "layout v2"))?;
            saved_v2 = true;
        }
        let walk_day = matches!(day.weekday(), Weekday::Tue | Weekday::Fri) || day.day() == 1;
        if walk_day || day == today {
            let by = if day.day() == 1 { supervisor } else { manager };
            let start = at(day, 8, 15).min(now - 3_600_000);
            let w = store
                .start_layout_walk(demo.hall.id, by, start)
                .await
                .map_err(|e| err(e, "start"))?;
            let items = w.layout.layout.items.clone();
            // Today's walk stops halfway: the manager is still on the floor.
            let upto = if day == today {
                items.len() / 2
            } else {
                items.len()
            };
            for (n, it) in items.iter().take(upto).enumerate() {
                let (finding, counted, note) = finding_for(&mut rng, &it.code, it.expected);
                let input = FindingInput {
                    item: it.code.clone(),
                    finding,
                    counted,
                    note: note.into(),
                };
                store
                    .record_layout_finding(w.inspection.id, &input, start + 30_000 * (n as i64 + 1))
                    .await
                    .map_err(|e| err(e, "finding"))?;
            }
            if day < today {
                let done = store
                    .submit_inspection(w.inspection.id, start + 900_000)
                    .await
                    .map_err(|e| err(e, "submit"))?;
                walks += 1;
                if done.passed == Some(false) {
                    failed += 1;
                }
            }
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    Ok((walks, failed))
}
