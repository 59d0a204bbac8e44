//! Appointments with the rest of the hall, on both backends: the policy's changes audited
//! (old → new, on the audit chain), a booked visit's case running its 预约时限 clock from
//! the booking, case notices queued only with the customer's consent, and the waiting
//! on-time bookings a walk-in's "N ahead" adds.

use crate::fixture::*;
use servicehall_domain::appointments::AppointmentPolicy;
use servicehall_domain::cases::{
    Amount, CaseKind, ClockDef, ClockStart, CustomerClass, LimitKind, Process, StepDef,
};
use servicehall_domain::customers::{ContactChannel, Purpose};
use servicehall_domain::notify::{DeliveryStatus, NotifyEvent};
use servicehall_store::*;

on_both!(
    appointment_settings_changes_are_audited_old_to_new,
    a_booked_visit_starts_the_cases_appointment_clock_at_booking,
    case_notices_go_only_with_consent_and_show_a_masked_recipient,
    waiting_on_time_bookings_are_listed_for_the_count_ahead,
);

const DAY: &str = "2025-11-28";
const PHONE: &str = "13800001111";

fn booking(f: &Fixture, bt: usize, code: &str, phone: &str) -> BookingInput {
    BookingInput {
        hall_id: f.hall.id,
        business_type_id: f.bt[bt].id,
        service_day: DAY.into(),
        slot: 20,
        slot_start: T0,
        capacity: 5,
        phone: phone.into(),
        name: "李先生".into(),
        code: code.into(),
        channel: "desk".into(),
        phone_code_hash: None,
        no_show_limit: None,
        booked_by: None,
        message: NotificationInput {
            hall_id: Some(f.hall.id),
            event: NotifyEvent::BookingCode,
            channel: "log".into(),
            recipient: phone.into(),
            body: format!("预约码 {code}"),
            reference: code.into(),
        },
    }
}

/// Books, checks in on time and issues the booking's ticket.
async fn booked_ticket(s: &SqlStore, f: &Fixture, bt: usize, code: &str, at: i64) -> Ticket {
    let a = s
        .book_appointment(&booking(f, bt, code, PHONE), T0 - 3 * 60 * MIN)
        .await
        .unwrap();
    s.check_in_appointment(code, f.hall.id, true, at)
        .await
        .unwrap();
    let t = s
        .issue_ticket(&issue_req(f, bt, &format!("booked-{code}")), at)
        .await
        .unwrap();
    s.attach_ticket(a.id, t.id).await.unwrap();
    t
}

pub async fn appointment_settings_changes_are_audited_old_to_new(s: SqlStore) {
    let f = fixture(&s).await;
    let by = Some(f.clerks[0].id);
    let new = AppointmentPolicy {
        grace_min: 15,
        bookable_share_pct: 40,
        ..Default::default()
    };
    s.set_appointment_settings(f.hall.id, &new, by, T0)
        .await
        .unwrap();
    let mut rows: Vec<(String, String, String)> = s
        .settings_audit(Some(f.hall.id), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.setting.starts_with(SETTING_PREFIX))
        .map(|c| (c.setting, c.old_value, c.new_value))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            (
                "appointments.bookable_share_pct".into(),
                "30".into(),
                "40".into()
            ),
            ("appointments.grace_min".into(), "10".into(), "15".into()),
        ]
    );
    let chain = s.audit_records(Some(f.hall.id), 50).await.unwrap();
    let rec = chain
        .iter()
        .find(|r| r.kind == "appointments.settings")
        .expect("the change is on the hall's audit chain");
    assert!(
        rec.subject.contains("签到宽限（分钟） 10→15"),
        "{}",
        rec.subject
    );
    assert!(rec.subject.contains("grace_min 10→15"), "{}", rec.subject);
    // Saving the same policy again records nothing new.
    s.set_appointment_settings(f.hall.id, &new, by, T0 + MIN)
        .await
        .unwrap();
    let again = s.audit_records(Some(f.hall.id), 50).await.unwrap();
    assert_eq!(
        again
            .iter()
            .filter(|r| r.kind == "appointments.settings")
            .count(),
        1
    );
    let report = s.verify_audit("test", T0 + 2 * MIN).await.unwrap();
    assert_eq!(report.first_break(), None);
}

fn visit_process() -> Process {
    Process {
        steps: vec![StepDef {
            code: "visit".into(),
            name_zh: "现场勘查".into(),
            name_en: "Site survey".into(),
            clocks: vec![
                ClockDef {
                    code: "agreed".into(),
                    kind: LimitKind::Appointment,
                    amount: Amount::WorkingDays(2),
                    starts: ClockStart::CaseOpened,
                    source: "与客户预约的时间".into(),
                },
                ClockDef {
                    code: "step".into(),
                    kind: LimitKind::Promised,
                    amount: Amount::WorkingDays(3),
                    starts: ClockStart::StepStarted,
                    source: "sample default".into(),
                },
            ],
        }],
    }
}

