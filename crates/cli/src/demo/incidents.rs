//! The demo hall's past incidents: a 营销系统故障 six days ago, run through its checklist (one
//! step late), with the counters' manual entries back-entered and its review recorded (two
//! action cases, linked to a risk code); and a 客流激增 two days ago, closed and waiting for
//! its review. Also installs the shipped playbooks for `serve`, `init` and the demo.

use super::hall::DemoHall;
use crate::{CliError, CliResult};
use chrono::{Days, NaiveDate, NaiveTime};
use servicehall_domain::Role;
use servicehall_domain::incidents::ReviewAction;
use servicehall_domain::incidents::shipped::shipped;
use servicehall_domain::time::{at_local, parse_tz};
use servicehall_store::{IncidentDeclare, IncidentReviewInput, ManualEntryInput, Store};

fn err(e: impl std::fmt::Display, what: &str) -> CliError {
    CliError::failed(format!(
        "应急预案处理失败（{what}）：{e} · incidents {what}: {e}"
    ))
}

/// Loads the shipped playbooks (company-wide); a no-op when they are already current.
pub async fn install_shipped(store: &dyn Store, now: i64) -> CliResult<usize> {
    let all = shipped().map_err(|e| err(e, "shipped playbooks"))?;
    store
        .install_playbooks(&all, now)
        .await
        .map_err(|e| err(e, "install"))
}

const MIN: i64 = 60_000;

/// Seeds the past incidents. Returns how many.
pub async fn seed(
    store: &dyn Store,
    demo: &DemoHall,
    today: NaiveDate,
    now: i64,
) -> CliResult<usize> {
    install_shipped(store, now).await?;
    let tz = parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let staff = store
        .staff_list(Some(demo.hall.id))
        .await
        .map_err(|e| err(e, "staff"))?;
    let manager = staff
        .iter()
        .find(|s| s.role == Role::HallManager)
        .ok_or_else(|| err("no hall manager", "staff"))?;
    let guide = staff
        .iter()
        .find(|s| s.role == Role::Guide)
        .unwrap_or(manager);
    let clerks = &demo.clerks;
    let at = |days: u64, h: u32, m: u32| {
        let day = today.checked_sub_days(Days::new(days)).unwrap_or(today);
        at_local(
            day,
            NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default(),
            tz,
        )
    };

    // 营销系统故障, six days ago 10:05–11:20.
    let t0 = at(6, 10, 5);
    let i = store
        .declare_incident(
            &IncidentDeclare {
                hall_id: demo.hall.id,
                kind: "business_system".into(),
                note: "营销系统登录超时，缴费和业扩受理均无法办理".into(),
                by: manager.id,
            },
            t0,
        )
        .await
        .map_err(|e| err(e, "declare"))?;
    // (step, who, minutes after the declaration): the guide's step came late.
    let clerk = clerks.first().unwrap_or(manager);
    for (step, who, after) in [
        ("report_it", manager.id, 1),
        ("counters_manual", clerk.id, 4),
        ("guide_customers", guide.id, 14),
    ] {
        store
            .complete_incident_step(i.id, step, who, t0 + after * MIN)
            .await
            .map_err(|e| err(e, "step"))?;
    }
    let payment = demo
        .types
        .first()
        .ok_or_else(|| err("no business", "types"))?;
    let entries = [
        ("王秀英", "0203345567", 15_680, "现金，已开手工收据"),
        ("大连港湾物业", "0209981230", 328_450, "对公转账凭证已留存"),
        ("刘建国", "0201123489", 8_800, "现金"),
    ];
    let mut ids = Vec::new();
    for (k, (name, account, fen, note)) in entries.iter().enumerate() {
        let c = clerks.get(k % clerks.len().max(1)).unwrap_or(manager);
        let e = store
            .record_manual_entry(
                &ManualEntryInput {
                    hall_id: demo.hall.id,
                    counter_id: demo.counters.get(k).map(|c| c.id),
                    business_type_id: payment.id,
                    customer_name: (*name).into(),
                    account_no: (*account).into(),
                    phone: String::new(),
                    amount_fen: Some(*fen),
                    note: (*note).into(),
                    by: c.id,
                },
                t0 + (20 + 10 * k as i64) * MIN,
            )
            .await
            .map_err(|e| err(e, "manual entry"))?;
        ids.push((e.id, c.id));
    }
    let closed = t0 + 75 * MIN;
    store
        .complete_incident_step(i.id, "back_enter", clerk.id, closed + 40 * MIN)
        .await
        .map_err(|e| err(e, "step"))?;
    for (k, (id, by)) in ids.iter().enumerate() {
        store
            .back_enter_manual_entry(
                *id,
                &format!("YX{}{:04}", t0 / 100_000, 17 + k),
                *by,
                closed + (20 + 5 * k as i64) * MIN,
            )
            .await
            .map_err(|e| err(e, "back-enter"))?;
    }
    store
        .close_incident(i.id, manager.id, closed + 45 * MIN)
        .await
        .map_err(|e| err(e, "close"))?;
    let day = 24 * 60 * MIN;
    store
        .review_incident(
            i.id,
            &IncidentReviewInput {
                cause:
                    "营销系统数据库主备切换失败，登录服务超时 75 分钟；引导员未及时告知等候客户。"
                        .into(),
                risk_code: Some("R06".into()),
                actions: vec![
                    ReviewAction {
                        text: "与信息运维确认主备切换演练计划，故障 5 分钟内通知营业厅".into(),
                        owner_id: manager.id,
                        due_at: closed + 14 * day,
                    },
                    ReviewAction {
                        text: "引导员培训系统故障告知话术，纳入班前会".into(),
                        owner_id: guide.id,
                        due_at: closed + 7 * day,
                    },
                ],
            },
            manager.id,
            at(5, 9, 0),
        )
        .await
        .map_err(|e| err(e, "review"))?;

    // 客流激增, two days ago 9:10–9:55: closed, not reviewed yet.
    let t1 = at(2, 9, 10);
    let c = store
        .declare_incident(
            &IncidentDeclare {
                hall_id: demo.hall.id,
                kind: "crowd".into(),
                note: "月初电费缴纳高峰，等候超过 40 人".into(),
                by: manager.id,
            },
            t1,
        )
        .await
        .map_err(|e| err(e, "declare"))?;
    for (step, who, after) in [("open_counters", manager.id, 4), ("triage", guide.id, 9)] {
        store
            .complete_incident_step(c.id, step, who, t1 + after * MIN)
            .await
            .map_err(|e| err(e, "step"))?;
    }
    store
        .close_incident(c.id, manager.id, t1 + 45 * MIN)
        .await
        .map_err(|e| err(e, "close"))?;
    Ok(2)
}
