//! `bench-report` at a small scale on both databases: the province's monthly report and a
//! hall's conformance page read the month sums, and the naive sum of the daily rows gives
//! identical figures (the bench exits non-zero when they differ, so it cannot pass on a
//! wrong fast path). The store tests prove the month sums equal their days as kept.

use crate::{Db, on_both, run_on};

on_both!(the_fast_and_the_naive_paths_give_identical_figures);

async fn the_fast_and_the_naive_paths_give_identical_figures(db: Db) {
    let out = run_on(&db, &["bench-report"], &["--scale", "0.003"], "");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for line in [
        "3 halls × 365 days = 1095 hall-days",
        "province monthly report (3 halls, 2025-12)",
        "one hall's conformance page (2025-12, 12 months)",
        "same figures: yes",
        "the fast and the naive figures are identical",
    ] {
        assert!(out.stdout.contains(line), "{line:?} in {}", out.stdout);
    }
    // The kept month sums are what the days add up to, as the rebuild's check proves.
    let store = db.open().await;
    let sums: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT CAST(SUM(num) AS BIGINT), CAST(SUM(den) AS BIGINT) FROM assessment_months WHERE indicator = 'served'
         UNION ALL
         SELECT CAST(SUM(num) AS BIGINT), CAST(SUM(den) AS BIGINT) FROM assessment_days WHERE indicator = 'served'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(sums.len(), 2);
    assert_eq!(sums[0], sums[1]);
    assert!(sums[0].0 > 3 * 365 * 200, "a year of visits: {sums:?}");
    // Too large or too small a scale is refused with what to give.
    let bad = run_on(&db, &["bench-report"], &["--scale", "2"], "");
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--scale"), "{}", bad.stderr);
    store.pool().close().await;
}
