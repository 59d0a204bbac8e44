//! Case changes on the hall's live feed: one `case` event per change (opened, step done,
//! hand-over, clock paused/resumed, warning …), written in the same transaction as the
//! change. The payload carries ids, the number and the change — no customer data — and the
//! web shows `case` events only to people who may see the hall's cases.

use crate::sql::WriteTx;
use crate::{CASE_EVENT, Result};
use serde_json::json;
use sqlx::Row;

/// Publishes `change` of case `id` (its hall, number, owner, pending hand-over, status).
pub(crate) async fn push_case_event(
    w: &mut WriteTx,
    id: i64,
    change: &str,
    now: i64,
) -> Result<()> {
    push_case_event_with(w, id, change, serde_json::Value::Null, now).await
}

/// As [`push_case_event`], with `extra` fields merged into the payload.
pub(crate) async fn push_case_event_with(
    w: &mut WriteTx,
    id: i64,
    change: &str,
    extra: serde_json::Value,
    now: i64,
) -> Result<()> {
    let r = sqlx::query(
        "SELECT hall_id, number, owner_id, handover_to, status FROM cases WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *w.tx)
    .await?;
    let hall_id: i64 = r.try_get("hall_id")?;
    let mut payload = json!({
        "case_id": id,
        "number": r.try_get::<String, _>("number")?,
        "change": change,
        "owner_id": r.try_get::<i64, _>("owner_id")?,
        "handover_to": r.try_get::<Option<i64>, _>("handover_to")?,
        "status": r.try_get::<String, _>("status")?,
    });
    if let (Some(p), serde_json::Value::Object(x)) = (payload.as_object_mut(), extra) {
        p.extend(x);
    }
    w.push_event(hall_id, CASE_EVENT, payload, now).await
}
