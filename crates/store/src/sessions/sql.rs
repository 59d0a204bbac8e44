//! Sessions of signed-in staff and device tokens (both stored as hashes only).

use super::STILL_VALID_CHUNK;
use crate::sql::SqlStore;
use crate::sql::rows::{self, DEVICE_COLS, STAFF_COLS};
use crate::*;
use crate::{Result, SessionStore};
use async_trait::async_trait;
use sqlx::{AssertSqlSafe, Row};

#[async_trait]
impl SessionStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.create_session")]
    async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, staff_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(csrf)
        .bind(expires_at)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.session")]
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Staff, String)>> {
        let cols = STAFF_COLS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {cols}, x.csrf FROM sessions x JOIN staff s ON s.id = x.staff_id
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.active = 1"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((rows::staff(&r)?, r.try_get("csrf")?))),
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.delete_session")]
    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.device_by_token")]
    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        if let Some(d) = self.config.device(token_hash) {
            return Ok(Some(d));
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DEVICE_COLS} FROM devices WHERE token_hash = $1 AND revoked = 0"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let device = row.as_ref().map(rows::device).transpose()?;
        if let Some(d) = &device {
            self.config.put_device(token_hash, d);
        }
        Ok(device)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.sessions_still_valid", fields(n = token_hashes.len()))]
    async fn sessions_still_valid(&self, token_hashes: &[String], now: i64) -> Result<Vec<String>> {
        let mut valid = Vec::new();
        for chunk in token_hashes.chunks(STILL_VALID_CHUNK) {
            // $1 is `now`; the hashes follow from $2.
            let sql = format!(
                "SELECT x.token_hash FROM sessions x JOIN staff s ON s.id = x.staff_id
                 WHERE x.expires_at > $1 AND s.active = 1 AND x.token_hash IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(now);
            for h in chunk {
                q = q.bind(h);
            }
            for r in q.fetch_all(&self.pool).await? {
                valid.push(r.try_get("token_hash")?);
            }
        }
        Ok(valid)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.devices_still_valid", fields(n = token_hashes.len()))]
    async fn devices_still_valid(&self, token_hashes: &[String]) -> Result<Vec<String>> {
        let mut valid = Vec::new();
        for chunk in token_hashes.chunks(STILL_VALID_CHUNK) {
            let sql = format!(
                "SELECT token_hash FROM devices WHERE revoked = 0 AND token_hash IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for h in chunk {
                q = q.bind(h);
            }
            for r in q.fetch_all(&self.pool).await? {
                valid.push(r.try_get("token_hash")?);
            }
        }
        Ok(valid)
    }
}

/// `$first, $first+1, …` for `n` bound values (sqlx's `Any` driver binds no arrays, so
/// PostgreSQL gets the same `IN (…)` list as SQLite).
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
