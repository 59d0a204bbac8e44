//! On the edge: triggers write every change to the shipped tables into `edge_outbox`, in the
//! same transaction as the change, so the outbox is in commit order and nothing committed is
//! missed (a ticket issued by the SQLite issuer, a call, a rating …).

use super::tables::SHIPPED;
use super::values::ident;
use super::{EdgeEntry, EdgeStore, FlowDown, HandOver};
use crate::sql::{Backend, SqlStore};
use crate::{Result, StoreError};
use sqlx::AssertSqlSafe;

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

    async fn edge_runner(&self, hall_id: i64) -> Result<Option<String>> {
        if let Some(edge) = self.config.edge(hall_id) {
            return Ok(edge);
        }
        let edge: Option<String> =
            sqlx::query_scalar("SELECT edge_name FROM edge_halls WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_optional(self.pool())
                .await?;
        self.config.put_edge(hall_id, edge.clone());
        Ok(edge)
    }
}
