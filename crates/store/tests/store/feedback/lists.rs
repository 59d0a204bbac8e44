//! The ratings and recovery lists: filters and paging in SQL, with the count of all rows.

use super::{HOUR, MIN, finished, manager};
use crate::fixture::{T0, fixture};
use servicehall_domain::feedback::Channel;
use servicehall_store::*;

const DAY: i64 = 24 * HOUR;

pub async fn rating_and_recovery_lists_filter_and_page(s: SqlStore) {
    let f = fixture(&s).await;
    manager(&s, &f).await;
    // A real-name bad phone rating, two bad pad ratings and a good one, an hour apart.
    finished(&s, &f, "r1", T0 + HOUR).await;
    let bad = PhoneRatingInput {
        level: 1,
        reasons: vec!["long_wait".into()],
        contact_phone: "13800001234".into(),
        contact_name: "李女士".into(),
        ..Default::default()
    };
    s.rate_by_phone("r1", &bad, T0 + HOUR + MIN).await.unwrap();
    for (i, (code, level)) in [("r2", 2), ("r3", 2), ("r4", 5)].into_iter().enumerate() {
        let at = T0 + (i as i64 + 2) * HOUR;
        let t = finished(&s, &f, code, at).await;
        let reasons: Vec<String> = if level < 3 {
            vec!["slow".into()]
        } else {
            vec![]
        };
        s.rate(
            t.id,
            f.counters[1].id,
            None,
            level,
            &reasons,
            10 * MIN,
            at + 5_000,
        )
        .await
        .unwrap();
    }
    let all = RatingFilter {
        from: T0,
        to: T0 + DAY,
        ..Default::default()
    };
    let hall = f.hall.id;
    let got = s.rating_page(hall, &all, Window::first(50)).await.unwrap();
    assert_eq!(got.total, 4);
    // Newest first: r4, r3, r2 on the pad, then r1 on the phone with its contact.
    let levels: Vec<_> = got.items.iter().map(|r| (r.channel, r.level)).collect();
    assert_eq!(
        levels,
        vec![
            (Channel::Pad, 5),
            (Channel::Pad, 2),
            (Channel::Pad, 2),
            (Channel::Phone, 1)
        ]
    );
    let phone = &got.items[3];
    assert_eq!(phone.contact_phone, "13800001234");
    assert_eq!(phone.reasons, vec!["long_wait".to_string()]);
    assert_eq!(phone.counter_number, Some(f.counters[1].number));
    assert_eq!(phone.staff_id, Some(f.clerks[1].id));
    assert!(
        phone
            .staff
            .as_deref()
            .unwrap()
            .contains(&f.clerks[1].badge_no)
    );
    assert_eq!(phone.business_type_id, f.bt[1].id);
    // Each filter narrows in SQL; the total counts what matches, not the page.
    let count = |g: RatingFilter| {
        let s = s.clone();
        async move {
            s.rating_page(hall, &g, Window::first(50))
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(
        count(RatingFilter {
            level: Some(2),
            ..all.clone()
        })
        .await,
        2
    );
    assert_eq!(
        count(RatingFilter {
            channel: Some(Channel::Phone),
            ..all.clone()
        })
        .await,
        1
    );
    assert_eq!(
        count(RatingFilter {
            staff_id: Some(f.clerks[1].id),
            ..all.clone()
        })
        .await,
        4
    );
    assert_eq!(
        count(RatingFilter {
            staff_id: Some(f.clerks[0].id),
            ..all.clone()
        })
        .await,
        0
    );
    // A counter's scorecard line narrows to the ratings given at that counter.
    assert_eq!(
        count(RatingFilter {
            counter_id: Some(f.counters[1].id),
            channel: Some(Channel::Pad),
            ..all.clone()
        })
        .await,
        3
    );
    assert_eq!(
        count(RatingFilter {
            counter_id: Some(f.counters[0].id),
            ..all.clone()
        })
        .await,
        0
    );
    assert_eq!(
        count(RatingFilter {
            business_type_id: Some(f.bt[0].id),
            ..all.clone()
        })
        .await,
        0
    );
    assert_eq!(
        count(RatingFilter {
            from: T0 + 2 * HOUR,
            to: T0 + 4 * HOUR,
            ..all.clone()
        })
        .await,
        2,
        "the period is [from, to)"
    );
    // Pages do not overlap and together make the whole list.
    let first = s
        .rating_page(
            hall,
            &all,
            Window {
                limit: 3,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let second = s
        .rating_page(
            hall,
            &all,
            Window {
                limit: 3,
                offset: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!((first.items.len(), second.items.len()), (3, 1));
    assert_eq!((first.total, second.total), (4, 4));
    assert_eq!(second.items[0].channel, Channel::Phone);

    // Recovery: the three bad ratings have open cases.
    let rec = RecoveryFilter {
        from: T0,
        to: T0 + DAY,
        ..Default::default()
    };
    let now = T0 + 5 * HOUR;
    let recovery = |g: RecoveryFilter, now| {
        let s = s.clone();
        async move {
            s.recovery_page(hall, &g, Window::first(50), now)
                .await
                .unwrap()
        }
    };
    let got = recovery(rec.clone(), now).await;
    assert_eq!(got.total, 3);
    assert_eq!(got.items[2].customer_phone, "13800001234");
    assert!(got.items[2].real_name && !got.items[0].real_name);
    assert_eq!(
        recovery(
            RecoveryFilter {
                level: Some(1),
                ..rec.clone()
            },
            now
        )
        .await
        .total,
        1
    );
    assert_eq!(
        recovery(
            RecoveryFilter {
                channel: Some(Channel::Pad),
                ..rec.clone()
            },
            now
        )
        .await
        .total,
        2
    );
    let state = |st| RecoveryFilter {
        state: Some(st),
        ..rec.clone()
    };
    assert_eq!(recovery(state(CaseState::Open), now).await.total, 3);
    assert_eq!(recovery(state(CaseState::Closed), now).await.total, 0);
    assert_eq!(recovery(state(CaseState::Overdue), now).await.total, 0);
    // A month later every call-back clock has run out.
    let late = recovery(state(CaseState::Overdue), T0 + 30 * DAY).await;
    assert_eq!(late.total, 3);
    assert!(late.items.iter().all(|i| i.overdue));
    let one = s
        .recovery_page(
            hall,
            &rec,
            Window {
                limit: 1,
                offset: 1,
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!((one.items.len(), one.total), (1, 3));
    assert_eq!(one.items[0].case_id, got.items[1].case_id);
}
