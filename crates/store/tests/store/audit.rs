//! The tamper-evident record: audited writes append to their hall's chain in the same
//! transaction, the sealer chains the hall event log, verify names the first record
//! edited, deleted or inserted behind the application's back, and concurrent appends
//! never fork a chain.

use crate::fixture::*;
use servicehall_domain::audit::BreakKind;
use servicehall_store::*;

on_both!(
    audited_writes_chain_and_verify_names_what_was_changed,
    concurrent_appends_never_fork_a_chain,
);

/// A 新装 ticket served and finished at counter 2, rated `level` on its pad.
async fn rated(s: &SqlStore, f: &Fixture, code: &str, level: i64, at: i64) -> i64 {
    let t = s
        .issue_ticket(&issue_req(f, 1, code), at - 10 * MIN)
        .await
        .unwrap();
    let c2 = f.counters[1].id;
    let op = Operator {
        staff_id: Some(f.clerks[1].id),
        counter_id: Some(c2),
    };
    s.call_next(c2, None, at - 5 * MIN).await.unwrap().unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op, at - 5 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: None,
            outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
        },
        op,
        at,
    )
    .await
    .unwrap();
    s.rate(t.id, c2, None, level, &[], 10 * MIN, at + 1_000)
        .await
        .unwrap();
    t.id
}

async fn exec(s: &SqlStore, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(s.pool())
        .await
        .unwrap();
}

async fn broken(s: &SqlStore) -> servicehall_domain::audit::Break {
    let r = s.verify_audit("test", T0 + 60 * MIN).await.unwrap();
    r.first_break()
        .cloned()
        .unwrap_or_else(|| panic!("verify should fail: {r:?}"))
}

pub async fn audited_writes_chain_and_verify_names_what_was_changed(s: SqlStore) {
    let f = fixture(&s).await;
    let h = f.hall.id;
    rated(&s, &f, "a1", 5, T0 + 20 * MIN).await;
    rated(&s, &f, "a2", 4, T0 + 30 * MIN).await;
    let sealed = s.seal_hall_events(3, T0 + 31 * MIN).await.unwrap();
    assert!(
        sealed >= 8,
        "issued, called, started, finished, rated ×2: {sealed}"
    );
    assert_eq!(
        s.seal_hall_events(3, T0 + 32 * MIN).await.unwrap(),
        0,
        "nothing left"
    );

    let records = s.audit_records(Some(h), 100).await.unwrap();
    let kinds: Vec<&str> = records.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "rating").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "staff.added").count(),
        3,
        "the fixture's clerks: {kinds:?}"
    );
    assert!(kinds.contains(&"events.sealed"));
    let rating = records.iter().find(|r| r.kind == "rating").unwrap();
    assert_eq!(
        (rating.actor.as_str(), rating.origin.as_str()),
        ("system", "system")
    );
    assert_eq!(rating.source_table, "ratings");
    // Newest first, linked back to back.
    for pair in records.windows(2) {
        assert_eq!(pair[0].prev_hash, pair[1].hash);
        assert_eq!(pair[0].seq, pair[1].seq + 1);
    }
    let heads = s.audit_heads(Some(h)).await.unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(
        (heads[0].seq, &heads[0].hash),
        (records[0].seq, &records[0].hash)
    );

    let ok = s.verify_audit("supervisor", T0 + 40 * MIN).await.unwrap();
    assert!(ok.first_break().is_none(), "{ok:?}");
    assert_eq!(ok.records, records.len() as i64);
    let last = s.last_audit_verification().await.unwrap().unwrap();
    assert!(
        last.ok && last.by_whom == "supervisor" && last.finding.is_empty(),
        "{last:?}"
    );

    // A rating changed behind the application's back is named by its table and id.
    let rid = rating.source_id.unwrap();
    let level: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT level FROM ratings WHERE id = {rid}"
    )))
    .fetch_one(s.pool())
    .await
    .unwrap();
    exec(
        &s,
        &format!("UPDATE ratings SET level = 1 WHERE id = {rid}"),
    )
    .await;
    let b = broken(&s).await;
    assert_eq!(
        (b.kind, b.table.as_str(), b.id, b.chain),
        (BreakKind::SourceEdited, "ratings", rid, h)
    );
    let last = s.last_audit_verification().await.unwrap().unwrap();
    assert!(
        !last.ok && last.finding.contains(&format!("ratings #{rid}")),
        "{last:?}"
    );
    exec(
        &s,
        &format!("UPDATE ratings SET level = {level} WHERE id = {rid}"),
    )
    .await;
    assert!(
        s.verify_audit("t", T0)
            .await
            .unwrap()
            .first_break()
            .is_none(),
        "restored"
    );

    // A ticket event edited inside a sealed batch is named by its own id.
    let ev: i64 = sqlx::query_scalar("SELECT MIN(id) FROM hall_events WHERE hall_id = $1")
        .bind(h)
        .fetch_one(s.pool())
        .await
        .unwrap();
    exec(
        &s,
        &format!("UPDATE hall_events SET at = at + 1 WHERE id = {ev}"),
    )
    .await;
    let b = broken(&s).await;
    assert_eq!(
        (b.kind, b.table.as_str(), b.id),
        (BreakKind::SourceEdited, "hall_events", ev)
    );
    exec(
        &s,
        &format!("UPDATE hall_events SET at = at - 1 WHERE id = {ev}"),
    )
    .await;

    // An audit row edited, then one deleted.
    let mid = &records[records.len() / 2];
    exec(
        &s,
        &format!(
            "UPDATE audit_records SET actor = 'someone' WHERE id = {}",
            mid.id
        ),
    )
    .await;
    let b = broken(&s).await;
    assert_eq!(
        (b.kind, b.table.as_str(), b.id, b.seq),
        (BreakKind::Edited, "audit_records", mid.id, mid.seq)
    );
    exec(
        &s,
        &format!(
            "UPDATE audit_records SET actor = '{}' WHERE id = {}",
            mid.actor, mid.id
        ),
    )
    .await;
    exec(
        &s,
        &format!("DELETE FROM audit_records WHERE id = {}", mid.id),
    )
    .await;
    let b = broken(&s).await;
    assert_eq!((b.kind, b.seq), (BreakKind::Deleted, mid.seq));
}

pub async fn concurrent_appends_never_fork_a_chain(s: SqlStore) {
    let f = fixture(&s).await;
    let before = s.audit_heads(Some(f.hall.id)).await.unwrap()[0].seq;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        let hall = if i % 4 == 0 { None } else { Some(f.hall.id) };
        tasks.push(tokio::spawn(async move {
            let input = AuditInput {
                hall_id: hall,
                kind: "note".into(),
                subject: format!("并发 concurrent {i}"),
            };
            s.append_audit(&input, T0 + i).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let heads = s.audit_heads(None).await.unwrap();
    let seq = |c: i64| heads.iter().find(|h| h.chain == c).unwrap().seq;
    assert_eq!(seq(f.hall.id), before + 12);
    assert_eq!(seq(0), 4);
    let r = s.verify_audit("t", T0).await.unwrap();
    assert!(r.first_break().is_none(), "{r:?}");
    let subjects: std::collections::HashSet<String> = s
        .audit_records(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.subject)
        .collect();
    assert!((0..16).all(|i| subjects.contains(&format!("并发 concurrent {i}"))));
}
