//! Unit tests of the case rules on the weekends-only clock and the official calendar.

use super::*;
use crate::Role;
use chrono::{FixedOffset, TimeZone};

const H: i64 = 3_600_000;

/// Hall-local (UTC+8) instant.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .timestamp_millis()
}

fn log(events: &[ClockEvent]) -> Result<ClockLog, ClockError> {
    ClockLog::from_events("reply.step", events)
}

#[test]
fn weekday_clock_counts_like_the_calendar() {
    let wc = WeekdayClock;
    // Friday 2025-11-28 10:00 + 3 working days: Mon, Tue, Wed → Wed 17:30.
    let fri = at(2025, 11, 28, 10, 0);
    assert_eq!(
        wc.deadline(fri, Amount::WorkingDays(3)),
        at(2025, 12, 3, 17, 30)
    );
    // 4 working hours from Friday 16:00: 1.5 h Friday, 2.5 h Monday from 08:30 → 11:00.
    assert_eq!(
        wc.deadline(at(2025, 11, 28, 16, 0), Amount::WorkingHours(4)),
        at(2025, 12, 1, 11, 0)
    );
    assert_eq!(wc.deadline(fri, Amount::Hours(24)), fri + 24 * H);
    // calendar day 1 is Saturday → next working day's close.
    assert_eq!(
        wc.deadline(fri, Amount::CalendarDays(1)),
        at(2025, 12, 1, 17, 30)
    );
    // working time across lunch and the weekend
    assert_eq!(
        wc.between(
            at(2025, 11, 28, 11, 0),
            at(2025, 12, 1, 9, 30),
            Measure::Working
        ),
        H + 4 * H + H
    );
    assert_eq!(
        wc.advance(at(2025, 11, 28, 11, 0), 6 * H, Measure::Working),
        at(2025, 12, 1, 9, 30)
    );
}

#[test]
fn the_official_calendar_skips_national_day_and_counts_make_up_days() {
    let cal = hall_clock("Asia/Shanghai");
    // 2025-09-30 10:00 + 1 working day: 10-01…10-08 are holidays → 10-09 17:30.
    let from = at(2025, 9, 30, 10, 0);
    assert_eq!(
        WorkClock::deadline(&*cal, from, Amount::WorkingDays(1)),
        at(2025, 10, 9, 17, 30)
    );
    assert_eq!(
        WeekdayClock.deadline(from, Amount::WorkingDays(1)),
        at(2025, 10, 1, 17, 30)
    );
}

#[test]
fn default_processes_follow_the_published_commitments() {
    let days = |p: &Process| -> Vec<(String, u32)> {
        p.steps
            .iter()
            .map(|s| (s.code.clone(), s.clocks.first().map_or(0, |c| c.amount.n())))
            .collect()
    };
    let res = default_process(
        CaseKind::Application,
        Some("new_connection"),
        CustomerClass::Resident,
    );
    assert_eq!(
        days(&res),
        [("scheme_reply".into(), 3), ("connection".into(), 3)]
    );
    let low = default_process(
        CaseKind::Application,
        Some("new_connection"),
        CustomerClass::LowVoltage,
    );
    assert_eq!(
        days(&low),
        [("scheme_reply".into(), 7), ("connection".into(), 5)]
    );
    let hv1 = default_process(
        CaseKind::Application,
        Some("capacity_increase"),
        CustomerClass::HvSingle,
    );
    assert_eq!(
        days(&hv1),
        [
            ("scheme_reply".into(), 15),
            ("design_review".into(), 10),
            ("mid_inspection".into(), 5),
            ("completion_inspection".into(), 5),
            ("connection".into(), 5)
        ]
    );
    let hv2 = default_process(
        CaseKind::Application,
        Some("new_connection"),
        CustomerClass::HvDual,
    );
    assert_eq!(days(&hv2)[0], ("scheme_reply".into(), 30));
    let other = default_process(
        CaseKind::Application,
        Some("name_change"),
        CustomerClass::Resident,
    );
    assert_eq!(days(&other), [("handle".into(), 5)]);
    assert_eq!(other.steps[0].clocks[0].source, process::SRC_SAMPLE);
    let c = default_process(CaseKind::Complaint, None, CustomerClass::Resident);
    assert_eq!(c.steps[0].clocks[0].amount, Amount::Hours(24));
    assert_eq!(c.steps[1].clocks[0].amount, Amount::WorkingDays(5));
    assert_eq!(c.steps[2].code, CALLBACK_STEP);
    assert!(c.steps[0].clocks[0].source.contains("十项承诺"));
    assert_eq!(
        days(&default_process(
            CaseKind::Opinion,
            None,
            CustomerClass::Resident
        )),
        [("reply".into(), 10)]
    );
    assert_eq!(
        days(&default_process(
            CaseKind::InquiryFollowUp,
            None,
            CustomerClass::Resident
        )),
        [("reply".into(), 1)]
    );
    for p in [res, low, hv1, hv2, other, c] {
        p.validate().unwrap();
    }
}