pub async fn a_booked_visit_starts_the_cases_appointment_clock_at_booking(s: SqlStore) {
    let f = fixture(&s).await;
    s.set_case_process(
        f.hall.id,
        CaseKind::Application,
        Some(f.bt[1].id),
        CustomerClass::Resident,
        &visit_process(),
        T0 - 4 * 60 * MIN,
    )
    .await
    .unwrap();
    let t = booked_ticket(&s, &f, 1, "VISIT001", T0).await;
    let booked_at = T0 - 3 * 60 * MIN;
    let mut req = OpenCase {
        hall_id: f.hall.id,
        kind: CaseKind::Application,
        business_type_id: Some(f.bt[1].id),
        customer_class: CustomerClass::Resident,
        customer_name: "李先生".into(),
        customer_phone: PHONE.into(),
        account_no: String::new(),
        summary: "预约新装".into(),
        ticket_id: Some(t.id),
        by: f.clerks[1].id,
    };
    let now = T0 + 10 * MIN;
    let d = s.open_case(&req, now).await.unwrap();
    let clock = |d: &CaseDetail, key: &str| d.clocks.iter().find(|c| c.key == key).cloned();
    let agreed = clock(&d, "visit.agreed").unwrap();
    assert_eq!(agreed.view.started_at, Some(booked_at), "from the booking");
    assert_eq!(
        clock(&d, "visit.step").unwrap().view.started_at,
        Some(now),
        "the promised clock from the case"
    );
    let started = d
        .trail
        .iter()
        .find(|e| e.kind == "clock_started" && e.clock_key == "visit.agreed")
        .unwrap();
    assert_eq!(started.data["appointment"], "VISIT001");
    // The chain records it when it was written, and still verifies.
    let report = s.verify_audit("test", now + MIN).await.unwrap();
    assert_eq!(report.first_break(), None);
    // A walk-in's case, or a booking of another business, starts at the case.
    let walk_in = s
        .issue_ticket(&issue_req(&f, 1, "walk-in"), T0 + MIN)
        .await
        .unwrap();
    req.ticket_id = Some(walk_in.id);
    let d = s.open_case(&req, now).await.unwrap();
    assert_eq!(
        clock(&d, "visit.agreed").unwrap().view.started_at,
        Some(now)
    );
}

