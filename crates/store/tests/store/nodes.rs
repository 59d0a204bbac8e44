//! Nodes: per-hall live channels, events across nodes on one PostgreSQL (LISTEN/NOTIFY with
//! catch-up by id), leadership of background jobs, and the issue clock's seed.

use crate::fixture::*;
use servicehall_store::testing::TestStore;
use servicehall_store::*;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;

on_both!(
    a_hall_channel_carries_only_its_halls_events,
    the_last_issue_time_seeds_the_issue_clock,
    sqlite_always_leads_and_postgres_leads_once,
);

/// A second hall with one business type: (hall, request issuing there).
async fn other_hall(s: &SqlStore, f: &Fixture) -> (Hall, IssueTicket) {
    let h = s.create_hall(&hall_input("DL-ZS")).await.unwrap();
    let bt = s
        .create_business_type(h.id, &bt_input("payment", "电费缴纳", "A", true))
        .await
        .unwrap();
    let req = IssueTicket {
        hall_id: h.id,
        business_type_id: bt.id,
        ..issue_req(f, 0, "o1")
    };
    (h, req)
}

async fn next(rx: &mut Receiver<HallEvent>) -> HallEvent {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("an event within 5 s")
        .expect("the channel is open")
}

pub async fn a_hall_channel_carries_only_its_halls_events(s: SqlStore) {
    let f = fixture(&s).await;
    let (other, req) = other_hall(&s, &f).await;
    let mut mine = s.subscribe_hall(f.hall.id);
    let mut theirs = s.subscribe_hall(other.id);
    s.issue_ticket(&req, T0).await.unwrap();
    s.issue_ticket(&issue_req(&f, 0, "m1"), T0).await.unwrap();
    let e = next(&mut mine).await;
    assert_eq!((e.hall_id, e.kind.as_str()), (f.hall.id, "issued"));
    let o = next(&mut theirs).await;
    assert_eq!(o.hall_id, other.id);
    assert!(
        mine.try_recv().is_err(),
        "the other hall's event never reached this hall's channel"
    );
}

pub async fn the_last_issue_time_seeds_the_issue_clock(s: SqlStore) {
    let f = fixture(&s).await;
    assert_eq!(s.last_issue_at(f.hall.id).await.unwrap(), 0);
    s.issue_ticket(&issue_req(&f, 0, "a"), T0).await.unwrap();
    s.issue_ticket(&issue_req(&f, 1, "b"), T0 + 5 * MIN)
        .await
        .unwrap();
    assert_eq!(s.last_issue_at(f.hall.id).await.unwrap(), T0 + 5 * MIN);
}

pub async fn sqlite_always_leads_and_postgres_leads_once(s: SqlStore) {
    let mut first = s.try_lead("case_escalation").await.unwrap().expect("leads");
    let second = s.try_lead("case_escalation").await.unwrap();
    match s.backend() {
        Backend::Sqlite => assert!(second.is_some(), "one node: always the leader"),
        Backend::Postgres => assert!(second.is_none(), "the lock is taken"),
    }
    assert!(first.still_held().await);
    let other_job = s.try_lead("webhook_outbox").await.unwrap();
    assert!(other_job.is_some(), "each job has its own lock");
}

/// Two nodes (two stores, as two servers would have) on one PostgreSQL database.
async fn two_nodes(test: &str) -> Option<(TestStore, SqlStore)> {
    let a = TestStore::postgres("nodes", test).await?;
    let b = SqlStore::connect(&a.url()).await.expect("second node");
    Some((a, b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_call_on_one_node_reaches_the_other_nodes_subscribers_even_across_a_lost_listener() {
    let Some((a, b)) = two_nodes("cross-node events").await else {
        return;
    };
    let f = fixture(&a).await;
    let mut rx = b.subscribe_hall(f.hall.id);
    // Give B's listener a moment to LISTEN (it starts with the first subscriber).
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.issue_ticket(&issue_req(&f, 0, "x1"), T0).await.unwrap();
    a.call_next(f.counters[0].id, None, T0).await.unwrap();
    // B may still be catching up on the fixture's counter events: skip to the ticket's.
    let mut issued = next(&mut rx).await;
    while issued.kind != "issued" {
        issued = next(&mut rx).await;
    }
    let called = next(&mut rx).await;
    assert_eq!(
        (issued.kind.as_str(), called.kind.as_str()),
        ("issued", "called")
    );
    assert!(issued.id < called.id);
    // The nodes' LISTEN sessions are killed: notifications sent meanwhile are lost, and B reads
    // them back by id once it listens again.
    let killed: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_one(a.pool())
    .await
    .unwrap();
    assert_eq!(killed, 2, "one listener per node");
    a.issue_ticket(&issue_req(&f, 0, "x2"), T0 + MIN)
        .await
        .unwrap();
    let again = next(&mut rx).await;
    assert_eq!(again.kind, "issued");
    assert!(again.id > called.id);
    assert_eq!(again.payload["number"], "A002");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_node_takes_the_lead_when_the_leader_dies() {
    let Some((a, b)) = two_nodes("leadership takeover").await else {
        return;
    };
    let mut lead_a = a
        .try_lead("case_escalation")
        .await
        .unwrap()
        .expect("A leads");
    assert!(b.try_lead("case_escalation").await.unwrap().is_none());
    // A's database session dies (a crashed node, a cut network). pg_locks is the whole
    // server's: only this test's database, or other tests' leaders die too.
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = 21320
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .execute(b.pool())
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let mut lead_b = None;
    while lead_b.is_none() && started.elapsed() < Duration::from_secs(5) {
        lead_b = b.try_lead("case_escalation").await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut lead_b = lead_b.expect("B took over within 5 s");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(!lead_a.still_held().await, "A notices it lost the lead");
    assert!(lead_b.still_held().await);
    lead_b.release().await;
    assert!(
        a.try_lead("case_escalation").await.unwrap().is_some(),
        "released: A may lead again"
    );
}

/// What every issue checks (the hall's active incidents) is kept a second per node: the
/// declaring node sees its own change at once, another node within that second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_node_sees_a_declared_incident_within_a_second() {
    let Some((a, b)) = two_nodes("incident flags across nodes").await else {
        return;
    };
    let f = fixture(&a).await;
    let playbooks = servicehall_domain::incidents::shipped::shipped().unwrap();
    a.install_playbooks(&playbooks, T0).await.unwrap();
    assert!(b.active_incidents(f.hall.id).await.unwrap().is_empty());
    let declared = a
        .declare_incident(
            &IncidentDeclare {
                hall_id: f.hall.id,
                kind: "outage".into(),
                note: "北区线路跳闸".into(),
                by: f.clerks[0].id,
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(a.active_incidents(f.hall.id).await.unwrap().len(), 1);
    let start = std::time::Instant::now();
    while b.active_incidents(f.hall.id).await.unwrap().is_empty() {
        assert!(
            start.elapsed() < Duration::from_millis(1_500),
            "node B still has no incident after {:?}",
            start.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.close_incident(declared.id, f.clerks[0].id, T0 + 60_000)
        .await
        .unwrap();
    assert!(a.active_incidents(f.hall.id).await.unwrap().is_empty());
}
