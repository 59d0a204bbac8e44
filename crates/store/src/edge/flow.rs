//! Flow down: the hall's configuration, catalogue (business types), counters, staff
//! accounts, paired devices and the regions they name, read whole from the central
//! database (a hall's set is small) and applied on the edge with the central ids, so every
//! row the edge ships refers to the same hall, counter, clerk and business type centrally.
//! The hall's bookings (预约) of today and the coming days come down too (bookings.rs), so a
//! customer who booked centrally is checked in at the edge.

use super::FlowDown;
use super::values::{bind, row_to_body, upsert_sql};
use crate::sql::SqlStore;
use crate::{Result, StoreError};

/// Table, key, the query for one hall (`$1` = hall id; `$2`, where used, the earliest slot
/// start of the bookings window), and the columns the edge keeps as its own (a counter's
/// live state).
type Spec = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

const FLOWS: &[Spec] = &[
    (
        "regions",
        &["id"],
        "SELECT * FROM regions WHERE $1 = $1 ORDER BY id",
        &[],
    ),
    ("halls", &["id"], "SELECT * FROM halls WHERE id = $1", &[]),
    (
        "business_types",
        &["id"],
        "SELECT * FROM business_types WHERE hall_id = $1 ORDER BY id",
        &[],
    ),
    (
        "staff",
        &["id"],
        "SELECT * FROM staff WHERE hall_id = $1 OR hall_id IS NULL ORDER BY id",
        &[],
    ),
    (
        "counters",
        &["id"],
        "SELECT * FROM counters WHERE hall_id = $1 ORDER BY id",
        &["status", "pause_reason", "staff_id", "status_since"],
    ),
    (
        "counter_business_types",
        &["counter_id", "business_type_id"],
        "SELECT cb.* FROM counter_business_types cb JOIN counters c ON c.id = cb.counter_id \
         WHERE c.hall_id = $1 ORDER BY cb.counter_id, cb.business_type_id",
        &[],
    ),
    (
        "devices",
        &["id"],
        "SELECT * FROM devices WHERE hall_id = $1 ORDER BY id",
        &[],
    ),
    (
        "appointment_settings",
        &["hall_id"],
        "SELECT * FROM appointment_settings WHERE hall_id = $1",
        &[],
    ),
    ("appointments", &["id"], super::bookings::FLOW_SQL, &[]),
];

#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_flow_down")]
pub(super) async fn read(s: &SqlStore, hall_code: &str, now: i64) -> Result<FlowDown> {
    let hall_id: i64 = sqlx::query_scalar("SELECT id FROM halls WHERE code = $1")
        .bind(hall_code)
        .fetch_optional(s.pool())
        .await?
        .ok_or_else(|| StoreError::not_found("hall", hall_code))?;
    // One snapshot: the set is read in one transaction, so it is consistent.
    let mut tx = s.pool().begin().await?;
    let mut set = FlowDown {
        hall_id,
        tables: Vec::new(),
    };
    for (tbl, _, sql, _) in FLOWS {
        let mut q = sqlx::query(*sql).bind(hall_id);
        if sql.contains("$2") {
            q = q.bind(super::bookings::window_start(now));
        }
        let rows = q.fetch_all(&mut *tx).await?;
        set.tables
            .push((tbl.to_string(), rows.iter().map(row_to_body).collect()));
    }
    tx.commit().await?;
    Ok(set)
}

#[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_apply_flow_down")]
pub(super) async fn apply(s: &SqlStore, set: &FlowDown) -> Result<()> {
    let mut w = s.begin().await?;
    // Rows arrive table by table; references are checked once, at commit.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *w.tx)
        .await?;
    for (tbl, rows) in &set.tables {
        let Some((_, key, _, keep)) = FLOWS.iter().find(|f| f.0 == tbl) else {
            return Err(StoreError::Invalid(format!(
                "未知的下发数据 · unknown table in the pull: {tbl:?}"
            )));
        };
        if *tbl == "counter_business_types" {
            // Links removed centrally go here too: the hall's links are replaced whole.
            sqlx::query(
                "DELETE FROM counter_business_types WHERE counter_id IN \
                 (SELECT id FROM counters WHERE hall_id = $1)",
            )
            .bind(set.hall_id)
            .execute(&mut *w.tx)
            .await?;
        }
        if *tbl == "appointments" {
            super::bookings::apply(&mut w, set.hall_id, rows).await?;
            continue;
        }
        for body in rows {
            let sql = upsert_sql(tbl, key, body, keep)?;
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in body.values() {
                q = bind(q, v);
            }
            q.execute(&mut *w.tx).await?;
        }
    }
    s.commit(w).await?;
    // The hall's configuration as cached for requests is read again.
    s.config.clear();
    Ok(())
}
