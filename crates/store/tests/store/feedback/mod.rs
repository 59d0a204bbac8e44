//! Feedback: phone ratings (一事一评), the closed loop to service recovery (服务补救),
//! external evaluations (外评) and the visits behind the gaming flags — on both backends.

mod gaming;
pub mod lists;
mod settings;

use crate::fixture::{Fixture, T0, fixture, issue_req};
use servicehall_domain::Role;
use servicehall_domain::cases::{Amount, CaseKind, ClockState};
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::phone::TouchpointLevel;
use servicehall_store::*;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// Issues a 新装 ticket and has counter 2 serve and finish it at `at`; returns it.
async fn finished(s: &SqlStore, f: &Fixture, code: &str, at: i64) -> Ticket {
    let t = s
        .issue_ticket(&issue_req(f, 1, code), at - 10 * MIN)
        .await
        .unwrap();
    let c2 = f.counters[1].id;
    let op = Operator {
        staff_id: Some(f.clerks[1].id),
        counter_id: Some(c2),
    };
    let called = s.call_next(c2, None, at - 5 * MIN).await.unwrap().unwrap();
    assert_eq!(called.id, t.id);
    s.act_on_ticket(t.id, &TicketCommand::Start, op, at - 5 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: None,
            outcome: VisitOutcome::Completed,
        },
        op,
        at,
    )
    .await
    .unwrap()
}

async fn manager(s: &SqlStore, f: &Fixture) -> Staff {
    s.create_staff(
        &StaffInput {
            hall_id: Some(f.hall.id),
            username: "mgr".into(),
            name: "值班长王".into(),
            badge_no: "DL900".into(),
            role: Role::HallManager,
            photo: String::new(),
            active: true,
        },
        "x",
    )
    .await
    .unwrap()
}

fn rating(level: i64) -> PhoneRatingInput {
    PhoneRatingInput {
        level,
        ..Default::default()
    }
}

pub async fn phone_rating_rules(s: SqlStore) {
    let f = fixture(&s).await;
    // Not finished yet: refused.
    let waiting = s.issue_ticket(&issue_req(&f, 2, "wait"), T0).await.unwrap();
    assert!(
        matches!(s.rate_by_phone("wait", &rating(5), T0).await, Err(StoreError::Conflict(m)) if m.contains("not finished"))
    );
    assert!(s.phone_rating(waiting.id).await.unwrap().is_none());
    let t = finished(&s, &f, "p1", T0 + HOUR).await;
    // Out of range, unknown touchpoint, missing reasons: 422, nothing stored.
    for bad in [
        rating(0),
        rating(6),
        rating(2),
        PhoneRatingInput {
            level: 4,
            touchpoints: vec![TouchpointLevel {
                touchpoint: "parking".into(),
                level: 3,
            }],
            ..Default::default()
        },
    ] {
        assert!(matches!(
            s.rate_by_phone("p1", &bad, T0 + HOUR + MIN).await,
            Err(StoreError::Invalid(_))
        ));
    }
    assert!(s.phone_rating(t.id).await.unwrap().is_none());
    let good = PhoneRatingInput {
        level: 4,
        touchpoints: vec![
            TouchpointLevel {
                touchpoint: "counter".into(),
                level: 5,
            },
            TouchpointLevel {
                touchpoint: "waiting".into(),
                level: 3,
            },
        ],
        comment: "等候略久".into(),
        ..Default::default()
    };
    let r = s.rate_by_phone("p1", &good, T0 + 2 * HOUR).await.unwrap();
    assert_eq!((r.level, r.recovery_case_id), (4, None));
    assert_eq!(r.staff_id, Some(f.clerks[1].id));
    let back = s.phone_rating(t.id).await.unwrap().unwrap();
    // Touchpoints come back in the order of the visit.
    assert_eq!(
        back.touchpoints
            .iter()
            .map(|t| (t.touchpoint.as_str(), t.level))
            .collect::<Vec<_>>(),
        vec![("waiting", 3), ("counter", 5)]
    );
    assert_eq!(back.finished_at, T0 + HOUR);
    // Once.
    assert!(
        matches!(s.rate_by_phone("p1", &rating(5), T0 + 3 * HOUR).await, Err(StoreError::Conflict(m)) if m.contains("already"))
    );
    // The window: 72 h by default, configurable per hall.
    finished(&s, &f, "p2", T0 + 2 * HOUR).await;
    assert!(
        matches!(s.rate_by_phone("p2", &rating(5), T0 + 75 * HOUR).await, Err(StoreError::Conflict(m)) if m.contains("72 hours"))
    );
    let mut settings = s.feedback_settings(f.hall.id).await.unwrap();
    settings.phone_window_hours = 96;
    s.set_feedback_settings(f.hall.id, &settings, T0)
        .await
        .unwrap();
    s.rate_by_phone("p2", &rating(5), T0 + 75 * HOUR)
        .await
        .unwrap();
    settings.phone_window_hours = 0;
    assert!(matches!(
        s.set_feedback_settings(f.hall.id, &settings, T0).await,
        Err(StoreError::Invalid(m)) if m.contains("phone_window_hours")
    ));
    // Two submits at once: exactly one counts.
    let t3 = finished(&s, &f, "p3", T0 + 3 * HOUR).await;
    let submit = |level| {
        let s = s.clone();
        tokio::spawn(async move { s.rate_by_phone("p3", &rating(level), T0 + 4 * HOUR).await })
    };
    let (a, b) = (submit(5), submit(3));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1, "{a:?} {b:?}");
    assert!(matches!(a.err().or(b.err()), Some(StoreError::Conflict(_))));
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phone_ratings WHERE ticket_id = $1")
        .bind(t3.id)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

