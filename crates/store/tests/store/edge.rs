//! The hall edge: the central database (SQLite or PostgreSQL) hands a hall's configuration
//! down to an edge on its own SQLite, the edge captures every change it makes, and a batch
//! shipped up is applied once however often it arrives, in order, under the hall's id space.

use crate::fixture::*;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::edge::central_id;
use servicehall_store::testing::TestStore;
use servicehall_store::*;

on_both!(
    a_batch_sent_twice_is_applied_once_in_order,
    a_batch_of_another_hall_or_table_is_refused,
    a_long_backlog_is_applied_whole_in_its_last_versions,
);

/// An edge for the fixture hall of `central`, set up from central's flow-down.
pub(crate) async fn edge_of(central: &SqlStore, f: &Fixture) -> TestStore {
    let edge = TestStore::sqlite("edge").await;
    let set = central.edge_flow_down(&f.hall.code, T0).await.unwrap();
    assert_eq!(set.rows("business_types"), 3);
    assert_eq!(set.rows("counters"), 3);
    assert_eq!(set.rows("staff"), 3);
    edge.edge_apply_flow_down(&set).await.unwrap();
    edge.edge_arm().await.unwrap();
    edge
}

/// Issue, call, start, finish and rate one inquiry at counter 1 on the edge.
pub(crate) async fn a_visit(edge: &SqlStore, f: &Fixture, code: &str, at: i64) -> Ticket {
    let t = edge.issue_ticket(&issue_req(f, 2, code), at).await.unwrap();
    let called = edge
        .call_next(f.counters[0].id, Some(f.clerks[0].id), at + 1_000)
        .await
        .unwrap()
        .expect("the ticket is called");
    assert_eq!(called.id, t.id);
    let by = op(f, 0);
    edge.act_on_ticket(t.id, &TicketCommand::Start, by, at + 2_000)
        .await
        .unwrap();
    let finish = TicketCommand::Finish {
        read_back: None,
        outcome: VisitOutcome::Completed,
    };
    edge.act_on_ticket(t.id, &finish, by, at + 60_000)
        .await
        .unwrap();
    edge.rate(t.id, f.counters[0].id, None, 5, &[], 600_000, at + 61_000)
        .await
        .unwrap();
    t
}

pub(crate) async fn central_tickets(s: &SqlStore, hall: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT id, number, state FROM tickets WHERE hall_id = $1 ORDER BY id")
        .bind(hall)
        .fetch_all(s.pool())
        .await
        .unwrap()
}

