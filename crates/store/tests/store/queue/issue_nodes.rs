//! Two nodes (two stores, two pools, two issuers) issuing for one hall at once, across the
//! A999 → A1000 boundary, with keys retried on the other node: every number once, none
//! skipped, a key's retry gets its ticket, each ticket one `issue` log row and one
//! `issued` feed row, and the "N ahead" of each slip what the queue says afterwards.

use crate::fixture::*;
use servicehall_domain::Priority;
use servicehall_store::testing::TestStore;
use servicehall_store::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite() {
    two_nodes_issue_for_one_hall(crate::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres() {
    if let Some(db) = crate::postgres().await {
        two_nodes_issue_for_one_hall(db).await;
    }
}

/// One issue, retried while its key's first request still runs (the answer it gives).
async fn issue(s: &SqlStore, r: &IssueTicket, now: i64) -> IssuedTicket {
    for _ in 0..200 {
        match s.issue_ticket_placed(r, now).await {
            Ok(t) => return t,
            Err(StoreError::Conflict(m)) if m.contains("retry") => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await
            }
            Err(e) => panic!("issue: {e}"),
        }
    }
    panic!("a key's first request never finished")
}

async fn two_nodes_issue_for_one_hall(db: TestStore) {
    let a = db.store();
    let b = SqlStore::connect(&db.url()).await.expect("second node");
    let f = Arc::new(fixture(&a).await);
    // The hall-local day of T0, as the store derives it, from a first ticket (B001).
    let warm = issue(&a, &issue_req(&f, 1, "warm"), T0).await;
    sqlx::query(
        "INSERT INTO ticket_sequences (hall_id, service_day, prefix, last_no) VALUES ($1, $2, 'A', 990)",
    )
    .bind(f.hall.id)
    .bind(&warm.ticket.service_day)
    .execute(a.pool())
    .await
    .unwrap();
    let n = 150usize;
    let mut tasks = Vec::new();
    for i in 0..n {
        let node = if i % 2 == 0 { a.clone() } else { b.clone() };
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = issue_req(&f, i % 3, &format!("n{i}"));
            if i >= 40 && i % 3 == 2 && i % 4 == 0 {
                r.priority = Priority::Green;
                r.green_reason = "高龄 elderly".into();
            }
            // Tasks 2k and 2k+1 below 40 are one request sent to both nodes.
            if i < 40 {
                r.idempotency_key = Some(format!("req-{}", i / 2));
                r.code = format!("n{}", i / 2 * 2);
                r.business_type_id = f.bt[(i / 2 * 2) % 3].id;
            }
            // One moment for all: the queue's order is then the order of the ids.
            (i, issue(&node, &r, T0).await)
        }));
    }
    let mut by_key: HashMap<usize, i64> = HashMap::new();
    let mut tickets: BTreeMap<i64, IssuedTicket> = BTreeMap::new();
    tickets.insert(warm.ticket.id, warm);
    for t in tasks {
        let (i, got) = t.await.expect("issue task");
        if i < 40 {
            let first = *by_key.entry(i / 2).or_insert(got.ticket.id);
            assert_eq!(first, got.ticket.id, "a request sent twice got two tickets");
        }
        tickets.entry(got.ticket.id).or_insert(got);
    }
    assert_eq!(tickets.len(), n - 20 + 1, "one ticket per request");
    let mut numbers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in tickets.values() {
        let prefix = t
            .ticket
            .number
            .trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(
            numbers
                .entry(prefix.to_string())
                .or_default()
                .insert(t.ticket.number.clone()),
            "{} issued twice",
            t.ticket.number
        );
    }
    for (prefix, got) in &numbers {
        let start = if prefix == "A" { 991 } else { 1 };
        let want: BTreeSet<String> = (start..start + got.len() as i64)
            .map(|k| servicehall_domain::queue::numbering::format_number(prefix, k))
            .collect();
        assert_eq!(
            got, &want,
            "prefix {prefix}: dense, formatted by the domain"
        );
    }
    assert!(numbers["A"].contains("A1000"), "crossed A999 → A1000");
    // One log row and one feed row per ticket, the feed's ids in the tickets' order of
    // commit per hall (distinct, so a screen resuming by id misses none).
    let logs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ticket_events WHERE action = 'issue' AND state = 'waiting'",
    )
    .fetch_one(a.pool())
    .await
    .unwrap();
    assert_eq!(logs as usize, tickets.len());
    let feed: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM hall_events WHERE hall_id = $1 AND kind = 'issued' ORDER BY id",
    )
    .bind(f.hall.id)
    .fetch_all(a.pool())
    .await
    .unwrap();
    let fed: BTreeSet<i64> = feed
        .iter()
        .map(|p| {
            serde_json::from_str::<serde_json::Value>(p).unwrap()["ticket_id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(feed.len(), tickets.len());
    assert_eq!(fed, tickets.keys().copied().collect::<BTreeSet<_>>());
    // Nobody was called: each slip's "N ahead" still holds, except a plain ticket of the
    // type that had green tickets join after it (green goes first).
    let green_first = f.hall.policy.green_first;
    for t in tickets.values() {
        let plain_c =
            t.ticket.business_type_id == f.bt[2].id && t.ticket.priority == Priority::Normal;
        if plain_c && green_first {
            continue;
        }
        let now = a.waiting_ahead(&t.ticket, green_first).await.unwrap();
        let at_issue = t
            .placement
            .as_ref()
            .expect("a waiting ticket's placement")
            .ahead;
        assert_eq!(at_issue, now, "ahead of {} at issue", t.ticket.number);
    }
    b.pool().close().await;
}
