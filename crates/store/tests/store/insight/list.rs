//! The observations list: kind and clerk filters and paging in SQL, with the count.

use super::{HOUR, observation, scope};
use crate::fixture::{T0, fixture};
use servicehall_domain::Role;
use servicehall_domain::insight::observation::ObserverKind;
use servicehall_store::*;

pub async fn observation_list_filters_and_pages(s: SqlStore) {
    let f = fixture(&s).await;
    let sup = s
        .create_staff(
            &StaffInput {
                hall_id: None,
                username: "sup".into(),
                name: "督查甲".into(),
                badge_no: "S001".into(),
                role: Role::Supervisor,
                photo: String::new(),
                active: true,
            },
            "x",
        )
        .await
        .unwrap();
    // Five observations an hour apart: clerk 1 three times, clerk 2 twice (one of them by
    // a mystery shopper).
    for i in 0..5i64 {
        let mut o = observation(&f, sup.id);
        o.observed_at = T0 + i * HOUR;
        if i >= 3 {
            o.staff_id = Some(f.clerks[1].id);
            o.counter_id = Some(f.counters[1].id);
        }
        if i == 4 {
            o.observer_kind = ObserverKind::MysteryShopper;
        }
        s.record_observation(&o, T0 + i * HOUR).await.unwrap();
    }
    let all = ObservationFilter::default();
    let page = |g: ObservationFilter, w: Window| {
        let s = s.clone();
        let sc = scope(&f);
        async move { s.observation_page(&sc, &g, w).await.unwrap() }
    };
    let got = page(all.clone(), Window::first(50)).await;
    assert_eq!(got.total, 5);
    let times: Vec<_> = got.items.iter().map(|o| o.observed_at).collect();
    assert_eq!(
        times,
        (0..5).rev().map(|i| T0 + i * HOUR).collect::<Vec<_>>()
    );
    let clerk2 = ObservationFilter {
        staff_id: Some(f.clerks[1].id),
        ..all.clone()
    };
    assert_eq!(page(clerk2.clone(), Window::first(50)).await.total, 2);
    let shopper = ObservationFilter {
        kind: Some("mystery_shopper".into()),
        ..clerk2
    };
    let got = page(shopper, Window::first(50)).await;
    assert_eq!((got.total, got.items[0].observed_at), (1, T0 + 4 * HOUR));
    // The second page of two: the third and fourth newest; the total stays 5.
    let got = page(
        all,
        Window {
            limit: 2,
            offset: 2,
        },
    )
    .await;
    assert_eq!(got.total, 5);
    assert_eq!(
        got.items.iter().map(|o| o.observed_at).collect::<Vec<_>>(),
        vec![T0 + 2 * HOUR, T0 + HOUR]
    );
    // A scope without halls lists nothing.
    let none = InsightScope {
        hall_ids: vec![],
        ..scope(&f)
    };
    let empty = s
        .observation_page(&none, &ObservationFilter::default(), Window::first(50))
        .await
        .unwrap();
    assert_eq!((empty.items.len(), empty.total), (0, 0));
}
