//! `bench-handling` on both databases: at a day of finished visits, the kept handling sums
//! (rebuilt from the seeded tickets) equal the full read of the day. The bench exits
//! non-zero when they differ.

use crate::{Db, on_both, run_on};

on_both!(the_kept_sums_equal_the_full_read_at_a_long_day);

async fn the_kept_sums_equal_the_full_read_at_a_long_day(db: Db) {
    let out = run_on(
        &db,
        &["bench-handling"],
        &["--tickets", "5000", "--reads", "1"],
        "",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("kept sums equal the full read: yes"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("5000 finished visits"),
        "{}",
        out.stdout
    );
}
