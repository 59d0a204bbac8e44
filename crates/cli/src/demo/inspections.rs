//! 30 days of checks in the demo hall: the manager's opening, midday and closing checks and
//! each clerk's pre-shift grooming, a weekly 定置 check and a monthly on-site check by the
//! supervisor, with the misses a real hall has (a badge left in the locker, an expired
//! ointment in the first-aid kit, a missing umbrella), and the schedule's: a midday round
//! dropped on a busy day, a closing check done late, a clerk at the counter unchecked. The
//! hall blocks unchecked clerks; today clerk5 is still to be checked.

use super::hall::DemoHall;
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use servicehall_domain::Role;
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::schedule::{PreShiftMode, Schedule};
use servicehall_domain::inspections::shipped::shipped;
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{InspectionStart, InspectionTemplate, Store};

fn err(e: impl std::fmt::Display, what: &str) -> CliError {
    CliError::failed(format!(
        "现场检查清单处理失败（{what}）：{e} · inspections {what}: {e}"
    ))
}

/// Loads the shipped checklists (company-wide); a no-op when they are already current.
/// Called by `serve`, `init` and the demo.
pub async fn install_shipped(store: &dyn Store, now: i64) -> CliResult<usize> {
    let all = shipped().map_err(|e| err(e, "shipped templates"))?;
    store
        .install_inspection_templates(&all, now)
        .await
        .map_err(|e| err(e, "install"))
}

/// What an inspector writes when an item fails.
fn note_for(key: &str) -> &'static str {
    match key {
        "badge" => "工号牌忘在更衣柜，已取回佩戴",
        "uniform" => "工装袖口有污渍，已换备用工装",
        "hair" => "刘海过眉，已整理",
        "makeup" => "未化淡妆，已补妆",
        "spirit" => "前一晚值守，精神欠佳，已调整到后台",
        "equipment" => "读卡器未连接，已重新插拔",
        "floor_clean" | "tidy_again" => "入口处有雨水脚印，已安排保洁",
        "queue_system" | "evaluators" => "2 号窗口评价器未开机，已重启",
        "first_aid" => "碘伏一瓶过期，已申领更换",
        "extinguisher" => "灭火器压力指针偏低，已报修更换",
        "reading_glasses" => "缺 300 度老花镜一副",
        "umbrellas" => "爱心雨伞少 2 把未归还",
        "suggestion_book" => "上周 1 条意见未答复，已安排回复",
        "brochure_rack" => "电价宣传单为旧版，已更换",
        "counters_staffed" => "午休时 3 号窗口空岗 10 分钟",
        _ => "现场发现问题，已提醒整改",
    }
}

struct Run<'a> {
    store: &'a dyn Store,
    demo: &'a DemoHall,
    rng: SplitMix64,
    done: usize,
    failed_checks: usize,
}

impl Run<'_> {
    /// One inspection of `t`, each item failing with probability `p` (× `extra` for `weak`).
    async fn check(
        &mut self,
        t: &InspectionTemplate,
        subject: Option<i64>,
        inspector: i64,
        at: i64,
        p: f64,
        weak: Option<&str>,
    ) -> CliResult<()> {
        let input = InspectionStart {
            hall_id: self.demo.hall.id,
            template_id: t.id,
            subject_staff_id: subject,
            inspector_id: inspector,
        };
        let i = self
            .store
            .start_inspection(&input, at)
            .await
            .map_err(|e| err(e, "start"))?;
        for (n, (_, item)) in t.template.items().enumerate() {
            let chance = if weak == Some(item.key.as_str()) {
                p * 8.0
            } else {
                p
            };
            let outcome = if item.key == "restroom" && self.rng.chance(0.3) {
                Outcome::NotApplicable
            } else if self.rng.chance(chance) {
                Outcome::Fail
            } else {
                Outcome::Pass
            };
            let note = if outcome == Outcome::Fail {
                note_for(&item.key)
            } else {
                ""
            };
            let when = at + 20_000 * (n as i64 + 1);
            self.store
                .record_inspection_item(i.id, &item.key, outcome, note, when)
                .await
                .map_err(|e| err(e, "item"))?;
            if outcome == Outcome::Fail {
                super::rectification::finding_photo(self.store, i.id, &item.key, inspector, when)
                    .await?;
            }
        }
        let done = self
            .store
            .submit_inspection(i.id, at + 600_000)
            .await
            .map_err(|e| err(e, "submit"))?;
        self.done += 1;
        if done.passed == Some(false) {
            self.failed_checks += 1;
        }
        Ok(())
    }
}

