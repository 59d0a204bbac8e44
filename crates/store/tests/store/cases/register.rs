//! The case register: state, kind, business and owner filters and paging in SQL.

use super::{HOUR, open_req};
use crate::fixture::*;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::*;

pub async fn case_register_filters_and_pages(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    // An application that is closed, an open application of another business, and an open
    // complaint registered by clerk 2, an hour apart.
    let closed = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(1), CustomerClass::Resident),
            T0,
        )
        .await
        .unwrap()
        .case
        .id;
    s.complete_step(closed, "scheme_reply", by, "", T0 + HOUR)
        .await
        .unwrap();
    s.complete_step(closed, "connection", by, "", T0 + HOUR)
        .await
        .unwrap();
    s.close_case(closed, by, "办结", T0 + HOUR).await.unwrap();
    let open_app = s
        .open_case(
            &open_req(&f, CaseKind::Application, Some(0), CustomerClass::Resident),
            T0 + HOUR,
        )
        .await
        .unwrap()
        .case
        .id;
    let mut req = open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident);
    req.by = f.clerks[1].id;
    let complaint = s.open_case(&req, T0 + 2 * HOUR).await.unwrap().case.id;

    let all = CaseFilter {
        from: T0,
        to: T0 + 24 * HOUR,
        ..Default::default()
    };
    let now = T0 + 3 * HOUR;
    let page = |g: CaseFilter, w: Window, now: i64| {
        let s = s.clone();
        let hall = f.hall.id;
        async move { s.case_page(hall, &g, w, now).await.unwrap() }
    };
    let got = page(all.clone(), Window::first(50), now).await;
    assert_eq!(got.total, 3);
    let ids: Vec<i64> = got.items.iter().map(|l| l.case.id).collect();
    assert_eq!(ids, vec![complaint, open_app, closed], "newest first");
    assert!(got.items[0].next_deadline.is_some() && got.items[2].next_deadline.is_none());
    assert_eq!(got.items[2].case.customer_phone, "13812345678");
    let ids_of = |p: Paged<CaseLine>| p.items.iter().map(|l| l.case.id).collect::<Vec<_>>();
    let state = |st| CaseFilter {
        state: Some(st),
        ..all.clone()
    };
    assert_eq!(
        ids_of(page(state(CaseState::Closed), Window::first(50), now).await),
        vec![closed]
    );
    assert_eq!(
        page(state(CaseState::Open), Window::first(50), now)
            .await
            .total,
        2
    );
    assert_eq!(
        page(state(CaseState::Overdue), Window::first(50), now)
            .await
            .total,
        0
    );
    // Months later both open cases are past their deadlines; the closed one never is.
    let late = page(
        state(CaseState::Overdue),
        Window::first(50),
        now + 2_000 * HOUR,
    )
    .await;
    assert_eq!(ids_of(late.clone()), vec![complaint, open_app]);
    assert!(late.items.iter().all(|l| l.overdue));
    let kind = CaseFilter {
        kind: Some(CaseKind::Complaint),
        ..all.clone()
    };
    assert_eq!(
        ids_of(page(kind, Window::first(50), now).await),
        vec![complaint]
    );
    let business = CaseFilter {
        business_type_id: Some(f.bt[0].id),
        ..all.clone()
    };
    assert_eq!(
        ids_of(page(business, Window::first(50), now).await),
        vec![open_app]
    );
    let owner = CaseFilter {
        owner_id: Some(f.clerks[1].id),
        ..all.clone()
    };
    assert_eq!(
        ids_of(page(owner, Window::first(50), now).await),
        vec![complaint]
    );
    let second = page(
        all.clone(),
        Window {
            limit: 2,
            offset: 2,
        },
        now,
    )
    .await;
    assert_eq!((ids_of(second.clone()), second.total), (vec![closed], 3));
    let later = CaseFilter {
        from: T0 + HOUR,
        ..all
    };
    assert_eq!(
        page(later, Window::first(50), now).await.total,
        2,
        "[from, to)"
    );
}
