//! Appointments with the rest of the demo hall: the manager opened bookings two weeks ahead
//! (an audited change of the booking rules), and 刘建国 — who agreed to case-progress SMS —
//! has his complaint's first step done and a call-back scheduled, each with its notice in
//! the delivery log. Run after the customers' seed; does nothing when already done.

use super::hall::DemoHall;
use crate::CliResult;
use servicehall_domain::Role;
use servicehall_domain::appointments::AppointmentPolicy;
use servicehall_domain::customers::{ContactChannel, Purpose, consent_now};
use servicehall_domain::notify::NotifyEvent;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{CaseList, CaseNoticeInput, ConsentInput, Store};

const HOUR: i64 = 3_600_000;
const ACCOUNT: &str = "0411300218";

/// Seeds the links; returns how many case notices were queued.
pub async fn seed(store: &dyn Store, demo: &DemoHall, now: i64) -> CliResult<usize> {
    let hall = demo.hall.id;
    let settings = store.appointment_settings(hall).await?;
    if settings.updated_at.is_none() {
        let manager = store
            .staff_list(Some(hall))
            .await?
            .into_iter()
            .find(|s| s.role == Role::HallManager)
            .map(|s| s.id);
        let wider = AppointmentPolicy {
            days_ahead: 14,
            ..settings.policy
        };
        store
            .set_appointment_settings(hall, &wider, manager, now - 3 * 24 * HOUR)
            .await?;
    }
    let Some(customer) = store.find_by_account(hall, ACCOUNT).await? else {
        return Ok(0);
    };
    let Some(case) = store
        .cases(hall, CaseList::Open, now)
        .await?
        .into_iter()
        .find(|c| c.case.account_no == ACCOUNT)
    else {
        return Ok(0);
    };
    let id = case.case.id;
    let detail = store.case(id, now).await?;
    if detail
        .steps
        .first()
        .is_none_or(|s| s.completed_at.is_some())
    {
        return Ok(0);
    }
    let opened = case.case.created_at;
    let consents: Vec<_> = store
        .consent_records(customer.id)
        .await?
        .into_iter()
        .map(|r| r.event)
        .collect();
    if consent_now(&consents, Purpose::CaseProgress, opened).is_none() {
        let grant = ConsentInput {
            purpose: Purpose::CaseProgress,
            channel: Some(ContactChannel::Sms),
            granted: true,
            note: "登记投诉时柜台签字".into(),
        };
        store
            .record_consent(customer.id, &grant, Some(case.case.owner_id), opened)
            .await?;
    }
    let owner = case.case.owner_id;
    let step = &detail.steps[0];
    let done_at = (opened + 2 * HOUR).min(now);
    store
        .complete_step(
            id,
            &step.code,
            owner,
            "已电话联系客户，说明停电通知流程",
            done_at,
        )
        .await?;
    let notice = |event, detail: String| CaseNoticeInput {
        case_id: id,
        event,
        detail,
        channel: "log".into(),
    };
    let mut queued = 0;
    if store
        .queue_case_notice(
            &notice(NotifyEvent::CaseStepDone, step.name_zh.clone()),
            done_at,
        )
        .await?
        .is_some()
    {
        queued += 1;
    }
    let tz = parse_tz(&demo.hall.timezone).map_err(crate::CliError::failed)?;
    // Tomorrow (from now) at 15:00, hall time: agreed with the customer on the phone.
    let tomorrow = local(now, tz).date_naive() + chrono::Days::new(1);
    let at = servicehall_domain::time::at_local(
        tomorrow,
        chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default(),
        tz,
    );
    let planned_at = (opened + 3 * HOUR).min(now);
    store
        .schedule_callback(id, at, owner, "客户下午方便接听", planned_at)
        .await?;
    let when = local(at, tz).format("%Y-%m-%d %H:%M").to_string();
    if store
        .queue_case_notice(&notice(NotifyEvent::CallbackScheduled, when), planned_at)
        .await?
        .is_some()
    {
        queued += 1;
    }
    Ok(queued)
}
