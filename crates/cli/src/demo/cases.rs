//! The demo's cases (工单) over the simulated days: connection applications (居民 and 低压/高压
//! 非居民, with their State Grid step limits), complaints with contact, reply and 回访,
//! suggestions and inquiry follow-ups. Most steps finish well inside their limits, a few
//! late, some wait for the customer's documents (a paused clock), and the recent ones are
//! still open — so the lists, the case page and the on-time rate have real figures.

use super::hall::DemoHall;
use crate::CliResult;
use crate::prng::SplitMix64;
use chrono::{NaiveDate, NaiveTime};
use servicehall_domain::cases::{CaseKind, ClockState, CustomerClass};
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{Callback, CaseDetail, OpenCase, Store};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// What to open: kind, business type code, class, summary, weight.
const MIX: [(CaseKind, Option<&str>, CustomerClass, &str, f64); 6] = [
    (
        CaseKind::Application,
        Some("new_residential"),
        CustomerClass::Resident,
        "居民新装 220V 一户一表",
        0.34,
    ),
    (
        CaseKind::Application,
        Some("new_business"),
        CustomerClass::LowVoltage,
        "商铺新装 380V 40kW",
        0.20,
    ),
    (
        CaseKind::Application,
        Some("new_business"),
        CustomerClass::HvSingle,
        "厂房增容 10kV 630kVA",
        0.05,
    ),
    (
        CaseKind::Complaint,
        None,
        CustomerClass::Resident,
        "投诉：抄表数据与电表不符，要求核实",
        0.14,
    ),
    (
        CaseKind::Opinion,
        None,
        CustomerClass::Resident,
        "建议：营业厅增设老年人爱心座椅",
        0.10,
    ),
    (
        CaseKind::InquiryFollowUp,
        None,
        CustomerClass::Resident,
        "咨询：峰谷电价执行时段与申请条件",
        0.17,
    ),
];

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建国", "秀英", "丽娟", "志强", "海燕", "文博", "淑珍", "晓东", "桂兰", "明", "欣怡", "宇航",
];

#[derive(Debug, Default)]
pub struct CaseStats {
    pub opened: usize,
    pub closed: usize,
    pub late_steps: usize,
    /// The last case opened: its number and the customer's access code, to try `/case`.
    pub example: Option<(String, String)>,
}

/// The running clock of the case's current step, if any: (key, deadline).
fn current_clock(d: &CaseDetail) -> Option<(String, i64)> {
    let step = d.current_step()?;
    d.clocks
        .iter()
        .filter(|c| c.step_code == step.code && c.state == ClockState::Running)
        .filter_map(|c| c.view.deadline.map(|dl| (c.key.clone(), dl)))
        .min_by_key(|c| c.1)
}

pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    seed: u64,
    today: NaiveDate,
    days: u64,
    now: i64,
) -> CliResult<CaseStats> {
    let mut rng = SplitMix64::new(seed).fork(0xCA5E);
    let tz = parse_tz(&demo.hall.timezone).map_err(crate::CliError::failed)?;
    let weights: Vec<f64> = MIX.iter().map(|m| m.4).collect();
    let mut stats = CaseStats::default();
    for back in (1..=days.min(30)).rev() {
        let Some(day) = today.checked_sub_days(chrono::Days::new(back)) else {
            continue;
        };
        let opening = at_local(day, NaiveTime::MIN, tz);
        for _ in 0..rng.range(2, 4) {
            let opened_at = opening + 9 * HOUR + rng.range(0, 7 * 60) * MIN;
            if opened_at >= now {
                continue;
            }
            let (kind, bt_code, class, summary, _) = MIX[rng.weighted(&weights)];
            let business_type_id = bt_code
                .and_then(|c| demo.types.iter().find(|b| b.code == c))
                .map(|b| b.id);
            let owner = demo.clerks[rng.range(0, demo.clerks.len() as i64 - 1) as usize].id;
            let name = format!(
                "{}{}",
                SURNAMES[rng.range(0, 11) as usize],
                GIVEN[rng.range(0, 11) as usize]
            );
            let d = store
                .open_case(
                    &OpenCase {
                        hall_id: demo.hall.id,
                        kind,
                        business_type_id,
                        customer_class: class,
                        customer_name: name,
                        customer_phone: format!("139{:08}", rng.range(0, 99_999_999)),
                        account_no: format!("0{:09}", rng.range(0, 999_999_999)),
                        summary: summary.into(),
                        ticket_id: None,
                        by: owner,
                    },
                    opened_at,
                )
                .await?;
            stats.opened += 1;
            stats.example = Some((
                d.case.number.clone(),
                servicehall_domain::cases::access_code::display(&d.case.access_code),
            ));
            if walk(store, &mut rng, d, owner, now, &mut stats).await? {
                stats.closed += 1;
            }
        }
    }
    Ok(stats)
}

/// Works a case step by step up to `now`; true when it ended closed.
async fn walk(
    store: &dyn Store,
    rng: &mut SplitMix64,
    mut d: CaseDetail,
    owner: i64,
    now: i64,
    stats: &mut CaseStats,
) -> CliResult<bool> {
    let id = d.case.id;
    let mut t = d.case.created_at;
    // A connection application may wait for the customer's documents first.
    if d.case.kind == CaseKind::Application
        && rng.chance(0.15)
        && let Some((key, _)) = current_clock(&d)
    {
        let (paused, resumed) = (t + 2 * HOUR, t + rng.range(1, 3) * DAY);
        if resumed < now {
            store
                .pause_clock(id, &key, "等待客户补充产权证明", owner, paused)
                .await?;
            d = store.resume_clock(id, &key, owner, resumed).await?;
            t = resumed;
        }
    }
    while let Some(step) = d.current_step().cloned() {
        let done_at = match current_clock(&d) {
            Some((_, deadline)) => {
                let span = (deadline - t).max(HOUR);
                if rng.chance(0.06) {
                    stats.late_steps += 1;
                    // Past the limit in working time too: evenings and weekends do not count,
                    // so go several days past the deadline.
                    deadline + rng.range(4, 6) * DAY + rng.range(1, 3) * HOUR
                } else {
                    t + (span as f64 * (0.2 + 0.7 * rng.f64())) as i64
                }
            }
            // A step without a clock (the complaint's 回访) follows within a day.
            None => t + rng.range(2, 20) * HOUR,
        };
        if done_at >= now {
            return Ok(false);
        }
        if step.code == "callback" {
            store
                .record_callback(
                    id,
                    &Callback {
                        reached: true,
                        satisfied: rng.chance(0.85),
                        note: "客户认可处理结果".into(),
                    },
                    owner,
                    done_at,
                )
                .await?;
        }
        d = store
            .complete_step(id, &step.code, owner, "已办结", done_at)
            .await?;
        t = done_at;
    }
    let close_at = t + rng.range(10, 90) * MIN;
    if close_at >= now {
        return Ok(false);
    }
    store.close_case(id, owner, "办结归档", close_at).await?;
    Ok(true)
}
