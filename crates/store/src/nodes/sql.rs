//! Leadership by `pg_try_advisory_lock` on a connection of the leader's own.

use super::{Leadership, NodeStore};
use crate::Result;
use crate::sql::{Backend, SqlStore};
use async_trait::async_trait;
use sqlx::{AnyConnection, Connection};
use std::time::Duration;

/// The first key of every leadership lock. Two-key advisory locks never clash with the
/// one-key `pg_advisory_xact_lock(hall_id)` that orders a hall's events.
const LEAD_SPACE: i32 = 0x5348; // "SH"

/// A stable 32-bit key for a job name (FNV-1a), the same on every node and version.
pub(crate) fn job_key(job: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in job.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as i32
}

#[async_trait]
impl NodeStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.nodes.try_lead", fields(job))]
    async fn try_lead(&self, job: &str) -> Result<Option<Leadership>> {
        if self.backend() == Backend::Sqlite {
            return Ok(Some(Leadership {
                job: job.into(),
                conn: None,
            }));
        }
        // Not from the pool: the lock lives as long as this session, apart from requests.
        let mut conn =
            tokio::time::timeout(Duration::from_secs(2), AnyConnection::connect(&self.url))
                .await
                .map_err(|_| sqlx::Error::PoolTimedOut)??;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(LEAD_SPACE)
            .bind(job_key(job))
            .fetch_one(&mut conn)
            .await?;
        if !got {
            let _ = conn.close().await;
            return Ok(None);
        }
        tracing::info!(job, "took the lead");
        Ok(Some(Leadership {
            job: job.into(),
            conn: Some(conn),
        }))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.nodes.database_reachable")]
    async fn database_reachable(&self) -> bool {
        if self.backend() == Backend::Sqlite {
            return true;
        }
        let Ok(opts) = self.url.parse::<sqlx::postgres::PgConnectOptions>() else {
            return true;
        };
        if opts.get_host().starts_with('/') {
            return true; // a Unix socket: no TCP to try
        }
        let addr = format!("{}:{}", opts.get_host(), opts.get_port());
        let tried = tokio::time::timeout(
            Duration::from_millis(500),
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        matches!(tried, Ok(Ok(_)))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.nodes.last_issue_at", fields(hall = hall_id))]
    async fn last_issue_at(&self, hall_id: i64) -> Result<i64> {
        // The latest service day first (an index walk), then that day's tickets only.
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(issued_at) FROM tickets WHERE hall_id = $1
               AND service_day = (SELECT MAX(service_day) FROM tickets WHERE hall_id = $1)",
        )
        .bind(hall_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(at.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn job_keys_are_stable_and_distinct() {
        assert_eq!(super::job_key(""), 0x811c_9dc5_u32 as i32);
        assert_ne!(
            super::job_key("case_escalation"),
            super::job_key("webhook_outbox")
        );
    }
}
