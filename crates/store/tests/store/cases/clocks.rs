//! Case clocks rebuilt from the log, warnings recorded once, case numbers under concurrency.

use super::*;
use std::collections::HashSet;

pub async fn case_clocks_rebuilt_from_the_log_equal_live_state(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvSingle),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    s.pause_clock(id, "step", "等待设计资料", by, T0 + HOUR)
        .await
        .unwrap();
    s.resume_clock(id, "step", by, T0 + 50 * HOUR)
        .await
        .unwrap();
    s.complete_step(id, "scheme_reply", by, "", T0 + 60 * HOUR)
        .await
        .unwrap();
    s.pause_clock(id, "design_review.step", "客户预约", by, T0 + 70 * HOUR)
        .await
        .unwrap();
    let now = T0 + 80 * HOUR;
    let d = s.case(id, now).await.unwrap();
    let cache = sqlx::query_as::<_, (String, String, Option<i64>)>(
        "SELECT clock_key, state, deadline_at FROM case_clocks WHERE case_id = $1",
    )
    .bind(id)
    .fetch_all(s.pool())
    .await
    .unwrap();
    assert_eq!(cache.len(), d.clocks.len());
    let wc = servicehall_domain::cases::hall_clock("Asia/Shanghai");
    for c in &d.clocks {
        let (_, state, deadline) = cache.iter().find(|x| x.0 == c.key).unwrap();
        assert_eq!(state, c.state.as_str(), "{}", c.key);
        if c.state == ClockState::Running {
            assert_eq!(*deadline, c.view.deadline, "{}", c.key);
        }
        // rebuilt independently from the trail alone
        let evs: Vec<_> = d
            .trail
            .iter()
            .filter(|e| e.clock_key == c.key)
            .map(|e| match e.kind.as_str() {
                "clock_started" => servicehall_domain::cases::ClockEvent::Started { at: e.at },
                "clock_paused" => servicehall_domain::cases::ClockEvent::Paused {
                    at: e.at,
                    reason: e.note.clone(),
                    by: e.actor_id,
                },
                "clock_resumed" => servicehall_domain::cases::ClockEvent::Resumed { at: e.at },
                "clock_stopped" => servicehall_domain::cases::ClockEvent::Stopped { at: e.at },
                other => panic!("unexpected clock event {other}"),
            })
            .collect();
        let log = ClockLog::from_events(c.key.clone(), &evs).unwrap();
        let view =
            servicehall_domain::cases::evaluate(c.amount, &log, now, &ClockPolicy::default(), &*wc);
        assert_eq!(view, c.view, "{}", c.key);
    }
    assert_eq!(d.clocks[0].state, ClockState::Stopped);
    assert_eq!(d.clocks[1].state, ClockState::Paused);
    assert!(d.clocks[0].view.excused_ms > 0);
}

pub async fn case_warnings_are_recorded_once_per_level(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap();
    let id = d.case.id;
    let levels = |w: &[CaseWarning]| -> Vec<(String, WarningLevel)> {
        w.iter().map(|x| (x.clock_key.clone(), x.level)).collect()
    };
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    // 12 of 24 hours: the owner is told about the contact clock
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 12 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::Owner)]
    );
    assert_eq!(w[0].case_number, d.case.number);
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + 12 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let w = s.scan_warnings(None, T0 + 20 * HOUR).await.unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::HallManager)]
    );
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 25 * HOUR)
        .await
        .unwrap();
    assert_eq!(
        levels(&w),
        [("contact.contact".to_string(), WarningLevel::Supervisor)]
    );
    assert!(
        s.scan_warnings(Some(f.hall.id), T0 + 26 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let d = s.case(id, T0 + 26 * HOUR).await.unwrap();
    assert_eq!(d.warnings.len(), 3);
    // lists: overdue now; due soon before the breach
    let overdue = s
        .cases(f.hall.id, CaseList::Overdue, T0 + 26 * HOUR)
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    let soon = s
        .cases(f.hall.id, CaseList::DueSoon, T0 + 20 * HOUR)
        .await
        .unwrap();
    assert_eq!(soon.len(), 1);
    assert!(
        s.cases(f.hall.id, CaseList::DueSoon, T0 + HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    let mine = s
        .cases(f.hall.id, CaseList::Mine(f.clerks[0].id), T0)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(
        s.cases(f.hall.id, CaseList::Mine(f.clerks[1].id), T0)
            .await
            .unwrap()
            .is_empty()
    );
    // stopping the contact clock late counts as breached in the on-time rate
    s.complete_step(id, "contact", f.clerks[0].id, "", T0 + 26 * HOUR)
        .await
        .unwrap();
    s.complete_step(id, "reply", f.clerks[0].id, "", T0 + 27 * HOUR)
        .await
        .unwrap();
    let r = s.on_time_rate(f.hall.id, T0, T0 + 48 * HOUR).await.unwrap();
    assert_eq!((r.overall.stopped, r.overall.met), (2, 1));
    assert_eq!(r.by_step.len(), 2);
    assert_eq!(r.by_customer_class[0].key, "resident");
    assert_eq!(r.by_business_type[0].key, "complaint");
    assert_eq!(r.overall.rate, Some(0.5));
}

pub async fn case_numbers_are_unique_under_concurrency(s: SqlStore) {
    let f = fixture(&s).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        let req = open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident);
        tasks.push(tokio::spawn(async move {
            s.open_case(&req, T0 + i).await.unwrap().case.number
        }));
    }
    let mut numbers = HashSet::new();
    for t in tasks {
        assert!(numbers.insert(t.await.unwrap()));
    }
    let expected: HashSet<String> = (1..=16).map(|n| format!("GD-20251128-{n:04}")).collect();
    assert_eq!(numbers, expected);
    // the next hall-local day starts again at 0001
    let d = s
        .open_case(
            &open_req(&f, CaseKind::Opinion, None, CustomerClass::Resident),
            T0 + 24 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(d.case.number, "GD-20251129-0001");
}