fn conflict(r: Result<CaseDetail>, needle: &str) {
    match r {
        Err(StoreError::Conflict(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a conflict about {needle}, got {other:?}"),
    }
}

pub async fn bad_rating_opens_recovery_and_closes_after_callback(s: SqlStore) {
    let f = fixture(&s).await;
    let mgr = manager(&s, &f).await;
    let mut settings = s.feedback_settings(f.hall.id).await.unwrap();
    settings.rectify_working_days = 3;
    s.set_feedback_settings(f.hall.id, &settings, T0)
        .await
        .unwrap();
    let t = finished(&s, &f, "bad1", T0 + HOUR).await;
    let input = PhoneRatingInput {
        level: 1,
        reasons: vec!["long_wait".into(), "attitude".into()],
        contact_phone: "13800001234".into(),
        contact_name: "李女士".into(),
        comment: "等了很久".into(),
        ..Default::default()
    };
    let r = s
        .rate_by_phone("bad1", &input, T0 + 2 * HOUR)
        .await
        .unwrap();
    let case_id = r
        .recovery_case_id
        .expect("a bad rating opens a recovery case");
    let d = s.case(case_id, T0 + 2 * HOUR).await.unwrap();
    assert_eq!(d.case.kind, CaseKind::Recovery);
    assert_eq!(d.case.owner_id, mgr.id, "the hall manager owns it");
    assert_eq!(d.case.ticket_id, Some(t.id));
    assert!(d.case.summary.contains("等候时间长") && d.case.summary.contains("服务态度差"));
    assert!(d.case.summary.contains("非常不满意"));
    let clock = |d: &CaseDetail, key: &str| d.clocks.iter().find(|c| c.key == key).unwrap().clone();
    let cb = clock(&d, "callback.callback");
    let rect = clock(&d, "rectify.rectify");
    assert_eq!(cb.amount, Amount::WorkingDays(1));
    assert_eq!(rect.amount, Amount::WorkingDays(3), "the hall's setting");
    assert!(cb.state == ClockState::Running && rect.state == ClockState::Running);
    assert!(cb.view.deadline.unwrap() < rect.view.deadline.unwrap());
    // The call-back list says the call-back is missing.
    let items = s
        .recovery_items(f.hall.id, T0, T0 + 10 * HOUR, T0 + 3 * HOUR)
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].real_name && !items[0].callback_recorded && !items[0].closed);
    assert_eq!(items[0].channel, Channel::Phone);
    // Neither the step nor the case closes without the call-back.
    conflict(
        s.complete_step(case_id, "callback", mgr.id, "", T0 + 3 * HOUR)
            .await,
        "回访",
    );
    conflict(
        s.close_case(case_id, mgr.id, "", T0 + 3 * HOUR).await,
        "回访",
    );
    s.record_callback(
        case_id,
        &Callback {
            reached: true,
            satisfied: true,
            note: "已致歉，说明改进措施".into(),
        },
        mgr.id,
        T0 + 4 * HOUR,
    )
    .await
    .unwrap();
    s.complete_step(case_id, "callback", mgr.id, "已回访", T0 + 4 * HOUR)
        .await
        .unwrap();
    conflict(
        s.close_case(case_id, mgr.id, "", T0 + 4 * HOUR).await,
        "整改",
    );
    s.complete_step(case_id, "rectify", mgr.id, "增开窗口", T0 + 5 * HOUR)
        .await
        .unwrap();
    let closed = s
        .close_case(case_id, mgr.id, "闭环", T0 + 5 * HOUR)
        .await
        .unwrap();
    assert!(closed.clocks.iter().all(|c| c.state == ClockState::Stopped));
    let items = s
        .recovery_items(f.hall.id, T0, T0 + 10 * HOUR, T0 + 6 * HOUR)
        .await
        .unwrap();
    assert!(items[0].callback_recorded && items[0].closed);

    // A bad pad rating is anonymous: its case opens too, and closes without a call-back.
    let t2 = finished(&s, &f, "bad2", T0 + 6 * HOUR).await;
    s.rate(
        t2.id,
        f.counters[1].id,
        None,
        2,
        &["slow".into()],
        10 * MIN,
        T0 + 6 * HOUR + 5_000,
    )
    .await
    .unwrap();
    let items = s
        .recovery_items(f.hall.id, T0, T0 + 10 * HOUR, T0 + 7 * HOUR)
        .await
        .unwrap();
    let pad = items.iter().find(|i| i.channel == Channel::Pad).unwrap();
    assert!(!pad.real_name);
    let d = s.case(pad.case_id, T0 + 7 * HOUR).await.unwrap();
    assert_eq!(d.case.customer_name, "匿名客户");
    // Nobody to call back, but not one click either: the step needs a note.
    assert!(matches!(
        s.complete_step(pad.case_id, "callback", mgr.id, "  ", T0 + 7 * HOUR).await,
        Err(StoreError::Invalid(m)) if m.contains("anonymous")
    ));
    s.complete_step(
        pad.case_id,
        "callback",
        mgr.id,
        "匿名评价，无法回访",
        T0 + 7 * HOUR,
    )
    .await
    .unwrap();
    s.complete_step(pad.case_id, "rectify", mgr.id, "已培训", T0 + 7 * HOUR)
        .await
        .unwrap();
    s.close_case(pad.case_id, mgr.id, "", T0 + 7 * HOUR)
        .await
        .unwrap();
    // Good ratings open nothing.
    let t3 = finished(&s, &f, "good", T0 + 8 * HOUR).await;
    s.rate(
        t3.id,
        f.counters[1].id,
        None,
        5,
        &[],
        10 * MIN,
        T0 + 8 * HOUR + 5_000,
    )
    .await
    .unwrap();
    assert_eq!(
        s.recovery_items(f.hall.id, T0, T0 + 10 * HOUR, T0 + 9 * HOUR)
            .await
            .unwrap()
            .len(),
        2
    );
}