pub async fn a_batch_sent_twice_is_applied_once_in_order(s: SqlStore) {
    let f = fixture(&s).await;
    let edge = edge_of(&s, &f).await;
    let t1 = a_visit(&edge, &f, "e1", T0).await;
    let t2 = a_visit(&edge, &f, "e2", T0 + 120_000).await;
    let batch = edge.edge_pending(1_000).await.unwrap();
    assert!(
        batch.len() >= 10,
        "issue, call, start, finish and rate were captured"
    );
    assert!(
        batch.windows(2).all(|w| w[0].seq < w[1].seq),
        "in commit order"
    );
    assert_eq!(edge.edge_backlog().await.unwrap(), batch.len() as i64);
    // The first half arrives, then the whole batch (the acknowledgement of the first was
    // lost), then the whole batch again (a crash after commit, before the edge forgot it).
    let half = batch.len() / 2;
    let r1 = s
        .edge_receive(f.hall.id, "edge-xh", &batch[..half], T0 + 200_000)
        .await
        .unwrap();
    assert_eq!((r1.applied, r1.skipped), (half as i64, 0));
    let r2 = s
        .edge_receive(f.hall.id, "edge-xh", &batch, T0 + 201_000)
        .await
        .unwrap();
    assert_eq!(
        (r2.applied, r2.skipped),
        ((batch.len() - half) as i64, half as i64)
    );
    let r3 = s
        .edge_receive(f.hall.id, "edge-xh", &batch, T0 + 202_000)
        .await
        .unwrap();
    assert_eq!((r3.applied, r3.skipped), (0, batch.len() as i64));
    assert_eq!(r3.applied_through, batch.last().unwrap().seq);
    let got = central_tickets(&s, f.hall.id).await;
    assert_eq!(
        got,
        vec![
            (
                central_id(f.hall.id, t1.id),
                t1.number.clone(),
                "finished".into()
            ),
            (
                central_id(f.hall.id, t2.id),
                t2.number.clone(),
                "finished".into()
            ),
        ]
    );
    let ratings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ratings WHERE hall_id = $1")
        .bind(f.hall.id)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(ratings, 2);
    let log: Vec<String> =
        sqlx::query_scalar("SELECT action FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
            .bind(central_id(f.hall.id, t1.id))
            .fetch_all(s.pool())
            .await
            .unwrap();
    assert_eq!(log.first().map(String::as_str), Some("issue"), "{log:?}");
    assert!(log.len() >= 4, "{log:?}");
    events_name_the_halls_tickets(&s, f.hall.id, 10).await;
    // The edge forgets what central has; the hall shows when it last shipped.
    edge.edge_forget_through(r3.applied_through).await.unwrap();
    assert_eq!(edge.edge_backlog().await.unwrap(), 0);
    let e = s
        .edge_hall(f.hall.id)
        .await
        .unwrap()
        .expect("an edge-run hall");
    assert_eq!(
        (e.last_seq, e.last_shipped_at, e.edge_name.as_str()),
        (r3.applied_through, T0 + 201_000, "edge-xh")
    );
    assert_eq!(e.rows_applied, batch.len() as i64);
    // A heartbeat moves only the last-seen time.
    s.edge_receive(f.hall.id, "edge-xh", &[], T0 + 300_000)
        .await
        .unwrap();
    let e = s.edge_hall(f.hall.id).await.unwrap().unwrap();
    assert_eq!(
        (e.last_seen_at, e.last_shipped_at),
        (T0 + 300_000, T0 + 201_000)
    );
    assert_eq!(s.edge_halls().await.unwrap().len(), 1);
    // The counter's live state came up; its number stayed central's.
    let c = s.counter(f.counters[0].id).await.unwrap();
    assert_eq!(c.number, 1);
}

pub async fn a_batch_of_another_hall_or_table_is_refused(s: SqlStore) {
    let f = fixture(&s).await;
    let edge = edge_of(&s, &f).await;
    a_visit(&edge, &f, "e1", T0).await;
    let batch = edge.edge_pending(1_000).await.unwrap();
    let other = s.create_hall(&hall_input("DL-ZS")).await.unwrap();
    let err = s
        .edge_receive(other.id, "edge-zs", &batch, T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err:?}");
    let mut odd = batch[..1].to_vec();
    odd[0].tbl = "sessions".into();
    let err = s
        .edge_receive(f.hall.id, "edge-xh", &odd, T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    // Nothing of either was kept.
    assert!(central_tickets(&s, other.id).await.is_empty());
    assert!(central_tickets(&s, f.hall.id).await.is_empty());
    assert!(s.edge_hall(other.id).await.unwrap().is_none());
}

/// Every ticket a hall event of `hall` names in its payload is a central ticket of that hall
/// (a display or report following the event finds it); at least `min` events name one.
pub(crate) async fn events_name_the_halls_tickets(s: &SqlStore, hall: i64, min: usize) {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM hall_events WHERE hall_id = $1 ORDER BY id")
            .bind(hall)
            .fetch_all(s.pool())
            .await
            .unwrap();
    let tickets: std::collections::BTreeSet<i64> =
        sqlx::query_scalar("SELECT id FROM tickets WHERE hall_id = $1")
            .bind(hall)
            .fetch_all(s.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let mut named = 0;
    for p in &payloads {
        let v: serde_json::Value = serde_json::from_str(p).unwrap();
        if let Some(id) = v.get("ticket_id").and_then(|v| v.as_i64()) {
            assert!(tickets.contains(&id), "hall event names ticket {id}: {p}");
            named += 1;
        }
    }
    assert!(
        named >= min,
        "{named} of {} events name a ticket",
        payloads.len()
    );
}

/// A backlog as after a long cut: hundreds of tickets (more than one statement's worth),
/// many changed several times in the same batch, arrive in two big batches and central
/// holds exactly the edge's rows, each in its last version.
pub async fn a_long_backlog_is_applied_whole_in_its_last_versions(s: SqlStore) {
    let f = fixture(&s).await;
    let edge = edge_of(&s, &f).await;
    for i in 0..12 {
        a_visit(&edge, &f, &format!("v{i}"), T0 + i * 120_000).await;
    }
    for i in 0..700 {
        edge.issue_ticket(&issue_req(&f, 1, &format!("w{i}")), T0 + 2_000_000 + i)
            .await
            .unwrap();
    }
    // A few of the waiting are called and served while the backlog stands.
    for i in 0..5 {
        let t = edge
            .call_next(
                f.counters[1].id,
                Some(f.clerks[1].id),
                T0 + 3_000_000 + i * 1_000,
            )
            .await
            .unwrap()
            .expect("one waits");
        edge.act_on_ticket(
            t.id,
            &TicketCommand::NoShow,
            op(&f, 1),
            T0 + 3_000_500 + i * 1_000,
        )
        .await
        .unwrap();
    }
    let batch = edge.edge_pending(100_000).await.unwrap();
    assert!(batch.len() > 1_500, "{}", batch.len());
    let mid = batch.len() / 2;
    for part in [&batch[..mid], &batch[mid..]] {
        let r = s
            .edge_receive(f.hall.id, "edge-xh", part, T0 + 4_000_000)
            .await
            .unwrap();
        assert_eq!((r.applied, r.skipped), (part.len() as i64, 0));
    }
    let want: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, number, state FROM tickets ORDER BY id")
            .fetch_all(edge.pool())
            .await
            .unwrap();
    let want: Vec<(i64, String, String)> = want
        .into_iter()
        .map(|(id, n, st)| (central_id(f.hall.id, id), n, st))
        .collect();
    assert_eq!(want.len(), 712);
    assert_eq!(central_tickets(&s, f.hall.id).await, want);
    let count = |sql: &'static str| {
        let s = s.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(f.hall.id)
                .fetch_one(s.pool())
                .await
                .unwrap()
        }
    };
    let edge_log: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ticket_events")
        .fetch_one(edge.pool())
        .await
        .unwrap();
    assert_eq!(
        count("SELECT COUNT(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.hall_id = $1").await,
        edge_log
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM ratings WHERE hall_id = $1").await,
        12
    );
    // The queue's depth kept by triggers centrally matches what waits.
    assert_eq!(
        count(
            "SELECT CAST(COALESCE(SUM(waiting), 0) AS BIGINT) FROM queue_depth WHERE hall_id = $1"
        )
        .await,
        695
    );
    events_name_the_halls_tickets(&s, f.hall.id, 700).await;
}
