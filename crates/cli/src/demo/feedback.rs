//! The demo's feedback: phone ratings (一事一评) on a share of the simulated visits, an
//! imported outside survey and a 95598 call-back batch (外评, each with a couple of bad rows
//! so the import report has something to say), and the recovery cases (服务补救) that the
//! bad ratings opened, worked to various states: closed, called back and rectifying, or
//! still waiting for the call-back. One clerk (clerk3 张伟) presses his own pad right
//! after finishing (see sim.rs), so the anti-gaming screen has a real flag to show.

use super::hall::DemoHall;
use crate::CliResult;
use crate::prng::SplitMix64;
use servicehall_domain::Role;
use servicehall_domain::feedback::phone::TouchpointLevel;
use servicehall_domain::queue::rating::BAD_REASONS;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{
    Callback, CaseStore, ExternalSource, FeedbackStore, HallStore, PhoneRatingInput, QueueStore,
    SqlStore,
};

/// Index into `DemoHall::clerks` of the clerk whose pad ratings arrive implausibly fast.
pub const GAMING_CLERK: usize = 2;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct FeedbackStats {
    pub phone_ratings: usize,
    pub imported: i64,
    pub recovery_cases: usize,
    pub closed: usize,
    pub called_back: usize,
}

const COMMENTS: [&str; 5] = [
    "柜员很耐心，讲得清楚",
    "等候时间有点长",
    "环境整洁，服务热情",
    "希望多开几个窗口",
    "一次就办好了，谢谢",
];

fn phone_no(rng: &mut SplitMix64) -> String {
    format!("139{:08}", rng.range(0, 99_999_999))
}