const CSV: &str = "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n\
S-1,DL-XH,2025-11-20 10:00,5,payment,counter,,服务很好,\n\
S-2,DL-XH,2025-11-21,非常不满意,new_connection,waiting,等候时间长,排队太久,13900002222\n\
S-3,DL-XH,2025-11-21,9,payment,,,,\n\
S-4,NO-SUCH,2025-11-21,4,,,,,\n\
S-5,DL-XH,2025-11-22,3,solar,,,,\n\
S-6,DL-XH,2025-11-22,4,咨询,farewell,,,\n";

pub async fn external_import_reports_bad_rows_and_never_counts_twice(s: SqlStore) {
    let f = fixture(&s).await;
    manager(&s, &f).await;
    let by = f.clerks[0].id;
    // Wrong shape: refused whole, nothing imported.
    let e = s
        .import_external(
            ExternalSource::Survey,
            "x.csv",
            "id,level\n1,5\n",
            by,
            None,
            T0,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref m) if m.contains("hall_code")),
        "{e:?}"
    );
    assert!(s.import_reports(10, None, 0).await.unwrap().is_empty());

    let r = s
        .import_external(ExternalSource::Survey, "survey-nov.csv", CSV, by, None, T0)
        .await
        .unwrap();
    assert_eq!(
        (
            r.rows_total,
            r.rows_imported,
            r.rows_duplicate,
            r.rows_bad,
            r.cases_opened
        ),
        (6, 3, 0, 3, 1),
        "{:?}",
        r.errors
    );
    let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![4, 5, 6]);
    assert!(r.errors[0].reason.contains("1 (非常不满意) to 5"));
    assert!(r.errors[1].reason.contains("NO-SUCH"));
    assert!(r.errors[2].reason.contains("solar"));
    // Attributed to hall, business type (by code or Chinese name) and touchpoint.
    let rows: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as(
        "SELECT source_row_id, business_type_id, touchpoint, level FROM external_evaluations ORDER BY source_row_id",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            ("S-1".into(), Some(f.bt[0].id), "counter".into(), 5),
            ("S-2".into(), Some(f.bt[1].id), "waiting".into(), 1),
            ("S-6".into(), Some(f.bt[2].id), "farewell".into(), 4),
        ]
    );
    // The bad row opened a real-name recovery case.
    let items = s.recovery_items(f.hall.id, 0, T0 + 1, T0).await.unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].real_name && items[0].channel == Channel::External);
    // Re-importing the same file counts nothing twice and opens no second case.
    let again = s
        .import_external(
            ExternalSource::Survey,
            "survey-nov.csv",
            CSV,
            by,
            None,
            T0 + MIN,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            again.rows_imported,
            again.rows_duplicate,
            again.cases_opened
        ),
        (0, 3, 0)
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM external_evaluations")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        s.recovery_items(f.hall.id, 0, T0 + 2 * MIN, T0)
            .await
            .unwrap()
            .len(),
        1
    );
    // The same ids from another source are other rows.
    let other = s
        .import_external(
            ExternalSource::Callback95598,
            "95598.csv",
            CSV,
            by,
            None,
            T0 + 2 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(other.rows_imported, 3);
    let reports = s.import_reports(10, None, 0).await.unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[2].errors, r.errors, "the report is kept");
}

