//! The hall's live feed: order, resumption and the last event id.

use crate::fixture::*;
use servicehall_store::*;

on_both!(
    feed_is_ordered_resumable_and_live,
    last_event_id_marks_where_the_feed_stands,
    hourly_arrivals_come_from_the_ticket_log,
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

pub async fn hourly_arrivals_come_from_the_ticket_log(s: SqlStore) {
    let f = fixture(&s).await;
    // T0 is 10:00 in the hall (Asia/Shanghai): two arrive in hour 10, one in hour 11.
    let day_start = T0 - 10 * 60 * MIN;
    s.issue_ticket(&issue_req(&f, 0, "h1"), T0).await.unwrap();
    s.issue_ticket(&issue_req(&f, 0, "h2"), T0 + 10 * MIN)
        .await
        .unwrap();
    s.call_next(f.counters[0].id, None, T0 + 5 * MIN)
        .await
        .unwrap()
        .unwrap();
    // The first leaves (no-show) so the counter can call the second, 20 minutes after it came.
    let t1 = s.day_tickets(f.hall.id, "2025-11-28").await.unwrap()[0]
        .ticket
        .id;
    s.act_on_ticket(t1, &TicketCommand::NoShow, op(&f, 0), T0 + 6 * MIN)
        .await
        .unwrap();
    s.call_next(f.counters[0].id, None, T0 + 30 * MIN)
        .await
        .unwrap()
        .unwrap();
    s.issue_ticket(&issue_req(&f, 0, "h3"), T0 + 70 * MIN)
        .await
        .unwrap();
    let day = s.day_tickets(f.hall.id, "2025-11-28").await.unwrap();
    assert_eq!(day.len(), 3, "the fixture's day is T0's");
    let hours = s
        .hourly_arrivals(f.hall.id, "2025-11-28", day_start)
        .await
        .unwrap();
    assert_eq!(
        hours,
        [
            HourFigures {
                hour: 10,
                arrivals: 2,
                called: 2,
                wait_ms_sum: 25 * MIN,
            },
            HourFigures {
                hour: 11,
                arrivals: 1,
                called: 0,
                wait_ms_sum: 0,
            },
        ]
    );
    // Another day, or another hall, has nothing.
    let other = s
        .hourly_arrivals(f.hall.id, "2025-11-21", day_start - 7 * 24 * 60 * MIN)
        .await
        .unwrap();
    assert!(other.is_empty());
}
