//! Cases (工单): the life of a case, steps in order, clocks paused and resumed, hand-overs
//! and the callback before a complaint closes.

use crate::fixture::*;
use servicehall_domain::Role;
use servicehall_domain::cases::{
    CaseKind, CaseStatus, ClockLog, ClockPolicy, ClockState, ClockStatus, CustomerClass,
    WarningLevel,
};
use servicehall_store::*;

mod clocks;
mod register;
pub(crate) mod settings_documents_scan;

on_both!(
    case_lifecycle_application,
    case_steps_complete_in_order,
    case_clock_pause_and_resume_are_guarded,
    case_handover_stays_in_the_hall,
    complaint_closes_only_after_callback,
);

on_both!(in register: case_register_filters_and_pages);

on_both!(in clocks:
    case_clocks_rebuilt_from_the_log_equal_live_state,
    case_warnings_are_recorded_once_per_level,
    case_numbers_are_unique_under_concurrency,
);

pub(crate) const HOUR: i64 = 3_600_000;

pub(crate) fn open_req(
    f: &Fixture,
    kind: CaseKind,
    bt: Option<usize>,
    class: CustomerClass,
) -> OpenCase {
    OpenCase {
        hall_id: f.hall.id,
        kind,
        business_type_id: bt.map(|i| f.bt[i].id),
        customer_class: class,
        customer_name: "张三丰".into(),
        customer_phone: "13812345678".into(),
        account_no: "0101234567".into(),
        summary: "居民新装 申请".into(),
        ticket_id: None,
        by: f.clerks[0].id,
    }
}

pub(crate) fn conflict(r: Result<CaseDetail>, needle: &str) {
    match r {
        Err(StoreError::Conflict(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a conflict mentioning {needle:?}, got {other:?}"),
    }
}

pub async fn case_lifecycle_application(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 1, "c1"), T0).await.unwrap();
    let mut req = open_req(&f, CaseKind::Application, Some(1), CustomerClass::Resident);
    req.ticket_id = Some(t.id);
    let d = s.open_case(&req, T0).await.unwrap();
    assert_eq!(d.case.number, "GD-20251128-0001");
    assert_eq!(d.case.owner_id, f.clerks[0].id);
    assert_eq!(d.case.first_inquiry_owner_id, f.clerks[0].id);
    assert_eq!(d.case.ticket_id, Some(t.id));
    let codes: Vec<&str> = d.steps.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["scheme_reply", "connection"]);
    assert_eq!(d.current_step().unwrap().code, "scheme_reply");
    let scheme = &d.clocks[0];
    assert_eq!(scheme.key, "scheme_reply.step");
    assert_eq!(scheme.state, ClockState::Running);
    // Friday 10:00 + 3 working days → Wednesday 2025-12-03 17:30 (UTC+8).
    assert_eq!(scheme.view.deadline, Some(1_764_754_200_000));
    assert!(scheme.source.contains("十项承诺"));
    assert_eq!(d.clocks[1].state, ClockState::NotStarted);

    let d = s
        .add_document(
            d.case.id,
            &DocumentInput {
                name: "身份证复印件".into(),
                received_at: None,
                note: String::new(),
            },
            f.clerks[0].id,
            T0 + HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.documents.len(), 1);
    let d = s
        .complete_step(
            d.case.id,
            "scheme_reply",
            f.clerks[0].id,
            "方案已答复",
            T0 + 2 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.clocks[0].view.status, ClockStatus::Met);
    assert_eq!(d.clocks[1].state, ClockState::Running);
    conflict(
        s.close_case(d.case.id, f.clerks[0].id, "", T0 + 3 * HOUR)
            .await,
        "connection",
    );
    let d = s
        .complete_step(d.case.id, "connection", f.clerks[0].id, "", T0 + 3 * HOUR)
        .await
        .unwrap();
    let d = s
        .close_case(d.case.id, f.clerks[0].id, "办结", T0 + 4 * HOUR)
        .await
        .unwrap();
    assert_eq!(d.case.status, CaseStatus::Closed);
    assert_eq!(d.case.closed_at, Some(T0 + 4 * HOUR));
    let kinds: Vec<&str> = d.trail.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "clock_started",
            "document_added",
            "step_completed",
            "clock_stopped",
            "clock_started",
            "step_completed",
            "clock_stopped",
            "closed"
        ]
    );
    conflict(
        s.add_document(
            d.case.id,
            &DocumentInput {
                name: "x".into(),
                received_at: None,
                note: String::new(),
            },
            f.clerks[0].id,
            T0 + 5 * HOUR,
        )
        .await,
        "closed",
    );
    // the customer's lookup: number + the case's access code, as typed, nothing else
    let code = d.case.access_code.clone();
    assert_eq!(code.len(), 8, "{code}");
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let found = s
        .case_by_number_and_code("GD-20251128-0001", &typed, T0)
        .await
        .unwrap();
    assert_eq!(found.case.id, d.case.id);
    for wrong in ["5678", "00000000", ""] {
        assert!(matches!(
            s.case_by_number_and_code("GD-20251128-0001", wrong, T0)
                .await,
            Err(StoreError::NotFound(_))
        ));
    }
    // bad input
    let mut bad = open_req(&f, CaseKind::Application, None, CustomerClass::Resident);
    assert!(
        matches!(s.open_case(&bad, T0).await, Err(StoreError::Invalid(m)) if m.contains("business type"))
    );
    bad.business_type_id = Some(9999);
    assert!(matches!(
        s.open_case(&bad, T0).await,
        Err(StoreError::Invalid(_))
    ));
    let mut bad = open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident);
    bad.customer_phone = "12".into();
    assert!(matches!(
        s.open_case(&bad, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("4 digits")
    ));
}

