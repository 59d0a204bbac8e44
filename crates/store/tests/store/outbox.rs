//! The webhook outbox: a warning's delivery is written with the warning, claimed by one
//! worker at a time (two claimers at once share nothing), retried with backoff, delivered
//! once, and counted.

use crate::cases::{HOUR, open_req};
use crate::fixture::*;
use servicehall_domain::cases::outbox::{FIRST_RETRY_MS, LEASE_MS};
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::*;
use std::collections::HashSet;

on_both!(outbox_claims_are_exclusive_and_retries_back_off,);

pub async fn outbox_claims_are_exclusive_and_retries_back_off(s: SqlStore) {
    let f = fixture(&s).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let req = open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident);
        ids.push(s.open_case(&req, T0).await.unwrap().case.id);
    }
    // Ten days on every clock of the three complaints has passed every level.
    let now = T0 + 240 * HOUR;
    let warnings = s.scan_warnings(None, now).await.unwrap();
    assert!(warnings.len() >= 6, "{warnings:?}");
    assert!(s.scan_warnings(None, now + 1).await.unwrap().is_empty());
    let rows: usize = {
        let mut n = 0;
        for id in &ids {
            n += s.case_deliveries(*id).await.unwrap().len();
        }
        n
    };
    assert_eq!(rows, warnings.len(), "one delivery per recorded warning");

    // Two workers claiming at once take disjoint sets that cover every delivery.
    let (a, b) = tokio::join!(
        s.claim_deliveries("node-a", now, 100),
        s.claim_deliveries("node-b", now, 100)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let a_ids: HashSet<i64> = a.iter().map(|d| d.id).collect();
    let b_ids: HashSet<i64> = b.iter().map(|d| d.id).collect();
    assert!(a_ids.is_disjoint(&b_ids), "{a_ids:?} {b_ids:?}");
    assert_eq!(a_ids.len() + b_ids.len(), warnings.len());
    assert!(
        s.claim_deliveries("node-c", now, 100)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    let first = a.first().or(b.first()).unwrap().clone();
    let owner = if a_ids.contains(&first.id) {
        "node-a"
    } else {
        "node-b"
    };
    assert_eq!(first.attempts, 0);
    assert!(ids.contains(&first.warning.case_id));

    // A failure reported by a worker that does not hold the claim changes nothing.
    s.delivery_failed(first.id, "node-c", "not mine", now)
        .await
        .unwrap();
    // The holder's failure: retried after the first backoff, not before.
    s.delivery_failed(first.id, owner, "HTTP 503", now)
        .await
        .unwrap();
    let row = |rows: Vec<DeliveryRow>| rows.into_iter().find(|r| r.id == first.id).unwrap();
    let r = row(s.case_deliveries(first.warning.case_id).await.unwrap());
    assert_eq!((r.status.as_str(), r.attempts), ("pending", 1));
    assert_eq!(r.next_attempt_at, now + FIRST_RETRY_MS);
    assert_eq!(r.last_error, "HTTP 503");
    let early = s
        .claim_deliveries("node-c", now + FIRST_RETRY_MS - 1, 100)
        .await
        .unwrap();
    assert!(early.is_empty(), "{early:?}");
    let again = s
        .claim_deliveries("node-c", now + FIRST_RETRY_MS, 100)
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    assert_eq!(again[0].attempts, 1);
    s.delivery_succeeded(first.id, "node-c", now + FIRST_RETRY_MS)
        .await
        .unwrap();
    let r = row(s.case_deliveries(first.warning.case_id).await.unwrap());
    assert_eq!((r.status.as_str(), r.attempts), ("delivered", 2));
    assert_eq!(r.delivered_at, Some(now + FIRST_RETRY_MS));

    // A node that stopped mid-delivery: its lease runs out and another worker takes over.
    let later = now + LEASE_MS + FIRST_RETRY_MS;
    let taken = s.claim_deliveries("node-d", later, 100).await.unwrap();
    assert_eq!(
        taken.len(),
        warnings.len() - 1,
        "every other delivery, once"
    );
    assert!(
        !taken.iter().any(|d| d.id == first.id),
        "delivered is never claimed again"
    );
    for d in &taken {
        s.delivery_succeeded(d.id, "node-d", later).await.unwrap();
    }
    let c = s.outbox_counts().await.unwrap();
    assert_eq!(c.delivered as usize, warnings.len());
    assert_eq!((c.pending, c.failed, c.failed_attempts), (0, 0, 1));
}
