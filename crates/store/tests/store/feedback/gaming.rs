//! Anti-gaming flags (防刷评) as stored: once per subject, keeping their finding.

use crate::fixture::{T0, fixture};
use servicehall_domain::feedback::gaming::{EvidenceTicket, Finding, Flag, FlagKind, Subject};
use servicehall_store::*;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

on_both!(flags_are_stored_once_and_keep_their_finding);
on_both!(the_flags_list_filters_and_pages_in_sql);

fn flag(kind: FlagKind, subject: Subject, tickets: &[i64]) -> Flag {
    Flag {
        kind,
        subject,
        summary_zh: format!("{} 张票", tickets.len()),
        figures: vec![],
        tickets: tickets
            .iter()
            .map(|&id| EvidenceTicket {
                ticket_id: id,
                number: format!("A{id:03}"),
                note: "非常满意".into(),
            })
            .collect(),
    }
}

pub async fn flags_are_stored_once_and_keep_their_finding(s: SqlStore) {
    let f = fixture(&s).await;
    let h = f.hall.id;
    let clerk = Subject::Clerk(f.clerks[0].id);
    let counter = Subject::Counter(f.counters[0].id);
    let run = flag(FlagKind::TopRun, clerk, &[1, 2, 3]);
    let skip = flag(FlagKind::SkippedPad, counter, &[4, 5]);
    // Detected twice on the same data: stored once, the second detection only refreshes.
    s.record_flags(h, &[run.clone(), skip.clone()], T0)
        .await
        .unwrap();
    s.record_flags(h, &[run.clone(), skip.clone()], T0 + HOUR)
        .await
        .unwrap();
    let flags = s.stored_flags(h, T0 - DAY).await.unwrap();
    assert_eq!(flags.len(), 2);
    let stored = flags
        .iter()
        .find(|x| x.flag.kind == FlagKind::TopRun)
        .unwrap();
    assert_eq!((stored.first_seen_at, stored.last_seen_at), (T0, T0 + HOUR));
    assert_eq!(stored.flag, run, "evidence kept as detected");
    // A finding needs a note; a flag is judged once.
    let by = f.clerks[2].id;
    let e = s
        .acknowledge_flag(stored.id, Finding::Dismissed, "  ", by, T0 + 2 * HOUR)
        .await;
    assert!(
        matches!(e, Err(StoreError::Invalid(ref m)) if m.contains("note")),
        "{e:?}"
    );
    assert!(
        s.stored_flag(stored.id).await.unwrap().finding.is_none(),
        "nothing written"
    );
    let judged = s
        .acknowledge_flag(
            stored.id,
            Finding::Dismissed,
            "老客户集中评价，已核实",
            by,
            T0 + 2 * HOUR,
        )
        .await
        .unwrap();
    assert_eq!(judged.finding, Some(Finding::Dismissed));
    assert_eq!(
        (judged.finding_by, judged.finding_at),
        (Some(by), Some(T0 + 2 * HOUR))
    );
    let again = s
        .acknowledge_flag(stored.id, Finding::Confirmed, "再次", by, T0 + 3 * HOUR)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert!(matches!(
        s.acknowledge_flag(9_999, Finding::Confirmed, "x", by, T0)
            .await,
        Err(StoreError::NotFound(_))
    ));
    // The same evidence again raises nothing new; newer tickets raise a new open flag.
    s.record_flags(h, std::slice::from_ref(&run), T0 + 4 * HOUR)
        .await
        .unwrap();
    assert_eq!(s.stored_flags(h, T0 - DAY).await.unwrap().len(), 2);
    let longer = flag(FlagKind::TopRun, clerk, &[1, 2, 3, 9]);
    s.record_flags(h, std::slice::from_ref(&longer), T0 + 5 * HOUR)
        .await
        .unwrap();
    let flags = s.stored_flags(h, T0 - DAY).await.unwrap();
    assert_eq!(flags.len(), 3);
    // Open first (newest seen first), then the judged one with its finding.
    assert!(flags[0].finding.is_none() && flags[1].finding.is_none());
    assert_eq!(flags[0].flag, longer);
    assert_eq!(flags[2].id, stored.id);
    assert_eq!(flags[2].finding_note, "老客户集中评价，已核实");
    // Another hall sees none of them.
    let other = s
        .create_hall(&crate::fixture::hall_input("DL-GJ"))
        .await
        .unwrap();
    assert!(s.stored_flags(other.id, 0).await.unwrap().is_empty());
}