/// Seeds the checks of the `days` before `today`. Returns (inspections, failed ones).
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    seed: u64,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<(usize, usize)> {
    install_shipped(store, now).await?;
    let tz = parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let templates = store
        .inspection_templates(demo.hall.id)
        .await
        .map_err(|e| err(e, "templates"))?;
    let by_code = |code: &str| {
        templates
            .iter()
            .find(|t| t.template.code == code)
            .cloned()
            .ok_or_else(|| err(code, "missing template"))
    };
    let (grooming, opening, midday, closing, weekly, monthly) = (
        by_code("pre_shift_grooming")?,
        by_code("opening")?,
        by_code("midday")?,
        by_code("closing")?,
        by_code("weekly_placement")?,
        by_code("monthly_on_site")?,
    );
    let people = store
        .staff_list(Some(demo.hall.id))
        .await
        .map_err(|e| err(e, "staff"))?;
    // The hall's manager runs the daily checks (the sister hall's is `zsmanager`).
    let manager = people
        .iter()
        .find(|s| s.username == "manager")
        .or_else(|| people.iter().find(|s| s.role == Role::HallManager))
        .map(|s| s.id)
        .ok_or_else(|| err("manager", "missing staff"))?;
    let supervisor = store
        .staff_list(None)
        .await
        .map_err(|e| err(e, "staff"))?
        .into_iter()
        .find(|s| s.username == "supervisor")
        .map_or(manager, |s| s.id);
    let mut run = Run {
        store,
        demo,
        rng: SplitMix64::new(seed).fork(0x15EC),
        done: 0,
        failed_checks: 0,
    };
    let at = |day: NaiveDate, h: u32, m: u32| {
        at_local(
            day,
            NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN),
            tz,
        )
    };
    let mut day = today.checked_sub_days(Days::new(days)).unwrap_or(today);
    while day < today {
        if day.weekday() != Weekday::Sun {
            run.check(
                &opening,
                None,
                manager,
                at(day, 8, 10),
                0.03,
                Some("floor_clean"),
            )
            .await?;
            // clerk3 is the one who forgets the badge; clerk5 the equipment check. On a busy
            // morning a clerk goes to the counter unchecked (missed) or is checked late.
            for (n, clerk) in demo.clerks.iter().take(5).enumerate() {
                let weak = match n {
                    2 => Some("badge"),
                    4 => Some("equipment"),
                    _ => None,
                };
                let when = if run.rng.chance(0.04) {
                    continue;
                } else if run.rng.chance(0.06) {
                    at(day, 8, 45)
                } else {
                    at(day, 8, 5 + 3 * n as u32)
                };
                run.check(&grooming, Some(clerk.id), manager, when, 0.02, weak)
                    .await?;
            }
            // clerk6 and clerk7 cover counter 6 at the peaks and are checked before them.
            for (clerk, h, m) in demo
                .clerks
                .iter()
                .skip(5)
                .zip([(9, 15), (13, 45)])
                .map(|(c, (h, m))| (c, h, m))
            {
                run.check(
                    &grooming,
                    Some(clerk.id),
                    manager,
                    at(day, h, m),
                    0.02,
                    None,
                )
                .await?;
            }
            // The midday round is the one a busy day drops; the closing one is sometimes late.
            if !run.rng.chance(0.08) {
                run.check(
                    &midday,
                    None,
                    manager,
                    at(day, 12, 40),
                    0.04,
                    Some("counters_staffed"),
                )
                .await?;
            }
            let close = if run.rng.chance(0.06) {
                at(day, 18, 35)
            } else {
                at(day, 17, 35)
            };
            run.check(&closing, None, manager, close, 0.01, None)
                .await?;
        }
        if day.weekday() == Weekday::Mon {
            run.check(
                &weekly,
                None,
                manager,
                at(day, 16, 0),
                0.05,
                Some("umbrellas"),
            )
            .await?;
        }
        if day.day() == 1 {
            run.check(&monthly, None, supervisor, at(day, 10, 0), 0.06, None)
                .await?;
        }
        day = day.succ_opt().unwrap_or(today);
    }
    // Today so far: the opening check and four clerks' pre-shift checks; clerk5 is not
    // checked yet, so the hall's block keeps that counter shut and the dashboard shows it.
    if today.weekday() != Weekday::Sun && now > at(today, 8, 40) {
        run.check(&opening, None, manager, at(today, 8, 10), 0.03, None)
            .await?;
        for (n, clerk) in demo.clerks.iter().take(4).enumerate() {
            let when = at(today, 8, 5 + 3 * n as u32);
            run.check(&grooming, Some(clerk.id), manager, when, 0.02, None)
                .await?;
        }
    }
    let schedule = Schedule {
        pre_shift_mode: PreShiftMode::Block,
        ..Schedule::default()
    };
    store
        .change_inspection_schedule(demo.hall.id, &schedule, Some(manager), now)
        .await
        .map_err(|e| err(e, "schedule"))?;
    Ok((run.done, run.failed_checks))
}
