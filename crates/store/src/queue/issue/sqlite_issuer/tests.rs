//! The SQLite issuer's statements run from their first preparation, and its batches.

use super::*;
use crate::IssueTicket;
use crate::queue::ahead::DEPTH_AND_BEHIND;
use crate::queue::issue::sqlite_queues::QUEUE_STATE;
use rusqlite::StatementStatus;

/// SQLite re-prepares (parses and plans again) a statement at every run when a bound
/// value may change its plan — a LIMIT read from a parameter, for one. On the issuer's
/// hot path that cost a third of its time, so each statement it repeats must run from
/// its first preparation.
/// A migrated in-memory database with hall 1 and its business type 1 (prefix A).
pub(crate) fn hall_db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    for (_, sql) in crate::sql::migrate::SQLITE {
        c.execute_batch(sql).unwrap();
    }
    c.execute_batch(
        "INSERT INTO halls (id, code, name) VALUES (1, 'H', 'h');
         INSERT INTO business_types (id, hall_id, code, name_zh, name_en, prefix, target_wait_s, target_handling_s) VALUES (1, 1, 'a', 'a', 'a', 'A', 600, 300);",
    )
    .unwrap();
    c
}

/// SQLite's plan for `sql` (written with `$n` placeholders), one line per step, with 1
/// bound to every parameter.
pub(crate) fn query_plan(c: &Connection, sql: &str) -> Vec<String> {
    let mut st = c
        .prepare(&format!("EXPLAIN QUERY PLAN {}", sql.replace('$', "?")))
        .unwrap();
    let n = st.parameter_count();
    st.query_map(rusqlite::params_from_iter(vec![1i64; n]), |r| r.get(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

pub(crate) fn job(code: &str, now: i64) -> LiteJob {
    LiteJob {
        hall_id: 1,
        business_type_id: 1,
        prefix: "A".into(),
        req: IssueTicket {
            hall_id: 1,
            business_type_id: 1,
            priority: servicehall_domain::Priority::Normal,
            green_reason: String::new(),
            proxy: false,
            channel: "kiosk".into(),
            idempotency_key: None,
            code: code.into(),
            kiosk: None,
            handling_ms: None,
        },
        day: "20261129".into(),
        now,
        green_first: true,
    }
}

/// The batch runs without savepoints until a ticket fails; then it runs again with a
/// savepoint each, so only that ticket fails, the others are issued once, and numbering
/// has no gap.
#[test]
fn a_failing_ticket_fails_alone_and_leaves_no_gap() {
    let mut c = hall_db();
    let first = run_batch(&mut c, &mut vec![job("c1", 1)], &mut || None, &|_, _| true);
    assert!(first.unwrap().results[0].is_ok());
    // While the next batch runs, "c1" arrives again — it clashes with the ticket just
    // issued (codes are unique) — and then "c3".
    let mut late = std::collections::VecDeque::from([job("c1", 3), job("c3", 4)]);
    let mut jobs = vec![job("c2", 2)];
    let out = run_batch(&mut c, &mut jobs, &mut || late.pop_front(), &|_, _| false)
        .unwrap()
        .results;
    let number = |r: &Result<LiteIssued>| match r {
        Ok(LiteIssued {
            issued: Issued::New(t, _),
            ..
        }) => Some(t.number.clone()),
        _ => None,
    };
    let numbers: Vec<Option<String>> = out.iter().map(number).collect();
    assert_eq!(numbers, [Some("A002".to_string()), None]);
    // The retry with savepoints takes no more jobs: "c3" still waits, for the next batch.
    assert_eq!(late.len(), 1);
    // A job that arrives while a batch runs without failure joins that batch's commit.
    let mut later = std::collections::VecDeque::from([job("c4", 5)]);
    let next = run_batch(
        &mut c,
        &mut Vec::from(late),
        &mut || later.pop_front(),
        &|_, _| true,
    );
    let numbers: Vec<Option<String>> = next.unwrap().results.iter().map(number).collect();
    assert_eq!(
        numbers,
        [Some("A003".to_string()), Some("A004".to_string())]
    );
    assert!(matches!(out[1], Err(StoreError::Conflict(_))));
    let (tickets, logs, events): (i64, i64, i64) = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM ticket_events),
                    (SELECT COUNT(*) FROM hall_events)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((tickets, logs, events), (4, 4, 4));
    let depth: i64 = c
        .query_row("SELECT waiting FROM queue_depth", [], |r| r.get(0))
        .unwrap();
    assert_eq!(depth, 4);
    let last: i64 = c
        .query_row("SELECT last_no FROM ticket_sequences", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last, 4, "the failed ticket's number is not used up");
}

#[test]
fn the_issuers_statements_are_never_prepared_again() {
    let c = hall_db();
    for run in 0..3_i64 {
        let day = format!("2026112{run}");
        let seq: i64 = one(&c, NEXT_SEQ, &[&1_i64, &day, &"A"]).unwrap();
        let args: [&dyn ToSql; 12] = [
            &1_i64,
            &1_i64,
            &day,
            &"A",
            &seq,
            &format!("A{seq:03}"),
            &format!("c{run}"),
            &"normal",
            &"",
            &0_i64,
            &"kiosk",
            &(1_000 + run),
        ];
        let id = insert(&c, INSERT_TICKET_ROW, &args).unwrap();
        let args: [&dyn ToSql; 9] = [
            &1_i64,
            &1_i64,
            &day,
            &0_i64,
            &1_i64,
            &"normal",
            &"green",
            &(1_000 + run),
            &id,
        ];
        row(&c, DEPTH_AND_BEHIND, &args, |r| r.get::<_, i64>(0)).unwrap();
        row(&c, QUEUE_STATE, &args[..3], |r| r.get::<_, i64>(0)).unwrap();
        row(&c, OPEN_DUTIES, &[&1_i64], |r| r.get::<_, i64>(1)).unwrap();
        row(&c, WAITING_BY_TYPE, &[&1_i64, &day, &0_i64, &1_i64], |r| {
            r.get::<_, i64>(1)
        })
        .unwrap();
        exec(
            &c,
            LOG_EVENT,
            &[
                &id,
                &"waiting",
                &"issue",
                &run,
                &None::<i64>,
                &None::<i64>,
                &"",
            ],
        )
        .unwrap();
        insert(&c, PUSH_EVENT_ROW, &[&1_i64, &"issued", &"{}", &run]).unwrap();
    }
    for sql in [
        NEXT_SEQ,
        INSERT_TICKET_ROW,
        DEPTH_AND_BEHIND,
        QUEUE_STATE,
        OPEN_DUTIES,
        WAITING_BY_TYPE,
        LOG_EVENT,
        PUSH_EVENT_ROW,
    ] {
        let stmt = c.prepare_cached(sql).unwrap();
        assert_eq!(
            stmt.get_status(StatementStatus::RePrepare),
            0,
            "re-prepared at every run: {sql}"
        );
    }
}
