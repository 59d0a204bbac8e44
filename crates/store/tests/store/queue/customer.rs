//! The customer's own steps from the phone page (issue 14): leaving the queue, "I'm on my
//! way", and the hall's notice threshold with its audit row.

use crate::fixture::*;
use servicehall_domain::TicketState;
use servicehall_store::*;

pub async fn customers_leave_and_say_they_are_on_their_way(s: SqlStore) {
    let f = fixture(&s).await;
    let green_first = f.hall.policy.green_first;
    let mut t = Vec::new();
    for i in 0..3 {
        t.push(
            s.issue_ticket(&issue_req(&f, 0, &format!("cs{i}")), T0 + i)
                .await
                .unwrap(),
        );
    }
    assert_eq!(s.waiting_ahead(&t[2], green_first).await.unwrap(), 2);

    let left = s.leave_queue(t[1].id, T0 + MIN).await.unwrap();
    assert_eq!((left.state, left.updated_at), (TicketState::Left, T0 + MIN));
    // The queue's depth follows: the one behind moved up, the waiting list lost it.
    assert_eq!(s.waiting_ahead(&t[2], green_first).await.unwrap(), 1);
    let waiting: Vec<i64> = s
        .waiting(f.hall.id)
        .await
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(waiting, [t[0].id, t[2].id]);
    let err = s.leave_queue(t[1].id, T0 + MIN).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let marked = s.mark_on_way(t[0].id, T0 + 2 * MIN).await.unwrap();
    assert_eq!(marked.on_way_at, Some(T0 + 2 * MIN));
    assert_eq!(marked.state, TicketState::Waiting);
    let again = s.mark_on_way(t[0].id, T0 + 3 * MIN).await.unwrap();
    assert_eq!(again.on_way_at, Some(T0 + 2 * MIN), "the first time stands");
    assert_eq!(
        s.waiting_ahead(&t[2], green_first).await.unwrap(),
        1,
        "no depth change"
    );
    let err = s.mark_on_way(t[1].id, T0 + 3 * MIN).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "a left ticket: {err:?}"
    );
    let events: Vec<String> = s
        .ticket_log(t[0].id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(events, ["issue", "on_way"]);
}

pub async fn the_notice_threshold_changes_with_an_audit_row(s: SqlStore) {
    let f = fixture(&s).await;
    assert_eq!(f.hall.notify_ahead, DEFAULT_NOTIFY_AHEAD);
    let err = s
        .change_notify_ahead(f.hall.id, 21, None, T0)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let change = s
        .change_notify_ahead(f.hall.id, 5, None, T0)
        .await
        .unwrap()
        .expect("a change");
    assert_eq!(
        (change.old_value.as_str(), change.new_value.as_str()),
        ("3", "5")
    );
    assert_eq!(
        s.hall(f.hall.id).await.unwrap().notify_ahead,
        5,
        "the cache forgot 3"
    );
    assert!(
        s.change_notify_ahead(f.hall.id, 5, None, T0)
            .await
            .unwrap()
            .is_none()
    );
    let audit = s.settings_audit(Some(f.hall.id), 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].setting, "notify_ahead");
}
