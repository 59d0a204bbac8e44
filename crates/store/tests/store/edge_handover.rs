//! A hall switched to its edge in the middle of a day (docs/edge.md): central hands down the
//! day's open tickets and last numbers, the edge serves them and numbers on from there, and
//! what it ships lands on the central tickets — none doubled, no number repeated.

use crate::edge::{a_visit, central_tickets, edge_of, events_name_the_halls_tickets};
use crate::fixture::*;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::edge::central_id;
use servicehall_store::*;

on_both!(a_mid_day_switch_takes_the_open_tickets_over_once,);

pub async fn a_mid_day_switch_takes_the_open_tickets_over_once(s: SqlStore) {
    let f = fixture(&s).await;
    // The morning on the central node: a finished visit, a called ticket, two waiting, and
    // a transfer (its source closed, its record waiting).
    let done = a_visit(&s, &f, "c1", T0).await;
    let called = s
        .issue_ticket(&issue_req(&f, 0, "c2"), T0 + MIN)
        .await
        .unwrap();
    let waiting = s
        .issue_ticket(&issue_req(&f, 0, "c3"), T0 + 2 * MIN)
        .await
        .unwrap();
    let other = s
        .issue_ticket(&issue_req(&f, 1, "c4"), T0 + 3 * MIN)
        .await
        .unwrap();
    let c = s
        .call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + 4 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.id, called.id);
    let moved = s
        .issue_ticket(&issue_req(&f, 1, "c5"), T0 + 5 * MIN)
        .await
        .unwrap();
    let m = s
        .call_next(f.counters[1].id, Some(f.clerks[1].id), T0 + 6 * MIN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.id, other.id);
    let transfer = TicketCommand::Transfer {
        business_type_id: f.bt[2].id,
        counter_id: None,
        reason: "转咨询".into(),
    };
    s.act_on_ticket(other.id, &transfer, op(&f, 1), T0 + 7 * MIN)
        .await
        .unwrap();
    assert!(s.edge_hall(f.hall.id).await.unwrap().is_none());

    // The edge starts: central marks the hall edge-run and hands the open tickets down.
    let edge = edge_of(&s, &f).await;
    let h = s
        .edge_hand_over(&f.hall.code, "edge-xh", T0 + 8 * MIN)
        .await
        .unwrap();
    assert!(
        s.edge_hall(f.hall.id).await.unwrap().is_some(),
        "edge-run now"
    );
    let handed: Vec<i64> = h
        .tickets
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(
        !handed.contains(&done.id),
        "a finished visit stays central's"
    );
    for id in [called.id, waiting.id, moved.id, other.id] {
        assert!(handed.contains(&id), "{id} in {handed:?}");
    }
    assert_eq!(handed.len(), 5, "and the transfer's record: {handed:?}");
    assert_eq!(edge.edge_take_over(&h).await.unwrap(), 5);
    assert_eq!(edge.edge_take_over(&h).await.unwrap(), 0, "taken once");

    // The edge serves them: finishes the called one, calls the next waiting payment, and
    // numbers on from central's last numbers.
    let local_of = |central: i64| {
        let edge = edge.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT local_id FROM edge_handovers WHERE central_id = $1",
            )
            .bind(central)
            .fetch_one(edge.pool())
            .await
            .unwrap()
        }
    };
    let by = op(&f, 0);
    let l_called = local_of(called.id).await;
    edge.act_on_ticket(l_called, &TicketCommand::Start, by, T0 + 9 * MIN)
        .await
        .unwrap();
    let finish = TicketCommand::Finish {
        read_back: Some(servicehall_domain::ReadBack::new(12_345, 20_000).unwrap()),
        outcome: VisitOutcome::Completed,
    };
    edge.act_on_ticket(l_called, &finish, by, T0 + 10 * MIN)
        .await
        .unwrap();
    let next = edge
        .call_next(f.counters[0].id, Some(f.clerks[0].id), T0 + 11 * MIN)
        .await
        .unwrap()
        .expect("the handed-over payment waits");
    assert_eq!(next.number, waiting.number);
    let fresh = edge
        .issue_ticket(&issue_req(&f, 0, "e1"), T0 + 12 * MIN)
        .await
        .unwrap();
    assert_eq!(fresh.number, "A003", "numbers go on from central's A002");
    let fresh_b = edge
        .issue_ticket(&issue_req(&f, 1, "e2"), T0 + 12 * MIN)
        .await
        .unwrap();
    assert_eq!(fresh_b.number, "B003", "after central's B001, B002");

    // Shipped: the handed-over tickets change in place; only the edge's new ones are added.
    let batch = edge.edge_pending(10_000).await.unwrap();
    s.edge_receive(f.hall.id, "edge-xh", &batch, T0 + 13 * MIN)
        .await
        .unwrap();
    let got = central_tickets(&s, f.hall.id).await;
    let state = |id: i64| got.iter().find(|t| t.0 == id).map(|t| t.2.clone());
    assert_eq!(got.len(), 8, "six of the morning and two new: {got:?}");
    assert_eq!(state(called.id).as_deref(), Some("finished"));
    assert_eq!(state(waiting.id).as_deref(), Some("called"));
    assert_eq!(state(done.id).as_deref(), Some("finished"));
    assert_eq!(
        state(central_id(f.hall.id, fresh.id)).as_deref(),
        Some("waiting")
    );
    let numbers: std::collections::BTreeSet<&str> = got
        .iter()
        .filter(|t| t.2 != "transferred")
        .map(|t| t.1.as_str())
        .collect();
    assert_eq!(numbers.len(), got.len() - 1, "no number twice: {got:?}");
    let log: Vec<String> =
        sqlx::query_scalar("SELECT action FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
            .bind(called.id)
            .fetch_all(s.pool())
            .await
            .unwrap();
    assert_eq!(log.first().map(String::as_str), Some("issue"), "{log:?}");
    assert_eq!(log.last().map(String::as_str), Some("finish"), "{log:?}");
    events_name_the_halls_tickets(&s, f.hall.id, 8).await;
    // A later hand-over (the edge's periodic pull) has nothing new for it.
    let again = s
        .edge_hand_over(&f.hall.code, "edge-xh", T0 + 14 * MIN)
        .await
        .unwrap();
    assert_eq!(edge.edge_take_over(&again).await.unwrap(), 0);
}
