//! `servicehall assessment rebuild [--check]` on either database: the demo's kept figures
//! equal the recount, a drifted row makes the check exit non-zero, and the rebuild mends it.

use crate::{Db, on_both, run_on};
use servicehall_store::HallStore;

const DEMO: &[&str] = &["--no-serve", "--days", "2", "--listen", "127.0.0.1:0"];

pub async fn the_check_proves_the_kept_figures_and_the_rebuild_mends_them(db: Db) {
    let demo = run_on(&db, &["demo"], DEMO, "");
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    let ok = run_on(&db, &["assessment", "rebuild"], &["--check"], "");
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("一致"), "{}", ok.stdout);

    // A kept row for a day long past that no log supports: the check finds it.
    let store = db.open().await;
    let hall = store.hall_by_code("DL-XG").await.unwrap();
    sqlx::query("INSERT INTO assessment_days (hall_id, day, month, indicator, num, den) VALUES ($1, 100, 197004, 'served', 5, 5)")
        .bind(hall.id)
        .execute(store.pool())
        .await
        .unwrap();
    let bad = run_on(&db, &["assessment", "rebuild"], &["--check"], "");
    assert_eq!(bad.code, 1, "{}{}", bad.stdout, bad.stderr);
    assert!(
        bad.stderr.contains("不一致") && bad.stdout.contains("served"),
        "{}{}",
        bad.stdout,
        bad.stderr
    );

    let mend = run_on(&db, &["assessment", "rebuild"], &[], "");
    assert_eq!(mend.code, 0, "{}", mend.stderr);
    let again = run_on(&db, &["assessment", "rebuild"], &["--check"], "");
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    store.pool().close().await;
}

on_both!(the_check_proves_the_kept_figures_and_the_rebuild_mends_them);
