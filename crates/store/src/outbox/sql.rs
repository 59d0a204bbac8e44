//! The outbox's SQL. A claim is one statement: PostgreSQL picks due rows `FOR UPDATE SKIP
//! LOCKED`, so two nodes claiming at once take different rows; SQLite runs the same UPDATE
//! as one write transaction (the database's single writer makes it atomic).

use super::{Delivery, DeliveryRow, OutboxCounts, OutboxStore};
use crate::sql::{Backend, SqlStore};
use crate::{CaseWarning, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::cases::WarningLevel;
use servicehall_domain::cases::outbox::{LEASE_MS, next_attempt};
use sqlx::{AssertSqlSafe, Row};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn row(r: &sqlx::any::AnyRow) -> Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        clock_key: r.try_get("clock_key")?,
        level: r.try_get("level")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        delivered_at: r.try_get("delivered_at")?,
    })
}

impl SqlStore {
    /// Closes a claimed delivery as `status` (the claim must still be `worker`'s).
    async fn close_delivery(&self, id: i64, worker: &str, now: i64, status: &str) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_outbox SET status = $1, attempts = attempts + $2, delivered_at = $3, \
             claimed_by = NULL, claimed_until = NULL WHERE id = $4 AND claimed_by = $5",
        )
        .bind(status)
        .bind(i64::from(status == "delivered"))
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl OutboxStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.claim_deliveries")]
    async fn claim_deliveries(&self, worker: &str, now: i64, limit: i64) -> Result<Vec<Delivery>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE webhook_outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
             SELECT id FROM webhook_outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
             AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY id LIMIT $4{lock}) \
             RETURNING id"
        );
        let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(worker)
            .bind(now + LEASE_MS)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let r = sqlx::query(
                "SELECT o.id, o.case_id, o.hall_id, o.clock_key, o.level, o.attempts, c.number, \
                 c.owner_id, w.share_permille, w.at FROM webhook_outbox o \
                 JOIN cases c ON c.id = o.case_id \
                 JOIN case_warnings w ON w.case_id = o.case_id AND w.clock_key = o.clock_key AND w.level = o.level \
                 WHERE o.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            let level: String = r.try_get("level")?;
            out.push(Delivery {
                id,
                attempts: r.try_get("attempts")?,
                warning: CaseWarning {
                    case_id: r.try_get("case_id")?,
                    case_number: r.try_get("number")?,
                    hall_id: r.try_get("hall_id")?,
                    clock_key: r.try_get("clock_key")?,
                    level: WarningLevel::parse(&level)
                        .ok_or_else(|| corrupt("webhook_outbox.level", &level))?,
                    share_permille: r.try_get("share_permille")?,
                    at: r.try_get("at")?,
                    owner_id: r.try_get("owner_id")?,
                },
            });
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.delivery_succeeded")]
    async fn delivery_succeeded(&self, id: i64, worker: &str, now: i64) -> Result<()> {
        self.close_delivery(id, worker, now, "delivered").await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.delivery_skipped")]
    async fn delivery_skipped(&self, id: i64, worker: &str, now: i64) -> Result<()> {
        self.close_delivery(id, worker, now, "skipped").await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.delivery_failed")]
    async fn delivery_failed(&self, id: i64, worker: &str, error: &str, now: i64) -> Result<()> {
        let attempts: Option<i64> = sqlx::query_scalar(
            "SELECT attempts FROM webhook_outbox WHERE id = $1 AND claimed_by = $2",
        )
        .bind(id)
        .bind(worker)
        .fetch_optional(&self.pool)
        .await?;
        let Some(attempts) = attempts.map(|a| a + 1) else {
            return Ok(()); // the lease passed to another worker; its outcome counts
        };
        let (status, next) = match next_attempt(now, attempts) {
            Some(at) => ("pending", at),
            None => ("failed", now),
        };
        let error: String = error.chars().take(500).collect();
        sqlx::query(
            "UPDATE webhook_outbox SET status = $1, attempts = $2, next_attempt_at = $3, \
             last_error = $4, claimed_by = NULL, claimed_until = NULL \
             WHERE id = $5 AND claimed_by = $6",
        )
        .bind(status)
        .bind(attempts)
        .bind(next)
        .bind(error)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.case_deliveries")]
    async fn case_deliveries(&self, case_id: i64) -> Result<Vec<DeliveryRow>> {
        sqlx::query(
            "SELECT id, case_id, clock_key, level, status, attempts, next_attempt_at, last_error, \
             delivered_at FROM webhook_outbox WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(row)
        .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.outbox.outbox_counts")]
    async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS attempts FROM webhook_outbox GROUP BY status",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut c = OutboxCounts::default();
        for r in &rows {
            let status: String = r.try_get("status")?;
            let n: i64 = r.try_get("n")?;
            let attempts: i64 = r.try_get("attempts")?;
            // A delivered row's last attempt succeeded; every other attempt failed.
            c.failed_attempts += attempts - if status == "delivered" { n } else { 0 };
            match status.as_str() {
                "pending" => c.pending = n,
                "delivered" => c.delivered = n,
                "failed" => c.failed = n,
                "skipped" => c.skipped = n,
                _ => {}
            }
        }
        Ok(c)
    }
}