pub async fn pad_visits_carry_timing_transfer_and_rating(s: SqlStore) {
    let f = fixture(&s).await;
    let t = finished(&s, &f, "v1", T0 + HOUR).await;
    s.rate(
        t.id,
        f.counters[1].id,
        None,
        5,
        &[],
        10 * MIN,
        T0 + HOUR + 800,
    )
    .await
    .unwrap();
    finished(&s, &f, "v2", T0 + 2 * HOUR).await;
    let v = s.pad_visits(f.hall.id, T0, T0 + 3 * HOUR).await.unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].ticket_id, t.id);
    assert_eq!(v[0].rating, Some((T0 + HOUR + 800, 5)));
    assert_eq!(v[0].served_s, 5 * 60, "from the call to the finish");
    assert_eq!(v[0].staff_id, Some(f.clerks[1].id));
    assert!(!v[0].transferred);
    assert_eq!(v[1].rating, None);
}

/// 一事一评: a visit rated on the pad cannot be rated again on the phone, nor the other way.
pub async fn a_visit_is_rated_once_on_the_pad_or_the_phone(s: SqlStore) {
    let f = fixture(&s).await;
    let c2 = f.counters[1].id;
    let pad_first = finished(&s, &f, "q1", T0 + HOUR).await;
    s.rate(pad_first.id, c2, None, 5, &[], 10 * MIN, T0 + HOUR + MIN)
        .await
        .unwrap();
    assert!(
        matches!(s.rate_by_phone("q1", &rating(5), T0 + HOUR + 2 * MIN).await,
            Err(StoreError::Conflict(m)) if m.contains("rated once")),
        "a pad-rated visit was rated again on the phone"
    );
    assert!(s.phone_rating(pad_first.id).await.unwrap().is_none());
    let phone_first = finished(&s, &f, "q2", T0 + 2 * HOUR).await;
    s.rate_by_phone("q2", &rating(4), T0 + 2 * HOUR + MIN)
        .await
        .unwrap();
    assert!(
        matches!(s.rate(phone_first.id, c2, None, 5, &[], 10 * MIN, T0 + 2 * HOUR + 2 * MIN).await,
            Err(StoreError::Conflict(m)) if m.contains("rated once")),
        "a phone-rated visit was rated again on the pad"
    );
}
