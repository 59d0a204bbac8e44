//! On the edge: triggers write every change to the shipped tables into `edge_outbox`, in the
//! same transaction as the change, so the outbox is in commit order and nothing committed is
//! missed (a ticket issued by the SQLite issuer, a call, a rating …).

use super::values::ident;
use super::{EdgeEntry, EdgeStore, FlowDown, HandOver};
use crate::sql::{Backend, SqlStore};
use crate::{Result, StoreError};
use sqlx::AssertSqlSafe;

/// A table the edge ships: its key, the columns holding ids the edge numbered itself (placed
/// in the hall's id space centrally, `servicehall_domain::edge::central_id`), and which
/// changes are captured.
pub(super) struct Shipped {
    pub tbl: &'static str,
    pub key: &'static [&'static str],
    pub local_ids: &'static [&'static str],
    /// `None`: every insert and update; `Some(cols)`: updates of these columns only (a
    /// counter's live state; its configuration flows down instead).
    pub only: Option<&'static [&'static str]>,
    /// Columns shipped (to name the row on insert) that keep their central value on update.
    pub keep_central: &'static [&'static str],
}

/// In the order a batch is applied centrally: parents before the rows that name them.
pub(super) const SHIPPED: &[Shipped] = &[
    // A mid-day switch's pairs of local and central ticket ids (flow.rs), before any row
    // naming them.
    Shipped {
        tbl: "edge_handovers",
        key: &["hall_id", "local_id"],
        local_ids: &[],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "tickets",
        key: &["id"],
        local_ids: &["id", "transferred_from"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "ticket_events",
        key: &["id"],
        local_ids: &["id", "ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "read_backs",
        key: &["ticket_id"],
        local_ids: &["ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "ratings",
        key: &["id"],
        local_ids: &["id", "ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "hall_events",
        key: &["id"],
        local_ids: &["id"],
        only: None,
        keep_central: &[],
    },
    // A booking that came down from central (bookings.rs): only what the edge does to it —
    // check-in, its ticket, no-show — goes up, onto the same central booking.
    Shipped {
        tbl: "appointments",
        key: &["id"],
        local_ids: &["ticket_id"],
        only: Some(super::bookings::EDGE_COLUMNS),
        keep_central: &["hall_id"],
    },
    Shipped {
        tbl: "counters",
        key: &["id"],
        local_ids: &[],
        only: Some(&["status", "pause_reason", "staff_id", "status_since"]),
        keep_central: &["number", "hall_id"],
    },
];

pub(super) fn shipped(tbl: &str) -> Option<&'static Shipped> {
    SHIPPED.iter().find(|s| s.tbl == tbl)
}

async fn columns(s: &SqlStore, tbl: &str) -> Result<Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT name FROM pragma_table_info('{}')",
        ident(tbl)?
    )))
    .fetch_all(s.pool())
    .await?;
    names.iter().map(|n| ident(n).map(str::to_string)).collect()
}

#[async_trait::async_trait]
impl EdgeStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_arm")]
    async fn edge_arm(&self) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Invalid(
                "现场节点只能运行在 SQLite 上 · an edge runs on SQLite only".into(),
            ));
        }
        let mut w = self.begin().await?;
        for s in SHIPPED {
            let cols = columns(self, s.tbl).await?;
            let body = cols
                .iter()
                .map(|c| format!("'{c}', NEW.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let insert = format!(
                "INSERT INTO edge_outbox (tbl, body) VALUES ('{}', json_object({body}));",
                s.tbl
            );
            let (ins, upd) = (
                format!("edge_capture_{}_ins", s.tbl),
                format!("edge_capture_{}_upd", s.tbl),
            );
            for t in [&ins, &upd] {
                sqlx::query(AssertSqlSafe(format!("DROP TRIGGER IF EXISTS {t}")))
                    .execute(&mut *w.tx)
                    .await?;
            }
            let update_of = match s.only {
                Some(cols) => format!("UPDATE OF {}", cols.join(", ")),
                None => "UPDATE".into(),
            };
            if s.only.is_none() {
                sqlx::query(AssertSqlSafe(format!(
                    "CREATE TRIGGER {ins} AFTER INSERT ON {} BEGIN {insert} END",
                    s.tbl
                )))
                .execute(&mut *w.tx)
                .await?;
            }
            sqlx::query(AssertSqlSafe(format!(
                "CREATE TRIGGER {upd} AFTER {update_of} ON {} BEGIN {insert} END",
                s.tbl
            )))
            .execute(&mut *w.tx)
            .await?;
        }
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_armed")]
    async fn edge_armed(&self) -> Result<bool> {
        if self.backend() != Backend::Sqlite {
            return Ok(false);
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' \
             AND name = 'edge_capture_tickets_ins'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_pending")]
    async fn edge_pending(&self, limit: i64) -> Result<Vec<EdgeEntry>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT seq, tbl, body FROM edge_outbox ORDER BY seq LIMIT $1")
                .bind(limit)
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(seq, tbl, body)| {
                let body = serde_json::from_str(&body).map_err(|e| {
                    StoreError::Invalid(format!("待发送记录损坏 · outbox entry {seq}: {e}"))
                })?;
                Ok(EdgeEntry { seq, tbl, body })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_backlog")]
    async fn edge_backlog(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM edge_outbox")
            .fetch_one(self.pool())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.edge.edge_forget_through")]
    async fn edge_forget_through(&self, seq: i64) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM edge_outbox WHERE seq <= $1")
            .bind(seq)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    async fn edge_apply_flow_down(&self, set: &FlowDown) -> Result<()> {
        super::flow::apply(self, set).await
    }

    async fn edge_take_over(&self, handed: &HandOver) -> Result<usize> {
        super::handover::take_over(self, handed).await
    }

    async fn edge_hand_over(&self, hall_code: &str, edge_name: &str, now: i64) -> Result<HandOver> {
        super::handover::hand_over(self, hall_code, edge_name, now).await
    }

    async fn edge_receive(
        &self,
        hall_id: i64,
        edge_name: &str,
        entries: &[EdgeEntry],
        now: i64,
    ) -> Result<super::EdgeReceipt> {
        super::receive::receive(self, hall_id, edge_name, entries, now).await
    }

    async fn edge_flow_down(&self, hall_code: &str, now: i64) -> Result<FlowDown> {
        super::flow::read(self, hall_code, now).await
    }

    async fn edge_halls(&self) -> Result<Vec<super::EdgeHall>> {
        super::receive::halls(self, None).await
    }

    async fn edge_hall(&self, hall_id: i64) -> Result<Option<super::EdgeHall>> {
        Ok(super::receive::halls(self, Some(hall_id))
            .await?
            .into_iter()
            .next())
    }
}
