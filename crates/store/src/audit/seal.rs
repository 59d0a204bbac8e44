//! Sealing the hall event log into the chain. Ticket events are the volume, so the issue
//! path never touches the chain: hall_events is already append-only, and a background step
//! (every few seconds in `serve`) chains each hall's new rows in id order, one record per
//! batch. A hall's event ids follow commit order (PostgreSQL: the per-hall advisory lock in
//! `push_event`; SQLite: the single writer), so a sealed range never gains a late row
//! legitimately, and any row found in it later was put there behind the application's back.

use super::append::{Append, Sealed, lock_head, write};
use super::sources;
use crate::Result;
use crate::sql::WriteTx;
use servicehall_domain::audit::{seal_digest, seal_list};

/// Seals up to `batch` of the hall's unsealed events in `w`; returns how many.
pub(crate) async fn seal_hall(w: &mut WriteTx, hall: i64, batch: i64, now: i64) -> Result<i64> {
    let (head, sealed_through) = lock_head(w, hall).await?;
    let to: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(id) FROM (SELECT id FROM hall_events WHERE hall_id = $1 AND id > $2 ORDER BY id LIMIT $3) AS pending",
    )
    .bind(hall)
    .bind(sealed_through)
    .bind(batch)
    .fetch_one(&mut *w.tx)
    .await?;
    let Some(to) = to else { return Ok(0) };
    // The range starts right after the last one, so consecutive ranges tile the hall's ids
    // and a row slipped in between two batches still falls inside one.
    let from = sealed_through + 1;
    let rows = sources::hall_events(&mut w.tx, hall, from, to).await?;
    let n = rows.len() as i64;
    let (first, list) = (rows.first().map_or(from, |r| r.id), seal_list(&rows));
    write(
        w,
        &head,
        Append {
            hall: Some(hall),
            kind: "events.sealed",
            subject: format!("封存大厅事件 {n} 条 · sealed {n} hall events #{first}–#{to}"),
            source: Some(("hall_events", from)),
        },
        seal_digest(&list),
        Sealed { to: Some(to), list },
        now,
    )
    .await?;
    Ok(n)
}
