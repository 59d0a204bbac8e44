//! Imported calendar years count in case deadlines.

use crate::cases::open_req;
use crate::fixture::*;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::*;

on_both!(imported_calendar_years_count_in_case_deadlines,);

/// A deadline reaching into a year without a schedule is provisional and says so;
/// importing the year (a bad file changes nothing) recomputes the open case's deadline,
/// logs the move on the case and updates the clock cache; removing it moves it back.
pub async fn imported_calendar_years_count_in_case_deadlines(s: SqlStore) {
    let f = fixture(&s).await;
    // Monday 2026-12-28 10:00 +08:00; 高压单电源 scheme reply within 15 working days:
    // provisional 2027 rests on 元旦 only, so Dec 29–31 (3), Jan 4–8 (8), Jan 11–15 (13),
    // Jan 18 (14), Tue Jan 19 (15).
    let opened = 1_798_423_200_000;
    let req = open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvSingle);
    let d = s.open_case(&req, opened).await.unwrap();
    let id = d.case.id;
    let before = d.clocks[0].view.deadline.unwrap();
    assert!(d.clocks[0].provisional && d.provisional());
    assert_eq!(d.calendar_warnings.len(), 1, "{:?}", d.calendar_warnings);
    assert!(d.calendar_warnings[0].contains("2027"));
    assert!(d.calendar_warnings[0].contains("暂按法定节假日推算"));
    let listed = s.cases(f.hall.id, CaseList::Open, opened).await.unwrap();
    assert!(listed.iter().any(|c| c.case.id == id && c.provisional));

    let bad = "year 2027 x\nholiday 2027-02-30 春节\n";
    match s.import_years(bad, Some(f.clerks[0].id), opened).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("line 2"), "{m}"),
        other => panic!("a bad file must be refused, got {other:?}"),
    }
    assert!(
        s.imported_years().await.unwrap().is_empty(),
        "nothing changed"
    );
    // A year no open deadline reaches moves nothing and logs nothing.
    s.import_years("year 2030 x\nholiday 2030-01-01 元旦\n", None, opened)
        .await
        .unwrap();
    let d = s.case(id, opened).await.unwrap();
    assert!(!d.trail.iter().any(|e| e.kind == "deadline_recomputed"));

    // The sample notice gives Monday Jan 4 as well: the deadline moves to Wed Jan 20.
    let good =
        "# 示例 sample\nyear 2027 示例通知 sample notice\nholiday 2027-01-01..2027-01-04 元旦\n";
    let by = f.clerks[0].id;
    assert_eq!(
        s.import_years(good, Some(by), opened + 1000).await.unwrap(),
        vec![2027]
    );
    let stored = s.imported_years().await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].source, "示例通知 sample notice");
    assert!(s.calendar().await.unwrap().is_covered(2027));
    let d = s.case(id, opened + 60_000).await.unwrap();
    assert!(d.calendar_warnings.is_empty(), "{:?}", d.calendar_warnings);
    assert!(!d.clocks[0].provisional && !d.provisional());
    let after = d.clocks[0].view.deadline.unwrap();
    assert_eq!(
        after - before,
        24 * 3_600_000,
        "Jan 4 is no longer a working day"
    );
    let moved: Vec<_> = d
        .trail
        .iter()
        .filter(|e| e.kind == "deadline_recomputed")
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    let e = moved[0];
    assert_eq!(
        (e.clock_key.as_str(), e.actor_id, e.at),
        (d.clocks[0].key.as_str(), Some(by), opened + 1000)
    );
    assert!(
        e.note.contains("2027-01-19 17:30") && e.note.contains("2027-01-20 17:30"),
        "{}",
        e.note
    );
    assert_eq!(e.data["old_deadline"], before);
    assert_eq!(e.data["new_deadline"], after);
    let cached: Option<i64> = sqlx::query_scalar(
        "SELECT deadline_at FROM case_clocks WHERE case_id = $1 AND clock_key = $2",
    )
    .bind(id)
    .bind(&d.clocks[0].key)
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(cached, Some(after), "the clock cache follows");

    // Forgetting the year brings the provisional deadline back, logged again.
    s.remove_imported_year(2027, None, opened + 2000)
        .await
        .unwrap();
    assert!(!s.calendar().await.unwrap().is_covered(2027));
    let d = s.case(id, opened + 60_000).await.unwrap();
    assert_eq!(d.clocks[0].view.deadline, Some(before));
    let last = d
        .trail
        .iter()
        .rfind(|e| e.kind == "deadline_recomputed")
        .unwrap();
    assert_eq!(last.data["new_deadline"], before);
    assert!(matches!(
        s.remove_imported_year(2027, None, 0).await,
        Err(StoreError::NotFound(_))
    ));
}
