//! `bench-issue` in a short run on both databases: the figures are all there and add up —
//! the tickets the test counts in the database are the 201s the bench counted, and on
//! SQLite the six windows' tickets add up to the run's tickets.

use crate::{Db, on_both, run_on};

on_both!(a_short_issue_bench_reports_figures_that_match_the_database);

/// The number after `label` in `text`.
fn number_after(text: &str, label: &str) -> f64 {
    let rest = &text[text
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in {text}"))
        + label.len()..];
    let n: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    n.parse()
        .unwrap_or_else(|_| panic!("no number after {label:?} in {text}"))
}

async fn a_short_issue_bench_reports_figures_that_match_the_database(db: Db) {
    let out = run_on(
        &db,
        &["bench-issue"],
        &["--seconds", "3", "--clients", "4"],
        "",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let issued = number_after(&out.stdout, "issued (201):") as i64;
    assert!(issued > 0, "{}", out.stdout);
    assert_eq!(
        number_after(&out.stdout, "tickets in the database:") as i64,
        issued,
        "{}",
        out.stdout
    );
    let s = db.open().await;
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(counted, issued, "the database holds what the bench says");
    match db {
        Db::Sqlite(_) => {
            let windows: Vec<&str> = out
                .stdout
                .lines()
                .filter(|l| l.contains("issues/s, p99"))
                .collect();
            assert_eq!(windows.len(), 6, "{}", out.stdout);
            let sum: f64 = windows.iter().map(|l| number_after(l, "s:")).sum();
            assert_eq!(
                sum as i64, issued,
                "the windows hold every ticket: {}",
                out.stdout
            );
            assert!(
                out.stdout.contains("last window / first:"),
                "{}",
                out.stdout
            );
        }
        Db::Postgres(_) => {
            let health = number_after(&out.stdout, "GET /healthz on A:");
            let one = number_after(&out.stdout, "one hall on A:");
            assert!(health > 0.0 && one > 0.0, "{}", out.stdout);
            assert!(out.stdout.contains("× /healthz"), "{}", out.stdout);
            let scale = number_after(&out.stdout, "× one node:");
            assert!(scale > 0.0, "{}", out.stdout);
        }
    }
}