/// Adds the feedback history; `now` is the demo's present.
pub async fn seed(
    store: &SqlStore,
    demo: &DemoHall,
    seed: u64,
    now: i64,
) -> CliResult<FeedbackStats> {
    let mut rng = SplitMix64::new(seed ^ 0xFEED_BAC4);
    let mut stats = FeedbackStats::default();
    let hall = &demo.hall;
    let tz = parse_tz(&hall.timezone).map_err(crate::CliError::failed)?;

    // 一事一评: a visit is rated once. About two in five of the visits nobody rated on the pad
    // are rated on the phone instead, minutes to hours later.
    let visits = store.pad_visits(hall.id, now - 40 * DAY, now).await?;
    for v in &visits {
        if v.rating.is_some() || !rng.chance(0.4) {
            continue;
        }
        let at = v.finished_at + rng.range(3 * MIN, 6 * HOUR);
        if at > now {
            continue;
        }
        let level = rng.weighted(&[0.03, 0.05, 0.12, 0.30, 0.50]) as i64 + 1;
        let mut touchpoints = Vec::new();
        for tp in [
            "welcome", "triage", "waiting", "call", "counter", "farewell",
        ] {
            if rng.chance(0.7) {
                let dip = if tp == "waiting" { 1 } else { 0 };
                let l = (level + rng.range(-1, 1) - dip).clamp(1, 5);
                touchpoints.push(TouchpointLevel {
                    touchpoint: tp.into(),
                    level: l,
                });
            }
        }
        let bad = level <= 2;
        let reasons = if bad {
            let mut r = vec![BAD_REASONS[rng.range(0, 5) as usize].0.to_string()];
            if rng.chance(0.4) && r[0] != "long_wait" {
                r.push("long_wait".into());
            }
            r
        } else {
            Vec::new()
        };
        let input = PhoneRatingInput {
            level,
            touchpoints,
            reasons,
            comment: if rng.chance(0.25) {
                COMMENTS[rng.range(0, 4) as usize].into()
            } else {
                String::new()
            },
            contact_phone: if bad && rng.chance(0.7) {
                phone_no(&mut rng)
            } else {
                String::new()
            },
            contact_name: if bad { "客户".into() } else { String::new() },
        };
        let code = store.ticket(v.ticket_id).await?.code;
        store.rate_by_phone(&code, &input, at).await?;
        stats.phone_ratings += 1;
    }

    // 外评: an outside survey of the last 25 days, and this morning's 95598 call-backs.
    let supervisor = store
        .staff_list(None)
        .await?
        .into_iter()
        .find(|s| s.role == Role::Supervisor)
        .map(|s| s.id)
        .unwrap_or(demo.clerks[0].id);
    let codes = ["payment", "new_residential", "inquiry", "name_change"];
    let known: Vec<String> = demo.types.iter().map(|t| t.code.clone()).collect();
    let mut survey = String::from(
        "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n",
    );
    for i in 1..=48 {
        let at = now - 2 * DAY - rng.range(0, 23) * DAY - rng.range(0, 8) * HOUR;
        let level = rng.weighted(&[0.02, 0.04, 0.10, 0.34, 0.50]) + 1;
        let bt = codes[rng.range(0, 3) as usize];
        let bt = if known.iter().any(|k| k == bt) {
            bt
        } else {
            ""
        };
        let tp = ["waiting", "counter", "payment", "welcome"][rng.range(0, 3) as usize];
        let (reasons, phone) = if level <= 2 {
            ("等候时间长;办理速度慢", phone_no(&mut rng))
        } else {
            ("", String::new())
        };
        survey.push_str(&format!(
            "SV2025-{i:04},{},{},{level},{bt},{tp},{reasons},,{phone}\n",
            hall.code,
            local(at, tz).format("%Y-%m-%d %H:%M")
        ));
    }
    // Two rows as outside files really come: a level out of range, a hall that is not ours.
    survey.push_str(&format!(
        "SV2025-0049,{},2025-11-03,6,payment,,,,\n",
        hall.code
    ));
    survey.push_str("SV2025-0050,DL-ZS,2025-11-03,4,payment,,,,\n");
    let r = store
        .import_external(
            ExternalSource::Survey,
            "西岗营业厅第三方满意度调查.csv",
            &survey,
            supervisor,
            None,
            now - 2 * DAY,
        )
        .await?;
    stats.imported += r.rows_imported;
    let mut calls = String::from(
        "来源编号,营业厅编码,评价时间,评价等级,业务类型,不满意原因,客户意见,联系电话\n",
    );
    for i in 1..=12 {
        let at = now - 2 * HOUR - rng.range(0, 20) * HOUR;
        let level = if i == 3 {
            "不满意"
        } else {
            ["满意", "非常满意", "基本满意"][rng.range(0, 2) as usize]
        };
        let (reason, phone) = if i == 3 {
            ("告知不清楚", phone_no(&mut rng))
        } else {
            ("", String::new())
        };
        calls.push_str(&format!(
            "95598-{i:05},{},{},{level},payment,{reason},,{phone}\n",
            hall.code,
            local(at, tz).format("%Y-%m-%d %H:%M")
        ));
    }
    let r = store
        .import_external(
            ExternalSource::Callback95598,
            "95598回访明细.csv",
            &calls,
            supervisor,
            None,
            now - HOUR,
        )
        .await?;
    stats.imported += r.rows_imported;

    // 服务补救: older cases closed, recent ones called back and rectifying, the newest open.
    let manager = store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .find(|s| s.role == Role::HallManager)
        .map(|s| s.id)
        .unwrap_or(demo.clerks[0].id);
    let items = store.recovery_items(hall.id, 0, now + 1, now).await?;
    stats.recovery_cases = items.len();
    for it in &items {
        let age = now - it.at;
        if age < 2 * DAY {
            continue;
        }
        let call_at = it.at + rng.range(1, 6) * HOUR;
        if it.real_name {
            store
                .record_callback(
                    it.case_id,
                    &Callback {
                        reached: true,
                        satisfied: rng.chance(0.8),
                        note: "已致歉，说明原因与改进措施".into(),
                    },
                    manager,
                    call_at,
                )
                .await?;
            stats.called_back += 1;
        }
        let note = if it.real_name {
            "已回访"
        } else {
            "匿名评价，无法回访；已在班前会通报"
        };
        store
            .complete_step(it.case_id, "callback", manager, note, call_at)
            .await?;
        if age > 5 * DAY {
            let fix_at = it.at + rng.range(1, 3) * DAY;
            store
                .complete_step(
                    it.case_id,
                    "rectify",
                    manager,
                    "已整改：高峰时段增开窗口",
                    fix_at,
                )
                .await?;
            store
                .close_case(it.case_id, manager, "闭环", fix_at)
                .await?;
            stats.closed += 1;
        }
    }
    Ok(stats)
}
