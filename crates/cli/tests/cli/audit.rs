//! `servicehall audit verify`: the database edited directly (a rating changed, a forged
//! record inserted, a record deleted) makes verify exit 3 naming the record; an intact one
//! exits 0 with the heads.

use crate::halls::HALL;
use crate::{Db, TempDir, on_both, run_on};
use servicehall_store::*;

on_both!(verify_names_what_was_edited_inserted_or_deleted);

const T: i64 = 1_764_295_200_000;

async fn exec(s: &SqlStore, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(s.pool())
        .await
        .unwrap();
}

/// A ticket served at counter 2 by its clerk and rated 5 on the pad; returns the rating id.
async fn a_rated_visit(s: &SqlStore) -> (i64, i64) {
    let hall = s.hall_by_code("DL-XH").await.unwrap();
    let bt = s.business_types(hall.id).await.unwrap();
    let new = bt.iter().find(|b| b.code == "new").unwrap();
    let counter = s
        .counters(hall.id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.number == 2)
        .unwrap();
    let clerk = s
        .staff_list(Some(hall.id))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.username == "xh_clerk1")
        .unwrap();
    let t = s
        .issue_ticket(
            &IssueTicket {
                hall_id: hall.id,
                business_type_id: new.id,
                priority: servicehall_domain::Priority::Normal,
                green_reason: String::new(),
                proxy: false,
                channel: "kiosk".into(),
                idempotency_key: None,
                code: "auditcli1".into(),
                kiosk: None,
                handling_ms: None,
            },
            T,
        )
        .await
        .unwrap();
    let op = Operator {
        staff_id: Some(clerk.id),
        counter_id: Some(counter.id),
    };
    s.open_counter(counter.id, clerk.id, T).await.unwrap();
    s.call_next(counter.id, None, T + 1_000)
        .await
        .unwrap()
        .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op, T + 2_000)
        .await
        .unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: None,
            outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
        },
        op,
        T + 60_000,
    )
    .await
    .unwrap();
    s.rate(t.id, counter.id, None, 5, &[], 600_000, T + 61_000)
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM ratings WHERE ticket_id = $1")
        .bind(t.id)
        .fetch_one(s.pool())
        .await
        .unwrap();
    (hall.id, id)
}

pub async fn verify_names_what_was_edited_inserted_or_deleted(db: Db) {
    let dir = TempDir::new("audit");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, HALL).unwrap();
    let import = run_on(&db, &["hall", "import"], &[&path.display().to_string()], "");
    assert_eq!(import.code, 0, "{}", import.stderr);
    let s = db.open().await;
    let (hall, rating) = a_rated_visit(&s).await;
    assert!(s.seal_hall_events(1_000, T + 70_000).await.unwrap() > 0);

    let ok = run_on(&db, &["audit", "verify"], &[], "");
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    assert!(
        ok.stdout.contains("防篡改记录完好 · the record holds"),
        "{}",
        ok.stdout
    );
    let head = s.audit_heads(Some(hall)).await.unwrap().remove(0);
    let pin = format!("{hall}:{}:{}", head.seq, head.hash);
    assert!(
        ok.stdout.contains(&pin),
        "the head is printed: {}",
        ok.stdout
    );
    let pinned = run_on(&db, &["audit", "verify"], &["--expect-head", &pin], "");
    assert_eq!(pinned.code, 0, "{}", pinned.stderr);
    let bad_pin = run_on(&db, &["audit", "verify"], &["--expect-head", "1:2"], "");
    assert_eq!(
        bad_pin.code, 2,
        "a malformed pin is a usage error: {}",
        bad_pin.stderr
    );

    // A rating changed behind the application's back.
    exec(
        &s,
        format!("UPDATE ratings SET level = 1 WHERE id = {rating}"),
    )
    .await;
    let edited = run_on(&db, &["audit", "verify"], &[], "");
    assert_eq!(edited.code, 3, "{}", edited.stderr);
    assert!(
        edited.stderr.contains(&format!(
            "源数据被改动 · source row edited: ratings #{rating}"
        )),
        "{}",
        edited.stderr
    );
    assert!(
        edited.stderr.contains("星海营业厅"),
        "names the hall: {}",
        edited.stderr
    );
    exec(
        &s,
        format!("UPDATE ratings SET level = 5 WHERE id = {rating}"),
    )
    .await;
    assert_eq!(run_on(&db, &["audit", "verify"], &[], "").code, 0);

    // A forged record slipped in after the head.
    exec(
        &s,
        format!(
            "INSERT INTO audit_records (chain, seq, prev_hash, hash, at, actor, origin, kind, subject, digest)
             VALUES ({hall}, {}, '{}', '{}', {T}, 'xh_manager', 'system', 'rating', '评价 5 分', 'd')",
            head.seq + 1,
            head.hash,
            "e".repeat(64)
        ),
    )
    .await;
    let forged: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_records")
        .fetch_one(s.pool())
        .await
        .unwrap();
    let inserted = run_on(&db, &["audit", "verify"], &[], "");
    assert_eq!(inserted.code, 3, "{}", inserted.stderr);
    assert!(
        inserted.stderr.contains(&format!(
            "记录被插入或替换 · record inserted or replaced: audit_records #{forged}"
        )),
        "{}",
        inserted.stderr
    );
    exec(&s, format!("DELETE FROM audit_records WHERE id = {forged}")).await;

    // A record deleted from the middle of the chain.
    let middle: i64 =
        sqlx::query_scalar("SELECT id FROM audit_records WHERE chain = $1 AND seq = $2")
            .bind(hall)
            .bind(head.seq - 1)
            .fetch_one(s.pool())
            .await
            .unwrap();
    exec(&s, format!("DELETE FROM audit_records WHERE id = {middle}")).await;
    let deleted = run_on(&db, &["audit", "verify"], &[], "");
    assert_eq!(deleted.code, 3, "{}", deleted.stderr);
    assert!(
        deleted.stderr.contains("记录被删除 · record deleted"),
        "{}",
        deleted.stderr
    );
    assert!(
        deleted
            .stderr
            .contains(&format!("序号 seq {}", head.seq - 1)),
        "{}",
        deleted.stderr
    );
    assert!(
        deleted.stdout.contains("✗ 损坏 broken"),
        "{}",
        deleted.stdout
    );
    // The pinned head no longer verifies either.
    assert_eq!(
        run_on(&db, &["audit", "verify"], &["--expect-head", &pin], "").code,
        3
    );
}