pub async fn the_flags_list_filters_and_pages_in_sql(s: SqlStore) {
    let f = fixture(&s).await;
    let h = f.hall.id;
    let clerk = |i: usize| Subject::Clerk(f.clerks[i].id);
    // Day 0: three clerks' top runs and a counter's skipped pad; day 2: a fast-ratings flag.
    s.record_flags(
        h,
        &[
            flag(FlagKind::TopRun, clerk(0), &[1, 2]),
            flag(FlagKind::TopRun, clerk(1), &[3, 4]),
            flag(FlagKind::TopRun, clerk(2), &[5, 6]),
            flag(
                FlagKind::SkippedPad,
                Subject::Counter(f.counters[0].id),
                &[7],
            ),
        ],
        T0,
    )
    .await
    .unwrap();
    s.record_flags(
        h,
        &[flag(FlagKind::FastRatings, clerk(0), &[8])],
        T0 + 2 * DAY,
    )
    .await
    .unwrap();
    let all = FlagFilter {
        from: T0 - DAY,
        to: T0 + 3 * DAY,
        ..Default::default()
    };
    let page = |g: FlagFilter, w: Window| {
        let s = s.clone();
        async move { s.flag_page(h, &g, w).await.unwrap() }
    };
    let got = page(all.clone(), Window::first(50)).await;
    assert_eq!(got.total, 5);
    assert_eq!(
        got.items[0].flag.kind,
        FlagKind::FastRatings,
        "newest seen first"
    );
    // Judge two: one confirmed, one dismissed; the judged go after the open ones.
    let (a, b) = (got.items[1].id, got.items[2].id);
    let by = f.clerks[2].id;
    s.acknowledge_flag(a, Finding::Confirmed, "录像核实", by, T0 + 2 * DAY)
        .await
        .unwrap();
    s.acknowledge_flag(b, Finding::Dismissed, "老客户", by, T0 + 2 * DAY)
        .await
        .unwrap();
    let got = page(all.clone(), Window::first(50)).await;
    assert!(got.items[..3].iter().all(|x| x.finding.is_none()));
    assert!(got.items[3..].iter().all(|x| x.finding.is_some()));
    let count = |g: FlagFilter| {
        let page = &page;
        async move { page(g, Window::first(50)).await.total }
    };
    let state = |st| FlagFilter {
        state: Some(st),
        ..all.clone()
    };
    assert_eq!(count(state(FlagState::Open)).await, 3);
    assert_eq!(count(state(FlagState::Confirmed)).await, 1);
    assert_eq!(count(state(FlagState::Dismissed)).await, 1);
    let kind = |k| FlagFilter {
        kind: Some(k),
        ..all.clone()
    };
    assert_eq!(count(kind(FlagKind::TopRun)).await, 3);
    assert_eq!(count(kind(FlagKind::SkippedPad)).await, 1);
    // The period: day 2 holds the fast-ratings flag and the two findings made that day.
    let day2 = FlagFilter {
        from: T0 + 2 * DAY,
        to: T0 + 3 * DAY,
        ..Default::default()
    };
    assert_eq!(count(day2.clone()).await, 3);
    assert_eq!(
        count(FlagFilter {
            to: T0 + 2 * DAY,
            ..day2
        })
        .await,
        0,
        "the period is [from, to)"
    );
    // Pages do not overlap and together make the whole list.
    let first = page(
        all.clone(),
        Window {
            limit: 2,
            offset: 0,
        },
    )
    .await;
    let rest = page(
        all.clone(),
        Window {
            limit: 10,
            offset: 2,
        },
    )
    .await;
    assert_eq!(
        (first.total, first.items.len(), rest.items.len()),
        (5, 2, 3)
    );
    let whole = page(all.clone(), Window::first(50)).await;
    let joined: Vec<i64> = first
        .items
        .iter()
        .chain(&rest.items)
        .map(|x| x.id)
        .collect();
    let ids: Vec<i64> = whole.items.iter().map(|x| x.id).collect();
    assert_eq!(joined, ids);
    // Another hall's list is empty.
    let other = s
        .create_hall(&crate::fixture::hall_input("DL-GJ"))
        .await
        .unwrap();
    assert_eq!(
        s.flag_page(other.id, &all, Window::first(50))
            .await
            .unwrap()
            .total,
        0
    );
}
