//! The kept handling sums (handling_sums.rs): kept up by every finish and transfer, they
//! equal the full read of the day's ticket times, per business type, day by day.

use crate::fixture::*;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::queue::estimate::HandlingSample;
use servicehall_store::*;
use std::collections::HashMap;

/// The full read, summed per business type as the estimates count it.
async fn full_read(s: &SqlStore, hall: i64, day: &str) -> HashMap<i64, HandlingSample> {
    let read = s.day_handling(hall, day, None).await.unwrap();
    let mut m: HashMap<i64, HandlingSample> = HashMap::new();
    for t in &read.closed {
        m.entry(t.business_type_id).or_default().add(t.handling_ms);
    }
    m
}

async fn kept(s: &SqlStore, hall: i64, day: &str) -> HashMap<i64, HandlingSample> {
    let read = s.kept_handling(hall, day).await.unwrap();
    read.sums
        .iter()
        .map(|r| {
            (
                r.business_type_id,
                HandlingSample {
                    total_ms: r.total_ms,
                    visits: r.visits,
                },
            )
        })
        .collect()
}

/// A plain visit per type, one held and resumed, one transferred while served, a no-show,
/// one on hold now, one being served now, and yesterday's visit: the kept rows equal the
/// full read of each day; the held visit is read beside them; a rebuild gives the same rows.
pub async fn kept_handling_sums_equal_the_full_read(s: SqlStore) {
    let f = fixture(&s).await;
    let (c2, c3) = (f.counters[1].id, f.counters[2].id);
    let by = op(&f, 1);
    let finish = TicketCommand::Finish {
        read_back: None,
        outcome: VisitOutcome::Completed,
    };
    let yesterday = T0 - 24 * 60 * MIN;
    let y = s
        .issue_ticket(&issue_req(&f, 1, "ky"), yesterday)
        .await
        .unwrap();
    s.call_next(c2, None, yesterday + MIN).await.unwrap();
    s.act_on_ticket(y.id, &TicketCommand::Start, by, yesterday + 2 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(y.id, &finish, by, yesterday + 9 * MIN)
        .await
        .unwrap();

    let hold = |r: &str| TicketCommand::Hold { reason: r.into() };
    let transfer = TicketCommand::Transfer {
        business_type_id: f.bt[2].id,
        counter_id: None,
        reason: "转咨询".into(),
    };
    let steps: [&[TicketCommand]; 6] = [
        &[TicketCommand::Start, finish.clone()],
        &[
            TicketCommand::Start,
            hold("取资料"),
            TicketCommand::Resume,
            finish.clone(),
        ],
        &[TicketCommand::NoShow],
        &[TicketCommand::Start, transfer],
        &[TicketCommand::Start, finish.clone()],
        &[TicketCommand::Start, hold("等候复印")],
    ];
    let mut at = T0;
    let mut last = None;
    for (i, cmds) in steps.iter().enumerate() {
        let t = s
            .issue_ticket(&issue_req(&f, 1, &format!("k{i}")), at)
            .await
            .unwrap();
        at += MIN;
        let called = s.call_next(c2, None, at).await.unwrap().unwrap();
        assert_eq!(called.id, t.id);
        for (k, cmd) in cmds.iter().enumerate() {
            at += (k as i64 + 2) * MIN + 7_000 * i as i64;
            s.act_on_ticket(t.id, cmd, by, at).await.unwrap();
        }
        last = Some(t);
    }
    let held = last.unwrap();
    // The transferred visit waits again as a consultation; counter 1 (兼办) finishes it.
    let c1 = f.counters[0].id;
    let moved = s.call_next(c1, None, at).await.unwrap().unwrap();
    assert_eq!(moved.business_type_id, f.bt[2].id);
    s.act_on_ticket(moved.id, &TicketCommand::Start, op(&f, 0), at + MIN)
        .await
        .unwrap();
    s.act_on_ticket(moved.id, &finish, op(&f, 0), at + 5 * MIN)
        .await
        .unwrap();
    // And one served now: not closed, not counted.
    let now = s
        .issue_ticket(&issue_req(&f, 1, "k-now"), at)
        .await
        .unwrap();
    s.call_next(c3, None, at + 6 * MIN).await.unwrap().unwrap();
    s.act_on_ticket(now.id, &TicketCommand::Start, op(&f, 2), at + 7 * MIN)
        .await
        .unwrap();

    let day = held.service_day.clone();
    let want = full_read(&s, f.hall.id, &day).await;
    let got = kept(&s, f.hall.id, &day).await;
    assert_eq!(got, want, "kept rows = the full read of today");
    assert_eq!(got[&f.bt[1].id].visits, 4, "finished ×3 and transferred");
    assert_eq!(
        got[&f.bt[2].id].visits, 1,
        "the transferred visit, finished"
    );
    let read = s.kept_handling(f.hall.id, &day).await.unwrap();
    assert_eq!(read.held.len(), 1);
    assert_eq!(read.held[0].ticket_id, held.id);
    assert_eq!(
        read.held,
        s.day_handling(f.hall.id, &day, None).await.unwrap().held
    );
    // The mark is the newest closing event counted: the last finish's.
    let newest: i64 = sqlx::query_scalar(
        "SELECT CAST(MAX(id) AS BIGINT) FROM ticket_events WHERE ticket_id = $1",
    )
    .bind(moved.id)
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(read.sums.iter().map(|r| r.event_mark).max(), Some(newest));
    let yday = y.service_day.clone();
    assert_ne!(yday, day);
    assert_eq!(
        kept(&s, f.hall.id, &yday).await,
        full_read(&s, f.hall.id, &yday).await
    );
    assert_eq!(kept(&s, f.hall.id, &yday).await[&f.bt[1].id].visits, 1);

    // The held visit finishes later: added to its row.
    s.act_on_ticket(held.id, &TicketCommand::Resume, by, at + 8 * MIN)
        .await
        .unwrap();
    s.act_on_ticket(held.id, &finish, by, at + 10 * MIN)
        .await
        .unwrap();
    let want = full_read(&s, f.hall.id, &day).await;
    assert_eq!(kept(&s, f.hall.id, &day).await, want);
    assert!(
        s.kept_handling(f.hall.id, &day)
            .await
            .unwrap()
            .held
            .is_empty()
    );

    // Rows written wrong around the store are summed again from the tickets.
    sqlx::query("UPDATE handling_sums SET total_ms = 1, visits = 99")
        .execute(s.pool())
        .await
        .unwrap();
    assert_ne!(kept(&s, f.hall.id, &day).await, want);
    s.rebuild_handling_sums(f.hall.id, &day).await.unwrap();
    assert_eq!(kept(&s, f.hall.id, &day).await, want);
}