#[test]
fn clock_events_are_guarded() {
    let t = at(2025, 11, 28, 10, 0);
    let started = ClockEvent::Started { at: t };
    let pause = |at| ClockEvent::Paused {
        at,
        reason: "等待客户补充资料".into(),
        by: Some(1),
    };
    let e = log(&[pause(t)]).unwrap_err();
    assert!(
        e.to_string().contains("only a running clock can be paused"),
        "{e}"
    );
    let e = log(&[started.clone(), ClockEvent::Resumed { at: t + 1 }]).unwrap_err();
    assert!(matches!(e, ClockError::ResumeNotPaused { .. }));
    let e = log(&[
        started.clone(),
        pause(t + 1),
        ClockEvent::Resumed { at: t + 2 },
        ClockEvent::Resumed { at: t + 3 },
    ])
    .unwrap_err();
    assert!(
        e.to_string().contains("only a paused clock can be resumed"),
        "{e}"
    );
    let e = log(&[
        started.clone(),
        ClockEvent::Stopped { at: t + 1 },
        ClockEvent::Stopped { at: t + 2 },
    ])
    .unwrap_err();
    assert_eq!(
        e,
        ClockError::StoppedTwice {
            key: "reply.step".into()
        }
    );
    let e = log(&[
        started.clone(),
        ClockEvent::Paused {
            at: t + 1,
            reason: " ".into(),
            by: None,
        },
    ])
    .unwrap_err();
    assert_eq!(e, ClockError::PauseWithoutReason);
    let e = log(&[started, pause(t - 1)]).unwrap_err();
    assert!(matches!(e, ClockError::OutOfOrder { .. }));
}

#[test]
fn paused_time_does_not_count_up_to_the_cap() {
    let wc = WeekdayClock;
    let p = ClockPolicy::default();
    let t = at(2025, 12, 1, 8, 30); // Monday opening
    let amount = Amount::WorkingDays(3);
    let base = log(&[ClockEvent::Started { at: t }]).unwrap();
    let v = evaluate(amount, &base, at(2025, 12, 1, 12, 0), &p, &wc);
    assert_eq!(v.status, ClockStatus::Running);
    // limit: the rest of Monday (7.5 h) + 3 working days
    assert_eq!(v.limit_ms, 4 * 7 * H + 2 * H);
    assert_eq!(v.elapsed_ms, 3 * H + H / 2);
    assert_eq!(v.deadline, Some(at(2025, 12, 4, 17, 30)));
    // paused Monday 12:00 → Tuesday 12:00 (one working day) pushes the deadline one day.
    let paused = log(&[
        ClockEvent::Started { at: t },
        ClockEvent::Paused {
            at: at(2025, 12, 1, 12, 0),
            reason: "等待客户资料".into(),
            by: None,
        },
        ClockEvent::Resumed {
            at: at(2025, 12, 2, 12, 0),
        },
    ])
    .unwrap();
    let v = evaluate(amount, &paused, at(2025, 12, 2, 12, 0), &p, &wc);
    assert_eq!(v.elapsed_ms, 3 * H + H / 2);
    assert_eq!(v.deadline, Some(at(2025, 12, 5, 17, 30)));
    assert_eq!(v.excused_ms, 24 * H);
    // a cap of 2 calendar hours: only 12:00–14:00 is excused (30 minutes of it working).
    let capped = ClockPolicy {
        pause_cap_ms: 2 * H,
        ..ClockPolicy::default()
    };
    let v = evaluate(amount, &paused, at(2025, 12, 2, 12, 0), &capped, &wc);
    assert_eq!(v.excused_ms, 2 * H);
    // Monday 08:30–12:00 and 14:00–17:30, Tuesday 08:30–12:00
    assert_eq!(v.elapsed_ms, 3 * (3 * H + H / 2));
    // while paused, the deadline is the one it would have if resumed now
    let still = log(&[
        ClockEvent::Started { at: t },
        ClockEvent::Paused {
            at: at(2025, 12, 1, 12, 0),
            reason: "客户预约".into(),
            by: None,
        },
    ])
    .unwrap();
    let v = evaluate(amount, &still, at(2025, 12, 2, 12, 0), &p, &wc);
    assert_eq!(v.status, ClockStatus::Paused);
    assert_eq!(v.deadline, Some(at(2025, 12, 5, 17, 30)));
}

