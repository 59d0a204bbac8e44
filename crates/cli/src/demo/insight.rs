//! The demo's satisfaction data: a visit survey on every business type answered by about a
//! quarter of the finished visits (worse at 等候 when the wait was long, a little worse at
//! 缴费), an after-case survey, and the supervisor's observations (内查) twice a week — enough
//! for the emotion curve and the views to look like a real hall's.

use super::hall::DemoHall;
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use chrono::{Datelike, Days, NaiveDate};
use servicehall_domain::TicketState;
use servicehall_domain::insight::Dimension;
use servicehall_domain::insight::observation::{ObservationItem, ObserverKind, Verdict};
use servicehall_domain::insight::survey::{
    ItemKind, SurveyAnswer, SurveyDefinition, SurveyItem, SurveyTrigger,
};
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{ObservationInput, Store};

const MIN: i64 = 60_000;

fn level_item(key: &str, text: &str, tp: &str, dim: Dimension) -> SurveyItem {
    SurveyItem {
        key: key.into(),
        kind: ItemKind::Level,
        text: text.into(),
        touchpoint: Some(tp.into()),
        dimension: Some(dim),
    }
}

fn other(key: &str, kind: ItemKind, text: &str) -> SurveyItem {
    SurveyItem {
        key: key.into(),
        kind,
        text: text.into(),
        touchpoint: None,
        dimension: None,
    }
}

/// The visit survey: one question per moment of the visit, each on a CSI dimension.
pub fn visit_survey() -> SurveyDefinition {
    SurveyDefinition {
        title: "营业厅办电体验回访 How was your visit?".into(),
        trigger: SurveyTrigger::BusinessType,
        window_hours: 72,
        items: vec![
            level_item(
                "welcome",
                "进门时工作人员是否主动问候引导?",
                "welcome",
                Dimension::Attitude,
            ),
            level_item(
                "triage",
                "取号和业务分流是否清楚?",
                "triage",
                Dimension::Disclosure,
            ),
            level_item(
                "waiting_env",
                "等候区环境(座位、整洁、叫号)如何?",
                "waiting",
                Dimension::Environment,
            ),
            level_item(
                "waiting_time",
                "等候时间是否可以接受?",
                "waiting",
                Dimension::Efficiency,
            ),
            level_item(
                "counter",
                "柜员办理是否熟练、一次讲清?",
                "counter",
                Dimension::Professionalism,
            ),
            level_item(
                "payment",
                "缴费时金额是否唱收唱付、清楚明白?",
                "payment",
                Dimension::Disclosure,
            ),
            level_item(
                "farewell",
                "离开时是否得到礼貌送别?",
                "farewell",
                Dimension::Attitude,
            ),
            other(
                "nps",
                ItemKind::Recommend,
                "您有多大可能向亲友推荐本营业厅?",
            ),
            other("comment", ItemKind::Text, "其他意见和建议"),
        ],
    }
}

fn case_survey() -> SurveyDefinition {
    SurveyDefinition {
        title: "工单回访 After your case".into(),
        trigger: SurveyTrigger::CaseClosed,
        window_hours: 168,
        items: vec![
            level_item(
                "follow_up",
                "回访是否及时、问题是否解决?",
                "follow_up",
                Dimension::Efficiency,
            ),
            other(
                "nps",
                ItemKind::Recommend,
                "您有多大可能向亲友推荐本营业厅?",
            ),
            other("comment", ItemKind::Text, "其他意见和建议"),
        ],
    }
}

fn err(e: servicehall_store::StoreError, what: &str) -> CliError {
    CliError::failed(format!("demo {what}: {e}"))
}

/// A level around `mean` with some spread, 1..=5.
fn level(rng: &mut SplitMix64, mean: f64) -> i64 {
    let noise = (rng.f64() + rng.f64() + rng.f64() - 1.5) * 1.2;
    (mean + noise).round().clamp(1.0, 5.0) as i64
}

