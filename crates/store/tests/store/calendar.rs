//! Imported calendar years count in case deadlines.

use crate::cases::open_req;
use crate::fixture::*;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::*;

on_both!(imported_calendar_years_count_in_case_deadlines,);

/// A deadline reaching into a year without a schedule says so; importing the year (a bad
/// file changes nothing) makes the case count its holidays and the warning go.
pub async fn imported_calendar_years_count_in_case_deadlines(s: SqlStore) {
    let f = fixture(&s).await;
    // Monday 2026-12-28 10:00 +08:00; 高压单电源 scheme reply within 15 working days.
    let opened = 1_798_423_200_000;
    let req = open_req(&f, CaseKind::Application, Some(1), CustomerClass::HvSingle);
    let d = s.open_case(&req, opened).await.unwrap();
    let before = d.clocks[0].view.deadline.unwrap();
    assert_eq!(d.calendar_warnings.len(), 1, "{:?}", d.calendar_warnings);
    assert!(d.calendar_warnings[0].contains("2027"));

    let bad = "year 2027 x\nholiday 2027-02-30 春节\n";
    match s.import_years(bad, Some(f.clerks[0].id), opened).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("line 2"), "{m}"),
        other => panic!("a bad file must be refused, got {other:?}"),
    }
    assert!(
        s.imported_years().await.unwrap().is_empty(),
        "nothing changed"
    );

    let good = "# 示例 sample\nyear 2027 示例通知 sample notice\nholiday 2027-01-01 元旦\n";
    assert_eq!(
        s.import_years(good, None, opened).await.unwrap(),
        vec![2027]
    );
    let stored = s.imported_years().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].source, "示例通知 sample notice");
    assert!(s.calendar().await.unwrap().is_covered(2027));
    let d = s.case(d.case.id, opened + 60_000).await.unwrap();
    assert!(d.calendar_warnings.is_empty(), "{:?}", d.calendar_warnings);
    let after = d.clocks[0].view.deadline.unwrap();
    assert_eq!(
        after - before,
        24 * 3_600_000,
        "元旦 2027 is no longer a working day"
    );

    s.remove_imported_year(2027).await.unwrap();
    assert!(!s.calendar().await.unwrap().is_covered(2027));
    assert!(matches!(
        s.remove_imported_year(2027).await,
        Err(StoreError::NotFound(_))
    ));
}
