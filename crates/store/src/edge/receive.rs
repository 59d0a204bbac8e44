//! On the central database: a batch from an edge applied in one transaction. The hall's row
//! in `edge_halls` is locked first, so two deliveries of the same batch (the edge retrying
//! after a lost acknowledgement) are applied once: the second finds `last_seq` past them.
//! The rows are applied table by table in multi-row statements (batch.rs).

use super::batch::TableRows;
use super::tables::{SHIPPED, Shipped, shipped};
use super::values::Body;
use super::{EdgeEntry, EdgeHall, EdgeReceipt};
use crate::sql::{Backend, SqlStore};
use crate::{HallEvent, Result, StoreError};
use servicehall_domain::edge::{PAYLOAD_LOCAL_IDS, central_id};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// Where the edge's ids land centrally: a ticket handed down from central (a mid-day
/// switch, `edge_handovers`) is its central row again; any other row the edge numbered
/// moves into the hall's id space.
pub(super) struct IdMap {
    hall_id: i64,
    handed: HashMap<i64, i64>,
}

impl IdMap {
    /// The central id of column `col` of a `tbl` row (or of a hall event's payload key).
    pub fn central(&self, tbl: &str, col: &str, local: i64) -> i64 {
        let names_ticket =
            col == "ticket_id" || col == "transferred_from" || (tbl == "tickets" && col == "id");
        match self.handed.get(&local) {
            Some(c) if names_ticket => *c,
            _ => central_id(self.hall_id, local),
        }
    }
}

/// The row as the central database keeps it: ids the edge numbered moved into the hall's
/// id space, in the row and in a hall event's payload. A row naming another hall is
/// refused: an edge ships its own hall only.
fn centralise(ids: &IdMap, tbl: &str, mut body: Body) -> Result<(&'static Shipped, Body)> {
    let hall_id = ids.hall_id;
    let spec = shipped(tbl).ok_or_else(|| {
        StoreError::Invalid(format!(
            "现场节点不发送此表 · the edge does not ship {tbl:?}"
        ))
    })?;
    if let Some(h) = body.get("hall_id").and_then(|v| v.as_i64())
        && h != hall_id
    {
        return Err(StoreError::Forbidden(format!(
            "记录属于其他营业厅 · a {tbl} row of hall {h} in hall {hall_id}'s batch"
        )));
    }
    for c in spec.local_ids {
        if let Some(v) = body.get_mut(*c)
            && let Some(local) = v.as_i64()
        {
            *v = ids.central(spec.tbl, c, local).into();
        }
    }
    if spec.tbl == "hall_events"
        && let Some(serde_json::Value::String(p)) = body.get_mut("payload")
        && let Ok(serde_json::Value::Object(mut payload)) = serde_json::from_str(p)
    {
        for k in PAYLOAD_LOCAL_IDS {
            if let Some(v) = payload.get_mut(*k)
                && let Some(local) = v.as_i64()
            {
                *v = ids.central("hall_events", k, local).into();
            }
        }
        *p = serde_json::Value::Object(payload).to_string();
    }
    let body = match spec.only {
        // Only the live state comes up; the counter's configuration is central's.
        Some(only) => body
            .into_iter()
            .filter(|(k, _)| {
                spec.key.contains(&k.as_str())
                    || only.contains(&k.as_str())
                    || spec.keep_central.contains(&k.as_str())
            })
            .collect(),
        None => body,
    };
    Ok((spec, body))
}

fn hall_event(hall_id: i64, body: &Body) -> HallEvent {
    HallEvent {
        id: body.get("id").and_then(|v| v.as_i64()).unwrap_or_default(),
        hall_id,
        kind: body
            .get("kind")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .into(),
        payload: body
            .get("payload")
            .and_then(|v| v.as_str())
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default(),
        at: body.get("at").and_then(|v| v.as_i64()).unwrap_or_default(),
    }
}