#[test]
fn warning_levels_and_outcomes() {
    let wc = WeekdayClock;
    let p = ClockPolicy::default();
    let t = at(2025, 12, 1, 10, 0);
    let amount = Amount::Hours(10);
    let run = log(&[ClockEvent::Started { at: t }]).unwrap();
    let lv = |now| evaluate(amount, &run, now, &p, &wc).levels;
    assert!(lv(t + 4 * H).is_empty());
    assert_eq!(lv(t + 5 * H), [WarningLevel::Owner]);
    assert_eq!(
        lv(t + 8 * H),
        [WarningLevel::Owner, WarningLevel::HallManager]
    );
    assert_eq!(lv(t + 10 * H).len(), 2, "at the deadline, not yet breached");
    let v = evaluate(amount, &run, t + 10 * H + 1, &p, &wc);
    assert_eq!(v.level, Some(WarningLevel::Supervisor));
    assert!(v.overdue && v.remaining_ms < 0);
    let met = log(&[
        ClockEvent::Started { at: t },
        ClockEvent::Stopped { at: t + 9 * H },
    ])
    .unwrap();
    assert_eq!(
        evaluate(amount, &met, t + 99 * H, &p, &wc).status,
        ClockStatus::Met
    );
    let late = log(&[
        ClockEvent::Started { at: t },
        ClockEvent::Stopped { at: t + 11 * H },
    ])
    .unwrap();
    assert_eq!(
        evaluate(amount, &late, t + 99 * H, &p, &wc).status,
        ClockStatus::Breached
    );
}

/// A working-time limit used up at Friday's close is overdue over the weekend and before
/// Monday's opening, although no working time accrues then.
#[test]
fn a_limit_used_up_at_the_close_is_overdue_before_the_next_opening() {
    let wc = WeekdayClock;
    let p = ClockPolicy::default();
    // Friday 2025-11-28 16:30 + 1 working hour → Friday 17:30.
    let start = at(2025, 11, 28, 16, 30);
    let amount = Amount::WorkingHours(1);
    let run = log(&[ClockEvent::Started { at: start }]).unwrap();
    let at_close = evaluate(amount, &run, at(2025, 11, 28, 17, 30), &p, &wc);
    assert!(!at_close.overdue, "at the deadline itself, not yet overdue");
    let monday_early = evaluate(amount, &run, at(2025, 12, 1, 7, 0), &p, &wc);
    assert_eq!(monday_early.remaining_ms, 0);
    assert!(monday_early.overdue);
    let done_saturday = log(&[
        ClockEvent::Started { at: start },
        ClockEvent::Stopped {
            at: at(2025, 11, 29, 10, 0),
        },
    ])
    .unwrap();
    assert_eq!(
        evaluate(amount, &done_saturday, at(2025, 12, 2, 9, 0), &p, &wc).status,
        ClockStatus::Breached
    );
}

/// Supervisors read cases but cannot work them, guides neither: a hand-over to them would
/// leave the case with an owner nobody can act for (issue 11, finding 15).
#[test]
fn handovers_go_only_to_people_who_can_work_the_case() {
    let to = |hall, role| owner::Target {
        id: 2,
        name: "李四",
        hall_id: hall,
        role,
        active: true,
        region_covers: true,
    };
    for (hall, role) in [(None, Role::Supervisor), (Some(1), Role::Guide)] {
        let e = check_handover_target(1, 1, None, &to(hall, role), "督办").unwrap_err();
        assert!(
            matches!(e, HandoverError::CannotWorkCases { .. }),
            "{role:?}: {e}"
        );
        let msg = e.to_string();
        assert!(
            msg.contains("不能办理工单") && msg.contains("cannot work cases"),
            "{msg}"
        );
        assert!(
            msg.contains(role.label_zh()) && msg.contains(role.label_en()),
            "{msg}"
        );
    }
    for (hall, role) in [
        (Some(1), Role::Clerk),
        (Some(1), Role::HallManager),
        (None, Role::Admin),
    ] {
        assert!(check_handover_target(1, 1, None, &to(hall, role), "转办").is_ok());
    }
    assert!(owner::check_can_own("王五", Role::Supervisor).is_err());
    assert!(owner::can_own(Role::Clerk) && !owner::can_own(Role::Guide));
}