pub async fn case_notices_go_only_with_consent_and_show_a_masked_recipient(s: SqlStore) {
    let f = fixture(&s).await;
    let by = Some(f.clerks[0].id);
    let open = |account: &str| OpenCase {
        hall_id: f.hall.id,
        kind: CaseKind::Complaint,
        business_type_id: None,
        customer_class: CustomerClass::Resident,
        customer_name: "王秀兰".into(),
        customer_phone: PHONE.into(),
        account_no: account.into(),
        summary: "电费疑问".into(),
        ticket_id: None,
        by: f.clerks[0].id,
    };
    let case = s.open_case(&open("0102345678"), T0).await.unwrap();
    let notice = |event, detail: &str| CaseNoticeInput {
        case_id: case.case.id,
        event,
        detail: detail.into(),
        channel: "log".into(),
    };
    // Not in the register: nothing is sent.
    let none = s
        .queue_case_notice(&notice(NotifyEvent::CaseStepDone, "联系客户"), T0 + MIN)
        .await
        .unwrap();
    assert!(none.is_none());
    let c = s
        .create_customer(
            f.hall.id,
            &NewCustomer {
                account_no: "0102345678".into(),
                name: "王秀兰".into(),
                phone: PHONE.into(),
                class: CustomerClass::Resident,
                note: String::new(),
                segments: vec![],
            },
            by,
            T0,
        )
        .await
        .unwrap();
    // In the register, consent to other purposes only: still nothing.
    let grant = |purpose, channel| ConsentInput {
        purpose,
        channel: Some(channel),
        granted: true,
        note: "柜台签字".into(),
    };
    s.record_consent(
        c.id,
        &grant(Purpose::Marketing, ContactChannel::Sms),
        by,
        T0,
    )
    .await
    .unwrap();
    s.record_consent(
        c.id,
        &grant(Purpose::CaseProgress, ContactChannel::Wechat),
        by,
        T0,
    )
    .await
    .unwrap();
    assert!(
        s.queue_case_notice(&notice(NotifyEvent::CaseStepDone, "联系客户"), T0 + MIN)
            .await
            .unwrap()
            .is_none(),
        "WeChat consent does not cover SMS"
    );
    let none_sent = s
        .notifications(&NotificationQuery {
            hall_id: Some(f.hall.id),
            event: Some(NotifyEvent::CaseStepDone),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none_sent.is_empty());
    s.record_consent(
        c.id,
        &grant(Purpose::CaseProgress, ContactChannel::Sms),
        by,
        T0 + 2 * MIN,
    )
    .await
    .unwrap();
    let sent = s
        .queue_case_notice(&notice(NotifyEvent::CaseStepDone, "联系客户"), T0 + 3 * MIN)
        .await
        .unwrap()
        .expect("queued with consent");
    assert_eq!(sent.recipient_masked, "138****1111");
    assert_eq!(sent.status, DeliveryStatus::Pending);
    assert_eq!(sent.reference, case.case.number);
    assert!(
        sent.body
            .contains(&format!("您的工单 {} 已完成“联系客户”", case.case.number)),
        "{}",
        sent.body
    );
    let cb = s
        .queue_case_notice(
            &notice(NotifyEvent::CallbackScheduled, "2025-11-29 10:00"),
            T0 + 4 * MIN,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(cb.body.contains("我们将于 2025-11-29 10:00"), "{}", cb.body);
    let log = s
        .notifications(&NotificationQuery {
            hall_id: Some(f.hall.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.iter()
            .filter(|n| matches!(
                n.event,
                NotifyEvent::CaseStepDone | NotifyEvent::CallbackScheduled
            ))
            .all(|n| n.recipient_masked == "138****1111"),
    );
    // Scheduling a call-back is logged on the case; a past time is refused.
    let d = s
        .schedule_callback(
            case.case.id,
            T0 + 24 * 60 * MIN,
            f.clerks[0].id,
            "客户下午方便",
            T0 + 5 * MIN,
        )
        .await
        .unwrap();
    let e = d
        .trail
        .iter()
        .find(|e| e.kind == "callback_scheduled")
        .unwrap();
    assert_eq!(e.data["at"], T0 + 24 * 60 * MIN);
    let past = s
        .schedule_callback(case.case.id, T0, f.clerks[0].id, "", T0 + 5 * MIN)
        .await
        .unwrap_err();
    assert!(matches!(past, StoreError::Invalid(_)), "{past}");
    // A withdrawal stops the notices from its moment.
    s.record_consent(
        c.id,
        &ConsentInput {
            purpose: Purpose::CaseProgress,
            channel: None,
            granted: false,
            note: "电话撤回".into(),
        },
        by,
        T0 + 6 * MIN,
    )
    .await
    .unwrap();
    assert!(
        s.queue_case_notice(&notice(NotifyEvent::CaseStepDone, "答复"), T0 + 7 * MIN)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn waiting_on_time_bookings_are_listed_for_the_count_ahead(s: SqlStore) {
    let f = fixture(&s).await;
    let walk_in = s
        .issue_ticket(&issue_req(&f, 0, "walk-1"), T0 - 5 * MIN)
        .await
        .unwrap();
    // No booking yet: the store keeps that answer a second, and the booking's ticket must
    // end it at once, not a second later.
    assert!(
        s.booked_waiting(f.hall.id, f.bt[0].id, DAY)
            .await
            .unwrap()
            .is_empty()
    );
    let t = booked_ticket(&s, &f, 0, "AHEAD001", T0).await;
    let booked = s.booked_waiting(f.hall.id, f.bt[0].id, DAY).await.unwrap();
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].id, t.id);
    assert!(booked[0].booked && !booked[0].green);
    assert_eq!(booked[0].queued_since_ms, t.queued_since);
    // The store's plain count puts the walk-in first; the booking is called before it.
    assert_eq!(s.waiting_ahead(&walk_in, true).await.unwrap(), 0);
    let p = servicehall_domain::CallingPolicy::default();
    let me = servicehall_domain::queue::policy::WaitingTicket {
        id: walk_in.id,
        business_type_id: walk_in.business_type_id,
        green: false,
        queued_since_ms: walk_in.queued_since,
        target_counter_id: None,
        booked: false,
    };
    assert_eq!(
        servicehall_domain::queue::policy::walk_in_ahead(&p, &me, 0, &booked),
        1
    );
    // Once called, it is no longer listed; nor are other types' bookings.
    s.call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + MIN)
        .await
        .unwrap();
    assert!(
        s.booked_waiting(f.hall.id, f.bt[0].id, DAY)
            .await
            .unwrap()
            .is_empty()
    );
}