pub async fn case_steps_complete_in_order(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvDual),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(d.steps.len(), 5);
    let before = d.trail.len();
    conflict(
        s.complete_step(d.case.id, "mid_inspection", f.clerks[0].id, "", T0)
            .await,
        "before scheme_reply",
    );
    assert!(matches!(
        s.complete_step(d.case.id, "nonsense", f.clerks[0].id, "", T0).await,
        Err(StoreError::Invalid(m)) if m.contains("scheme_reply")
    ));
    let after = s.case(d.case.id, T0).await.unwrap();
    assert_eq!(after.trail.len(), before, "nothing half-written");
    s.complete_step(d.case.id, "scheme_reply", f.clerks[0].id, "", T0 + HOUR)
        .await
        .unwrap();
    conflict(
        s.complete_step(d.case.id, "scheme_reply", f.clerks[0].id, "", T0 + HOUR)
            .await,
        "already complete",
    );
}

pub async fn case_clock_pause_and_resume_are_guarded(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(
                &f,
                CaseKind::Application,
                Some(1),
                CustomerClass::LowVoltage,
            ),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let by = f.clerks[0].id;
    // the connection clock has not started yet
    conflict(
        s.pause_clock(id, "connection.step", "等待资料", by, T0)
            .await,
        "only a running clock can be paused",
    );
    assert!(matches!(
        s.pause_clock(id, "scheme_reply.step", " ", by, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("reason")
    ));
    assert!(matches!(
        s.pause_clock(id, "nope", "x", by, T0).await,
        Err(StoreError::NotFound(m)) if m.contains("scheme_reply.step")
    ));
    let d = s
        .pause_clock(id, "scheme_reply.step", "等待客户补充资料", by, T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(d.clocks[0].state, ClockState::Paused);
    assert_eq!(d.clocks[0].pause_reason, "等待客户补充资料");
    conflict(
        s.pause_clock(id, "scheme_reply.step", "again", by, T0 + HOUR)
            .await,
        "only a running clock",
    );
    let d = s
        .resume_clock(id, "scheme_reply.step", by, T0 + 24 * HOUR)
        .await
        .unwrap();
    assert_eq!(d.clocks[0].state, ClockState::Running);
    conflict(
        s.resume_clock(id, "scheme_reply.step", by, T0 + 25 * HOUR)
            .await,
        "only a paused clock can be resumed",
    );
    // Friday 11:00 → Saturday 10:00 paused: 6.5 working hours of Friday do not count.
    assert_eq!(d.clocks[0].view.elapsed_ms, HOUR);
}

pub async fn case_handover_stays_in_the_hall(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
    let outsider = s
        .create_staff(&staff_input(other.id, "sy1", "SY001"), "x")
        .await
        .unwrap();
    assert!(matches!(
        s.request_handover(id, f.clerks[0].id, outsider.id, "转办", T0).await,
        Err(StoreError::Invalid(m)) if m.contains("another hall")
    ));
    let d = s
        .request_handover(id, f.clerks[0].id, f.clerks[1].id, "转专业班组", T0 + 1)
        .await
        .unwrap();
    assert_eq!(
        d.case.owner_id, f.clerks[0].id,
        "accountable until accepted"
    );
    assert_eq!(d.case.handover_to, Some(f.clerks[1].id));
    conflict(
        s.request_handover(id, f.clerks[0].id, f.clerks[2].id, "x", T0 + 2)
            .await,
        "already waiting",
    );
    conflict(
        s.accept_handover(id, f.clerks[2].id, T0 + 3).await,
        "only they",
    );
    let d = s.accept_handover(id, f.clerks[1].id, T0 + 4).await.unwrap();
    assert_eq!(d.case.owner_id, f.clerks[1].id);
    assert_eq!(d.case.first_inquiry_owner_id, f.clerks[0].id);
    assert_eq!(d.case.handover_to, None);
    conflict(
        s.accept_handover(id, f.clerks[1].id, T0 + 5).await,
        "no hand-over",
    );
    // A supervisor above halls reads cases but cannot work them: the hand-over is refused
    // (it would strand the case), with the reason, and nothing is written.
    let mut sup = staff_input(f.hall.id, "sup", "SUP1");
    sup.hall_id = None;
    sup.role = Role::Supervisor;
    let sup = s.create_staff(&sup, "x").await.unwrap();
    match s
        .request_handover(id, f.clerks[1].id, sup.id, "督办", T0 + 6)
        .await
    {
        Err(StoreError::Invalid(m)) => {
            assert!(
                m.contains("不能办理工单") && m.contains("cannot work cases"),
                "{m}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(s.case(id, T0 + 6).await.unwrap().case.handover_to, None);
    // An administrator above halls (region staff who can work cases) may take it over.
    let mut adm = staff_input(f.hall.id, "adm", "ADM1");
    adm.hall_id = None;
    adm.role = Role::Admin;
    let adm = s.create_staff(&adm, "x").await.unwrap();
    s.request_handover(id, f.clerks[1].id, adm.id, "督办", T0 + 6)
        .await
        .unwrap();
    let d = s.case(id, T0 + 7).await.unwrap();
    let trail: Vec<&str> = d
        .trail
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("handover"))
        .collect();
    assert_eq!(
        trail,
        [
            "handover_requested",
            "handover_accepted",
            "handover_requested"
        ]
    );
}

pub async fn complaint_closes_only_after_callback(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    // both clocks run from registration
    assert!(d.clocks.iter().all(|c| c.state == ClockState::Running));
    s.complete_step(id, "contact", by, "已电话联系", T0 + HOUR)
        .await
        .unwrap();
    s.complete_step(id, "reply", by, "已答复", T0 + 2 * HOUR)
        .await
        .unwrap();
    conflict(
        s.complete_step(id, "callback", by, "", T0 + 3 * HOUR).await,
        "回访",
    );
    conflict(s.close_case(id, by, "", T0 + 3 * HOUR).await, "回访");
    // a callback that did not reach the customer does not count
    s.record_callback(
        id,
        &Callback {
            reached: false,
            satisfied: false,
            note: "无人接听".into(),
        },
        by,
        T0 + 4 * HOUR,
    )
    .await
    .unwrap();
    conflict(s.close_case(id, by, "", T0 + 4 * HOUR).await, "回访");
    s.record_callback(
        id,
        &Callback {
            reached: true,
            satisfied: true,
            note: "客户满意".into(),
        },
        by,
        T0 + 5 * HOUR,
    )
    .await
    .unwrap();
    s.complete_step(id, "callback", by, "", T0 + 5 * HOUR)
        .await
        .unwrap();
    let d = s.close_case(id, by, "", T0 + 6 * HOUR).await.unwrap();
    assert_eq!(d.case.status, CaseStatus::Closed);
    assert!(d.clocks.iter().all(|c| c.view.status == ClockStatus::Met));
}