#[test]
fn handovers_stay_in_the_hall_except_to_region_staff() {
    let to = |hall, role| owner::Target {
        id: 2,
        name: "李四",
        hall_id: hall,
        role,
        active: true,
        region_covers: true,
    };
    assert!(check_handover_target(1, 1, None, &to(Some(1), Role::Clerk), "转专业人员").is_ok());
    let e = check_handover_target(1, 1, None, &to(Some(2), Role::Clerk), "转办").unwrap_err();
    assert!(matches!(e, HandoverError::OutsideHall { .. }));
    assert!(check_handover_target(1, 1, None, &to(None, Role::Admin), "督办").is_ok());
    assert!(check_handover_target(1, 1, None, &to(None, Role::Clerk), "x").is_err());
    // An administrator of another city's region may not take the case over.
    let far = owner::Target {
        region_covers: false,
        ..to(None, Role::Admin)
    };
    let e = check_handover_target(1, 1, None, &far, "督办").unwrap_err();
    assert!(matches!(e, HandoverError::OutsideRegion { .. }), "{e}");
    assert_eq!(
        check_handover_target(1, 2, None, &to(Some(1), Role::Clerk), "x").unwrap_err(),
        HandoverError::ToOwner {
            name: "李四".into()
        }
    );
    assert_eq!(
        check_handover_target(1, 1, None, &to(Some(1), Role::Clerk), " ").unwrap_err(),
        HandoverError::NoReason
    );
    assert!(check_handover_target(1, 1, Some("王五"), &to(Some(1), Role::Clerk), "x").is_err());
    assert!(check_accept(Some((2, "李四")), 2).is_ok());
    assert!(check_accept(Some((2, "李四")), 3).is_err());
    assert_eq!(
        check_accept(None, 2).unwrap_err(),
        HandoverError::NonePending
    );
}

#[test]
fn steps_complete_in_order_and_complaints_need_a_callback() {
    let steps = [
        ("contact", "联系客户", true),
        ("reply", "答复", false),
        ("callback", "回访", false),
    ];
    let (k, open) = (CaseKind::Complaint, CaseStatus::Open);
    assert_eq!(check_step_order(k, open, &steps, "reply", false), Ok(1));
    let e = check_step_order(k, open, &steps, "callback", true).unwrap_err();
    assert!(e.to_string().contains("before reply"), "{e}");
    assert!(matches!(
        check_step_order(k, open, &steps, "contact", false),
        Err(CaseRuleError::StepDone { .. })
    ));
    assert!(matches!(
        check_step_order(k, open, &steps, "nope", false),
        Err(CaseRuleError::UnknownStep { .. })
    ));
    let done = [
        ("contact", "", true),
        ("reply", "", true),
        ("callback", "", false),
    ];
    assert_eq!(
        check_step_order(k, open, &done, "callback", false),
        Err(CaseRuleError::CallbackMissing)
    );
    assert_eq!(
        check_close(k, open, &done, false),
        Err(CaseRuleError::ComplaintWithoutCallback)
    );
    assert!(matches!(
        check_close(k, open, &done, true),
        Err(CaseRuleError::StepsOpen { .. })
    ));
    let all = [
        ("contact", "", true),
        ("reply", "", true),
        ("callback", "", true),
    ];
    assert_eq!(check_close(k, open, &all, true), Ok(()));
    assert_eq!(
        check_close(k, CaseStatus::Closed, &all, true),
        Err(CaseRuleError::Closed)
    );
}

#[test]
fn personal_data_is_masked() {
    assert_eq!(mask::phone("13812341234"), "138****1234");
    assert_eq!(mask::phone("0411-95598"), "****5598");
    assert_eq!(mask::account("0123456789"), "****6789");
    assert_eq!(mask::name("张三丰"), "张**");
    assert_eq!(mask::name("李"), "李*");
    assert_eq!(mask::phone_last4("138-1234-5678"), "5678");
}

#[test]
fn a_callback_step_without_a_call_back_needs_a_note() {
    let k = CaseKind::Recovery;
    assert_eq!(
        check_callback_note(k, CALLBACK_STEP, false, " "),
        Err(CaseRuleError::CallbackNoteMissing)
    );
    assert!(check_callback_note(k, CALLBACK_STEP, false, "匿名评价，已在班前会通报").is_ok());
    assert!(check_callback_note(k, CALLBACK_STEP, true, "").is_ok());
    assert!(check_callback_note(k, "rectify", false, "").is_ok());
    assert!(check_callback_note(CaseKind::Application, CALLBACK_STEP, false, "").is_ok());
}