#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_receive", fields(hall_id, n = entries.len()))]
pub(super) async fn receive(
    s: &SqlStore,
    hall_id: i64,
    edge_name: &str,
    entries: &[EdgeEntry],
    now: i64,
) -> Result<EdgeReceipt> {
    let mut w = s.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_optional(&mut *w.tx)
        .await?;
    if exists.is_none() {
        return Err(StoreError::not_found("hall", hall_id));
    }
    mark_edge_run(&mut w, hall_id, edge_name, now).await?;
    let lock = if s.backend() == Backend::Postgres {
        " FOR UPDATE"
    } else {
        "" // SQLite: the store's writer lock already serialises writers.
    };
    let last: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT last_seq FROM edge_halls WHERE hall_id = $1{lock}"
    )))
    .bind(hall_id)
    .fetch_one(&mut *w.tx)
    .await?;
    let mut receipt = EdgeReceipt {
        applied_through: last,
        ..EdgeReceipt::default()
    };
    let mut ids = IdMap {
        hall_id,
        handed: HashMap::new(),
    };
    if entries.iter().any(|e| e.seq > last) {
        let pairs: Vec<(i64, i64)> =
            sqlx::query_as("SELECT local_id, central_id FROM edge_handovers WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_all(&mut *w.tx)
                .await?;
        ids.handed.extend(pairs);
    }
    // Checked and placed whole before anything is written: a bad entry refuses the batch.
    let mut tables: Vec<TableRows> = SHIPPED
        .iter()
        .map(|t| TableRows::new(t.tbl, t.key, t.keep_central))
        .collect();
    let mut reseated = std::collections::HashSet::new();
    let mut bookings = Vec::new();
    for e in entries {
        if e.seq <= receipt.applied_through {
            receipt.skipped += 1;
            continue;
        }
        let (spec, body) = centralise(&ids, &e.tbl, e.body.clone())?;
        if spec.tbl == "appointments" {
            if super::bookings::admit(&mut w, hall_id, &body, &mut reseated, now).await? {
                receipt.applied += 1;
                bookings.push(body);
            } else {
                // Consumed, not applied: the central booking stays as it is (bookings.rs).
                receipt.skipped += 1;
            }
            receipt.applied_through = e.seq;
            continue;
        }
        if spec.tbl == "edge_handovers"
            && let (Some(l), Some(c)) = (
                body.get("local_id").and_then(|v| v.as_i64()),
                body.get("central_id").and_then(|v| v.as_i64()),
            )
        {
            // Rows after it naming this local id are the central ticket it came from.
            ids.handed.insert(l, c);
        }
        if spec.tbl == "hall_events" {
            // Central screens hear the hall's events live, as a node's own (NOTIFY at commit).
            w.events.push(hall_event(hall_id, &body));
        }
        if let Some(t) = tables.iter_mut().find(|t| t.tbl == spec.tbl) {
            t.push(body);
        }
        receipt.applied += 1;
        receipt.applied_through = e.seq;
    }
    for t in tables.iter().filter(|t| t.len() > 0) {
        t.apply(&mut w.tx).await?;
    }
    // After the tickets they name.
    super::bookings::update(&mut w, hall_id, &bookings).await?;
    sqlx::query(
        "UPDATE edge_halls SET last_seq = $2, rows_applied = rows_applied + $3, \
         last_seen_at = $4, edge_name = $5, \
         last_shipped_at = CASE WHEN $3 > 0 THEN $4 ELSE last_shipped_at END \
         WHERE hall_id = $1",
    )
    .bind(hall_id)
    .bind(receipt.applied_through)
    .bind(receipt.applied)
    .bind(now)
    .bind(edge_name)
    .execute(&mut *w.tx)
    .await?;
    s.commit(w).await?;
    s.config.forget_flags(hall_id);
    Ok(receipt)
}

#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_halls")]
pub(super) async fn halls(s: &SqlStore, hall_id: Option<i64>) -> Result<Vec<EdgeHall>> {
    type Row = (i64, String, String, String, String, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.hall_id, h.code, h.name, h.timezone, e.edge_name, e.last_seq, e.rows_applied, \
         e.last_seen_at, e.last_shipped_at, e.since \
         FROM edge_halls e JOIN halls h ON h.id = e.hall_id \
         WHERE $1 = 0 OR e.hall_id = $1 ORDER BY h.code",
    )
    .bind(hall_id.unwrap_or(0))
    .fetch_all(s.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| EdgeHall {
            hall_id: r.0,
            hall_code: r.1,
            hall_name: r.2,
            timezone: r.3,
            edge_name: r.4,
            last_seq: r.5,
            rows_applied: r.6,
            last_seen_at: r.7,
            last_shipped_at: r.8,
            since: r.9,
        })
        .collect())
}

/// Marks the hall as run by `edge_name` from `now` (a hall already marked keeps its first
/// mark): from here central refuses the hall's queue and counter writes. True when this
/// call made the mark.
pub(super) async fn mark_edge_run(
    w: &mut crate::sql::WriteTx,
    hall_id: i64,
    edge_name: &str,
    now: i64,
) -> Result<bool> {
    let made = sqlx::query(
        "INSERT INTO edge_halls (hall_id, edge_name, last_seen_at, since) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (hall_id) DO NOTHING",
    )
    .bind(hall_id)
    .bind(edge_name)
    .bind(now)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    Ok(made == 1)
}
