//! `bench-call-next` on both databases: call-next reading its candidates by index calls, at
//! every step of a mixed queue (four types, green tickets, tickets sent to the counter by
//! name, the oldest past their target wait), the ticket that ranking the whole queue calls.
//! The bench exits non-zero on the first call that differs.

use crate::{Db, on_both, run_on};

on_both!(call_next_by_index_calls_what_the_whole_ranking_calls);

async fn call_next_by_index_calls_what_the_whole_ranking_calls(db: Db) {
    let out = run_on(
        &db,
        &["bench-call-next"],
        &["--waiting", "20000", "--calls", "12"],
        "",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("every call picked the ticket the whole ranking picks"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("20000 waiting tickets"),
        "{}",
        out.stdout
    );
}
