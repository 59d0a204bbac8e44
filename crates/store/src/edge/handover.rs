//! A hall switched to its edge in the middle of a day (docs/edge.md). Central marks the
//! hall edge-run (from then on it works none of the hall's queue) and hands down the day's
//! open tickets (waiting, called, serving, on hold), the records they were transferred
//! from, and the day's last number of each prefix. The edge takes each ticket under a new
//! local id, paired with its central id in `edge_handovers` — the pair written first, so
//! the shipped rows that follow land on the central ticket, not on a new one — and raises
//! its own number sequences to central's, so no number of the day repeats. Taking the same
//! hand-over again changes nothing: a ticket already paired is the edge's own now.

use super::HandOver;
use super::values::{Body, bind, ident, row_to_body};
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use servicehall_domain::edge::ID_BITS;
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// Open states: the tickets a hall still has to serve.
const OPEN: &str = "('waiting', 'called', 'serving', 'held')";

#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_hand_over")]
pub(super) async fn hand_over(
    s: &SqlStore,
    hall_code: &str,
    edge_name: &str,
    now: i64,
) -> Result<HandOver> {
    let (hall_id, tz): (i64, String) =
        sqlx::query_as("SELECT id, timezone FROM halls WHERE code = $1")
            .bind(hall_code)
            .fetch_optional(s.pool())
            .await?
            .ok_or_else(|| StoreError::not_found("hall", hall_code))?;
    let day = service_day(now, parse_tz(&tz).map_err(StoreError::Invalid)?).to_string();
    // Marked edge-run first and committed: from here central issues, calls and rates
    // nothing for the hall (the 409 of every queue and counter write), so the open tickets
    // read next are the last central will have.
    let mut w = s.begin().await?;
    let marked_now = super::receive::mark_edge_run(&mut w, hall_id, edge_name, now).await?;
    s.commit(w).await?;
    s.config.forget_flags(hall_id);
    if marked_now {
        // Another node may hold "not edge-run" for a second more (halls/config_cache.rs),
        // and a write that passed the check just before may still be committing: the wait
        // sees both through, so a ticket central issued at the switch is handed over, not
        // left behind. Later hand-overs (every pull) find the hall long marked.
        tokio::time::sleep(super::HAND_OVER_SETTLE).await;
    }
    let mut tx = s.pool().begin().await?;
    // Central's own tickets only: an edge's rows sit at 2^40 and above.
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT * FROM tickets WHERE hall_id = $1 AND service_day = $2 AND state IN {OPEN} \
         AND id < $3 ORDER BY id"
    )))
    .bind(hall_id)
    .bind(&day)
    .bind(1i64 << ID_BITS)
    .fetch_all(&mut *tx)
    .await?;
    let mut tickets: BTreeMap<i64, Body> = rows
        .iter()
        .map(row_to_body)
        .filter_map(|b| Some((b.get("id")?.as_i64()?, b)))
        .collect();
    // The records they were transferred from, however far back, so each refers to a row
    // the edge holds.
    loop {
        let missing: Vec<i64> = tickets
            .values()
            .filter_map(|b| b.get("transferred_from")?.as_i64())
            .filter(|id| !tickets.contains_key(id))
            .collect();
        if missing.is_empty() {
            break;
        }
        for id in missing {
            let row = sqlx::query("SELECT * FROM tickets WHERE id = $1 AND hall_id = $2")
                .bind(id)
                .bind(hall_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::not_found("ticket", id))?;
            tickets.insert(id, row_to_body(&row));
        }
    }
    let sequences = sqlx::query(
        "SELECT * FROM ticket_sequences WHERE hall_id = $1 AND service_day = $2 ORDER BY prefix",
    )
    .bind(hall_id)
    .bind(&day)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(HandOver {
        hall_id,
        service_day: day,
        tickets: tickets.into_values().collect(),
        sequences: sequences.iter().map(row_to_body).collect(),
    })
}

/// Takes a hand-over on the edge; returns how many tickets were new to it.
#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_take_over")]
pub(super) async fn take_over(s: &SqlStore, h: &HandOver) -> Result<usize> {
    let mut w = s.begin().await?;
    let mut taken = 0;
    // In central id order: a transfer's source comes before its record.
    for t in &h.tickets {
        let central = t.get("id").and_then(|v| v.as_i64()).ok_or_else(|| {
            StoreError::Invalid("交接的票号缺少编号 · a handed-over ticket has no id".into())
        })?;
        let paired: Option<i64> = sqlx::query_scalar(
            "SELECT local_id FROM edge_handovers WHERE hall_id = $1 AND central_id = $2",
        )
        .bind(h.hall_id)
        .bind(central)
        .fetch_optional(&mut *w.tx)
        .await?;
        if paired.is_some() {
            continue; // The edge's own now: what it did since stands.
        }
        let local: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM tickets")
            .fetch_one(&mut *w.tx)
            .await?;
        // The pair first: it is shipped ahead of the ticket's own rows.
        sqlx::query(
            "INSERT INTO edge_handovers (hall_id, local_id, central_id) VALUES ($1, $2, $3)",
        )
        .bind(h.hall_id)
        .bind(local)
        .bind(central)
        .execute(&mut *w.tx)
        .await?;
        let mut body = t.clone();
        body.insert("id".into(), local.into());
        if let Some(from) = t.get("transferred_from").and_then(|v| v.as_i64()) {
            let from_local: i64 = sqlx::query_scalar(
                "SELECT local_id FROM edge_handovers WHERE hall_id = $1 AND central_id = $2",
            )
            .bind(h.hall_id)
            .bind(from)
            .fetch_one(&mut *w.tx)
            .await?;
            body.insert("transferred_from".into(), from_local.into());
        }
        let cols = body.keys().map(|c| ident(c)).collect::<Result<Vec<_>>>()?;
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO tickets ({}) VALUES ({})",
            cols.join(", "),
            crate::sql::placeholders(1, cols.len())
        )));
        for v in body.values() {
            q = bind(q, v);
        }
        q.execute(&mut *w.tx).await?;
        taken += 1;
    }
    for seq in &h.sequences {
        let (Some(prefix), Some(last)) = (
            seq.get("prefix").and_then(|v| v.as_str()),
            seq.get("last_no").and_then(|v| v.as_i64()),
        ) else {
            continue;
        };
        // Never lowered: numbers the edge gave out today stand.
        sqlx::query(
            "INSERT INTO ticket_sequences (hall_id, service_day, prefix, last_no) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (hall_id, service_day, prefix) DO UPDATE SET last_no = \
             CASE WHEN ticket_sequences.last_no > EXCLUDED.last_no THEN ticket_sequences.last_no ELSE EXCLUDED.last_no END",
        )
        .bind(h.hall_id)
        .bind(&h.service_day)
        .bind(prefix)
        .bind(last)
        .execute(&mut *w.tx)
        .await?;
    }
    s.commit(w).await?;
    Ok(taken)
}