/// Seeds surveys and observations over the `days` before `today`.
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    seed: u64,
    today: NaiveDate,
    days: u64,
) -> CliResult<(usize, usize)> {
    let tz = parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let first = today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let created = at_local(first, chrono::NaiveTime::MIN, tz) - 86_400_000;
    let types: Vec<i64> = demo.types.iter().map(|t| t.id).collect();
    let payment: Vec<i64> = demo
        .types
        .iter()
        .filter(|t| t.is_payment)
        .map(|t| t.id)
        .collect();
    store
        .create_survey(&visit_survey(), &types, None, created)
        .await
        .map_err(|e| err(e, "survey"))?;
    store
        .create_survey(&case_survey(), &[], None, created)
        .await
        .map_err(|e| err(e, "survey"))?;
    let mut rng = SplitMix64::new(seed).fork(0x1A51);
    let mut answers = 0;
    let mut day = first;
    while day < today {
        let tickets = store
            .day_tickets(demo.hall.id, &day.to_string())
            .await
            .map_err(|e| err(e, "tickets"))?;
        for t in tickets {
            if t.ticket.state != TicketState::Finished || !rng.chance(0.25) {
                continue;
            }
            let queued = t.log.first().map(|e| e.at).unwrap_or(t.ticket.issued_at);
            let called = t
                .log
                .iter()
                .find(|e| e.state == TicketState::Called)
                .map(|e| e.at)
                .unwrap_or(queued);
            let waited_long = called - queued > 20 * MIN;
            let finished = t.ticket.updated_at;
            let token = format!("demo-{}", t.ticket.id);
            let hash = servicehall_web::auth::hash_token(&token);
            let Some(_) = store
                .invite_for_ticket(t.ticket.id, &hash, finished + 2 * MIN)
                .await
                .map_err(|e| err(e, "invitation"))?
            else {
                continue;
            };
            // A customer's general mood, then each moment around it.
            let mood = 4.4 + (rng.f64() - 0.5) * 0.8;
            let is_payment = payment.contains(&t.ticket.business_type_id);
            let mut a = SurveyAnswer::default();
            for (key, shift) in [
                ("welcome", 0.25),
                ("triage", 0.0),
                ("waiting_env", -0.35),
                ("waiting_time", if waited_long { -1.9 } else { -0.6 }),
                ("counter", 0.1),
                ("payment", if is_payment { -0.45 } else { 0.0 }),
                ("farewell", -0.2),
            ] {
                a.values.insert(key.into(), level(&mut rng, mood + shift));
            }
            let avg = a.values.values().sum::<i64>() as f64 / a.values.len() as f64;
            let nps = ((avg - 1.0) * 2.5 + (rng.f64() - 0.3) * 2.0)
                .round()
                .clamp(0.0, 10.0);
            a.values.insert("nps".into(), nps as i64);
            if waited_long && rng.chance(0.3) {
                a.comment = "等候时间太长,希望高峰期多开窗口".into();
            }
            store
                .answer_survey(&hash, &a, finished + rng.range(10, 600) * MIN)
                .await
                .map_err(|e| err(e, "answer"))?;
            answers += 1;
        }
        day = day.succ_opt().unwrap_or(today);
    }
    let observations = observe(store, demo, &mut rng, first, today, tz).await?;
    Ok((answers, observations))
}

/// The supervisor visits on Tuesdays and Thursdays and observes two counters each time.
async fn observe(
    store: &dyn Store,
    demo: &DemoHall,
    rng: &mut SplitMix64,
    first: NaiveDate,
    today: NaiveDate,
    tz: chrono_tz::Tz,
) -> CliResult<usize> {
    let Some((sup, _)) = store
        .staff_login("supervisor")
        .await
        .map_err(|e| err(e, "supervisor"))?
    else {
        return Ok(0);
    };
    let mut n = 0;
    let mut day = first;
    while day < today {
        let wd = day.weekday().num_days_from_monday();
        if wd == 1 || wd == 3 {
            for visit in 0..2 {
                let c = rng.range(0, demo.counters.len() as i64 - 1) as usize;
                let counter = &demo.counters[c];
                let clerk = demo.clerks.get(c).map(|s| s.id);
                let at = at_local(
                    day,
                    chrono::NaiveTime::from_hms_opt(9 + visit * 4 + rng.range(0, 2) as u32, 10, 0)
                        .unwrap_or(chrono::NaiveTime::MIN),
                    tz,
                );
                let items = observation_items(rng);
                let mystery = rng.chance(0.3);
                let input = ObservationInput {
                    hall_id: demo.hall.id,
                    counter_id: Some(counter.id),
                    staff_id: clerk,
                    observer_id: sup.id,
                    observer_kind: if mystery {
                        ObserverKind::MysteryShopper
                    } else {
                        ObserverKind::Supervisor
                    },
                    observed_at: at,
                    note: if mystery {
                        "暗访:以办理电费缴纳客户身份".into()
                    } else {
                        "例行现场检查".into()
                    },
                    evidence: format!("{}号窗口,{} 现场观察约 15 分钟", counter.number, day),
                    photo_ref: String::new(),
                    photo: None,
                    items,
                };
                store
                    .record_observation(&input, at + 20 * MIN)
                    .await
                    .map_err(|e| err(e, "observation"))?;
                n += 1;
            }
        }
        day = day.succ_opt().unwrap_or(today);
    }
    Ok(n)
}

/// Mostly met; 唱收唱付 and 离厅送别 slip now and then, with what was seen.
fn observation_items(rng: &mut SplitMix64) -> Vec<ObservationItem> {
    let lines: [(&str, &[&str], f64, &str); 7] = [
        ("grooming", &["counter"], 0.05, "工牌未佩戴端正"),
        (
            "greet_farewell",
            &["welcome", "farewell"],
            0.25,
            "客户离开时未起身送别",
        ),
        ("standard_phrases", &["counter"], 0.1, "未使用“您好,请坐”"),
        ("read_back", &["payment"], 0.3, "找零金额未唱付"),
        (
            "one_time_notice",
            &["counter"],
            0.12,
            "资料清单未一次告知,客户需补交",
        ),
        ("first_inquiry", &["triage"], 0.05, "咨询转交他人未跟进"),
        (
            "serve_one_settle_two",
            &["call"],
            0.15,
            "未招呼等候中的下一位客户",
        ),
    ];
    lines
        .iter()
        .map(|(code, tps, miss, note)| {
            let verdict = if rng.chance(0.08) {
                Verdict::NotObserved
            } else if rng.chance(*miss) {
                if rng.chance(0.5) {
                    Verdict::NotMet
                } else {
                    Verdict::Partly
                }
            } else {
                Verdict::Met
            };
            ObservationItem {
                code: (*code).into(),
                verdict,
                note: if matches!(verdict, Verdict::NotMet | Verdict::Partly) {
                    (*note).into()
                } else {
                    String::new()
                },
                touchpoints: tps.iter().map(|t| t.to_string()).collect(),
            }
        })
        .collect()
}
