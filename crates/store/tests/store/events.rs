//! The hall's live feed: order, resumption and the last event id.

use crate::fixture::*;
use servicehall_store::*;

on_both!(
    feed_is_ordered_resumable_and_live,
    last_event_id_marks_where_the_feed_stands,
);

pub async fn feed_is_ordered_resumable_and_live(s: SqlStore) {
    let f = fixture(&s).await;
    let mut rx = s.subscribe();
    let start = s.events_since(f.hall.id, 0, 1000).await.unwrap();
    let last = start.last().map(|e| e.id).unwrap_or(0);
    s.issue_ticket(&issue_req(&f, 0, "e1"), T0).await.unwrap();
    s.call_next(f.counters[0].id, None, T0).await.unwrap();
    let live = rx.recv().await.unwrap();
    assert_eq!(live.kind, "issued");
    let called = rx.recv().await.unwrap();
    assert_eq!(
        (
            called.kind.as_str(),
            called.payload["counter_number"].as_i64()
        ),
        ("called", Some(1))
    );
    assert_eq!(called.payload["number"], "A001");
    let missed = s.events_since(f.hall.id, last, 1000).await.unwrap();
    assert_eq!(
        missed.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["issued", "called"]
    );
    assert!(missed[0].id < missed[1].id);
    let recent = s
        .recent_events(f.hall.id, &["called", "recalled"], 6)
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
}

pub async fn last_event_id_marks_where_the_feed_stands(s: SqlStore) {
    let f = fixture(&s).await;
    let before = s.last_event_id(f.hall.id).await.unwrap();
    assert!(before > 0, "opening counters wrote events");
    s.issue_ticket(&issue_req(&f, 0, "h1"), T0).await.unwrap();
    let after = s.last_event_id(f.hall.id).await.unwrap();
    assert!(after > before);
    let other = s.create_hall(&hall_input("DL-EMPTY")).await.unwrap();
    assert_eq!(s.last_event_id(other.id).await.unwrap(), 0);
}
