//! Counters at work: open and idle before calling, the read-back (唱收唱付).

use crate::fixture::*;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::{ReadBack, TicketState};
use servicehall_store::*;

on_both!(
    calling_needs_an_open_idle_counter,
    payment_needs_a_valid_read_back,
    a_move_is_one_step_or_none,
);

pub async fn calling_needs_an_open_idle_counter(s: SqlStore) {
    let f = fixture(&s).await;
    s.issue_ticket(&issue_req(&f, 0, "a"), T0).await.unwrap();
    s.issue_ticket(&issue_req(&f, 0, "b"), T0).await.unwrap();
    let c1 = f.counters[0].id;
    s.pause_counter(c1, "午休", T0).await.unwrap();
    let e = s.call_next(c1, None, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("暂停服务") && m.contains("午休")),
        "{e}"
    );
    assert!(matches!(
        s.pause_counter(c1, "  ", T0).await,
        Err(StoreError::Invalid(_))
    ));
    let on_duty = |staff: i64| {
        let s = &s;
        async move {
            s.counter_on_duty(f.hall.id, staff)
                .await
                .unwrap()
                .map(|c| c.id)
        }
    };
    // Each clerk is on duty at the counter the fixture opened for them; paused still counts.
    assert_eq!(on_duty(f.clerks[0].id).await, Some(c1));
    assert_eq!(on_duty(f.clerks[1].id).await, Some(f.counters[1].id));
    s.open_counter(c1, f.clerks[0].id, T0).await.unwrap();
    assert_eq!(on_duty(f.clerks[0].id).await, Some(c1));
    assert_eq!(
        s.counter_on_duty(f.hall.id + 1000, f.clerks[0].id)
            .await
            .unwrap(),
        None,
        "another hall"
    );
    let t = s.call_next(c1, None, T0).await.unwrap().unwrap();
    let e = s.call_next(c1, None, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains(&t.number)),
        "{e}"
    );
    let e = s.close_counter(c1, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)));
    // a clerk on duty at one counter cannot open a second
    let e = s
        .open_counter(f.counters[1].id, f.clerks[0].id, T0)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("counter 1")),
        "{e}"
    );
    assert!(matches!(
        s.call_next(9999, None, T0).await,
        Err(StoreError::NotFound(_))
    ));
    // nothing was called twice and the waiting ticket is still waiting
    assert_eq!(s.waiting(f.hall.id).await.unwrap().len(), 1);
    // Once the counter closes, its clerk is on duty nowhere.
    s.act_on_ticket(t.id, &TicketCommand::NoShow, op(&f, 0), T0)
        .await
        .unwrap();
    s.close_counter(c1, T0).await.unwrap();
    assert_eq!(on_duty(f.clerks[0].id).await, None, "closed");
    assert_eq!(on_duty(f.clerks[1].id).await, Some(f.counters[1].id));
}

pub async fn payment_needs_a_valid_read_back(s: SqlStore) {
    let f = fixture(&s).await;
    let t = s.issue_ticket(&issue_req(&f, 0, "pay"), T0).await.unwrap();
    s.call_next(f.counters[0].id, None, T0)
        .await
        .unwrap()
        .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 0), T0)
        .await
        .unwrap();
    let e = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: VisitOutcome::Completed,
            },
            op(&f, 0),
            T0,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(m) if m.contains("唱收唱付")),
        "{e}"
    );
    assert_eq!(
        s.ticket(t.id).await.unwrap().state,
        TicketState::Serving,
        "unchanged"
    );
    let rb = ReadBack::new(12_345, 20_000).unwrap();
    s.act_on_ticket(
        t.id,
        &TicketCommand::Finish {
            read_back: Some(rb),
            outcome: VisitOutcome::Completed,
        },
        op(&f, 0),
        T0 + MIN,
    )
    .await
    .unwrap();
    let stored = s.read_back(t.id).await.unwrap().unwrap();
    assert_eq!(stored.read_back.change.0, 7_655);
    // A payment visit that ends without paying (缺少资料) has nothing to read back.
    let t = s
        .issue_ticket(&issue_req(&f, 0, "nopay"), T0)
        .await
        .unwrap();
    s.call_next(f.counters[0].id, None, T0)
        .await
        .unwrap()
        .unwrap();
    s.act_on_ticket(t.id, &TicketCommand::Start, op(&f, 0), T0)
        .await
        .unwrap();
    let done = s
        .act_on_ticket(
            t.id,
            &TicketCommand::Finish {
                read_back: None,
                outcome: VisitOutcome::MissingDocument,
            },
            op(&f, 0),
            T0 + 2 * MIN,
        )
        .await
        .unwrap();
    assert_eq!(done.state, TicketState::Finished);
    assert!(
        s.read_back(t.id).await.unwrap().is_none(),
        "no 0/0 read-back"
    );
}

pub async fn a_move_is_one_step_or_none(s: SqlStore) {
    let f = fixture(&s).await;
    let [c1, c2, c3] = [f.counters[0].id, f.counters[1].id, f.counters[2].id];
    let clerk = f.clerks[0].id;
    // Every counter is staffed: moving onto an open one is refused and changes nothing.
    let e = s.move_clerk(c1, c2, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("closed counter")),
        "{e}"
    );
    assert_eq!(
        s.counter_on_duty(f.hall.id, clerk)
            .await
            .unwrap()
            .map(|c| c.id),
        Some(c1)
    );
    s.close_counter(c3, T0).await.unwrap();
    // A counter still working on a ticket cannot be left.
    s.issue_ticket(&issue_req(&f, 0, "a"), T0).await.unwrap();
    let t = s.call_next(c1, None, T0).await.unwrap().unwrap();
    let e = s.move_clerk(c1, c3, T0).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains(&t.number)),
        "{e}"
    );
    assert_eq!(s.counter(c3).await.unwrap().status, CounterStatus::Closed);
    s.act_on_ticket(t.id, &TicketCommand::NoShow, op(&f, 0), T0 + 1)
        .await
        .unwrap();
    let moved = s.move_clerk(c1, c3, T0 + 2).await.unwrap();
    assert_eq!(moved.id, c3);
    assert_eq!(moved.status, CounterStatus::Open);
    assert_eq!(moved.clerk.as_ref().map(|k| k.staff_id), Some(clerk));
    let left = s.counter(c1).await.unwrap();
    assert_eq!(
        (left.status, left.clerk.is_none()),
        (CounterStatus::Closed, true)
    );
    // From a closed counter there is nobody to move; to the same counter is a mistake.
    assert!(matches!(
        s.move_clerk(c1, c3, T0).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.move_clerk(c3, c3, T0).await,
        Err(StoreError::Invalid(_))
    ));
}
